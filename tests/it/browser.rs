//! The search page in a real headless Chromium, driven over WebDriver.
//!
//! Builds the example site into a temp folder, serves it on 127.0.0.1 and checks what a
//! visitor gets: typing with a typo and an accent, ticking facets, a price range, the
//! counts beside the options, the order (relevance buckets, ties in the page's neutral
//! order), the URL (reload and back button restore the state), the results list that
//! replaces the page's list while searching (cards like the server's, "Show more" with
//! the keyboard, the page's list restored when the search is cleared), and the page with
//! JavaScript disabled. Every answer is compared with the Rust reference
//! (`hotdesk::search::query`). Needs Debian's `chromium` and `chromium-driver`; see
//! `webdriver::tools` for what happens without them.

use std::collections::BTreeMap;
use std::path::Path;

use fantoccini::{Client, Locator};
use hotdesk::build;
use hotdesk::search::SearchIndex;
use hotdesk::search::query::{self, Query};
use serde_json::Value;

use crate::support::*;
use crate::webdriver::{Driver, StaticServer, tools, wait_for};

/// Ids of the search results, in page order.
const VISIBLE: &str = "return Array.from(document.querySelectorAll('#all-spaces ul.search-results > li'))\
    .map((li) => +li.dataset.id);";
/// Ids of the server-rendered list, in page order.
const ALL: &str = "return Array.from(document.querySelectorAll('#all-spaces ul[data-neutral-list] > li'))\
    .map((li) => +li.dataset.id);";
/// Which list shows: [server list shown, results list shown].
const SHOWING: &str = "const s = document.querySelector('#all-spaces ul[data-neutral-list]'); \
    const r = document.querySelector('#all-spaces ul.search-results'); \
    return [!!s && !s.hidden && s.offsetParent !== null, !!r && !r.hidden && r.offsetParent !== null];";
const STATUS: &str = "return document.querySelector('[data-search-status]').textContent;";
const COUNTS: &str = "const o = {}; document.querySelectorAll('[data-count]')\
    .forEach((e) => { o[e.dataset.count] = e.textContent; }); return o;";

fn ids(v: &Value) -> Vec<u32> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_u64().expect("an id") as u32)
        .collect()
}

/// What the Rust reference says: ids (ascending) with scores, and the counts as the page
/// shows them (`facet:option` → number).
fn expected(index: &SearchIndex, q: &Query) -> (Vec<(u32, u32)>, BTreeMap<String, String>) {
    let out = query::run(index, q);
    let mut counts = BTreeMap::new();
    for f in &index.facets {
        for (k, (id, _)) in f.options.iter().enumerate() {
            counts.insert(
                format!("{}:{id}", f.name),
                out.counts[f.name][k].to_string(),
            );
        }
    }
    (out.results, counts)
}

fn counts_of(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect()
}

/// The visible order must be: relevance descending, ties in the neutral `order`.
fn relevance_order(results: &[(u32, u32)], neutral: &[u32]) -> Vec<u32> {
    let pos = |id: u32| neutral.iter().position(|&x| x == id).expect("listed");
    let mut r = results.to_vec();
    r.sort_by_key(|&(id, score)| (std::cmp::Reverse(score), pos(id)));
    r.into_iter().map(|(id, _)| id).collect()
}

/// Saves what the browser shows to `target/tmp/<name>`, to look at after a failure.
async fn keep_screenshot(c: &Client, name: &str) {
    if let Ok(png) = c.screenshot().await {
        let dir = manifest_dir().join("target/tmp");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(name), png);
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "screenshot: target/tmp/{name}");
    }
}

/// Scrolls the element to the middle of the window, then clicks it as a person would.
async fn click(c: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    let el = c.find(Locator::Css(css)).await?;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
        vec![serde_json::to_value(&el).expect("an element reference")],
    )
    .await?;
    el.click().await
}

async fn wait_settled(c: &Client, want: usize) {
    let script = format!(
        "const s = document.querySelector('[data-search-status]').textContent; \
         const r = document.querySelector('#all-spaces ul.search-results:not([hidden])'); \
         const n = r ? r.children.length : -1; \
         return /\\d|No /.test(s) && n === {want};"
    );
    wait_for(c, &script, 20).await;
}

#[test]
fn search_works_in_a_real_browser() {
    let Some((driver, browser)) = tools("the browser test of search") else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    let public = site.path().join("public");
    build::build(&options(&example()), &public).expect("the example builds");
    let core = std::fs::read(public.join("search/index.json")).unwrap();
    let index = SearchIndex::from_files(&core, |p| std::fs::read(public.join(p)).ok())
        .expect("the index reads back");
    let server = StaticServer::start(&public);
    let mut driver = Driver::start(&driver, &browser);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let c = driver.session(true).await;
            let r = with_javascript(&c, &server, &index).await;
            if r.is_err() {
                keep_screenshot(&c, "search-browser-failure.png").await;
            }
            c.close().await.ok();
            r.unwrap();
            let c = driver.session(false).await;
            let r = without_javascript(&c, &server, &public, &index).await;
            c.close().await.ok();
            r.unwrap();
        });
}

