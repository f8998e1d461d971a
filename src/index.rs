//! Immutable cross-references over the validated model, computed once per build.
//!
//! Lists of spaces (per region, per amenity, per partnership, the home page) are all
//! stored in the directory's neutral order of the day, so every renderer that walks
//! them gets the same order without deciding anything. Sessions are split into upcoming
//! and past by the build's `now`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::listing::{self, Exclusion};
use crate::model::{Site, Venue};
use crate::neutral;

pub struct Index {
    /// Indices into `site.spaces` of the spaces listed (meeting `listing.criteria`), in
    /// the order of the day ([`listing::daily_order`]).
    pub listed: Vec<usize>,
    /// The spaces that are not listed, by slug, with their reasons.
    pub excluded: Vec<Exclusion>,
    /// Position of each space in the neutral order (`usize::MAX` for unlisted ones).
    pub rank: Vec<usize>,
    pub by_region: BTreeMap<String, Vec<usize>>,
    pub by_amenity: BTreeMap<String, Vec<usize>>,
    /// Per partnership (same index as `site.partnerships`): its listed spaces.
    pub partnership_spaces: Vec<Vec<usize>>,
    /// Per space: the partnerships it takes part in by name.
    pub space_partnerships: Vec<Vec<usize>>,
    /// Per space / partnership: sessions, ascending by start.
    pub space_sessions: Vec<Vec<usize>>,
    pub partnership_sessions: Vec<Vec<usize>>,
    pub region_sessions: BTreeMap<String, Vec<usize>>,
    /// Sessions with a date ending after `now`, by first start (dates: [`Index::occurrences`]).
    pub upcoming: Vec<usize>,
    /// Sessions that ended, most recent first.
    pub past: Vec<usize>,
    pub now: Timestamp,
    /// The date (in the site's time zone) that seeds the order.
    pub order_date: Date,
    pub order_seed: u32,
}

/// Appends `i` to the list at `key`, allocating the key only for a new list.
fn push_at(map: &mut BTreeMap<String, Vec<usize>>, key: &str, i: usize) {
    match map.get_mut(key) {
        Some(list) => list.push(i),
        None => map.insert(key.to_owned(), vec![i]).map_or((), drop),
    }
}

