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

pub mod encode;
pub mod hours;
pub mod query;
pub mod text;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::index::Index;
use crate::locale::Locale;
use crate::model::{BillingPeriod, SessionStatus, Site, SpaceStatus, Venue};
use hours::WeeklyHours;

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
    ids_and_localities(site).0
}

/// [`ids`], and each space's normalised locality (which the ids follow).
fn ids_and_localities(site: &Site) -> (Vec<u32>, Vec<String>) {
    let n = site.spaces.len();
    let mut order: Vec<usize> = (0..n).collect();
    let localities: Vec<String> = site
        .spaces
        .par_iter()
        .map(|s| text::normalize(&s.address.locality))
        .collect();
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (&site.spaces[a], &site.spaces[b]);
        (&x.region, &localities[a], &x.slug).cmp(&(&y.region, &localities[b], &y.slug))
    });
    let mut id_of = vec![0_u32; n];
    for (id, &i) in order.iter().enumerate() {
        id_of[i] = u32::try_from(id).expect("fewer than 2^32 spaces");
    }
    (id_of, localities)
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
        Self::build_with(site, idx, true)
    }

    /// [`Self::build`] without the words (no terms, no postings): everything the search
    /// form ([`Self::view`]) and the cards' ids need, for `check`, which renders the form
    /// but writes no index. Finding the words is most of the work.
    pub fn build_without_text(site: &Site, idx: &Index) -> Self {
        Self::build_with(site, idx, false)
    }

    fn build_with(site: &Site, idx: &Index, with_text: bool) -> Self {
        let n = site.spaces.len();
        let (id_of, localities) = ids_and_localities(site);
        let mut order = vec![0_usize; n];
        for (i, &id) in id_of.iter().enumerate() {
            order[id as usize] = i;
        }
        let site_spaces = &site.spaces;
        let space = |id: usize| &site_spaces[order[id]];
        let mut listed: Vec<u32> = idx.listed.iter().map(|&i| id_of[i]).collect();
        listed.sort_unstable();
        let is_listed = |id: usize| idx.rank[order[id]] != usize::MAX;

        let (terms, primary, secondary, postings) = if !with_text {
            Default::default()
        } else {
            // Text: term → (primary ids, secondary ids). Each space's words are found in
            // parallel and numbered (no String per word); the dictionary and the postings
            // are then built from term numbers.
            // Region and amenity texts repeat across thousands of spaces: each block finds
            // their words once. (Texts joined by ASCII spaces have the words of each part.)
            let region_of: HashMap<&str, usize> =
                crate::model::positions(&site.regions, |r| r.id.as_str());
            let amenity_of: HashMap<&str, usize> =
                crate::model::positions(&site.amenities, |a| a.id.as_str());
            let amenity_words: Vec<String> = site
                .amenities
                .iter()
                .map(|a| amenity_text(Some(&a.name), a.id.as_str()))
                .collect();
            // Words → numbers in parallel blocks of spaces, each with its own dictionary;
            // then one sorted dictionary (UTF-16 order, JavaScript's) and the blocks' numbers
            // translated to it. A space's texts are read in place, part by part, with no
            // joined copy: each part is bounded by ASCII whitespace in the joined text, so
            // alone it has the same words (see `text::normalize_into`), and the order of the
            // parts is free because only each space's set of words is kept.
            let block = n.div_ceil(4 * rayon::current_num_threads()).max(64);
            let blocks: Vec<WordBlock> = (0..n.div_ceil(block))
                .into_par_iter()
                .map(|b| {
                    let mut words = WordBlock::default();
                    let mut region_ids: Vec<Option<Vec<u32>>> = vec![None; site.regions.len()];
                    let mut amenity_ids: Vec<Option<Vec<u32>>> = vec![None; site.amenities.len()];
                    for (id, &site_i) in order.iter().enumerate().skip(b * block).take(block) {
                        if is_listed(id) {
                            let s = space(id);
                            words.text(PRIMARY, &s.name);
                            words.text(PRIMARY, &s.address.locality);
                            match region_of.get(s.region.as_str()) {
                                Some(&k) => {
                                    let ids = region_ids[k].get_or_insert_with(|| {
                                        words.numbers(&site.regions[k].name)
                                    });
                                    words.known(PRIMARY, ids);
                                }
                                None => words.text(PRIMARY, s.region.as_str()),
                            }
                            if let Some(summary) = &s.summary {
                                words.text(OTHER, summary);
                            }
                            text::markdown_pieces(&s.body, |piece, _| {
                                words.text(OTHER, piece);
                            });
                            for &si in &idx.space_sessions[site_i] {
                                for t in &site.sessions[si].topics {
                                    words.text(OTHER, t);
                                }
                            }
                            for a in &s.amenities {
                                match amenity_of.get(a.as_str()) {
                                    Some(&k) => {
                                        let ids = amenity_ids[k].get_or_insert_with(|| {
                                            words.numbers(&amenity_words[k])
                                        });
                                        words.known(OTHER, ids);
                                    }
                                    None => {
                                        words.text(OTHER, &amenity_text(None, a.as_str()));
                                    }
                                }
                            }
                        }
                        words.end();
                    }
                    words
                })
                .collect();
            let mut sorted: Vec<&str> = {
                let mut all: FastSet<&str> = FastSet::default();
                for b in &blocks {
                    all.extend(b.words());
                }
                all.into_iter().collect()
            };
            sorted.par_sort_unstable_by(|a, b| utf16_cmp(a, b));
            let term_of: FastMap<&str, u32> = sorted
                .iter()
                .enumerate()
                .map(|(t, w)| (*w, t as u32))
                .collect();
            // Each block's word lists in term numbers, then per space and field group its
            // slice of them.
            let global: Vec<[Vec<u32>; 2]> = blocks
                .par_iter()
                .map(|b| {
                    let term: Vec<u32> = b.words().map(|w| term_of[w]).collect();
                    b.flat
                        .each_ref()
                        .map(|f| f.iter().map(|&l| term[l as usize]).collect())
                })
                .collect();
            let per_space = |field: usize| {
                blocks
                    .iter()
                    .zip(&global)
                    .flat_map(move |(b, g)| b.spans(field).map(move |r| &g[field][r]))
            };
            // Postings by counting sort: spaces are visited in id order, so every list comes
            // out sorted.
            let t_count = sorted.len();
            let (p_flat, p_start) = invert(t_count, per_space(PRIMARY));
            let (o_flat, o_start) = invert(t_count, per_space(OTHER));
            let mut postings: Vec<Vec<u32>> = Vec::new();
            let mut seen: FastMap<&[u32], u32> = FastMap::default();
            let mut primary = Vec::with_capacity(t_count);
            let mut secondary = Vec::with_capacity(t_count);
            for t in 0..t_count {
                let p = &p_flat[p_start[t]..p_start[t + 1]];
                primary.push(intern(&mut seen, &mut postings, p));
                let o = &o_flat[o_start[t]..o_start[t + 1]];
                secondary.push(intern(&mut seen, &mut postings, o));
            }
            let terms: Vec<String> = sorted.iter().map(|w| (*w).to_owned()).collect();
            (terms, primary, secondary, postings)
        };

        // Prices in the main currency.
        let mut currencies: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &site.spaces {
            for p in &s.plans {
                *currencies.entry(p.currency.as_str()).or_default() += 1;
            }
        }
        let currency = currencies
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(c, _)| (*c).to_owned());
        let lowest = |id: usize, period: BillingPeriod| -> Option<f64> {
            space(id)
                .plans
                .iter()
                .filter(|p| p.period == period && Some(&p.currency) == currency.as_ref())
                .map(|p| p.price)
                .min_by(f64::total_cmp)
        };
        let day: Vec<Option<f64>> = (0..n).map(|i| lowest(i, BillingPeriod::Day)).collect();
        let month: Vec<Option<f64>> = (0..n).map(|i| lowest(i, BillingPeriod::Month)).collect();

        let mut listed_days: Vec<f64> = listed.iter().filter_map(|&i| day[i as usize]).collect();
        listed_days.sort_by(f64::total_cmp);
        let mut band_thresholds: Vec<f64> = Vec::new();
        if !listed_days.is_empty() {
            for k in [1, 2] {
                let t = round_nicely(listed_days[listed_days.len() * k / 3]);
                if t > listed_days[0] && band_thresholds.last().is_none_or(|&l| t > l) {
                    band_thresholds.push(t);
                }
            }
        }

        // Opening hours, compiled once per distinct rule.
        let monday = hours::reference_monday(idx.order_date);
        let mut rules: Vec<&str> = site
            .spaces
            .iter()
            .filter_map(|s| s.opening_hours.as_deref())
            .collect();
        rules.sort_unstable();
        rules.dedup();
        let compiled: FastMap<&str, Option<WeeklyHours>> = rules
            .par_iter()
            .map(|r| (*r, hours::compile(r, monday)))
            .collect();
        let mut schedules: Vec<WeeklyHours> = Vec::new();
        let mut schedule_ids: FastMap<WeeklyHours, u32> = FastMap::default();
        let hours_of: Vec<Option<u32>> = (0..n)
            .map(space)
            .map(|s| {
                let w = compiled.get(s.opening_hours.as_deref()?)?.clone()?;
                Some(*schedule_ids.entry(w).or_insert_with_key(|w| {
                    schedules.push(w.clone());
                    (schedules.len() - 1) as u32
                }))
            })
            .collect();

        // Facets.
        let has = |f: &dyn Fn(&crate::model::Space) -> bool| -> Vec<u32> {
            listed
                .iter()
                .copied()
                .filter(|&id| f(space(id as usize)))
                .collect()
        };
        let mut facets = Vec::new();
        facets.push(Facet {
            name: "region",
            mode: Mode::Any,
            options: site
                .regions
                .iter()
                .map(|r| (r.id.to_string(), has(&|s| s.region == r.id)))
                .collect(),
        });
        // Spaces per option of a many-valued property, in one pass over the listed spaces
        // (ids ascending, each once per option) rather than one pass per option.
        let by_option = |count: usize, each: &OptionsOf| {
            let mut lists: Vec<Vec<u32>> = vec![Vec::new(); count];
            for &id in &listed {
                each(space(id as usize), &mut |k| {
                    if lists[k].last() != Some(&id) {
                        lists[k].push(id);
                    }
                });
            }
            lists
        };
        let amenity_option: FastMap<&str, usize> =
            crate::model::positions(&site.amenities, |a| a.id.as_str());
        let with_amenity = by_option(site.amenities.len(), &|s, push| {
            for a in &s.amenities {
                if let Some(&k) = amenity_option.get(a.as_str()) {
                    push(k);
                }
            }
        });
        facets.push(Facet {
            name: "amenity",
            mode: Mode::All,
            options: site
                .amenities
                .iter()
                .zip(with_amenity)
                .map(|(a, ids)| (a.id.to_string(), ids))
                .collect(),
        });
        if !band_thresholds.is_empty() {
            let band_of = |p: f64| band_thresholds.iter().filter(|&&t| p >= t).count();
            let names = band_names(band_thresholds.len());
            facets.push(Facet {
                name: "band",
                mode: Mode::Any,
                options: names
                    .iter()
                    .enumerate()
                    .map(|(b, name)| {
                        (
                            (*name).to_owned(),
                            listed
                                .iter()
                                .copied()
                                .filter(|&id| day[id as usize].is_some_and(|p| band_of(p) == b))
                                .collect(),
                        )
                    })
                    .collect(),
            });
        }
        let access = |s: &crate::model::Space, k: usize| -> bool {
            s.accessibility.as_ref().is_some_and(|a| {
                [
                    a.step_free,
                    a.accessible_washroom,
                    a.hearing_loop,
                    a.quiet_room,
                ][k] == Some(true)
            })
        };
        facets.push(Facet {
            name: "access",
            mode: Mode::All,
            options: ACCESS
                .iter()
                .enumerate()
                .map(|(k, id)| ((*id).to_owned(), has(&|s| access(s, k))))
                .collect(),
        });
        let mut languages: Vec<String> = listed
            .iter()
            .flat_map(|&id| space(id as usize).languages.iter())
            .map(|l| l.to_ascii_lowercase())
            .collect();
        languages.sort();
        languages.dedup();
        let with_language = by_option(languages.len(), &|s, push| {
            for l in &s.languages {
                if let Ok(k) = languages.binary_search(&l.to_ascii_lowercase()) {
                    push(k);
                }
            }
        });
        facets.push(Facet {
            name: "lang",
            mode: Mode::Any,
            options: languages.iter().cloned().zip(with_language).collect(),
        });
        facets.push(Facet {
            name: "status",
            mode: Mode::Any,
            options: [
                ("active", SpaceStatus::Active),
                ("temporarily-closed", SpaceStatus::TemporarilyClosed),
            ]
            .iter()
            .map(|(id, st)| ((*id).to_owned(), has(&|s| s.status == *st)))
            .collect(),
        });
        let slug_index: FastMap<&str, usize> =
            crate::model::positions(&site.spaces, |s| s.slug.as_str());
        let upcoming_session = |sp: &crate::model::Space| {
            idx.space_sessions[slug_index[sp.slug.as_str()]]
                .iter()
                .any(|&s| {
                    idx.is_upcoming(site, s)
                        && site.sessions[s].status == SessionStatus::Scheduled
                        && matches!(site.sessions[s].venue, Venue::Space(_))
                })
        };
        facets.push(Facet {
            name: "flag",
            mode: Mode::All,
            options: vec![
                (FLAGS[0].into(), has(&|s| s.government_members_welcome)),
                (FLAGS[1].into(), has(&upcoming_session)),
                (FLAGS[2].into(), has(&|s| s.drop_in)),
            ],
        });

        // Places for "near …": the centre of each locality's listed spaces.
        let mut by_place: BTreeMap<(&str, &str), (f64, f64, f64)> = BTreeMap::new();
        for &id in &listed {
            let s = space(id as usize);
            let key = (
                localities[order[id as usize]].as_str(),
                s.address.locality.as_str(),
            );
            let e = by_place.entry(key).or_default();
            e.0 += s.lat;
            e.1 += s.lon;
            e.2 += 1.0;
        }
        let place_of: FastMap<(&str, &str), u32> = by_place
            .keys()
            .enumerate()
            .map(|(k, key)| (*key, k as u32))
            .collect();
        let places = by_place
            .iter()
            .map(|((_, name), (lat, lon, k))| Place {
                name: (*name).to_owned(),
                lat: e4(lat / k),
                lon: e4(lon / k),
            })
            .collect();

        // What a result card shows beyond the facets: name, slug and locality, and the
        // day pass where the card's differs from `day` (another currency).
        let listed_text = |text: &dyn Fn(&crate::model::Space) -> String| -> Vec<String> {
            (0..n)
                .map(|id| {
                    if is_listed(id) {
                        text(space(id))
                    } else {
                        String::new()
                    }
                })
                .collect()
        };
        let mut cards = Cards {
            // Spaces that are not listed are never a result: empty.
            names: listed_text(&|s| s.name.clone()),
            slugs: listed_text(&|s| s.slug.to_string()),
            place: (0..n)
                .map(|id| {
                    let s = space(id);
                    let key = (localities[order[id]].as_str(), s.address.locality.as_str());
                    if is_listed(id) {
                        place_of.get(&key).copied()
                    } else {
                        None
                    }
                })
                .collect(),
            regions: site.regions.iter().map(|r| r.name.clone()).collect(),
            languages: languages.iter().map(|l| Locale::language_name(l)).collect(),
            day: listed
                .iter()
                .filter_map(|&id| {
                    let card = space(id as usize)
                        .plans
                        .iter()
                        .filter(|p| p.period == BillingPeriod::Day)
                        .min_by(|a, b| a.price.total_cmp(&b.price))?;
                    let same = Some(&card.currency) == currency.as_ref()
                        && day[id as usize] == Some(card.price);
                    (!same).then(|| (id, card.price, card.currency.clone()))
                })
                .collect(),
            order: idx.listed.iter().map(|&i| id_of[i]).collect(),
            seed: None,
        };
        // Checked rather than inferred from the policy, so the seed is written only when
        // it really gives the order the page has.
        cards.seed = (seeded_order(&listed, &cards.slugs, idx.order_seed) == cards.order)
            .then_some(idx.order_seed);

        SearchIndex {
            n,
            time_zone: site.config.time_zone_name.clone(),
            listed,
            terms,
            primary,
            secondary,
            postings,
            facets,
            currency,
            day,
            month,
            capacity: (0..n).map(|id| space(id).capacity).collect(),
            lat: (0..n).map(|id| e4(space(id).lat)).collect(),
            lon: (0..n).map(|id| e4(space(id).lon)).collect(),
            id_of,
            places,
            schedules,
            hours: hours_of,
            band_thresholds,
            cards,
        }
    }

    pub fn facet(&self, name: &str) -> Option<&Facet> {
        self.facets.iter().find(|f| f.name == name)
    }

    /// The shard holding the terms that begin with `first` (a UTF-16 code unit).
    pub fn shard_of(first: u16) -> usize {
        usize::from(first) % SHARDS
    }

    /// The files of the index: the core (`search/index.json`) first, then the cards
    /// (`search/cards.json`), then one file per non-empty term shard (`search/t<k>.json`).
    /// The core names the cards and each shard with a content hash, so the core's own
    /// hash changes whenever any part does.
    pub fn to_files(&self) -> Vec<(String, Vec<u8>)> {
        let n = self.n;
        // Terms by shard, in term order (each term's first UTF-16 unit computed once).
        let mut by_shard: Vec<Vec<usize>> = vec![Vec::new(); SHARDS];
        for (t, term) in self.terms.iter().enumerate() {
            let first = term.encode_utf16().next().unwrap_or(0);
            by_shard[Self::shard_of(first)].push(t);
        }
        // Fields in alphabetical order, as in the core (whose `json!` map sorts them).
        #[derive(Serialize)]
        struct Shard<'a> {
            post: Vec<String>,
            terms: Vec<&'a str>,
            tp: Vec<i64>,
            ts: Vec<i64>,
        }
        let shards: Vec<(usize, Vec<u8>)> = by_shard
            .par_iter()
            .enumerate()
            .filter(|(_, ts)| !ts.is_empty())
            .map(|(k, ts)| {
                let mut post: Vec<String> = Vec::new();
                let mut seen: FastMap<u32, i64> = FastMap::default();
                let mut local = |p: Option<u32>| -> i64 {
                    let Some(p) = p else { return -1 };
                    *seen.entry(p).or_insert_with(|| {
                        post.push(encode::encode(&self.postings[p as usize], n));
                        (post.len() - 1) as i64
                    })
                };
                let (mut terms, mut tp, mut tsec) = (Vec::new(), Vec::new(), Vec::new());
                for &t in ts {
                    terms.push(self.terms[t].as_str());
                    tp.push(local(self.primary[t]));
                    tsec.push(local(self.secondary[t]));
                }
                let shard = Shard {
                    post,
                    terms,
                    tp,
                    ts: tsec,
                };
                (k, serde_json::to_vec(&shard).expect("shards serialize"))
            })
            .collect();
        let cards = self.cards_json();
        // From the centre of the space's locality when it has one (nearby, so small),
        // else from the previous space's coordinate.
        let offsets = |xs: &[i32], centre: fn(&Place) -> i32| -> String {
            let mut prev = 0_i64;
            encode::numbers(xs.iter().zip(&self.cards.place).map(|(&x, p)| {
                let base = p.map_or(prev, |p| i64::from(centre(&self.places[p as usize])));
                prev = i64::from(x);
                encode::zigzag(i64::from(x) - base)
            }))
        };
        // Whole prices (the usual case) as numbers; any fraction keeps the JSON array.
        let prices = |xs: &[Option<f64>]| -> Value {
            if xs
                .iter()
                .flatten()
                .all(|&x| x >= 0.0 && x.fract() == 0.0 && x < 9e15)
            {
                json!(encode::numbers(
                    xs.iter().map(|x| x.map_or(0, |x| x as u64 + 1))
                ))
            } else {
                Value::Array(xs.iter().map(|x| x.map_or(Value::Null, number)).collect())
            }
        };
        let core = json!({
            "v": VERSION,
            "n": n,
            "tz": self.time_zone,
            "cur": self.currency,
            "listed": encode::encode(&self.listed, n),
            "shards": shards.iter().map(|(k, bytes)| json!([k, format!("{:08x}", fnv(bytes))])).collect::<Vec<_>>(),
            "cards": format!("{:08x}", fnv(&cards)),
            "facets": self.facets.iter().map(|f| json!([
                f.name,
                f.mode,
                f.options.iter().map(|(id, ids)| json!([id, encode::encode(ids, n)])).collect::<Vec<_>>(),
            ])).collect::<Vec<_>>(),
            "day": prices(&self.day),
            "month": prices(&self.month),
            "cap": encode::numbers(self.capacity.iter().map(shifted)),
            "place": encode::numbers(self.cards.place.iter().map(shifted)),
            "lat": offsets(&self.lat, |p| p.lat),
            "lon": offsets(&self.lon, |p| p.lon),
            "places": self.places.iter().map(|p| json!([p.name, p.lat, p.lon])).collect::<Vec<_>>(),
            "hours": self.schedules.iter().map(|w| json!([
                u8::from(w.approximate),
                w.days.iter().map(|d| d.iter().flat_map(|&(s, e)| [s, e]).collect::<Vec<_>>()).collect::<Vec<_>>(),
            ])).collect::<Vec<_>>(),
            "h": encode::numbers(self.hours.iter().map(shifted)),
        });
        let core = serde_json::to_vec(&core).expect("JSON values always serialize");
        let mut files = Vec::with_capacity(shards.len() + 2);
        files.push((INDEX_PATH.to_owned(), core));
        files.push((CARDS_PATH.to_owned(), cards));
        files.extend(
            shards
                .into_iter()
                .map(|(k, bytes)| (format!("search/t{k}.json"), bytes)),
        );
        files
    }

    /// `search/cards.json` (format in the module documentation).
    fn cards_json(&self) -> Vec<u8> {
        let c = &self.cards;
        let slugs: Vec<&str> = c
            .names
            .iter()
            .zip(&c.slugs)
            .map(|(name, slug)| short_slug(name, slug))
            .collect();
        let mut currencies: Vec<&str> = c.day.iter().map(|d| d.2.as_str()).collect();
        currencies.sort_unstable();
        currencies.dedup();
        let mut cards = json!({
            "name": c.names,
            "slug": slugs,
            "regions": c.regions,
            "langs": c.languages,
            "day": [
                encode::encode(&c.day.iter().map(|d| d.0).collect::<Vec<_>>(), self.n),
                c.day.iter().map(|d| number(d.1)).collect::<Vec<_>>(),
                c.day.iter().map(|d| currencies.binary_search(&d.2.as_str()).unwrap_or(0)).collect::<Vec<_>>(),
                currencies,
            ],
        });
        match c.seed {
            Some(seed) => cards["seed"] = json!(seed),
            None => {
                let width = id_width(self.n);
                let mut order = String::with_capacity(c.order.len() * width);
                for &id in &c.order {
                    for k in 0..width {
                        order.push(encode::ALPHABET[(id as usize >> (6 * k)) & 63] as char);
                    }
                }
                cards["order"] = json!(order);
            }
        }
        serde_json::to_vec(&cards).expect("JSON values always serialize")
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

    /// Reads what [`SearchIndex::to_files`] wrote (for tests and tools): the core, and a
    /// way to get a shard's bytes by its path. `None` if anything is malformed.
    pub fn from_files(core: &[u8], shard: impl Fn(&str) -> Option<Vec<u8>>) -> Option<Self> {
        let v: Value = serde_json::from_slice(core).ok()?;
        if v["v"].as_u64()? != u64::from(VERSION) {
            return None;
        }
        let n = v["n"].as_u64()? as usize;
        let arr = |k: &str| v[k].as_array().cloned();
        let ids = |s: &Value| encode::decode(s.as_str()?, n);

        let mut by_term: BTreeMap<Vec<u16>, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
        for r in arr("shards")? {
            let k = r[0].as_u64()?;
            let bytes = shard(&format!("search/t{k}.json"))?;
            if format!("{:08x}", fnv(&bytes)) != r[1].as_str()? {
                return None;
            }
            let sv: Value = serde_json::from_slice(&bytes).ok()?;
            let post: Vec<Vec<u32>> = sv["post"]
                .as_array()?
                .iter()
                .map(ids)
                .collect::<Option<_>>()?;
            let get = |x: &Value| -> Option<Vec<u32>> {
                match x.as_i64()? {
                    -1 => Some(Vec::new()),
                    p => post.get(usize::try_from(p).ok()?).cloned(),
                }
            };
            for (t, term) in sv["terms"].as_array()?.iter().enumerate() {
                by_term.insert(
                    term.as_str()?.encode_utf16().collect(),
                    (get(&sv["tp"][t])?, get(&sv["ts"][t])?),
                );
            }
        }
        let (mut terms, mut primary, mut secondary, mut postings) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut seen: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut push = |ids: Vec<u32>| -> Option<u32> {
            (!ids.is_empty()).then(|| {
                *seen.entry(ids).or_insert_with_key(|ids| {
                    postings.push(ids.clone());
                    (postings.len() - 1) as u32
                })
            })
        };
        for (units, (p, o)) in by_term {
            terms.push(String::from_utf16(&units).ok()?);
            primary.push(push(p));
            secondary.push(push(o));
        }

        let facet_name = |s: &str| -> Option<&'static str> {
            [
                "region", "amenity", "band", "access", "lang", "status", "flag",
            ]
            .into_iter()
            .find(|k| *k == s)
        };
        let mut facets = Vec::new();
        for f in arr("facets")? {
            let mode = match f[1].as_str()? {
                "any" => Mode::Any,
                "all" => Mode::All,
                _ => return None,
            };
            let mut options = Vec::new();
            for o in f[2].as_array()? {
                options.push((o[0].as_str()?.to_owned(), ids(&o[1])?));
            }
            facets.push(Facet {
                name: facet_name(f[0].as_str()?)?,
                mode,
                options,
            });
        }
        let mut schedules = Vec::new();
        for h in arr("hours")? {
            let mut days: [Vec<(u16, u16)>; 7] = Default::default();
            for (d, list) in h[1].as_array()?.iter().enumerate().take(7) {
                let m: Vec<u16> = list
                    .as_array()?
                    .iter()
                    .map(|x| x.as_u64().map(|x| x as u16))
                    .collect::<Option<_>>()?;
                days[d] = m.chunks(2).map(|c| (c[0], c[1])).collect();
            }
            schedules.push(WeeklyHours {
                days,
                approximate: h[0].as_u64()? == 1,
            });
        }
        let numbers = |x: &Value| -> Option<Vec<u64>> {
            let values = encode::read_numbers(x.as_str()?)?;
            (values.len() == n).then_some(values)
        };
        let unshifted = |x: &Value| -> Option<Vec<Option<u32>>> {
            numbers(x)?
                .into_iter()
                .map(|v| match v {
                    0 => Some(None),
                    v => u32::try_from(v - 1).ok().map(Some),
                })
                .collect()
        };
        let places: Vec<Place> = arr("places")?
            .iter()
            .map(|p| {
                Some(Place {
                    name: p[0].as_str()?.to_owned(),
                    lat: i32::try_from(p[1].as_i64()?).ok()?,
                    lon: i32::try_from(p[2].as_i64()?).ok()?,
                })
            })
            .collect::<Option<_>>()?;
        let place = unshifted(&v["place"])?;
        let coordinates = |k: &str, centre: fn(&Place) -> i32| -> Option<Vec<i32>> {
            let mut prev = 0_i64;
            numbers(&v[k])?
                .into_iter()
                .zip(&place)
                .map(|(u, p)| {
                    let base = match p {
                        Some(p) => i64::from(centre(places.get(*p as usize)?)),
                        None => prev,
                    };
                    prev = base + encode::unzigzag(u);
                    i32::try_from(prev).ok()
                })
                .collect()
        };
        let prices = |k: &str| -> Option<Vec<Option<f64>>> {
            match &v[k] {
                x @ Value::String(_) => Some(
                    numbers(x)?
                        .into_iter()
                        .map(|p| p.checked_sub(1).map(|p| p as f64))
                        .collect(),
                ),
                x => Some(x.as_array()?.iter().map(Value::as_f64).collect()),
            }
        };
        let lat = coordinates("lat", |p| p.lat)?;
        let lon = coordinates("lon", |p| p.lon)?;
        let cards_bytes = shard(CARDS_PATH)?;
        if format!("{:08x}", fnv(&cards_bytes)) != v["cards"].as_str()? {
            return None;
        }
        let cv: Value = serde_json::from_slice(&cards_bytes).ok()?;
        let strings = |x: &Value| -> Option<Vec<String>> {
            x.as_array()?
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect()
        };
        let names = strings(&cv["name"])?;
        let short = strings(&cv["slug"])?;
        let slugs: Vec<String> = names
            .iter()
            .zip(&short)
            .map(|(name, s)| full_slug(name, s))
            .collect();
        let listed = ids(&v["listed"])?;
        let seed = match &cv["seed"] {
            Value::Null => None,
            s => Some(u32::try_from(s.as_u64()?).ok()?),
        };
        let order = match seed {
            Some(seed) => seeded_order(&listed, &slugs, seed),
            None => {
                let width = id_width(n);
                let digit = |c: u8| encode::ALPHABET.iter().position(|&a| a == c);
                let order_text = cv["order"].as_str()?.as_bytes();
                if order_text.len() % width != 0 {
                    return None;
                }
                order_text
                    .chunks(width)
                    .map(|c| {
                        c.iter()
                            .rev()
                            .try_fold(0_u32, |acc, &b| Some(acc * 64 + digit(b)? as u32))
                    })
                    .collect::<Option<_>>()?
            }
        };
        let cards = Cards {
            slugs,
            names,
            place,
            regions: strings(&cv["regions"])?,
            languages: strings(&cv["langs"])?,
            day: {
                let d = &cv["day"];
                let ids = encode::decode(d[0].as_str()?, n)?;
                let (prices, curs, names) = (d[1].as_array()?, d[2].as_array()?, d[3].as_array()?);
                if prices.len() != ids.len() || curs.len() != ids.len() {
                    return None;
                }
                ids.iter()
                    .zip(prices.iter().zip(curs))
                    .map(|(&id, (p, k))| {
                        let cur = names.get(usize::try_from(k.as_u64()?).ok()?)?.as_str()?;
                        Some((id, p.as_f64()?, cur.to_owned()))
                    })
                    .collect::<Option<_>>()?
            },
            order,
            seed,
        };
        Some(SearchIndex {
            cards,
            n,
            time_zone: v["tz"].as_str()?.to_owned(),
            currency: v["cur"].as_str().map(str::to_owned),
            listed,
            terms,
            primary,
            secondary,
            postings,
            facets,
            day: prices("day")?,
            month: prices("month")?,
            capacity: unshifted(&v["cap"])?,
            lat,
            lon,
            places,
            schedules,
            hours: unshifted(&v["h"])?,
            band_thresholds: Vec::new(),
            id_of: Vec::new(),
        })
    }
}

