//! Issue #7, "a directory that provably favours no space": the listing policy of
//! `site.yaml`, inclusion criteria, the generated page "How spaces are listed", equal
//! cards, `/data/neutrality.json` and `hotdesk audit`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use hotdesk::build::{self, Options, Output};
use hotdesk::error::{Error, Severity};
use hotdesk::index::Index;
use hotdesk::listing::{self, Reason};
use hotdesk::model::{Site, SpaceStatus};
use hotdesk::neutral::{self, OrderPolicy};
use jiff::Timestamp;
use serde_json::Value;

use crate::support::*;

pub(crate) const SITE_HEAD: &str = "title: Minimal Directory\ndescription: A tiny directory used by the tests.\n\
base_url: https://minimal.example.org/\nlanguage: en\ntime_zone: America/Halifax\n";

pub(crate) fn at(date: &str) -> Timestamp {
    hotdesk::cli::parse_now(date).unwrap()
}

pub(crate) fn render_at(root: &Path, now: Timestamp) -> Output {
    match build::render(&Options::new(root, now)) {
        Ok((out, _)) => out,
        Err(Error::Invalid(d)) => panic!("{}", d.render()),
        Err(e) => panic!("{e}"),
    }
}

pub(crate) fn model(root: &Path, now: Timestamp) -> (Site, Index) {
    let (site, diags) = build::check(&Options::new(root, now)).unwrap();
    let site = site.unwrap_or_else(|| panic!("{}", diags.render()));
    let idx = Index::new(&site, now);
    (site, idx)
}

fn page(out: &Output, path: &str) -> String {
    String::from_utf8(
        out.get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .to_vec(),
    )
    .unwrap()
}

/// The text of every card list (`data-neutral-list`) of a page, outer `<ul>` included.
fn card_list_html(html: &str) -> Vec<&str> {
    let mut lists = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find("data-neutral-list") {
        let start = html[..from + i]
            .rfind("<ul")
            .expect("a card list is a <ul>");
        let mut depth = 0;
        let mut pos = start;
        let end = loop {
            let open = html[pos..].find("<ul").map(|j| pos + j);
            let close = pos + html[pos..].find("</ul>").expect("unclosed card list");
            match open {
                Some(o) if o < close => {
                    depth += 1;
                    pos = o + 3;
                }
                _ => {
                    depth -= 1;
                    pos = close + 5;
                    if depth == 0 {
                        break pos;
                    }
                }
            }
        };
        lists.push(&html[start..end]);
        from = end;
    }
    lists
}

/// The contents of the `<li class="card-item" ...>` elements of a card list.
fn cards(list: &str) -> Vec<&str> {
    let inner = &list[..list.rfind("</ul>").expect("a card list ends with </ul>")];
    inner
        .split("<li class=\"card-item\"")
        .skip(1)
        .map(|c| &c[c.find('>').expect("unclosed <li>") + 1..])
        .collect()
}

/// The space a card links to first (its title).
fn card_slug(card: &str) -> String {
    let i = card
        .find("href=\"/spaces/")
        .expect("a card links to its space")
        + 14;
    card[i..i + card[i..].find('/').unwrap()].to_owned()
}

/// The spaces of every card list of a page, in order.
fn listed_slugs(html: &str) -> Vec<Vec<String>> {
    card_list_html(html)
        .into_iter()
        .map(|l| cards(l).into_iter().map(card_slug).collect())
        .collect()
}

/// The DOM shape of an HTML fragment: one entry per tag, `name attr1 attr2` (attribute
/// names sorted, values and text removed) or `/name` for a closing tag.
fn skeleton(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            out.push(format!("/{}", name.trim()));
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let mut attrs = Vec::new();
        let mut a = &tag[name_end..];
        loop {
            a = a.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if a.is_empty() {
                break;
            }
            let n = a
                .find(|c: char| c == '=' || c.is_whitespace() || c == '/')
                .unwrap_or(a.len());
            attrs.push(&a[..n]);
            a = &a[n..];
            if let Some(v) = a.strip_prefix('=') {
                let q = v.chars().next().unwrap();
                assert!(q == '"' || q == '\'', "unquoted attribute value in {tag}");
                let close = v[1..].find(q).expect("unclosed attribute value");
                a = &v[close + 2..];
            }
        }
        attrs.sort_unstable();
        out.push(
            format!("{} {}", &tag[..name_end], attrs.join(" "))
                .trim()
                .to_owned(),
        );
    }
    out
}

