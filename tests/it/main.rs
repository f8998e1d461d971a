//! The one integration-test binary. Each module tests one area; fixtures live in
//! `tests/fixtures/<behaviour>/` (see tests/fixtures/README.md).

mod neutral;
mod build;
mod diagnostics;
mod hostile;
mod support;
