//! `hotdesk audit`: it passes on the example and on fixtures, fails on an alphabetical
//! site and on a biased order, and replays exactly the lists the index builds (moved out
//! of neutrality.rs, which passed 800 lines).

use hotdesk::audit::{self, ListKind};
use hotdesk::listing;
use hotdesk::neutral::{OrderPolicy, Verdict};
use serde_json::Value;

use crate::neutrality::{SITE_HEAD, at, criteria_site, model, render_at, space_md};
use crate::support::*;

#[test]
fn audit_passes_on_the_example_and_prints_what_the_build_publishes() {
    let root = example();
    let root_s = root.to_str().unwrap();
    let (code, out, err) = hotdesk(&["audit", "--root", root_s, "--now", "2026-11-25"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("window: 365 days, 2025-11-26 to 2026-11-25"),
        "{out}"
    );
    assert!(out.contains("\nhome all (/)"), "{out}");
    assert!(out.contains("mean position"), "{out}");
    assert!(out.contains("\nverdict: pass"), "{out}");

    let (code, json, _) = hotdesk(&[
        "audit",
        "--root",
        root_s,
        "--now",
        "2026-11-25",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let built = render_at(&root, at("2026-11-25"));
    assert_eq!(
        json.as_bytes(),
        built.get("data/neutrality.json").unwrap(),
        "`audit --format json` and /data/neutrality.json differ"
    );

    let (code, short, _) = hotdesk(&[
        "audit",
        "--root",
        root_s,
        "--now",
        "2026-11-25",
        "--days",
        "30",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let short: Value = serde_json::from_str(&short).unwrap();
    assert_eq!(short["window"]["days"], 30);
    assert_eq!(short["window"]["first_day"], "2026-10-27");

    // Too few days to test anything is not a pass.
    let (code, out, _) = hotdesk(&[
        "audit",
        "--root",
        root_s,
        "--now",
        "2026-11-25",
        "--days",
        "2",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("verdict: inconclusive"), "{out}");
    let (code, _, _) = hotdesk(&["audit", "--root", root_s, "--days", "0"]);
    assert_eq!(code, 2);
}

#[test]
fn audit_passes_on_a_fixture_and_fails_on_an_alphabetical_site() {
    let site = criteria_site();
    let root = site.path().to_str().unwrap();
    let (code, out, err) = hotdesk(&["audit", "--root", root, "--now", "2026-11-25"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("not listed: dune-room"), "{out}");

    let site = minimal_site();
    for i in 0..12 {
        write(
            site.path(),
            &format!("content/spaces/extra-{i:02}.md"),
            &space_md(&format!("Extra {i:02}"), "hills"),
        );
    }
    write(
        site.path(),
        "content/site.yaml",
        &format!("{SITE_HEAD}listing:\n  order: alphabetical\n"),
    );
    let root = site.path().to_str().unwrap();
    let (code, out, err) = hotdesk(&["audit", "--root", root, "--now", "2026-11-25"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("-> FAIL"), "{out}");
    assert!(out.contains("\nverdict: FAIL"), "{out}");
}

/// A site of 40 listed spaces over the two regions.
fn many_spaces() -> tempfile::TempDir {
    let site = minimal_site();
    for i in 0..38 {
        write(
            site.path(),
            &format!("content/spaces/space-{i:02}.md"),
            &space_md(
                &format!("Space {i:02}"),
                if i % 2 == 0 { "harbour" } else { "hills" },
            ),
        );
    }
    site
}

#[test]
fn the_audit_detects_a_biased_order_function() {
    let site = many_spaces();
    let (s, idx) = model(site.path(), now());
    assert_eq!(idx.listed.len(), 40);
    let fair = audit::audit_site(&s, &idx, 365);
    assert_eq!(fair.verdict, Verdict::Pass, "{}", fair.human());
    assert!(fair.passes());

    let favourite = s
        .spaces
        .iter()
        .position(|x| x.slug.as_str() == "space-17")
        .unwrap();
    let fair_order = |date| listing::daily_order(&s, &idx.listed, OrderPolicy::Shuffle, date);
    // Every third day, the favourite is moved to the top of the list.
    let mut day = 0;
    let biased = audit::audit_with(&s, &idx, 365, |date| {
        let mut order = fair_order(date);
        day += 1;
        if day % 3 == 0 {
            let at = order.iter().position(|&x| x == favourite).unwrap();
            order[..=at].rotate_right(1);
        }
        order
    });
    assert_eq!(biased.verdict, Verdict::Fail, "{}", biased.human());
    assert!(!biased.passes());
    let home = &biased.lists[0];
    assert_eq!(home.kind, ListKind::Home);
    assert_eq!(home.verdict, Verdict::Fail);
    let row = home.items.iter().find(|r| r.slug == "space-17").unwrap();
    assert!(row.first_screen_share > 0.45, "{row:?}");
    assert!(row.mean_position_z < -5.0, "{row:?}");
    // Its region's page, a sub-list of the same order, shows the bias too.
    let hills = biased.lists.iter().find(|l| l.id == "hills").unwrap();
    assert_eq!(hills.verdict, Verdict::Fail);
}

#[test]
fn the_audit_replays_the_lists_exactly_as_the_index_builds_them() {
    // With the same order every day, each space's mean position in each list is its
    // position in that list as the index (and so the site) shows it.
    let site = many_spaces();
    let (s, idx) = model(site.path(), now());
    let report = audit::audit_with(&s, &idx, 30, |_| idx.listed.clone());
    assert_eq!(
        report.verdict,
        Verdict::Fail,
        "a fixed order is not neutral"
    );
    let slug = |i: usize| s.spaces[i].slug.to_string();
    let mut checked = 0;
    for list in &report.lists {
        let shown: Vec<String> = match list.kind {
            ListKind::Home => idx.listed.iter().map(|&i| slug(i)).collect(),
            ListKind::Region => idx.by_region[&list.id].iter().map(|&i| slug(i)).collect(),
            ListKind::Amenity => idx.by_amenity[&list.id].iter().map(|&i| slug(i)).collect(),
            ListKind::Partnership => {
                let p = s
                    .partnerships
                    .iter()
                    .position(|p| p.slug.as_str() == list.id)
                    .unwrap();
                idx.partnership_spaces[p].iter().map(|&i| slug(i)).collect()
            }
        };
        assert_eq!(list.items.len(), shown.len(), "{}", list.id);
        for row in &list.items {
            let at = shown.iter().position(|x| *x == row.slug).unwrap();
            assert_eq!(
                row.mean_position,
                (at + 1) as f64,
                "{} in {}",
                row.slug,
                list.id
            );
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked}");
    // Lists of fewer than two spaces are not audited; the rest are.
    assert_eq!(
        report
            .lists
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>(),
        [
            "all",
            "harbour",
            "hills",
            "wifi",
            "meeting-rooms",
            "work-near-home"
        ]
        .into_iter()
        .filter(|id| *id != "meeting-rooms" || idx.by_amenity["meeting-rooms"].len() >= 2)
        .collect::<Vec<_>>()
    );
}

#[test]
#[should_panic(expected = "not a permutation of the listed spaces")]
fn the_audit_refuses_an_order_that_drops_or_repeats_spaces() {
    let site = many_spaces();
    let (s, idx) = model(site.path(), now());
    audit::audit_with(&s, &idx, 10, |_| {
        let mut o = idx.listed.clone();
        o[1] = o[0];
        o
    });
}
