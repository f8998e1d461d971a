//! The fuzz targets' inputs, replayed on stable: every file of `fuzz/corpus/<target>/`
//! (the seeds) and `fuzz/regressions/<target>/` (crashes the fuzzers found) goes through
//! the same function its target calls (`hotdesk::fuzzing::run`), so a crash once found
//! stays fixed without nightly. See docs/fuzzing.md.
//!
//! A crash found in a file someone is still fixing is listed in [`OPEN`], with that file:
//! the replay skips it (give it an `#[ignore]`d test that replays it). When the fix lands,
//! remove its line from `OPEN`: the replay then holds it. Every crash found so far is fixed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use hotdesk::fuzzing::{self, Scratch};

/// (target, input file name, the file whose bug it is): crashes not fixed yet.
const OPEN: &[(&str, &str, &str)] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn is_open(target: &str, file: &Path) -> bool {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    OPEN.iter().any(|(t, n, _)| *t == target && *n == name)
}

/// Runs one input; the panic message if it panicked.
fn replay(target: &str, scratch: &Scratch, file: &Path) -> Option<String> {
    let data = std::fs::read(file).expect("a fuzz input");
    let result = catch_unwind(AssertUnwindSafe(|| fuzzing::run(target, scratch, &data)));
    let payload = result.err()?;
    let msg = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(no message)".into());
    Some(msg)
}

#[test]
fn every_seed_and_regression_replays_without_a_panic() {
    let scratch = Scratch::new().expect("a scratch site");
    let mut failures = Vec::new();
    let mut count = 0;
    for target in fuzzing::TARGETS {
        let files = fuzzing::inputs(&root(), target);
        assert!(!files.is_empty(), "fuzz/corpus/{target}/ has no seed");
        for file in files.iter().filter(|f| !is_open(target, f)) {
            count += 1;
            if let Some(msg) = replay(target, &scratch, file) {
                failures.push(format!("{target}: {}: {msg}", file.display()));
            }
        }
    }
    assert!(count > 20, "only {count} fuzz inputs found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_open_crash_is_a_file() {
    for (target, name, _) in OPEN {
        let path = root().join("fuzz/regressions").join(target).join(name);
        assert!(
            path.is_file(),
            "{} is listed in OPEN but missing",
            path.display()
        );
    }
}

#[test]
fn the_markdown_contract_catches_what_it_should() {
    for bad in [
        "<script>x</script>",
        "<SCRIPT src=a>",
        "<img src=a onerror=b>",
        "<a href=\"javascript:x\">",
        "<a href=\"&#106;avascript:x\">",
        "<a href=' java\tscript:x'>",
        "<img src=\"JAVASCRIPT&colon;x\">",
        "<a href=\"\u{1}java\nscript:x\">",
    ] {
        assert!(fuzzing::html_contract(bad).is_err(), "{bad}");
    }
    for good in [
        "<p>&lt;script&gt; onclick=x javascript:x</p>",
        "<a href=\"https://a.example/\" rel=\"nofollow ugc noopener\">javascript:</a>",
        "<a href=\"javascript&amp;#58;x\">",
        "<a title=\"<script>\" href=\"/x\">",
        "<a href=\"javasc\u{13}ript:x\">",
    ] {
        assert!(fuzzing::html_contract(good).is_ok(), "{good}");
    }
}
