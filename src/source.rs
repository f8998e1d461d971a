//! Source text and positions: byte offset ↔ line:column, in exactly one place.
//!
//! Every content file is normalised once when it is read (a leading BOM dropped, CRLF
//! turned into LF) so that the rest of the pipeline sees one spelling of a file. Line
//! numbers survive that normalisation unchanged, which is why it is safe: a diagnostic
//! computed on the normalised text points at the same line in the author's editor.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file of content as the pipeline sees it: its path relative to the site root and its
/// normalised text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators (what the author sees in git).
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    /// Whether the text is all ASCII, where a column in characters is a byte count: the
    /// YAML scan converts a line:column to an offset for every key and value.
    ascii: bool,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Arc<Self> {
        let text = normalise(text.into());
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = text.is_ascii();
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts,
            ascii,
        })
    }

    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = if self.ascii {
            offset - start
        } else {
            self.text[start..floor_char_boundary(&self.text, offset)]
                .chars()
                .count()
        };
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and 0-based character column.
    pub fn offset_of(&self, line: usize, col0: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_text = self.line_text(line);
        // Where the first `col0` bytes are ASCII, they are the first `col0` characters.
        let head = &line_text.as_bytes()[..col0.min(line_text.len())];
        if self.ascii || head.is_ascii() {
            return start + head.len();
        }
        let within: usize = line_text.chars().take(col0).map(char::len_utf8).sum();
        start + within
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        &self.text[start..end.max(start)]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Where `key:` starts a line of `src` (a top-level field of the front matter or of a
/// YAML file), for pointing a warning about the validated model at the field it came
/// from. The model keeps no positions, only its source; a missing key points at the
/// start of the file.
pub(crate) fn field_span(src: &SourceFile, key: &str) -> std::ops::Range<usize> {
    let needle = format!("\n{key}:");
    match src.text.find(&needle) {
        Some(i) => i + 1..i + 1 + key.len(),
        None => 0..3.min(src.text.len()),
    }
}

/// Paths are shown with `/` whatever the platform, as git and GitHub show them.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn normalise(mut text: String) -> String {
    if let Some(stripped) = text.strip_prefix('\u{feff}') {
        text = stripped.to_owned();
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    text
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new("a.md", "ab\ncé d\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // "é" is two bytes: the space after it is the third character.
        assert_eq!(f.line_col(6), (2, 3));
        assert_eq!(f.offset_of(2, 2), 6);
        assert_eq!(f.line_text(2), "cé d");
    }

    #[test]
    fn bom_and_crlf_are_normalised_without_moving_lines() {
        let f = SourceFile::new("a.md", "\u{feff}a: 1\r\nb: 2\r\n");
        assert_eq!(f.text, "a: 1\nb: 2\n");
        assert_eq!(f.line_text(2), "b: 2");
    }
}
