//! `build` and `check` end to end on fixture sites: output, determinism, safety, errors.

use std::fs;

use hotdesk::build;
use hotdesk::error::Error;

use crate::support::*;

fn errors_of(root: &std::path::Path) -> hotdesk::error::Diagnostics {
    match build::render(&options(root)) {
        Err(Error::Invalid(d)) => d,
        Err(e) => panic!("unexpected failure: {e}"),
        Ok((_, d)) => d,
    }
}

/// The one test that reads the repository's own `content/`: the example a newcomer runs
/// first passes `check --deny-warnings` at the pinned date `.ci/run` uses. Every other test
/// renders `tests/fixtures/`, so a network that replaces `content/` with its own directory
/// sees this test alone go red, and only if its directory has a problem.
#[test]
fn the_example_in_content_passes_check_deny_warnings() {
    let root = manifest_dir();
    let (code, out, err) = hotdesk(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--now",
        "2026-11-25T12:00:00Z",
        "--deny-warnings",
    ]);
    // `--deny-warnings` turns any warning into exit 1: zero problems, as before.
    assert_eq!(
        code, 0,
        "the example in content/ must pass check:\n{out}{err}"
    );
}

/// The example fixture has no problem at all, warnings included (the tests that render
/// it would otherwise judge a site with errors).
#[test]
fn the_example_fixture_has_no_problem_at_all() {
    let root = example();
    let (_, diags) = build::render(&options(&root)).unwrap_or_else(|e| match e {
        Error::Invalid(d) => panic!("{}", d.render()),
        e => panic!("{e}"),
    });
    assert!(
        diags.is_empty(),
        "the example must pass check with zero problems:\n{}",
        diags.render()
    );
}

#[test]
fn the_example_fixture_has_what_the_brief_asks_for() {
    let root = example();
    let (site, _) = build::check(&options(&root)).unwrap();
    let site = site.expect("example is valid");
    assert!(site.spaces.len() >= 16, "{} spaces", site.spaces.len());
    assert!(site.amenities.len() >= 25);
    assert!(site.partnerships.len() >= 3);
    assert!(site.sessions.len() >= 10);
    use hotdesk::model::{RegionKind, SpaceStatus, Venue};
    assert!(site.regions.iter().any(|r| r.kind == RegionKind::Urban));
    assert!(site.regions.iter().any(|r| r.kind == RegionKind::Rural));
    assert!(site.spaces.iter().any(|s| s.status == SpaceStatus::Closed));
    assert!(site.spaces.iter().any(|s| s.website.is_none()));
    assert!(site.spaces.iter().any(|s| s.languages.len() >= 2));
    assert!(
        site.sessions
            .iter()
            .any(|s| matches!(s.venue, Venue::Online(_)))
    );
    let now = now();
    assert!(site.sessions.iter().any(|s| s.end_at < now));
    assert!(site.sessions.iter().any(|s| s.start_at > now));
}

#[test]
fn output_tree_of_the_minimal_site() {
    let site = minimal_site();
    let (out, diags) = build::render(&options(site.path())).unwrap();
    assert!(diags.is_empty(), "{}", diags.render());
    let listing: Vec<String> = out
        .files
        .iter()
        .map(|(path, f)| format!("{path}  ← {}", f.source))
        .collect();
    insta::assert_snapshot!("output_tree", listing.join("\n"));
}

#[test]
fn space_page_snapshot() {
    let site = minimal_site();
    let (out, _) = build::render(&options(site.path())).unwrap();
    let html =
        String::from_utf8(out.get("spaces/harbour-hub/index.html").unwrap().to_vec()).unwrap();
    insta::assert_snapshot!("space_page", html);
}

#[test]
fn two_builds_are_byte_identical() {
    let site = minimal_site();
    let a = site.path().join("out-a");
    let b = site.path().join("out-b");
    build::build(&options(site.path()), &a).unwrap();
    build::build(&options(site.path()), &b).unwrap();
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(!ta.is_empty());
    assert_eq!(ta, tb);
}

#[test]
fn the_example_builds_identically_twice() {
    let root = example();
    let (a, _) = build::render(&options(&root)).unwrap();
    let (b, _) = build::render(&options(&root)).unwrap();
    let bytes = |o: &build::Output| -> Vec<(String, Vec<u8>)> {
        o.files
            .iter()
            .map(|(k, v)| (k.clone(), v.bytes.to_vec()))
            .collect()
    };
    assert_eq!(bytes(&a), bytes(&b));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = minimal_site();
    let out = site.path().join("public");
    build::build(&options(site.path()), &out).unwrap();
    let before = tree(&out);
    write(
        site.path(),
        "content/spaces/hill-house.md",
        "---\nname: [unclosed\n---\n",
    );
    let err = build::build(&options(site.path()), &out).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert_eq!(tree(&out), before, "public/ changed after a failed build");
    let siblings: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !siblings
            .iter()
            .any(|n| n.to_string_lossy().contains("hotdesk-tmp")),
        "temporary folder left behind: {siblings:?}"
    );
}

