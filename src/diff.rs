//! `hotdesk diff --base REV`: what a pull request changes in the directory, as Markdown
//! for the reviewer (and the job summary of the pull request's checks).
//!
//! The base revision's `content/` is read with `git` run as a subprocess (`ls-tree`,
//! then one `cat-file --batch` for every blob, so ten thousand files cost two
//! processes), written into a scratch folder, and loaded by the same loader as the
//! working tree. A subprocess rather than a git library keeps the dependencies small and
//! reads the repository exactly as the contributor's own git does (same config, same
//! object formats). Both sides are then compared as the structs authors type
//! ([`crate::raw`]), turned into JSON values: a field added to those structs shows up
//! here without a change to this module.
//!
//! Lists are compared as sets (amenities: "added `parking`"), lists of records by their
//! id or name (`plans[Day pass].price: 25 → 30`), and the Markdown body as a whole. A
//! file that cannot be read on either side is named, not guessed at; `check` says why.
//! Static files (images) are not compared. This module only reads.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::load::{self, Entry, Loaded};

/// The Markdown summary of the changes to `root/content` since `base`.
pub fn diff(root: &Path, base: &str) -> Result<String> {
    if base.starts_with('-') || base.trim().is_empty() {
        return Err(Error::Usage(format!(
            "`{base}` is not a revision; give e.g. --base origin/main"
        )));
    }
    let short = String::from_utf8_lossy(&git(root, &["rev-parse", "--short", base], None)?)
        .trim()
        .to_owned();
    let scratch = tempfile::Builder::new()
        .prefix("hotdesk-diff-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let base_files = checkout_content(root, base, scratch.path())?;
    let (old, _) = load::load(scratch.path())?;
    let (new, _) = load::load(root)?;
    let exists_now = |rel: &str| root.join(rel).exists();
    let sections = compare(&old, &new, &|rel| base_files.contains(rel), &exists_now);
    Ok(render(base, &short, &sections))
}

/// Runs `git -C root ARGS`, feeding `input` on stdin; its stdout, or its stderr as the error.
fn git(root: &Path, args: &[&str], input: Option<Vec<u8>>) -> Result<Vec<u8>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Usage("`hotdesk diff` needs git, which is not on the PATH".into())
            } else {
                Error::io("git", e)
            }
        })?;
    // Write from another thread: git answers while it reads, and both pipes are bounded.
    let writer = match (input, child.stdin.take()) {
        (Some(bytes), Some(mut stdin)) => Some(std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        })),
        _ => None,
    };
    let output = child.wait_with_output().map_err(|e| Error::io("git", e))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    if !output.status.success() {
        return Err(Error::Usage(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}

/// Writes the base revision's `content/` (but `content/static/`) under `dest`; returns
/// the paths written, relative to the site root.
fn checkout_content(root: &Path, base: &str, dest: &Path) -> Result<BTreeSet<String>> {
    let content = dest.join("content");
    std::fs::create_dir_all(&content).map_err(|e| Error::io(&content, e))?;
    let listing = git(root, &["ls-tree", "-r", "-z", base, "--", "content"], None)?;
    let mut blobs: Vec<(String, String)> = Vec::new();
    for record in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, path)) = record.split_once('\t') else {
            continue;
        };
        let meta: Vec<&str> = meta.split(' ').collect();
        // Regular files only: no symlinks (120000) or submodules.
        let regular = matches!(meta.as_slice(), ["100644" | "100755", "blob", _]);
        if regular && !path.starts_with("content/static/") && !path.contains("..") {
            blobs.push((meta[2].to_owned(), path.to_owned()));
        }
    }
    if blobs.is_empty() {
        return Ok(BTreeSet::new());
    }
    let mut request = String::new();
    for (oid, _) in &blobs {
        let _ = writeln!(request, "{oid}");
    }
    let bytes = git(root, &["cat-file", "--batch"], Some(request.into_bytes()))?;
    let mut reader = BufReader::new(bytes.as_slice());
    let mut written = BTreeSet::new();
    for (oid, path) in &blobs {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| Error::io("git cat-file", e))?;
        let size: usize = match header.split_whitespace().collect::<Vec<_>>().as_slice() {
            [o, "blob", size] if o == oid => size.parse().unwrap_or(0),
            _ => {
                return Err(Error::Usage(format!(
                    "git cat-file gave `{}` for {path}",
                    header.trim()
                )));
            }
        };
        let mut blob = vec![0; size + 1]; // the content, then a newline
        reader
            .read_exact(&mut blob)
            .map_err(|e| Error::io("git cat-file", e))?;
        blob.truncate(size);
        let target = dest.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&target, blob).map_err(|e| Error::io(&target, e))?;
        written.insert(path.clone());
    }
    Ok(written)
}

