//! The safety scan: a YAML document read as a stream of events, before serde sees it.
//!
//! Content comes from strangers' pull requests, and serde_yaml alone is not safe on it (see
//! [`super::yaml`]). The scan reads a document with `saphyr-parser`, builds no values, and
//! - refuses anchors, aliases, tags and merge keys (content never needs them),
//! - caps nesting depth,
//! - refuses duplicate keys, naming both places,
//! - refuses fields that would rank a listing ([`super::promotional`]),
//! - and records the position of every key and value in a [`Positions`] table, so that
//!   later stages can point a meaning error ("unknown amenity") at its line and column.
//!
//! It owns the positions because it is what fills them, also lazily, on the first lookup
//! of a document serde accepted without it. It never deserializes: that is
//! [`super::yaml`]'s, the one caller of serde_yaml.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use saphyr_parser::{Event, Parser, ScanError, Span};

use super::promotional::{NEUTRALITY_HELP, PromotionalCheck};
use crate::error::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// Deepest nesting a content file may have; the deepest real one is 3.
const MAX_DEPTH: usize = 16;

/// Where each key and value of a YAML document is, by dotted path (`address.country`,
/// `amenities.2`), as byte ranges in the file.
///
/// Every file of the directory gets one, but only a file with a problem is ever asked
/// where something is: so for a document serde_yaml accepted without the safety scan
/// (see [`super::yaml::parse_closed`]), the scan that makes the table runs on the first lookup. The
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
pub(super) struct Table {
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
    pub(super) fn eager(table: Table) -> Self {
        Positions(Arc::new(Lazy {
            table: OnceLock::from(table),
            doc: None,
        }))
    }

