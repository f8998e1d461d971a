//! The outside judges: the example site, built through the library, must pass the W3C
//! Nu HTML checker (HTML, CSS and SVG) and a browser audit in Debian's Chromium
//! (axe-core WCAG 2.2 AA + best practice in light, dark and 360px, no third-party
//! requests, no script errors, no broken internal links, every card and the main
//! navigation working without JavaScript). See tests/quality/README.md.
//!
//! Needs `tests/quality/node_modules` (`npm ci --prefix tests/quality`), `java`, `node`
//! and `/usr/bin/chromium`. Without them each test fails when `CI=true` and otherwise
//! prints a loud warning and returns. Both reports are kept as JSON in
//! `target/tmp/quality/` for a look after a failure.

use std::fmt::Write as _;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::{copy_dir, example, manifest_dir, options, write};

fn quality_dir() -> PathBuf {
    manifest_dir().join("tests/quality")
}

fn vnu_jar() -> PathBuf {
    quality_dir().join("node_modules/vnu-jar/build/dist/vnu.jar")
}

/// Where the JSON reports are kept after a run.
fn report_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quality");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Builds the example fixture (tests/fixtures/example and the default theme) into a temp folder,
/// with lists cut into pages of 8 cards so that the pagination links and the later pages
/// are judged too; `HOTDESK_QUALITY_ROOT=DIR` judges another directory's site instead.
fn build_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let root = match std::env::var_os("HOTDESK_QUALITY_ROOT") {
        Some(root) => PathBuf::from(root),
        None => {
            let root = dir.path().join("example");
            copy_dir(&example().join("content"), &root.join("content"));
            copy_dir(&manifest_dir().join("themes"), &root.join("themes"));
            crate::support::set_page_size(&root, 8);
            root
        }
    };
    hotdesk::build::build(&options(&root), &out).expect("the example site builds");
    assert!(
        std::env::var_os("HOTDESK_QUALITY_ROOT").is_some()
            || out.join("spaces/page/2/index.html").is_file(),
        "the quality build has more than one page of spaces"
    );
    assert!(
        out.join("index.html").is_file(),
        "no index.html in {}",
        out.display()
    );
    (dir, out)
}

/// `Some(())` when every prerequisite is there. A missing one fails under `CI=true`
/// and otherwise warns loudly (to the real stderr, which the harness does not hide)
/// and returns `None`, so the caller skips.
fn prerequisites(test: &str, needs: &[(&str, bool, &str)]) -> Option<()> {
    let missing: Vec<String> = needs
        .iter()
        .filter(|(_, present, _)| !present)
        .map(|(what, _, fix)| format!("{what}: {fix}"))
        .collect();
    if missing.is_empty() {
        return Some(());
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the {test} cannot run; missing:\n  {}",
            missing.join("\n  ")
        );
    }
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !! WARNING: SKIPPING the {test}: the site is NOT checked.\n\
         !! Missing:\n\
         !!   {}\n\
         !! With CI=true this is a failure.\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
        missing.join("\n!!   ")
    );
    None
}

/// Whether `program` runs at all (`program --version`).
fn runs(program: &str, version_arg: &str) -> bool {
    match Command::new(program).arg(version_arg).output() {
        Ok(_) => true,
        Err(err) if err.kind() == ErrorKind::NotFound => false,
        Err(err) => panic!("could not run {program}: {err}"),
    }
}

const NPM_CI: &str = "run `npm ci --prefix tests/quality`";

