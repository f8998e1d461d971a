//! Reads `content/` into raw, typed documents, remembering where every value came from.
//!
//! The walk is sorted and refuses anything that could leak or hang: symlinks (copying one
//! would publish the file it points to), files over [`MAX_FILE_BYTES`], names outside
//! `[a-z0-9-]`, invalid UTF-8. Each problem becomes a diagnostic and the walk goes on, so
//! one run reports everything. This stage never writes and never renders.

mod active;
mod cache;
mod depth;
mod loaded;
mod promotional;
mod read;
mod scan;
pub(crate) mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsString;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::source::SourceFile;
pub(crate) use cache::LoadCache;
use cache::{Cached, FileId, Kind, Outcome};
pub use loaded::StaticFile;
pub(crate) use loaded::{Doc, Entry, Loaded};
use read::{not_regular, read_limited, read_text, symlink_error, unreadable};
pub(crate) use scan::Positions;

/// Content files are small; a larger one is a mistake or an attack.
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Static files (images) may be larger, but not unbounded.
pub(crate) const MAX_STATIC_BYTES: u64 = 20 * 1024 * 1024;

/// The collections of Markdown files, by folder.
const COLLECTIONS: &[&str] = &["spaces", "partnerships", "sessions", "pages"];
const YAML_FILES: &[&str] = &["site.yaml", "amenities.yaml", "regions.yaml"];

/// Loads `root/content`. Fails only when the folder itself cannot be read.
pub(crate) fn load(root: &Path) -> Result<(Loaded, Diagnostics)> {
    load_with(root, None)
}

/// Exactly what `load(root)` returns (same Loaded, same diagnostics in the same order), but
/// re-reads and re-parses only files that are new, changed (size/mtime/inode differ) or
/// invalidated since the last call with `cache`, or not given back with
/// [`LoadCache::restore`]; others are reused.
pub(crate) fn load_cached(root: &Path, cache: &mut LoadCache) -> Result<(Loaded, Diagnostics)> {
    cache.begin(root);
    load_with(root, Some(cache))
}

/// The cache of this load, if any. Without one nothing is cloned or kept.
struct Keep<'a> {
    cache: Option<&'a mut LoadCache>,
}

impl Keep<'_> {
    /// What the last loads kept, read-only while files are read in parallel.
    fn old(&self) -> Option<&HashMap<OsString, Cached>> {
        self.cache.as_deref().map(|c| &c.files)
    }

    /// See [`LoadCache::settle`]: the document a reused file lends, if any.
    fn settle<T: Kind>(&mut self, rel: PathBuf, outcome: Outcome) -> Option<T> {
        self.cache.as_deref_mut()?.settle(rel, outcome)
    }
}

fn load_with(root: &Path, cache: Option<&mut LoadCache>) -> Result<(Loaded, Diagnostics)> {
    let content = root.join("content");
    let meta = fs::symlink_metadata(&content).map_err(|e| Error::io(&content, e))?;
    if meta.file_type().is_symlink() {
        let d: Diagnostics = symlink_error(PathBuf::from("content")).into();
        return Err(Error::Invalid(d));
    }
    if !meta.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder; --root must name the folder that holds content/ and themes/",
            content.display()
        )));
    }
    let mut diags = Diagnostics::new();
    let mut loaded = Loaded::default();
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();

    // Top level: the three YAML files and the collection folders.
    let mut top: Vec<_> = fs::read_dir(&content)
        .map_err(|e| Error::io(&content, e))?
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| Error::io(&content, e))?;
    top.sort_by_key(|e| e.file_name());
    let mut keep = Keep { cache };
    for entry in &top {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            continue;
        }
        let known = YAML_FILES.contains(&name.as_str())
            || COLLECTIONS.contains(&name.as_str())
            || name == "static";
        if !known {
            diags.push(
                Diagnostic::warning("unexpected-file", format!("`content/{name}` is not read by hotdesk"))
                    .in_file(rel(&entry.path()))
                    .help("content/ holds site.yaml, amenities.yaml, regions.yaml and the folders spaces/, partnerships/, sessions/, pages/ and static/"),
            );
        }
    }

    for name in YAML_FILES {
        let path = content.join(name);
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(_) if !path.exists() => {
                diags.push(
                    Diagnostic::error("missing-file", format!("content/{name} is missing"))
                        .in_file(rel(&path))
                        .help("every site needs site.yaml, amenities.yaml and regions.yaml; `hotdesk init` writes them"),
                );
                continue;
            }
            Err(e) => {
                diags.push(unreadable(rel(&path), &e));
                continue;
            }
        };
        match *name {
            "site.yaml" => loaded.site = load_yaml(&path, rel(&path), meta, &mut keep, &mut diags),
            "amenities.yaml" => {
                loaded.amenities = load_yaml(&path, rel(&path), meta, &mut keep, &mut diags)
            }
            _ => loaded.regions = load_yaml(&path, rel(&path), meta, &mut keep, &mut diags),
        }
    }

    let slugs = &mut loaded.slugs;
    loaded.spaces = load_collection(root, "spaces", slugs, &mut keep, &mut diags);
    loaded.partnerships = load_collection(root, "partnerships", slugs, &mut keep, &mut diags);
    loaded.sessions = load_collection(root, "sessions", slugs, &mut keep, &mut diags);
    loaded.pages = load_collection(root, "pages", slugs, &mut keep, &mut diags);
    loaded.statics = load_statics(root, &mut keep, &mut diags);
    if let Some(c) = keep.cache {
        c.sweep();
    }
    Ok((loaded, diags))
}

