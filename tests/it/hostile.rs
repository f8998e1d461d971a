//! Every string field set to a hostile value: nothing may reach the HTML unescaped.

use hotdesk::build;

use crate::support::*;

const XSS: &str = r#"\"'><script>alert(1)</script><img src=x onerror=alert(2)>{{ 7*7 }}{% raw %}"#;

fn hostile_site() -> tempfile::TempDir {
    let site = minimal_site();
    let root = site.path();
    let x = XSS;
    write(
        root,
        "content/site.yaml",
        &format!(
            "title: \"T {x}\"\ndescription: \"D {x}\"\nbase_url: https://minimal.example.org/\nlanguage: en\ntime_zone: America/Halifax\npublisher: \"P {x}\"\nlicence: \"L {x}\"\n"
        ),
    );
    write(
        root,
        "content/regions.yaml",
        &format!(
            "regions:\n  - id: harbour\n    name: \"R {x}\"\n    kind: urban\n    description: \"RD {x}\"\n  - id: hills\n    name: Hills\n    kind: rural\n"
        ),
    );
    write(
        root,
        "content/amenities.yaml",
        &format!(
            "categories:\n  - id: workspace\n    name: \"C {x}\"\namenities:\n  - id: wifi\n    name: \"A {x}\"\n    description: \"AD {x}\"\n    category: workspace\n  - id: meeting-rooms\n    name: M\n    description: M\n    category: workspace\n"
        ),
    );
    write(
        root,
        "content/spaces/harbour-hub.md",
        &format!(
            "---\nname: \"N {x}\"\nregion: harbour\nstatus: active\nsummary: \"S {x}\"\naddress:\n  street: \"St {x}\"\n  locality: \"Lo {x}\"\n  region: \"Re {x}\"\n  postal_code: \"PC {x}\"\n  country: CA\nlocation:\n  lat: 46.2\n  lon: -63.1\nwebsite: \"https://a.example.org/?q=\\\"><script>alert(3)</script>\"\namenities: [wifi]\nplans:\n  - name: \"Pl {x}\"\n    price: 1\n    currency: CAD\n    period: day\nlanguages: [en]\naccessibility:\n  notes: \"AN {x}\"\nimages:\n  - src: images/a.svg\n    alt: \"Alt {x}\"\n    width: 10\n    height: 10\nlast_verified: \"2026-10-01\"\n---\n<script>alert(4)</script>\n\n[click](javascript:alert(5)) [c2](JaVaScRiPt:alert(6)) [c3](&#106;avascript:alert(7)) [c4](data:text/html,x)\n\n<a href=\"vbscript:alert(8)\" onclick=\"alert(9)\">v</a> <iframe src=\"https://evil.example\"></iframe>\n\n{x}\n"
        ),
    );
    write(
        root,
        "content/static/images/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(
        root,
        "content/partnerships/work-near-home.md",
        &format!(
            "---\nname: \"PN {x}\"\nsummary: \"PS {x}\"\ngovernment:\n  name: \"G {x}\"\n  level: provincial\njurisdiction: \"J {x}\"\nkinds: [memberships]\nstatus: active\nstart: \"2026-01-01\"\nopen_to_all_eligible: true\neligibility: \"E {x}\"\nfunding:\n  amount: 5\n  currency: CAD\n  pays_for: \"F {x}\"\ncontact:\n  name: \"CN {x}\"\n  email: a@b.example.org\n---\n{x}\n"
        ),
    );
    write(
        root,
        "content/sessions/how-to-apply.md",
        &format!(
            "---\ntitle: \"ST {x}\"\nstart: \"2026-12-08T10:00\"\nend: \"2026-12-08T11:30\"\nspace: harbour-hub\npartnership: work-near-home\nhost:\n  body: \"HB {x}\"\n  role: \"HR {x}\"\ntopics: [\"TO {x}\"]\nlanguage: en\nstatus: scheduled\n---\n{x}\n"
        ),
    );
    write(
        root,
        "content/pages/about.md",
        &format!("---\ntitle: \"PT {x}\"\ndescription: \"PD {x}\"\nmenu: 1\n---\n{x}\n"),
    );
    site
}

