//! Building the index from the validated model, one named step per part of it: the words
//! ([`super::words`]), prices and price bands, opening hours, facets, places and the
//! result cards. Each step reads the spaces through [`Spaces`] (the id numbering, shared)
//! and returns its part; [`build_with`] only puts the parts together.
//!
//! The build is benchmarked (`cargo bench --bench search`, the 10k build): the steps make
//! the same passes over the spaces as one long function did, and allocate nothing more.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::index::Index;
use crate::locale::Locale;
use crate::model::{BillingPeriod, SessionStatus, Site, Space, SpaceStatus, Venue};

use super::fx::FastMap;
use super::hours::{self, WeeklyHours};
use super::spaces::Spaces;
use super::words::{Words, index_words};
use super::{ACCESS, Cards, FLAGS, Facet, Mode, Place, SearchIndex, seeded_order};

/// The index of `site`; without the words (no terms, no postings) unless `with_text`.
pub(super) fn build_with(site: &Site, idx: &Index, with_text: bool) -> SearchIndex {
    let s = Spaces::new(site, idx);
    let n = s.n;
    let words = if with_text {
        index_words(&s)
    } else {
        Words::default()
    };
    let currency = main_currency(site);
    let day = lowest_prices(&s, currency.as_ref(), BillingPeriod::Day);
    let month = lowest_prices(&s, currency.as_ref(), BillingPeriod::Month);
    let band_thresholds = band_thresholds(&s.listed, &day);
    let (schedules, hours) = opening_hours(&s);
    let languages = languages(&s);
    let facets = facets(&s, &day, &band_thresholds, &languages);
    let (places, place_of) = places(&s);
    let cards = cards(&s, &place_of, &languages, currency.as_ref(), &day);
    SearchIndex {
        n,
        time_zone: site.config.time_zone_name.clone(),
        terms: words.terms,
        primary: words.primary,
        secondary: words.secondary,
        postings: words.postings,
        facets,
        currency,
        day,
        month,
        capacity: (0..n).map(|id| s.space(id).capacity).collect(),
        lat: (0..n).map(|id| e4(s.space(id).lat)).collect(),
        lon: (0..n).map(|id| e4(s.space(id).lon)).collect(),
        places,
        schedules,
        hours,
        band_thresholds,
        cards,
        listed: s.listed,
        id_of: s.id_of,
    }
}

/// The main currency of prices: the most common one among plans (the first in
/// alphabetical order on a tie).
fn main_currency(site: &Site) -> Option<String> {
    let mut currencies: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &site.spaces {
        for p in &s.plans {
            *currencies.entry(p.currency.as_str()).or_default() += 1;
        }
    }
    currencies
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(c, _)| (*c).to_owned())
}

/// Per id, the lowest price of a plan of `period` in the main currency.
fn lowest_prices(
    s: &Spaces<'_>,
    currency: Option<&String>,
    period: BillingPeriod,
) -> Vec<Option<f64>> {
    (0..s.n)
        .map(|id| {
            s.space(id)
                .plans
                .iter()
                .filter(|p| p.period == period && Some(&p.currency) == currency)
                .map(|p| p.price)
                .min_by(f64::total_cmp)
        })
        .collect()
}

/// Price-band thresholds on the listed spaces' day prices: the thirds, rounded nicely,
/// each kept only if above the lowest price and the previous threshold.
fn band_thresholds(listed: &[u32], day: &[Option<f64>]) -> Vec<f64> {
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
    band_thresholds
}

/// Opening hours, compiled once per distinct rule: the distinct weekly schedules, and per
/// id the index of its schedule.
fn opening_hours(s: &Spaces<'_>) -> (Vec<WeeklyHours>, Vec<Option<u32>>) {
    let monday = hours::reference_monday(s.idx.order_date);
    let mut rules: Vec<&str> = s
        .site
        .spaces
        .iter()
        .filter_map(|sp| sp.opening_hours.as_deref())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let compiled: FastMap<&str, Option<WeeklyHours>> = rules
        .par_iter()
        .map(|r| (*r, hours::compile(r, monday)))
        .collect();
    let mut schedules: Vec<WeeklyHours> = Vec::new();
    let mut schedule_ids: FastMap<WeeklyHours, u32> = FastMap::default();
    let hours_of: Vec<Option<u32>> = (0..s.n)
        .map(|id| s.space(id))
        .map(|sp| {
            let w = compiled.get(sp.opening_hours.as_deref()?)?.clone()?;
            Some(*schedule_ids.entry(w).or_insert_with_key(|w| {
                schedules.push(w.clone());
                (schedules.len() - 1) as u32
            }))
        })
        .collect();
    (schedules, hours_of)
}

