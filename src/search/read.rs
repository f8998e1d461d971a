//! Reading back what [`super::files`] wrote, for tests and tools: the core, the cards and
//! the term shards, each checked against the content hash the core gives it. Every step
//! returns `None` on anything malformed; nothing here is on the build's path.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::neutral::fnv1a32;

use super::files::{full_slug, id_width};
use super::hours::WeeklyHours;
use super::words::Words;
use super::{CARDS_PATH, Cards, Facet, Mode, Place, SearchIndex, VERSION, encode, seeded_order};

impl SearchIndex {
    /// Reads what [`SearchIndex::to_files`] wrote (for tests and tools): the core, and a
    /// way to get a shard's bytes by its path. `None` if anything is malformed.
    pub fn from_files(core: &[u8], shard: impl Fn(&str) -> Option<Vec<u8>>) -> Option<Self> {
        let v: Value = serde_json::from_slice(core).ok()?;
        if v["v"].as_u64()? != u64::from(VERSION) {
            return None;
        }
        let n = v["n"].as_u64()? as usize;
        let words = read_terms(&v, n, &shard)?;
        let place = unshifted(&v["place"], n)?;
        let places = read_places(&v)?;
        let lat = coordinates(&v["lat"], n, &place, &places, |p| p.lat)?;
        let lon = coordinates(&v["lon"], n, &place, &places, |p| p.lon)?;
        let listed = ids(&v["listed"], n)?;
        let cards = read_cards(&v, n, &shard, &listed, place)?;
        Some(SearchIndex {
            cards,
            n,
            time_zone: v["tz"].as_str()?.to_owned(),
            currency: v["cur"].as_str().map(str::to_owned),
            listed,
            terms: words.terms,
            primary: words.primary,
            secondary: words.secondary,
            postings: words.postings,
            facets: read_facets(&v, n)?,
            day: prices(&v["day"], n)?,
            month: prices(&v["month"], n)?,
            capacity: unshifted(&v["cap"], n)?,
            lat,
            lon,
            places,
            schedules: read_hours(&v)?,
            hours: unshifted(&v["h"], n)?,
            band_thresholds: Vec::new(),
            id_of: Vec::new(),
        })
    }
}

/// A postings text ([`encode::encode`]) of ids below `n`.
fn ids(s: &Value, n: usize) -> Option<Vec<u32>> {
    encode::decode(s.as_str()?, n)
}

/// The terms of every shard the core names, each shard checked against its hash, with
/// postings shared again between terms with the same spaces.
fn read_terms(v: &Value, n: usize, shard: &impl Fn(&str) -> Option<Vec<u8>>) -> Option<Words> {
    let mut by_term: BTreeMap<Vec<u16>, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
    for r in v["shards"].as_array()? {
        let k = r[0].as_u64()?;
        let bytes = shard(&format!("search/t{k}.json"))?;
        if format!("{:08x}", fnv1a32(&bytes)) != r[1].as_str()? {
            return None;
        }
        let sv: Value = serde_json::from_slice(&bytes).ok()?;
        let post: Vec<Vec<u32>> = sv["post"]
            .as_array()?
            .iter()
            .map(|p| ids(p, n))
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
    let mut words = Words::default();
    let mut seen: HashMap<Vec<u32>, u32> = HashMap::new();
    let postings = &mut words.postings;
    let mut push = |ids: Vec<u32>| -> Option<u32> {
        (!ids.is_empty()).then(|| {
            *seen.entry(ids).or_insert_with_key(|ids| {
                postings.push(ids.clone());
                (postings.len() - 1) as u32
            })
        })
    };
    for (units, (p, o)) in by_term {
        words.terms.push(String::from_utf16(&units).ok()?);
        words.primary.push(push(p));
        words.secondary.push(push(o));
    }
    Some(words)
}

fn read_facets(v: &Value, n: usize) -> Option<Vec<Facet>> {
    let facet_name = |s: &str| -> Option<&'static str> {
        [
            "region", "amenity", "band", "access", "lang", "status", "flag",
        ]
        .into_iter()
        .find(|k| *k == s)
    };
    let mut facets = Vec::new();
    for f in v["facets"].as_array()? {
        let mode = match f[1].as_str()? {
            "any" => Mode::Any,
            "all" => Mode::All,
            _ => return None,
        };
        let mut options = Vec::new();
        for o in f[2].as_array()? {
            options.push((o[0].as_str()?.to_owned(), ids(&o[1], n)?));
        }
        facets.push(Facet {
            name: facet_name(f[0].as_str()?)?,
            mode,
            options,
        });
    }
    Some(facets)
}

