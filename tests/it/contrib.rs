//! The contributor workflow (issue #5): `check`'s output formats, the warnings a
//! reviewer acts on, `new` and `init`, the JSON Schemas and `diff` (the GitHub
//! workflows and issue forms are in workflows.rs).
//!
//! `diff` needs git: outside CI a missing git skips those tests with a loud warning; in
//! CI (`CI=true`) it fails them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use hotdesk::build;
use hotdesk::error::Severity;
use hotdesk::report_format;
use hotdesk::scaffold::{self, Kind, placeholders};
use hotdesk::schema;
use serde_json::Value;

use crate::support::*;

// ---------------------------------------------------------------------------------------
// Helpers

fn invalid_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    cases
}

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn hotdesk(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hotdesk"));
    cmd.args(args).env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub(crate) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const NOW: &str = "2026-11-25T12:00:00Z";

// ---------------------------------------------------------------------------------------
// check --format

#[test]
fn github_and_json_formats_of_every_invalid_fixture() {
    let cases = invalid_cases();
    assert!(cases.len() >= 20, "found {} invalid fixtures", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = case_site(&case);
        let d = diagnostics(site.path());
        let github = report_format::github_annotations(&d, "");
        assert_eq!(
            github.lines().count(),
            d.len(),
            "{name}: one annotation per problem"
        );
        for line in github.lines() {
            assert!(
                line.starts_with("::error ") || line.starts_with("::warning "),
                "{name}: {line}"
            );
            // The message part may hold `::`, but a raw line break would end the command.
            assert!(!line.contains('\r'), "{name}: {line}");
        }
        insta::assert_snapshot!(format!("github-{name}"), github);

        let json = report_format::json(&d);
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["errors"].as_u64().unwrap() as usize, d.error_count());
        assert_eq!(v["problems"].as_array().unwrap().len(), d.len());
        insta::assert_snapshot!(format!("json-{name}"), json);
    }
}

#[test]
fn check_format_github_annotates_and_writes_the_job_summary() {
    let site = case_site(&fixtures().join("invalid/unknown-amenity"));
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    fs::write(&summary, "earlier step\n").unwrap();
    let run = hotdesk(
        &[
            "check",
            "--root",
            s(site.path()),
            "--now",
            NOW,
            "--format",
            "github",
        ],
        &[("GITHUB_STEP_SUMMARY", s(&summary))],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    // --root is absolute and outside the working directory: the path is then absolute.
    let expected = format!(
        "::error file={}/content/spaces/harbour-hub.md,line=14,col=19,title=hotdesk unknown-id::unknown amenity \"wifii\"%0Adid you mean \"wifi\"?",
        site.path().display().to_string().trim_start_matches('/')
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.replace("file=/", "file=").starts_with(&expected)),
        "{}",
        run.stdout
    );
    let text = fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n### hotdesk check: 2 errors, 0 warnings\n"),
        "{text}"
    );
    assert!(
        text.contains("| error | `")
            && text.contains("content/spaces/harbour-hub.md` | 14:19 | unknown amenity"),
        "{text}"
    );
}

#[test]
fn check_format_github_names_files_relative_to_the_working_directory() {
    let site = case_site(&fixtures().join("invalid/unknown-amenity"));
    let run = Command::new(env!("CARGO_BIN_EXE_hotdesk"))
        .current_dir(site.path().parent().unwrap())
        .args(["check", "--now", NOW, "--format", "github", "--root"])
        .arg(site.path().file_name().unwrap())
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let want = format!(
        "::error file={}/content/spaces/harbour-hub.md,line=14,col=19,",
        site.path().file_name().unwrap().to_string_lossy()
    );
    assert!(stdout.starts_with(&want), "{stdout}");
}