#[test]
fn deleted_content_disappears_from_the_output() {
    let site = minimal_site();
    let out = site.path().join("public");
    build::build(&options(site.path()), &out).unwrap();
    assert!(out.join("spaces/hill-house/index.html").exists());
    fs::remove_file(site.path().join("content/spaces/hill-house.md")).unwrap();
    // The partnership names hill-house: drop it from there too.
    let p = site.path().join("content/partnerships/work-near-home.md");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace("[harbour-hub, hill-house]", "[harbour-hub]");
    fs::write(&p, text).unwrap();
    build::build(&options(site.path()), &out).unwrap();
    assert!(!out.join("spaces/hill-house").exists());
}

#[test]
fn bom_and_crlf_give_the_same_site_as_lf() {
    let lf = minimal_site();
    let crlf = minimal_site();
    for entry in walkdir::WalkDir::new(crlf.path().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap();
            fs::write(
                entry.path(),
                format!("\u{feff}{}", text.replace('\n', "\r\n")),
            )
            .unwrap();
        }
    }
    let (a, _) = build::render(&options(lf.path())).unwrap();
    let (b, _) = build::render(&options(crlf.path())).unwrap();
    assert_eq!(a.files.len(), b.files.len());
    for (path, f) in &a.files {
        assert_eq!(f.bytes, b.files[path].bytes, "{path} differs");
    }
}

#[test]
fn two_sources_writing_one_path_is_an_error_naming_both() {
    let site = minimal_site();
    write(
        site.path(),
        "content/pages/spaces.md",
        "---\ntitle: Spaces\n---\nClash.\n",
    );
    let d = errors_of(site.path());
    let hit = d
        .iter()
        .find(|d| d.code == "output-collision")
        .expect("collision reported");
    assert!(
        hit.message.contains("content/pages/spaces.md"),
        "{}",
        hit.message
    );
    assert!(hit.message.contains("content/spaces"), "{}", hit.message);
}

#[test]
fn check_never_writes() {
    let site = minimal_site();
    let before = tree(site.path());
    let _ = build::render(&options(site.path())).unwrap();
    let _ = build::check(&options(site.path())).unwrap();
    assert_eq!(tree(site.path()), before);
}

#[test]
fn upcoming_and_past_sessions_split_by_now() {
    let site = minimal_site();
    let (out, _) = build::render(&options(site.path())).unwrap();
    let html = String::from_utf8(out.get("sessions/index.html").unwrap().to_vec()).unwrap();
    let upcoming = html.find("How to apply").expect("upcoming session listed");
    let past = html.find("Spring webinar").expect("past session listed");
    assert!(upcoming < past, "upcoming sessions come before past ones");
}

#[test]
fn every_page_has_head_metadata() {
    let site = minimal_site();
    let (out, _) = build::render(&options(site.path())).unwrap();
    for (path, f) in &out.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(f.bytes.to_vec()).unwrap();
        for needle in [
            "<title>",
            "name=\"description\"",
            "rel=\"canonical\"",
            "property=\"og:title\"",
            "property=\"og:url\"",
        ] {
            assert!(html.contains(needle), "{path} lacks {needle}");
        }
    }
    let sitemap = String::from_utf8(out.get("sitemap.xml").unwrap().to_vec()).unwrap();
    assert!(sitemap.contains("<loc>https://minimal.example.org/spaces/harbour-hub/</loc>"));
    assert!(!sitemap.contains("priority"));
    assert!(out.get("robots.txt").is_some() && out.get("404.html").is_some());
}

#[test]
fn check_renders_a_sample_but_still_claims_every_path() {
    let site = minimal_site();
    write(
        site.path(),
        "content/pages/spaces.md",
        "---\ntitle: Spaces\n---\nClash.\n",
    );
    let err = build::render_check(&options(site.path())).unwrap_err();
    let Error::Invalid(d) = err else {
        panic!("expected invalid content")
    };
    assert!(
        d.iter().any(|d| d.code == "output-collision"),
        "{}",
        d.render()
    );

    // check skips the data files and calendars unless a static file lies where they go,
    // so a static file taking one of their paths is still a collision in check.
    // The same for the search index, whose words check leaves out otherwise.
    for clash in [
        "data/spaces.json",
        "spaces/harbour-hub/sessions.ics",
        "search/t0.json",
    ] {
        let site = minimal_site();
        write(site.path(), &format!("content/static/{clash}"), "clash");
        let err = build::render_check(&options(site.path())).unwrap_err();
        let Error::Invalid(d) = err else {
            panic!("expected invalid content")
        };
        assert!(
            d.iter()
                .any(|d| d.code == "output-collision" && d.message.contains(clash)),
            "{clash}: {}",
            d.render()
        );
    }

    // A broken space template is caught by check (the first space page renders).
    let site = minimal_site();
    write(
        site.path(),
        "themes/default/templates/space.html",
        "{{ space.no_such_field.x }}",
    );
    let err = build::render_check(&options(site.path())).unwrap_err();
    let Error::Invalid(d) = err else {
        panic!("expected a template error")
    };
    assert!(d.iter().any(|d| d.code == "template"), "{}", d.render());
}

