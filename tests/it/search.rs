//! Search: the index the build writes, and `search.js` against the Rust reference.
//!
//! The cross-language tests run `themes/default/static/js/search.js` under node on the
//! same inputs as `hotdesk::search` (normalisation, tokenising, typo matching, postings
//! decoding, whole queries with facet counts) and require identical answers. They need
//! `node`: without it they fail when `CI=true` and are skipped with a loud warning
//! otherwise. The browser behaviour is tested in `browser.rs`.

use std::io::ErrorKind;
use std::process::Command;

use hotdesk::build;
use hotdesk::index::Index;
use hotdesk::search::query::{self, Query};
use hotdesk::search::{SearchIndex, encode, text};
use serde_json::{Value, json};

use crate::support::*;

/// The index of a fixture site, built from the model as the renderer does.
fn index_of(root: &std::path::Path) -> SearchIndex {
    let (site, diags) = build::check(&options(root)).unwrap();
    let site = site.unwrap_or_else(|| panic!("{}", diags.render()));
    let idx = Index::new(&site, now());
    SearchIndex::build(&site, &idx)
}

fn search_js() -> std::path::PathBuf {
    manifest_dir().join("themes/default/static/js/search.js")
}

/// Runs `script` under node with `HOTDESK_SEARCH_JS` and `HOTDESK_INPUT` set; `None`
/// (after a loud warning) when node is missing outside CI.
pub(crate) fn run_node(script: &str, input: &Value) -> Option<Value> {
    let output = match Command::new("node")
        .arg("-e")
        .arg(script)
        .env("HOTDESK_SEARCH_JS", search_js())
        .env("HOTDESK_INPUT", input.to_string())
        .output()
    {
        Ok(o) => o,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "`node` is not installed, but CI=true: the Rust vs search.js tests must run in CI; install Node.js"
            );
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "\n!! WARNING: `node` not found: SKIPPING the Rust vs search.js check. !!\n"
            );
            return None;
        }
        Err(e) => panic!("could not run node: {e}"),
    };
    assert!(
        output.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("node printed JSON"))
}

/// Inputs that exercise every step of normalisation.
const TEXTS: &[&str] = &[
    "Montréal",
    "MONTRÉAL",
    "montreal",
    "Café",
    "Cafe\u{301}",
    "L'Atelier de l'Évangéline",
    "Ærøskøbing Straße Łódź Þingvellir đồng",
    "İstanbul ISTANBUL ıstanbul",
    "São Paulo, Zürich; Kraków — Bogotá!",
    "Ōtautahi Māori Gàidhlig",
    "ΣΟΦΙΑ σοφια ΟΔΟΣ",
    "Wi-Fi 24/7 · café-bar №5 ½ ²",
    "東京 서울 العربية हिन्दी",
    "ﬁne ﬂoor Ａｂｃ",
    "tab\tnew\nline  spaces",
    "emoji ☕ coffee 🚲 bike",
    "",
];

const EDIT_PAIRS: &[(&str, &str)] = &[
    ("montreal", "montrael"),
    ("montreal", "montral"),
    ("montreal", "montreall"),
    ("montreal", "mountreal"),
    ("montreal", "motnreal"),
    ("montreal", "montreal"),
    ("montreal", "mnotrael"),
    ("harbour", "harbor"),
    ("harbour", "harbuor"),
    ("cafe", "caffe"),
    ("ab", "ba"),
    ("abc", "cab"),
    ("", "a"),
    ("", ""),
];