/// The languages of the listed spaces, lowercased, sorted and distinct.
fn languages(s: &Spaces<'_>) -> Vec<String> {
    let mut languages: Vec<String> = s
        .listed
        .iter()
        .flat_map(|&id| s.space(id as usize).languages.iter())
        .map(|l| l.to_ascii_lowercase())
        .collect();
    languages.sort();
    languages.dedup();
    languages
}

/// Every facet group, in display order.
fn facets(
    s: &Spaces<'_>,
    day: &[Option<f64>],
    band_thresholds: &[f64],
    languages: &[String],
) -> Vec<Facet> {
    let mut facets = vec![region_facet(s), amenity_facet(s)];
    if !band_thresholds.is_empty() {
        facets.push(band_facet(s, day, band_thresholds));
    }
    facets.push(access_facet(s));
    facets.push(language_facet(s, languages));
    facets.push(status_facet(s));
    facets.push(flag_facet(s));
    facets
}

fn region_facet(s: &Spaces<'_>) -> Facet {
    Facet {
        name: "region",
        mode: Mode::Any,
        options: s
            .site
            .regions
            .iter()
            .map(|r| (r.id.to_string(), s.having(|sp| sp.region == r.id)))
            .collect(),
    }
}

fn amenity_facet(s: &Spaces<'_>) -> Facet {
    let site = s.site;
    let amenity_option: FastMap<&str, usize> =
        crate::model::positions(&site.amenities, |a| a.id.as_str());
    let with_amenity = s.by_option(site.amenities.len(), |sp, push| {
        for a in &sp.amenities {
            if let Some(&k) = amenity_option.get(a.as_str()) {
                push(k);
            }
        }
    });
    Facet {
        name: "amenity",
        mode: Mode::All,
        options: site
            .amenities
            .iter()
            .zip(with_amenity)
            .map(|(a, ids)| (a.id.to_string(), ids))
            .collect(),
    }
}

fn band_facet(s: &Spaces<'_>, day: &[Option<f64>], band_thresholds: &[f64]) -> Facet {
    let band_of = |p: f64| band_thresholds.iter().filter(|&&t| p >= t).count();
    let names = band_names(band_thresholds.len());
    Facet {
        name: "band",
        mode: Mode::Any,
        options: names
            .iter()
            .enumerate()
            .map(|(b, name)| {
                (
                    (*name).to_owned(),
                    s.listed
                        .iter()
                        .copied()
                        .filter(|&id| day[id as usize].is_some_and(|p| band_of(p) == b))
                        .collect(),
                )
            })
            .collect(),
    }
}

fn access_facet(s: &Spaces<'_>) -> Facet {
    let access = |sp: &Space, k: usize| -> bool {
        sp.accessibility.as_ref().is_some_and(|a| {
            [
                a.step_free,
                a.accessible_washroom,
                a.hearing_loop,
                a.quiet_room,
            ][k] == Some(true)
        })
    };
    Facet {
        name: "access",
        mode: Mode::All,
        options: ACCESS
            .iter()
            .enumerate()
            .map(|(k, id)| ((*id).to_owned(), s.having(|sp| access(sp, k))))
            .collect(),
    }
}

fn language_facet(s: &Spaces<'_>, languages: &[String]) -> Facet {
    let with_language = s.by_option(languages.len(), |sp, push| {
        for l in &sp.languages {
            if let Ok(k) = languages.binary_search(&l.to_ascii_lowercase()) {
                push(k);
            }
        }
    });
    Facet {
        name: "lang",
        mode: Mode::Any,
        options: languages.iter().cloned().zip(with_language).collect(),
    }
}

fn status_facet(s: &Spaces<'_>) -> Facet {
    Facet {
        name: "status",
        mode: Mode::Any,
        options: [
            ("active", SpaceStatus::Active),
            ("temporarily-closed", SpaceStatus::TemporarilyClosed),
        ]
        .iter()
        .map(|(id, st)| ((*id).to_owned(), s.having(|sp| sp.status == *st)))
        .collect(),
    }
}

