//! Helpers shared by the integration tests: fixture sites copied into temp folders.

use std::fs;
use std::path::{Path, PathBuf};

use hotdesk::build::{self, Options};
use hotdesk::error::{Diagnostics, Error};
use jiff::Timestamp;

pub(crate) fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixtures() -> PathBuf {
    manifest_dir().join("tests/fixtures")
}

/// `tests/fixtures/example`: a frozen copy of the example directory (20 spaces, every
/// kind of record), for the tests that need a whole directory. Tests never read the
/// repository's own `content/`, so a network that replaces it with its directory keeps a
/// green `cargo test`; the one exception is
/// `build::the_example_in_content_passes_check_deny_warnings`.
pub(crate) fn example() -> PathBuf {
    fixtures().join("example")
}

/// The fixed "now" of every test build.
pub(crate) fn now() -> Timestamp {
    "2026-11-25T12:00:00Z".parse().unwrap()
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temp copy of `tests/fixtures/site-minimal`.
pub(crate) fn minimal_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("site-minimal"), dir.path());
    dir
}

pub(crate) fn options(root: &Path) -> Options {
    Options::new(root, now())
}

/// Every file under `dir` with its bytes, sorted, for comparing whole trees.
pub(crate) fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                hotdesk::source::display_path(rel),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub(crate) fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// Every problem of a site: the diagnostics of an invalid site, the warnings of a valid one.
pub(crate) fn diagnostics(root: &Path) -> Diagnostics {
    match build::render(&options(root)) {
        Err(Error::Invalid(d)) => d,
        Err(e) => panic!("unexpected failure: {e}"),
        Ok((_, d)) => d,
    }
}

/// The minimal site with one `tests/fixtures/invalid/<case>` laid over it: the case's
/// `content/` files replace or add files, the paths in its `remove.txt` are deleted.
pub(crate) fn case_site(case: &Path) -> tempfile::TempDir {
    let site = minimal_site();
    if case.join("content").exists() {
        copy_dir(&case.join("content"), &site.path().join("content"));
    }
    if let Ok(list) = fs::read_to_string(case.join("remove.txt")) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            fs::remove_file(site.path().join(line.trim())).unwrap();
        }
    }
    site
}

/// Runs the `hotdesk` binary: exit code, stdout, stderr.
pub(crate) fn hotdesk(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hotdesk"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temp copy of the example fixture (content/ only) with `listing.page_size` set to `n`.
pub(crate) fn example_with_page_size(n: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&example().join("content"), &dir.path().join("content"));
    set_page_size(dir.path(), n);
    dir
}

/// Sets `listing.page_size` in `root/content/site.yaml`, which must already give it.
pub(crate) fn set_page_size(root: &Path, n: u32) {
    let site_yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    let mut found = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("  page_size:") {
                found = true;
                format!("  page_size: {n}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(found, "{} gives no listing.page_size", site_yaml.display());
    fs::write(&site_yaml, out.join("\n") + "\n").unwrap();
}
