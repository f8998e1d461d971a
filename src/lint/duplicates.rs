//! The "is this space already listed?" warning: two open spaces with the same address
//! once normalised, or whose entrances are less than [`NEAR_METRES`] apart.
//!
//! A duplicate usually comes from a contributor adding a space that someone else added
//! under another file name. It is only a warning, for the reviewer to ask about: two
//! spaces can share a building. Closed spaces are left out, so a new space in the rooms
//! of a closed one does not warn.
//!
//! Distances are great-circle (haversine). To stay linear for tens of thousands of
//! spaces, points are first bucketed in a grid of [`NEAR_METRES`] cubes over the
//! Earth's surface in 3D (so there is no seam at the antimeridian and no squeeze at the
//! poles); only points in neighbouring cubes are compared.

use std::collections::{BTreeMap, HashMap};

use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Address, Site, SpaceStatus};
use crate::source::field_span;

/// Closer than this, two spaces look like one.
pub(crate) const NEAR_METRES: f64 = 30.0;

/// Mean Earth radius (IUGG), in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres between two (lat, lon) points in degrees.
pub(crate) fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Every pair `(i, j, metres)` with `i < j` of points closer than `max_m`, sorted.
/// Expected time is linear in the number of points (unless they are all in one spot).
pub(crate) fn near_pairs(points: &[(f64, f64)], max_m: f64) -> Vec<(usize, usize, f64)> {
    // A chord is never longer than its arc, so two points within `max_m` along the
    // surface are within `max_m` in 3D, hence in the same or neighbouring cubes.
    let cell = |p: (f64, f64)| -> [i64; 3] {
        let (lat, lon) = (p.0.to_radians(), p.1.to_radians());
        let xyz = [
            EARTH_RADIUS_M * lat.cos() * lon.cos(),
            EARTH_RADIUS_M * lat.cos() * lon.sin(),
            EARTH_RADIUS_M * lat.sin(),
        ];
        xyz.map(|v| (v / max_m).floor() as i64)
    };
    let mut grid: HashMap<[i64; 3], Vec<usize>> = HashMap::new();
    let cells: Vec<[i64; 3]> = points.iter().map(|&p| cell(p)).collect();
    for (i, c) in cells.iter().enumerate() {
        grid.entry(*c).or_default().push(i);
    }
    let mut pairs = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        for dx in -1..=1 {
            for dy in -1..=1 {
                for dz in -1..=1 {
                    let Some(others) = grid.get(&[c[0] + dx, c[1] + dy, c[2] + dz]) else {
                        continue;
                    };
                    for &j in others {
                        if j > i {
                            let m = haversine_m(points[i], points[j]);
                            if m < max_m {
                                pairs.push((i, j, m));
                            }
                        }
                    }
                }
            }
        }
    }
    pairs.sort_by_key(|p| (p.0, p.1));
    pairs
}