pub(crate) fn criteria_site() -> tempfile::TempDir {
    let site = minimal_site();
    copy_dir(
        &fixtures().join("listing-criteria/content"),
        &site.path().join("content"),
    );
    site
}

pub(crate) fn space_md(name: &str, region: &str) -> String {
    format!(
        "---\nname: {name}\nregion: {region}\nstatus: active\naddress:\n  street: 1 Road\n  \
         locality: Upton\n  region: Prince Edward Island\n  postal_code: C0A 1A0\n  country: CA\n\
         location:\n  lat: 46.4\n  lon: -62.9\namenities: [wifi]\naccessibility:\n  step_free: true\n\
         last_verified: \"2026-10-01\"\n---\nA space.\n"
    )
}

// ---------------------------------------------------------------------------
// Policy in site.yaml
// ---------------------------------------------------------------------------

#[test]
fn the_listing_policy_defaults_and_parses() {
    let site = minimal_site();
    let (s, _) = model(site.path(), now());
    assert_eq!(s.config.listing, listing::ListingPolicy::default());
    assert_eq!(s.config.listing.order, OrderPolicy::Shuffle);
    assert_eq!(s.config.listing.first_screen, 12);
    assert_eq!(
        s.config.listing.criteria.status,
        [SpaceStatus::Active, SpaceStatus::TemporarilyClosed]
    );

    write(
        site.path(),
        "content/site.yaml",
        &format!(
            "{SITE_HEAD}listing:\n  order: rotate-daily\n  first_screen: 5\n  criteria:\n    \
             status: [temporarily-closed, active, active]\n    drop_in: true\n    \
             verified_within_months: 6\n"
        ),
    );
    let (s, _) = model(site.path(), now());
    let l = &s.config.listing;
    assert_eq!(l.order, OrderPolicy::RotateDaily);
    assert_eq!(l.first_screen, 5);
    assert_eq!(
        l.criteria.status,
        [SpaceStatus::Active, SpaceStatus::TemporarilyClosed]
    );
    assert!(l.criteria.drop_in && !l.criteria.accessibility && !l.criteria.contact);
    assert_eq!(l.criteria.verified_within_months, Some(6));
    // The policy reaches the templates: the list attribute neutral.js reads.
    let out = render_at(site.path(), now());
    assert!(page(&out, "index.html").contains("data-neutral-policy=\"rotate-daily\""));
}

#[test]
fn alphabetical_is_a_located_warning_and_sorts_ignoring_case_and_accents() {
    let site = minimal_site();
    write(
        site.path(),
        "content/site.yaml",
        &format!("{SITE_HEAD}listing:\n  order: alphabetical\n"),
    );
    write(
        site.path(),
        "content/spaces/ecole-du-port.md",
        &space_md("École du Port", "harbour"),
    );
    write(
        site.path(),
        "content/spaces/atelier-nord.md",
        &space_md("atelier Nord", "hills"),
    );
    write(
        site.path(),
        "content/spaces/zed-works.md",
        &space_md("Zed Works", "hills"),
    );
    let (out, diags) = build::render(&options(site.path())).unwrap();
    let warnings: Vec<_> = diags.iter().filter(|d| d.code == "not-neutral").collect();
    assert_eq!(warnings.len(), 1, "{}", diags.render());
    let w = warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.display_path(), "content/site.yaml");
    // `  order: alphabetical` is line 7; the caret is on the value.
    assert_eq!(w.line_col(), Some((7, 10)), "{}", w.render());
    assert!(w.render().contains("^^^^^^^^^^^^"), "{}", w.render());

    let home = listed_slugs(&page(&out, "index.html"));
    assert_eq!(
        home[0],
        [
            "atelier-nord",
            "ecole-du-port",
            "harbour-hub",
            "hill-house",
            "zed-works"
        ]
    );
    assert!(page(&out, "index.html").contains("data-neutral-policy=\"alphabetical\""));
    // Alphabetical order is the same every day.
    let later = render_at(site.path(), at("2027-03-01"));
    assert_eq!(listed_slugs(&page(&later, "index.html"))[0], home[0]);
}

