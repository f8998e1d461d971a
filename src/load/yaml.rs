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
/// where something is: so the paths are written one after another into one string, with
/// no map built, and the sorted index that makes a lookup fast is made on the first
/// lookup. As with a map filled in document order, the last node of a path wins.
#[derive(Debug, Default)]
pub struct Positions {
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
        child: impl std::fmt::Display,
    ) -> Range<usize> {
        use std::fmt::Write as _;
        let start = self.paths.len();
        if !parent.is_empty() {
            scratch.clear();
            scratch.push_str(&self.paths[parent.clone()]);
            self.paths.push_str(scratch);
            self.paths.push('.');
        }
        let _ = write!(self.paths, "{child}");
        start..self.paths.len()
    }
}

/// Parses `range` of `src` (the whole file for `.yaml`, the front matter for `.md`) into `T`.
pub fn parse<T: DeserializeOwned>(
    src: &Arc<SourceFile>,
    range: Range<usize>,
) -> Result<(T, Positions), Diagnostics> {
    let text = &src.text[range.clone()];
    let base_line = src.line_col(range.start).0;
    let to_offset = |line: usize, col0: usize| src.offset_of(base_line + line - 1, col0);

    let positions = scan(src, text, range.clone(), &to_offset)?;

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
        d = match crate::validate::did_you_mean(name, options.iter().copied()) {
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
        let word = |w: &str| PROMOTIONAL_KEYS.iter().any(|p| p.eq_ignore_ascii_case(w));
        word(key) || key.split(['_', '-']).any(word)
    }
}

/// The safety scan: structure only, no values built.
fn scan(
    src: &Arc<SourceFile>,
    text: &str,
    range: Range<usize>,
    to_offset: &dyn Fn(usize, usize) -> usize,
) -> Result<Positions, Diagnostics> {
    let mut pos = Positions {
        root: range.start..range.start,
        ..Positions::default()
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
                (pos.push_path(&mut scratch, &parent, i), false)
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