async fn with_javascript(
    c: &Client,
    server: &StaticServer,
    index: &SearchIndex,
) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&server.url("/")).await?;
    let form = c.find(Locator::Css("form[data-search]")).await?;
    wait_for(
        c,
        "return !document.querySelector('form[data-search]').hidden;",
        10,
    )
    .await;
    assert!(
        form.is_displayed().await?,
        "the search form shows with JavaScript"
    );
    let neutral = ids(&c.execute(ALL, vec![]).await?);
    assert_eq!(neutral.len(), index.listed.len());
    assert_eq!(
        c.execute(SHOWING, vec![]).await?,
        serde_json::json!([true, false])
    );

    // 1. Words with an accent and a typo: "Charlottetwön" for Charlottetown.
    let text = "Charlottetwön";
    c.find(Locator::Id("search-q"))
        .await?
        .send_keys(text)
        .await?;
    let mut q = Query {
        text: text.into(),
        ..Query::default()
    };
    let (want, _) = expected(index, &q);
    assert!(
        want.len() >= 3,
        "the typo and the accent are forgiven: {want:?}"
    );
    assert!(
        want.iter()
            .map(|r| r.1)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            >= 2,
        "two relevance buckets, so the order is tested"
    );
    wait_settled(c, want.len()).await;
    assert_eq!(
        ids(&c.execute(VISIBLE, vec![]).await?),
        relevance_order(&want, &neutral)
    );
    assert_eq!(
        c.execute(SHOWING, vec![]).await?,
        serde_json::json!([false, true]),
        "the results replace the page's list"
    );
    same_cards_as_the_server(c).await?;
    let status = c.execute(STATUS, vec![]).await?;
    assert_eq!(status, Value::from(format!("{} spaces match.", want.len())));
    let url = c.current_url().await?;
    assert!(
        url.query().unwrap().contains("q=Charlottetw%C3%B6n"),
        "{url}"
    );

    // 2. Two facets (inside the collapsed filters) and a price range.
    click(c, ".search-filters > summary").await?;
    for value in ["wifi", "meeting-rooms"] {
        click(
            c,
            &format!("label:has(> input[name=amenity][value={value}])"),
        )
        .await?;
    }
    q.selected.insert(
        "amenity".into(),
        vec!["wifi".into(), "meeting-rooms".into()],
    );
    let (after_facets, _) = expected(index, &q);
    wait_settled(c, after_facets.len()).await;
    let dmax = c.find(Locator::Css("input[name=dmax]")).await?;
    dmax.send_keys("30").await?;
    c.execute("document.querySelector('input[name=dmax]').dispatchEvent(new Event('change', {bubbles: true}));", vec![]).await?;
    q.day = (None, Some(30.0));
    let (want, want_counts) = expected(index, &q);
    assert!(
        !want.is_empty() && want.len() < after_facets.len(),
        "{want:?}"
    );
    wait_settled(c, want.len()).await;
    assert_eq!(
        ids(&c.execute(VISIBLE, vec![]).await?),
        relevance_order(&want, &neutral)
    );
    assert_eq!(counts_of(&c.execute(COUNTS, vec![]).await?), want_counts);
    let url = c.current_url().await?;
    let query_string = url.query().unwrap().to_owned();
    assert!(query_string.contains("amenity=wifi"), "{url}");
    assert!(query_string.contains("amenity=meeting-rooms"), "{url}");
    assert!(query_string.contains("dmax=30"), "{url}");

    // 3. Reload the URL: the same state.
    c.goto(url.as_str()).await?;
    wait_settled(c, want.len()).await;
    let got = ids(&c.execute(VISIBLE, vec![]).await?);
    let neutral_now = ids(&c.execute(ALL, vec![]).await?);
    let mut got_sorted = got.clone();
    got_sorted.sort_unstable();
    assert_eq!(got_sorted, want.iter().map(|r| r.0).collect::<Vec<_>>());
    assert_eq!(counts_of(&c.execute(COUNTS, vec![]).await?), want_counts);
    let restored = c
        .execute(
            "const f = document.querySelector('form[data-search]'); \
             return [f.elements.q.value, f.querySelector('input[value=wifi]').checked, f.elements.dmax.value];",
            vec![],
        )
        .await?;
    assert_eq!(restored, serde_json::json!([text, true, "30"]));
    // Each visit has its own neutral order; relevance buckets still come first.
    let scores: BTreeMap<u32, u32> = want.iter().copied().collect();
    assert!(
        got.windows(2).all(|w| scores[&w[0]] >= scores[&w[1]]),
        "{got:?}"
    );
    let _ = neutral_now;

    // 4. The back button undoes the last filter change (the range).
    c.back().await?;
    wait_settled(c, after_facets.len()).await;
    let dmax_value = c
        .execute(
            "return document.querySelector('input[name=dmax]').value;",
            vec![],
        )
        .await?;
    assert_eq!(dmax_value, Value::from(""));

    // 5. Sorting by name is a visitor's choice: visible cards in name order.
    c.execute(
        "const s = document.querySelector('select[name=sort]'); s.value = 'name'; \
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await?;
    wait_for(c, "return location.search.includes('sort=name');", 10).await;
    let names = wait_for(
        c,
        "const n = Array.from(document.querySelectorAll('#all-spaces ul.search-results > li .card-title'))\
         .map((h) => h.textContent.trim()); \
         const s = n.slice().sort((a, b) => a.localeCompare(b)); \
         return JSON.stringify(n) === JSON.stringify(s) ? n : null;",
        10,
    )
    .await;
    assert_eq!(names.as_array().unwrap().len(), after_facets.len());

    // 6. Near a locality, within 25 km, by distance; open on Wednesday at 10:00.
    let place = &index.places[0];
    c.goto(&server.url("/")).await?;
    click(c, ".search-filters > summary").await?;
    c.execute(
        "const [place] = arguments; const f = document.querySelector('form[data-search]'); \
         f.elements.near.value = place; f.elements.radius.value = '25'; f.elements.sort.value = 'distance'; \
         f.elements.open.value = 'at'; f.elements.oday.value = '2'; f.elements.otime.value = '10:00'; \
         f.elements.radius.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![Value::from(place.name.clone())],
    )
    .await?;
    let (lat, lon) = (f64::from(place.lat) / 1e4, f64::from(place.lon) / 1e4);
    let q = Query {
        near: Some((lat, lon, Some(25.0))),
        open_at: Some((2, 600)),
        ..Query::default()
    };
    let (want, _) = expected(index, &q);
    assert!(!want.is_empty(), "someone is open near {}", place.name);
    wait_settled(c, want.len()).await;
    let got = ids(&c.execute(VISIBLE, vec![]).await?);
    let km = |id: u32| {
        query::distance_km(
            lat,
            lon,
            f64::from(index.lat[id as usize]) / 1e4,
            f64::from(index.lon[id as usize]) / 1e4,
        )
    };
    assert!(
        got.windows(2).all(|w| km(w[0]) <= km(w[1])),
        "nearest first: {got:?}"
    );
    let mut sorted = got.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, want.iter().map(|r| r.0).collect::<Vec<_>>());
    let shown = c
        .execute(
            "return Array.from(document.querySelectorAll('#all-spaces ul.search-results > li'))\
             .every((li) => /\\d km/.test(li.querySelector('.card-distance').textContent));",
            vec![],
        )
        .await?;
    assert_eq!(shown, Value::Bool(true), "every result shows its distance");
    let url = c.current_url().await?;
    assert!(
        url.query()
            .unwrap()
            .contains("open=at&oday=2&otime=10%3A00"),
        "{url}"
    );

    // 7. Clearing the search brings back the page's own list, exactly as it was.
    let before = ids(&c.execute(ALL, vec![]).await?);
    click(c, "button[data-reset]").await?;
    wait_for(
        c,
        "const s = document.querySelector('#all-spaces ul[data-neutral-list]'); return !!s && !s.hidden;",
        10,
    )
    .await;
    assert_eq!(
        c.execute(SHOWING, vec![]).await?,
        serde_json::json!([true, false])
    );
    assert_eq!(ids(&c.execute(ALL, vec![]).await?), before);
    assert_eq!(
        c.execute(
            "return document.querySelectorAll('#all-spaces ul[data-neutral-list] > li[hidden], \
             #all-spaces ul[data-neutral-list] .card-distance').length;",
            vec![]
        )
        .await?,
        Value::from(0),
        "the page's list is untouched"
    );

    // 8. "Show more", with the keyboard: results come 50 at a time (here 6, set by the
    //    theme attribute) and focus moves to the first new one.
    c.execute(
        "const f = document.querySelector('form[data-search]'); f.setAttribute('data-page-size', '6'); \
         f.elements.sort.value = 'name'; f.elements.sort.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await?;
    let total = index.listed.len();
    assert!(total > 12, "enough spaces for three pages of results");
    wait_settled(c, 6).await;
    let more = c.find(Locator::Css("p.search-more > button")).await?;
    assert!(more.is_displayed().await?);
    assert_eq!(more.prop("type").await?, Some("button".to_owned()));
    let mut shown = 6;
    while shown < total {
        let first_new = ids(&c.execute(VISIBLE, vec![]).await?).len();
        c.execute(
            "document.querySelector('p.search-more > button').focus();",
            vec![],
        )
        .await?;
        c.active_element().await?.send_keys("\u{E007}").await?; // Enter
        shown = (shown + 6).min(total);
        wait_settled(c, shown).await;
        let focus = c
            .execute(
                "const a = document.activeElement; const li = a.closest('ul.search-results > li'); \
                 return [a.tagName, li ? [...li.parentNode.children].indexOf(li) : -1];",
                vec![],
            )
            .await?;
        assert_eq!(
            focus,
            serde_json::json!(["A", first_new]),
            "focus on the first new result"
        );
        let status = c.execute(STATUS, vec![]).await?;
        assert_eq!(
            status,
            Value::from(format!("Showing {shown} of {total} results."))
        );
    }
    assert!(
        !more.is_displayed().await?,
        "no button once every result shows"
    );
    let got = ids(&c.execute(VISIBLE, vec![]).await?);
    let mut sorted = got.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, index.listed, "every space once");
    Ok(())
}