// ---------------------------------------------------------------------------------------
// Comparing

/// One line of the summary about one field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldChange {
    Set {
        path: String,
        value: Value,
    },
    Unset {
        path: String,
        value: Value,
    },
    Changed {
        path: String,
        old: Value,
        new: Value,
    },
    List {
        path: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
    Reordered {
        path: String,
    },
    Body,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemChange {
    Added {
        slug: String,
        name: String,
    },
    Removed {
        slug: String,
        name: String,
    },
    Renamed {
        from: String,
        to: String,
        name: String,
        fields: Vec<FieldChange>,
    },
    Changed {
        slug: String,
        name: String,
        fields: Vec<FieldChange>,
    },
    /// The file exists but could not be read on one side; `what` says which.
    Unreadable {
        path: String,
        what: &'static str,
    },
}

/// The changes of one collection or vocabulary file.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: &'static str,
    /// "space", "session", ... for the counts.
    pub noun: &'static str,
    pub items: Vec<ItemChange>,
}

struct Side {
    values: BTreeMap<String, (Value, String)>,
    all: BTreeSet<String>,
}

fn side<T: Serialize>(entries: &[Entry<T>], loaded: &Loaded, folder: &str) -> Side {
    Side {
        values: entries
            .iter()
            .map(|e| {
                let v = serde_json::to_value(&e.doc.raw).unwrap_or(Value::Null);
                (e.slug.clone(), (v, e.body_text().trim().to_owned()))
            })
            .collect(),
        all: loaded.slugs.get(folder).cloned().unwrap_or_default(),
    }
}

fn display_name(v: &Value, slug: &str) -> String {
    ["name", "title"]
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str))
        .unwrap_or(slug)
        .to_owned()
}

fn compare_collection(old: Side, new: Side, folder: &str) -> Vec<ItemChange> {
    let mut items = Vec::new();
    let mut added: Vec<(String, Value, String)> = Vec::new();
    let mut removed: Vec<(String, Value, String)> = Vec::new();
    let path = |slug: &str| format!("content/{folder}/{slug}.md");
    for slug in old.all.union(&new.all) {
        match (old.values.get(slug), new.values.get(slug)) {
            (Some((ov, ob)), Some((nv, nb))) => {
                let mut fields = diff_values("", ov, nv);
                if ob != nb {
                    fields.push(FieldChange::Body);
                }
                if !fields.is_empty() {
                    items.push(ItemChange::Changed {
                        slug: slug.clone(),
                        name: display_name(nv, slug),
                        fields,
                    });
                }
            }
            (None, Some((nv, nb))) if !old.all.contains(slug) => {
                added.push((slug.clone(), nv.clone(), nb.clone()));
            }
            (Some((ov, ob)), None) if !new.all.contains(slug) => {
                removed.push((slug.clone(), ov.clone(), ob.clone()));
            }
            (None, _) if old.all.contains(slug) => items.push(ItemChange::Unreadable {
                path: path(slug),
                what: "could not be read in the base revision",
            }),
            _ if old.all.contains(slug) => items.push(ItemChange::Unreadable {
                path: path(slug),
                what: "changed, and cannot be read now",
            }),
            _ => items.push(ItemChange::Unreadable {
                path: path(slug),
                what: "added, but cannot be read",
            }),
        }
    }
    // A file renamed keeps its name (or title): report one rename, not two changes.
    for (slug, nv, nb) in added {
        let name = display_name(&nv, &slug);
        match removed
            .iter()
            .position(|(s, ov, _)| display_name(ov, s) == name)
        {
            Some(i) => {
                let (from, ov, ob) = removed.remove(i);
                let mut fields = diff_values("", &ov, &nv);
                if ob != nb {
                    fields.push(FieldChange::Body);
                }
                items.push(ItemChange::Renamed {
                    from,
                    to: slug,
                    name,
                    fields,
                });
            }
            None => items.push(ItemChange::Added { slug, name }),
        }
    }
    for (slug, ov, _) in removed {
        let name = display_name(&ov, &slug);
        items.push(ItemChange::Removed { slug, name });
    }
    items.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    items
}