#[test]
fn bad_listing_values_are_located_errors() {
    let site = minimal_site();
    write(
        site.path(),
        "content/site.yaml",
        &format!("{SITE_HEAD}listing:\n  order: random\n"),
    );
    let Err(Error::Invalid(d)) = build::render(&options(site.path())) else {
        panic!("`order: random` accepted");
    };
    let e = d.iter().find(|d| d.severity == Severity::Error).unwrap();
    assert_eq!(e.line_col(), Some((7, 10)), "{}", e.render());
    assert!(e.render().contains("shuffle"), "{}", e.render());

    write(
        site.path(),
        "content/site.yaml",
        &format!("{SITE_HEAD}listing:\n  criteria:\n    featured: true\n"),
    );
    let Err(Error::Invalid(d)) = build::render(&options(site.path())) else {
        panic!("a promotional criterion accepted");
    };
    assert!(
        d.iter().any(|d| d.code == "promotional-field"),
        "{}",
        d.render()
    );

    // `order` is refused anywhere but listing.order of site.yaml.
    let text = std::fs::read_to_string(site.path().join("content/spaces/harbour-hub.md"))
        .unwrap()
        .replacen("status: active\n", "status: active\norder: 1\n", 1);
    write(site.path(), "content/site.yaml", SITE_HEAD);
    write(site.path(), "content/spaces/harbour-hub.md", &text);
    let Err(Error::Invalid(d)) = build::render(&options(site.path())) else {
        panic!("`order:` in a space accepted");
    };
    assert!(
        d.iter()
            .any(|d| d.code == "promotional-field" && d.display_path().ends_with("harbour-hub.md")),
        "{}",
        d.render()
    );
}

// ---------------------------------------------------------------------------
// Inclusion criteria
// ---------------------------------------------------------------------------

