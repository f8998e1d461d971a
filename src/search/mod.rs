//! The search index: what the browser needs to search and filter the directory with no
//! server, built from the validated model (never by crawling HTML).
//!
//! The home page already lists every space as a card, in the neutral order. Search is an
//! enhancement over that list: `themes/default/static/js/search.js` downloads
//! `/search/index.json` (a content hash in its URL), evaluates the query and filters, and
//! hides, shows and — only when the visitor asks for a sort, or types words that match
//! some spaces better than others — reorders the existing `<li data-id>` items. No card
//! HTML is in the index, and spaces that match equally well keep their neutral order.
//!
//! # Index format (version [`VERSION`])
//!
//! Columnar JSON. Every per-space array has `n` entries; entry `i` is the space whose
//! card is `<li data-id="i">`. Ids follow region, locality and slug (so neighbours look
//! alike and compress well); the page never orders by them. Sets of spaces are postings
//! lists in the text form of [`encode`].
//!
//! The **core**, `search/index.json`, is fetched on first use:
//!
//! | key | value |
//! |---|---|
//! | `v`, `n`, `tz`, `cur` | version, number of spaces, the site's IANA time zone, the main currency |
//! | `listed` | postings: the spaces on the page (closed ones are not) |
//! | `shards` | `[[k, hash], …]`: the term shards that exist, fetched as `search/t<k>.json?v=<hash>` |
//! | `facets` | `[[name, mode, [[option id, postings], …]], …]`, mode `any` (OR within the group) or `all` (AND) |
//! | `day`, `month` | lowest day-pass / monthly price in the main currency `cur`, or `null` (other currencies are not compared) |
//! | `cap` | capacity or `null` |
//! | `lat`, `lon` | degrees × 10⁴ (about 11 m), each entry the difference from the previous one |
//! | `places` | `[[locality, lat×10⁴, lon×10⁴], …]`: the centre of each locality's spaces, for "near" |
//! | `hours` | distinct weekly schedules `[approximate (0/1), [7 × [start, end, start, end, …]]]`, minutes since midnight, 0 = Monday (see [`hours`]) |
//! | `h` | per space: index into `hours`, or `-1` when no opening hours are given |
//!
//! A **term shard** `search/t<k>.json` holds the terms whose first UTF-16 code unit is
//! `k` modulo [`SHARDS`], so typing a word fetches one small file:
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

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::index::Index;
use crate::model::{BillingPeriod, SessionStatus, Site, SpaceStatus, Venue};
use crate::render::format::Fmt;
use hours::WeeklyHours;

/// The index format's version (the `v` key).
pub const VERSION: u32 = 1;

/// Output path of the index's core, relative to the site root.
pub const INDEX_PATH: &str = "search/index.json";

/// Number of term shards: terms are split by their first UTF-16 code unit modulo this,
/// so the browser fetches only the shards of the words typed.
pub const SHARDS: usize = 32;

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
}

