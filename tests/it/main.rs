//! The one integration-test binary. Each module tests one area; fixtures live in
//! `tests/fixtures/<behaviour>/` (see tests/fixtures/README.md).

mod architecture;
mod audit;
mod browser;
mod build;
mod build_lock;
mod contrib;
mod csv_injection;
mod diagnostics;
mod diff;
mod docs;
mod fairness;
mod feeds;
mod fuzz_corpus;
mod hostile;
mod neutral;
mod neutrality;
mod opendata;
mod pagination;
mod quality;
mod search;
mod serve;
mod serve_limits;
mod subpath;
mod support;
mod webdriver;
mod workflows;
