//! What a load hands on: the parsed documents, each with its source and positions.
//!
//! These types are the boundary between loading and validation: [`super::load`] fills a
//! [`Loaded`], [`crate::validate`] reads it, and the load cache ([`super::LoadCache`])
//! lends and takes back its documents between two loads of `serve`. They live apart from
//! the walk so that the cache, which the walk uses, need not reach back into it. Nothing
//! here reads a file or checks a value.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::scan::Positions;
use crate::raw::*;
use crate::source::SourceFile;

/// A parsed YAML document and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Doc<T> {
    pub raw: T,
    pub src: Arc<SourceFile>,
    pub pos: Positions,
}

/// A Markdown file: its slug (file stem), front matter and body.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    pub slug: String,
    pub doc: Doc<T>,
    /// The Markdown after the closing `---`.
    pub body: Range<usize>,
}

impl<T> Entry<T> {
    pub(crate) fn body_text(&self) -> &str {
        &self.doc.src.text[self.body.clone()]
    }
}

/// A file under `content/static/`, copied as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path relative to `content/static`, `/`-separated; also its output path.
    pub rel: String,
    /// Path relative to the site root, for diagnostics.
    pub path: PathBuf,
    pub bytes: Arc<Vec<u8>>,
}

#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub site: Option<Doc<RawSite>>,
    pub amenities: Option<Doc<RawAmenities>>,
    pub regions: Option<Doc<RawRegions>>,
    pub spaces: Vec<Entry<RawSpace>>,
    pub partnerships: Vec<Entry<RawPartnership>>,
    pub sessions: Vec<Entry<RawSession>>,
    pub pages: Vec<Entry<RawPage>>,
    pub statics: Vec<StaticFile>,
    /// Slugs of every well-named file per collection, parsed or not: a reference to a
    /// file with a syntax error is not reported again as an unknown id.
    pub slugs: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Loaded {
    /// Frees what was loaded on every core: thousands of parsed documents take a
    /// noticeable while to drop on one.
    pub(crate) fn free(self) {
        let Loaded {
            spaces, sessions, ..
        } = self;
        rayon::join(
            || spaces.into_par_iter().for_each(drop),
            || sessions.into_par_iter().for_each(drop),
        );
    }
}