fn show(output: &Output) -> String {
    format!(
        "status {}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    )
}

// ---------------------------------------------------------------------------------------
// The Nu HTML checker

/// A page and a stylesheet with known faults, checked in the same run as the site, so a
/// checker that silently checks nothing cannot pass.
fn vnu_canaries(dir: &Path) -> PathBuf {
    let canary = dir.join("canary");
    write(
        &canary,
        "bad.html",
        "<!doctype html><html lang=en><title>canary</title><p><img src=x.png></p></html>",
    );
    write(&canary, "bad.css", "p { colr: red; }\n");
    canary
}

#[test]
fn nu_html_checker_finds_no_errors_in_html_css_or_svg() {
    let jar = vnu_jar();
    if prerequisites(
        "Nu HTML checker test (vnu.jar)",
        &[
            (
                "tests/quality/node_modules (vnu-jar)",
                jar.is_file(),
                NPM_CI,
            ),
            (
                "java",
                runs("java", "-version"),
                "apt-get install -y default-jre-headless",
            ),
        ],
    )
    .is_none()
    {
        return;
    }
    let (dir, site) = build_example();
    let canary = vnu_canaries(dir.path());

    // One JVM for everything: the site's HTML, and with --also-check-css/-svg its
    // stylesheets and SVG images; the canaries last.
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args([
            "--errors-only",
            "--skip-non-html",
            "--also-check-css",
            "--also-check-svg",
            "--format",
            "json",
            "--stdout",
        ])
        .arg(&site)
        .arg(&canary)
        .output()
        .expect("java runs");
    std::fs::write(report_path("vnu.json"), &output.stdout).unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("vnu printed no JSON ({e}):\n{}", show(&output)));
    let messages = report["messages"].as_array().expect("vnu messages");

    let file_of = |m: &Value| -> PathBuf {
        let url = m["url"].as_str().unwrap_or("");
        let path = url.strip_prefix("file:").unwrap_or(url);
        PathBuf::from(path)
    };
    let (canary_msgs, site_msgs): (Vec<&Value>, Vec<&Value>) = messages
        .iter()
        .partition(|m| file_of(m).starts_with(&canary));

    // The checker works: it found the planted faults in both canaries.
    for name in ["bad.html", "bad.css"] {
        assert!(
            canary_msgs.iter().any(|m| file_of(m).ends_with(name)),
            "vnu reported nothing for the planted fault in {name}: is it checking at all?\n{}",
            show(&output)
        );
    }

    // A summary by message, then each error where it is (the first 40).
    let mut by_message: std::collections::BTreeMap<&str, usize> = Default::default();
    for m in &site_msgs {
        *by_message
            .entry(m["message"].as_str().unwrap_or("?"))
            .or_default() += 1;
    }
    let mut text = String::new();
    for (message, n) in &by_message {
        let _ = writeln!(text, "{n:>5} × {message}");
    }
    text.push('\n');
    for m in site_msgs.iter().take(40) {
        let file = file_of(m);
        let rel = file.strip_prefix(&site).unwrap_or(&file);
        let _ = writeln!(
            text,
            "{}:{}:{}: {}: {}\n    {}",
            rel.display(),
            m["lastLine"],
            m["firstColumn"]
                .as_u64()
                .or(m["lastColumn"].as_u64())
                .unwrap_or(0),
            m["type"].as_str().unwrap_or("?"),
            m["message"].as_str().unwrap_or("?"),
            m["extract"].as_str().unwrap_or("").replace('\n', "⏎"),
        );
    }
    if site_msgs.len() > 40 {
        let _ = writeln!(
            text,
            "... and {} more: see {}",
            site_msgs.len() - 40,
            report_path("vnu.json").display()
        );
    }
    assert!(
        site_msgs.is_empty(),
        "the Nu HTML checker found {} error(s) in the built example site:\n{text}",
        site_msgs.len()
    );
}

// ---------------------------------------------------------------------------------------
// The browser audit

