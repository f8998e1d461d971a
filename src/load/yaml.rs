//! The only place that parses YAML. Every call to `serde_yaml` lives here, so that the
//! deprecated crate can be swapped for a maintained fork by editing one file.
//!
//! Content comes from strangers' pull requests, and serde_yaml alone is not safe on it: a
//! 1 MB file with one anchored string aliased 2,000 times makes it allocate gigabytes. So
//! a file is first read by `saphyr-parser`, a streaming event parser, which
//! - refuses anchors, aliases, tags and merge keys (content never needs them),
//! - caps nesting depth,
//! - refuses duplicate keys, naming both places,
//! - refuses fields that would rank a listing, explaining the neutrality policy,
//! - and records the position of every key and value, so that later stages can point a
//!   meaning error ("unknown amenity") at the exact line and column.
//!
//! Only when that scan is clean does serde_yaml deserialize the text into typed structs
//! (never into untyped values), through `serde_path_to_error` so a type error names its
//! field. Lines are counted from the top of the file, not of the front matter.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use saphyr_parser::{Event, Parser, ScanError, Span};
use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// Deepest nesting a content file may have; the deepest real one is 3.
const MAX_DEPTH: usize = 16;

/// Keys that would let a listing buy or be given prominence. Refused anywhere in content,
/// alone or as a word of a longer key (`is_featured`, `sort-order`): see [`is_promotional`].
/// No key of the content model may contain one (a unit test checks the schemas).
pub const PROMOTIONAL_KEYS: &[&str] = &[
    "featured",
    "feature",
    "sponsored",
    "sponsor",
    "promoted",
    "promote",
    "priority",
    "weight",
    "order",
    "rank",
    "ranking",
    "pinned",
    "pin",
    "sticky",
    "badge",
    "highlight",
    "highlighted",
    "boost",
    "boosted",
    "premium",
    "top",
    "spotlight",
    "promotion",
    "advert",
    "advertised",
    "paid",
    "sort",
    "position",
    "score",
    "rating",
    "stars",
];

pub const NEUTRALITY_HELP: &str = "this directory favours no space: no field may rank, feature or \
highlight a listing, and every listed space is shown with the same card in a shuffled order \
(see the generated page /how-spaces-are-listed/)";

/// Whether the key `key`, at dotted path `full` of the content file `file` (relative to
/// the site root), would rank or highlight a listing: it is one of [`PROMOTIONAL_KEYS`],
/// or has one as a word (split at `_` and `-`), ignoring case. Only files under
/// `content/` are concerned (a theme's strings file is UI text, with keys such as
/// `order_note_shuffle`), and `listing.order` in `content/site.yaml` is allowed: it
/// chooses the order of the whole directory (shuffled by default) and cannot single out
/// a space.
pub fn is_promotional(file: &std::path::Path, full: &str, key: &str) -> bool {
    if !file.starts_with("content")
        || (full == "listing.order" && file == std::path::Path::new("content/site.yaml"))
    {
        return false;
    }
    let key = key.to_ascii_lowercase();
    PROMOTIONAL_KEYS.contains(&key.as_str())
        || key.split(['_', '-']).any(|w| PROMOTIONAL_KEYS.contains(&w))
}

/// Where each key and value of a YAML document is, by dotted path (`address.country`,
/// `amenities.2`), as byte ranges in the file.
///
/// Every file of the directory gets one, but only a file with a problem is ever asked
/// where something is: so for a document serde_yaml accepted without the safety scan
/// (see [`parse_closed`]), the scan that makes the table runs on the first lookup. The
/// paths are written one after another into one string, with no map built, and the
/// sorted index that makes a lookup fast is made on the first lookup too. As with a map
/// filled in document order, the last node of a path wins.
///
/// Shared, not copied, by a clone: `serve` keeps every file's positions between rebuilds
/// and hands out a clone with each reused document.
#[derive(Default, Clone)]
pub struct Positions(Arc<Lazy>);

#[derive(Default)]
struct Lazy {
    table: OnceLock<Table>,
    /// The document the table is scanned from on first use; `None` when it was made
    /// up front.
    doc: Option<(Arc<SourceFile>, Range<usize>)>,
}

/// Shows the table, scanning it if need be: a document's positions print the same
/// whether or not they were looked up (the load cache's tests compare the text).
impl std::fmt::Debug for Positions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Positions").field(self.table()).finish()
    }
}

#[derive(Debug, Default)]
struct Table {
    /// The dotted paths of every entry below, one after another.
    paths: String,
    /// (path in `paths`, span of the value), in document order.
    values: Vec<(Range<usize>, Range<usize>)>,
    /// (path in `paths`, span of the key), in document order.
    keys: Vec<(Range<usize>, Range<usize>)>,
    /// Indices into `values` and `keys`, sorted by path (ties in document order).
    values_index: OnceLock<Vec<usize>>,
    keys_index: OnceLock<Vec<usize>>,
    /// Where the whole document starts (for "missing field" errors).
    root: Range<usize>,
}

impl Positions {
    fn eager(table: Table) -> Self {
        Positions(Arc::new(Lazy {
            table: OnceLock::from(table),
            doc: None,
        }))
    }

    fn lazy(src: &Arc<SourceFile>, range: Range<usize>) -> Self {
        Positions(Arc::new(Lazy {
            table: OnceLock::new(),
            doc: Some((Arc::clone(src), range)),
        }))
    }

    fn table(&self) -> &Table {
        self.0.table.get_or_init(|| match &self.0.doc {
            Some((src, range)) => scan_table(src, range.clone()),
            None => Table::default(),
        })
    }

    /// The span of the value at `path`, or of the nearest ancestor that has one.
    pub fn value(&self, path: &str) -> Range<usize> {
        self.table().value(path)
    }

    /// The span of the key at `path` (the value's when the path is a list item).
    pub fn key(&self, path: &str) -> Range<usize> {
        self.table().key(path)
    }

    pub fn has(&self, path: &str) -> bool {
        self.table().has(path)
    }

