//! What `serve` keeps between rebuilds so that a save re-parses one file, not ten thousand.
//!
//! A file is known by its identity (size, modification time, inode): while that is
//! unchanged, its earlier outcome — the parsed document or static bytes, and every
//! diagnostic reading and parsing it gave — is handed out again. The parsed documents
//! are lent, not cloned: a load moves them into its [`super::Loaded`], and
//! [`LoadCache::restore`] takes them back once validation has read them (cloning and
//! then dropping 10,000 parsed spaces cost more than re-validating them). A document
//! not given back is read again next time. The walk itself is always redone, so new,
//! renamed and deleted files are seen, and the order of the result and of the
//! diagnostics is the walk's, exactly as an uncached load gives it.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::loaded::{Doc, Entry, Loaded, StaticFile};
use crate::error::Diagnostics;
use crate::raw::*;

/// What [`super::load_cached`] keeps between loads: per file, its identity (size,
/// modification time, inode) and its parse result (the parsed entry/doc or static bytes,
/// plus that file's diagnostics).
#[derive(Default)]
pub(crate) struct LoadCache {
    /// The root of the last load, as given and as an absolute path: notify reports
    /// absolute paths, `--root` may be relative.
    roots: Vec<PathBuf>,
    /// By path relative to the root (`content/spaces/a.md`), as diagnostics name it; as
    /// plain bytes, which hash and compare faster than a path's components.
    pub(super) files: HashMap<OsString, Cached>,
    /// Counts loads; a file is kept if the last load saw it.
    generation: u64,
}

impl LoadCache {
    /// Forget `path` (as notify reports it: absolute, under root/content), so the next load
    /// re-reads it even if its size and mtime look unchanged (two saves within the clock's
    /// granularity). A folder forgets everything under it; a path under no known root
    /// forgets everything, as a wrong guess must cost time, never correctness.
    pub(crate) fn invalidate(&mut self, path: &Path) {
        let rel = self
            .roots
            .iter()
            .find_map(|root| path.strip_prefix(root).ok())
            .or_else(|| path.is_relative().then_some(path));
        match rel {
            Some(rel) if rel.starts_with("content") => {
                if self.files.remove(rel.as_os_str()).is_none() {
                    self.files.retain(|k, _| !Path::new(k).starts_with(rel));
                }
            }
            _ => self.files.clear(),
        }
    }

    /// Starts a load of `root`: a different root than last time shares nothing with it.
    pub(super) fn begin(&mut self, root: &Path) {
        self.generation = self.generation.wrapping_add(1);
        if self.roots.first().map(PathBuf::as_path) != Some(root) {
            self.files.clear();
            self.roots = vec![root.to_path_buf()];
            for other in [std::path::absolute(root), std::fs::canonicalize(root)]
                .into_iter()
                .flatten()
            {
                if !self.roots.contains(&other) {
                    self.roots.push(other);
                }
            }
        }
    }

    /// How many files are kept (for tests).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }
}

/// What tells a changed file from an unchanged one without reading it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct FileId {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl FileId {
    pub(super) fn of(meta: &Metadata) -> Self {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        FileId {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        }
    }
}

/// One file's outcome: what it parsed into (nothing if it had errors) and what it reported.
pub(super) struct Cached {
    id: FileId,
    /// Boxed, so that the table stays small: a parsed space is most of a kilobyte.
    item: Option<Box<Item>>,
    /// The parsed document is out in a [`super::Loaded`]: until it is restored, the file
    /// is read again.
    lent: bool,
    diags: Diagnostics,
    /// The generation of the last load that saw the file.
    seen: u64,
}

pub(super) enum Item {
    Site(Doc<RawSite>),
    Amenities(Doc<RawAmenities>),
    Regions(Doc<RawRegions>),
    Space(Entry<RawSpace>),
    Partnership(Entry<RawPartnership>),
    Session(Entry<RawSession>),
    Page(Entry<RawPage>),
    Static(StaticFile),
}

/// A kind of file the cache can hold.
pub(super) trait Kind: Send + Sync + Sized {
    fn into_item(self) -> Item;
    fn from_item(item: Item) -> Option<Self>;
    fn is_kind(item: &Item) -> bool;
}

