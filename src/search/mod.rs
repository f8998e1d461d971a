//! The search index: what the browser needs to search and filter the directory with no
//! server, built from the validated model (never by crawling HTML).
//!
//! The home page lists the spaces as cards in the neutral order (the first page of them
//! when the directory is long). Search is an enhancement beside that list:
//! `themes/default/static/js/search.js` downloads `/search/index.json` and
//! `/search/cards.json` (a content hash in their URL), evaluates the query and filters,
//! and, while any is active, shows its own results list built from the index — 50 cards
//! at a time, every one built the same way, in the neutral order unless words match some
//! spaces better than others or the visitor sorts — in place of the page's list and its
//! pagination, which it never changes. No card HTML is in the index.
//!
//! # Index format (version [`VERSION`])
//!
//! Columnar JSON. Every per-space array has `n` entries; entry `i` is the space whose
//! card is `<li data-id="i">`. Ids follow region, locality and slug (so neighbours look
//! alike and compress well); the page never orders by them. Sets of spaces are postings
//! lists in the text form of [`encode`].
//!
//! Version 2 added `cards` to the core and the file `search/cards.json`. Version 3 wrote
//! `cap`, `lat`, `lon`, `h` (and `day`, `month` when whole) as [`encode::numbers`], moved
//! `place` from the cards to the core (coordinates are written from the locality's
//! centre), wrote `seed` in place of `order` where it suffices, and split terms into
//! [`SHARDS`] = 39 shards (was 32).
//!
//! A **numbers** text is [`encode::numbers`]: one unsigned value per space, in base-32
//! digits; `null` and `-1` are written shifted (value + 1, 0 for none) and differences
//! zig-zagged ([`encode::zigzag`]: 0, −1, 1, −2 → 0, 1, 2, 3).
//!
//! The **core**, `search/index.json`, is fetched on first use:
//!
//! | key | value |
//! |---|---|
//! | `v`, `n`, `tz`, `cur` | version, number of spaces, the site's IANA time zone, the main currency |
//! | `listed` | postings: the spaces on the page (closed ones are not) |
//! | `shards` | `[[k, hash], …]`: the term shards that exist, fetched as `search/t<k>.json?v=<hash>` |
//! | `cards` | the hash of `search/cards.json`; the core's own hash therefore covers it, and the browser fetches both at once with the core's `?v=` |
//! | `facets` | `[[name, mode, [[option id, postings], …]], …]`, mode `any` (OR within the group) or `all` (AND) |
//! | `day`, `month` | lowest day-pass / monthly price in the main currency `cur`, or none (other currencies are not compared): numbers, price + 1 or 0, when every price is whole; else an array of numbers and `null` |
//! | `cap` | numbers: capacity + 1, or 0 when not given |
//! | `place` | numbers: per space, index into `places` (its locality) + 1, or 0 (spaces that are not listed) |
//! | `lat`, `lon` | numbers: degrees × 10⁴ (about 11 m), each the zig-zagged difference from its locality's centre in `places`, or, with no locality, from the previous space's value (0 before the first) |
//! | `places` | `[[locality, lat×10⁴, lon×10⁴], …]`: the centre of each locality's spaces, for "near" |
//! | `hours` | distinct weekly schedules `[approximate (0/1), [7 × [start, end, start, end, …]]]`, minutes since midnight, 0 = Monday (see [`hours`]) |
//! | `h` | numbers: per space, index into `hours` + 1, or 0 when no opening hours are given |
//!
//! The **cards**, `search/cards.json`, fetched with the core, hold what a result shows
//! beyond the core (status, languages and amenity count come from the facets; capacity,
//! day pass and locality from `cap`, `day` and `place`):
//!
//! | key | value |
//! |---|---|
//! | `name` | per space: its name (`""` for spaces that are not listed) |
//! | `slug` | per space: its slug, short: `""` or a text beginning with `-` stands for [`slug_stem`]`(name)` followed by it; anything else is the whole slug |
//! | `regions`, `langs` | display names of the `region` and `lang` facets' options, in their order |
//! | `day` | `[ids, [price, …], [k, …], [currency, …]]`: the day pass a card shows where `day` does not give it (its lowest day price is in another currency): the spaces as postings, then per space its price and the index `k` of its currency in the last list |
//! | `seed` | present when the build's neutral order is the listed spaces sorted by slug (bytes) and shuffled with this seed (policies `shuffle` and `rotate-daily`, see [`crate::neutral::arrange`]): the browser rebuilds the order with `neutral.js` |
//! | `order` | present otherwise (`alphabetical`, whose fold the browser cannot repeat): the listed spaces in the build's neutral order, each id in `w` base-64 letters ([`encode::ALPHABET`], least significant first), `w` the fewest that hold `n − 1` |
//!
//! A **term shard** `search/t<k>.json` holds the terms whose first UTF-16 code unit is
//! `k` modulo [`SHARDS`], so typing a word fetches one small file (each digit and each
//! ASCII letter has a shard of its own):
//!
//! | key | value |
//! |---|---|
//! | `terms` | normalised words, sorted by UTF-16 code units |
//! | `tp`, `ts` | per term: index into `post` for its spaces through a **primary** field (name, locality, region) or another field (summary, description, amenities, session topics); `-1` for none |
//! | `post` | the shard's distinct postings lists |
//!
//! Query semantics (text matching, facet counts) are specified in [`query`], which is the
//! reference implementation the browser script is tested against.
//!
//! # Where things are
//!
//! `spaces` numbers the spaces; `build` makes the index from the model, one step per
//! part, with `words` for the term dictionary (most of the work); `files` writes the
//! files above and `read` reads them back; `view` is the search form of the home page;
//! [`query`] evaluates a query as the browser does. [`text`], [`encode`] and [`hours`]
//! are the leaves they share.

