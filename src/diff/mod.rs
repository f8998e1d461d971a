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
//!
//! Three rooms: `git` reads the base revision, `compare` finds the changes, `markdown`
//! writes them.

mod compare;
mod git;
mod markdown;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::error::{Error, Result};
use crate::load;
use compare::compare;
use git::{checkout_content, git};
use markdown::render;

/// The Markdown summary of the changes to `root/content` since `base`.
pub(crate) fn diff(root: &Path, base: &str) -> Result<String> {
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