macro_rules! kind {
    ($t:ty, $variant:ident) => {
        impl Kind for $t {
            fn into_item(self) -> Item {
                Item::$variant(self)
            }
            fn from_item(item: Item) -> Option<Self> {
                match item {
                    Item::$variant(x) => Some(x),
                    _ => None,
                }
            }
            fn is_kind(item: &Item) -> bool {
                matches!(item, Item::$variant(_))
            }
        }
    };
}

kind!(Doc<RawSite>, Site);
kind!(Doc<RawAmenities>, Amenities);
kind!(Doc<RawRegions>, Regions);
kind!(Entry<RawSpace>, Space);
kind!(Entry<RawPartnership>, Partnership);
kind!(Entry<RawSession>, Session);
kind!(Entry<RawPage>, Page);
kind!(StaticFile, Static);

/// How one file of a load relates to the cache.
pub(super) enum Outcome {
    /// Not kept: no cache, or reading failed in a way that may pass (an io error).
    Uncached,
    /// The kept outcome was handed out again; keep it.
    Reused,
    /// Read and parsed now; keep this.
    Fresh(Cached),
}

/// The diagnostics of `rel`'s earlier outcome, if its identity is still `id` and its
/// document (if any) is here to be lent again; [`LoadCache::settle`] then hands it out.
pub(super) fn reuse<T: Kind>(
    old: Option<&HashMap<OsString, Cached>>,
    rel: &Path,
    id: FileId,
) -> Option<Diagnostics> {
    let c = old?.get(rel.as_os_str())?;
    if c.id != id || c.lent || !c.item.as_deref().is_none_or(T::is_kind) {
        return None;
    }
    Some(c.diags.clone())
}

/// What to keep of a file just read: its outcome, if there is a cache and it may be kept.
/// A parsed document is lent at once: it goes out in this load's result.
pub(super) fn fresh<T>(keep: bool, id: FileId, item: &Option<T>, diags: &Diagnostics) -> Outcome {
    if !keep {
        return Outcome::Uncached;
    }
    Outcome::Fresh(Cached {
        id,
        item: None,
        lent: item.is_some(),
        diags: diags.clone(),
        seen: 0,
    })
}

impl LoadCache {
    /// Marks what this load used, so that [`LoadCache::sweep`] keeps it, and lends out
    /// the document of a reused file (`None` if it had errors).
    pub(super) fn settle<T: Kind>(&mut self, rel: PathBuf, outcome: Outcome) -> Option<T> {
        match outcome {
            // A file that failed to read now is forgotten by the sweep.
            Outcome::Uncached => None,
            Outcome::Reused => {
                let c = self.files.get_mut(rel.as_os_str())?;
                c.seen = self.generation;
                let item = c.item.take()?;
                c.lent = true;
                T::from_item(*item)
            }
            Outcome::Fresh(mut c) => {
                c.seen = self.generation;
                self.files.insert(rel.into_os_string(), c);
                None
            }
        }
    }

    /// Takes back the documents a load lent out, once nothing reads them any more.
    pub(crate) fn restore(&mut self, loaded: Loaded) {
        let Loaded {
            site,
            amenities,
            regions,
            spaces,
            partnerships,
            sessions,
            pages,
            statics,
            slugs: _,
        } = loaded;
        // Each document is keyed by its source's path, which is the cache's key.
        macro_rules! give_back {
            ($($docs:expr),*) => {$(
                for (src, doc) in $docs {
                    self.give_back(&src.path, doc);
                }
            )*};
        }
        give_back!(
            site.into_iter().map(|d| (Arc::clone(&d.src), d)),
            amenities.into_iter().map(|d| (Arc::clone(&d.src), d)),
            regions.into_iter().map(|d| (Arc::clone(&d.src), d)),
            spaces.into_iter().map(|e| (Arc::clone(&e.doc.src), e)),
            partnerships
                .into_iter()
                .map(|e| (Arc::clone(&e.doc.src), e)),
            sessions.into_iter().map(|e| (Arc::clone(&e.doc.src), e)),
            pages.into_iter().map(|e| (Arc::clone(&e.doc.src), e))
        );
        for file in statics {
            let path = file.path.clone();
            self.give_back(&path, file);
        }
    }

