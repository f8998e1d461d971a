//! Watching `content/` and `themes/`: file-system events in, one rebuild per burst out.
//!
//! `notify`'s recommended watcher watches both folders recursively, and the site root
//! itself (not recursively) so that a `content/` or `themes/` created, or replaced, while
//! serving gets watched too. Every event goes to one thread that debounces: after the
//! first relevant event it waits until none came for [`Debounce::quiet`] (at most
//! [`Debounce::max`] after the first) and then rebuilds once. An editor's save that
//! writes three files, or a `git checkout` that changes a hundred, is one rebuild.
//!
//! What is *not* relevant: events that change nothing (opening or reading a file, which
//! the rebuild itself does), editor temp and swap files ([`is_editor_temp`]), and
//! anything outside the two folders (the output folder included). What *is* relevant:
//! everything else — creation, change, removal and rename alike. Zola drops events for
//! paths that no longer exist and so keeps deleted pages live (zola #3155); here a
//! deletion is an event like any other, and the rebuild re-reads everything from disk,
//! so the page disappears.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::Debounce;
use crate::load::is_ignored;

/// The folders of the root whose changes matter.
const WATCHED: &[&str] = &["content", "themes"];

/// Whether a file name is an editor's temporary, swap or backup file, or one that the
/// content loader skips anyway: changes to it never change the site.
pub fn is_editor_temp(name: &str) -> bool {
    is_ignored(name)
        // vim writes this to test whether it may create files in a folder.
        || name == "4913"
        || name.ends_with(".swo")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

enum Msg {
    Fs(notify::Result<Event>),
    Stop,
}

/// The watcher and its debounce thread.
pub(crate) struct Handle {
    tx: mpsc::Sender<Msg>,
    thread: JoinHandle<()>,
}

impl Handle {
    /// Starts watching `root`; calls `rebuild` once per burst of relevant events, with
    /// the paths the burst named, relative to `root` (`None` when it may have missed some: a watch error or
    /// an overflow), and `report` with what could not be watched.
    pub(super) fn start(
        root: &Path,
        debounce: Debounce,
        rebuild: impl FnMut(Option<Vec<PathBuf>>) + Send + 'static,
        report: impl Fn(String) + Send + 'static,
    ) -> Handle {
        let (tx, rx) = mpsc::channel();
        let events = tx.clone();
        // Events carry absolute paths on some platforms (macOS reports `/private/var`
        // for `/var`), so compare them with the canonical root.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        // The watches are in place before `start` returns, so an edit made right after
        // the server started is seen.
        let watcher = notify::recommended_watcher(move |e| {
            let _ = events.send(Msg::Fs(e));
        })
        .map(|mut w| {
            if let Err(e) = w.watch(&root, RecursiveMode::NonRecursive) {
                report(format!("cannot watch {}: {e}", root.display()));
            }
            for dir in WATCHED {
                watch_folder(&mut w, &root.join(dir), &report);
            }
            w
        });
        let thread = thread::Builder::new()
            .name("hotdesk-watch".into())
            .spawn(move || match watcher {
                Ok(mut watcher) => {
                    debounce_loop(&rx, &root, debounce, &mut watcher, rebuild, &report);
                }
                Err(e) => report(format!(
                    "cannot watch for changes: {e}; restart to see edits"
                )),
            })
            .expect("spawning a thread");
        Handle { tx, thread }
    }

    /// Stops watching and waits for a rebuild in progress to finish.
    pub(super) fn stop(self) {
        let _ = self.tx.send(Msg::Stop);
        let _ = self.thread.join();
    }
}

fn watch_folder(watcher: &mut impl Watcher, dir: &Path, report: &impl Fn(String)) {
    if dir.is_dir() {
        if let Err(e) = watcher.watch(dir, RecursiveMode::Recursive) {
            report(format!(
                "cannot watch {}: {e}; changes in it will not rebuild the site",
                dir.display()
            ));
        }
    }
}

fn debounce_loop(
    rx: &mpsc::Receiver<Msg>,
    root: &Path,
    debounce: Debounce,
    watcher: &mut impl Watcher,
    mut rebuild: impl FnMut(Option<Vec<PathBuf>>),
    report: &impl Fn(String),
) {
    // Is this message the start (or continuation) of a burst? Also (re)watches a
    // `content/` or `themes/` that appeared.
    // The paths named by this burst; `None` once it may have missed one.
    let mut changed: Option<Vec<PathBuf>> = Some(Vec::new());
    let mut relevant_msg = |msg: notify::Result<Event>,
                            changed: &mut Option<Vec<PathBuf>>|
     -> bool {
        match msg {
            Ok(event) => {
                for path in &event.paths {
                    let folder = path.parent() == Some(root)
                        && path
                            .file_name()
                            .is_some_and(|n| WATCHED.iter().any(|w| n == *w));
                    if folder && !matches!(event.kind, EventKind::Access(_)) {
                        watch_folder(watcher, path, report);
                    }
                }
                let relevant = relevant(&event, root);
                if relevant {
                    if event.need_rescan() || event.paths.is_empty() {
                        *changed = None;
                    } else if let Some(paths) = changed {
                        paths.extend(
                            event
                                .paths
                                .iter()
                                .filter(|p| relevant_path(p, root))
                                .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf)),
                        );
                    }
                }
                relevant
            }
            Err(e) => {
                report(format!("watching for changes: {e}"));
                // Something may have been missed: rebuilding everything is the safe answer.
                *changed = None;
                true
            }
        }
    };
    loop {
        match rx.recv() {
            Ok(Msg::Fs(e)) => {
                if !relevant_msg(e, &mut changed) {
                    continue;
                }
            }
            Ok(Msg::Stop) | Err(_) => return,
        }
        let first = Instant::now();
        let mut last = first;
        loop {
            let now = Instant::now();
            let until = (last + debounce.quiet).min(first + debounce.max);
            if until <= now {
                break;
            }
            match rx.recv_timeout(until - now) {
                Ok(Msg::Fs(e)) => {
                    if relevant_msg(e, &mut changed) {
                        last = Instant::now();
                    }
                }
                Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        rebuild(changed.replace(Vec::new()));
    }
}

/// Whether an event can change the site.
pub(crate) fn relevant(event: &Event, root: &Path) -> bool {
    let changes = match &event.kind {
        // Opening and reading (the rebuild itself does both) change nothing; closing a
        // file that was written does.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    };
    if !changes {
        return false;
    }
    if event.need_rescan() || event.paths.is_empty() {
        return true;
    }
    event.paths.iter().any(|p| relevant_path(p, root))
}

/// Whether a path is under `content/` or `themes/` of `root` (or is one of them), and
/// no part of it below that is an editor temp file or a hidden name.
pub(crate) fn relevant_path(path: &Path, root: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    match parts.next() {
        Some(Component::Normal(first)) if WATCHED.iter().any(|w| first == *w) => {}
        _ => return false,
    }
    parts.all(|c| match c {
        Component::Normal(name) => !is_editor_temp(&name.to_string_lossy()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, RemoveKind, RenameMode};

    fn ev(kind: EventKind, rels: &[&str]) -> Event {
        let root = Path::new("/site");
        let mut e = Event::new(kind);
        for r in rels {
            e = e.add_path(root.join(r));
        }
        e
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            "4913",
            ".a.md.swp",
            "a.md.swp",
            "a.md~",
            ".#a.md",
            "#a.md#",
            "a.md.tmp",
            ".a.md.swo",
            "a.md.kate-swp",
            "a.md___jb_tmp___",
            ".DS_Store",
        ] {
            assert!(is_editor_temp(name), "{name}");
        }
        for name in ["a.md", "site.yaml", "style.css", "49130.md"] {
            assert!(!is_editor_temp(name), "{name}");
        }
    }

    #[test]
    fn relevance() {
        let root = Path::new("/site");
        let modify = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Content));
        assert!(relevant(&ev(modify, &["content/spaces/a.md"]), root));
        assert!(relevant(
            &ev(modify, &["themes/mine/templates/base.html"]),
            root
        ));
        assert!(relevant(
            &ev(
                EventKind::Remove(RemoveKind::File),
                &["content/spaces/a.md"]
            ),
            root
        ));
        assert!(relevant(
            &ev(EventKind::Remove(RemoveKind::Folder), &["content/spaces"]),
            root
        ));
        assert!(relevant(
            &ev(EventKind::Create(CreateKind::Folder), &["content"]),
            root
        ));
        // A rename from a temp file onto a real one (an atomic save) is relevant...
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert!(relevant(
            &ev(rename, &["content/spaces/.a.md.tmp", "content/spaces/a.md"]),
            root
        ));
        // ...and so is renaming a page away, to a backup name.
        assert!(relevant(
            &ev(rename, &["content/spaces/a.md", "content/spaces/a.md~"]),
            root
        ));
        assert!(!relevant(&ev(modify, &["content/spaces/.a.md.swp"]), root));
        assert!(!relevant(
            &ev(
                EventKind::Create(CreateKind::File),
                &["content/spaces/4913"]
            ),
            root
        ));
        assert!(!relevant(&ev(modify, &["content/.git/index"]), root));
        assert!(!relevant(&ev(modify, &["public/index.html"]), root));
        assert!(!relevant(&ev(modify, &["README.md"]), root));
        assert!(!relevant(&ev(modify, &["/elsewhere/content/a.md"]), root));
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(!relevant(&ev(open, &["content/spaces/a.md"]), root));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(relevant(&ev(closed, &["content/spaces/a.md"]), root));
        assert!(relevant(&ev(EventKind::Other, &[]), root));
    }
}