    fn key_exact(&self, path: &str) -> Option<Range<usize>> {
        self.table().key_exact(path)
    }

    /// Whether the table has been made (a test counts the scans a run needs).
    #[cfg(test)]
    fn is_scanned(&self) -> bool {
        self.0.table.get().is_some()
    }
}

/// The table of a document serde_yaml accepted without the scan. [`needs_scan`] keeps out
/// every construct on which libyaml and saphyr were found to differ, so the scan should
/// not refuse it; if it ever did, every position falls back to the start of the
/// document rather than the lookup failing.
fn scan_table(src: &Arc<SourceFile>, range: Range<usize>) -> Table {
    let text = &src.text[range.clone()];
    let base_line = src.line_col(range.start).0;
    let to_offset = |line: usize, col0: usize| src.offset_of(base_line + line - 1, col0);
    let root = range.start..range.start;
    scan(src, text, range, &to_offset).unwrap_or_else(|_| Table {
        root,
        ..Table::default()
    })
}

impl Table {
    /// The span of the value at `path`, or of the nearest ancestor that has one.
    pub fn value(&self, path: &str) -> Range<usize> {
        let mut p = path;
        loop {
            if let Some(r) = self.value_exact(p) {
                return r;
            }
            match p.rsplit_once('.') {
                Some((parent, _)) => p = parent,
                None => return self.root.clone(),
            }
        }
    }

    /// The span of the key at `path` (the value's when the path is a list item).
    pub fn key(&self, path: &str) -> Range<usize> {
        self.key_exact(path).unwrap_or_else(|| self.value(path))
    }

    pub fn has(&self, path: &str) -> bool {
        self.value_exact(path).is_some()
    }

    fn value_exact(&self, path: &str) -> Option<Range<usize>> {
        self.find(&self.values, &self.values_index, path)
    }

    fn key_exact(&self, path: &str) -> Option<Range<usize>> {
        self.find(&self.keys, &self.keys_index, path)
    }

    /// The last entry of `entries` at `path`.
    fn find(
        &self,
        entries: &[(Range<usize>, Range<usize>)],
        index: &OnceLock<Vec<usize>>,
        path: &str,
    ) -> Option<Range<usize>> {
        let name = |i: usize| &self.paths[entries[i].0.clone()];
        let sorted = index.get_or_init(|| {
            let mut order: Vec<usize> = (0..entries.len()).collect();
            order.sort_by(|&a, &b| name(a).cmp(name(b)));
            order
        });
        // The first entry sorted after `path`; the one before it is the last at `path`.
        let after = sorted.partition_point(|&i| name(i) <= path);
        let &i = sorted.get(after.checked_sub(1)?)?;
        (name(i) == path).then(|| entries[i].1.clone())
    }

    /// Writes `parent.child` (or `child` at the top) after the other paths. `scratch`
    /// carries the parent's text over (`String::extend_from_within` is newer than our MSRV).
    fn push_path(
        &mut self,
        scratch: &mut String,
        parent: &Range<usize>,
        child: &str,
    ) -> Range<usize> {
        let start = self.paths.len();
        if !parent.is_empty() {
            scratch.clear();
            scratch.push_str(&self.paths[parent.clone()]);
            self.paths.push_str(scratch);
            self.paths.push('.');
        }
        self.paths.push_str(child);
        start..self.paths.len()
    }

    /// [`Table::push_path`] for a list item; without the formatting machinery, which
    /// showed in profiles for a path per item.
    fn push_index(
        &mut self,
        scratch: &mut String,
        parent: &Range<usize>,
        i: usize,
    ) -> Range<usize> {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = i;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let text = std::str::from_utf8(&digits[at..]).unwrap_or("0");
        self.push_path(scratch, parent, text)
    }
}

/// The content model's documents: structs that deny unknown fields, all the way down,
/// with no map-typed field. A document serde_yaml accepts as one of them therefore has no
/// duplicate key (serde_derive refuses a field given twice), no key outside the model
/// (so no promotional key: no field of the model is one, a unit test checks) and no
/// nesting deeper than the model's; that lets [`parse_closed`] skip the safety scan.
/// Sealed: adding a type here is a claim about all of its fields.
pub trait Closed: DeserializeOwned + sealed::Sealed {}

