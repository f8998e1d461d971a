//! One error type for the whole pipeline, the diagnostics it carries, and the exit codes.
//!
//! Content problems are [`Diagnostic`]s: they name the file, point at a byte span in it
//! (turned into line:column only when shown), say what was expected and how to fix it.
//! Every stage collects them into a [`Diagnostics`] list instead of stopping at the first,
//! so a contributor sees all problems of a pull request in one run. Problems that are not
//! about content (a folder that cannot be read, a bad flag) are [`Error::Io`] and
//! [`Error::Usage`].
//!
//! This is the bottom of the house: every stage imports it and it imports no stage. It
//! neither prints nor formats: showing a diagnostic to a person (`render`, with the line
//! and a caret), to GitHub or as JSON is [`crate::report_format`]'s, which builds on
//! these types and is never imported here.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::source::{SourceFile, display_path};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in the content, located in a file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case identifier of the kind of problem (`unknown-field`, ...).
    pub code: &'static str,
    pub message: String,
    /// The file the problem is in (relative to the site root).
    pub path: PathBuf,
    /// The text of that file, when it is text, for line numbers and the caret.
    pub source: Option<Arc<SourceFile>>,
    /// Byte range in `source.text`.
    pub span: Option<Range<usize>>,
    /// Short text shown under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: PathBuf::new(),
            source: None,
            span: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Points at a span of a text file. A span that starts or ends inside a character
    /// is widened to the whole character, and one past the end stops at it (see
    /// [`char_span`]), so every format shows the same, sliceable span.
    pub fn at(mut self, source: &Arc<SourceFile>, span: Range<usize>) -> Self {
        self.path = source.path.clone();
        self.span = Some(char_span(&source.text, &span));
        self.source = Some(Arc::clone(source));
        self
    }

    /// Names a file without pointing into it (binary files, files that could not be read).
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = path.into();
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column of the start of the span, when there is one.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        match (&self.source, &self.span) {
            (Some(src), Some(span)) => Some(src.line_col(span.start)),
            _ => None,
        }
    }

    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// The `file:line:col: severity: message` headline that editors can jump to.
    pub fn headline(&self) -> String {
        let loc = match self.line_col() {
            Some((l, c)) => format!("{}:{l}:{c}", self.display_path()),
            None => self.display_path(),
        };
        format!("{loc}: {}: {}", self.severity, self.message)
    }

    fn sort_key(&self) -> (PathBuf, usize, Severity, &str) {
        (
            self.path.clone(),
            self.span.as_ref().map_or(0, |s| s.start),
            self.severity,
            &self.message,
        )
    }
}

/// `span` on character boundaries of `text`: a start inside a character moves to the
/// character's start, an end inside one to its end, both stop at the end of the text,
/// and the end is never before the start. Spans come from finders that step through
/// bytes, over content written by strangers (a value of one no-break space, U+00A0,
/// was once pointed at one byte in); slicing `text` with the result cannot panic.
pub fn char_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// All the problems of one run, in a deterministic order (file, then position).
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.items.last_mut()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == s).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Sorted by file and position; the same problem reported twice at one place is kept once.
    pub fn sorted(mut self) -> Self {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items
            .dedup_by(|a, b| a.path == b.path && a.span == b.span && a.message == b.message);
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content is invalid: the author can fix it.
    #[error("the content has {} error(s)", .0.error_count())]
    Invalid(Diagnostics),
    /// Reading or writing a file failed; the path is always named.
    #[error("{}: {source}", display_path(path))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A flag or argument that cannot work.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub fn exit_code(&self) -> Exit {
        match self {
            Error::Invalid(_) => Exit::Invalid,
            Error::Io { .. } | Error::Usage(_) => Exit::Failure,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The process exit status, as one enum so every command agrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything is fine.
    Ok = 0,
    /// 1: the content is invalid (the author can fix it).
    Invalid = 1,
    /// 2: usage, I/O or internal error.
    Failure = 2,
}