#[test]
fn search_normalisation_is_the_same_in_rust_and_js() {
    let script = r#"
const s = require(process.env.HOTDESK_SEARCH_JS);
const input = JSON.parse(process.env.HOTDESK_INPUT);
process.stdout.write(JSON.stringify({
  normalized: input.texts.map(s.normalize),
  tokens: input.texts.map((t) => s.tokenize(s.normalize(t))),
  edits: input.pairs.map(([a, b]) => s.withinOneEdit(a, b)),
  prefix: input.pairs.map(([a, b]) => s.prefixWithinOneEdit(a, b)),
  decoded: input.encoded.map(([e, n]) => s.decodeIds(e, n)),
  week: input.instants.map(([t, zone]) => s.weekMinute(new Date(t), zone)),
}));
"#;
    let lists: Vec<(Vec<u32>, usize)> = vec![
        (vec![], 10),
        (vec![0, 1, 31, 32, 1_000, 40_000], 50_000),
        ((0..10_000).step_by(3).collect(), 10_000),
        ((5..600).step_by(41).collect(), 600),
    ];
    let encoded: Vec<(String, usize)> = lists
        .iter()
        .map(|(ids, n)| (encode::encode(ids, *n), *n))
        .collect();
    assert!(encoded.iter().any(|(e, _)| e.starts_with('~')));
    // "Open now" reads the weekday and minute in the site's zone, across DST changes.
    let instants: Vec<(&str, &str)> = vec![
        ("2026-11-25T12:00:00Z", "America/Halifax"),
        ("2026-11-23T03:59:00Z", "America/Halifax"),
        ("2026-03-08T06:30:00Z", "America/Halifax"),
        ("2026-10-25T00:30:00Z", "Europe/Berlin"),
        ("2026-06-01T23:45:00Z", "Asia/Kolkata"),
        ("2026-01-04T10:00:00Z", "Pacific/Auckland"),
    ];
    let week: Vec<(i8, i32)> = instants
        .iter()
        .map(|(t, zone)| {
            let z = t.parse::<jiff::Timestamp>().unwrap().in_tz(zone).unwrap();
            (
                z.weekday().to_monday_zero_offset(),
                i32::from(z.hour()) * 60 + i32::from(z.minute()),
            )
        })
        .collect();
    let input = json!({
        "texts": TEXTS,
        "pairs": EDIT_PAIRS,
        "encoded": encoded,
        "instants": instants,
    });
    let Some(js) = run_node(script, &input) else {
        return;
    };
    let normalized: Vec<String> = TEXTS.iter().map(|t| text::normalize(t)).collect();
    assert_eq!(js["normalized"], json!(normalized));
    let tokens: Vec<Vec<&str>> = normalized.iter().map(|n| text::tokenize(n)).collect();
    assert_eq!(js["tokens"], json!(tokens));
    let units = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    let edits: Vec<bool> = EDIT_PAIRS
        .iter()
        .map(|(a, b)| text::within_one_edit(a, b))
        .collect();
    assert_eq!(js["edits"], json!(edits));
    let prefix: Vec<bool> = EDIT_PAIRS
        .iter()
        .map(|(a, b)| text::prefix_within_one_edit(&units(a), &units(b)))
        .collect();
    assert_eq!(js["prefix"], json!(prefix));
    let decoded: Vec<&Vec<u32>> = lists.iter().map(|(ids, _)| ids).collect();
    assert_eq!(js["decoded"], json!(decoded));
    assert_eq!(js["week"], json!(week));
    assert_eq!(week[0], (2, 8 * 60), "Wednesday 08:00 in Halifax");
    // And the promises of the issue, spelled out.
    assert_eq!(text::normalize("Montréal"), "montreal");
    assert_eq!(text::normalize("café"), "cafe");
}

/// A query as both sides take it.
fn query(
    text: &str,
    selected: &[(&str, &[&str])],
    day: (Option<f64>, Option<f64>),
    open_at: Option<(usize, u16)>,
    near: Option<(f64, f64, Option<f64>)>,
) -> (Query, Value) {
    let q = Query {
        text: text.into(),
        selected: selected
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect(),
        day,
        month: (None, None),
        capacity: (None, None),
        open_at,
        near,
    };
    let js = json!({
        "text": text,
        "selected": q.selected,
        "day": [day.0, day.1],
        "openAt": open_at.map(|(d, m)| json!([d, m])),
        "near": near.map(|(a, b, r)| json!([a, b, r])),
    });
    (q, js)
}