#[test]
fn criteria_include_and_exclude_with_reasons() {
    let site = criteria_site();
    let (s, idx) = model(site.path(), now());
    let slug = |i: usize| s.spaces[i].slug.to_string();
    let listed: BTreeSet<String> = idx.listed.iter().map(|&i| slug(i)).collect();
    assert_eq!(
        listed,
        BTreeSet::from(["bay-desk".to_owned(), "harbour-hub".to_owned()])
    );
    let excluded: BTreeMap<String, Vec<&str>> = idx
        .excluded
        .iter()
        .map(|e| {
            (
                slug(e.space),
                e.reasons.iter().map(Reason::criterion).collect(),
            )
        })
        .collect();
    assert_eq!(excluded["dune-room"], ["status"]);
    assert_eq!(
        excluded["hill-house"],
        ["drop_in", "contact", "verified_within_months"]
    );
    assert_eq!(
        excluded["old-mill"],
        ["status", "drop_in", "contact", "verified_within_months"]
    );
    assert_eq!(excluded.len(), 3);

    let out = render_at(site.path(), now());
    // Listed in every list they belong to, the others in none.
    assert_eq!(
        listed_slugs(&page(&out, "index.html"))[0]
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>(),
        listed
    );
    assert_eq!(
        listed_slugs(&page(&out, "partnerships/work-near-home/index.html")),
        [["harbour-hub"]]
    );
    assert_eq!(
        listed_slugs(&page(&out, "regions/hills/index.html")),
        Vec::<Vec<String>>::new()
    );
    // Unlisted spaces keep their page, which says why they are not listed.
    let hill = page(&out, "spaces/hill-house/index.html");
    assert!(hill.contains("class=\"notice not-listed\""), "{hill}");
    assert!(hill.contains("It does not welcome drop-in visitors."));
    assert!(
        hill.contains("Its details were last checked on 1 September 2026, more than 2 months ago.")
    );
    let harbour = page(&out, "spaces/harbour-hub/index.html");
    assert!(!harbour.contains("not-listed"));
    // The policy page names each excluded space with its reasons.
    let policy = page(&out, "how-spaces-are-listed/index.html");
    assert!(policy.contains("2 of the 5 spaces in the directory are listed."));
    for needle in [
        "It welcomes drop-in visitors.",
        "It gives a website, an email address or a phone number.",
        "Its details were checked in the last 2 months.",
        "<a href=\"/spaces/dune-room/\">Dune Room</a>: Its status is “Temporarily closed”; listed statuses: Open.",
        "<a href=\"/spaces/old-mill/\">Old Mill</a>",
    ] {
        assert!(policy.contains(needle), "missing {needle:?}");
    }
    // And so does the published report.
    let json: Value = serde_json::from_slice(out.get("data/neutrality.json").unwrap()).unwrap();
    let ex = json["excluded"].as_array().unwrap();
    assert_eq!(ex.len(), 3);
    let hill = ex.iter().find(|e| e["slug"] == "hill-house").unwrap();
    assert_eq!(hill["url"], "/spaces/hill-house/");
    let criteria: Vec<&str> = hill["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["criterion"].as_str().unwrap())
        .collect();
    assert_eq!(criteria, ["drop_in", "contact", "verified_within_months"]);
    assert!(
        hill["reasons"][2]["text"]
            .as_str()
            .unwrap()
            .contains("2026-09-01")
    );
}

#[test]
fn build_and_check_print_a_one_line_listing_summary() {
    let site = criteria_site();
    let root = site.path().to_str().unwrap();
    let (code, out, err) = hotdesk(&["check", "--root", root, "--now", "2026-11-25"]);
    assert_eq!(code, 0, "{out}{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("listing: "))
        .unwrap_or_else(|| panic!("no summary in {out:?}"));
    // `check` says who is listed and why not; the audit's verdict is `build`'s.
    assert_eq!(
        line,
        "listing: 2 of 5 spaces listed, rotate-daily order; not listed: dune-room (status), hill-house (drop_in, contact, verified_within_months), old-mill (status, drop_in, contact, verified_within_months) (see /how-spaces-are-listed/)"
    );

    let target = site.path().join("public");
    let (code, out, err) = hotdesk(&[
        "build",
        "--root",
        root,
        "--now",
        "2026-11-25",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("listing: 2 of 5"))
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].starts_with("listing: 2 of 5 spaces listed, rotate-daily order, audit pass over 365 days; not listed: dune-room (status), hill-house"), "{out}");
}

// ---------------------------------------------------------------------------
// The lists of the example
// ---------------------------------------------------------------------------

#[test]
fn every_listed_space_is_in_each_of_its_lists_exactly_once_and_unlisted_ones_nowhere() {
    let root = example();
    let (s, idx) = model(&root, now());
    let out = render_at(&root, now());
    let slug = |i: usize| s.spaces[i].slug.to_string();
    let listed: Vec<String> = idx.listed.iter().map(|&i| slug(i)).collect();
    let unlisted: BTreeSet<String> = idx.excluded.iter().map(|e| slug(e.space)).collect();
    assert!(
        !unlisted.is_empty(),
        "the example should have an unlisted (closed) space"
    );

    let home = listed_slugs(&page(&out, "index.html"));
    assert_eq!(home.len(), 1);
    assert_eq!(home[0], listed, "home page = the index's order of the day");
    assert_eq!(listed_slugs(&page(&out, "spaces/index.html")), home);

    let position: BTreeMap<&str, usize> = listed
        .iter()
        .enumerate()
        .map(|(p, s)| (s.as_str(), p))
        .collect();
    let mut pages = 0;
    for (path, file) in &out.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(file.bytes.to_vec()).unwrap();
        for list in listed_slugs(&html) {
            pages += 1;
            let set: BTreeSet<&String> = list.iter().collect();
            assert_eq!(set.len(), list.len(), "{path}: a space twice in {list:?}");
            for slug in &list {
                assert!(!unlisted.contains(slug), "{path}: unlisted {slug} shown");
            }
            // Every list is a sub-list of the day's order.
            let ranks: Vec<usize> = list.iter().map(|s| position[s.as_str()]).collect();
            assert!(
                ranks.windows(2).all(|w| w[0] < w[1]),
                "{path}: {list:?} is not in the day's relative order"
            );
        }
    }
    assert!(pages > 20, "only {pages} card lists found");

    // Each region, amenity and partnership page lists exactly its listed spaces.
    for r in &s.regions {
        let html = page(&out, &format!("regions/{}/index.html", r.id));
        let want: Vec<String> = idx.by_region[r.id.as_str()]
            .iter()
            .map(|&i| slug(i))
            .collect();
        let got = listed_slugs(&html).into_iter().next().unwrap_or_default();
        assert_eq!(got, want, "region {}", r.id);
        let all_there: Vec<String> = idx
            .listed
            .iter()
            .filter(|&&i| s.spaces[i].region == r.id)
            .map(|&i| slug(i))
            .collect();
        assert_eq!(got, all_there, "region {}", r.id);
    }
    for a in &s.amenities {
        let html = page(&out, &format!("amenities/{}/index.html", a.id));
        let got = listed_slugs(&html).into_iter().next().unwrap_or_default();
        let want: Vec<String> = idx
            .listed
            .iter()
            .filter(|&&i| s.spaces[i].amenities.contains(&a.id))
            .map(|&i| slug(i))
            .collect();
        assert_eq!(got, want, "amenity {}", a.id);
    }
    for (pi, p) in s.partnerships.iter().enumerate() {
        let html = page(&out, &format!("partnerships/{}/index.html", p.slug));
        let got = listed_slugs(&html).into_iter().next().unwrap_or_default();
        let want: Vec<String> = idx.partnership_spaces[pi]
            .iter()
            .map(|&i| slug(i))
            .collect();
        assert_eq!(got, want, "partnership {}", p.slug);
    }
}

