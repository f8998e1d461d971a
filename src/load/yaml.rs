//! The only place that parses YAML. Every call to `serde_yaml` lives here, so that the
//! deprecated crate can be swapped for a maintained fork by editing one file.
//!
//! Content comes from strangers' pull requests, and serde_yaml alone is not safe on it: a
//! 1 MB file with one anchored string aliased 2,000 times makes it allocate gigabytes. So
//! a file is first read by the safety scan ([`super::scan`]), which refuses anchors,
//! aliases, tags, merge keys, deep nesting, duplicate keys and fields that would rank a
//! listing, and records where every key and value is.
//!
//! Only when that scan is clean does serde_yaml deserialize the text into typed structs
//! (never into untyped values), through `serde_path_to_error` so a type error names its
//! field. Before either parser, the nesting guard ([`super::depth`]) refuses deep nesting
//! in one linear pass, as both parsers slow down with depth. For the content model's own documents ([`Closed`]) the scan may be skipped when
//! the text has nothing it could refuse ([`needs_scan`]); their positions are then
//! scanned on first use. Lines are counted from the top of the file, not of the front
//! matter. This module turns serde's messages into diagnostics; it does not walk YAML
//! events itself.

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::depth;
use super::scan::{Positions, scan, token_end};
use crate::error::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::suggest::did_you_mean;

/// The content model's documents: structs that deny unknown fields, all the way down,
/// with no map-typed field. A document serde_yaml accepts as one of them therefore has no
/// duplicate key (serde_derive refuses a field given twice), no key outside the model
/// (so no promotional key: no field of the model is one, a unit test checks) and no
/// nesting deeper than the model's; that lets [`parse_closed`] skip the safety scan.
/// Sealed: adding a type here is a claim about all of its fields.
pub(crate) trait Closed: DeserializeOwned + sealed::Sealed {}

mod sealed {
    pub(crate) trait Sealed {}
}

macro_rules! closed {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Closed for $t {}
    )*};
}
closed!(
    crate::raw::RawSite,
    crate::raw::RawAmenities,
    crate::raw::RawRegions,
    crate::raw::RawSpace,
    crate::raw::RawPartnership,
    crate::raw::RawSession,
    crate::raw::RawPage
);

/// Whether `text` has anything on which the safety scan could refuse what serde_yaml
/// accepts, or on which libyaml and saphyr could read different structures: anchors,
/// aliases, tags, merge keys, directives, tabs and other control characters, document
/// markers, block scalars, explicit keys, comments, escapes, and the line breaks and
/// byte-order mark only one of the YAML versions knows. Such a document is scanned first,
/// as every document used to be. Content seldom has any of them.
fn needs_scan(text: &str) -> bool {
    // One pass over the bytes (this runs on every content file): each line's quotes and
    // brackets are counted as it goes, and its shape is checked at its end. The rules
    // are those of `needs_scan_reference` in the tests, which a test holds this to.
    let bytes = text.as_bytes();
    if bytes.starts_with(b"...") {
        return true;
    }
    let (mut line_start, mut quotes, mut apostrophes, mut squares, mut curlies) = (0, 0, 0, 0, 0);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b' ' | b':' | b',' | b'.' => {}
            // Indicators that only act at the start of a token, which cannot follow a
            // letter or digit: `Q&A`, `50%` and `a?q=1` in a URL are text to both parsers.
            b'&' | b'*' | b'!' | b'%' | b'#' | b'?' | b'|' | b'>'
                if i == 0 || !bytes[i - 1].is_ascii_alphanumeric() =>
            {
                return true;
            }
            // libyaml reads `[a, -]` as the text `-`; saphyr refuses it.
            b'-' if matches!(bytes.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}')) => {
                return true;
            }
            b'<' | b'`' | b'\\' | 0x7f => return true,
            b'"' => quotes += 1,
            b'\'' => apostrophes += 1,
            b'[' => squares += 1,
            b']' => squares -= 1,
            b'{' => curlies += 1,
            b'}' => curlies -= 1,
            b'\n' => {
                if !simple_line_shape(&text[line_start..i])
                    || quotes % 2 != 0
                    || apostrophes % 2 != 0
                    || squares != 0
                    || curlies != 0
                {
                    return true;
                }
                (line_start, quotes, apostrophes, squares, curlies) = (i + 1, 0, 0, 0, 0);
            }
            b if b < 0x20 => return true,
            // NEL and NO-BREAK SPACE (C2 85, C2 A0), LINE and PARAGRAPH SEPARATOR
            // (E2 80 A8/A9), BOM (EF BB BF): the line breaks and byte-order mark only
            // one of the YAML versions knows. In UTF-8 a lead byte never occurs inside
            // another character, so these bytes are exactly those characters.
            0xC2 if matches!(bytes.get(i + 1), Some(0x85 | 0xA0)) => return true,
            0xE2 if bytes
                .get(i + 1..i + 3)
                .is_some_and(|c| matches!(c, [0x80, 0xA8 | 0xA9])) =>
            {
                return true;
            }
            0xEF if bytes.get(i + 1..i + 3) == Some(&[0xBB, 0xBF][..]) => return true,
            // Anything else (the guarded bytes above when their guard fails included) is
            // plain text to both parsers.
            _ => {}
        }
    }
    !(simple_line_shape(&text[line_start..])
        && quotes % 2 == 0
        && apostrophes % 2 == 0
        && squares == 0
        && curlies == 0)
}

