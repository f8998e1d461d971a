//! A directory published under a path, as a GitHub Pages project site is
//! (`https://org.github.io/directory/`): every link, stylesheet, script, image, feed and
//! search-index URL must start with `/directory/` and lead to a file of the build.
//!
//! The link check reads every HTML page of the output and resolves each root-relative
//! `href`, `src` and `data-index` against the output folder, so it also holds for a site
//! at the root of its domain (where it guards against links to pages that do not exist).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::{Client, Locator};
use hotdesk::build;

use crate::support::*;
use crate::webdriver::{Driver, StaticServer, tools, wait_for};

const SUB: &str = "https://org.github.io/directory/";

/// Builds `site-minimal` with `base_url` set to `base`; returns the temp folder and its
/// output folder.
fn build_with_base(base: &str) -> (tempfile::TempDir, PathBuf) {
    let site = minimal_site();
    let yaml = site.path().join("content/site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    let text = text.replace("https://minimal.example.org/", base);
    assert!(
        text.contains(base),
        "the fixture gives a base_url to replace"
    );
    fs::write(&yaml, text).unwrap();
    let public = site.path().join("public");
    build::build(&options(site.path()), &public).expect("the fixture builds");
    (site, public)
}

/// The values of `href`, `src` and `data-index` attributes in `html`.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " data-index=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').expect("a closed attribute");
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Whether `url` (root-relative, query and fragment allowed) names a file of `public`
/// once `root` is taken off.
fn resolves(public: &Path, root: &str, url: &str) -> bool {
    let Some(rel) = url.strip_prefix(root) else {
        return false;
    };
    let rel = rel.split(['?', '#']).next().unwrap_or_default();
    let p = public.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        p.join("index.html").is_file()
    } else {
        p.is_file()
    }
}

fn html_files(public: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(public)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// Checks every root-relative reference of every page; returns how many were checked.
fn check_links(public: &Path, root: &str) -> usize {
    let mut broken = BTreeSet::new();
    let mut checked = 0;
    for file in html_files(public) {
        let html = fs::read_to_string(&file).unwrap();
        for url in references(&html) {
            if url.starts_with("//") || !url.starts_with('/') {
                continue;
            }
            checked += 1;
            if !resolves(public, root, &url) {
                let page = file.strip_prefix(public).unwrap().display().to_string();
                broken.insert(format!("{page}: {url}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links that do not start with {root} or lead nowhere:\n  {}",
        broken.into_iter().collect::<Vec<_>>().join("\n  ")
    );
    checked
}

#[test]
fn the_link_check_finds_a_link_outside_the_path() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("spaces/a")).unwrap();
    fs::write(dir.path().join("spaces/a/index.html"), "x").unwrap();
    assert!(resolves(
        dir.path(),
        "/directory/",
        "/directory/spaces/a/#map"
    ));
    assert!(!resolves(dir.path(), "/directory/", "/spaces/a/"));
    assert!(!resolves(dir.path(), "/directory/", "/directory/spaces/b/"));
    assert_eq!(
        references(
            r#"<a href="/x/?a=1&amp;b=2">x</a><img src="/i.png"><form data-index="/s.json">"#
        ),
        ["/x/?a=1&b=2", "/i.png", "/s.json"]
    );
}

#[test]
fn every_link_of_a_site_at_the_root_leads_to_a_page() {
    let (_site, public) = build_with_base("https://minimal.example.org/");
    let n = check_links(&public, "/");
    assert!(n > 200, "the check saw {n} links: too few to mean anything");
}

#[test]
fn every_link_of_a_site_under_a_path_starts_with_the_path() {
    let (_site, public) = build_with_base(SUB);
    let n = check_links(&public, "/directory/");
    assert!(n > 200, "the check saw {n} links: too few to mean anything");

    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert!(locs.len() > 5);
    for loc in &locs {
        assert!(
            loc.starts_with(SUB),
            "sitemap entry outside the site: {loc}"
        );
    }
    let robots = fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(
        robots.contains(&format!("Sitemap: {SUB}sitemap.xml")),
        "{robots}"
    );
    let space = fs::read_to_string(public.join("spaces/harbour-hub/index.html")).unwrap();
    assert!(
        space.contains(&format!(
            r#"<link rel="canonical" href="{SUB}spaces/harbour-hub/">"#
        )),
        "the canonical URL is under the path"
    );
    let data: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("data/spaces.json")).unwrap()).unwrap();
    let text = data.to_string();
    assert!(
        text.contains(&format!("{SUB}spaces/harbour-hub/")),
        "data files link under the path"
    );
    assert!(
        !text.contains("https://org.github.io/spaces/"),
        "no data URL drops the path"
    );
}

#[test]
fn base_url_on_the_command_line_overrides_site_yaml() {
    let site = minimal_site();
    let out = site.path().join("out");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hotdesk"))
            .args(args)
            .arg("--root")
            .arg(site.path())
            .args(["--now", "2026-11-25T12:00:00Z"])
            .output()
            .expect("hotdesk runs")
    };
    let o = run(&[
        "build",
        "--base-url",
        "https://org.github.io/directory",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    check_links(&out, "/directory/");
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://org.github.io/directory/spaces/harbour-hub/</loc>"));

    let bad = run(&[
        "build",
        "--base-url",
        "not a url",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a bad --base-url is a usage error"
    );
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("--base-url"),
        "the error names the flag: {err}"
    );
    assert!(
        out.join("index.html").is_file(),
        "a refused build leaves the output as it was"
    );
}

#[test]
fn a_site_under_a_path_works_in_a_real_browser() {
    let Some((driver, browser)) = tools("the browser test of a site under a path") else {
        return;
    };
    let (_site, public) = build_with_base(SUB);
    let server = StaticServer::start_under(&public, "/directory/");
    let mut driver = Driver::start(&driver, &browser);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let c = driver.session(true).await;
            let r = visit(&c, &server).await;
            c.close().await.ok();
            r.unwrap();
        });
}