mod build;
pub mod encode;
mod files;
mod fx;
pub mod hours;
pub mod query;
mod read;
mod spaces;
pub mod text;
mod view;
mod words;

use serde::Serialize;

use crate::index::Index;
use crate::model::Site;
use hours::WeeklyHours;

pub use files::slug_stem;
pub use view::{FacetGroupView, FacetOptionView, SearchView};

/// The index format's version (the `v` key).
pub const VERSION: u32 = 3;

/// Output path of the index's core, relative to the site root.
pub const INDEX_PATH: &str = "search/index.json";

/// Output path of the data of result cards, relative to the site root.
pub const CARDS_PATH: &str = "search/cards.json";

/// Number of term shards: terms are split by their first UTF-16 code unit modulo this,
/// so the browser fetches only the shards of the words typed. 39 is the smallest count
/// that gives `0`–`9` and `a`–`z` a shard each (with 32 or 64, `2` shared with `r` and
/// `3` with `s`, making the largest shards larger).
pub const SHARDS: usize = 39;

/// Whether a facet group combines its selected options with OR or AND.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A space matches if it has any selected option (region, language, price band, status).
    Any,
    /// A space matches if it has every selected option (amenities, accessibility, flags).
    All,
}

#[derive(Debug, Clone)]
pub struct Facet {
    /// Also the URL parameter, e.g. `amenity`.
    pub name: &'static str,
    pub mode: Mode,
    /// Option id (the URL value) and the spaces that have it.
    pub options: Vec<(String, Vec<u32>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub lat: i32,
    pub lon: i32,
}

/// The whole index in memory; [`SearchIndex::to_files`] writes it, [`SearchIndex::from_files`]
/// reads it back (the format is documented in the module documentation).
#[derive(Debug, Clone)]
pub struct SearchIndex {
    pub n: usize,
    pub time_zone: String,
    pub listed: Vec<u32>,
    pub terms: Vec<String>,
    pub primary: Vec<Option<u32>>,
    pub secondary: Vec<Option<u32>>,
    pub postings: Vec<Vec<u32>>,
    pub facets: Vec<Facet>,
    /// The main currency of prices (the most common one among plans).
    pub currency: Option<String>,
    pub day: Vec<Option<f64>>,
    pub month: Vec<Option<f64>>,
    pub capacity: Vec<Option<u32>>,
    pub lat: Vec<i32>,
    pub lon: Vec<i32>,
    pub places: Vec<Place>,
    pub schedules: Vec<WeeklyHours>,
    pub hours: Vec<Option<u32>>,
    /// Price-band thresholds on the day price: `low` < t₁ ≤ `mid` < t₂ ≤ `high`.
    pub band_thresholds: Vec<f64>,
    /// Per space of `site.spaces`: its id here (`<li data-id>`).
    pub id_of: Vec<u32>,
    /// What result cards show (`search/cards.json`).
    pub cards: Cards,
}

/// The part of the index that only result cards need (see the module documentation).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cards {
    /// Per space: its name (empty for spaces that are not listed).
    pub names: Vec<String>,
    /// Per space: its slug (empty for spaces that are not listed).
    pub slugs: Vec<String>,
    /// Per space: index of its locality in [`SearchIndex::places`].
    pub place: Vec<Option<u32>>,
    /// Region names, in the order of the `region` facet's options.
    pub regions: Vec<String>,
    /// Language names, in the order of the `lang` facet's options.
    pub languages: Vec<String>,
    /// `(id, price, currency)` of the listed spaces whose card shows a day pass that
    /// `day` does not give (the lowest day price is in another currency).
    pub day: Vec<(u32, f64, String)>,
    /// The listed spaces in the build's neutral order.
    pub order: Vec<u32>,
    /// The seed that, with the slugs, gives `order` (see [`seeded_order`]); `None` when
    /// it does not (alphabetical order), and `order` is written out.
    pub seed: Option<u32>,
}