/// The shape of a [`simple_line`]: list item markers, then a `key:` (a plain word) or
/// nothing.
fn simple_line_shape(line: &str) -> bool {
    let mut rest = line.trim_start_matches(' ');
    let mut item = false;
    while let Some(r) = rest.strip_prefix('-') {
        if !(r.is_empty() || r.starts_with(' ')) {
            break;
        }
        rest = r.trim_start_matches(' ');
        item = true;
    }
    if !item && !rest.is_empty() {
        let key_len = rest
            .bytes()
            .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            .count();
        let after = &rest.as_bytes()[key_len..];
        if key_len == 0 || !(after == b":" || after.starts_with(b": ")) {
            return false;
        }
    }
    true
}

/// Whether `line` holds whole nodes only: a `key:` (a plain word) or list items, with any
/// quoted scalar or flow collection closed on the same line. The two parsers differ on
/// how far a value continued on the next line must be indented (libyaml accepts a
/// quoted scalar or a flow collection continued at the margin, saphyr refuses it), so
/// every continued value is left to the scan. Blank lines are simple; a document marker
/// is not, as its key would not be a word.
#[cfg(test)]
fn simple_line(line: &str) -> bool {
    let count = |c: u8| line.bytes().filter(|&b| b == c).count();
    simple_line_shape(line)
        && count(b'"') % 2 == 0
        && count(b'\'') % 2 == 0
        && count(b'[') == count(b']')
        && count(b'{') == count(b'}')
}

/// [`parse`] for the content model. A document without any construct of [`needs_scan`]
/// is deserialized first; if serde_yaml accepts it, the safety scan could only have
/// found nothing, and the positions are scanned when first asked for. Anything else, and
/// any document serde refuses, goes through [`parse`], so every message stays the same.
pub(crate) fn parse_closed<T: Closed>(
    src: &Arc<SourceFile>,
    range: Range<usize>,
) -> Result<(T, Positions), Diagnostics> {
    let text = &src.text[range.clone()];
    // Before any parser: neither may spend more than linear time on deep nesting.
    if let Some(at) = depth::guard(text).too_deep_at {
        return Err(depth::too_deep(src, range, at).into());
    }
    if !needs_scan(text) {
        if let Ok(value) =
            <T as serde::Deserialize>::deserialize(serde_yaml::Deserializer::from_str(text))
        {
            return Ok((value, Positions::lazy(src, range)));
        }
    }
    parse(src, range)
}

/// Parses `range` of `src` (the whole file for `.yaml`, the front matter for `.md`) into `T`.
pub(crate) fn parse<T: DeserializeOwned>(
    src: &Arc<SourceFile>,
    range: Range<usize>,
) -> Result<(T, Positions), Diagnostics> {
    let text = &src.text[range.clone()];
    if let Some(at) = depth::guard(text).too_deep_at {
        return Err(depth::too_deep(src, range, at).into());
    }
    let base_line = src.line_col(range.start).0;
    let to_offset = |line: usize, col0: usize| src.offset_of(base_line + line - 1, col0);

    let positions = Positions::eager(scan(src, text, range.clone(), &to_offset)?);

    // Tracking the path costs a string per key; it only matters for the message of a
    // failed file, so a file is deserialized a second time, with tracking, only then.
    if let Ok(value) =
        <T as serde::Deserialize>::deserialize(serde_yaml::Deserializer::from_str(text))
    {
        return Ok((value, positions));
    }
    let de = serde_yaml::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(value) => Ok((value, positions)),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            let span = match inner.location() {
                Some(loc) if loc.line() > 0 => {
                    let start = to_offset(loc.line(), loc.column().saturating_sub(1));
                    start..token_end(&src.text, start)
                }
                _ => positions.value(&path),
            };
            Err(serde_diagnostic(src, span, &positions, &path, &inner.to_string()).into())
        }
    }
}

/// Turns serde's message into one with a hint.
fn serde_diagnostic(
    src: &Arc<SourceFile>,
    span: Range<usize>,
    positions: &Positions,
    path: &str,
    msg: &str,
) -> Diagnostic {
    // serde_yaml appends " at line L column C" and prefixes the path; we show both
    // ourselves.
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let msg = msg.strip_prefix(&format!("{path}: ")).unwrap_or(msg);
    let field = if path == "." || path.is_empty() {
        String::new()
    } else {
        format!(" (field `{path}`)")
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let key_path = if path == "." || path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        let span = positions.key_exact(&key_path).unwrap_or(span);
        let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let mut d =
            Diagnostic::error("unknown-field", format!("unknown field `{name}`")).at(src, span);
        d = match did_you_mean(name, options.iter().copied()) {
            Some(s) => d.label(format!("did you mean `{s}`?")),
            None => d.label("not a field of this file"),
        };
        return d.help(format!(
            "hotdesk refuses fields it does not know, so that a typo is not silently dropped; \
             the fields here are: {}",
            options.join(", ")
        ));
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let where_ = if path == "." || path.is_empty() {
            String::new()
        } else {
            format!(" in `{path}`")
        };
        return Diagnostic::error(
            "missing-field",
            format!("missing required field `{name}`{where_}"),
        )
        .at(src, span)
        .label(format!("add `{name}:` here"));
    }
    if msg.starts_with("duplicate field") {
        return Diagnostic::error("duplicate-key", format!("{msg}{field}")).at(src, span);
    }
    let (code, hint) = if msg.starts_with("unknown variant") {
        ("unknown-value", "use one of the values listed")
    } else if msg.starts_with("invalid type") {
        (
            "wrong-type",
            "check the quoting and the kind of value this field takes",
        )
    } else {
        ("yaml-error", "")
    };
    let d = Diagnostic::error(code, format!("{msg}{field}")).at(src, span);
    if hint.is_empty() { d } else { d.help(hint) }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lazy_tests;
