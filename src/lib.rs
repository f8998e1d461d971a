//! hotdesk: a static-site generator for coworking directories that favours no listing.
//!
//! The pipeline, one module per step, data flowing one way (`docs/architecture.md` says
//! what each module owns and may call; `tests/it/architecture.rs` keeps it free of
//! circles):
//!
//! ```text
//! content/ ──load──▶ raw ──validate──▶ model ──index──▶ cross-references ──render──▶ Output ──▶ sink
//!                                                           memory (check, serve) ◀──┤
//!                                               staging folder ──write──▶ public/ ◀──┘ (build)
//! ```
//!
//! `check` = load + validate + index + lint + a sample render, and never writes; `build` =
//! render every page into the staging folder, then swap it in; `serve` = render into
//! memory, then again on change. The library never prints and never exits: it returns
//! values and [`error::Diagnostics`], and `main.rs` decides what to show.

pub mod audit;
pub mod build;
pub mod cli;
pub(crate) mod codes;
pub(crate) mod diff;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod index;
pub(crate) mod lint;
pub mod listing;
pub(crate) mod load;
pub(crate) mod locale;
pub mod model;
pub mod neutral;
pub(crate) mod options;
pub(crate) mod output;
pub(crate) mod raw;
pub mod recur;
pub mod render;
pub(crate) mod report;
pub mod report_format;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod source;
mod suggest;
pub(crate) mod timing;
pub(crate) mod urls;
pub(crate) mod validate;
pub(crate) mod write;