#[test]
fn check_format_json_is_one_document_on_stdout() {
    let site = case_site(&fixtures().join("invalid/many-files"));
    let run = hotdesk(
        &[
            "check",
            "--root",
            s(site.path()),
            "--now",
            NOW,
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(v["errors"].as_u64().unwrap() as usize, problems.len());
    for p in problems {
        for key in [
            "severity",
            "code",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "label",
            "help",
        ] {
            assert!(p.get(key).is_some(), "{key} missing in {p}");
        }
        assert!(p["file"].as_str().unwrap().starts_with("content/"), "{p}");
    }

    let good = minimal_site();
    let run = hotdesk(
        &[
            "check",
            "--root",
            s(good.path()),
            "--now",
            NOW,
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(run.code, 0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["problems"], Value::Array(vec![]));
}

#[test]
fn human_format_keeps_the_headline_and_is_plain_in_a_pipe() {
    let site = case_site(&fixtures().join("invalid/unknown-amenity"));
    let run = hotdesk(&["check", "--root", s(site.path()), "--now", NOW], &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/spaces/harbour-hub.md:14:19: error: unknown amenity \"wifii\""),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\x1b'), "no colour in a pipe");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let site = minimal_site();
    // A scheduled session from April: more than 30 days past on 2026-11-25.
    let p = site.path().join("content/sessions/spring-webinar.md");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(&p, text.replace("status: cancelled", "status: scheduled")).unwrap();
    for (format, want) in [("human", 0), ("github", 0), ("json", 0)] {
        let run = hotdesk(
            &[
                "check",
                "--root",
                s(site.path()),
                "--now",
                NOW,
                "--format",
                format,
            ],
            &[],
        );
        assert_eq!(run.code, want, "{format}: {}{}", run.stdout, run.stderr);
        let run = hotdesk(
            &[
                "check",
                "--root",
                s(site.path()),
                "--now",
                NOW,
                "--format",
                format,
                "--deny-warnings",
            ],
            &[],
        );
        assert_eq!(run.code, 1, "{format} --deny-warnings");
    }
}

// ---------------------------------------------------------------------------------------
// Warnings

fn warnings(root: &Path, code: &str) -> Vec<(String, String)> {
    diagnostics(root)
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning);
            (d.display_path(), d.message.clone())
        })
        .collect()
}

#[test]
fn a_scheduled_session_more_than_30_days_past_is_a_warning() {
    let site = minimal_site();
    let p = site.path().join("content/sessions/spring-webinar.md");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(&p, text.replace("status: cancelled", "status: scheduled")).unwrap();
    // Ended 10 days before "now": still recent, no warning.
    let recent = fs::read_to_string(site.path().join("content/sessions/how-to-apply.md"))
        .unwrap()
        .replace("2026-12-08", "2026-11-15");
    write(site.path(), "content/sessions/recent.md", &recent);
    let found = warnings(site.path(), "past-session");
    assert_eq!(
        found,
        [(
            "content/sessions/spring-webinar.md".to_owned(),
            "the session ended on 2026-04-14, more than 30 days ago".to_owned()
        )]
    );
}

fn space_copy(root: &Path, slug: &str, edit: impl Fn(String) -> String) {
    let text = fs::read_to_string(root.join("content/spaces/harbour-hub.md")).unwrap();
    write(root, &format!("content/spaces/{slug}.md"), &edit(text));
}

#[test]
fn a_space_at_the_same_address_or_within_30_m_is_a_possible_duplicate() {
    let site = minimal_site();
    let root = site.path();
    // Same address written differently, and far away coordinates.
    space_copy(root, "harbour-hub-again", |t| {
        t.replace("name: Harbour Hub", "name: The Harbour Hub")
            .replace("1 Water Street", "1 water st.")
            .replace("lat: 46.23", "lat: 46.5")
    });
    // 20 m north of harbour-hub, another address.
    space_copy(root, "next-door", |t| {
        t.replace("1 Water Street", "3 Water Street")
            .replace("lat: 46.23", "lat: 46.23018")
    });
    // 40 m south: far enough.
    space_copy(root, "down-the-road", |t| {
        t.replace("1 Water Street", "9 Water Street")
            .replace("lat: 46.23", "lat: 46.22964")
    });
    // Closed, at the same address: a successor, not a duplicate.
    space_copy(root, "closed-one", |t| {
        t.replace("status: active", "status: closed")
    });
    let found: BTreeMap<String, String> =
        warnings(root, "possible-duplicate").into_iter().collect();
    let keys: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "content/spaces/harbour-hub-again.md",
            "content/spaces/harbour-hub.md",
            "content/spaces/next-door.md",
        ]
    );
    assert_eq!(
        found["content/spaces/harbour-hub.md"],
        "this space may already be listed: `harbour-hub-again` has the same address, `next-door` is 20 m away"
    );
    assert_eq!(
        found["content/spaces/next-door.md"],
        "this space may already be listed: `harbour-hub` is 20 m away"
    );
}