#[test]
fn the_order_changes_with_the_date_and_not_otherwise() {
    let root = example();
    let day1 = render_at(&root, at("2026-11-25"));
    let day1_again = render_at(&root, at("2026-11-25T20:00:00Z"));
    let day2 = render_at(&root, at("2026-11-26"));
    let order = |o: &Output| listed_slugs(&page(o, "index.html")).remove(0);
    assert_eq!(order(&day1), order(&day1_again), "same date, same order");
    assert_ne!(order(&day1), order(&day2), "the order rotates daily");
    let mut a = order(&day1);
    let mut b = order(&day2);
    a.sort();
    b.sort();
    assert_eq!(a, b, "same spaces, another order");
    // The order is the documented permutation of the slug-sorted listed spaces.
    let (s, idx) = model(&root, at("2026-11-25"));
    let perm = neutral::permutation(a.len(), neutral::seed_for_date(idx.order_date));
    let expected: Vec<String> = perm.iter().map(|&k| a[k].clone()).collect();
    assert_eq!(order(&day1), expected);
    assert_eq!(s.config.listing.order, OrderPolicy::Shuffle);
}

#[test]
fn every_card_on_the_home_page_has_the_same_dom_shape() {
    // The helper must see a difference when there is one.
    assert_ne!(
        skeleton("<p class=\"a\">x</p>"),
        skeleton("<p class=\"a\" id=\"b\">x</p>")
    );
    assert_ne!(skeleton("<p>x</p>"), skeleton("<p><strong>x</strong></p>"));
    assert_eq!(skeleton("<p a=\"1\">x</p>"), skeleton("<p a=\"2\">yy</p>"));

    let out = render_at(&example(), now());
    let home = page(&out, "index.html");
    let lists = card_list_html(&home);
    assert_eq!(lists.len(), 1);
    let cards = cards(lists[0]);
    assert!(cards.len() >= 15, "{} cards", cards.len());
    let first = skeleton(cards[0]);
    for tag in [
        "article class",
        "h3 class",
        "a href",
        "dl class",
        "dt",
        "dd",
    ] {
        assert!(first.iter().any(|t| t == tag), "no `{tag}` in {first:?}");
    }
    for (i, card) in cards.iter().enumerate() {
        assert_eq!(
            skeleton(card),
            first,
            "card {i} ({}) differs",
            card_slug(card)
        );
    }
}