/// One of the three YAML files of `content/`, read and parsed, or kept from the last load.
fn load_yaml<T: yaml::Closed>(
    path: &Path,
    rel: PathBuf,
    meta: fs::Metadata,
    keep: &mut Keep<'_>,
    diags: &mut Diagnostics,
) -> Option<Doc<T>>
where
    Doc<T>: Kind,
{
    let (doc, d, outcome) = read_one(keep.old(), path, &rel, Some(meta), |src, d| {
        parse_doc(&src, 0..src.text.len(), d)
    });
    diags.extend(d);
    let lent = keep.settle(rel, outcome);
    doc.or(lent)
}

/// Reads and parses one text file, or hands out what the last load made of it if the file
/// is unchanged. `meta` is the file's own (not followed) metadata, when the caller has it.
fn read_one<T: Kind>(
    old: Option<&HashMap<OsString, Cached>>,
    path: &Path,
    rel: &Path,
    meta: Option<fs::Metadata>,
    parse: impl FnOnce(Arc<SourceFile>, &mut Diagnostics) -> Option<T>,
) -> (Option<T>, Diagnostics, Outcome) {
    let mut d = Diagnostics::new();
    let meta = match meta.map_or_else(|| fs::symlink_metadata(path), Ok) {
        Ok(m) => m,
        Err(e) => {
            d.push(unreadable(rel.to_path_buf(), &e));
            return (None, d, Outcome::Uncached);
        }
    };
    let id = FileId::of(&meta);
    if let Some(kept) = cache::reuse::<T>(old, rel, id) {
        // The document itself is lent out by `LoadCache::settle`.
        return (None, kept, Outcome::Reused);
    }
    let Ok(src) = read_text(path, rel, &meta, &mut d) else {
        // An io error may pass: try again next time.
        return (None, d, Outcome::Uncached);
    };
    let item = src.and_then(|src| parse(src, &mut d));
    let outcome = cache::fresh(old.is_some(), id, &item, &d);
    (item, d, outcome)
}

/// Editor temp files, dotfiles and OS litter are skipped without a word.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "Thumbs.db"
}

pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn load_collection<T: yaml::Closed + Send>(
    root: &Path,
    folder: &'static str,
    slugs: &mut BTreeMap<&'static str, BTreeSet<String>>,
    keep: &mut Keep<'_>,
    diags: &mut Diagnostics,
) -> Vec<Entry<T>>
where
    Entry<T>: Kind,
{
    let dir = root.join("content").join(folder);
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    if !is_real_folder(&dir, rel(&dir), diags) {
        return Vec::new();
    }
    let walked: Box<dyn Iterator<Item = Walked>> = match plain_files(&dir) {
        Some(names) => Box::new(names.into_iter().map(|name| Walked::Entry {
            path: dir.join(&name),
            name,
            symlink: false,
            is_dir: false,
        })),
        None => Box::new(
            walkdir::WalkDir::new(&dir)
                .min_depth(1)
                .sort_by_file_name()
                .follow_links(false)
                .into_iter()
                .map(|item| match item {
                    Ok(e) => Walked::Entry {
                        name: e.file_name().to_owned(),
                        symlink: e.file_type().is_symlink(),
                        is_dir: e.file_type().is_dir(),
                        path: e.into_path(),
                    },
                    Err(e) => {
                        let path = e.path().map(rel).unwrap_or_else(|| rel(&dir));
                        Walked::Error(
                            Diagnostic::error("unreadable", format!("cannot read: {e}"))
                                .in_file(path),
                        )
                    }
                }),
        ),
    };
    let mut paths = Vec::new();
    for item in walked {
        let (name, path, symlink, is_dir) = match item {
            Walked::Entry {
                name,
                path,
                symlink,
                is_dir,
            } => (name, path, symlink, is_dir),
            Walked::Error(d) => {
                diags.push(d);
                continue;
            }
        };
        let name = name.to_string_lossy();
        if is_ignored(&name) {
            continue;
        }
        if symlink {
            diags.push(symlink_error(rel(&path)));
            continue;
        }
        if is_dir {
            diags.push(
                Diagnostic::error(
                    "unexpected-folder",
                    format!("content/{folder}/ holds files, not folders"),
                )
                .in_file(rel(&path))
                .help(format!("move the files into content/{folder}/ directly")),
            );
            continue;
        }
        let Some(stem) = name.strip_suffix(".md") else {
            diags.push(
                Diagnostic::error("not-markdown", format!("`{name}` is not a Markdown file"))
                    .in_file(rel(&path))
                    .help(format!("files in content/{folder}/ are named <slug>.md")),
            );
            continue;
        };
        if !is_slug(stem) {
            diags.push(
                Diagnostic::error("bad-file-name", format!("`{name}` is not a valid slug"))
                    .in_file(rel(&path))
                    .help(format!(
                        "use lowercase letters, digits and single hyphens, e.g. `{}.md`",
                        suggest_slug(stem)
                    )),
            );
            continue;
        }
        slugs.entry(folder).or_default().insert(stem.to_owned());
        paths.push((stem.to_owned(), path));
    }
    // Reading and parsing are independent per file: do them on every core.
    let old = keep.old();
    let results: Vec<(PathBuf, Option<Entry<T>>, Diagnostics, Outcome)> = paths
        .into_par_iter()
        .map(|(slug, path)| {
            let rel = rel(&path);
            let (entry, d, outcome) = read_one(old, &path, &rel, None, |src, d| {
                parse_markdown(slug, src, d)
            });
            (rel, entry, d, outcome)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (rel, entry, d, outcome) in results {
        diags.extend(d);
        let lent = keep.settle(rel, outcome);
        out.extend(entry.or(lent));
    }
    out
}

/// One item of a collection folder's walk.
enum Walked {
    Entry {
        name: OsString,
        path: PathBuf,
        symlink: bool,
        is_dir: bool,
    },
    Error(Diagnostic),
}

/// The names in `dir`, in walkdir's sorted order, when it holds nothing but plain files
/// (as a collection folder should): then no walker is needed, whose sort re-parses both
/// paths at every comparison. `None` leaves anything else (a folder, a link, an error) to
/// walkdir and its messages.
fn plain_files(dir: &Path) -> Option<Vec<OsString>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        if !entry.file_type().ok()?.is_file() {
            return None;
        }
        names.push(entry.file_name());
    }
    // Names in one folder are distinct, so the order is walkdir's stable one.
    names.sort_unstable();
    Some(names)
}

/// A slug a person probably meant: lowercase ASCII, other characters as hyphens.
pub(crate) fn suggest_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' | 'Ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-').to_owned();
    if trimmed.is_empty() {
        "my-space".into()
    } else {
        trimmed
    }
}