mod sealed {
    pub trait Sealed {}
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
pub fn parse_closed<T: Closed>(
    src: &Arc<SourceFile>,
    range: Range<usize>,
) -> Result<(T, Positions), Diagnostics> {
    let text = &src.text[range.clone()];
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
pub fn parse<T: DeserializeOwned>(
    src: &Arc<SourceFile>,
    range: Range<usize>,
) -> Result<(T, Positions), Diagnostics> {
    let text = &src.text[range.clone()];
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
        d = match crate::suggest::did_you_mean(name, options.iter().copied()) {
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

/// The end of the token starting at `start`: to the end of the line or of a flow item.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start.min(text.len())..];
    let len = rest.find(['\n', ',', ']', '}']).unwrap_or(rest.len());
    let trimmed = rest[..len].trim_end();
    start + trimmed.len().max(1).min(rest.len())
}

enum Frame {
    Map {
        /// The map's own path, in [`Positions::paths`].
        path: Range<usize>,
        /// The path of the key just read, waiting for its value.
        key: Option<Range<usize>>,
        seen: Seen,
    },
    Seq {
        path: Range<usize>,
        index: usize,
    },
}

/// The keys of one map so far, for refusing a duplicate: a map of content has a dozen
/// keys, where a list beats hashing; a hostile one with thousands gets a hash map.
enum Seen {
    /// (path of the key in [`Positions::paths`], length of the key at its end, span).
    Few(Vec<(Range<usize>, usize, Range<usize>)>),
    Many(HashMap<String, Range<usize>>),
}

const FEW_KEYS: usize = 32;

impl Seen {
    /// Where `key` was first given, if it was.
    fn get(&self, paths: &str, key: &str) -> Option<Range<usize>> {
        match self {
            Seen::Few(list) => list
                .iter()
                .find(|(p, len, _)| &paths[p.end - len..p.end] == key)
                .map(|(_, _, r)| r.clone()),
            Seen::Many(map) => map.get(key).cloned(),
        }
    }

    fn insert(&mut self, paths: &str, full: Range<usize>, key_len: usize, r: Range<usize>) {
        match self {
            Seen::Few(list) if list.len() < FEW_KEYS => list.push((full, key_len, r)),
            Seen::Few(list) => {
                let mut map: HashMap<String, Range<usize>> = list
                    .drain(..)
                    .map(|(p, len, r)| (paths[p.end - len..p.end].to_owned(), r))
                    .collect();
                map.insert(paths[full.end - key_len..full.end].to_owned(), r);
                *self = Seen::Many(map);
            }
            Seen::Many(map) => {
                map.insert(paths[full.end - key_len..full.end].to_owned(), r);
            }
        }
    }
}

/// Whether keys of this file are checked by [`is_promotional`], computed once per file.
struct PromotionalCheck {
    in_content: bool,
    is_site: bool,
}

impl PromotionalCheck {
    fn new(file: &std::path::Path) -> Self {
        PromotionalCheck {
            in_content: file.starts_with("content"),
            is_site: file == std::path::Path::new("content/site.yaml"),
        }
    }

    /// [`is_promotional`] without its per-key path and allocation work.
    fn check(&self, full: &str, key: &str) -> bool {
        if !self.in_content || (self.is_site && full == "listing.order") {
            return false;
        }
        word_is_promotional(key) || key.split(['_', '-']).any(word_is_promotional)
    }
}

/// Whether `w` is one of [`PROMOTIONAL_KEYS`], ignoring ASCII case. Every key of every
/// file is checked word by word, so the list is not walked for words no entry can match.
fn word_is_promotional(w: &str) -> bool {
    const LONGEST: usize = {
        let (mut i, mut longest) = (0, 0);
        while i < PROMOTIONAL_KEYS.len() {
            if PROMOTIONAL_KEYS[i].len() > longest {
                longest = PROMOTIONAL_KEYS[i].len();
            }
            i += 1;
        }
        longest
    };
    if w.len() > LONGEST {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    let lower = &mut lower[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    PROMOTIONAL_KEYS.iter().any(|p| p.as_bytes() == lower)
}

/// The safety scan: structure only, no values built.
fn scan(
    src: &Arc<SourceFile>,
    text: &str,
    range: Range<usize>,
    to_offset: &dyn Fn(usize, usize) -> usize,
) -> Result<Table, Diagnostics> {
    // About one node per line: sized once rather than grown by doubling.
    let lines = count_lines(text.as_bytes());
    let mut pos = Table {
        root: range.start..range.start,
        paths: String::with_capacity(lines * 16),
        values: Vec::with_capacity(lines + 1),
        keys: Vec::with_capacity(lines + 1),
        ..Table::default()
    };
    let promotional = PromotionalCheck::new(&src.path);
    let mut diags = Diagnostics::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut scratch = String::new();
    let span_of = |s: &Span| {
        let a = to_offset(s.start.line(), s.start.col());
        let b = to_offset(s.end.line(), s.end.col());
        a..b.max(a)
    };
    let mut parser = Parser::new_from_str(text).keep_tags(true);
    let mut documents = 0;

    while let Some(item) = parser.next_event() {
        let (event, span) = match item {
            Ok(ev) => ev,
            Err(e) => {
                diags.push(scan_error(src, &e, to_offset));
                return Err(diags);
            }
        };
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentEnd => continue,
            Event::SequenceEnd | Event::MappingEnd => {
                let r = span_of(&span);
                let frame = stack.pop();
                if let Some(Frame::Map { path, .. } | Frame::Seq { path, .. }) = frame {
                    // Extend the container's span to its end, for "missing field" pointers:
                    // the last node at its path, as a map by path would hold.
                    let name = &pos.paths[path];
                    if let Some((_, v)) = pos
                        .values
                        .iter_mut()
                        .rev()
                        .find(|(p, _)| &pos.paths[p.clone()] == name)
                    {
                        v.end = v.end.max(r.end);
                    }
                }
                finish_value(&mut stack);
                continue;
            }
            _ => {}
        }
        let r = span_of(&span);
        // What path does a node starting here get, and is it a key?
        let (node_path, is_key) = match stack.last_mut() {
            None => (0..0, false),
            Some(Frame::Seq { path, index }) => {
                let (parent, i) = (path.clone(), *index);
                (pos.push_index(&mut scratch, &parent, i), false)
            }
            Some(Frame::Map { path, key, .. }) => match key {
                None => (path.clone(), true),
                Some(full) => (full.clone(), false),
            },
        };
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    diags.push(
                        Diagnostic::error(
                            "yaml-multiple-documents",
                            "a second YAML document starts here",
                        )
                        .at(src, r)
                        .help("a content file holds one document; remove the extra `---`"),
                    );
                    return Err(diags);
                }
            }
            Event::Alias(_) => {
                diags.push(
                    Diagnostic::error("yaml-alias", "YAML aliases (`*name`) are not allowed")
                        .at(src, r)
                        .help("write the value out in full; anchors and aliases are refused because they can make a small file expand into gigabytes"),
                );
                return Err(diags);
            }
            Event::Scalar(value, _style, anchor, tag) => {
                if let Some(d) = refuse_anchor_or_tag(src, &r, anchor, tag.is_some()) {
                    diags.push(d);
                    return Err(diags);
                }
                if is_key {
                    let key: &str = &value;
                    if key == "<<" {
                        diags.push(
                            Diagnostic::error(
                                "yaml-merge-key",
                                "YAML merge keys (`<<`) are not allowed",
                            )
                            .at(src, r)
                            .help("write the fields out in full"),
                        );
                        return Err(diags);
                    }
                    let full = pos.push_path(&mut scratch, &node_path, key);
                    if let Some(Frame::Map {
                        key: slot, seen, ..
                    }) = stack.last_mut()
                    {
                        if let Some(first) = seen.get(&pos.paths, key) {
                            let (line, _) = src.line_col(first.start);
                            diags.push(
                                Diagnostic::error(
                                    "duplicate-key",
                                    format!("`{key}` is given twice"),
                                )
                                .at(src, r.clone())
                                .label(format!("first given on line {line}"))
                                .help("keep one of them"),
                            );
                        } else {
                            seen.insert(&pos.paths, full.clone(), key.len(), r.clone());
                        }
                        if promotional.check(&pos.paths[full.clone()], key) {
                            diags.push(
                                Diagnostic::error(
                                    "promotional-field",
                                    format!("`{key}` would rank or highlight a listing"),
                                )
                                .at(src, r.clone())
                                .label("remove this field")
                                .help(NEUTRALITY_HELP),
                            );
                        }
                        pos.keys.push((full.clone(), r));
                        *slot = Some(full);
                    }
                } else {
                    pos.values.push((node_path, r));
                    finish_value(&mut stack);
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if let Some(d) = refuse_anchor_or_tag(src, &r, anchor, tag.is_some()) {
                    diags.push(d);
                    return Err(diags);
                }
                if is_key {
                    diags.push(
                        Diagnostic::error("yaml-complex-key", "a key must be a plain word")
                            .at(src, r),
                    );
                    return Err(diags);
                }
                if stack.len() >= MAX_DEPTH {
                    diags.push(
                        Diagnostic::error(
                            "yaml-too-deep",
                            format!("nesting deeper than {MAX_DEPTH} levels"),
                        )
                        .at(src, r)
                        .help("content files are at most a few levels deep; check the indentation"),
                    );
                    return Err(diags);
                }
                pos.values.push((node_path.clone(), r));
                if is_map {
                    stack.push(Frame::Map {
                        path: node_path,
                        key: None,
                        seen: Seen::Few(Vec::new()),
                    });
                } else {
                    stack.push(Frame::Seq {
                        path: node_path,
                        index: 0,
                    });
                }
            }
            _ => {}
        }
    }
    if documents == 0 || pos.values.is_empty() {
        diags.push(
            Diagnostic::error("empty-yaml", "there is no YAML here")
                .at(src, range.start..range.start)
                .help("fill in the required fields; `hotdesk new` writes a file with all of them"),
        );
    }
    if diags.is_empty() {
        Ok(pos)
    } else {
        Err(diags)
    }
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// After a complete value: a map waits for its next key, a sequence moves to its next item.
fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        None => {}
    }
}

fn refuse_anchor_or_tag(
    src: &Arc<SourceFile>,
    r: &Range<usize>,
    anchor: usize,
    tagged: bool,
) -> Option<Diagnostic> {
    if anchor != 0 {
        return Some(
            Diagnostic::error("yaml-anchor", "YAML anchors (`&name`) are not allowed")
                .at(src, r.clone())
                .help("write values out in full; anchors and aliases are refused because they can make a small file expand into gigabytes"),
        );
    }
    if tagged {
        return Some(
            Diagnostic::error("yaml-tag", "YAML tags (`!name`) are not allowed")
                .at(src, r.clone())
                .help("remove the tag; quote the value if it should be text"),
        );
    }
    None
}

fn scan_error(
    src: &Arc<SourceFile>,
    e: &ScanError,
    to_offset: &dyn Fn(usize, usize) -> usize,
) -> Diagnostic {
    let m = e.marker();
    let at = to_offset(m.line().max(1), m.col());
    let info = e.info();
    let mut d = Diagnostic::error("yaml-syntax", format!("YAML syntax error: {info}"))
        .at(src, at..token_end(&src.text, at));
    if info.contains("tab") {
        d = d.help("indent with spaces, not tabs");
    } else if info.contains("mapping values are not allowed") {
        d = d.help("a value that contains `: ` must be quoted");
    } else {
        d = d.help("check the indentation and quoting on this line and the one above");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::simple_line;

    /// The rules of [`needs_scan`] written plainly, one pass per rule: what the one-pass
    /// version must agree with.
    fn needs_scan_reference(text: &str) -> bool {
        let bytes = text.as_bytes();
        let special = bytes.iter().enumerate().any(|(i, &b)| match b {
            // Indicators that only act at the start of a token, which cannot follow a letter
            // or digit: `Q&A`, `50%` and `a?q=1` in a URL are text to both parsers.
            b'&' | b'*' | b'!' | b'%' | b'#' | b'?' | b'|' | b'>' => {
                i == 0 || !bytes[i - 1].is_ascii_alphanumeric()
            }
            // libyaml reads `[a, -]` as the text `-`; saphyr refuses it.
            b'-' => matches!(bytes.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}')),
            b'<' | b'`' | b'\\' | 0x7f => true,
            b'\n' => false,
            b => b < 0x20,
        });
        special
            || text.lines().any(|line| !simple_line(line))
            || bytes.starts_with(b"...")
            // NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR, BOM, NO-BREAK SPACE.
            || ["\u{85}", "\u{2028}", "\u{2029}", "\u{feff}", "\u{a0}"]
                .iter()
                .any(|c| text.contains(c))
    }

    #[test]
    fn needs_scan_agrees_with_its_plain_reference() {
        // Every byte the rules look at, as single characters and in runs, in documents
        // of every shape: a fixed walk through the alphabet (xorshift), so a failure
        // repeats.
        let alphabet: Vec<&str> = vec![
            "a", "Z", "7", " ", " ", ":", ": ", "\n", "\n", "\n  ", "- ", "-", ",", ".", "...",
            "&", "*", "!", "%", "#", "?", "|", ">", "<", "`", "\\", "\u{7f}", "\t", "\r", "\"",
            "'", "[", "]", "{", "}", "_", "key: ", "- item", "é", "\u{85}", "\u{a0}", "\u{2028}",
            "\u{2029}", "\u{feff}", "\u{2027}", "\u{c5}", "€", "\u{fefe}",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        // Documents of up to four lines, each a line start (a key, list items, nothing)
        // and a few pieces.
        let starts = ["", "key: ", "- ", "- - ", "  ", "- item", "a:", "..."];
        let mut differ = Vec::new();
        for _ in 0..300_000 {
            let mut text = String::new();
            for line in 0..1 + next(4) {
                if line > 0 {
                    text.push_str(["\n", "\r\n", "\n\n"][next(3)]);
                }
                text.push_str(starts[next(starts.len())]);
                for _ in 0..next(6) {
                    text.push_str(alphabet[next(alphabet.len())]);
                }
            }
            if needs_scan(&text) != needs_scan_reference(&text) {
                differ.push(text);
            }
        }
        for text in [
            "",
            "name: A\n",
            "name: A\nsummary: \"b\"\n",
            "...",
            "a: [x, y]\nb: {c: d}\n",
            "- a\n- b\n",
            "url: https://a.example/?q=1&b=2\n",
        ] {
            if needs_scan(text) != needs_scan_reference(text) {
                differ.push(text.to_string());
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ, e.g. {:?}",
            differ.len(),
            &differ[..differ.len().min(5)]
        );
    }
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct T {
        name: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn file(text: &str) -> Arc<SourceFile> {
        SourceFile::new("content/x.yaml", text)
    }

    #[test]
    fn records_positions_of_list_items() {
        let f = file("name: a\ntags:\n  - one\n  - two\n");
        let (t, pos) = parse::<T>(&f, 0..f.text.len()).unwrap();
        assert_eq!(t.tags, ["one", "two"]);
        assert_eq!(t.name, "a");
        let r = pos.value("tags.1");
        assert_eq!(&f.text[r], "two");
        assert_eq!(&f.text[pos.key("tags")], "tags");
    }

    #[test]
    fn refuses_aliases_before_serde_sees_them() {
        let f = file("name: &a x\ntags: [*a, *a]\n");
        let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.code, "yaml-anchor");
        assert_eq!(d.line_col(), Some((1, 7)));
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let f = file("nmae: a\n");
        let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.code, "unknown-field");
        assert_eq!(d.label.as_deref(), Some("did you mean `name`?"));
        assert_eq!(d.line_col(), Some((1, 1)));
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let f = file("name: a\nname: b\n");
        let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.code, "duplicate-key");
        assert_eq!(d.line_col(), Some((2, 1)));
        assert_eq!(d.label.as_deref(), Some("first given on line 1"));
    }

    #[test]
    fn promotional_keys_explain_the_policy() {
        let f = file("name: a\nfeatured: true\n");
        let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
        let d = err.iter().find(|d| d.code == "promotional-field").unwrap();
        assert!(d.help.as_deref().unwrap().contains("favours no space"));
    }

    #[test]
    fn promotional_words_inside_keys_are_refused_but_the_listing_order_is_not() {
        use std::path::Path;
        let space = Path::new("content/spaces/a.md");
        let site = Path::new("content/site.yaml");
        for key in ["is_featured", "Sort-Order", "paid_placement", "top", "RANK"] {
            assert!(is_promotional(space, key, key), "{key}");
        }
        for key in [
            "name",
            "first_screen",
            "drop_in",
            "desktop_count",
            "laptops",
        ] {
            assert!(!is_promotional(space, key, key), "{key}");
        }
        // The directory-wide order policy is allowed, and only there.
        assert!(!is_promotional(site, "listing.order", "order"));
        let strings = Path::new("themes/default/strings/en.yaml");
        assert!(!is_promotional(
            strings,
            "order_note_shuffle",
            "order_note_shuffle"
        ));
        assert!(is_promotional(site, "order", "order"));
        assert!(is_promotional(space, "listing.order", "order"));
    }

    #[test]
    fn the_scan_refuses_exactly_the_keys_is_promotional_refuses() {
        let space = std::path::Path::new("content/spaces/a.md");
        let check = PromotionalCheck::new(space);
        let mut keys: Vec<String> = PROMOTIONAL_KEYS
            .iter()
            .flat_map(|k| {
                [
                    k.to_string(),
                    k.to_uppercase(),
                    format!("is_{k}"),
                    format!("{k}-x"),
                    format!("{k}s"),
                    k[1..].to_string(),
                ]
            })
            .collect();
        keys.extend(["name", "", "_", "highlightedx", "toppings", "Top", "tÖp"].map(String::from));
        for key in keys {
            assert_eq!(
                check.check(&key, &key),
                is_promotional(space, &key, &key),
                "{key}"
            );
        }
    }

    #[test]
    fn no_field_of_the_content_model_is_promotional() {
        fn keys(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, child) in map {
                        if k == "properties" {
                            if let serde_json::Value::Object(props) = child {
                                for (name, schema) in props {
                                    let full = if path.is_empty() {
                                        name.clone()
                                    } else {
                                        format!("{path}.{name}")
                                    };
                                    out.push((full.clone(), name.clone()));
                                    keys(schema, &full, out);
                                }
                            }
                        } else {
                            keys(child, path, out);
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|i| keys(i, path, out)),
                _ => {}
            }
        }
        use crate::raw::*;
        use schemars::schema_for;
        let schemas = [
            ("content/site.yaml", schema_for!(RawSite)),
            ("content/amenities.yaml", schema_for!(RawAmenities)),
            ("content/regions.yaml", schema_for!(RawRegions)),
            ("content/spaces/a.md", schema_for!(RawSpace)),
            ("content/partnerships/a.md", schema_for!(RawPartnership)),
            ("content/sessions/a.md", schema_for!(RawSession)),
            ("content/pages/a.md", schema_for!(RawPage)),
        ];
        for (file, schema) in schemas {
            let mut found = Vec::new();
            keys(&schema.to_value(), "", &mut found);
            assert!(!found.is_empty(), "{file}: no properties found");
            for (full, key) in found {
                // Definitions are walked without their parent path; `order` is only ever
                // the listing policy's.
                let full = if key == "order" && file == "content/site.yaml" {
                    "listing.order".to_owned()
                } else {
                    full
                };
                assert!(
                    !is_promotional(std::path::Path::new(file), &full, &key),
                    "{file}: `{full}` would be refused as promotional"
                );
            }
        }
    }

    #[test]
    fn positions_count_from_the_top_of_the_file() {
        let f = file("---\nname: a\ntags: [x, 3]\n---\nbody\n");
        let start = 4;
        let end = f.text.find("---\nbody").unwrap();
        let (_, pos) = parse::<T>(&f, start..end).unwrap();
        assert_eq!(f.line_col(pos.value("tags.0").start), (3, 8));
    }

    #[test]
    fn tabs_are_a_located_syntax_error() {
        let f = file("name: a\ntags:\n\t- x\n");
        let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.code, "yaml-syntax");
        assert_eq!(d.line_col().unwrap().0, 3);
    }
}