    fn give_back<T: Kind>(&mut self, rel: &Path, item: T) {
        // A file forgotten (invalidated) since it was lent stays forgotten.
        if let Some(c) = self.files.get_mut(rel.as_os_str())
            && c.lent
        {
            c.item = Some(Box::new(item.into_item()));
            c.lent = false;
        }
    }

    /// Forgets the files this load did not see: deleted, renamed or now unreadable.
    pub(super) fn sweep(&mut self) {
        let generation = self.generation;
        self.files.retain(|_, c| c.seen == generation);
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::LoadCache;
    use crate::load::{load, load_cached};

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    /// A copy of the minimal fixture site, with a static file.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-minimal");
        copy_dir(&fixture, dir.path());
        let statics = dir.path().join("content/static/img");
        fs::create_dir_all(&statics).unwrap();
        fs::write(statics.join("logo.svg"), "<svg/>").unwrap();
        dir
    }

    /// The whole outcome of a load, as text: every parsed value, position and diagnostic.
    fn outcome(
        r: crate::error::Result<(crate::load::Loaded, crate::error::Diagnostics)>,
    ) -> String {
        let (loaded, diags) = r.unwrap();
        format!("{loaded:#?}\n{diags:#?}")
    }

    /// The outcome of a cached load, whose documents are then given back (as the
    /// preview server does once it has validated them).
    fn cached(root: &Path, cache: &mut LoadCache) -> String {
        let (loaded, diags) = load_cached(root, cache).unwrap();
        let text = format!("{loaded:#?}\n{diags:#?}");
        cache.restore(loaded);
        text
    }

    /// Loads with the cache and checks the result is a fresh load's.
    fn same_as_fresh(root: &Path, cache: &mut LoadCache) -> String {
        let cached = cached(root, cache);
        let fresh = outcome(load(root));
        assert_eq!(cached, fresh);
        cached
    }

    /// Rewrites `path` with `text` of the same length, keeping its modification time:
    /// a change only reading the file can see.
    fn edit_unseen(path: &Path, text: &str) {
        let mtime = fs::metadata(path).unwrap().modified().unwrap();
        assert_eq!(fs::metadata(path).unwrap().len(), text.len() as u64);
        fs::write(path, text).unwrap();
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
    }

    #[test]
    fn documents_given_back_are_lent_again_and_others_are_read_again() {
        let dir = site();
        let root = dir.path();
        let mut cache = LoadCache::default();
        same_as_fresh(root, &mut cache);
        let hub = root.join("content/spaces/harbour-hub.md");
        let text = fs::read_to_string(&hub).unwrap();

        // Given back: the next load hands out the kept parse, not the file's new text.
        edit_unseen(&hub, &text.replace("Harbour Hub", "Harbour Pub"));
        let (loaded, _) = load_cached(root, &mut cache).unwrap();
        assert!(
            !format!("{loaded:?}").contains("Harbour Pub"),
            "the cache was not used"
        );
        assert!(loaded.spaces.iter().any(|s| s.slug == "harbour-hub"));

        // Not given back (`loaded` is dropped): the file is read again.
        drop(loaded);
        let again = cached(root, &mut cache);
        assert!(
            again.contains("Harbour Pub"),
            "a document not given back was reused"
        );
        assert_eq!(again, outcome(load(root)));

        // A static file, too.
        let logo = root.join("content/static/img/logo.svg");
        edit_unseen(&logo, "<SVG/>");
        let (loaded, _) = load_cached(root, &mut cache).unwrap();
        assert_eq!(loaded.statics.len(), 1);
        assert_eq!(loaded.statics[0].bytes.as_slice(), b"<svg/>");
        cache.restore(loaded);
        let (loaded, _) = load_cached(root, &mut cache).unwrap();
        assert_eq!(
            loaded.statics[0].bytes.as_slice(),
            b"<svg/>",
            "restored and lent again"
        );
        drop(loaded);
        let (loaded, _) = load_cached(root, &mut cache).unwrap();
        assert_eq!(loaded.statics[0].bytes.as_slice(), b"<SVG/>");
    }

