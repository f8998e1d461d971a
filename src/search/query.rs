//! What a query means: the reference implementation of the browser's search.
//!
//! `search.js` implements exactly this (with bitsets instead of sorted lists), and
//! `tests/it/search.rs` runs both on the same index and queries and compares results,
//! scores and facet counts. The build does not use it; tests and tools do.
//!
//! # Text
//!
//! The query text is normalised and split into words ([`super::text`]). When it does not
//! end with a separator, its last word is still being typed and also matches as a prefix.
//! Each word `w` gives every space a level, the best of:
//!
//! | level | the space has a term … |
//! |---|---|
//! | 3 | equal to `w` |
//! | 2 | starting with `w` (last word, still being typed) |
//! | 1 | within one typo of `w` (`w` of [`TYPO_MIN_LEN`](super::text::TYPO_MIN_LEN) letters or more, the first letter right), or, for the word being typed, whose beginning is |
//!
//! The first letter of a word must be right for a typo to be forgiven (as in most
//! search engines' fuzzy matching): that keeps a word's candidates within one term shard.
//! Add 3 when the term comes from a primary field (name, locality, region). A space
//! matches when every word gives it a level above 0; its **relevance** is the sum. Spaces
//! of equal relevance are shown in the page's current (neutral) order; an empty query
//! gives every space relevance 0, so the neutral order stands.
//!
//! # Filters and counts
//!
//! The base set is the listed spaces that match the text, lie within the price and
//! capacity ranges (a space that gives no value is out once a bound is set), are open at
//! the chosen weekday and minute, and lie within the radius of the chosen point. Each
//! facet group then narrows it: an `any` group to the spaces having at least one selected
//! option, an `all` group to those having all of them (no selection: no narrowing).
//!
//! The count shown by an option is the number of results the visitor would see with that
//! option ticked in addition: for an `all` group, the results that have it; for an `any`
//! group, the base set narrowed by every *other* group, that have it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::text::{self, prefix_within_one_edit, typo_len_ok, within_one_edit_units};
use super::{Mode, SearchIndex};

/// A visitor's query: text, facet selections, ranges, time and place.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    /// Facet name → selected option ids.
    pub selected: BTreeMap<String, Vec<String>>,
    pub day: (Option<f64>, Option<f64>),
    pub month: (Option<f64>, Option<f64>),
    pub capacity: (Option<f64>, Option<f64>),
    /// Weekday (0 = Monday) and minute of the day, in the site's time zone.
    pub open_at: Option<(usize, u16)>,
    /// Latitude, longitude (degrees) and an optional radius in km.
    pub near: Option<(f64, f64, Option<f64>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Matching ids, ascending, with their relevance.
    pub results: Vec<(u32, u32)>,
    /// Facet name → count per option, in the index's option order.
    pub counts: BTreeMap<String, Vec<usize>>,
}

/// Per space, the relevance of the text query; `None` when the space does not match.
pub fn text_scores(index: &SearchIndex, query: &str) -> Vec<Option<u32>> {
    let norm = text::normalize(query);
    let words = text::tokenize(&norm);
    let typing = norm.chars().last().is_some_and(text::is_word_char);
    let mut total: Vec<Option<u32>> = vec![Some(0); index.n];
    let terms: Vec<Vec<u16>> = index
        .terms
        .iter()
        .map(|t| t.encode_utf16().collect())
        .collect();
    for (k, w) in words.iter().enumerate() {
        let prefix = typing && k + 1 == words.len();
        let w: Vec<u16> = w.encode_utf16().collect();
        let typo = typo_len_ok(&String::from_utf16_lossy(&w));
        let mut best = vec![0_u32; index.n];
        for (t, term) in terms.iter().enumerate() {
            let level = if *term == w {
                3
            } else if prefix && term.starts_with(&w) {
                2
            } else if typo
                && term.first() == w.first()
                && (within_one_edit_units(term, &w) || (prefix && prefix_within_one_edit(term, &w)))
            {
                1
            } else {
                continue;
            };
            for (field, bonus) in [(index.primary[t], 3), (index.secondary[t], 0)] {
                if let Some(p) = field {
                    for &id in &index.postings[p as usize] {
                        let b = &mut best[id as usize];
                        *b = (*b).max(level + bonus);
                    }
                }
            }
        }
        for (slot, b) in total.iter_mut().zip(best) {
            *slot = match (*slot, b) {
                (Some(s), b) if b > 0 => Some(s + b),
                _ => None,
            };
        }
    }
    total
}

/// Great-circle distance in km (haversine, mean Earth radius 6371 km).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = std::f64::consts::PI / 180.0;
    let dlat = (lat2 - lat1) * r;
    let dlon = (lon2 - lon1) * r;
    let a = (dlat / 2.0).sin().powi(2)
        + (lat1 * r).cos() * (lat2 * r).cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