#[cfg(test)]
mod lazy_tests {
    use super::*;
    use crate::raw::{RawAmenities, RawPage, RawSession};
    use std::fmt::Debug;

    /// A session's required fields other than `title` and `host`.
    const BASE: &str =
        "start: \"2026-05-28T10:00\"\nend: \"2026-05-28T11:00\"\nlanguage: de\nstatus: scheduled\n";

    fn file(text: &str) -> Arc<SourceFile> {
        SourceFile::new("content/sessions/a.md", text)
    }

    /// Both paths' whole outcome, as text: value or every diagnostic, and every position.
    fn both<T: Closed + Debug>(text: &str) -> (String, String) {
        let f = file(text);
        // The file may not keep the text as it is (a line ending), so its length counts.
        let all = 0..f.text.len();
        let lazy = format!("{:?}", parse_closed::<T>(&f, all.clone()));
        let eager = format!("{:?}", parse::<T>(&f, all));
        (lazy, eager)
    }

    fn errors<T: Closed + Debug>(text: &str) -> Diagnostics {
        let f = file(text);
        parse_closed::<T>(&f, 0..f.text.len()).unwrap_err()
    }

    #[test]
    fn every_special_construct_goes_to_the_scan_first() {
        let page = |rest: &str| format!("title: x\n{rest}");
        let special = [
            page("description: &a x\n"),
            page("description: *a\n"),
            page("description: !x y\n"),
            page("description: ! y\n"),
            "<<: {title: x}\n".to_owned(),
            "%YAML 1.2\n---\ntitle: x\n".to_owned(),
            "---\ntitle: x\n".to_owned(),
            page("...\n"),
            page("description:\tx\n"),
            page("description: x\r\n"),
            page("description: |\n  x\n"),
            page("description: >\n  x\n"),
            "? title\n: x\n".to_owned(),
            page("description: x # note\n"),
            page("description: \"a\\tb\"\n"),
            page("description: `x`\n"),
            page("description: a\u{85}b\n"),
            page("description: a\u{2028}b\n"),
            "\u{feff}title: x\n".to_owned(),
            page("description: a\u{a0}b\n"),
            page("description: a\u{1}b\n"),
            // Continued values, which saphyr wants indented more than libyaml does.
            page("description: \"a\nb\"\n"),
            page("description: 'a\nb'\n"),
            page("description: a\n  b\n"),
            format!("title: x\n{BASE}host: {{body: x,\nrole: y}}\n"),
            format!("title: x\n{BASE}host: {{body: x, role: y}}\ntopics: [a,\nb]\n"),
            format!("title: x\n{BASE}host: {{body: x, role: y}}\ntopics: [a, -]\n"),
            "\"title\": x\n".to_owned(),
        ];
        for text in &special {
            assert!(needs_scan(text), "{text:?}");
            let (lazy, eager) = both::<RawPage>(text);
            assert_eq!(lazy, eager, "{text:?}");
        }
        // Text that merely contains an indicator is not special.
        for text in [
            "title: Q&A with the team\ndescription: 50% off, 5*\n",
            "title: \"Q&A\"\ndescription: https://x.example/a?b=1#top\n",
            "title: a-b\ndescription: x>y|z\n",
        ] {
            assert!(!needs_scan(text), "{text:?}");
        }
    }