/// Every result card says what the server's card of the same space says, with the same
/// markup (the excerpt, which the index does not hold, aside).
async fn same_cards_as_the_server(c: &Client) -> Result<(), fantoccini::error::CmdError> {
    let diff = c
        .execute(
            "const text = (li) => { const a = li.querySelector('article.card'); \
               const facts = [...a.querySelectorAll('dl.card-facts > div')] \
                 .map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent.trim()]); \
               return JSON.stringify({ \
                 href: a.querySelector('h3.card-title > a').getAttribute('href'), \
                 name: a.querySelector('h3.card-title > a').textContent, \
                 place: a.querySelector('p.card-place').textContent, \
                 status: a.querySelector('p.card-status > span.status').className + ' ' + \
                   a.querySelector('p.card-status > span.status').textContent, \
                 facts: facts.map(([k, v]) => [k, k === 'Languages' ? v.split(', ').sort().join(', ') : v]) }); }; \
             const results = [...document.querySelectorAll('#all-spaces ul.search-results > li.card-item')]; \
             if (!results.length) return 'no results'; \
             for (const li of results) { \
               const server = document.querySelector('#all-spaces ul[data-neutral-list] > li[data-id=\"' + li.dataset.id + '\"]'); \
               if (!server) return 'no server card for ' + li.dataset.id; \
               if (text(li) !== text(server)) return text(li) + ' != ' + text(server); \
             } \
             return '';",
            vec![],
        )
        .await?;
    assert_eq!(diff, Value::from(""), "result cards match the server's");
    Ok(())
}