fn order_key(c: &ItemChange) -> (u8, &str) {
    match c {
        ItemChange::Added { slug, .. } => (0, slug),
        ItemChange::Removed { slug, .. } => (1, slug),
        ItemChange::Renamed { to, .. } => (2, to),
        ItemChange::Changed { slug, .. } => (3, slug),
        ItemChange::Unreadable { path, .. } => (4, path),
    }
}

fn compare_doc<T: Serialize>(
    old: Option<&T>,
    new: Option<&T>,
    rel: &str,
    existed: bool,
    exists: bool,
) -> Vec<ItemChange> {
    let to_value = |t: &T| serde_json::to_value(t).unwrap_or(Value::Null);
    match (old.map(to_value), new.map(to_value)) {
        (Some(o), Some(n)) => {
            let fields = diff_values("", &o, &n);
            if fields.is_empty() {
                Vec::new()
            } else {
                vec![ItemChange::Changed {
                    slug: rel.to_owned(),
                    name: rel.to_owned(),
                    fields,
                }]
            }
        }
        (None, Some(_)) if !existed => vec![ItemChange::Added {
            slug: rel.to_owned(),
            name: rel.to_owned(),
        }],
        (Some(_), None) if !exists => vec![ItemChange::Removed {
            slug: rel.to_owned(),
            name: rel.to_owned(),
        }],
        (None, _) if existed => vec![ItemChange::Unreadable {
            path: rel.to_owned(),
            what: "could not be read in the base revision",
        }],
        (_, None) if exists => vec![ItemChange::Unreadable {
            path: rel.to_owned(),
            what: "changed, and cannot be read now",
        }],
        _ => Vec::new(),
    }
}

/// Every section, in the order a reviewer reads them; empty sections left out.
fn compare(
    old: &Loaded,
    new: &Loaded,
    existed: &dyn Fn(&str) -> bool,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Section> {
    let doc = |rel: &str| (existed(rel), exists(rel));
    let sections = vec![
        Section {
            title: "Spaces",
            noun: "space",
            items: compare_collection(
                side(&old.spaces, old, "spaces"),
                side(&new.spaces, new, "spaces"),
                "spaces",
            ),
        },
        Section {
            title: "Partnerships",
            noun: "partnership",
            items: compare_collection(
                side(&old.partnerships, old, "partnerships"),
                side(&new.partnerships, new, "partnerships"),
                "partnerships",
            ),
        },
        Section {
            title: "Sessions",
            noun: "session",
            items: compare_collection(
                side(&old.sessions, old, "sessions"),
                side(&new.sessions, new, "sessions"),
                "sessions",
            ),
        },
        Section {
            title: "Pages",
            noun: "page",
            items: compare_collection(
                side(&old.pages, old, "pages"),
                side(&new.pages, new, "pages"),
                "pages",
            ),
        },
        Section {
            title: "Amenities and regions",
            noun: "vocabulary file",
            items: {
                let rel = "content/amenities.yaml";
                let (a, b) = doc(rel);
                let mut items = compare_doc(
                    old.amenities.as_ref().map(|d| &d.raw),
                    new.amenities.as_ref().map(|d| &d.raw),
                    rel,
                    a,
                    b,
                );
                let rel = "content/regions.yaml";
                let (a, b) = doc(rel);
                items.extend(compare_doc(
                    old.regions.as_ref().map(|d| &d.raw),
                    new.regions.as_ref().map(|d| &d.raw),
                    rel,
                    a,
                    b,
                ));
                items
            },
        },
        Section {
            title: "Site settings",
            noun: "settings file",
            items: {
                let rel = "content/site.yaml";
                let (a, b) = doc(rel);
                compare_doc(
                    old.site.as_ref().map(|d| &d.raw),
                    new.site.as_ref().map(|d| &d.raw),
                    rel,
                    a,
                    b,
                )
            },
        },
    ];
    sections
        .into_iter()
        .filter(|s| !s.items.is_empty())
        .collect()
}

fn join_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// The key that identifies the records of a list, when every record has a distinct one.
fn record_key(a: &[Value], b: &[Value]) -> Option<&'static str> {
    ["id", "name", "src", "title"].into_iter().find(|k| {
        let mut seen = BTreeSet::new();
        a.iter()
            .chain(b)
            .all(|v| v.get(k).and_then(Value::as_str).is_some())
            && a.iter().all(|v| seen.insert(v[k].as_str()))
            && {
                seen.clear();
                b.iter().all(|v| seen.insert(v[k].as_str()))
            }
    })
}