#[test]
fn search_js_answers_queries_exactly_like_the_reference() {
    let index = index_of(&example());
    let none = (None, None);
    let cases = vec![
        query("", &[], none, None, None),
        query("charlottetown", &[], none, None, None),
        query("charlottetwon ", &[], none, None, None),
        query("Evangeline", &[], none, None, None),
        query("évangéline ", &[], none, None, None),
        query("mont", &[], none, None, None),
        query("summersid", &[], none, None, None),
        query("quiet wifi", &[], none, None, None),
        query("podcst studio", &[], none, None, None),
        query("xyzzy", &[], none, None, None),
        query(
            "",
            &[("region", &["charlottetown", "summerside"])],
            none,
            None,
            None,
        ),
        query(
            "",
            &[("amenity", &["wifi", "meeting-rooms"])],
            none,
            None,
            None,
        ),
        query(
            "coworking",
            &[
                ("amenity", &["wifi"]),
                ("flag", &["gov"]),
                ("lang", &["fr"]),
            ],
            none,
            None,
            None,
        ),
        query(
            "",
            &[("band", &["low", "mid"]), ("access", &["step-free"])],
            none,
            None,
            None,
        ),
        query("", &[("status", &["temporarily-closed"])], none, None, None),
        query("", &[("flag", &["session"])], none, None, None),
        query("", &[], (Some(15.0), Some(30.0)), None, None),
        query("", &[], none, Some((0, 9 * 60 + 30)), None),
        query("", &[], none, Some((6, 12 * 60)), None),
        query("", &[], none, None, Some((46.2382, -63.1311, Some(10.0)))),
        query(
            "desk",
            &[("region", &["kings-county"])],
            (None, Some(40.0)),
            Some((2, 14 * 60)),
            Some((46.2382, -63.1311, Some(100.0))),
        ),
    ];
    let script = r#"
const s = require(process.env.HOTDESK_SEARCH_JS);
const input = JSON.parse(process.env.HOTDESK_INPUT);
const ix = s.prepare(input.index);
for (const [k, shard] of Object.entries(input.shards)) s.addShard(ix, +k, shard);
process.stdout.write(JSON.stringify(input.queries.map((q) => {
  const r = s.run(ix, q);
  return { results: r.ids.map((id) => [id, r.scores[id]]), counts: r.counts };
})));
"#;
    let files = index.to_files();
    let core: Value = serde_json::from_slice(&files[0].1).unwrap();
    let shards: serde_json::Map<String, Value> = files[1..]
        .iter()
        .map(|(path, bytes)| {
            let k = path
                .trim_start_matches("search/t")
                .trim_end_matches(".json");
            (k.to_owned(), serde_json::from_slice(bytes).unwrap())
        })
        .collect();
    assert!(shards.len() > 5, "terms are spread over shards");
    let input = json!({
        "index": core,
        "shards": shards,
        "queries": cases.iter().map(|c| &c.1).collect::<Vec<_>>(),
    });
    let Some(js) = run_node(script, &input) else {
        return;
    };
    let mut nonempty = 0;
    for ((q, qjs), got) in cases.iter().zip(js.as_array().unwrap()) {
        let want = query::run(&index, q);
        nonempty += usize::from(!want.results.is_empty());
        assert_eq!(got, &json!(want), "query {qjs}");
    }
    assert!(
        nonempty >= cases.len() - 2,
        "most queries should find something"
    );

    // Some answers the example content makes certain.
    let run = |c: &(Query, Value)| query::run(&index, &c.0);
    let ids = |o: &query::Outcome| o.results.iter().map(|r| r.0).collect::<Vec<_>>();
    assert_eq!(ids(&run(&cases[3])), ids(&run(&cases[4])), "accents");
    assert!(!run(&cases[2]).results.is_empty(), "one typo");
    assert_eq!(run(&cases[9]).results, vec![], "nonsense finds nothing");
    assert_eq!(run(&cases[0]).results.len(), index.listed.len());
}