    #[test]
    fn a_cached_load_equals_a_fresh_one_after_edits_deletions_and_additions() {
        let dir = site();
        let root = dir.path();
        let mut cache = LoadCache::default();
        let first = same_as_fresh(root, &mut cache);
        let files = cache.len();
        assert!(files >= 10, "{files} files kept");
        assert_eq!(same_as_fresh(root, &mut cache), first);

        // An edit (a different size) is seen.
        let hub = root.join("content/spaces/harbour-hub.md");
        let text = fs::read_to_string(&hub).unwrap();
        fs::write(&hub, text.replace("Harbour Hub", "Harbour Hub Two")).unwrap();
        let edited = same_as_fresh(root, &mut cache);
        assert!(edited.contains("Harbour Hub Two"));

        // A deleted file disappears from the result and from the cache.
        fs::remove_file(root.join("content/spaces/old-mill.md")).unwrap();
        let deleted = same_as_fresh(root, &mut cache);
        assert!(!deleted.contains("old-mill"));
        assert_eq!(cache.len(), files - 1);

        // A new file, and a new static file.
        fs::write(
            root.join("content/spaces/new-place.md"),
            text.replace("Harbour Hub", "New Place"),
        )
        .unwrap();
        fs::write(root.join("content/static/img/new.svg"), "<svg></svg>").unwrap();
        let added = same_as_fresh(root, &mut cache);
        assert!(added.contains("New Place") && added.contains("new.svg"));
        assert_eq!(cache.len(), files + 1);
    }

    #[test]
    fn a_file_with_errors_keeps_reporting_them_from_the_cache() {
        let dir = site();
        let root = dir.path();
        let mut cache = LoadCache::default();
        same_as_fresh(root, &mut cache);
        let bad = root.join("content/spaces/bad.md");
        fs::write(&bad, "---\nname: Bad\nname: Twice\n---\n").unwrap();
        let empty = root.join("content/pages/empty.md");
        fs::write(&empty, "").unwrap();
        for _ in 0..2 {
            let (loaded, diags) = load_cached(root, &mut cache).unwrap();
            let codes: Vec<_> = diags.iter().map(|d| (d.display_path(), d.code)).collect();
            assert!(
                codes.contains(&("content/spaces/bad.md".into(), "duplicate-key")),
                "{codes:?}"
            );
            assert!(
                codes.contains(&("content/pages/empty.md".into(), "empty-file")),
                "{codes:?}"
            );
            assert!(loaded.slugs["spaces"].contains("bad"));
            assert!(!loaded.spaces.iter().any(|s| s.slug == "bad"));
            let text = format!("{loaded:#?}\n{diags:#?}");
            cache.restore(loaded);
            assert_eq!(text, outcome(load(root)));
        }
    }

    #[test]
    fn an_invalidated_file_is_read_again_even_if_it_looks_unchanged() {
        let dir = site();
        let root = dir.path();
        let mut cache = LoadCache::default();
        same_as_fresh(root, &mut cache);
        // Same size, same inode, same modification time: only its text differs.
        let hub = root.join("content/spaces/harbour-hub.md");
        let text = fs::read_to_string(&hub).unwrap();
        edit_unseen(&hub, &text.replace("Harbour Hub", "Harbour Pub"));
        let stale = cached(root, &mut cache);
        assert!(!stale.contains("Harbour Pub"), "the cache was not used");
        cache.invalidate(&hub);
        let fresh = same_as_fresh(root, &mut cache);
        assert!(fresh.contains("Harbour Pub"));

        // A folder forgets everything under it; a path outside the site, everything.
        edit_unseen(&hub, &text.replace("Harbour Hub", "Harbour Tub"));
        cache.invalidate(&root.join("content/spaces"));
        assert!(same_as_fresh(root, &mut cache).contains("Harbour Tub"));
        let kept = cache.len();
        cache.invalidate(Path::new("/elsewhere/file.md"));
        assert_eq!(cache.len(), 0);
        same_as_fresh(root, &mut cache);
        assert_eq!(cache.len(), kept);
    }

    #[test]
    fn the_cache_can_move_between_threads() {
        fn send<T: Send>() {}
        send::<LoadCache>();
    }
}