fn read_hours(v: &Value) -> Option<Vec<WeeklyHours>> {
    let mut schedules = Vec::new();
    for h in v["hours"].as_array()? {
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
    Some(schedules)
}

/// A numbers text ([`encode::numbers`]) with one value per space.
fn numbers(x: &Value, n: usize) -> Option<Vec<u64>> {
    let values = encode::read_numbers(x.as_str()?)?;
    (values.len() == n).then_some(values)
}

/// A numbers text of optional values (0 for none, else value + 1).
fn unshifted(x: &Value, n: usize) -> Option<Vec<Option<u32>>> {
    numbers(x, n)?
        .into_iter()
        .map(|v| match v {
            0 => Some(None),
            v => u32::try_from(v - 1).ok().map(Some),
        })
        .collect()
}

fn read_places(v: &Value) -> Option<Vec<Place>> {
    v["places"]
        .as_array()?
        .iter()
        .map(|p| {
            Some(Place {
                name: p[0].as_str()?.to_owned(),
                lat: i32::try_from(p[1].as_i64()?).ok()?,
                lon: i32::try_from(p[2].as_i64()?).ok()?,
            })
        })
        .collect()
}

/// Coordinates written as differences from the locality's centre, or from the previous
/// space's value when a space has no locality.
fn coordinates(
    x: &Value,
    n: usize,
    place: &[Option<u32>],
    places: &[Place],
    centre: fn(&Place) -> i32,
) -> Option<Vec<i32>> {
    let mut prev = 0_i64;
    numbers(x, n)?
        .into_iter()
        .zip(place)
        .map(|(u, p)| {
            let base = match p {
                Some(p) => i64::from(centre(places.get(*p as usize)?)),
                None => prev,
            };
            prev = base + encode::unzigzag(u);
            i32::try_from(prev).ok()
        })
        .collect()
}

/// Prices as numbers (whole prices, shifted) or as a JSON array with `null`s.
fn prices(x: &Value, n: usize) -> Option<Vec<Option<f64>>> {
    match x {
        x @ Value::String(_) => Some(
            numbers(x, n)?
                .into_iter()
                .map(|p| p.checked_sub(1).map(|p| p as f64))
                .collect(),
        ),
        x => Some(x.as_array()?.iter().map(Value::as_f64).collect()),
    }
}

fn strings(x: &Value) -> Option<Vec<String>> {
    x.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// `search/cards.json`, checked against the hash the core gives it.
fn read_cards(
    v: &Value,
    n: usize,
    shard: &impl Fn(&str) -> Option<Vec<u8>>,
    listed: &[u32],
    place: Vec<Option<u32>>,
) -> Option<Cards> {
    let cards_bytes = shard(CARDS_PATH)?;
    if format!("{:08x}", fnv1a32(&cards_bytes)) != v["cards"].as_str()? {
        return None;
    }
    let cv: Value = serde_json::from_slice(&cards_bytes).ok()?;
    let names = strings(&cv["name"])?;
    let short = strings(&cv["slug"])?;
    let slugs: Vec<String> = names
        .iter()
        .zip(&short)
        .map(|(name, s)| full_slug(name, s))
        .collect();
    let seed = match &cv["seed"] {
        Value::Null => None,
        s => Some(u32::try_from(s.as_u64()?).ok()?),
    };
    let order = match seed {
        Some(seed) => seeded_order(listed, &slugs, seed),
        None => read_order(cv["order"].as_str()?, n)?,
    };
    Some(Cards {
        slugs,
        names,
        place,
        regions: strings(&cv["regions"])?,
        languages: strings(&cv["langs"])?,
        day: read_card_days(&cv["day"], n)?,
        order,
        seed,
    })
}

/// The `order` of `cards.json`: each id in `id_width(n)` base-64 letters.
fn read_order(order_text: &str, n: usize) -> Option<Vec<u32>> {
    let width = id_width(n);
    let digit = |c: u8| encode::ALPHABET.iter().position(|&a| a == c);
    let order_text = order_text.as_bytes();
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
        .collect()
}

/// The `day` of `cards.json`: `[ids, prices, currency indices, currencies]`.
fn read_card_days(d: &Value, n: usize) -> Option<Vec<(u32, f64, String)>> {
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
        .collect()
}
