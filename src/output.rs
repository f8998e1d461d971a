//! The rendered site as the pipeline hands it on: output paths, their sizes and sources,
//! and where the bytes went.
//!
//! `render` produces files into an [`Output`]; where they end up is the caller's choice,
//! through one small [`Sink`]. Without a sink (`serve`, `check`, tests) the bytes stay in
//! memory; with one (`build` gives [`crate::write::Staging`]) each file is handed over as
//! soon as it is rendered and only its path and size are kept, so a build never holds
//! the whole site. Either way every path is claimed here, once, so two sources writing
//! one path is reported the same way whoever renders and wherever the bytes go.
//!
//! This module knows neither how pages are rendered nor how files are written: `render`
//! and `write` both depend on it, never it on them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::{Diagnostic, Diagnostics};

/// Where rendered files go as they come, from many threads at once.
pub(crate) trait Sink: Send + Sync + std::fmt::Debug {
    /// Takes one file (`rel` is `/`-separated and relative). A sink that fails keeps the
    /// error and reports it when its owner finishes it: rendering carries on regardless,
    /// so that every content problem is still reported.
    fn store(&self, rel: &str, bytes: &[u8]);
}

/// One file of the output and what produced it.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Empty once handed to a [`Sink`] (see [`Output::streaming`]).
    pub bytes: Arc<Vec<u8>>,
    /// The file's size in bytes.
    pub len: usize,
    /// The content or theme file it came from (for collision errors).
    pub source: String,
}

/// The whole site: output path (`/`-separated, relative, e.g.
/// `spaces/harbour-hub/index.html`) → bytes, or only their size once in a [`Sink`].
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub files: BTreeMap<String, OutputFile>,
    /// The neutrality audit of this build (also in the files as `data/neutrality.json`),
    /// for the one-line listing summary of `build` and `check`.
    pub neutrality: Option<Arc<crate::audit::NeutralityReport>>,
    /// The one-line listing summary `build` and `check` print (with the audit's verdict
    /// after a full render; without it after `check`'s sample).
    pub summary: Option<String>,
    /// Where files go as they are added, for `build`; `None` keeps them in memory (for
    /// `serve`, `check` and tests).
    sink: Option<Arc<dyn Sink>>,
}

impl Output {
    /// An empty output that hands every file to `sink` as it is added, keeping only
    /// paths and sizes in memory.
    pub(crate) fn streaming(sink: Arc<dyn Sink>) -> Self {
        Output {
            sink: Some(sink),
            ..Output::default()
        }
    }

    /// An empty output with this one's sink: for files made on another thread and
    /// [merged](Self::merge) back.
    pub(crate) fn beside(&self) -> Self {
        Output {
            sink: self.sink.clone(),
            ..Output::default()
        }
    }

    /// This output's sink, for workers that render pages in parallel and hand each one
    /// over themselves (then record it with [`Self::insert_written`]).
    pub(crate) fn sink(&self) -> Option<&Arc<dyn Sink>> {
        self.sink.as_ref()
    }

    /// Lets go of the sink, so its owner can finish it; the output keeps its paths.
    pub(crate) fn detach_sink(&mut self) {
        self.sink = None;
    }

    /// Adds a file; two sources writing one path is a content error naming both.
    pub fn insert(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        source: impl Into<String>,
        diags: &mut Diagnostics,
    ) {
        let len = bytes.len();
        let bytes = match &self.sink {
            Some(sink) => {
                sink.store(&path, &bytes);
                Vec::new()
            }
            None => bytes,
        };
        self.claim(path, bytes, len, source, diags);
    }

    /// Records a file of `len` bytes already handed to this output's sink.
    pub fn insert_written(
        &mut self,
        path: String,
        len: usize,
        source: impl Into<String>,
        diags: &mut Diagnostics,
    ) {
        self.claim(path, Vec::new(), len, source, diags);
    }

    fn claim(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        len: usize,
        source: impl Into<String>,
        diags: &mut Diagnostics,
    ) {
        let source = source.into();
        if let Some(existing) = self.files.get(&path) {
            diags.push(collision(&existing.source, &source, &path));
            return;
        }
        self.files.insert(
            path,
            OutputFile {
                bytes: Arc::new(bytes),
                len,
                source,
            },
        );
    }

    /// Adds every file of `other` (in path order), reporting collisions as [`Self::insert`].
    pub fn merge(&mut self, other: Output, diags: &mut Diagnostics) {
        for (path, mut file) in other.files {
            if let Some(existing) = self.files.get(&path) {
                diags.push(collision(&existing.source, &file.source, &path));
                continue;
            }
            if let Some(sink) = &self.sink
                && file.bytes.len() == file.len
            {
                sink.store(&path, &file.bytes);
                file.bytes = Arc::new(Vec::new());
            }
            self.files.insert(path, file);
        }
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|f| f.bytes.as_slice())
    }

    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(|f| f.len).sum()
    }
}

/// Two sources writing one path: the second one is named as the file to fix.
fn collision(existing: &str, source: &str, path: &str) -> Diagnostic {
    Diagnostic::error(
        "output-collision",
        format!("`{existing}` and `{source}` would both write /{path}"),
    )
    .in_file(PathBuf::from(source))
    .help("rename one of them: each page, static file and generated page needs its own path")
}
