//! hotdesk: a static-site generator for coworking directories that favours no listing.
//!
//! The pipeline, one module per step, data flowing one way:
//!
//! ```text
//! content/ ──load──▶ raw ──validate──▶ model ──index──▶ cross-references ──render──▶ Output ──write──▶ public/
//! ```
//!
//! `check` = load + validate + lint, and never writes; `build` = render + write;
//! `serve` = build, then rebuild on change. The library never prints and never exits:
//! it returns values and [`error::Diagnostics`], and `main.rs` decides what to show.

pub mod audit;
pub mod build;
pub mod cli;
pub mod codes;
pub mod diff;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod index;
pub mod lint;
pub mod listing;
pub mod load;
pub mod model;
pub mod neutral;
pub mod raw;
pub mod recur;
pub mod render;
pub mod report;
pub mod report_format;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod source;
mod suggest;
pub mod timing;
pub mod urls;
pub mod validate;
pub mod write;