/// Field-by-field differences between two values of the same struct.
pub fn diff_values(path: &str, old: &Value, new: &Value) -> Vec<FieldChange> {
    if old == new {
        return Vec::new();
    }
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
            keys.into_iter()
                .flat_map(|k| {
                    let (a, b) = (
                        o.get(k).unwrap_or(&Value::Null),
                        n.get(k).unwrap_or(&Value::Null),
                    );
                    diff_values(&join_path(path, k), a, b)
                })
                .collect()
        }
        (Value::Array(o), Value::Array(n)) => diff_arrays(path, o, n),
        (Value::Null, v) => vec![FieldChange::Set {
            path: path.to_owned(),
            value: v.clone(),
        }],
        (v, Value::Null) => vec![FieldChange::Unset {
            path: path.to_owned(),
            value: v.clone(),
        }],
        _ => vec![FieldChange::Changed {
            path: path.to_owned(),
            old: old.clone(),
            new: new.clone(),
        }],
    }
}

fn diff_arrays(path: &str, o: &[Value], n: &[Value]) -> Vec<FieldChange> {
    let scalar = |v: &Value| !v.is_object() && !v.is_array();
    if o.iter().chain(n).all(scalar) {
        let added: Vec<String> = n.iter().filter(|v| !o.contains(v)).map(inline).collect();
        let removed: Vec<String> = o.iter().filter(|v| !n.contains(v)).map(inline).collect();
        if added.is_empty() && removed.is_empty() {
            return vec![FieldChange::Reordered {
                path: path.to_owned(),
            }];
        }
        return vec![FieldChange::List {
            path: path.to_owned(),
            added,
            removed,
        }];
    }
    if let Some(key) = record_key(o, n) {
        let id = |v: &Value| v[key].as_str().unwrap_or_default().to_owned();
        let old_ids: Vec<String> = o.iter().map(id).collect();
        let new_ids: Vec<String> = n.iter().map(id).collect();
        let mut out = Vec::new();
        let added: Vec<String> = new_ids
            .iter()
            .filter(|i| !old_ids.contains(i))
            .cloned()
            .collect();
        let removed: Vec<String> = old_ids
            .iter()
            .filter(|i| !new_ids.contains(i))
            .cloned()
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            out.push(FieldChange::List {
                path: path.to_owned(),
                added,
                removed,
            });
        }
        for (i, ov) in o.iter().enumerate() {
            if let Some(nv) = n.iter().find(|nv| id(nv) == old_ids[i]) {
                out.extend(diff_values(&format!("{path}[{}]", old_ids[i]), ov, nv));
            }
        }
        return out;
    }
    let mut out = Vec::new();
    for i in 0..o.len().max(n.len()) {
        let (a, b) = (
            o.get(i).unwrap_or(&Value::Null),
            n.get(i).unwrap_or(&Value::Null),
        );
        out.extend(diff_values(&format!("{path}[{}]", i + 1), a, b));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Markdown

/// A value in one line: strings as they are, whole numbers without `.0`, records as
/// `{key: value, ...}`; long text cut at 80 characters.
fn inline(v: &Value) -> String {
    let s = match v {
        Value::Null => "nothing".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{k}: {}", inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        format!("{}…", one_line.chars().take(79).collect::<String>())
    } else {
        one_line
    }
}

/// Text as a Markdown code span, whatever backticks it holds.
fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 || s.starts_with(' ') || s.ends_with(' ') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// Plain text with Markdown and HTML punctuation escaped.
fn text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

fn field_line(c: &FieldChange) -> String {
    match c {
        FieldChange::Set { path, value } => {
            format!("{}: added {}", code(path), code(&inline(value)))
        }
        FieldChange::Unset { path, value } => {
            format!("{}: removed (was {})", code(path), code(&inline(value)))
        }
        FieldChange::Changed { path, old, new } => format!(
            "{}: {} → {}",
            code(path),
            code(&inline(old)),
            code(&inline(new))
        ),
        FieldChange::List {
            path,
            added,
            removed,
        } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                let list: Vec<String> = added.iter().map(|a| code(a)).collect();
                parts.push(format!("added {}", list.join(", ")));
            }
            if !removed.is_empty() {
                let list: Vec<String> = removed.iter().map(|a| code(a)).collect();
                parts.push(format!("removed {}", list.join(", ")));
            }
            format!("{}: {}", code(path), parts.join("; "))
        }
        FieldChange::Reordered { path } => format!("{}: same items, new order", code(path)),
        FieldChange::Body => "the description (Markdown body) changed".to_owned(),
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn render(base: &str, short: &str, sections: &[Section]) -> String {
    let mut out = String::from("## Directory changes\n\n");
    let against = if short.is_empty() || base.starts_with(short) {
        code(base)
    } else {
        format!("{} ({})", code(base), code(short))
    };
    if sections.is_empty() {
        let _ = writeln!(out, "No changes to the directory since {against}.");
        return out;
    }
    let mut counts = Vec::new();
    for s in sections {
        let count = |f: fn(&ItemChange) -> bool| s.items.iter().filter(|i| f(i)).count();
        let added = count(|i| matches!(i, ItemChange::Added { .. }));
        let removed = count(|i| matches!(i, ItemChange::Removed { .. }));
        let changed =
            count(|i| matches!(i, ItemChange::Changed { .. } | ItemChange::Renamed { .. }));
        let mut parts = Vec::new();
        if added > 0 {
            parts.push(format!("{} added", plural(added, s.noun)));
        }
        if removed > 0 {
            parts.push(format!("{} removed", plural(removed, s.noun)));
        }
        if changed > 0 {
            parts.push(format!("{} changed", plural(changed, s.noun)));
        }
        if !parts.is_empty() {
            counts.push(parts.join(", "));
        }
    }
    let _ = writeln!(out, "Compared with {against}: {}.\n", counts.join("; "));
    for s in sections {
        let _ = writeln!(out, "### {}\n", s.title);
        for item in &s.items {
            let (head, fields) = match item {
                ItemChange::Added { slug, name } => (
                    format!("**Added:** {} ({})", text(name), code(slug)),
                    &[][..],
                ),
                ItemChange::Removed { slug, name } => (
                    format!("**Removed:** {} ({})", text(name), code(slug)),
                    &[][..],
                ),
                ItemChange::Renamed {
                    from,
                    to,
                    name,
                    fields,
                } => (
                    format!(
                        "**Renamed:** {} ({} → {})",
                        text(name),
                        code(from),
                        code(to)
                    ),
                    fields.as_slice(),
                ),
                ItemChange::Changed { slug, name, fields } if slug == name => {
                    (format!("**Changed:** {}", code(slug)), fields.as_slice())
                }
                ItemChange::Changed { slug, name, fields } => (
                    format!("**Changed:** {} ({})", text(name), code(slug)),
                    fields.as_slice(),
                ),
                ItemChange::Unreadable { path, what } => (
                    format!("{}: {what} (`hotdesk check` says why)", code(path)),
                    &[][..],
                ),
            };
            let _ = writeln!(out, "- {head}");
            for f in fields {
                let _ = writeln!(out, "  - {}", field_line(f));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_are_sets_and_records_are_matched_by_name() {
        let old = json!({"amenities": ["wifi", "printing"], "plans": [
            {"name": "Day pass", "price": 25.0}, {"name": "Month", "price": 200.0}]});
        let new = json!({"amenities": ["parking", "wifi"], "plans": [
            {"name": "Month", "price": 200.0}, {"name": "Day pass", "price": 30.0},
            {"name": "Week", "price": 90.0}]});
        let lines: Vec<String> = diff_values("", &old, &new).iter().map(field_line).collect();
        assert_eq!(
            lines,
            [
                "`amenities`: added `parking`; removed `printing`",
                "`plans`: added `Week`",
                "`plans[Day pass].price`: `25` → `30`",
            ]
        );
    }

    #[test]
    fn fields_set_and_unset_and_reordered() {
        let lines: Vec<String> = diff_values(
            "",
            &json!({"a": null, "b": "x", "c": [1, 2]}),
            &json!({"a": "y", "b": null, "c": [2, 1]}),
        )
        .iter()
        .map(field_line)
        .collect();
        assert_eq!(
            lines,
            [
                "`a`: added `y`",
                "`b`: removed (was `x`)",
                "`c`: same items, new order"
            ]
        );
    }

    #[test]
    fn markdown_from_content_cannot_break_out() {
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(text("<b>*x*</b> | y"), "\\<b\\>\\*x\\*\\</b\\> \\| y");
        assert_eq!(inline(&json!(25.0)), "25");
        assert_eq!(inline(&json!(2.5)), "2.5");
    }
}
