//! What every pipeline step is told about the run: the site's folder and the build's "now".
//!
//! It lives apart from [`crate::build`] (which re-exports it) so that the steps the
//! pipeline composes, `render` among them, can take it without importing the module that
//! calls them. It holds settings only: no step's logic belongs here.

use std::path::PathBuf;

use jiff::Timestamp;

/// What every pipeline command needs to know.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder holding `content/` and `themes/`.
    pub root: PathBuf,
    /// The build's "now": splits sessions into upcoming and past, and seeds the daily
    /// order. Fixed with `--now` for reproducible builds.
    pub now: Timestamp,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>, now: Timestamp) -> Self {
        Options {
            root: root.into(),
            now,
        }
    }
}