    pub(super) fn lazy(src: &Arc<SourceFile>, range: Range<usize>) -> Self {
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

    pub(super) fn key_exact(&self, path: &str) -> Option<Range<usize>> {
        self.table().key_exact(path)
    }

    /// Whether the table has been made (a test counts the scans a run needs).
    #[cfg(test)]
    pub(super) fn is_scanned(&self) -> bool {
        self.0.table.get().is_some()
    }
}

/// The table of a document serde_yaml accepted without the scan. [`super::yaml`]'s filter keeps out
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
    pub(super) fn value(&self, path: &str) -> Range<usize> {
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
    pub(super) fn key(&self, path: &str) -> Range<usize> {
        self.key_exact(path).unwrap_or_else(|| self.value(path))
    }

    pub(super) fn has(&self, path: &str) -> bool {
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

/// The end of the token starting at `start`: to the end of the line or of a flow item.
pub(super) fn token_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
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

/// The safety scan: structure only, no values built. A duplicate or promotional key is
/// reported and the scan goes on; anything that could make the document expand or hide
/// its structure ends it at once.
pub(super) fn scan(
    src: &Arc<SourceFile>,
    text: &str,
    range: Range<usize>,
    to_offset: &dyn Fn(usize, usize) -> usize,
) -> Result<Table, Diagnostics> {
    let mut scan = Scan::new(src, text, &range, to_offset);
    let mut parser = Parser::new_from_str(text).keep_tags(true);
    while let Some(item) = parser.next_event() {
        let step = match item {
            Ok((event, span)) => scan.event(event, &span),
            Err(e) => scan.refuse(scan_error(src, &e, to_offset)),
        };
        if step.is_err() {
            return Err(scan.diags);
        }
    }
    scan.finish(range)
}

/// The scan stops here; the reason is its last diagnostic.
struct Refused;

/// One scan under way: the table it fills, the maps and lists open at this event, and
/// the problems found so far.
struct Scan<'a> {
    src: &'a Arc<SourceFile>,
    to_offset: &'a dyn Fn(usize, usize) -> usize,
    promotional: PromotionalCheck,
    table: Table,
    stack: Vec<Frame>,
    /// Carries a parent's path over in [`Table::push_path`].
    scratch: String,
    diags: Diagnostics,
    documents: usize,
}

impl<'a> Scan<'a> {
    fn new(
        src: &'a Arc<SourceFile>,
        text: &str,
        range: &Range<usize>,
        to_offset: &'a dyn Fn(usize, usize) -> usize,
    ) -> Self {
        // About one node per line: sized once rather than grown by doubling.
        let lines = count_lines(text.as_bytes());
        Scan {
            src,
            to_offset,
            promotional: PromotionalCheck::new(&src.path),
            table: Table {
                root: range.start..range.start,
                paths: String::with_capacity(lines * 16),
                values: Vec::with_capacity(lines + 1),
                keys: Vec::with_capacity(lines + 1),
                ..Table::default()
            },
            stack: Vec::new(),
            scratch: String::new(),
            diags: Diagnostics::new(),
            documents: 0,
        }
    }

    /// Ends the scan with `d`.
    fn refuse(&mut self, d: Diagnostic) -> Result<(), Refused> {
        self.diags.push(d);
        Err(Refused)
    }

    fn span_of(&self, s: &Span) -> Range<usize> {
        let a = (self.to_offset)(s.start.line(), s.start.col());
        let b = (self.to_offset)(s.end.line(), s.end.col());
        a..b.max(a)
    }

    /// One event of the parser; `Err` is a refusal that ends the scan.
    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<(), Refused> {
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => return Ok(()),
            Event::DocumentEnd => return Ok(()),
            Event::SequenceEnd | Event::MappingEnd => {
                let r = self.span_of(span);
                self.close(r.end);
                return Ok(());
            }
            _ => {}
        }
        let r = self.span_of(span);
        let (node_path, is_key) = self.node_path();
        match event {
            Event::DocumentStart(_) => self.document_start(r),
            Event::Alias(_) => self.refuse(Diagnostic::error(
                "yaml-alias",
                "YAML aliases (`*name`) are not allowed",
            )
            .at(self.src, r)
            .help("write the value out in full; anchors and aliases are refused because they can make a small file expand into gigabytes")),
            Event::Scalar(value, _style, anchor, tag) => {
                if let Some(d) = refuse_anchor_or_tag(self.src, &r, anchor, tag.is_some()) {
                    return self.refuse(d);
                }
                if is_key {
                    self.key(&value, &node_path, r)
                } else {
                    self.table.values.push((node_path, r));
                    finish_value(&mut self.stack);
                    Ok(())
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if let Some(d) = refuse_anchor_or_tag(self.src, &r, anchor, tag.is_some()) {
                    return self.refuse(d);
                }
                self.open(is_map, is_key, node_path, r)
            }
            _ => Ok(()),
        }
    }

    /// The path a node starting here gets, and whether it is a key.
    fn node_path(&mut self) -> (Range<usize>, bool) {
        match self.stack.last_mut() {
            None => (0..0, false),
            Some(Frame::Seq { path, index }) => {
                let (parent, i) = (path.clone(), *index);
                (self.table.push_index(&mut self.scratch, &parent, i), false)
            }
            Some(Frame::Map { path, key, .. }) => match key {
                None => (path.clone(), true),
                Some(full) => (full.clone(), false),
            },
        }
    }

    fn document_start(&mut self, r: Range<usize>) -> Result<(), Refused> {
        self.documents += 1;
        if self.documents > 1 {
            return self.refuse(
                Diagnostic::error(
                    "yaml-multiple-documents",
                    "a second YAML document starts here",
                )
                .at(self.src, r)
                .help("a content file holds one document; remove the extra `---`"),
            );
        }
        Ok(())
    }

    /// A key of the open map at `map`: recorded, and the map waits for its value. A merge
    /// key ends the scan; a key given twice or one that would rank a listing is reported.
    fn key(&mut self, key: &str, map: &Range<usize>, r: Range<usize>) -> Result<(), Refused> {
        if key == "<<" {
            return self.refuse(
                Diagnostic::error("yaml-merge-key", "YAML merge keys (`<<`) are not allowed")
                    .at(self.src, r)
                    .help("write the fields out in full"),
            );
        }
        let full = self.table.push_path(&mut self.scratch, map, key);
        if let Some(Frame::Map {
            key: slot, seen, ..
        }) = self.stack.last_mut()
        {
            if let Some(first) = seen.get(&self.table.paths, key) {
                let (line, _) = self.src.line_col(first.start);
                self.diags.push(
                    Diagnostic::error("duplicate-key", format!("`{key}` is given twice"))
                        .at(self.src, r.clone())
                        .label(format!("first given on line {line}"))
                        .help("keep one of them"),
                );
            } else {
                seen.insert(&self.table.paths, full.clone(), key.len(), r.clone());
            }
            if self.promotional.check(&self.table.paths[full.clone()], key) {
                self.diags.push(
                    Diagnostic::error(
                        "promotional-field",
                        format!("`{key}` would rank or highlight a listing"),
                    )
                    .at(self.src, r.clone())
                    .label("remove this field")
                    .help(NEUTRALITY_HELP),
                );
            }
            self.table.keys.push((full.clone(), r));
            *slot = Some(full);
        }
        Ok(())
    }

    /// The start of a map or a list at `path`: refused as a key or deeper than
    /// [`MAX_DEPTH`]; else recorded and opened.
    fn open(
        &mut self,
        is_map: bool,
        is_key: bool,
        path: Range<usize>,
        r: Range<usize>,
    ) -> Result<(), Refused> {
        if is_key {
            return self.refuse(
                Diagnostic::error("yaml-complex-key", "a key must be a plain word").at(self.src, r),
            );
        }
        if self.stack.len() >= MAX_DEPTH {
            return self.refuse(
                Diagnostic::error(
                    "yaml-too-deep",
                    format!("nesting deeper than {MAX_DEPTH} levels"),
                )
                .at(self.src, r)
                .help("content files are at most a few levels deep; check the indentation"),
            );
        }
        self.table.values.push((path.clone(), r));
        self.stack.push(if is_map {
            Frame::Map {
                path,
                key: None,
                seen: Seen::Few(Vec::new()),
            }
        } else {
            Frame::Seq { path, index: 0 }
        });
        Ok(())
    }

    /// The end of the innermost map or list, at byte `end`.
    fn close(&mut self, end: usize) {
        if let Some(Frame::Map { path, .. } | Frame::Seq { path, .. }) = self.stack.pop() {
            // Extend the container's span to its end, for "missing field" pointers:
            // the last node at its path, as a map by path would hold.
            let name = &self.table.paths[path];
            if let Some((_, v)) = self
                .table
                .values
                .iter_mut()
                .rev()
                .find(|(p, _)| &self.table.paths[p.clone()] == name)
            {
                v.end = v.end.max(end);
            }
        }
        finish_value(&mut self.stack);
    }

    /// The table, unless the document was empty or a problem was found.
    fn finish(mut self, range: Range<usize>) -> Result<Table, Diagnostics> {
        if self.documents == 0 || self.table.values.is_empty() {
            self.diags.push(
                Diagnostic::error("empty-yaml", "there is no YAML here")
                    .at(self.src, range.start..range.start)
                    .help(
                        "fill in the required fields; `hotdesk new` writes a file with all of them",
                    ),
            );
        }
        if self.diags.is_empty() {
            Ok(self.table)
        } else {
            Err(self.diags)
        }
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

/// Anchors and tags are refused wherever they are: an alias can make a small file
/// expand into gigabytes, and content never needs either.
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