async fn without_javascript(
    c: &Client,
    server: &StaticServer,
    public: &Path,
    index: &SearchIndex,
) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&server.url("/?q=nothing-matches-this")).await?;
    // No script ran: every card is in the list and visible, and no search UI shows.
    let cards = c
        .find_all(Locator::Css("#all-spaces ul.cards > li"))
        .await?;
    assert_eq!(cards.len(), index.listed.len());
    for card in &cards {
        assert!(card.is_displayed().await?);
    }
    assert!(
        c.find_all(Locator::Css("ul.search-results, p.search-more"))
            .await?
            .is_empty(),
        "no results list without the script"
    );
    let form = c.find(Locator::Css("form[data-search]")).await?;
    assert!(
        !form.is_displayed().await?,
        "the search form stays hidden without JavaScript"
    );
    // Region and amenity pages are plain pages.
    let region = index
        .facet("region")
        .unwrap()
        .options
        .iter()
        .find(|o| !o.1.is_empty())
        .unwrap();
    assert!(
        public
            .join(format!("regions/{}/index.html", region.0))
            .is_file()
    );
    c.goto(&server.url(&format!("/regions/{}/", region.0)))
        .await?;
    let on_region = c.find_all(Locator::Css("ul.cards > li")).await?;
    assert_eq!(on_region.len(), region.1.len());
    c.goto(&server.url("/amenities/wifi/")).await?;
    let wifi = index
        .facet("amenity")
        .unwrap()
        .options
        .iter()
        .find(|o| o.0 == "wifi")
        .unwrap();
    assert_eq!(
        c.find_all(Locator::Css("ul.cards > li")).await?.len(),
        wifi.1.len()
    );
    Ok(())
}