// ---------------------------------------------------------------------------------------
// new

/// A valid value for each placeholder of each template, by field.
fn fill(kind: Kind, text: &str) -> String {
    let value = |key: Option<&str>, in_body: bool| -> &'static str {
        if in_body {
            return "A real description.";
        }
        match (
            kind,
            key.expect("a front-matter placeholder names its field"),
        ) {
            (Kind::Space, "region") => "harbour",
            (Kind::Space, "address.street") => "5 New Road",
            (Kind::Space, "address.locality") => "Port Town",
            (Kind::Space, "address.region") => "Prince Edward Island",
            (Kind::Space, "address.postal_code") => "C1A 2B2",
            (Kind::Space, "address.country") => "CA",
            (Kind::Space, "location.lat") => "46.30",
            (Kind::Space, "location.lon") => "-63.00",
            (Kind::Space, k) if k.starts_with("accessibility.") => "true",
            (Kind::Space, "last_verified") => "\"2026-11-20\"",
            (Kind::Session, "start") => "\"2026-12-10T10:00\"",
            (Kind::Session, "end") => "\"2026-12-10T11:00\"",
            (Kind::Session, "space") => "harbour-hub",
            (Kind::Session, "host.body") => "Department of Test Affairs",
            (Kind::Session, "host.role") => "Advisor",
            (Kind::Session, "language") => "en",
            (Kind::Partnership, "government.name") => "Department of Test Affairs",
            (Kind::Partnership, "government.level") => "provincial",
            (Kind::Partnership, "jurisdiction") => "Prince Edward Island",
            (Kind::Partnership, "kinds") => "memberships",
            (Kind::Partnership, "start") => "\"2026-01-01\"",
            (Kind::Partnership, "spaces") => "harbour-hub",
            (Kind::Partnership, "funding.amount") => "1000",
            (Kind::Partnership, "funding.currency") => "CAD",
            (Kind::Partnership, "funding.pays_for") => "Day passes",
            (Kind::Partnership, "contact.email") => "programme@example.org",
            (kind, k) => panic!("no test value for `{k}` of {kind:?}: add one"),
        }
    };
    let mut out = text.to_owned();
    for p in placeholders::find(text, true).into_iter().rev() {
        out.replace_range(p.span.clone(), value(p.key.as_deref(), p.in_body));
    }
    out
}

#[test]
fn every_new_template_fails_with_placeholders_then_passes_once_filled() {
    for kind in Kind::ALL {
        let site = minimal_site();
        let run = hotdesk(
            &[
                "new",
                &format!("{kind:?}").to_lowercase(),
                "Brand New Thing",
                "--root",
                s(site.path()),
                "--now",
                NOW,
            ],
            &[],
        );
        assert_eq!(run.code, 0, "{kind:?}: {}", run.stderr);
        let rel = format!("content/{}/brand-new-thing.md", kind.folder());
        assert!(
            run.stdout.contains(&format!("created {rel}")),
            "{}",
            run.stdout
        );
        let path = site.path().join(&rel);
        let text = fs::read_to_string(&path).unwrap();

        // Before: one located, explained error per placeholder, and nothing else.
        let expected = placeholders::find(&text, true);
        assert!(!expected.is_empty(), "{kind:?} has no placeholder");
        let d = diagnostics(site.path());
        let errors: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(errors.len(), expected.len(), "{kind:?}:\n{}", d.render());
        for (e, p) in errors.iter().zip(&expected) {
            assert_eq!(e.code, "placeholder", "{}", e.render());
            assert_eq!(e.display_path(), rel);
            assert_eq!(e.span.as_ref(), Some(&p.span));
            match &p.key {
                Some(k) => assert_eq!(e.message, format!("`{k}` is still a placeholder")),
                None => assert!(e.message.contains("text below the front matter")),
            }
            assert_eq!(
                e.label.as_deref(),
                Some(format!("expected: {}", p.what).as_str())
            );
            assert!(e.help.is_some());
        }

        // After: no problem at all.
        fs::write(&path, fill(kind, &text)).unwrap();
        let d = diagnostics(site.path());
        assert!(
            d.is_empty(),
            "{kind:?} once filled:\n{}\n{}",
            d.render(),
            fill(kind, &text)
        );
    }
}

