//! Comparing two loaded directories as the structs authors type, turned into JSON
//! values: collections file by file (matched by slug, renames found by content), lists as
//! sets, lists of records by their id or name. The result is data ([`Section`]s);
//! [`super::markdown`] writes it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::load::{Entry, Loaded};

/// One line of the summary about one field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldChange {
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
pub(crate) enum ItemChange {
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
pub(crate) struct Section {
    pub(crate) title: &'static str,
    /// "space", "session", ... for the counts.
    pub(crate) noun: &'static str,
    pub(crate) items: Vec<ItemChange>,
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
pub(super) fn compare(
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
pub(crate) fn diff_values(path: &str, old: &Value, new: &Value) -> Vec<FieldChange> {
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

/// A value in one line (how list items are named, and how [`super::markdown`] shows
/// values): strings as they are, whole numbers without `.0`, records as
/// `{key: value, ...}`; long text cut at 80 characters.
pub(super) fn inline(v: &Value) -> String {
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
