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
        let hit = located(&d, "content/sessions/how-to-apply.md", "bad-repeat");
        assert_eq!(hit.line_col().unwrap().0, 15, "{rule}: {}", hit.headline());
    }
}
