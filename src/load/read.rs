//! Reading one file of `content/`, with every guard: only regular files, never through a
//! link, never more than the size limit.
//!
//! The walk has the file's own type (not followed), so a link, a named pipe or a device
//! node is refused before it is opened: opening a pipe would block `check` until
//! someone writes to it, and a device such as `/dev/zero` has no end. Between the walk
//! and the open the file may be swapped, so the opened file's metadata is checked again
//! (a regular file, the same inode), and the size limit is enforced while reading
//! (`take(limit + 1)`), not from the metadata alone. This module reads bytes and turns
//! them into text; it does not parse.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::MAX_FILE_BYTES;
use crate::error::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

pub(super) fn unreadable(rel: PathBuf, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error("unreadable", format!("cannot read: {e}")).in_file(rel)
}

pub(super) fn symlink_error(path: PathBuf) -> Diagnostic {
    Diagnostic::error(
        "symlink",
        "is a symbolic link; hotdesk reads only regular files inside content/",
    )
    .in_file(path)
    .help("copy the file or folder here instead: following a link could publish a file from outside the site")
}

/// A named pipe, socket or device node where a file should be.
pub(super) fn not_regular(path: PathBuf) -> Diagnostic {
    Diagnostic::error(
        "not-a-file",
        "is not a regular file (a named pipe, socket or device); hotdesk reads only regular files inside content/",
    )
    .in_file(path)
    .help("replace it with an ordinary file, or remove it")
}

fn too_large(rel: &Path, len: Option<u64>, limit: u64, what: &str) -> Diagnostic {
    let size = len.map_or_else(|| "larger than that".to_owned(), |l| format!("{l} bytes"));
    Diagnostic::error(
        "file-too-large",
        format!("file is {size}; {what} may be at most {limit}"),
    )
    .in_file(rel)
    .help(if what == "content files" {
        "a space, session or page fits in a few kilobytes; put large images in content/static/"
    } else {
        "make the file smaller"
    })
}

/// What reading a file with [`read_limited`] gave.
pub(super) enum Bytes {
    Read(Vec<u8>),
    /// Refused, with the reason already recorded.
    Refused,
}

/// Reads `path` (whose own, not followed, metadata is `meta`) if it is a regular file of
/// at most `limit` bytes; records why not otherwise. `Err` is an io error, not recorded.
pub(super) fn read_limited(
    path: &Path,
    rel: &Path,
    meta: &fs::Metadata,
    limit: u64,
    what: &str,
    diags: &mut Diagnostics,
) -> std::io::Result<Bytes> {
    if meta.file_type().is_symlink() {
        diags.push(symlink_error(rel.to_path_buf()));
        return Ok(Bytes::Refused);
    }
    if !meta.is_file() {
        diags.push(not_regular(rel.to_path_buf()));
        return Ok(Bytes::Refused);
    }
    if meta.len() > limit {
        diags.push(too_large(rel, Some(meta.len()), limit, what));
        return Ok(Bytes::Refused);
    }
    let file = fs::File::open(path)?;
    // The file may have been swapped since the walk: what was opened must be the file
    // that was looked at (a link to elsewhere would have another inode).
    let opened = file.metadata()?;
    if !opened.is_file() || !same_file(meta, &opened) {
        diags.push(not_regular(rel.to_path_buf()).help("the file changed while it was read"));
        return Ok(Bytes::Refused);
    }
    // One byte more than the limit, so that a file grown since its metadata is caught.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        diags.push(too_large(rel, None, limit, what));
        return Ok(Bytes::Refused);
    }
    Ok(Bytes::Read(bytes))
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// Reads a text file with every guard, given its own (not followed) metadata; `None`
/// after recording why it could not be used, `Err` when that was an io error.
pub(super) fn read_text(
    path: &Path,
    rel: &Path,
    meta: &fs::Metadata,
    diags: &mut Diagnostics,
) -> std::result::Result<Option<Arc<SourceFile>>, ()> {
    let what = "content files";
    let bytes = match read_limited(path, rel, meta, MAX_FILE_BYTES, what, diags) {
        Ok(Bytes::Read(b)) => b,
        Ok(Bytes::Refused) => return Ok(None),
        Err(e) => {
            diags.push(unreadable(rel.to_path_buf(), &e));
            return Err(());
        }
    };
    if bytes.is_empty() {
        diags.push(
            Diagnostic::error("empty-file", "the file is empty")
                .in_file(rel)
                .help("fill it in or delete it; `hotdesk new` writes a complete file"),
        );
        return Ok(None);
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Some(SourceFile::new(rel, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Point at the first bad byte using the valid prefix for the line count.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diags.push(
                Diagnostic::error(
                    "invalid-utf8",
                    format!(
                        "the file is not valid UTF-8 (first bad byte at line {line}, column {col})"
                    ),
                )
                .in_file(rel)
                .help("save the file as UTF-8 in your editor"),
            );
            None
        }
    })
}