#[test]
fn browser_audit_finds_no_accessibility_privacy_or_no_js_problems() {
    let modules = quality_dir().join("node_modules");
    let chromium = std::env::var("HOTDESK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if prerequisites(
        "browser audit (axe-core in Chromium)",
        &[
            (
                "tests/quality/node_modules (axe-core, playwright-core)",
                modules.join("axe-core").is_dir() && modules.join("playwright-core").is_dir(),
                NPM_CI,
            ),
            (
                "node",
                runs("node", "--version"),
                "apt-get install -y nodejs",
            ),
            (
                "chromium",
                Path::new(&chromium).is_file(),
                "apt-get install -y chromium",
            ),
        ],
    )
    .is_none()
    {
        return;
    }
    let (_dir, site) = build_example();
    let output = Command::new("node")
        .arg(quality_dir().join("audit.mjs"))
        .arg(&site)
        .output()
        .expect("node runs");
    std::fs::write(report_path("audit.json"), &output.stdout).unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("audit.mjs printed no JSON ({e}):\n{}", show(&output)));

    // It really audited the site: every page, a passing self-test, the no-JS checks.
    let total = report["pages"]["total"].as_u64().unwrap_or(0);
    assert!(
        total >= 50,
        "only {total} pages found in {}",
        site.display()
    );
    assert_eq!(
        report["pages"]["audited"].as_u64(),
        Some(total),
        "not every page was audited"
    );
    assert_eq!(
        report["selfTest"]["ok"],
        Value::Bool(true),
        "axe missed its planted faults"
    );
    let no_js = report["noJs"]["checks"].as_array().map_or(0, Vec::len);
    assert!(no_js >= 20, "only {no_js} no-JS checks ran");

    let digest = digest(&report);
    assert!(
        output.status.success() && report["ok"] == Value::Bool(true),
        "the browser audit failed ({}); full report in {}\n{digest}\n--- stderr ---\n{}",
        output.status,
        report_path("audit.json").display(),
        String::from_utf8_lossy(&output.stderr),
    );
    for key in [
        "violations",
        "thirdPartyRequests",
        "failedRequests",
        "brokenLinks",
    ] {
        assert_eq!(report["counts"][key].as_u64(), Some(0), "{key}:\n{digest}");
    }
}

/// The audit's findings: axe results grouped by rule, then one line for each other finding.
fn digest(report: &Value) -> String {
    let mut out = String::new();
    let list = |key: &str| report[key].as_array().cloned().unwrap_or_default();
    for (key, title) in [
        ("violations", "axe WCAG"),
        ("bestPractice", "axe best practice"),
    ] {
        // rule -> (impact, help, pages with their mode, example targets)
        let mut rules: std::collections::BTreeMap<
            String,
            (String, String, Vec<String>, Vec<String>),
        > = Default::default();
        for v in list(key) {
            let rule = rules
                .entry(v["rule"].as_str().unwrap_or("?").to_owned())
                .or_default();
            rule.0 = v["impact"].as_str().unwrap_or("?").to_owned();
            rule.1 = v["help"].as_str().unwrap_or("").to_owned();
            rule.2.push(format!(
                "{} [{}]",
                v["page"].as_str().unwrap_or("?"),
                v["mode"].as_str().unwrap_or("?")
            ));
            for t in v["targets"].as_array().into_iter().flatten() {
                let t = t.to_string();
                if rule.3.len() < 5 && !rule.3.contains(&t) {
                    rule.3.push(t);
                }
            }
        }
        for (rule, (impact, help, pages, targets)) in rules {
            let shown: Vec<&str> = pages.iter().take(8).map(String::as_str).collect();
            let more = pages.len().saturating_sub(shown.len());
            let _ = writeln!(
                out,
                "{title}: {rule} ({impact}) on {} page(s): {help}\n    pages: {}{}\n    targets: {}",
                pages.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
                targets.join(", "),
            );
        }
    }
    for (key, title) in [
        ("thirdPartyRequests", "third-party request"),
        ("failedRequests", "failed request"),
        ("scriptErrors", "script error"),
        ("reflow", "horizontal scrolling at 360px"),
        ("brokenLinks", "broken link"),
        ("errors", "audit error"),
    ] {
        for item in list(key) {
            let _ = writeln!(out, "{title}: {item}");
        }
    }
    for c in report["noJs"]["checks"].as_array().into_iter().flatten() {
        if c["ok"] != Value::Bool(true) {
            let _ = writeln!(
                out,
                "page check failed: {} {}",
                c["name"].as_str().unwrap_or("?"),
                c.get("detail").map(Value::to_string).unwrap_or_default()
            );
        }
    }
    out
}
