//! The manual: README.md and docs/ stay navigable and true.
//!
//! Every relative link in README.md and docs/*.md must reach an existing file (and, with
//! a `#fragment`, a heading of it), every page of docs/ must be in docs/SUMMARY.md so the
//! mdBook shows it, and the smallest directory the README shows must pass
//! `check --deny-warnings`, so a newcomer who copies it starts from a valid site.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::*;

/// README.md and every Markdown file directly in docs/, sorted.
fn manual_pages() -> Vec<PathBuf> {
    let mut pages = vec![manifest_dir().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(manifest_dir().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The text of a page outside fenced code blocks and inline code, line by line.
fn prose_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Drop inline code spans: a link inside backticks is an example, not a link.
        let mut out = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
            }
        }
        lines.push(out);
    }
    lines
}

/// The targets of the `[text](target)` links of a page.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in prose_lines(text) {
        let mut rest = line.as_str();
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].trim().to_owned());
            rest = &after[end..];
        }
    }
    found
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every anchor of a Markdown file (a repeated heading gets `-1`, `-2`, ... as on GitHub).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence || !line.starts_with('#') {
            continue;
        }
        let base = anchor(&line.trim_start_matches('#').replace('`', ""));
        let mut a = base.clone();
        let mut n = 0;
        while seen.contains(&a) {
            n += 1;
            a = format!("{base}-{n}");
        }
        seen.insert(a);
    }
    seen
}

fn rel(p: &Path) -> String {
    hotdesk::source::display_path(p.strip_prefix(manifest_dir()).unwrap_or(p))
}

#[test]
fn every_relative_link_of_the_manual_reaches_a_file_and_heading() {
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in manual_pages() {
        let text = fs::read_to_string(&page).unwrap();
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(path)
            };
            checked += 1;
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", rel(&page)));
                continue;
            }
            if let Some(fragment) = fragment {
                let known = target.extension().is_some_and(|e| e == "md")
                    && anchors(&fs::read_to_string(&target).unwrap()).contains(fragment);
                if !known {
                    broken.push(format!("{}: {link} (no such heading)", rel(&page)));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 30, "only {checked} links checked");
}

#[test]
fn every_page_of_docs_is_in_the_summary() {
    let summary = fs::read_to_string(manifest_dir().join("docs/SUMMARY.md")).unwrap();
    let listed: BTreeSet<String> = links(&summary).into_iter().collect();
    let pages: BTreeSet<String> = manual_pages()
        .iter()
        .filter(|p| p.parent().unwrap().ends_with("docs"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "SUMMARY.md")
        .collect();
    let missing: Vec<&String> = pages.difference(&listed).collect();
    assert!(missing.is_empty(), "not in docs/SUMMARY.md: {missing:?}");
    let unknown: Vec<&String> = listed.difference(&pages).collect();
    assert!(
        unknown.is_empty(),
        "SUMMARY.md lists missing pages: {unknown:?}"
    );
    assert!(
        manifest_dir().join("docs/book.toml").is_file(),
        "docs/book.toml makes docs/ an mdBook"
    );
}

/// The README's "`content/...`:" lines followed by a code block: the smallest directory.
fn readme_directory() -> Vec<(String, String)> {
    let text = fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut files = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let name = line
            .strip_prefix('`')
            .and_then(|l| l.strip_suffix("`:"))
            .filter(|n| n.starts_with("content/"));
        if let Some(name) = name {
            let open = i + 2;
            assert!(
                lines[open].starts_with("```"),
                "a code block follows {name}"
            );
            let close = open + 1 + lines[open + 1..].iter().position(|l| *l == "```").unwrap();
            files.push((name.to_owned(), lines[open + 1..close].join("\n") + "\n"));
            i = close;
        }
        i += 1;
    }
    files
}

#[test]
fn the_smallest_directory_of_the_readme_passes_check() {
    let files = readme_directory();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for required in [
        "content/site.yaml",
        "content/amenities.yaml",
        "content/regions.yaml",
    ] {
        assert!(names.contains(&required), "the README shows no {required}");
    }
    for kind in ["spaces", "partnerships", "sessions", "pages"] {
        assert!(
            names
                .iter()
                .any(|n| n.starts_with(&format!("content/{kind}/"))),
            "the README shows no file of content/{kind}/"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &files {
        write(dir.path(), name, text);
    }
    let (code, out, err) = hotdesk(&[
        "check",
        "--root",
        dir.path().to_str().unwrap(),
        "--now",
        "2026-11-25T12:00:00Z",
        "--deny-warnings",
    ]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn the_readme_gives_the_two_commands_ci_runs() {
    let readme = fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    assert!(readme.contains("```sh\ncargo run --release -- serve\n```"));
    assert!(readme.contains("```sh\ncargo test\n```"));
    // .ci/run runs "the README's test command" (with --locked, as CI should).
    let ci = fs::read_to_string(manifest_dir().join(".ci/run")).unwrap();
    assert!(ci.contains("cargo test --locked"), "{ci}");
}