async fn visit(c: &Client, server: &StaticServer) -> Result<(), fantoccini::error::CmdError> {
    // A space page, styled: its stylesheet loaded from under the path.
    c.goto(&server.url("/directory/spaces/harbour-hub/"))
        .await?;
    let rules = c
        .execute(
            "const s = document.styleSheets[0]; return s ? s.cssRules.length : 0;",
            vec![],
        )
        .await?;
    assert!(
        rules.as_u64().unwrap_or(0) > 10,
        "the stylesheet loads: {rules}"
    );
    let h1 = c.find(Locator::Css("h1")).await?.text().await?;
    assert!(h1.contains("Harbour Hub"), "{h1}");

    // A search from the home page: the index loads and the results link under the path.
    c.goto(&server.url("/directory/")).await?;
    wait_for(
        c,
        "return !document.querySelector('form[data-search]').hidden;",
        10,
    )
    .await;
    c.find(Locator::Id("search-q"))
        .await?
        .send_keys("harbour")
        .await?;
    let href = wait_for(
        c,
        "const a = document.querySelector('#all-spaces ul.search-results:not([hidden]) > li a'); \
         return a ? a.getAttribute('href') : '';",
        20,
    )
    .await;
    assert_eq!(href.as_str(), Some("/directory/spaces/harbour-hub/"));
    // Headless Chromium's viewport (757 px) is shorter than the window WebDriver
    // reckons with (900 px): a result just below the fold is "in view" for the click
    // and hit by nothing. Scroll it to the middle first, as browser.rs's `click` does.
    let result = c
        .find(Locator::Css("#all-spaces ul.search-results > li a"))
        .await?;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
        vec![serde_json::to_value(&result).expect("an element reference")],
    )
    .await?;
    result.click().await?;
    wait_for(
        c,
        "return location.pathname === '/directory/spaces/harbour-hub/' && document.querySelector('h1');",
        10,
    )
    .await;
    Ok(())
}
