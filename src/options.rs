//! What every pipeline step is told about the run: the site's folder, the build's "now"
//! and the command line's `--base-url`.
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
    /// Replaces `base_url` of site.yaml (`--base-url` of `build` and `serve`), already
    /// checked as site.yaml's is; `None` keeps site.yaml's.
    pub base_url: Option<url::Url>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>, now: Timestamp) -> Self {
        Options {
            root: root.into(),
            now,
            base_url: None,
        }
    }
}