/// Per space of `site.spaces`, its card id (`<li data-id>`, [`SearchIndex::id_of`]),
/// without building the index: what a page needs to point at its search card.
///
/// Ids follow region, then locality, then slug: neighbours share words, facets and
/// coordinates, so postings and deltas compress well. The order means nothing on the
/// page (the page keeps its neutral order).
pub fn ids(site: &Site) -> Vec<u32> {
    spaces::ids_and_localities(site).0
}

/// Accessibility facts a visitor can require, as option ids.
pub const ACCESS: [&str; 4] = [
    "step-free",
    "accessible-washroom",
    "hearing-loop",
    "quiet-room",
];
/// Yes/no properties, as option ids of the `flag` facet.
pub const FLAGS: [&str; 3] = ["gov", "session", "drop-in"];

impl SearchIndex {
    /// Builds the index of `site` (the spaces the index lists are `idx.listed`).
    pub fn build(site: &Site, idx: &Index) -> Self {
        build::build_with(site, idx, true)
    }

    /// [`Self::build`] without the words (no terms, no postings): everything the search
    /// form ([`Self::view`]) and the cards' ids need, for `check`, which renders the form
    /// but writes no index. Finding the words is most of the work.
    pub fn build_without_text(site: &Site, idx: &Index) -> Self {
        build::build_with(site, idx, false)
    }

    pub fn facet(&self, name: &str) -> Option<&Facet> {
        self.facets.iter().find(|f| f.name == name)
    }

    /// The shard holding the terms that begin with `first` (a UTF-16 code unit).
    pub fn shard_of(first: u16) -> usize {
        usize::from(first) % SHARDS
    }

    /// Every term with its primary and secondary ids, sorted: what a query can see,
    /// independent of how postings are shared.
    pub fn term_sets(&self) -> Vec<(&str, &[u32], &[u32])> {
        let get = |p: &Option<u32>| p.map_or(&[][..], |p| &self.postings[p as usize][..]);
        self.terms
            .iter()
            .enumerate()
            .map(|(t, term)| {
                (
                    term.as_str(),
                    get(&self.primary[t]),
                    get(&self.secondary[t]),
                )
            })
            .collect()
    }
}

/// The listed spaces (`listed`, ids) sorted by slug and shuffled with `seed`: the build's
/// neutral order under the `shuffle` and `rotate-daily` policies ([`crate::neutral::arrange`];
/// `search.js` repeats it with `neutral.js`).
pub fn seeded_order(listed: &[u32], slugs: &[String], seed: u32) -> Vec<u32> {
    let mut order = listed.to_vec();
    order.sort_by(|&a, &b| slugs[a as usize].cmp(&slugs[b as usize]));
    crate::neutral::shuffle(&mut order, seed);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_ids_are_the_card_ids_of_the_index() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-minimal");
        let now = "2026-11-25T12:00:00Z".parse().unwrap();
        let (site, idx, _) = crate::build::validated(&crate::build::Options::new(root, now))
            .expect("the fixture is valid");
        assert!(site.spaces.len() >= 2, "a site with spaces to number");
        let ids = ids(&site);
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        let n = u32::try_from(site.spaces.len()).unwrap();
        assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "one id per space");
        assert_eq!(ids, SearchIndex::build(&site, &idx).id_of);
    }
}