fn flag_facet(s: &Spaces<'_>) -> Facet {
    let (site, idx) = (s.site, s.idx);
    let slug_index: FastMap<&str, usize> =
        crate::model::positions(&site.spaces, |sp| sp.slug.as_str());
    let upcoming_session = |sp: &Space| {
        idx.space_sessions[slug_index[sp.slug.as_str()]]
            .iter()
            .any(|&k| {
                idx.is_upcoming(site, k)
                    && site.sessions[k].status == SessionStatus::Scheduled
                    && matches!(site.sessions[k].venue, Venue::Space(_))
            })
    };
    Facet {
        name: "flag",
        mode: Mode::All,
        options: vec![
            (
                FLAGS[0].into(),
                s.having(|sp| sp.government_members_welcome),
            ),
            (FLAGS[1].into(), s.having(upcoming_session)),
            (FLAGS[2].into(), s.having(|sp| sp.drop_in)),
        ],
    }
}

/// A locality: its normalised name (which the ids follow) and its name as written.
type PlaceKey<'a> = (&'a str, &'a str);

/// Places for "near …": the centre of each locality's listed spaces, and the index of
/// each locality's place.
fn places<'s>(s: &'s Spaces<'_>) -> (Vec<Place>, FastMap<PlaceKey<'s>, u32>) {
    let mut by_place: BTreeMap<PlaceKey<'s>, (f64, f64, f64)> = BTreeMap::new();
    for &id in &s.listed {
        let sp = s.space(id as usize);
        let key = (s.locality(id as usize), sp.address.locality.as_str());
        let e = by_place.entry(key).or_default();
        e.0 += sp.lat;
        e.1 += sp.lon;
        e.2 += 1.0;
    }
    let place_of: FastMap<PlaceKey<'s>, u32> = by_place
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
    (places, place_of)
}

/// What a result card shows beyond the facets: name, slug and locality, and the day pass
/// where the card's differs from `day` (another currency).
fn cards(
    s: &Spaces<'_>,
    place_of: &FastMap<PlaceKey<'_>, u32>,
    languages: &[String],
    currency: Option<&String>,
    day: &[Option<f64>],
) -> Cards {
    let (site, idx, n) = (s.site, s.idx, s.n);
    let listed_text = |text: &dyn Fn(&Space) -> String| -> Vec<String> {
        (0..n)
            .map(|id| {
                if s.is_listed(id) {
                    text(s.space(id))
                } else {
                    String::new()
                }
            })
            .collect()
    };
    let mut cards = Cards {
        // Spaces that are not listed are never a result: empty.
        names: listed_text(&|sp| sp.name.clone()),
        slugs: listed_text(&|sp| sp.slug.to_string()),
        place: (0..n)
            .map(|id| {
                let key = (s.locality(id), s.space(id).address.locality.as_str());
                if s.is_listed(id) {
                    place_of.get(&key).copied()
                } else {
                    None
                }
            })
            .collect(),
        regions: site.regions.iter().map(|r| r.name.clone()).collect(),
        languages: languages.iter().map(|l| Locale::language_name(l)).collect(),
        day: s
            .listed
            .iter()
            .filter_map(|&id| {
                let card = s
                    .space(id as usize)
                    .plans
                    .iter()
                    .filter(|p| p.period == BillingPeriod::Day)
                    .min_by(|a, b| a.price.total_cmp(&b.price))?;
                let same = Some(&card.currency) == currency && day[id as usize] == Some(card.price);
                (!same).then(|| (id, card.price, card.currency.clone()))
            })
            .collect(),
        order: idx.listed.iter().map(|&i| s.id_of[i]).collect(),
        seed: None,
    };
    // Checked rather than inferred from the policy, so the seed is written only when it
    // really gives the order the page has.
    cards.seed = (seeded_order(&s.listed, &cards.slugs, idx.order_seed) == cards.order)
        .then_some(idx.order_seed);
    cards
}

fn e4(deg: f64) -> i32 {
    (deg * 1e4).round() as i32
}

/// Rounds a price threshold to two significant digits, so bands read "under CA$20".
pub(super) fn round_nicely(x: f64) -> f64 {
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
}
