//! Open data: the directory as files others can reuse, beside the pages.
//!
//! | path | what |
//! |---|---|
//! | `/data/spaces.json`, `/data/sessions.json`, `/data/partnerships.json` | `{ "version": 1, "generated", "licence", "publisher", "source", "items": [...] }` |
//! | `/data/spaces.csv` (+ `/data/spaces.csv-metadata.json`, W3C CSVW) | one row per space, for spreadsheets |
//! | `/data/spaces.geojson` | an RFC 7946 FeatureCollection of Points (`[lon, lat]`) |
//! | `/feeds/spaces.atom` | spaces, most recently verified first |
//! | `/feeds/sessions.atom` | upcoming sessions, soonest first |
//!
//! The shapes are documented in `docs/open-data.md`; `version` changes only when a field
//! is removed or changes meaning (new fields may appear in any version). Ids are the
//! file slugs, stable across builds. Items are in id order, which carries no meaning;
//! nothing in these files ranks a listing. Everything depends only on the content and
//! the build's `now`, so two builds give the same bytes.
//!
//! Spaces that are not listed (closed ones, by default) are included, with their
//! `status` and `listed: false`, so that reusers can tell "closed" from "missing".

use std::fmt::{self, Display, Write as _};

use jiff::Timestamp;
use jiff::civil::Date;
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use crate::error::Diagnostics;
use crate::index::Index;
use crate::model::*;
use crate::output::Output;
use crate::urls::{Kind as Record, RecordUrl, Urls};

/// The `version` of the JSON and GeoJSON shapes.
pub(crate) const VERSION: u32 = 1;

/// Adds every open-data file to `out`.
pub(crate) fn render(
    site: &Site,
    idx: &Index,
    urls: &Urls,
    out: &mut Output,
    diags: &mut Diagnostics,
) {
    let d = Data { site, idx, urls };
    // Independent files, made in parallel and added in this order.
    type Make = fn(&Data) -> Vec<u8>;
    let files: [(&str, Make); 8] = [
        ("data/spaces.json", |d| {
            // About 2 KB of keys and short values per space besides its text.
            let capacity = d.site.spaces.iter().fold(0, |n, s| {
                n + 3072 + (s.body.len() + s.summary.as_ref().map_or(0, String::len)) * 9 / 8
            });
            d.envelope(&d.spaces(), capacity)
        }),
        ("data/sessions.json", |d| {
            let capacity = d.site.sessions.len() * 2048;
            d.envelope(&d.sessions(), capacity)
        }),
        ("data/partnerships.json", |d| {
            let capacity = d.site.partnerships.len() * 2048;
            d.envelope(&d.partnerships(), capacity)
        }),
        ("data/spaces.csv", |d| d.spaces_csv()),
        ("data/spaces.csv-metadata.json", |d| d.csv_metadata()),
        ("data/spaces.geojson", |d| d.geojson()),
        ("feeds/spaces.atom", |d| d.spaces_atom().into_bytes()),
        ("feeds/sessions.atom", |d| d.sessions_atom().into_bytes()),
    ];
    let made: Vec<(&str, Vec<u8>)> = files
        .par_iter()
        .map(|&(path, make)| (path, make(&d)))
        .collect();
    for (path, bytes) in made {
        out.insert(path.into(), bytes, format!("(generated) {path}"), diags);
    }
}

struct Data<'a> {
    site: &'a Site,
    idx: &'a Index,
    urls: &'a Urls,
}

fn enum_str<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Writes its parts one after another (a URL without building it first; a record's URL
/// is a [`RecordUrl`], which does the same).
struct Cat<'a, const N: usize>([&'a str; N]);

impl<const N: usize> Display for Cat<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|p| f.write_str(p))
    }
}

/// Serializes a value as the JSON string of its `Display`.
struct AsStr<T>(T);

impl<T: Display> Serialize for AsStr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

// The shapes below are written straight from the model. Their fields are declared in
// byte order of their names, because that is the order `serde_json::Value` objects
// (which the files were first made from) print keys in; the test
// `item_fields_are_in_key_order` holds them to it.

#[derive(Serialize)]
struct Envelope<'a, T> {
    generated: String,
    items: &'a [T],
    licence: &'a Option<String>,
    publisher: &'a Option<String>,
    source: &'a str,
    version: u32,
}

