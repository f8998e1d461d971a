//! The `REPLACE:` placeholders that `hotdesk new` writes, and the errors that keep a
//! file with one from being published.
//!
//! A placeholder is the text `REPLACE:` at the start of a YAML value (after `key:`, a
//! list's `-`, `[` or `,`, optionally inside quotes) or at the start of a line of the
//! Markdown body; anywhere else (inside a sentence, in a code span) the word is left
//! alone, so a page can talk about placeholders. A placeholder often makes other
//! errors on its line too (a text where a number belongs, an unknown region id); those
//! are dropped in favour of the one error that says what to write there.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, Severity};
use crate::load::Loaded;
use crate::source::SourceFile;

/// What marks a value still to fill in.
pub const MARKER: &str = "REPLACE:";

/// One placeholder in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The placeholder with its quotes, if any.
    pub span: Range<usize>,
    /// The field it stands for (dotted, e.g. `address.street`), on a `key: value` line.
    pub key: Option<String>,
    /// What to write there (the text after `REPLACE:`).
    pub what: String,
    /// In the Markdown body rather than the front matter.
    pub in_body: bool,
}

/// Every placeholder of a file, in order.
pub fn find(text: &str, is_markdown: bool) -> Vec<Placeholder> {
    let mut out = Vec::new();
    // Nearly every file has none: one search of the text instead of a walk of its lines.
    if !text.contains(MARKER) {
        return out;
    }
    let mut offset = 0;
    // In a Markdown file, the body starts after the second `---` line.
    let mut fences = if is_markdown { 0 } else { 2 };
    // The enclosing mappings of the current line: (indent, key).
    let mut parents: Vec<(usize, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if fences < 2 && content.trim_end() == "---" {
            fences += 1;
            offset += line.len();
            continue;
        }
        let in_body = is_markdown && fences >= 2;
        let key = if in_body { None } else { key_of(content) };
        let path = key.as_ref().map(|(indent, k)| {
            parents.retain(|(i, _)| i < indent);
            let mut p: Vec<&str> = parents.iter().map(|(_, k)| k.as_str()).collect();
            p.push(k);
            p.join(".")
        });
        if let Some((indent, k)) = &key {
            let after = content.split_once(':').map_or("", |(_, v)| v).trim();
            if after.is_empty() || after.starts_with('#') {
                parents.push((*indent, k.clone()));
            }
        }
        let mut from = 0;
        while let Some(i) = content[from..].find(MARKER) {
            let at = from + i;
            from = at + MARKER.len();
            let prefix = &content[..at];
            let quote = prefix
                .chars()
                .next_back()
                .filter(|c| matches!(c, '"' | '\''));
            let bare = prefix.trim_end().trim_end_matches(['"', '\'']).trim_end();
            let at_value_start = if in_body {
                bare.is_empty()
            } else {
                bare.is_empty()
                    || bare.ends_with(':')
                    || bare.ends_with('-')
                    || bare.ends_with('[')
                    || bare.ends_with(',')
            };
            if !at_value_start {
                continue;
            }
            let rest = &content[from..];
            let (what, end) = match quote.and_then(|q| rest.find(q).map(|e| (q, e))) {
                Some((q, e)) => (&rest[..e], from + e + q.len_utf8()),
                None => (rest.trim_end(), from + rest.trim_end().len()),
            };
            let start = at - quote.map_or(0, char::len_utf8);
            out.push(Placeholder {
                span: offset + start..offset + end,
                key: path.clone(),
                what: what.trim().to_owned(),
                in_body,
            });
        }
        offset += line.len();
    }
    out
}

/// The indent and key of a `key:` line of YAML (comments and list items are not).
fn key_of(line: &str) -> Option<(usize, String)> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    let (k, _) = t.split_once(':')?;
    let ok = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then(|| (indent, k.to_owned()))
}