    /// Documents the filter lets through: whenever serde_yaml (libyaml) accepts one as
    /// the content model, saphyr must accept it too, or a file the scan used to refuse
    /// would now load. Each case was tried against both parsers; those on which they
    /// disagree are the reason for a rule of [`needs_scan`], and the test says so.
    #[test]
    fn the_scan_accepts_whatever_serde_accepts_past_the_filter() {
        let cases = [
            "title: a\n  b\nhost: {body: x, role: y}\n",
            "title: a\n\n  b\nhost: {body: x, role: y}\n",
            "title: \"a\nb\"\nhost: {body: x, role: y}\n",
            "title: 'a\nb'\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x,\nrole: y}\n",
            "title: x\nhost: {body: x,\n role: y}\n",
            "title: x\nhost: {\"body\":x, role: y}\n",
            "title: x\nhost: {body: x, role: y,}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, b,]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a,\nb]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a,\n  b]\n",
            "title: x\nhost: {body: x, role: y}\ntopics:\n- a\n- b\n",
            "title: x\nhost:\n    body: x\n    role: y\n",
            "  title: x\n  host: {body: x, role: y}\n",
            "title   : x\nhost: {body: x, role: y}\n",
            "\"title\": x\nhost: {body: x, role: y}\n",
            "'title': x\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [\"a\" ,\"b\" ]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a b, c:d]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a:b]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [\"a\":b]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [-a, - b]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, -]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: []\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [,]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a,,b]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [ a ]   \n",
            "title: x\nhost: {body: x, role: y}\ntopics:\n  - a\n  -  b\n  -\n    c\n",
            "title: x\nhost: {body: x, role: y}\ntopics: {}\n",
            "title: x\nhost: {body: x, role: y}\n\n\n\n",
            "title: x\nhost: {body: x, role: y}\n ",
            "title: x\nhost: {body: x, role: y}",
            "title: x \nhost: {body: x , role: y }\n",
            "title: x:y\nhost: {body: x, role: y}\n",
            "title: x: y\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x:y, role: y}\n",
            "title: x\nhost: {body: 'x'y, role: y}\n",
            "title: 'x' \nhost: {body: x, role: y}\n",
            "title: \"x\"y\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a]b\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [[a]]\n",
            "title: x\nhost:\n  {body: x, role: y}\n",
            "title: x\nhost:\n{body: x, role: y}\n",
            "title: x\nhost: {body: x, role: y}\ntopics:\n    - a\n  \n    - b\n",
            "title: -\nhost: {body: x, role: y}\n",
            "title: ~\nhost: {body: x, role: y}\n",
            "title: 1e3\nhost: {body: x, role: y}\n",
            "title: 'a''b'\nhost: {body: x, role: y}\n",
            "title: \"\"\nhost: {body: x, role: y}\n",
            "title:\nhost: {body: x, role: y}\n",
            "title: é\nhost: {body: x, role: y}\n",
            "title: x\nhost: { body : x , role : y }\n",
            "title: x\nhost: {body, role: y}\n",
            "title: x\nhost: {? body: x}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, {b: c}]\n",
            "title: x\nhost: {body: x, role: y}\ncapacity: 0x1F\n",
            "title: x\nhost: {body: x, role: y}\ncapacity: 0o17\n",
            "title: x\nhost: {body: x, role: y}\ncapacity: +12\n",
            "title: x\nhost: {body: x, role: y}\ncapacity: 1_000\n",
            "title: x\nhost: {body: x, role: y}\nfree: yes\n",
            "title: x\nhost: {body: x, role: y}\nfree: True\n",
            "title: x\nhost: {body: x, role: y}\nspace: null\n",
            "title: x\nhost: {body: x, role: y}\nspace: Null\n",
            "title: x\nhost: {body: x, role: y}\nspace: NULL\n",
            "title: x\nhost: {body: x, role: y}\nspace: \n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, :]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [:a]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, :a]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [-a]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a-]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, -1]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, \"b\" ]\n",
            "title: x\nhost: {body: x, role: -b}\n",
            "title: x\nhost: {body: x, role: :b}\n",
            "title: x\nhost: {body: x, role: b:}\n",
            "title: x\nhost: {body: x, role: b: c}\n",
            "title: x\nhost: {body: x, role: [a]}\n",
            "title: :x\nhost: {body: x, role: y}\n",
            "title: ::\nhost: {body: x, role: y}\n",
            "title: x:\nhost: {body: x, role: y}\n",
            "title: -x\nhost: {body: x, role: y}\n",
            "title: x, y\nhost: {body: x, role: y}\n",
            "title: x]\nhost: {body: x, role: y}\n",
            "title: x}\nhost: {body: x, role: y}\n",
            "title: ]x[\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, b]   \n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a , b , ]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a,b]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [ ]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [\"a\",b]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: ['a','b']\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, 'b''c']\n",
            "title: x\nhost: {body: x, role: y}\ntopics: ['']\n",
            "title: x\nhost: {body: x,role: y}\n",
            "title: x\nhost: {body:x, role: y}\n",
            "title: x\nhost: {\"body\":\"x\", \"role\":\"y\"}\n",
            "title: x\nhost: {'body':x, role: y}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, \"b\":c]\n",
            "title: x\nhost:\n   body: x\n   role: y\n",
            "title: x\nhost:\n body: x\n role: y\n",
            "title: x\nhost: {body: x, role: y}\ntopics:\n - a\n -   b\n",
            "title: x\nhost: {body: x, role: y}\ntopics:\n- - a\n",
            "title: x\nhost: {body: x, role: y}\ntopics:   [a]\n",
            "title:    x\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x, role: y} \n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, b]\n\n  \n",
            "title: x\nhost: {body: x, role: y}\ncapacity: 12.0\n",
            "title: x\nhost: {body: x, role: y}\ncapacity: .inf\n",
            "title: x\nhost: {body: x, role: y}\ncapacity: 012\n",
            "title: x\nhost: {body: x, role: y}\ncapacity: \"12\"\n",
            "title: x\nhost: {body: x, role: y}\nfree: \"true\"\n",
            "title: 2026-01-01\nhost: {body: x, role: y}\n",
            "title: 12:30\nhost: {body: x, role: y}\n",
            "title: 1_0\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x, role: y}\nstatus: scheduled\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [featured:x]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [featured: x]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [\"featured\":x]\n",
            "title: x\nhost: {body: x, role: y}\ntopics: ['featured':x]\n",
            "title: x\nhost: {body: x, role: y, featured:x}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, {featured}]\n",
            "title: featured:x\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x, role: y}\nspace: [a]\n",
        ];
        let mut through = 0;
        for case in cases {
            let text = format!("{BASE}{case}");
            let f = file(&text);
            let serde_ok = serde_yaml::from_str::<RawSession>(&text).is_ok();
            let to_offset = |line: usize, col0: usize| f.offset_of(line, col0);
            let scanned = scan(&f, &text, 0..text.len(), &to_offset);
            if serde_ok && !needs_scan(&text) {
                through += 1;
                assert!(
                    scanned.is_ok(),
                    "saphyr refuses {case:?}: {:?}",
                    scanned.err()
                );
                // And the lazy path gives what the eager one gives.
                let (lazy, eager) = both::<RawSession>(&text);
                assert_eq!(lazy, eager, "{case:?}");
            }
        }
        assert!(through > 40, "only {through} cases took the fast path");
        // The disagreements found: libyaml accepts, saphyr refuses.
        for case in [
            "title: \"a\nb\"\nhost: {body: x, role: y}\n",
            "title: x\nhost: {body: x,\nrole: y}\n",
            "title: x\nhost: {body: x, role: y}\ntopics: [a, -]\n",
        ] {
            let text = format!("{BASE}{case}");
            let f = file(&text);
            let to_offset = |line: usize, col0: usize| f.offset_of(line, col0);
            assert!(
                serde_yaml::from_str::<RawSession>(&text).is_ok(),
                "{case:?}"
            );
            assert!(
                scan(&f, &text, 0..text.len(), &to_offset).is_err(),
                "{case:?}"
            );
            assert!(needs_scan(&text), "{case:?}");
            assert_eq!(
                errors::<RawSession>(&text).iter().next().unwrap().code,
                "yaml-syntax"
            );
        }
    }

