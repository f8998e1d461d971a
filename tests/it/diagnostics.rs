//! What a contributor sees when content is wrong: one snapshot per invalid fixture, plus
//! malformed files that cannot live in git (invalid UTF-8, symlinks, huge files).
//!
//! Each folder in `tests/fixtures/invalid/<case>/` is laid over a copy of
//! `tests/fixtures/site-minimal/`: its `content/` files replace or add files, and the
//! paths listed in its optional `remove.txt` are deleted.

use std::fs;

use crate::support::*;

#[test]
fn every_invalid_fixture_reports_located_errors() {
    let dir = fixtures().join("invalid");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected the invalid fixtures, found {}",
        cases.len()
    );
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = case_site(&case);
        let d = diagnostics(site.path());
        assert!(d.has_errors(), "{name}: no error reported");
        for diag in d
            .iter()
            .filter(|d| d.severity == hotdesk::error::Severity::Error)
        {
            assert!(
                !diag.path.as_os_str().is_empty(),
                "{name}: an error names no file: {}",
                diag.message
            );
        }
        insta::assert_snapshot!(format!("invalid-{name}"), d.render());
    }
}

#[test]
fn all_problems_of_all_files_come_in_one_run() {
    let site = case_site(&fixtures().join("invalid/many-files"));
    let d = diagnostics(site.path());
    let files: std::collections::BTreeSet<String> = d.iter().map(|d| d.display_path()).collect();
    assert_eq!(files.len(), 3, "{}", d.render());
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let site = minimal_site();
    let p = site.path().join("content/spaces/hill-house.md");
    let mut bytes = fs::read(&p).unwrap();
    bytes.splice(20..20, [0xff, 0xfe]);
    fs::write(&p, bytes).unwrap();
    let d = diagnostics(site.path());
    let hit = d
        .iter()
        .find(|d| d.code == "invalid-utf8")
        .expect("reported");
    assert!(hit.message.contains("line 2"), "{}", hit.message);
    assert_eq!(hit.display_path(), "content/spaces/hill-house.md");
}

#[cfg(unix)]
#[test]
fn symlinks_are_refused_not_followed() {
    let site = minimal_site();
    let secret = site.path().join("secret.txt");
    fs::write(&secret, "password").unwrap();
    std::os::unix::fs::symlink(&secret, site.path().join("content/static-leak.md")).unwrap();
    fs::create_dir_all(site.path().join("content/static")).unwrap();
    std::os::unix::fs::symlink(&secret, site.path().join("content/static/leak.txt")).unwrap();
    std::os::unix::fs::symlink(&secret, site.path().join("content/spaces/leak.md")).unwrap();
    let d = diagnostics(site.path());
    let links: Vec<_> = d.iter().filter(|d| d.code == "symlink").collect();
    assert_eq!(links.len(), 2, "{}", d.render());
}

#[test]
fn a_huge_file_is_refused_without_reading_it() {
    let site = minimal_site();
    let p = site.path().join("content/spaces/huge.md");
    let f = fs::File::create(&p).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let d = diagnostics(site.path());
    assert!(
        d.iter().any(|d| d.code == "file-too-large"),
        "{}",
        d.render()
    );
}

#[test]
fn an_alias_bomb_is_refused_before_serde_yaml_sees_it() {
    // One anchored 500-byte string used 2,000 times: serde_yaml alone would expand it.
    let site = minimal_site();
    let mut text = String::from("---\nname: &x \"");
    text.push_str(&"a".repeat(500));
    text.push_str("\"\nplans:\n");
    for _ in 0..2000 {
        text.push_str("  - *x\n");
    }
    text.push_str("---\n");
    write(site.path(), "content/spaces/bomb.md", &text);
    let d = diagnostics(site.path());
    let hit = d
        .iter()
        .find(|d| d.display_path() == "content/spaces/bomb.md")
        .unwrap();
    assert_eq!(hit.code, "yaml-anchor");
    assert_eq!(hit.line_col(), Some((2, 7)));
}

#[test]
fn deep_nesting_is_capped() {
    let site = minimal_site();
    let text = format!("---\nname: {}1{}\n---\n", "[".repeat(200), "]".repeat(200));
    write(site.path(), "content/spaces/deep.md", &text);
    let d = diagnostics(site.path());
    assert!(
        d.iter().any(|d| d.code == "yaml-too-deep"),
        "{}",
        d.render()
    );
}

#[test]
fn exit_codes_are_0_fine_1_invalid_2_usage() {
    let good = minimal_site();
    let root = good.path().to_str().unwrap();
    let (code, out, _) = hotdesk(&["check", "--root", root, "--now", "2026-11-25"]);
    assert_eq!(code, 0, "{out}");

    let bad = case_site(&fixtures().join("invalid/unknown-amenity"));
    let (code, _, err) = hotdesk(&[
        "check",
        "--root",
        bad.path().to_str().unwrap(),
        "--now",
        "2026-11-25",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("content/spaces/harbour-hub.md:14:19: error: unknown amenity \"wifii\""),
        "{err}"
    );

    let (code, _, err) = hotdesk(&["check", "--root", "/nonexistent/hotdesk-site"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = hotdesk(&["build", "--now", "yesterday"]);
    assert_eq!(code, 2);
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_make() {
    let site = minimal_site();
    let target = site.path().join("precious");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("notes.txt"), "keep me").unwrap();
    let (code, _, err) = hotdesk(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        target.to_str().unwrap(),
        "--now",
        "2026-11-25",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        fs::read_to_string(target.join("notes.txt")).unwrap(),
        "keep me"
    );
}

/// Issue 19, item 1: a value that is only a no-break space (U+00A0, or the ideographic
/// space U+3000) is whitespace to the span finder, which pointed one byte into it, and
/// the renderer sliced there: `check` panicked (exit 101) instead of locating the error.
#[test]
fn a_value_of_only_a_no_break_space_is_a_located_error_not_a_panic() {
    let hill =
        fs::read_to_string(fixtures().join("site-minimal/content/spaces/hill-house.md")).unwrap();
    for space in ['\u{a0}', '\u{3000}'] {
        // The fields mutation fuzzing hit, each given nothing but the space.
        let cases = [
            (
                "capacity",
                hill.replace("amenities:", &format!("capacity: {space}\namenities:")),
            ),
            ("lat", hill.replace("lat: 46.4", &format!("lat: {space}"))),
            ("lon", hill.replace("lon: -62.9", &format!("lon: {space}"))),
            (
                "status",
                hill.replace("status: active", &format!("status: {space}")),
            ),
            (
                "step_free",
                hill.replace("step_free: false", &format!("step_free: {space}")),
            ),
            (
                "amenities",
                hill.replace("amenities: [wifi]", &format!("amenities: {space}")),
            ),
        ];
        for (field, text) in cases {
            let site = minimal_site();
            write(site.path(), "content/spaces/hill-house.md", &text);
            let root = site.path().to_str().unwrap();
            let (code, _, err) = hotdesk(&["check", "--root", root, "--now", "2026-11-25"]);
            let what = format!("{field}: U+{:04X}", u32::from(space));
            assert!(!err.contains("panicked"), "{what}: {err}");
            assert_eq!(code, 1, "{what}: {err}");
            assert!(
                err.contains("content/spaces/hill-house.md:"),
                "{what}: not located: {err}"
            );
            assert!(err.contains('^'), "{what}: no caret: {err}");
        }
    }
}
