//! Writing the index as the files the browser fetches (format in the module
//! documentation of [`crate::search`]): the core, the cards and the term shards, each
//! named in the core by its content hash ([`crate::neutral::fnv1a32`]). What is written
//! here, [`super::read`] reads back; the two must change together.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::neutral::fnv1a32;

use super::fx::FastMap;
use super::{CARDS_PATH, INDEX_PATH, Place, SHARDS, SearchIndex, VERSION, encode};

impl SearchIndex {
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
            "shards": shards.iter().map(|(k, bytes)| json!([k, format!("{:08x}", fnv1a32(bytes))])).collect::<Vec<_>>(),
            "cards": format!("{:08x}", fnv1a32(&cards)),
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
pub(super) fn full_slug(name: &str, short: &str) -> String {
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

/// Letters per id in `cards.json`'s `order`: the fewest base-64 digits that hold `n − 1`.
pub(super) fn id_width(n: usize) -> usize {
    let mut w = 1;
    while w < 10 && 64_usize.pow(w as u32) < n {
        w += 1;
    }
    w
}

/// A JSON number, written as an integer when it is one (prices are mostly whole).
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}