fn parse_doc<T: yaml::Closed>(
    src: &Arc<SourceFile>,
    range: Range<usize>,
    diags: &mut Diagnostics,
) -> Option<Doc<T>> {
    match yaml::parse_closed::<T>(src, range) {
        Ok((raw, pos)) => Some(Doc {
            raw,
            src: Arc::clone(src),
            pos,
        }),
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

/// Splits `---\n<yaml>\n---\n<markdown>` and parses the front matter.
fn parse_markdown<T: yaml::Closed>(
    slug: String,
    src: Arc<SourceFile>,
    diags: &mut Diagnostics,
) -> Option<Entry<T>> {
    let text = &src.text;
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        diags.push(
            Diagnostic::error("no-front-matter", "the file does not start with front matter")
                .at(&src, 0..first.len().max(1).min(text.len()))
                .label("expected a line `---` here")
                .help("start the file with `---`, the YAML fields, and another `---` line before the description"),
        );
        return None;
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start;
    let mut close = None;
    for line in text[yaml_start.min(text.len())..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        diags.push(
            Diagnostic::error("unclosed-front-matter", "the front matter is never closed")
                .at(&src, 0..3)
                .label("opened here")
                .help("add a line `---` after the last YAML field, before the description"),
        );
        return None;
    };
    let doc = parse_doc::<T>(&src, yaml_start.min(yaml_end)..yaml_end, diags)?;
    Some(Entry {
        slug,
        doc,
        body: body_start..text.len(),
    })
}

fn load_statics(root: &Path, keep: &mut Keep<'_>, diags: &mut Diagnostics) -> Vec<StaticFile> {
    let dir = root.join("content").join("static");
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    if !is_real_folder(&dir, rel(&dir), diags) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(rel).unwrap_or_else(|| rel(&dir));
                diags.push(
                    Diagnostic::error("unreadable", format!("cannot read: {e}")).in_file(path),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            continue;
        }
        let path = entry.path();
        if entry.file_type().is_symlink() {
            diags.push(symlink_error(rel(path)));
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if !entry.file_type().is_file() {
            diags.push(not_regular(rel(path)));
            continue;
        }
        let Ok(inner) = path.strip_prefix(&dir) else {
            continue;
        };
        let parts: Vec<String> = inner
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if !parts.iter().all(|p| is_static_name(p)) {
            diags.push(
                Diagnostic::error(
                    "bad-file-name",
                    format!(
                        "`{}` has characters that are not safe in a URL",
                        parts.join("/")
                    ),
                )
                .in_file(rel(path))
                .help("use letters, digits, `-`, `_` and `.` in static file names"),
            );
            continue;
        }
        let meta = entry.metadata().ok();
        let id = meta.as_ref().map(FileId::of);
        let rel_path = rel(path);
        if let Some(id) = id {
            if let Some(d) = cache::reuse::<StaticFile>(keep.old(), &rel_path, id) {
                diags.extend(d);
                out.extend(keep.settle::<StaticFile>(rel_path, Outcome::Reused));
                continue;
            }
        }
        let mut d = Diagnostics::new();
        let Some(meta) = meta else {
            diags.push(unreadable(rel_path, &"no metadata"));
            continue;
        };
        let read = read_limited(
            path,
            &rel_path,
            &meta,
            MAX_STATIC_BYTES,
            "static files",
            &mut d,
        );
        let file = match read {
            Ok(read::Bytes::Read(bytes)) => match active::refuse(&rel_path, &name, &bytes) {
                Some(refused) => {
                    d.push(refused);
                    None
                }
                None => Some(StaticFile {
                    rel: parts.join("/"),
                    path: rel_path.clone(),
                    bytes: Arc::new(bytes),
                }),
            },
            Ok(read::Bytes::Refused) => None,
            Err(e) => {
                diags.push(unreadable(rel_path, &e));
                continue;
            }
        };
        let outcome = match id {
            Some(id) => cache::fresh(keep.cache.is_some(), id, &file, &d),
            None => Outcome::Uncached,
        };
        diags.extend(d);
        out.extend(file);
        keep.settle::<StaticFile>(rel_path, outcome);
    }
    out
}

/// Whether `dir` is a folder to read: absent is fine (nothing to read), a link is refused
/// once, for the whole folder, without following it.
fn is_real_folder(dir: &Path, rel: PathBuf, diags: &mut Diagnostics) -> bool {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            diags.push(symlink_error(rel));
            false
        }
        // Not a folder: the walk says so, as it always did.
        Ok(_) => true,
        Err(_) => false,
    }
}

fn is_static_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.starts_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("harbour-hub"));
        assert!(is_slug("a1"));
        assert!(!is_slug("Harbour-Hub"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a_b"));
        assert!(!is_slug(""));
        assert_eq!(suggest_slug("Café Central!"), "cafe-central");
    }
}
