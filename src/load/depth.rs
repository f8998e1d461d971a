//! The nesting guard: a linear look at a YAML text before any parser reads it.
//!
//! libyaml (under serde_yaml) and saphyr spend time that grows with the nesting depth at
//! every level: `capacity:` followed by 100,000 `[` took 38 s before the safety scan's
//! depth limit ([`super::scan`]) could refuse it, because a parser had to read it first.
//! So this guard runs first, on every YAML text, and refuses deep nesting itself. It
//! reads each byte once, in one forward loop with no backtracking, and counts the levels
//! a parser would open: flow brackets (`[`, `{` outside quotes, comments and plain text),
//! one per rise in block indentation, and one per `- ` or `? ` marker that opens a
//! collection on the same line. Quoted scalars, comments and block scalars are skipped
//! as text. It may count a level the parser would not (a plain scalar continued on a
//! more indented line), never fewer; so it refuses at twice the scan's limit, which the
//! scan then enforces exactly on whatever passes. It builds nothing and never parses.

use std::ops::Range;
use std::sync::Arc;

use crate::error::Diagnostic;
use crate::source::SourceFile;

/// Levels the guard lets through: twice the scan's limit, as it may over-count.
pub(super) const GUARD_DEPTH: usize = 32;

/// Where the guard stopped a text, and the work it did (bytes looked at).
#[derive(Debug)]
pub(super) struct Verdict {
    /// The byte (in the text) that opened one level too many, if any.
    pub(super) too_deep_at: Option<usize>,
    /// Loop iterations, one per byte looked at: the guard's cost, for a unit test.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) steps: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// At the start of a line, in its indentation.
    Indent,
    /// In the line's content; `token` says a new token may start here.
    Content,
    /// In a comment, or in a line of a block scalar: text up to the line's end.
    Skip,
    DoubleQuoted,
    SingleQuoted,
}

/// Looks at `text` once; see the module documentation.
pub(super) fn guard(text: &str) -> Verdict {
    let bytes = text.as_bytes();
    let mut mode = Mode::Indent;
    let (mut col, mut token, mut escaped) = (0usize, true, false);
    let mut flow = 0usize;
    // Columns of the open block levels; the column under a block scalar's parent.
    let mut block: Vec<usize> = Vec::new();
    let mut scalar_parent: Option<usize> = None;
    let (mut line_indent, mut line_start) = (0usize, 0usize);
    let mut steps = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        steps += 1;
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let blank_next = matches!(next, None | Some(b' ' | b'\n' | b'\r' | b'\t'));
        match mode {
            Mode::DoubleQuoted => match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => (mode, token) = (Mode::Content, false),
                _ => {}
            },
            Mode::SingleQuoted => {
                if b == b'\'' {
                    (mode, token) = (Mode::Content, false);
                }
            }
            Mode::Skip | Mode::Content | Mode::Indent if b == b'\n' => {
                (mode, col, token, line_start) = (Mode::Indent, 0, true, i + 1);
            }
            Mode::Skip => {}
            Mode::Indent if b == b' ' => col += 1,
            Mode::Indent => {
                line_indent = col;
                mode = Mode::Content;
                if scalar_parent.is_some_and(|p| col > p || b == b'\r') {
                    mode = Mode::Skip;
                } else if flow == 0 && b != b'#' && b != b'\r' {
                    scalar_parent = None;
                    while block.last().is_some_and(|&c| c > col) {
                        block.pop();
                    }
                    if block.last() != Some(&col) {
                        block.push(col);
                    }
                }
                continue; // look at this byte again as content (counted twice at most)
            }
            Mode::Content => {
                match b {
                    b'#' if token || i > 0 && matches!(bytes[i - 1], b' ' | b'\t') => {
                        mode = Mode::Skip;
                    }
                    b'"' if token => mode = Mode::DoubleQuoted,
                    b'\'' if token => mode = Mode::SingleQuoted,
                    b'[' | b'{' if token || flow > 0 => {
                        flow += 1;
                        token = true;
                    }
                    b']' | b'}' if flow > 0 => flow -= 1,
                    b',' if flow > 0 => token = true,
                    b'-' | b'?' if token && flow == 0 && blank_next => {
                        // `- ` or `? ` opens a collection whose content sits further in.
                        block.push(i - line_start + 2);
                    }
                    b'|' | b'>' if token && flow == 0 => {
                        scalar_parent = Some(line_indent);
                        mode = Mode::Skip;
                    }
                    b':' if blank_next || flow > 0 => token = true,
                    b' ' | b'\t' | b'\r' => {}
                    _ => token = false,
                }
                if block.len() + flow > GUARD_DEPTH {
                    return Verdict {
                        too_deep_at: Some(i),
                        steps,
                    };
                }
            }
        }
        i += 1;
    }
    Verdict {
        too_deep_at: None,
        steps,
    }
}

/// The guard's refusal, pointing at the bracket or marker that went one level too deep.
pub(super) fn too_deep(src: &Arc<SourceFile>, range: Range<usize>, at: usize) -> Diagnostic {
    let start = range.start + at;
    let line = src.line_col(start).0;
    let field = src
        .line_text(line)
        .trim_start_matches([' ', '-'])
        .split(':')
        .next()
        .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .map(|k| format!(" (field `{k}`)"))
        .unwrap_or_default();
    let end = start + src.text[start..].chars().next().map_or(0, char::len_utf8);
    Diagnostic::error(
        "yaml-too-deep",
        format!("nesting deeper than {GUARD_DEPTH} levels of brackets and indentation{field}"),
    )
    .at(src, start..end)
    .help("content files are at most a few levels deep; check the brackets and the indentation")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mebibyte_of_brackets_is_refused_after_one_look_at_each_byte() {
        let text = "[".repeat(1024 * 1024);
        let v = guard(&text);
        // Refused at the level past the limit (the top-level map is one), having
        // looked at each byte once, and at the line's first byte twice.
        assert_eq!(v.too_deep_at, Some(GUARD_DEPTH - 1));
        assert!(v.steps <= GUARD_DEPTH + 1, "{}", v.steps);
        // A text it lets through is still looked at once per byte, and twice at most
        // at the first byte of a line.
        let flat = "capacity: [1, 2, [3]]\n".repeat(50_000);
        let v = guard(&flat);
        assert_eq!(v.too_deep_at, None);
        assert!(v.steps <= flat.len() + flat.lines().count(), "{}", v.steps);
        let deep = format!("capacity: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(guard(&deep).too_deep_at, Some(10 + GUARD_DEPTH - 1));
    }

    #[test]
    fn real_content_passes() {
        for text in [
            "name: It's [not] a list\nsummary: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n",
            "a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\nb: x # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
            "notes: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n   deeper\n    deeper\nnext: 1\n",
            "plans:\n  - name: Day\n    price: 10\n  - name: Week\n    hours:\n      mon: [9, 17]\n",
        ] {
            assert_eq!(guard(text).too_deep_at, None, "{text}");
        }
    }

    #[test]
    fn block_nesting_counts() {
        let dashes = format!("a:\n{}x\n", "- ".repeat(40));
        assert!(guard(&dashes).too_deep_at.is_some());
        let mut indented = String::new();
        for d in 0..40 {
            indented.push_str(&format!("{}k{d}:\n", " ".repeat(d)));
        }
        assert!(guard(&indented).too_deep_at.is_some());
    }
}
