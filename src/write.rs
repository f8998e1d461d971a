//! The only disk sink: writes an [`Output`] into a fresh folder beside the target, then
//! swaps it in.
//!
//! A failed or killed build must leave the previous site exactly as it was, and content
//! deleted since must disappear from the output. So the new site is written into
//! `<output>.hotdesk-tmp-<pid>` next to the target (same file system, so renames are
//! atomic); only when every file is written is the old folder renamed aside and the new
//! one renamed into place. Stale temporary folders from killed builds are removed first,
//! and a site left aside by a build killed between the two renames is put back.
//!
//! Builds into the same output exclude each other: each holds an exclusive lock on
//! `<output>.hotdesk-lock` beside the target (an OS file lock through `fs4`: `flock` on Unix, `LockFileEx` on Windows) from
//! before that cleanup until after the swap, and a second build waits for it. So the
//! cleanup never removes the staging folder of a live build, and the swaps cannot
//! interleave. The OS releases the lock when its process ends, however it ends, so a
//! killed build leaves no lock behind (the empty file stays: deleting it would let two
//! builds lock two different files).
//!
//! Replacing a folder means deleting what was there, so this refuses to replace a
//! non-empty folder that hotdesk did not make (it has no [`MARKER`] file): a mistyped
//! `--output .` must not delete a repository.

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use fs4::{FileExt, TryLockError};
#[cfg(test)]
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::output::Sink;
#[cfg(test)]
use crate::output::{Output, OutputFile};

/// An empty file hotdesk leaves in every output folder it makes.
pub(crate) const MARKER: &str = ".hotdesk-output";

/// Beside the output folder `<name>`: the file builds into it lock.
pub(crate) const LOCK_SUFFIX: &str = ".hotdesk-lock";

/// Writes a whole in-memory [`Output`] into `output` (stage, then swap). The build
/// streams into a [`Staging`] instead; this whole-output form is kept for the unit tests
/// of staging and swapping.
#[cfg(test)]
pub(crate) fn write(out: &Output, output: &Path) -> Result<()> {
    let staging = Staging::begin(output)?;
    // Output paths come from slugs and checked static names; refuse anything else
    // rather than trust it. Checked for every file before anything is written.
    for rel in out.files.keys() {
        check_rel(rel)?;
    }
    let files: Vec<(&String, &OutputFile)> = out.files.iter().collect();
    files
        .par_iter()
        .try_for_each(|(rel, file)| staging.put(rel, file.bytes.as_slice()))?;
    staging.commit()
}

/// A new site being written beside the target: files go in as they are rendered (so a
/// build never holds the whole site in memory), and [`Staging::commit`] swaps it in.
/// Dropped without a commit (an error anywhere), the folder is removed and the
/// previous site stays as it was.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    /// Folders already made, so each is created once however many files it holds.
    made: Mutex<HashSet<String>>,
    /// The first write error; the build fails on it at [`Staging::commit`].
    failed: Mutex<Option<Error>>,
    committed: bool,
    /// Held until the staging folder is swapped in or removed: declared last, so it is
    /// released after [`Drop`] has removed an uncommitted folder.
    _lock: File,
}

impl Staging {
    /// [`Self::begin_with`], waiting silently for another build into `output`.
    #[cfg(test)]
    pub(crate) fn begin(output: &Path) -> Result<Staging> {
        Self::begin_with(output, &mut |_| {})
    }