/// The text of every content file that was read, parsed or not, by path.
pub(crate) fn sources(loaded: &Loaded, diags: &Diagnostics) -> Vec<Arc<SourceFile>> {
    let docs = [
        loaded.site.as_ref().map(|d| &d.src),
        loaded.amenities.as_ref().map(|d| &d.src),
        loaded.regions.as_ref().map(|d| &d.src),
    ];
    let entries = loaded
        .spaces
        .iter()
        .map(|e| &e.doc.src)
        .chain(loaded.partnerships.iter().map(|e| &e.doc.src))
        .chain(loaded.sessions.iter().map(|e| &e.doc.src))
        .chain(loaded.pages.iter().map(|e| &e.doc.src));
    // A file that did not parse is only in its diagnostics.
    let failed = diags.iter().filter_map(|d| d.source.as_ref());
    // One per path, first seen kept. Compared as bytes: `Path`'s component-wise
    // ordering made this a tenth of a serve rebuild at 10,000 files, and the order
    // only has to be deterministic (diagnostics are sorted before they are shown).
    let mut all: Vec<&Arc<SourceFile>> = docs
        .into_iter()
        .flatten()
        .chain(entries)
        .chain(failed)
        .collect();
    all.sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    all.dedup_by(|a, b| a.path == b.path);
    all.into_iter().map(Arc::clone).collect()
}

/// Adds an error for every placeholder, and drops the other errors on those lines.
pub(crate) fn check(sources: &[Arc<SourceFile>], diags: Diagnostics) -> Diagnostics {
    let mut found = Diagnostics::new();
    let mut lines: BTreeSet<(PathBuf, usize)> = BTreeSet::new();
    // Nearly every file has none: searched on every core.
    let per_file: Vec<Vec<Placeholder>> = sources
        .par_iter()
        .map(|src| find(&src.text, src.path.extension().is_some_and(|e| e == "md")))
        .collect();
    for (src, placeholders) in sources.iter().zip(per_file) {
        for p in placeholders {
            lines.insert((src.path.clone(), src.line_col(p.span.start).0));
            let message = match (&p.key, p.in_body) {
                (_, true) => "the text below the front matter is still a placeholder".to_owned(),
                (Some(k), false) => format!("`{k}` is still a placeholder"),
                (None, false) => "a value is still a placeholder".to_owned(),
            };
            let help = if p.in_body {
                "replace the line with your own text (Markdown)"
            } else {
                "`hotdesk new` marks each value to fill in with `REPLACE:`; write the real \
                 value in its place (numbers and true/false without quotes)"
            };
            found.push(
                Diagnostic::error("placeholder", message)
                    .at(src, p.span)
                    .label(format!("expected: {}", p.what))
                    .help(help),
            );
        }
    }
    if found.is_empty() {
        return diags;
    }
    let mut out = Diagnostics::new();
    for d in diags {
        let on_placeholder_line = d.severity == Severity::Error
            && d.line_col()
                .is_some_and(|(l, _)| lines.contains(&(d.path.clone(), l)));
        if !on_placeholder_line {
            out.push(d);
        }
    }
    out.extend(found);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_values_or_body_lines_not_prose() {
        let text = "---\nname: x\naddress:\n  street: \"REPLACE: street\"\nkinds: [\"REPLACE: a kind\"]\nnote: see `REPLACE: x`\n---\nREPLACE: describe it\nWrite REPLACE: here.\n";
        let found = find(text, true);
        let keys: Vec<(Option<&str>, &str, bool)> = found
            .iter()
            .map(|p| (p.key.as_deref(), p.what.as_str(), p.in_body))
            .collect();
        assert_eq!(
            keys,
            [
                (Some("address.street"), "street", false),
                (Some("kinds"), "a kind", false),
                (None, "describe it", true),
            ]
        );
        assert_eq!(&text[found[0].span.clone()], "\"REPLACE: street\"");
        assert_eq!(&text[found[2].span.clone()], "REPLACE: describe it");
    }

    #[test]
    fn a_placeholder_replaces_the_errors_on_its_line() {
        let src = SourceFile::new(
            "content/spaces/a.md",
            "---\nlat: \"REPLACE: latitude\"\n---\n",
        );
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("wrong-type", "invalid type: string").at(&src, 9..25));
        d.push(Diagnostic::error("missing-field", "missing `lon`").at(&src, 4..7));
        let out = check(&[src], d);
        let codes: Vec<&str> = out.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["placeholder"]);
        let p = out.iter().next().unwrap();
        assert_eq!(p.message, "`lat` is still a placeholder");
        assert_eq!(p.line_col(), Some((2, 6)));
    }
}