#[test]
fn new_refuses_to_overwrite_and_folds_accents() {
    let site = minimal_site();
    let args = [
        "new",
        "space",
        "L'Atelier de l'Évangéline",
        "--root",
        s(site.path()),
    ];
    let run = hotdesk(&args, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site
        .path()
        .join("content/spaces/l-atelier-de-l-evangeline.md");
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("name: \"L'Atelier de l'Évangéline\"\n"),
        "{text}"
    );
    fs::write(&path, "mine").unwrap();
    let run = hotdesk(&args, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("content/spaces/l-atelier-de-l-evangeline.md already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "mine");

    let run = hotdesk(&["new", "page", "???", "--root", s(site.path())], &[]);
    assert_eq!(run.code, 2);
    let empty = tempfile::tempdir().unwrap();
    let run = hotdesk(&["new", "page", "About", "--root", s(empty.path())], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("hotdesk init"), "{}", run.stderr);
}

/// Every property of a schema, as dotted paths, following `$ref`s into `definitions`.
fn properties(schema: &Value, node: &Value, prefix: &str, out: &mut Vec<String>) {
    let node = match node.get("$ref").and_then(Value::as_str) {
        Some(r) => &schema["definitions"][r.trim_start_matches("#/definitions/")],
        None => node,
    };
    for sub in ["allOf", "anyOf", "oneOf"] {
        for n in node
            .get(sub)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            properties(schema, n, prefix, out);
        }
    }
    if let Some(items) = node.get("items") {
        properties(schema, items, prefix, out);
    }
    for (k, v) in node
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let path = format!("{prefix}{k}");
        out.push(path.clone());
        properties(schema, v, &format!("{path}."), out);
    }
}