/// A term's spaces through a primary field and through the other fields.
type Fields = (Vec<u32>, Vec<u32>);

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
        let n = site.spaces.len();
        // Ids follow region, then locality, then slug: neighbours share words, facets and
        // coordinates, so postings and deltas compress well. The order means nothing on
        // the page (the page keeps its neutral order).
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_cached_key(|&i| {
            let s = &site.spaces[i];
            (
                s.region.clone(),
                text::normalize(&s.address.locality),
                s.slug.clone(),
            )
        });
        let mut id_of = vec![0_u32; n];
        for (id, &i) in order.iter().enumerate() {
            id_of[i] = id as u32;
        }
        let site_spaces = &site.spaces;
        let space = |id: usize| &site_spaces[order[id]];
        let mut listed: Vec<u32> = idx.listed.iter().map(|&i| id_of[i]).collect();
        listed.sort_unstable();
        let is_listed = |id: usize| idx.rank[order[id]] != usize::MAX;

        // Text: term → (primary ids, secondary ids), built per space in parallel.
        let per_space: Vec<(Vec<String>, Vec<String>)> = (0..n)
            .into_par_iter()
            .map(|id| {
                let s = space(id);
                if !is_listed(id) {
                    return (Vec::new(), Vec::new());
                }
                let region = site
                    .regions
                    .iter()
                    .find(|r| r.id == s.region)
                    .map_or(s.region.as_str(), |r| r.name.as_str());
                let primary = words(&[&s.name, &s.address.locality, region]);
                let mut other = String::new();
                if let Some(summary) = &s.summary {
                    other.push_str(summary);
                    other.push(' ');
                }
                other.push_str(&text::markdown_words(&s.body));
                for a in &s.amenities {
                    if let Some(am) = site.amenities.iter().find(|x| &x.id == a) {
                        other.push_str(&am.name);
                        other.push(' ');
                    }
                    // The id too, joined and split: "wifi", "meeting rooms", "meetingrooms".
                    other.push_str(&a.as_str().replace('-', " "));
                    other.push(' ');
                    other.push_str(&a.as_str().replace('-', ""));
                    other.push(' ');
                }
                for &si in &idx.space_sessions[order[id]] {
                    for t in &site.sessions[si].topics {
                        other.push_str(t);
                        other.push(' ');
                    }
                }
                (primary, words(&[&other]))
            })
            .collect();
        let mut by_word: HashMap<&str, Fields> = HashMap::new();
        for (i, (p, o)) in per_space.iter().enumerate() {
            for w in p {
                by_word.entry(w.as_str()).or_default().0.push(i as u32);
            }
            for w in o {
                by_word.entry(w.as_str()).or_default().1.push(i as u32);
            }
        }
        // Sorted by UTF-16 code units, the order of JavaScript's string comparison.
        let mut term_ids: Vec<(Vec<u16>, Fields)> = by_word
            .into_iter()
            .map(|(w, ids)| (w.encode_utf16().collect(), ids))
            .collect();
        term_ids.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut seen: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut intern = |ids: Vec<u32>| -> Option<u32> {
            if ids.is_empty() {
                return None;
            }
            Some(*seen.entry(ids).or_insert_with_key(|ids| {
                postings.push(ids.clone());
                (postings.len() - 1) as u32
            }))
        };
        let (mut terms, mut primary, mut secondary) = (Vec::new(), Vec::new(), Vec::new());
        for (units, (p, o)) in term_ids {
            terms.push(String::from_utf16(&units).expect("built from a str"));
            primary.push(intern(p));
            secondary.push(intern(o));
        }

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
        let compiled: HashMap<&str, Option<WeeklyHours>> = rules
            .par_iter()
            .map(|r| (*r, hours::compile(r, monday)))
            .collect();
        let mut schedules: Vec<WeeklyHours> = Vec::new();
        let mut schedule_ids: HashMap<WeeklyHours, u32> = HashMap::new();
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
        facets.push(Facet {
            name: "amenity",
            mode: Mode::All,
            options: site
                .amenities
                .iter()
                .map(|a| (a.id.to_string(), has(&|s| s.amenities.contains(&a.id))))
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
        facets.push(Facet {
            name: "lang",
            mode: Mode::Any,
            options: languages
                .iter()
                .map(|l| {
                    (
                        l.clone(),
                        has(&|s| s.languages.iter().any(|x| x.eq_ignore_ascii_case(l))),
                    )
                })
                .collect(),
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
        let slug_index: HashMap<&str, usize> = site
            .spaces
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.as_str(), i))
            .collect();
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
        let mut by_place: BTreeMap<(String, String), (f64, f64, f64)> = BTreeMap::new();
        for &id in &listed {
            let s = space(id as usize);
            let key = (
                text::normalize(&s.address.locality),
                s.address.locality.clone(),
            );
            let e = by_place.entry(key).or_default();
            e.0 += s.lat;
            e.1 += s.lon;
            e.2 += 1.0;
        }
        let places = by_place
            .into_iter()
            .map(|((_, name), (lat, lon, k))| Place {
                name,
                lat: e4(lat / k),
                lon: e4(lon / k),
            })
            .collect();

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
        }
    }

    pub fn facet(&self, name: &str) -> Option<&Facet> {
        self.facets.iter().find(|f| f.name == name)
    }

    /// The shard holding the terms that begin with `first` (a UTF-16 code unit).
    pub fn shard_of(first: u16) -> usize {
        usize::from(first) % SHARDS
    }

    /// The files of the index: the core (`search/index.json`) first, then one file per
    /// non-empty term shard (`search/t<k>.json`). The core names each shard with a
    /// content hash, so the core's own hash changes whenever any part does.
    pub fn to_files(&self) -> Vec<(String, Vec<u8>)> {
        let n = self.n;
        let opt = |p: &Option<u32>| p.map_or(json!(-1), |p| json!(p));
        let num = |x: &Option<f64>| x.map_or(Value::Null, number);
        let mut files = Vec::new();
        let mut shard_refs = Vec::new();
        for k in 0..SHARDS {
            let mut post: Vec<String> = Vec::new();
            let mut seen: HashMap<u32, usize> = HashMap::new();
            let mut local = |p: &Option<u32>| -> Value {
                let Some(p) = *p else { return json!(-1) };
                let at = *seen.entry(p).or_insert_with(|| {
                    post.push(encode::encode(&self.postings[p as usize], n));
                    post.len() - 1
                });
                json!(at)
            };
            let (mut terms, mut tp, mut ts) = (Vec::new(), Vec::new(), Vec::new());
            for (t, term) in self.terms.iter().enumerate() {
                let first = term.encode_utf16().next().unwrap_or(0);
                if Self::shard_of(first) == k {
                    terms.push(term);
                    tp.push(local(&self.primary[t]));
                    ts.push(local(&self.secondary[t]));
                }
            }
            if terms.is_empty() {
                continue;
            }
            let bytes =
                serde_json::to_vec(&json!({ "terms": terms, "tp": tp, "ts": ts, "post": post }))
                    .expect("JSON values always serialize");
            shard_refs.push(json!([k, format!("{:08x}", fnv(&bytes))]));
            files.push((format!("search/t{k}.json"), bytes));
        }
        let delta = |xs: &[i32]| -> Vec<i32> {
            let mut prev = 0;
            xs.iter()
                .map(|&x| {
                    let d = x - prev;
                    prev = x;
                    d
                })
                .collect()
        };
        let core = json!({
            "v": VERSION,
            "n": n,
            "tz": self.time_zone,
            "cur": self.currency,
            "listed": encode::encode(&self.listed, n),
            "shards": shard_refs,
            "facets": self.facets.iter().map(|f| json!([
                f.name,
                f.mode,
                f.options.iter().map(|(id, ids)| json!([id, encode::encode(ids, n)])).collect::<Vec<_>>(),
            ])).collect::<Vec<_>>(),
            "day": self.day.iter().map(num).collect::<Vec<_>>(),
            "month": self.month.iter().map(num).collect::<Vec<_>>(),
            "cap": self.capacity,
            "lat": delta(&self.lat),
            "lon": delta(&self.lon),
            "places": self.places.iter().map(|p| json!([p.name, p.lat, p.lon])).collect::<Vec<_>>(),
            "hours": self.schedules.iter().map(|w| json!([
                u8::from(w.approximate),
                w.days.iter().map(|d| d.iter().flat_map(|&(s, e)| [s, e]).collect::<Vec<_>>()).collect::<Vec<_>>(),
            ])).collect::<Vec<_>>(),
            "h": self.hours.iter().map(opt).collect::<Vec<_>>(),
        });
        let core = serde_json::to_vec(&core).expect("JSON values always serialize");
        files.insert(0, (INDEX_PATH.to_owned(), core));
        files
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
        let opt_u32 = |x: &Value| x.as_i64().and_then(|i| u32::try_from(i).ok());

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
        let undelta = |k: &str| -> Option<Vec<i32>> {
            let mut acc = 0_i32;
            arr(k)?
                .iter()
                .map(|x| {
                    acc += x.as_i64()? as i32;
                    Some(acc)
                })
                .collect()
        };
        Some(SearchIndex {
            n,
            time_zone: v["tz"].as_str()?.to_owned(),
            currency: v["cur"].as_str().map(str::to_owned),
            listed: ids(&v["listed"])?,
            terms,
            primary,
            secondary,
            postings,
            facets,
            day: arr("day")?.iter().map(Value::as_f64).collect(),
            month: arr("month")?.iter().map(Value::as_f64).collect(),
            capacity: arr("cap")?
                .iter()
                .map(|x| x.as_u64().map(|c| c as u32))
                .collect(),
            lat: undelta("lat")?,
            lon: undelta("lon")?,
            places: arr("places")?
                .iter()
                .map(|p| {
                    Some(Place {
                        name: p[0].as_str()?.to_owned(),
                        lat: p[1].as_i64()? as i32,
                        lon: p[2].as_i64()? as i32,
                    })
                })
                .collect::<Option<_>>()?,
            schedules,
            hours: arr("h")?.iter().map(opt_u32).collect(),
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

/// The distinct normalised words of some texts.
fn words(texts: &[&str]) -> Vec<String> {
    let norms: Vec<String> = texts.iter().map(|t| text::normalize(t)).collect();
    let mut out: Vec<&str> = norms.iter().flat_map(|n| text::tokenize(n)).collect();
    out.sort_unstable();
    out.dedup();
    out.into_iter().map(str::to_owned).collect()
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
        fmt: &Fmt,
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
                "lang" => Fmt::language_name(id),
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

    fn band_label(&self, fmt: &Fmt, id: &str) -> String {
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
    fn search_round_nicely_keeps_two_digits() {
        assert_eq!(round_nicely(23.4), 23.0);
        assert_eq!(round_nicely(4.6), 5.0);
        assert_eq!(round_nicely(1_234.0), 1_200.0);
        assert_eq!(round_nicely(0.0), 0.0);
    }

    #[test]
    fn search_words_are_normalised_and_distinct() {
        assert_eq!(
            words(&["Café Montréal", "the CAFE, the café"]),
            ["cafe", "montreal", "the"]
        );
    }
}