// ---------------------------------------------------------------------------
// The generated page and the published report
// ---------------------------------------------------------------------------

#[test]
fn the_generated_page_gives_the_seed_and_how_to_reproduce_it() {
    let root = example();
    let out = render_at(&root, now());
    let html = page(&out, "how-spaces-are-listed/index.html");
    let seed = neutral::seed_for_date(jiff::civil::date(2026, 11, 25));
    assert!(
        html.contains(&format!("<code class=\"order-seed\">{seed}</code>")),
        "{html}"
    );
    assert!(html.contains("hotdesk:2026-11-25"));
    assert!(html.contains("hotdesk audit --now 2026-11-25"));
    assert!(html.contains("href=\"/data/neutrality.json\""));
    assert!(
        html.contains("The Loft on Kent"),
        "the closed space is named"
    );
    // Linked from every page's footer and from the content page about the order.
    assert!(page(&out, "index.html").contains("<a href=\"/how-spaces-are-listed/\">"));
    assert!(
        page(&out, "how-listings-are-ordered/index.html")
            .contains("href=\"/how-spaces-are-listed/\"")
    );
    // French strings exist for every key the page uses (the theme is the repository's).
    let theme = manifest_dir().join("themes/default");
    let fr = std::fs::read_to_string(theme.join("strings/fr.yaml")).unwrap();
    let en = std::fs::read_to_string(theme.join("strings/en.yaml")).unwrap();
    let template = std::fs::read_to_string(theme.join("templates/listing-policy.html")).unwrap();
    let keys: BTreeSet<&str> = template
        .match_indices("t.")
        .filter(|(i, _)| {
            !template[..*i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        })
        .map(|(i, _)| {
            let k = &template[i + 2..];
            &k[..k
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap()]
        })
        .collect();
    assert!(keys.len() > 30, "{keys:?}");
    for key in keys {
        assert!(en.contains(&format!("\n{key}:")), "en.yaml lacks {key}");
        assert!(fr.contains(&format!("\n{key}:")), "fr.yaml lacks {key}");
    }
}

#[test]
fn neutrality_json_has_the_documented_shape() {
    let out = render_at(&example(), now());
    let json: Value = serde_json::from_slice(out.get("data/neutrality.json").unwrap()).unwrap();
    for key in [
        "algorithm",
        "policy",
        "seed",
        "date",
        "window",
        "lists",
        "excluded",
    ] {
        assert!(json.get(key).is_some(), "no `{key}`");
    }
    assert_eq!(json["algorithm"], neutral::ALGORITHM);
    assert_eq!(json["policy"]["order"], "shuffle");
    assert_eq!(json["policy"]["first_screen"], 12);
    assert_eq!(json["date"], "2026-11-25");
    assert_eq!(
        json["seed"],
        neutral::seed_for_date(jiff::civil::date(2026, 11, 25))
    );
    assert_eq!(json["window"]["days"], 365);
    assert_eq!(json["window"]["first_day"], "2025-11-26");
    assert_eq!(json["window"]["last_day"], "2026-11-25");
    assert_eq!(json["verdict"], "pass");
    let lists = json["lists"].as_array().unwrap();
    assert_eq!(lists[0]["kind"], "home");
    let kinds: BTreeSet<&str> = lists.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["home", "region", "amenity", "partnership"])
    );
    for l in lists {
        assert!(l["n_items"].as_u64().unwrap() >= 2);
        assert_eq!(l["trials"], 365);
        let items = l["items"].as_array().unwrap();
        assert_eq!(items.len() as u64, l["n_items"].as_u64().unwrap());
        for i in items {
            let mean = i["mean_position"].as_f64().unwrap();
            assert!(mean >= 1.0 && mean <= l["n_items"].as_f64().unwrap());
            let share = i["first_screen_share"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&share));
            assert!(i["slug"].is_string());
        }
    }
    assert!(!json["excluded"].as_array().unwrap().is_empty());
    // Deterministic: the same build gives the same bytes.
    let again = render_at(&example(), now());
    assert_eq!(
        out.get("data/neutrality.json"),
        again.get("data/neutrality.json")
    );
}