fn in_range(v: Option<f64>, (lo, hi): (Option<f64>, Option<f64>)) -> bool {
    if lo.is_none() && hi.is_none() {
        return true;
    }
    v.is_some_and(|v| lo.is_none_or(|lo| v >= lo) && hi.is_none_or(|hi| v <= hi))
}

/// Evaluates `q` over `index`.
pub fn run(index: &SearchIndex, q: &Query) -> Outcome {
    let scores = text_scores(index, &q.text);
    let base: Vec<u32> = index
        .listed
        .iter()
        .copied()
        .filter(|&id| {
            let i = id as usize;
            scores[i].is_some()
                && in_range(index.day[i], q.day)
                && in_range(index.month[i], q.month)
                && in_range(index.capacity[i].map(f64::from), q.capacity)
                && q.open_at.is_none_or(|(d, m)| {
                    index.hours[i].is_some_and(|h| index.schedules[h as usize].is_open(d, m))
                })
                && q.near.is_none_or(|(lat, lon, radius)| {
                    radius.is_none_or(|r| {
                        distance_km(
                            lat,
                            lon,
                            f64::from(index.lat[i]) / 1e4,
                            f64::from(index.lon[i]) / 1e4,
                        ) <= r
                    })
                })
        })
        .collect();

    // Per group: the ids its selection allows (None = no selection).
    let allowed: Vec<Option<Vec<bool>>> = index
        .facets
        .iter()
        .map(|f| {
            let sel = q.selected.get(f.name).filter(|s| !s.is_empty())?;
            let chosen: Vec<&Vec<u32>> = f
                .options
                .iter()
                .filter(|(id, _)| sel.contains(id))
                .map(|(_, ids)| ids)
                .collect();
            let mut hits = vec![0_usize; index.n];
            for ids in &chosen {
                for &id in *ids {
                    hits[id as usize] += 1;
                }
            }
            let need = match f.mode {
                Mode::Any => 1,
                // An unknown option id selects nothing.
                Mode::All => sel.len().max(1),
            };
            Some(hits.into_iter().map(|h| h >= need).collect())
        })
        .collect();
    let passes = |id: u32, except: Option<usize>| {
        allowed
            .iter()
            .enumerate()
            .all(|(g, a)| Some(g) == except || a.as_ref().is_none_or(|a| a[id as usize]))
    };
    let results: Vec<u32> = base
        .iter()
        .copied()
        .filter(|&id| passes(id, None))
        .collect();
    let mut counts = BTreeMap::new();
    for (g, f) in index.facets.iter().enumerate() {
        let pool: Vec<u32> = match f.mode {
            Mode::All => results.clone(),
            Mode::Any => base
                .iter()
                .copied()
                .filter(|&id| passes(id, Some(g)))
                .collect(),
        };
        let mut member = vec![false; index.n];
        for &id in &pool {
            member[id as usize] = true;
        }
        counts.insert(
            f.name.to_owned(),
            f.options
                .iter()
                .map(|(_, ids)| ids.iter().filter(|&&id| member[id as usize]).count())
                .collect(),
        );
    }
    Outcome {
        results: results
            .into_iter()
            .map(|id| (id, scores[id as usize].unwrap_or(0)))
            .collect(),
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Facet, Place};
    use super::*;
    use crate::search::hours::WeeklyHours;

    /// Four spaces: 0 Café Montréal (region a, wifi), 1 Harbour Hub (region b, wifi +
    /// quiet), 2 Montague Loft (region a, quiet), 3 closed (not listed).
    fn tiny() -> SearchIndex {
        let terms = [
            "cafe", "harbour", "hub", "loft", "montague", "montreal", "quiet", "wifi",
        ];
        // term → (primary, secondary) ids
        let fields: [(&[u32], &[u32]); 8] = [
            (&[0], &[]),
            (&[1], &[]),
            (&[1], &[]),
            (&[2], &[]),
            (&[2], &[]),
            (&[0], &[1]),
            (&[], &[1, 2]),
            (&[], &[0, 1]),
        ];
        let mut postings = Vec::new();
        let mut intern = |ids: &[u32]| -> Option<u32> {
            if ids.is_empty() {
                return None;
            }
            postings.push(ids.to_vec());
            Some(postings.len() as u32 - 1)
        };
        let (mut primary, mut secondary) = (Vec::new(), Vec::new());
        for (p, s) in fields {
            primary.push(intern(p));
            secondary.push(intern(s));
        }
        let open_weekdays = WeeklyHours {
            days: [
                vec![(480, 1080)],
                vec![(480, 1080)],
                vec![(480, 1080)],
                vec![(480, 1080)],
                vec![(480, 1080)],
                vec![],
                vec![],
            ],
            approximate: false,
        };
        SearchIndex {
            cards: super::super::Cards::default(),
            n: 4,
            time_zone: "America/Halifax".into(),
            listed: vec![0, 1, 2],
            terms: terms.iter().map(|t| t.to_string()).collect(),
            primary,
            secondary,
            postings,
            facets: vec![
                Facet {
                    name: "region",
                    mode: Mode::Any,
                    options: vec![("a".into(), vec![0, 2]), ("b".into(), vec![1])],
                },
                Facet {
                    name: "amenity",
                    mode: Mode::All,
                    options: vec![("wifi".into(), vec![0, 1]), ("quiet".into(), vec![1, 2])],
                },
            ],
            currency: Some("CAD".into()),
            day: vec![Some(20.0), Some(35.0), None, Some(10.0)],
            month: vec![None; 4],
            capacity: vec![Some(10), Some(40), Some(25), None],
            lat: vec![455_000, 462_300, 461_900, 0],
            lon: vec![-735_700, -631_300, -625_000, 0],
            places: vec![Place {
                name: "Charlottetown".into(),
                lat: 462_300,
                lon: -631_300,
            }],
            schedules: vec![open_weekdays],
            hours: vec![Some(0), Some(0), None, None],
            band_thresholds: vec![],
            id_of: vec![0, 1, 2, 3],
        }
    }

    fn ids(o: &Outcome) -> Vec<u32> {
        o.results.iter().map(|r| r.0).collect()
    }

    fn text(q: &str) -> Outcome {
        run(
            &tiny(),
            &Query {
                text: q.into(),
                ..Query::default()
            },
        )
    }

    #[test]
    fn search_text_accents_prefix_and_typos() {
        assert_eq!(ids(&text("")), [0, 1, 2]);
        assert_eq!(ids(&text("Montréal ")), [0, 1]);
        assert_eq!(text("montreal ").results, [(0, 6), (1, 3)]);
        // Prefix while typing, and only while typing.
        assert_eq!(ids(&text("mont")), [0, 1, 2]);
        assert_eq!(ids(&text("mont ")), Vec::<u32>::new());
        // One typo in a long word; none in a short one.
        assert_eq!(ids(&text("montraal ")), [0, 1]);
        assert_eq!(text("montraal ").results, [(0, 4), (1, 1)]);
        assert_eq!(ids(&text("wify ")), Vec::<u32>::new());
        assert_eq!(ids(&text("harbuor ")), [1]);
        // Every word must match; relevance adds up.
        assert_eq!(text("quiet harbour").results, [(1, 9)]);
        // The closed space is never a result, even when a term would match it.
        assert!(!ids(&text("")).contains(&3));
    }

    #[test]
    fn search_facet_counts_any_and_all() {
        let idx = tiny();
        let mut q = Query::default();
        let o = run(&idx, &q);
        assert_eq!(o.counts["region"], [2, 1]);
        assert_eq!(o.counts["amenity"], [2, 2]);

        q.selected.insert("region".into(), vec!["a".into()]);
        let o = run(&idx, &q);
        assert_eq!(ids(&o), [0, 2]);
        // "any": the other region still shows what ticking it would add.
        assert_eq!(o.counts["region"], [2, 1]);
        // "all": counts within the current results.
        assert_eq!(o.counts["amenity"], [1, 1]);

        q.selected
            .insert("amenity".into(), vec!["wifi".into(), "quiet".into()]);
        let o = run(&idx, &q);
        assert_eq!(ids(&o), Vec::<u32>::new());
        assert_eq!(o.counts["region"], [0, 1]);

        q.selected
            .insert("region".into(), vec!["a".into(), "b".into()]);
        assert_eq!(ids(&run(&idx, &q)), [1]);
        q.selected.insert("amenity".into(), vec!["nope".into()]);
        assert_eq!(ids(&run(&idx, &q)), Vec::<u32>::new());
    }

    #[test]
    fn search_ranges_hours_and_distance() {
        let idx = tiny();
        let q = |f: &dyn Fn(&mut Query)| {
            let mut q = Query::default();
            f(&mut q);
            ids(&run(&idx, &q))
        };
        assert_eq!(q(&|q| q.day = (Some(15.0), None)), [0, 1]);
        assert_eq!(q(&|q| q.day = (None, Some(30.0))), [0]);
        assert_eq!(q(&|q| q.capacity = (Some(20.0), Some(40.0))), [1, 2]);
        assert_eq!(q(&|q| q.open_at = Some((0, 9 * 60))), [0, 1]);
        assert_eq!(q(&|q| q.open_at = Some((5, 9 * 60))), Vec::<u32>::new());
        assert_eq!(q(&|q| q.open_at = Some((0, 18 * 60))), Vec::<u32>::new());
        // Charlottetown: space 1 is there, space 2 is about 50 km away, 0 is in Montréal.
        assert_eq!(q(&|q| q.near = Some((46.23, -63.13, Some(10.0)))), [1]);
        assert_eq!(q(&|q| q.near = Some((46.23, -63.13, Some(100.0)))), [1, 2]);
        assert_eq!(q(&|q| q.near = Some((46.23, -63.13, None))), [0, 1, 2]);
        let d = distance_km(45.5017, -73.5673, 46.2382, -63.1311);
        assert!((d - 808.0).abs() < 5.0, "{d}");
    }
}