/// 32-bit FNV-1a of bytes (the content hash in the index's URLs).
pub fn fnv(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// A hash for the index's own maps (short words, lists of ids): FxHash, the multiply-rotate
/// hash of rustc, which is several times faster than the DoS-resistant default and safe
/// here because the keys come from the site's own content, not from visitors.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0_u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // The table picks buckets from the low bits, which the multiplication mixes least.
        self.0.rotate_left(26)
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// What an amenity adds to the words of a space that has it: its name, and its id split
/// and joined ("meeting rooms", "meetingrooms").
fn amenity_text(name: Option<&str>, id: &str) -> String {
    let mut out = String::new();
    if let Some(name) = name {
        out.push_str(name);
        out.push(' ');
    }
    out.push_str(&id.replace('-', " "));
    out.push(' ');
    out.push_str(&id.replace('-', ""));
    out.push(' ');
    out
}

/// Calls its second argument with the facet option numbers a space has.
type OptionsOf<'a> = dyn Fn(&crate::model::Space, &mut dyn FnMut(usize)) + 'a;

/// Field groups of a space's words: primary (name, locality, region) and other.
const PRIMARY: usize = 0;
const OTHER: usize = 1;

/// The distinct words of a block of spaces, numbered in order of appearance, and per
/// space the numbers of its distinct words (primary fields, other fields).
///
/// The dictionary is its own open-addressing table over one buffer of the words' bytes:
/// a word is hashed once and compared inline, with no allocation or library call per word.
#[derive(Default)]
struct WordBlock {
    /// The words' bytes, one after another.
    bytes: Vec<u8>,
    /// Per word: its hash, and where its bytes start and end in `bytes`.
    entries: Vec<(u64, u32, u32)>,
    /// Word number + 1 at the slot of its hash (or a later one, wrapping), 0 for empty;
    /// a power of two in size, at most half full.
    slots: Vec<u32>,
    /// Per word, the last space (+1) of the block that had it in each field group:
    /// distinct words per space with no sorting.
    last: Vec<[u32; 2]>,
    /// Per field group, the word numbers of every space, one space after another.
    flat: [Vec<u32>; 2],
    /// Per space ended, where its numbers end in `flat` (the next space's begin there).
    ends: Vec<[u32; 2]>,
}

impl WordBlock {
    /// Adds the next space, given its primary and other texts (not yet normalised).
    #[cfg(test)]
    fn add(&mut self, primary: &str, other: &str) {
        self.text(PRIMARY, primary);
        self.text(OTHER, other);
        self.end();
    }

    /// Ends the current space: the words marked since the previous `end` are its own.
    fn end(&mut self) {
        self.ends.push(self.flat.each_ref().map(|f| f.len() as u32));
    }

    /// Per space, the range of its numbers in `flat[field]`.
    fn spans(&self, field: usize) -> impl Iterator<Item = std::ops::Range<usize>> + Clone {
        let mut start = 0;
        self.ends.iter().map(move |e| {
            let end = e[field] as usize;
            let r = start..end;
            start = end;
            r
        })
    }

    /// The word numbers of a (not yet normalised) text, in order, repeats kept: a text
    /// many spaces share, to add with [`Self::known`].
    fn numbers(&mut self, raw: &str) -> Vec<u32> {
        let mut out = Vec::new();
        text::for_each_word_bytes(raw, |w| out.push(self.number(w)));
        out
    }

    /// Adds the words of a (not yet normalised) text to a field group of the current space.
    fn text(&mut self, field: usize, raw: &str) {
        text::for_each_word_bytes(raw, |w| {
            let id = self.number(w);
            self.mark(field, id);
        });
    }

    /// Adds words by number ([`Self::numbers`]) to a field group of the current space.
    fn known(&mut self, field: usize, ids: &[u32]) {
        for &id in ids {
            self.mark(field, id);
        }
    }

    fn mark(&mut self, field: usize, id: u32) {
        let stamp = self.ends.len() as u32 + 1;
        let seen = &mut self.last[id as usize][field];
        if *seen != stamp {
            *seen = stamp;
            self.flat[field].push(id);
        }
    }

    /// The words, by number.
    fn words(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|&(_, start, end)| {
            std::str::from_utf8(&self.bytes[start as usize..end as usize]).expect("words are text")
        })
    }

    /// The number of a (normalised) word, numbering it if it is new.
    fn number(&mut self, w: &[u8]) -> u32 {
        let h = word_hash(w);
        if self.slots.len() < 2 * (self.entries.len() + 1) {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = slot_of(h, mask);
        loop {
            let s = self.slots[i];
            if s == 0 {
                break;
            }
            let (eh, start, end) = self.entries[s as usize - 1];
            if eh == h && same_bytes(&self.bytes[start as usize..end as usize], w) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
        let id = self.entries.len() as u32;
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(w);
        self.entries.push((h, start, self.bytes.len() as u32));
        self.last.push([0, 0]);
        self.slots[i] = id + 1;
        id
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let mask = size - 1;
        let mut slots = vec![0_u32; size];
        for (id, &(h, _, _)) in self.entries.iter().enumerate() {
            let mut i = slot_of(h, mask);
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = id as u32 + 1;
        }
        self.slots = slots;
    }
}

/// The hash of a word in [`WordBlock`]: [`FxHasher`]'s step over 8 bytes at a time.
fn word_hash(w: &[u8]) -> u64 {
    let mut h = FxHasher(w.len() as u64);
    let mut chunks = w.chunks_exact(8);
    for c in &mut chunks {
        h.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let mut last = 0_u64;
    for (k, &b) in chunks.remainder().iter().enumerate() {
        last |= u64::from(b) << (8 * k);
    }
    h.add(last);
    h.0
}

/// The slot a hash picks: its high bits, which the last multiplication mixes best.
fn slot_of(h: u64, mask: usize) -> usize {
    (h >> 32) as usize & mask
}

/// Byte equality, inline (words are short: a call to `memcmp` costs more than the work).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut ca).zip(&mut cb) {
        let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().expect("8 bytes"));
        if word(x) != word(y) {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

/// JavaScript's string order (UTF-16 code units), which differs from Rust's (code
/// points) only beyond the Basic Multilingual Plane.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Per term, the spaces (positions in `lists`) whose list holds it: one flat array and
/// where each term's ids start in it (a counting sort, so each run is ascending).
fn invert<'a>(
    terms: usize,
    lists: impl Iterator<Item = &'a [u32]> + Clone,
) -> (Vec<u32>, Vec<usize>) {
    let mut start = vec![0_usize; terms + 1];
    for l in lists.clone() {
        for &t in l {
            start[t as usize + 1] += 1;
        }
    }
    for t in 0..terms {
        start[t + 1] += start[t];
    }
    let mut fill = start.clone();
    let mut flat = vec![0_u32; start[terms]];
    for (id, l) in lists.enumerate() {
        for &t in l {
            flat[fill[t as usize]] = id as u32;
            fill[t as usize] += 1;
        }
    }
    (flat, start)
}

/// The number of a postings list, shared by every term with the same spaces.
fn intern<'a>(
    seen: &mut FastMap<&'a [u32], u32>,
    postings: &mut Vec<Vec<u32>>,
    ids: &'a [u32],
) -> Option<u32> {
    if ids.is_empty() {
        return None;
    }
    Some(*seen.entry(ids).or_insert_with(|| {
        postings.push(ids.to_vec());
        (postings.len() - 1) as u32
    }))
}

/// The slug as `cards.json` writes it: what follows [`slug_stem`]`(name)` when the slug
/// begins with the stem and then `-` or ends (so `""` or `-…`), else the whole slug
/// (which never begins with `-`).
fn short_slug<'a>(name: &str, slug: &'a str) -> &'a str {
    let stem = slug_stem(name);
    match slug.strip_prefix(stem.as_str()) {
        Some(rest) if !stem.is_empty() && (rest.is_empty() || rest.starts_with('-')) => rest,
        _ => slug,
    }
}