#[test]
fn no_hostile_string_reaches_html_unescaped() {
    let site = hostile_site();
    let (out, diags) = build::render(&options(site.path())).unwrap_or_else(|e| match e {
        hotdesk::error::Error::Invalid(d) => panic!("{}", d.render()),
        e => panic!("{e}"),
    });
    let _ = diags;
    let mut pages = 0;
    for (path, f) in &out.files {
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(f.bytes.to_vec()).unwrap();
        let lower = html.to_ascii_lowercase();
        // Escaped text may spell "onerror=" harmlessly; what matters is real tags and
        // their attributes.
        for tag in lower
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or(""))
        {
            let name = tag.split_whitespace().next().unwrap_or("");
            assert!(
                !["iframe", "object", "embed"].contains(&name),
                "{path}: <{tag}>"
            );
            for (attr, value) in attributes(tag) {
                assert!(!attr.starts_with("on"), "{path}: event handler in <{tag}>");
                if ["href", "src", "action", "formaction"].contains(&attr.as_str()) {
                    let v = value.trim_start();
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        assert!(!v.starts_with(scheme), "{path}: {attr}={v} in <{tag}>");
                    }
                }
            }
        }
        // Content is never evaluated as a template.
        assert!(
            !html.contains(">49<") && !html.contains(" 49 "),
            "{path}: template syntax in content was evaluated"
        );
        // Every <script> in the page is the theme's own, or JSON-LD data that no content
        // string can close (no `<` inside) and that parses as JSON.
        for (i, _) in lower.match_indices("<script") {
            let tag = &lower[i..lower[i..].find('>').map_or(lower.len(), |e| i + e)];
            if tag == "<script type=\"application/ld+json\"" {
                let body = &html[i + tag.len() + 1..];
                let body = &body[..body.find("</script>").expect("closed")];
                assert!(!body.contains('<'), "{path}: `<` inside JSON-LD");
                serde_json::from_str::<serde_json::Value>(body)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD is not JSON: {e}"));
                continue;
            }
            assert!(
                tag.contains("src=\"/assets/"),
                "{path}: unexpected script tag {tag}"
            );
        }
    }
    assert!(pages > 10);
    let space =
        String::from_utf8(out.get("spaces/harbour-hub/index.html").unwrap().to_vec()).unwrap();
    assert!(
        space.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped text is shown, not dropped"
    );
}

/// Attribute names and values of a tag's text (after the `<`), skipping quoted values.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = tag.chars().collect();
    let mut i = chars
        .iter()
        .position(|c| c.is_whitespace())
        .unwrap_or(chars.len());
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let q = chars[i];
                i += 1;
                while i < chars.len() && chars[i] != q {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

// ---- Content that used to panic, hang or pass when it should not (issue 19). ----

/// The one error with `code` in `file`, which must carry a line (a located error).
fn located<'a>(
    d: &'a hotdesk::error::Diagnostics,
    file: &str,
    code: &str,
) -> &'a hotdesk::error::Diagnostic {
    let hit = d
        .iter()
        .find(|x| x.display_path() == file && x.code == code)
        .unwrap_or_else(|| panic!("no `{code}` in {file}:\n{}", d.render()));
    assert!(hit.line_col().is_some(), "not located: {}", hit.headline());
    hit
}