    /// Takes the output's lock (calling `on_wait` with the lock file's path first if
    /// another build holds it, then waiting for it), cleans up after killed builds,
    /// refuses a folder hotdesk did not make, and creates the empty staging folder.
    pub(crate) fn begin_with(output: &Path, on_wait: &mut dyn FnMut(&Path)) -> Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = output
            .file_name()
            .ok_or_else(|| {
                Error::Usage(format!("{} cannot be an output folder", output.display()))
            })?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let lock = lock(&parent.join(format!("{name}{LOCK_SUFFIX}")), on_wait)?;
        recover(&parent, &name, output)?;
        refuse_foreign(output)?;
        let dir = parent.join(format!("{name}.hotdesk-tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        fs::write(dir.join(MARKER), b"").map_err(|e| Error::io(dir.join(MARKER), e))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            parent,
            name,
            made: Mutex::new(HashSet::new()),
            failed: Mutex::new(None),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes one file (`rel` is `/`-separated and relative). Safe to call from many
    /// threads at once.
    pub(crate) fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        check_rel(rel)?;
        if let Some((folder, _)) = rel.rsplit_once('/') {
            // A folder counts as made only once it exists: recording it first let another
            // thread write into it before it was created. Two threads may both create
            // it, which create_dir_all allows.
            let made = self
                .made
                .lock()
                .map(|m| m.contains(folder))
                .unwrap_or(false);
            if !made {
                let p = self.dir.join(folder);
                fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(folder.to_owned());
                }
            }
        }
        let path = self.dir.join(rel);
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// [`Self::put`], keeping the first error for [`Self::commit`] instead of returning it.
    pub(crate) fn put_or_remember(&self, rel: &str, bytes: &[u8]) {
        if let Err(e) = self.put(rel, bytes)
            && let Ok(mut failed) = self.failed.lock()
            && failed.is_none()
        {
            *failed = Some(e);
        }
    }

    /// Swaps the new site in, unless a write failed.
    pub(crate) fn commit(mut self) -> Result<()> {
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        self.committed = true;
        let r = swap(&self.dir, &self.output, &self.parent, &self.name);
        if r.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        r
    }
}

/// `build`'s sink: each rendered file goes into the staging folder at once.
impl Sink for Staging {
    fn store(&self, rel: &str, bytes: &[u8]) {
        self.put_or_remember(rel, bytes);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The exclusive lock on `path` (created if missing), once no other build holds it.
fn lock(path: &Path, on_wait: &mut dyn FnMut(&Path)) -> Result<File> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    // fs4's calls, named: std's inherent File::lock is newer than our rust-version.
    match FileExt::try_lock(&file) {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            on_wait(path);
            FileExt::lock(&file).map_err(|e| Error::io(path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(Error::io(path, e)),
    }
    Ok(file)
}

/// Refuses output paths that could leave the output folder.
fn check_rel(rel: &str) -> Result<()> {
    if rel
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
        || rel.starts_with('/')
        || rel.contains('\\')
    {
        return Err(Error::Usage(format!(
            "refusing to write unsafe output path {rel:?}"
        )));
    }
    Ok(())
}

fn swap(staged: &Path, output: &Path, parent: &Path, name: &str) -> Result<()> {
    let aside = parent.join(format!("{name}.hotdesk-old-{}", std::process::id()));
    let had_old = output.exists();
    if had_old {
        fs::rename(output, &aside).map_err(|e| Error::io(output, e))?;
    }
    if let Err(e) = fs::rename(staged, output) {
        if had_old {
            let _ = fs::rename(&aside, output);
        }
        return Err(Error::io(output, e));
    }
    if had_old {
        fs::remove_dir_all(&aside).map_err(|e| Error::io(&aside, e))?;
    }
    Ok(())
}

/// Cleans up after builds that were killed: temporary folders go, and a previous site
/// left aside comes back if nothing took its place. Runs under the output's lock, so
/// every such folder belongs to a build that is no longer running.
fn recover(parent: &Path, name: &str, output: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let tmp = format!("{name}.hotdesk-tmp-");
    let old = format!("{name}.hotdesk-old-");
    for entry in entries.flatten() {
        let fname = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if fname.starts_with(&tmp) {
            fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        } else if fname.starts_with(&old) {
            if output.exists() {
                fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
            } else {
                fs::rename(&path, output).map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    Ok(())
}

fn refuse_foreign(output: &Path) -> Result<()> {
    let Ok(mut entries) = fs::read_dir(output) else {
        if output.exists() {
            return Err(Error::Usage(format!(
                "{} exists and is not a folder",
                output.display()
            )));
        }
        return Ok(());
    };
    if entries.next().is_none() || output.join(MARKER).exists() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "refusing to replace {}: it is not empty and was not made by hotdesk (no {MARKER} file); \
         choose another --output or remove it yourself",
        output.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostics;

    fn output(files: &[(&str, &str)]) -> Output {
        let mut out = Output::default();
        let mut d = Diagnostics::new();
        for (p, b) in files {
            out.insert((*p).into(), b.as_bytes().to_vec(), "test", &mut d);
        }
        out
    }

    #[test]
    fn replaces_the_old_site_and_drops_deleted_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write(&output(&[("a.html", "1"), ("b/index.html", "2")]), &target).unwrap();
        write(&output(&[("a.html", "3")]), &target).unwrap();
        assert_eq!(fs::read_to_string(target.join("a.html")).unwrap(), "3");
        assert!(!target.join("b").exists());
        let mut leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        leftovers.sort();
        assert_eq!(
            leftovers,
            ["public", "public.hotdesk-lock"],
            "no temporary folder left behind"
        );
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let err = write(&output(&[("a.html", "1")]), dir.path()).unwrap_err();
        assert!(err.to_string().contains("refusing to replace"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("precious.txt")).unwrap(),
            "keep"
        );
    }

    /// Threads writing into the same new folders at once: each file must land, whoever
    /// creates its folder (a thread once skipped a folder another had only claimed).
    #[test]
    fn concurrent_puts_into_new_folders_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        for round in 0..20 {
            let staging = Staging::begin(&target).unwrap();
            let files: Vec<String> = (0..400)
                .map(|i| format!("r{round}/f{}/g{}/{i}.html", i % 7, i % 3))
                .collect();
            files
                .par_iter()
                .try_for_each(|rel| staging.put(rel, rel.as_bytes()))
                .unwrap();
            staging.commit().unwrap();
            for rel in &files {
                assert_eq!(fs::read_to_string(target.join(rel)).unwrap(), *rel);
            }
        }
    }

    #[test]
    fn recovers_a_site_left_aside_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let aside = dir.path().join("public.hotdesk-old-99999");
        fs::create_dir_all(&aside).unwrap();
        fs::write(aside.join(MARKER), "").unwrap();
        fs::write(aside.join("a.html"), "old").unwrap();
        let stale = dir.path().join("public.hotdesk-tmp-99999");
        fs::create_dir_all(&stale).unwrap();
        write(&output(&[("a.html", "new")]), &target).unwrap();
        assert_eq!(fs::read_to_string(target.join("a.html")).unwrap(), "new");
        assert!(!aside.exists() && !stale.exists());
    }
}