/// A name as a slug would spell it, for `cards.json` only: ASCII letters lowercased and
/// digits kept; every run of anything else (other letters too) is one `-`, none at
/// either end. `search.js` has the same function.
pub fn slug_stem(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            gap = true;
        }
    }
    out
}

/// The inverse of [`short_slug`].
fn full_slug(name: &str, short: &str) -> String {
    if short.is_empty() || short.starts_with('-') {
        slug_stem(name) + short
    } else {
        short.to_owned()
    }
}

/// `None` → 0, `Some(x)` → x + 1: how [`encode::numbers`] texts hold optional values.
fn shifted(x: &Option<u32>) -> u64 {
    x.map_or(0, |x| u64::from(x) + 1)
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

/// Letters per id in `cards.json`'s `order`: the fewest base-64 digits that hold `n − 1`.
fn id_width(n: usize) -> usize {
    let mut w = 1;
    while w < 10 && 64_usize.pow(w as u32) < n {
        w += 1;
    }
    w
}

fn e4(deg: f64) -> i32 {
    (deg * 1e4).round() as i32
}

/// A JSON number, written as an integer when it is one (prices are mostly whole).
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// Rounds a price threshold to two significant digits, so bands read "under CA$20".
fn round_nicely(x: f64) -> f64 {
    if x <= 0.0 {
        return x;
    }
    let step = 10_f64.powf((x.log10().floor() - 1.0).max(0.0));
    (x / step).round() * step
}

fn band_names(thresholds: usize) -> &'static [&'static str] {
    if thresholds >= 2 {
        &["low", "mid", "high"]
    } else {
        &["low", "high"]
    }
}