/// Replaces `from` by `to` in one file of the site.
fn edit(root: &std::path::Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_listing_limit_beyond_the_calendar_is_a_located_error() {
    let site = minimal_site();
    let root = site.path();
    let site_yaml = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    write(
        root,
        "content/site.yaml",
        &format!("{site_yaml}listing:\n  criteria:\n    verified_within_months: 239977\n"),
    );
    let d = diagnostics(root);
    let hit = located(&d, "content/site.yaml", "bad-verified-within");
    assert_eq!(hit.line_col().unwrap().0, 10, "{}", hit.headline());
}

#[test]
fn a_repeat_rule_with_multibyte_text_is_a_located_error() {
    for rule in [
        "FREQ=€",
        "€€",
        "RRUL€",
        "FREQ=WEEKLY;BYDAY=€",
        "FREQ=WEEKLY;BYDAY=2€",
    ] {
        let site = minimal_site();
        let root = site.path();
        edit(
            root,
            "content/sessions/how-to-apply.md",
            "status: scheduled\n",
            &format!("status: scheduled\nrepeat: \"{rule}\"\n"),
        );
        let d = diagnostics(root);
        let hit = d
            .iter()
            .find(|x| x.display_path() == "content/sessions/how-to-apply.md")
            .unwrap_or_else(|| panic!("{rule}: no error:\n{}", d.render()));
        assert_eq!(
            hit.line_col().map(|l| l.0),
            Some(15),
            "{rule}: {}",
            hit.headline()
        );
    }
}

#[cfg(unix)]
#[test]
fn linked_folders_are_refused_once_and_never_followed() {
    use std::os::unix::fs::symlink;
    let site = minimal_site();
    let root = site.path();
    // A page outside content/ that a followed link would publish (or report on).
    write(root, "outside/leak.md", "---\ntitle: Leak\n---\nsecret\n");
    std::fs::remove_dir_all(root.join("content/pages")).unwrap();
    symlink(root.join("outside"), root.join("content/pages")).unwrap();
    symlink("/etc", root.join("content/static")).unwrap();
    let d = diagnostics(root);
    let links: Vec<String> = d
        .iter()
        .filter(|x| x.code == "symlink")
        .map(|x| x.display_path())
        .collect();
    assert_eq!(links, ["content/pages", "content/static"], "{}", d.render());
    assert!(
        d.iter()
            .all(|x| !x.display_path().starts_with("content/pages/")
                && !x.display_path().starts_with("content/static/")),
        "{}",
        d.render()
    );
    let msg = &d.iter().find(|x| x.code == "symlink").unwrap().message;
    assert!(msg.contains("is a symbolic link"), "{msg}");

    // The content folder itself.
    let site = minimal_site();
    let root = site.path();
    std::fs::rename(root.join("content"), root.join("real")).unwrap();
    symlink(root.join("real"), root.join("content")).unwrap();
    let d = diagnostics(root);
    assert_eq!(
        d.iter().filter(|x| x.code == "symlink").count(),
        1,
        "{}",
        d.render()
    );
}

/// Runs `hotdesk check` on `root`, failing the test after 20 s instead of hanging.
#[cfg(unix)]
fn check_with_watchdog(root: &std::path::Path) -> (i32, String) {
    let (tx, rx) = std::sync::mpsc::channel();
    let root = root.to_str().unwrap().to_owned();
    std::thread::spawn(move || {
        let (code, _, err) = hotdesk(&["check", "--root", &root, "--now", "2026-11-25"]);
        let _ = tx.send((code, err));
    });
    rx.recv_timeout(std::time::Duration::from_secs(20))
        .expect("`hotdesk check` hung on a special file")
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_being_opened() {
    let site = minimal_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("content/static")).unwrap();
    for fifo in ["content/spaces/pipe.md", "content/static/pipe.svg"] {
        let ok = std::process::Command::new("mkfifo")
            .arg(root.join(fifo))
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let (code, err) = check_with_watchdog(root);
    assert_eq!(code, 1, "{err}");
    for fifo in ["content/spaces/pipe.md", "content/static/pipe.svg"] {
        assert!(
            err.contains(&format!("{fifo}: error: is not a regular file")),
            "{err}"
        );
    }
}

#[test]
fn static_files_that_can_run_script_are_refused() {
    let site = minimal_site();
    let root = site.path();
    write(
        root,
        "content/static/x.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script></svg>",
    );
    write(root, "content/static/y.svg", "<svg onload=\"alert(1)\"/>");
    write(
        root,
        "content/static/page.html",
        "<script>alert(1)</script>",
    );
    write(root, "content/static/feed.XML", "<x/>");
    write(
        root,
        "content/static/fine.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>",
    );
    let d = diagnostics(root);
    let hit = located(&d, "content/static/x.svg", "active-static-file");
    assert_eq!(hit.line_col(), Some((2, 1)), "{}", hit.headline());
    assert!(hit.message.contains("<script>"), "{}", hit.message);
    located(&d, "content/static/y.svg", "active-static-file");
    for f in ["content/static/page.html", "content/static/feed.XML"] {
        let hit = d.iter().find(|x| x.display_path() == f).expect(f);
        assert!(
            hit.message.contains("a page belongs in content/pages/"),
            "{}",
            hit.message
        );
    }
    assert!(
        d.iter()
            .all(|x| x.display_path() != "content/static/fine.svg"),
        "{}",
        d.render()
    );
}

#[test]
fn a_mebibyte_of_brackets_is_refused_before_any_parser() {
    // Refused by the linear guard; before it, 200 KB took 30 s (a parser read it first).
    let site = minimal_site();
    let text = format!(
        "---\nname: x\ncapacity: {}\n---\n",
        "[".repeat(1024 * 1024 - 40)
    );
    write(site.path(), "content/spaces/deep.md", &text);
    let d = diagnostics(site.path());
    let hit = located(&d, "content/spaces/deep.md", "yaml-too-deep");
    assert_eq!(hit.line_col().unwrap().0, 3);
    assert!(hit.message.contains("`capacity`"), "{}", hit.message);
}

#[test]
fn values_the_type_accepts_but_the_site_cannot_show_are_refused() {
    let site = minimal_site();
    let root = site.path();
    let space = "content/spaces/harbour-hub.md";
    let text = std::fs::read_to_string(root.join(space)).unwrap();
    let name_line = text
        .lines()
        .find(|l| l.starts_with("name:"))
        .unwrap()
        .to_owned();
    edit(root, space, &name_line, "name: ~");
    edit(root, space, "price: 25", "price: 1.7e308");
    edit(root, space, "capacity: 30", "capacity: 100001");
    edit(
        root,
        "content/spaces/hill-house.md",
        "name: ",
        "name: \u{202E}",
    );
    let lang = "a".repeat(10_000);
    edit(
        root,
        "content/sessions/how-to-apply.md",
        "language: en",
        &format!("language: {lang}"),
    );
    edit(
        root,
        "content/pages/about.md",
        "title: ",
        &format!("title: {}", "T".repeat(201)),
    );
    let d = diagnostics(root);
    located(&d, space, "missing-field");
    let price = located(&d, space, "bad-price");
    assert!(
        price.message.contains("from 0 to 1,000,000,000"),
        "{}",
        price.message
    );
    located(&d, space, "bad-capacity");
    let bidi = located(&d, "content/spaces/hill-house.md", "invisible-character");
    assert!(bidi.message.contains("U+202E"), "{}", bidi.message);
    located(&d, "content/sessions/how-to-apply.md", "bad-language");
    let long = located(&d, "content/pages/about.md", "too-long");
    assert!(long.message.contains("at most 200"), "{}", long.message);
}

#[test]
fn a_markdown_table_that_amplifies_is_refused_at_its_body() {
    // A 100-column header over 300,000 one-cell rows: 0.9 MB of text that rendered to 30
    // million cells (406 MB of memory) before the cap. The body starts on line 5.
    let site = minimal_site();
    let root = site.path();
    let page = std::fs::read_to_string(root.join("content/pages/about.md")).unwrap();
    let front_end = page.match_indices("---\n").nth(1).expect("front matter").0 + 4;
    let mut table = "|a".repeat(100) + "|\n" + &"|-".repeat(100) + "|\n";
    for _ in 0..300_000 {
        table.push_str("|x\n");
    }
    let body_line = page[..front_end].lines().count() + 2;
    write(
        root,
        "content/pages/about.md",
        &format!("{}\n{table}", &page[..front_end]),
    );
    let d = diagnostics(root);
    let hit = located(&d, "content/pages/about.md", "body-too-costly");
    assert_eq!(hit.line_col().unwrap().0, body_line, "{}", hit.headline());
    assert_eq!(d.iter().filter(|x| x.code == "body-too-costly").count(), 1);
    // An ordinary table elsewhere is untouched.
    let d = diagnostics(minimal_site().path());
    assert!(d.iter().all(|x| x.code != "body-too-costly"));
}

/// A device node that reads without end (`/dev/zero`'s numbers) among the content: it
/// must be refused from its file type, never read. Making one needs root, which CI has;
/// elsewhere the test says loudly that it cannot run.
#[cfg(unix)]
#[test]
fn a_device_node_is_refused_without_being_read() {
    let site = minimal_site();
    let root = site.path();
    std::fs::create_dir_all(root.join("content/static")).unwrap();
    for dev in ["content/spaces/zero.md", "content/static/zero.png"] {
        let made = std::process::Command::new("mknod")
            .arg(root.join(dev))
            .args(["c", "1", "5"])
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            assert!(
                std::env::var_os("CI").is_none(),
                "mknod failed under CI: this test must run there (as root)"
            );
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "!! SKIPPED a_device_node_is_refused_without_being_read: mknod needs root"
            );
            return;
        }
    }
    let (code, err) = check_with_watchdog(root);
    assert_eq!(code, 1, "{err}");
    for dev in ["content/spaces/zero.md", "content/static/zero.png"] {
        assert!(
            err.contains(&format!("{dev}: error: is not a regular file")),
            "{err}"
        );
    }
}