#[test]
fn search_index_round_trips_and_is_in_the_output() {
    let site = minimal_site();
    let (out, diags) = build::render(&options(site.path())).unwrap();
    assert!(!diags.has_errors(), "{}", diags.render());
    let bytes = out
        .get(hotdesk::search::INDEX_PATH)
        .expect("search/index.json");
    let shard = |path: &str| out.get(path).map(<[u8]>::to_vec);
    let index = SearchIndex::from_files(bytes, shard).expect("the index reads back");
    let built = index_of(site.path());
    assert_eq!(index.term_sets(), built.term_sets());
    assert_eq!(index.listed, built.listed);
    assert_eq!(index.facets.len(), built.facets.len());
    assert_eq!(index.schedules, built.schedules);
    assert_eq!(index.hours, built.hours);
    assert_eq!((&index.lat, &index.lon), (&built.lat, &built.lon));
    assert_eq!(index.cards, built.cards);
    let again = index.to_files();
    for (path, bytes) in &again {
        assert_eq!(
            Some(&bytes[..]),
            out.get(path),
            "{path}: reading and writing again changes nothing"
        );
    }
    // Whole prices are written as numbers; one with a fraction keeps the JSON array.
    let core: Value = serde_json::from_slice(bytes).unwrap();
    assert!(core["day"].is_string(), "{}", core["day"]);
    let mut fractional = index.clone();
    fractional.day[0] = Some(12.5);
    let files = fractional.to_files();
    let get = |p: &str| files.iter().find(|f| f.0 == p).map(|f| f.1.clone());
    let back = SearchIndex::from_files(&files[0].1, get).expect("reads back");
    assert_eq!(back.day, fractional.day);
    let written: Value = serde_json::from_slice(&files[0].1).unwrap();
    assert!(written["day"].is_array(), "{}", written["day"]);
    // Cards: the listed spaces by name and slug, in the build's neutral order.
    assert_eq!(index.cards.order.len(), 2);
    let listed_slugs: Vec<&str> = index
        .cards
        .order
        .iter()
        .map(|&id| index.cards.slugs[id as usize].as_str())
        .collect();
    assert!(listed_slugs.contains(&"harbour-hub"), "{listed_slugs:?}");
    assert!(!listed_slugs.contains(&"old-mill"), "{listed_slugs:?}");
    // A shard that does not match its hash is refused.
    assert!(
        SearchIndex::from_files(bytes, |p| shard(p).map(|mut b| {
            b.push(b' ');
            b
        }))
        .is_none()
    );
    // The minimal site: three spaces, one closed (old-mill).
    assert_eq!(index.n, 3);
    assert_eq!(index.listed.len(), 2);
    assert!(index.terms.contains(&"harbour".to_owned()));

    let home = String::from_utf8(out.get("index.html").unwrap().to_vec()).unwrap();
    assert!(home.contains(r#"<form role="search" class="search" data-search hidden"#));
    assert!(home.contains(r#"data-index="/search/index.json?v="#));
    assert!(out.get(hotdesk::search::CARDS_PATH).is_some());
    assert!(home.contains(r#"<script src="/assets/js/search.js?v="#));
    assert_eq!(home.matches("<li class=\"card-item\" data-id=").count(), 2);
    // Labelled controls, grouped, with a polite live region.
    assert!(home.contains(r#"<label for="search-q">"#));
    assert!(home.contains("<fieldset class=\"facet facet-amenity\">\n<legend>"));
    assert!(home.contains(r#"aria-live="polite""#));
    assert!(out.get("assets/js/search.js").is_some());
}

#[test]
fn search_js_reads_the_cards_like_the_reference() {
    let mut index = index_of(&example());
    let files = index.to_files();
    let core: Value = serde_json::from_slice(&files[0].1).unwrap();
    assert_eq!(files[1].0, hotdesk::search::CARDS_PATH);
    let cards: Value = serde_json::from_slice(&files[1].1).unwrap();
    // The example site shuffles: the seed stands in for the order.
    assert!(index.cards.seed.is_some());
    assert!(
        cards["seed"].is_u64() && cards.get("order").is_none(),
        "{cards}"
    );
    assert!(index.cards.order.len() > 10);
    // The same cards with the order written out (as for the alphabetical policy).
    index.cards.seed = None;
    let written: Value = serde_json::from_slice(&index.to_files()[1].1).unwrap();
    assert!(written["order"].is_string() && written.get("seed").is_none());
    let names = [
        "Harbour Hub",
        "L'Atelier de l'Évangéline",
        "  --Desk 42 / B--  ",
        "東京",
        "Café-Bar ÆØ",
        "",
    ];
    let script = r#"
const path = require('path');
require(path.join(path.dirname(process.env.HOTDESK_SEARCH_JS), 'neutral.js'));
const s = require(process.env.HOTDESK_SEARCH_JS);
const input = JSON.parse(process.env.HOTDESK_INPUT);
const ix = s.prepare(input.index);
s.addCards(ix, input.cards);
const iw = s.prepare(input.index);
const zeros = '0'.repeat(input.index.n);
const blank = s.prepare(Object.assign({}, input.index, { cap: zeros, h: zeros }));
s.addCards(iw, input.written);
process.stdout.write(JSON.stringify({
  stems: input.names.map(s.slugStem),
  slugs: ix.cards.name.map((_, id) => s.slugOf(ix, id)),
  order: ix.cards.order,
  written: iw.cards.order,
  place: ix.cards.place,
  core: [ix.cap, ix.lat, ix.lon, ix.h],
  prices: [ix.day, ix.month],
  blank: [blank.cap, blank.h],
}));
"#;
    let input = json!({ "index": core, "cards": cards, "written": written, "names": names });
    let Some(js) = run_node(script, &input) else {
        return;
    };
    let stems: Vec<String> = names
        .iter()
        .map(|n| hotdesk::search::slug_stem(n))
        .collect();
    assert_eq!(js["stems"], json!(stems));
    assert_eq!(stems[2], "desk-42-b");
    assert_eq!(js["slugs"], json!(index.cards.slugs));
    assert_eq!(js["order"], json!(index.cards.order));
    assert_eq!(js["written"], json!(index.cards.order));
    let place: Vec<i64> = index
        .cards
        .place
        .iter()
        .map(|p| p.map_or(-1, i64::from))
        .collect();
    assert_eq!(js["place"], json!(place));
    // The core's per-space numbers, as the browser reads them.
    let h: Vec<i64> = index
        .hours
        .iter()
        .map(|h| h.map_or(-1, i64::from))
        .collect();
    assert_eq!(js["core"], json!([index.capacity, index.lat, index.lon, h]));
    let prices: (Vec<Option<f64>>, Vec<Option<f64>>) =
        serde_json::from_value(js["prices"].clone()).unwrap();
    assert_eq!(prices, (index.day.clone(), index.month.clone()));
    assert!(index.day.iter().any(Option::is_none) && index.day.iter().any(Option::is_some));
    // No capacity or hours (0 in the text) read back as null and -1.
    assert_eq!(
        js["blank"],
        json!([vec![Value::Null; index.n], vec![-1; index.n]])
    );
    assert!(index.lat.iter().any(|&l| l < 0) || index.lon.iter().any(|&l| l < 0));
    // Every listed space, by a slug that makes a safe URL, in the page's neutral order.
    let (site, _) = build::check(&options(&example())).unwrap();
    let site = site.unwrap();
    let idx = Index::new(&site, now());
    let want: Vec<&str> = idx
        .listed
        .iter()
        .map(|&i| site.spaces[i].slug.as_str())
        .collect();
    let got: Vec<&str> = index
        .cards
        .order
        .iter()
        .map(|&id| index.cards.slugs[id as usize].as_str())
        .collect();
    assert_eq!(got, want);
    // The short form saves bytes: most slugs are the name's stem.
    assert!(
        cards["slug"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s == &"")
            .count()
            > 5
    );
}