// ----------------------------------------------------------------------------- view

/// What `_search.html` receives as `home.search` (part of the template API, see
/// [`crate::render::view`]). Labels are ready to print; counts are filled in by the script.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    /// Root-relative URL of the index, with a content hash.
    pub index_url: String,
    /// Root-relative URL of `js/search.js`, with a content hash.
    pub script_url: String,
    /// The site's time zone, in which "open now" is evaluated.
    pub time_zone: String,
    /// Currency of the price ranges (e.g. `CAD`), if any space gives a price.
    pub currency: Option<String>,
    /// Facet groups in display order.
    pub groups: Vec<FacetGroupView>,
    /// Localities for "near …", by name.
    pub places: Vec<String>,
    /// Some opening hours are approximate (holidays, dates): say so by "open now".
    pub hours_approximate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetGroupView {
    /// URL parameter and form field name, e.g. `amenity`.
    pub name: String,
    /// `any` or `all`.
    pub mode: String,
    pub legend: String,
    pub options: Vec<FacetOptionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetOptionView {
    pub id: String,
    pub label: String,
}

impl SearchIndex {
    /// The form's contents for the home page.
    pub fn view(
        &self,
        site: &Site,
        fmt: &Locale,
        index_url: String,
        script_url: String,
    ) -> SearchView {
        let label = |facet: &str, id: &str| -> String {
            match facet {
                "region" => site
                    .regions
                    .iter()
                    .find(|r| r.id.as_str() == id)
                    .map_or(id.to_owned(), |r| r.name.clone()),
                "amenity" => site
                    .amenities
                    .iter()
                    .find(|a| a.id.as_str() == id)
                    .map_or(id.to_owned(), |a| a.name.clone()),
                "band" => self.band_label(fmt, id),
                "access" => fmt.t(&id.replace('-', "_")),
                "lang" => Locale::language_name(id),
                "status" => fmt.t(&format!("status_{}", id.replace('-', "_"))),
                _ => fmt.t(&format!("search_flag_{}", id.replace('-', "_"))),
            }
        };
        SearchView {
            index_url,
            script_url,
            time_zone: self.time_zone.clone(),
            currency: self.currency.clone(),
            groups: self
                .facets
                .iter()
                .map(|f| FacetGroupView {
                    name: f.name.to_owned(),
                    mode: match f.mode {
                        Mode::Any => "any",
                        Mode::All => "all",
                    }
                    .to_owned(),
                    legend: fmt.t(&format!("search_facet_{}", f.name)),
                    options: f
                        .options
                        .iter()
                        .map(|(id, _)| FacetOptionView {
                            id: id.clone(),
                            label: label(f.name, id),
                        })
                        .collect(),
                })
                .collect(),
            places: self.places.iter().map(|p| p.name.clone()).collect(),
            hours_approximate: self.schedules.iter().any(|w| w.approximate),
        }
    }

    fn band_label(&self, fmt: &Locale, id: &str) -> String {
        let cur = self.currency.as_deref().unwrap_or("");
        let money = |x: f64| fmt.money(x, cur);
        let t = &self.band_thresholds;
        match (id, t.as_slice()) {
            ("low", [a, ..]) => fmt.t("search_band_under").replace("{price}", &money(*a)),
            ("mid", [a, b]) => fmt
                .t("search_band_between")
                .replace("{low}", &money(*a))
                .replace("{high}", &money(*b)),
            ("high", [.., b]) => fmt.t("search_band_over").replace("{price}", &money(*b)),
            _ => id.to_owned(),
        }
    }
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

    #[test]
    fn search_word_numbers_survive_the_table_growing() {
        // Thousands of words (the table starts at 1,024 slots and doubles), some of them
        // sharing their first 8 bytes, each numbered once and found again.
        let words: Vec<String> = (0..5_000)
            .map(|k| format!("{}{k}", ["w", "abcdefgh", "zzzzzzzzzzzzzzzz"][k % 3]))
            .collect();
        let mut b = WordBlock::default();
        for (k, w) in words.iter().enumerate() {
            assert_eq!(b.number(w.as_bytes()), k as u32);
        }
        for (k, w) in words.iter().enumerate().rev() {
            assert_eq!(b.number(w.as_bytes()), k as u32, "{w}");
        }
        assert_eq!(b.words().collect::<Vec<_>>(), words);
        assert!(same_bytes(b"abcdefghij", b"abcdefghij"));
        assert!(!same_bytes(b"abcdefghij", b"abcdefghik"));
        assert!(!same_bytes(b"abcdefgh", b"abcdefgx"));
        assert!(!same_bytes(b"abc", b"abcd"));
    }

    #[test]
    fn search_round_nicely_keeps_two_digits() {
        assert_eq!(round_nicely(23.4), 23.0);
        assert_eq!(round_nicely(4.6), 5.0);
        assert_eq!(round_nicely(1_234.0), 1_200.0);
        assert_eq!(round_nicely(0.0), 0.0);
    }

    #[test]
    fn search_words_are_numbered_once_per_space_and_field() {
        let mut b = WordBlock::default();
        b.add("Café Montréal the CAFE, the café", "Ærø the");
        b.add("", "Ærø, ærø");
        assert_eq!(
            b.words().collect::<Vec<_>>(),
            ["cafe", "montreal", "the", "aero"]
        );
        let lists = |field| {
            b.spans(field)
                .map(|r| b.flat[field][r].to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(lists(PRIMARY), [vec![0, 1, 2], vec![]]);
        assert_eq!(lists(OTHER), [vec![3, 2], vec![3]]);
        assert_eq!(
            utf16_cmp("\u{ffff}", "\u{10000}"),
            std::cmp::Ordering::Greater
        );
        assert_eq!(utf16_cmp("abc", "abd"), std::cmp::Ordering::Less);
    }
}