#[derive(Serialize)]
struct SpaceItem<'a> {
    accessibility: Option<AccessibilityItem<'a>>,
    address: AddressItem<'a>,
    amenities: &'a [Slug],
    calendar: AsStr<RecordUrl<'a>>,
    capacity: Option<u32>,
    description: &'a str,
    drop_in: bool,
    email: Option<&'a str>,
    government_members_welcome: bool,
    id: &'a Slug,
    images: Vec<ImageItem<'a>>,
    languages: &'a [String],
    last_verified: AsStr<Date>,
    listed: bool,
    location: LatLon,
    name: &'a str,
    opening_hours: Option<&'a str>,
    partnerships: Vec<&'a str>,
    phone: Option<&'a str>,
    plans: Vec<PlanItem<'a>>,
    region: &'a Slug,
    status: SpaceStatus,
    summary: Option<&'a str>,
    url: AsStr<RecordUrl<'a>>,
    website: Option<&'a str>,
}

#[derive(Serialize)]
struct AccessibilityItem<'a> {
    accessible_washroom: Option<bool>,
    hearing_loop: Option<bool>,
    notes: Option<&'a str>,
    quiet_room: Option<bool>,
    step_free: Option<bool>,
}

#[derive(Serialize)]
struct AddressItem<'a> {
    country: &'a str,
    locality: &'a str,
    postal_code: &'a str,
    region: &'a str,
    street: &'a str,
}

impl<'a> AddressItem<'a> {
    fn new(a: &'a Address) -> Self {
        AddressItem {
            country: &a.country,
            locality: &a.locality,
            postal_code: &a.postal_code,
            region: &a.region,
            street: &a.street,
        }
    }
}

#[derive(Serialize)]
struct ImageItem<'a> {
    alt: &'a str,
    height: Option<u32>,
    url: AsStr<Cat<'a, 2>>,
    width: Option<u32>,
}

#[derive(Serialize)]
struct LatLon {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct PlanItem<'a> {
    currency: &'a str,
    name: &'a str,
    period: BillingPeriod,
    price: f64,
}

#[derive(Serialize)]
struct SessionItem<'a> {
    calendar: AsStr<RecordUrl<'a>>,
    capacity: Option<u32>,
    description: &'a str,
    free: Option<bool>,
    host: HostItem<'a>,
    id: &'a Slug,
    language: &'a str,
    occurrences: Vec<OccurrenceItem>,
    partnership: Option<&'a Slug>,
    registration: Option<&'a str>,
    repeat: Option<&'a str>,
    status: SessionStatus,
    time_zone: &'a str,
    title: &'a str,
    topics: &'a [String],
    url: AsStr<RecordUrl<'a>>,
    venue: VenueItem<'a>,
}

#[derive(Serialize)]
struct HostItem<'a> {
    body: &'a str,
    role: &'a str,
}

#[derive(Serialize)]
struct OccurrenceItem {
    date: AsStr<Date>,
    end: String,
    start: String,
    status: SessionStatus,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum VenueItem<'a> {
    Space(&'a Slug),
    Online(&'a str),
}

#[derive(Serialize)]
struct GeoJson<'a> {
    features: Vec<Feature<'a>>,
    generated: String,
    licence: &'a Option<String>,
    publisher: &'a Option<String>,
    #[serde(rename = "type")]
    kind: &'static str,
    version: u32,
}

#[derive(Serialize)]
struct Feature<'a> {
    geometry: Point,
    id: &'a Slug,
    properties: FeatureProperties<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Point {
    coordinates: [f64; 2],
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct FeatureProperties<'a> {
    amenities: &'a [Slug],
    drop_in: bool,
    government_members_welcome: bool,
    last_verified: AsStr<Date>,
    listed: bool,
    locality: &'a str,
    name: &'a str,
    region: &'a Slug,
    status: SpaceStatus,
    url: AsStr<RecordUrl<'a>>,
}

impl Data<'_> {
    /// The absolute URL of a path relative to the site root.
    fn url(&self, path: &str) -> String {
        self.urls.absolute(path)
    }

    /// The absolute base URL, ending in `/`.
    fn base(&self) -> &str {
        self.urls.base()
    }

    fn envelope<T: Serialize>(&self, items: &[T], capacity: usize) -> Vec<u8> {
        let c = &self.site.config;
        pretty_sized(
            &Envelope {
                generated: rfc3339(self.idx.now),
                items,
                licence: &c.licence,
                publisher: &c.publisher,
                source: self.base(),
                version: VERSION,
            },
            capacity,
        )
    }

    fn region_name<'s>(&'s self, id: &'s Slug) -> &'s str {
        self.site
            .regions
            .iter()
            .find(|r| &r.id == id)
            .map_or(id.as_str(), |r| r.name.as_str())
    }

    fn listed(&self, i: usize) -> bool {
        self.idx.rank[i] != usize::MAX
    }
}

/// RFC 3339 in UTC, to the second.
fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

mod atom;
mod csv;
mod geojson;
mod json;
mod pretty;

use pretty::{pretty, pretty_sized};

#[cfg(test)]
mod tests;