#[test]
fn every_template_mentions_every_field_of_its_schema() {
    for kind in Kind::ALL {
        let text = scaffold::render_template(kind, "X", jiff::civil::date(2026, 11, 25));
        let file = schema::for_content_path(&format!("content/{}/x.md", kind.folder())).unwrap();
        let v: Value = serde_json::from_str(&file.text).unwrap();
        let mut props = Vec::new();
        properties(&v, &v, "", &mut props);
        assert!(props.len() >= 3, "{kind:?}: {props:?}");
        for p in props {
            let leaf = p.rsplit('.').next().unwrap();
            assert!(
                text.contains(&format!("{leaf}:")),
                "the `new {kind:?}` template (src/scaffold/new/) does not mention `{p}`: \
                 add it, commented with its meaning if it is optional"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// init

#[test]
fn init_makes_a_site_that_builds_at_once_and_refuses_a_non_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let run = hotdesk(&["init", s(&root), "--now", NOW], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in [
        "content/site.yaml",
        "content/amenities.yaml",
        "content/regions.yaml",
        "content/spaces/example-space.md",
        "content/pages/about.md",
        "schema/space.schema.json",
        ".vscode/settings.json",
        ".gitignore",
    ] {
        assert!(root.join(f).is_file(), "{f} missing");
    }
    assert!(
        !root.join("themes").exists(),
        "the default theme is built in"
    );
    let run = hotdesk(
        &["check", "--root", s(&root), "--now", NOW, "--deny-warnings"],
        &[],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
    let run = hotdesk(&["build", "--root", s(&root), "--now", NOW], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(root.join("public/index.html").is_file());
    assert!(
        root.join("public/spaces/example-space/index.html")
            .is_file()
    );

    // Not again, and not into any folder that has something in it.
    let before = fs::read_to_string(root.join("content/site.yaml")).unwrap();
    let run = hotdesk(&["init", s(&root)], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(root.join("content/site.yaml")).unwrap(),
        before
    );
    let other = dir.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join(".keep"), "").unwrap();
    assert_eq!(hotdesk(&["init", s(&other)], &[]).code, 2);
}

// ---------------------------------------------------------------------------------------
// Schemas

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    let dir = manifest_dir().join("schema");
    let mut committed: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut generated: Vec<String> = schema::schemas()
        .iter()
        .map(|s| s.name.to_owned())
        .collect();
    generated.sort();
    assert_eq!(
        committed, generated,
        "run `cargo run -- schema --output schema`"
    );
    for s in schema::schemas() {
        assert_eq!(
            fs::read_to_string(dir.join(s.name)).unwrap(),
            s.text,
            "schema/{} is out of date: run `cargo run -- schema --output schema`",
            s.name
        );
    }
    let settings = fs::read_to_string(manifest_dir().join(".vscode/settings.json")).unwrap();
    assert_eq!(settings, schema::vscode_settings());
}

#[test]
fn yaml_files_name_their_schema_on_the_first_line() {
    for name in ["site", "amenities", "regions"] {
        for root in [example(), manifest_dir().join("src/scaffold/init")] {
            let text = fs::read_to_string(root.join(format!("content/{name}.yaml"))).unwrap();
            let first = text.lines().next().unwrap();
            assert_eq!(
                first,
                format!("# yaml-language-server: $schema=../schema/{name}.schema.json"),
                "{}",
                root.display()
            );
        }
        assert!(
            manifest_dir()
                .join(format!("schema/{name}.schema.json"))
                .is_file()
        );
    }
}

/// The YAML of a content file (its front matter for Markdown) as JSON.
fn yaml_as_json(path: &Path) -> Option<Value> {
    let text = fs::read_to_string(path).ok()?;
    let yaml = if path.extension().is_some_and(|e| e == "md") {
        let rest = text.strip_prefix("---\n")?;
        let end = rest.find("\n---")?;
        rest[..end + 1].to_owned()
    } else {
        text
    };
    serde_yaml::from_str::<Value>(&yaml).ok()
}

fn validator_for(rel: &str) -> Option<jsonschema::Validator> {
    let file = schema::for_content_path(rel)?;
    let v: Value = serde_json::from_str(&file.text).unwrap();
    Some(jsonschema::draft7::new(&v).unwrap())
}

fn content_files(root: &Path) -> Vec<String> {
    if !root.join("content").exists() {
        return Vec::new();
    }
    walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| hotdesk::source::display_path(e.path().strip_prefix(root).unwrap()))
        .filter(|rel| schema::for_content_path(rel).is_some())
        .collect()
}

#[test]
fn the_schemas_accept_the_example_content() {
    let mut checked = 0;
    for root in [
        example(),
        fixtures().join("site-minimal"),
        manifest_dir().join("src/scaffold/init"),
    ] {
        for rel in content_files(&root) {
            let value = yaml_as_json(&root.join(&rel)).unwrap_or_else(|| panic!("{rel} parses"));
            let validator = validator_for(&rel).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}/{rel}: {errors:?}", root.display());
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} files checked");
}

#[test]
fn the_schemas_reject_the_invalid_fixtures_they_can_see() {
    let mut rejected = Vec::new();
    for case in invalid_cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for rel in content_files(&case) {
            let (Some(value), Some(validator)) =
                (yaml_as_json(&case.join(&rel)), validator_for(&rel))
            else {
                continue;
            };
            if !validator.is_valid(&value) {
                rejected.push(format!("{name}/{rel}"));
            }
        }
    }
    // Structure only: types, required and unknown fields, closed vocabularies. Ids,
    // dates, time zones and the rest are `check`'s to see.
    assert_eq!(
        rejected,
        [
            // `name: ~` is a null where the schema wants a string.
            "hostile-values/content/spaces/harbour-hub.md",
            // `level: regional`; `badge:` (and the missing address...).
            "many-files/content/partnerships/work-near-home.md",
            "many-files/content/spaces/hill-house.md",
            "missing-field/content/spaces/harbour-hub.md",
            "promotional-field/content/spaces/harbour-hub.md",
            "unknown-field/content/spaces/harbour-hub.md",
            "unknown-status/content/spaces/harbour-hub.md",
            "wrong-type/content/spaces/harbour-hub.md",
            // `check` refuses the alias itself; expanded, it puts a list in `summary`.
            "yaml-alias/content/spaces/harbour-hub.md",
        ]
    );
}

#[test]
fn the_built_site_publishes_the_schemas() {
    let site = minimal_site();
    let (out, _) = build::render(&options(site.path())).unwrap();
    for s in schema::schemas() {
        let bytes = out.get(&format!("schema/{}", s.name)).expect(s.name);
        assert_eq!(bytes, s.text.as_bytes());
    }
}