impl Index {
    pub fn new(site: &Site, now: Timestamp) -> Self {
        let order_date = now.to_zoned_datetime(site.config.time_zone.clone()).date();
        let order_seed = neutral::seed_for_date(order_date);

        // The canonical (slug) order is the shuffle's input, so the same content and seed
        // give the same order on every machine. Every other list below keeps this order.
        let (candidates, excluded) = listing::evaluate(site, order_date);
        let listed = listing::daily_order(site, &candidates, site.config.listing.order, order_date);
        let mut rank = vec![usize::MAX; site.spaces.len()];
        for (pos, &i) in listed.iter().enumerate() {
            rank[i] = pos;
        }

        let slug_to_space: BTreeMap<&str, usize> =
            crate::model::positions(&site.spaces, |s| s.slug.as_str());

        let mut by_region: BTreeMap<String, Vec<usize>> = site
            .regions
            .iter()
            .map(|r| (r.id.to_string(), Vec::new()))
            .collect();
        let mut by_amenity: BTreeMap<String, Vec<usize>> = site
            .amenities
            .iter()
            .map(|a| (a.id.to_string(), Vec::new()))
            .collect();
        // Amenity lists by position, moved into the map after: one hash lookup per
        // space and amenity (150,000 at 10,000 spaces) instead of a walk down the map.
        let amenity_slot: std::collections::HashMap<&str, usize> =
            crate::model::positions(&site.amenities, |a| a.id.as_str());
        let mut amenity_lists = vec![Vec::new(); site.amenities.len()];
        for &i in &listed {
            let s = &site.spaces[i];
            push_at(&mut by_region, s.region.as_str(), i);
            for a in &s.amenities {
                match amenity_slot.get(a.as_str()) {
                    Some(&k) => amenity_lists[k].push(i),
                    None => push_at(&mut by_amenity, a.as_str(), i),
                }
            }
        }
        for (a, list) in site.amenities.iter().zip(amenity_lists) {
            if let Some(entry) = by_amenity.get_mut(a.id.as_str()) {
                *entry = list;
            }
        }

        let mut partnership_spaces = Vec::with_capacity(site.partnerships.len());
        let mut space_partnerships = vec![Vec::new(); site.spaces.len()];
        for (pi, p) in site.partnerships.iter().enumerate() {
            let mut members: Vec<usize> = p
                .spaces
                .iter()
                .filter_map(|s| slug_to_space.get(s.as_str()).copied())
                .collect();
            for &m in &members {
                space_partnerships[m].push(pi);
            }
            members.retain(|&m| rank[m] != usize::MAX);
            members.sort_by_key(|&m| rank[m]);
            partnership_spaces.push(members);
        }

        let partnership_index: BTreeMap<&str, usize> =
            crate::model::positions(&site.partnerships, |p| p.slug.as_str());
        let mut by_start: Vec<usize> = (0..site.sessions.len()).collect();
        by_start.sort_by(|&a, &b| {
            let (a, b) = (&site.sessions[a], &site.sessions[b]);
            (a.start_at, a.slug.as_str()).cmp(&(b.start_at, b.slug.as_str()))
        });
        let mut space_sessions = vec![Vec::new(); site.spaces.len()];
        let mut partnership_sessions = vec![Vec::new(); site.partnerships.len()];
        let mut region_sessions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let (mut upcoming, mut past) = (Vec::new(), Vec::new());
        for &i in &by_start {
            let s = &site.sessions[i];
            if let Venue::Space(slug) = &s.venue {
                if let Some(&si) = slug_to_space.get(slug.as_str()) {
                    space_sessions[si].push(i);
                    push_at(&mut region_sessions, site.spaces[si].region.as_str(), i);
                }
            }
            if let Some(p) = &s.partnership {
                if let Some(&pi) = partnership_index.get(p.as_str()) {
                    partnership_sessions[pi].push(i);
                }
            }
            if s.last_end_at() > now {
                upcoming.push(i);
            } else {
                past.push(i);
            }
        }
        past.reverse();

        Index {
            listed,
            excluded,
            rank,
            by_region,
            by_amenity,
            partnership_spaces,
            space_partnerships,
            space_sessions,
            partnership_sessions,
            region_sessions,
            upcoming,
            past,
            now,
            order_date,
            order_seed,
        }
    }

    /// Whether any date of the session has not ended yet.
    pub fn is_upcoming(&self, site: &Site, session: usize) -> bool {
        site.sessions[session].last_end_at() > self.now
    }

    /// Every date of `sessions`, split by `now`: upcoming ones soonest first, past ones
    /// most recent first (ties by slug, so the order never depends on the input's).
    pub fn occurrences(&self, site: &Site, sessions: &[usize]) -> (Vec<Occ>, Vec<Occ>) {
        let mut all: Vec<Occ> = sessions
            .iter()
            .flat_map(|&session| {
                (0..site.sessions[session].occurrences.len()).map(move |occurrence| Occ {
                    session,
                    occurrence,
                })
            })
            .collect();
        all.sort_by_key(|o| (o.get(site).start_at, &site.sessions[o.session].slug));
        let (upcoming, mut past): (Vec<Occ>, Vec<Occ>) =
            all.into_iter().partition(|o| o.get(site).end_at > self.now);
        past.reverse();
        (upcoming, past)
    }

    /// The date a session's page leads with: the next one not yet ended, else the last.
    pub fn current_occurrence(&self, site: &Site, session: usize) -> Occ {
        let occs = &site.sessions[session].occurrences;
        let occurrence = occs
            .iter()
            .position(|o| o.end_at > self.now)
            .unwrap_or(occs.len().saturating_sub(1));
        Occ {
            session,
            occurrence,
        }
    }
}

/// One date of one session: `site.sessions[session].occurrences[occurrence]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occ {
    pub session: usize,
    pub occurrence: usize,
}

impl Occ {
    pub fn get(self, site: &Site) -> &crate::model::Occurrence {
        &site.sessions[self.session].occurrences[self.occurrence]
    }
}
