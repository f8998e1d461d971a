//! Reading the base revision: `git` as a subprocess, and the base's `content/` written
//! into a scratch folder for the loader. Nothing here compares or formats; the working
//! tree is never written.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// Runs `git -C root ARGS`, feeding `input` on stdin; its stdout, or its stderr as the error.
pub(super) fn git(root: &Path, args: &[&str], input: Option<Vec<u8>>) -> Result<Vec<u8>> {
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
pub(super) fn checkout_content(root: &Path, base: &str, dest: &Path) -> Result<BTreeSet<String>> {
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