/// The preview server's first pass renders a few pages before the rest of the site:
/// each must be byte for byte what the whole render makes of it, whatever its kind.
#[test]
fn pages_rendered_alone_are_the_pages_of_the_whole_site() {
    let dir = example_with_page_size(4);
    let opts = options(dir.path());
    let (whole, _) = build::render(&opts).unwrap();
    let (site, idx, _) = build::validated(&opts).unwrap();
    let html: Vec<&String> = whole
        .files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    // The home page, every section page, the first page of each kind (a space, a
    // region, an amenity, a partnership, a session, a free page) and every page 2.
    let mut wanted = std::collections::BTreeSet::new();
    for section in [
        "",
        "spaces/",
        "regions/",
        "amenities/",
        "partnerships/",
        "sessions/",
    ] {
        wanted.insert(format!("{section}index.html"));
        if let Some(first) = html.iter().find(|p| {
            p.starts_with(section) && p.matches('/').count() == section.matches('/').count() + 1
        }) {
            wanted.insert((*first).clone());
        }
    }
    wanted.insert("404.html".into());
    for p in html
        .iter()
        .filter(|p| p.contains("/page/2/") || p.starts_with("partnerships/report/"))
    {
        wanted.insert((*p).clone());
    }
    assert!(wanted.len() >= 10, "{wanted:?}");
    // A path that is no page of the site is simply not rendered.
    wanted.insert("spaces/no-such-space/index.html".into());

    let first = hotdesk::render::render_pages(&site, &idx, &opts, &wanted).unwrap();
    let first_html: Vec<&String> = first
        .files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(
        first_html.len(),
        wanted.len() - 1,
        "exactly the pages asked for: {first_html:?}"
    );
    for path in &first_html {
        assert!(
            first.get(path) == whole.get(path),
            "{path} differs from the whole render's"
        );
    }
    // The theme's assets come along: the reloaded pages ask for them at once.
    assert!(
        first.files.keys().any(|p| p.starts_with("assets/css/")),
        "the stylesheet is there"
    );
    // Nothing that needs the whole directory is made.
    for absent in ["sitemap.xml", "data/spaces.json", "sessions.ics"] {
        assert!(first.get(absent).is_none(), "{absent}");
    }
}

/// What the preview server validates with its cache, as text: the model and every
/// problem, or every problem.
fn validated_with(cache: &mut build::Cache, root: &std::path::Path) -> String {
    match build::validated_cached(&options(root), cache) {
        Ok(unlinted) => {
            let (site, _, diags) = unlinted.lint(&options(root));
            format!("{site:#?}\n{}", diags.render())
        }
        Err(Error::Invalid(d)) => d.render(),
        Err(e) => panic!("{e}"),
    }
}

fn validated_afresh(root: &std::path::Path) -> String {
    match build::validated(&options(root)) {
        Ok((site, _, diags)) => format!("{site:#?}\n{}", diags.render()),
        Err(Error::Invalid(d)) => d.render(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_servers_cache_validates_as_a_fresh_run_does_as_files_and_ids_change() {
    let dir = minimal_site();
    let root = dir.path();
    let mut cache = build::Cache::default();
    let mut check = |what: &str| {
        let cached = validated_with(&mut cache, root);
        assert_eq!(cached, validated_afresh(root), "after {what}");
        cached
    };
    let first = check("the first run");
    assert_eq!(check("a run with nothing changed"), first);

    // One space changes: it is validated again.
    let hill = root.join("content/spaces/hill-house.md");
    let text = fs::read_to_string(&hill).unwrap();
    fs::write(&hill, text.replace("region: hills", "region: hils")).unwrap();
    assert!(check("an edit to one space").contains("hils"));
    fs::write(&hill, &text).unwrap();
    check("the edit undone");

    // The ids an unchanged file refers to change: a region goes away, so Hill House
    // (unchanged) now refers to an unknown region; a space goes away, so a session at
    // it (unchanged) now does too.
    let regions = root.join("content/regions.yaml");
    let regions_text = fs::read_to_string(&regions).unwrap();
    fs::write(
        &regions,
        regions_text.replace("  - id: hills\n    name: Hills\n    kind: rural\n", ""),
    )
    .unwrap();
    let without_hills = check("a region removed");
    assert!(
        without_hills.contains("content/spaces/hill-house.md"),
        "{without_hills}"
    );
    fs::write(&regions, &regions_text).unwrap();
    check("the region back");
    fs::rename(
        root.join("content/spaces/harbour-hub.md"),
        root.join("content/spaces/harbour-hub-two.md"),
    )
    .unwrap();
    let renamed = check("a space renamed");
    assert!(
        renamed.contains("content/sessions/how-to-apply.md"),
        "{renamed}"
    );
}