/// Street, locality and country, with accents, case, punctuation and the common
/// abbreviations (`Street`/`St.`, `Road`/`Rd`, ...) made alike.
pub(crate) fn normalise_address(a: &Address) -> String {
    let text = format!("{} {} {}", a.street, a.locality, a.country);
    let folded = deunicode::deunicode(&text).to_lowercase();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "street" => "st",
            "avenue" | "av" => "ave",
            "road" => "rd",
            "drive" => "dr",
            "boulevard" | "boul" => "blvd",
            "lane" => "ln",
            "route" => "rte",
            "highway" => "hwy",
            "place" => "pl",
            "court" => "ct",
            "suite" => "ste",
            "chemin" => "ch",
            "north" => "n",
            "south" => "s",
            "east" => "e",
            "west" => "w",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One warning on each space that looks like another, naming every look-alike.
pub(crate) fn lint(site: &Site) -> Diagnostics {
    let open: Vec<usize> = (0..site.spaces.len())
        .filter(|&i| site.spaces[i].status != SpaceStatus::Closed)
        .collect();
    // For each space: the others with the same address, and the others nearby.
    let mut same_address: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut by_address: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in &open {
        by_address
            .entry(normalise_address(&site.spaces[i].address))
            .or_default()
            .push(i);
    }
    for group in by_address.values().filter(|g| g.len() > 1) {
        for &i in group {
            let others = group.iter().copied().filter(|&j| j != i);
            same_address.entry(i).or_default().extend(others);
        }
    }
    let points: Vec<(f64, f64)> = open
        .iter()
        .map(|&i| (site.spaces[i].lat, site.spaces[i].lon))
        .collect();
    let mut nearby: BTreeMap<usize, Vec<(usize, f64)>> = BTreeMap::new();
    for (a, b, m) in near_pairs(&points, NEAR_METRES) {
        let (i, j) = (open[a], open[b]);
        nearby.entry(i).or_default().push((j, m));
        nearby.entry(j).or_default().push((i, m));
    }

    let mut d = Diagnostics::new();
    for &i in &open {
        let addr = same_address.get(&i).map(Vec::as_slice).unwrap_or(&[]);
        let near: Vec<(usize, f64)> = nearby
            .get(&i)
            .into_iter()
            .flatten()
            .copied()
            .filter(|(j, _)| !addr.contains(j))
            .collect();
        if addr.is_empty() && near.is_empty() {
            continue;
        }
        let mut reasons: Vec<(usize, String)> = addr
            .iter()
            .map(|&j| (j, "has the same address".to_owned()))
            .collect();
        reasons.extend(near.iter().map(|&(j, m)| (j, format!("is {m:.0} m away"))));
        reasons.sort();
        let list: Vec<String> = reasons
            .iter()
            .map(|(j, why)| format!("`{}` {why}", site.spaces[*j].slug))
            .collect();
        let s = &site.spaces[i];
        let field = if addr.is_empty() {
            "location"
        } else {
            "address"
        };
        d.push(
            Diagnostic::warning(
                "possible-duplicate",
                format!("this space may already be listed: {}", list.join(", ")),
            )
            .at(&s.src, field_span(&s.src, field))
            .help(
                "if they are the same space, keep one file and delete the other; if they are \
                 different spaces in one building, say so in the pull request",
            ),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_known_distances() {
        // One degree of latitude is about 111.2 km on the mean sphere.
        let m = haversine_m((46.0, -63.0), (47.0, -63.0));
        assert!((m - 111_195.0).abs() < 10.0, "{m}");
        assert_eq!(haversine_m((46.2, -63.1), (46.2, -63.1)), 0.0);
        // Across the antimeridian: 0.0002° of longitude at the equator is about 22 m.
        let m = haversine_m((0.0, 179.9999), (0.0, -179.9999));
        assert!((m - 22.2).abs() < 0.5, "{m}");
    }

    /// A small deterministic generator, so the test needs no dependency.
    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn the_grid_finds_exactly_the_pairs_a_full_comparison_finds() {
        let mut seed = 7;
        let mut points = Vec::new();
        // Clusters a few hundred metres wide, including at the antimeridian and a pole.
        for (lat, lon) in [
            (46.23, -63.13),
            (0.0, 179.9995),
            (89.9995, 10.0),
            (-33.9, 18.4),
        ] {
            for _ in 0..500 {
                let dlat = (lcg(&mut seed) - 0.5) * 0.004;
                let dlon = (lcg(&mut seed) - 0.5) * 0.004;
                let mut lon: f64 = lon + dlon;
                if lon > 180.0 {
                    lon -= 360.0;
                }
                points.push(((lat + dlat).min(90.0), lon));
            }
        }
        let mut brute = Vec::new();
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                let m = haversine_m(points[i], points[j]);
                if m < NEAR_METRES {
                    brute.push((i, j));
                }
            }
        }
        let grid: Vec<(usize, usize)> = near_pairs(&points, NEAR_METRES)
            .into_iter()
            .map(|(i, j, _)| (i, j))
            .collect();
        assert!(
            brute.len() > 100,
            "the test needs close pairs: {}",
            brute.len()
        );
        assert_eq!(grid, brute);
    }

    #[test]
    fn ten_thousand_spaces_on_a_lattice_have_only_the_planted_pairs() {
        // 100 × 100 points 100 m apart, plus one planted 10 m from point 4242.
        let step = 100.0 / 111_195.0;
        let mut points: Vec<(f64, f64)> = (0..10_000)
            .map(|k| {
                (
                    46.0 + (k / 100) as f64 * step,
                    -63.0 + (k % 100) as f64 * step * 1.45,
                )
            })
            .collect();
        let p = points[4242];
        points.push((p.0 + 10.0 / 111_195.0, p.1));
        let pairs = near_pairs(&points, NEAR_METRES);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].0, pairs[0].1), (4242, 10_000));
        assert!((pairs[0].2 - 10.0).abs() < 0.1, "{}", pairs[0].2);
    }

    #[test]
    fn addresses_are_compared_without_case_accents_or_abbreviations() {
        let a = |street: &str, locality: &str| Address {
            street: street.into(),
            locality: locality.into(),
            region: "PE".into(),
            postal_code: "C1A 1A1".into(),
            country: "CA".into(),
        };
        assert_eq!(
            normalise_address(&a("12 Water Street", "Charlottetown")),
            normalise_address(&a("12 water st.", "CHARLOTTETOWN"))
        );
        assert_eq!(
            normalise_address(&a("95 Chemin du Cap-Égmont", "Mont-Carmel")),
            normalise_address(&a("95 ch. du Cap Egmont", "Mont Carmel"))
        );
        assert_ne!(
            normalise_address(&a("12 Water Street, Suite 2", "Charlottetown")),
            normalise_address(&a("12 Water Street, Suite 3", "Charlottetown"))
        );
    }
}
