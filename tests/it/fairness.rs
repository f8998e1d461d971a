//! Partnerships that show they are fair: the spread report and `check`'s warnings, on
//! `tests/fixtures/fairness/{concentrated,balanced}/` laid over `site-minimal`.

use hotdesk::build;

use crate::feeds::{overlay_site, render, text};
use crate::support::*;

fn warnings(root: &std::path::Path) -> Vec<(String, String, String)> {
    let (_, d) = build::check(&options(root)).unwrap();
    d.iter()
        .map(|d| (d.code.to_owned(), d.display_path(), d.message.clone()))
        .collect()
}

#[test]
fn a_concentrated_partnership_is_warned_about_in_its_own_file() {
    let site = overlay_site("fairness/concentrated");
    let w = warnings(site.path());
    let codes: Vec<&str> = w.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        ["concentrated-sessions", "region-without-sessions"],
        "{w:?}"
    );
    for (_, path, _) in &w {
        assert_eq!(path, "content/partnerships/work-near-home.md");
    }
    assert!(w[0].2.contains("harbour-hub hosts 5 of"), "{}", w[0].2);
    assert!(w[1].2.contains("hills"), "{}", w[1].2);
    let (_, d) = build::check(&options(site.path())).unwrap();
    let shown = d.render();
    assert!(
        shown.contains("content/partnerships/work-near-home.md:2:1: warning:"),
        "{shown}"
    );
}

#[test]
fn a_balanced_partnership_is_silent_and_so_is_the_minimal_site() {
    let site = overlay_site("fairness/balanced");
    assert_eq!(warnings(site.path()), []);
    // Three dates each at two spaces: 50% is above 40%, but it is an even split.
    let site = minimal_site();
    assert_eq!(warnings(site.path()), []);
}

#[test]
fn the_threshold_comes_from_site_yaml() {
    let site = overlay_site("fairness/concentrated");
    let p = site.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{yaml}fairness:\n  max_session_share: 1.0\n")).unwrap();
    let codes: Vec<String> = warnings(site.path()).into_iter().map(|w| w.0).collect();
    assert_eq!(codes, ["region-without-sessions"]);
    std::fs::write(&p, format!("{yaml}fairness:\n  max_session_share: 1.5\n")).unwrap();
    let d = match build::render(&options(site.path())) {
        Err(hotdesk::error::Error::Invalid(d)) => d,
        other => panic!("expected an error, got {:?}", other.map(|_| ())),
    };
    assert!(d.render().contains("site.yaml"), "{}", d.render());
}

#[test]
fn the_report_command_and_page_show_the_spread() {
    let site = overlay_site("fairness/concentrated");
    let root = site.path().to_str().unwrap();
    let (code, out, _) = hotdesk(&["report", "--root", root, "--now", "2026-11-25T12:00:00Z"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("5 in-person dates"), "{out}");
    assert!(out.contains("harbour-hub"));
    assert!(out.contains("warning: content/partnerships/work-near-home.md"));
    let (_, out, _) = hotdesk(&[
        "report",
        "--root",
        root,
        "--now",
        "2026-11-25T12:00:00Z",
        "--max-share",
        "1",
    ]);
    assert!(!out.contains("hosts 5 of"), "{out}");
    let (code, _, _) = hotdesk(&["report", "--root", root, "--max-share", "2"]);
    assert_eq!(code, 2, "a share above 1 is a usage error");

    let html = text(&render(site.path()), "partnerships/report/index.html");
    assert!(
        html.contains("Harbour Hub hosts 5 of 5 in-person dates"),
        "{html}"
    );
    // The example directory's partnerships are fair.
    let html = text(&render(&example()), "partnerships/report/index.html");
    assert_eq!(
        html.matches("No warning: the sessions are spread fairly.")
            .count(),
        3
    );
}

#[test]
fn the_partnership_page_discloses_everything() {
    let out = render(&example());
    let html = text(&out, "partnerships/business-advisors-drop-in/index.html");
    for needle in [
        "Atlantic Business Development Office (example)",
        "Federal",
        "Canada",
        "1 September 2025",
        "Any coworking space in Prince Edward Island",
    ] {
        assert!(html.contains(needle), "{needle} is not on the page");
    }
    let html = text(&out, "partnerships/work-near-home-pei/index.html");
    assert!(html.contains("CA$184,000"), "funding is disclosed");
    // Every participating space is listed.
    assert_eq!(
        html.matches("<article class=\"card\">").count(),
        9,
        "nine participating spaces"
    );
}