    #[test]
    fn duplicate_keys_are_reported_as_before_at_every_level() {
        let session = |title: &str, host: &str| format!("title: {title}\n{BASE}host:\n{host}");
        let cases = [
            // Top level.
            (
                session("a\ntitle: b", "  body: x\n  role: y\n"),
                "title",
                (2, 1),
                1,
            ),
            // In a sub-struct, block and flow.
            (
                session("a", "  body: x\n  role: y\n  body: z\n"),
                "body",
                (9, 3),
                7,
            ),
            (
                format!("title: a\n{BASE}host: {{body: x, role: y, role: z}}\n"),
                "role",
                (6, 26),
                6,
            ),
        ];
        // In a list item.
        let amenities = "categories:\n  - id: a\n    name: A\n    id: b\namenities: []\n";
        for (text, key, at, first) in &cases {
            assert!(serde_yaml::from_str::<RawSession>(text).is_err(), "{text}");
            assert!(!needs_scan(text), "{text}");
            let (lazy, eager) = both::<RawSession>(text);
            assert_eq!(lazy, eager);
            let diags = errors::<RawSession>(text);
            let d = diags.iter().next().unwrap();
            assert_eq!(d.code, "duplicate-key");
            assert_eq!(d.message, format!("`{key}` is given twice"));
            assert_eq!(d.line_col(), Some(*at), "{text}");
            assert_eq!(d.label, Some(format!("first given on line {first}")));
        }
        assert!(serde_yaml::from_str::<RawAmenities>(amenities).is_err());
        assert!(!needs_scan(amenities));
        let (lazy, eager) = both::<RawAmenities>(amenities);
        assert_eq!(lazy, eager);
        let diags = errors::<RawAmenities>(amenities);
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, "duplicate-key");
        assert_eq!(d.line_col(), Some((4, 5)));
        assert_eq!(d.label.as_deref(), Some("first given on line 2"));
    }

    #[test]
    fn promotional_keys_are_reported_with_the_policy_at_every_level() {
        for text in [
            "title: a\nfeatured: true\n".to_owned(),
            format!("title: a\n{BASE}host: {{body: x, role: y, rank: 1}}\n"),
            format!("title: a\n{BASE}host:\n  body: x\n  role: y\n  is_sponsored: yes\n"),
        ] {
            assert!(!needs_scan(&text), "{text}");
            let diags = if text.contains("host") {
                assert!(serde_yaml::from_str::<RawSession>(&text).is_err());
                let (lazy, eager) = both::<RawSession>(&text);
                assert_eq!(lazy, eager);
                errors::<RawSession>(&text)
            } else {
                assert!(serde_yaml::from_str::<RawPage>(&text).is_err());
                let (lazy, eager) = both::<RawPage>(&text);
                assert_eq!(lazy, eager);
                errors::<RawPage>(&text)
            };
            let d = diags
                .iter()
                .find(|d| d.code == "promotional-field")
                .unwrap_or_else(|| panic!("{text}: {diags:?}"));
            assert_eq!(d.help.as_deref(), Some(NEUTRALITY_HELP));
        }
    }

    #[test]
    fn deep_nesting_is_refused_as_before() {
        let deep = format!("{}a{}", "[".repeat(20), "]".repeat(20));
        let base = BASE.replace("status: scheduled\n", "");
        for text in [
            format!("title: x\n{BASE}host: {{body: x, role: y}}\ntopics: {deep}\n"),
            format!("title: x\n{base}host: {{body: x, role: y}}\nstatus: {{scheduled: {deep}}}\n"),
            format!(
                "title: x\n{base}host: {{body: x, role: y}}\nstatus: {{scheduled: {{a: {deep}}}}}\n"
            ),
        ] {
            assert!(!needs_scan(&text));
            assert!(serde_yaml::from_str::<RawSession>(&text).is_err());
            let (lazy, eager) = both::<RawSession>(&text);
            assert_eq!(lazy, eager);
            assert_eq!(
                errors::<RawSession>(&text).iter().next().unwrap().code,
                "yaml-too-deep"
            );
        }
    }

    #[test]
    fn lazily_scanned_positions_are_the_eager_ones() {
        let text = format!(
            "---\ntitle: \"Q&A\"\n{BASE}host:\n  body: Office\n  role: Officer\ntopics: [a, b]\n---\nbody\n"
        );
        let f = file(&text);
        let range = 4..text.find("---\nbody").unwrap();
        let (_, lazy) = parse_closed::<RawSession>(&f, range.clone()).unwrap();
        let (_, eager) = parse::<RawSession>(&f, range).unwrap();
        assert!(!lazy.is_scanned(), "scanned before any lookup");
        assert!(eager.is_scanned());
        for path in [
            "title",
            "start",
            "status",
            "host",
            "host.body",
            "host.role",
            "topics",
            "topics.1",
            "topics.7",
            "nothing",
            "",
        ] {
            let d = |pos: &Positions| {
                Diagnostic::warning("x", "x")
                    .at(&f, pos.value(path))
                    .line_col()
            };
            assert_eq!(d(&lazy), d(&eager), "{path}");
            assert_eq!(lazy.value(path), eager.value(path), "{path}");
            assert_eq!(lazy.key(path), eager.key(path), "{path}");
            assert_eq!(lazy.has(path), eager.has(path), "{path}");
        }
        assert!(lazy.is_scanned());
        assert_eq!(f.line_col(lazy.value("host.role").start), (9, 9));
        assert_eq!(format!("{lazy:?}"), format!("{eager:?}"));
    }
}
