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

use std::collections::BTreeSet;
use std::fmt::{self, Display, Write as _};

use jiff::Timestamp;
use jiff::civil::Date;
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use super::markdown;
use super::xml_escape;
use crate::error::Diagnostics;
use crate::index::Index;
use crate::model::*;
use crate::output::Output;

/// The `version` of the JSON and GeoJSON shapes.
pub const VERSION: u32 = 1;

/// Adds every open-data file to `out`.
pub fn render(site: &Site, idx: &Index, out: &mut Output, diags: &mut Diagnostics) {
    let d = Data { site, idx };
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
}

fn enum_str<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn pretty<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    pretty_sized(v, 0)
}

/// [`pretty`] into a buffer of `capacity` bytes, so big files are not copied as they grow.
/// Capacity that is never written costs nothing: a big buffer's untouched pages are
/// never mapped in.
fn pretty_sized<T: Serialize + ?Sized>(v: &T, capacity: usize) -> Vec<u8> {
    let mut s = Vec::with_capacity(capacity);
    let _ = v.serialize(&mut serde_json::Serializer::with_formatter(
        &mut s,
        Pretty::default(),
    ));
    s.push(b'\n');
    s
}

/// serde_json's `PrettyFormatter` (two-space indent), byte for byte, writing each line
/// break with its indentation in one piece instead of one write per level: a deep
/// value's lines (most of `spaces.json`) are mostly indentation.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// `,` then a line break and the indentation of the deepest lines the files have.
const BREAK: &[u8] = b",\n                                ";

impl Pretty {
    /// A line break and the current indentation, after a comma unless `first`.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(&BREAK[from..2])?;
                (0..self.depth).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// An array or object opens: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// It closes: on a line of its own unless it was empty.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes its parts one after another (a URL without building it first).
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
    calendar: AsStr<Cat<'a, 4>>,
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
    url: AsStr<Cat<'a, 4>>,
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
    calendar: AsStr<Cat<'a, 4>>,
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
    url: AsStr<Cat<'a, 4>>,
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
    url: AsStr<Cat<'a, 4>>,
}

/// Appends `s` escaped as by [`xml_escape`], without its intermediate strings.
fn push_xml_escaped(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&apos;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// The end of an Atom feed.
const ATOM_END: &str = "</feed>\n";

/// RFC 3339 in UTC, to the second.
fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

const CSV_COLUMNS: &[(&str, &str)] = &[
    ("id", "Stable id (the file name)"),
    ("name", "Name"),
    ("url", "Page in the directory"),
    ("status", "active, temporarily-closed or closed"),
    ("listed", "Whether the directory lists it (true/false)"),
    ("region", "Region id"),
    ("region_name", "Region name"),
    ("street", "Street address"),
    ("locality", "Town or city"),
    ("address_region", "Province or state"),
    ("postal_code", "Postal code"),
    ("country", "ISO 3166-1 alpha-2 country code"),
    ("lat", "Latitude (WGS 84)"),
    ("lon", "Longitude (WGS 84)"),
    ("website", "Website"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("opening_hours", "OpenStreetMap opening_hours"),
    ("amenities", "Amenity ids, separated by ;"),
    ("capacity", "Seats (empty: not given)"),
    ("languages", "BCP 47 language tags, separated by ;"),
    ("day_pass_min", "Lowest day-pass price (empty: none)"),
    ("day_pass_currency", "ISO 4217 currency of day_pass_min"),
    ("government_members_welcome", "true/false"),
    ("drop_in", "true/false"),
    ("step_free", "true/false (empty: not given)"),
    ("accessible_washroom", "true/false (empty: not given)"),
    ("hearing_loop", "true/false (empty: not given)"),
    ("quiet_room", "true/false (empty: not given)"),
    ("last_verified", "YYYY-MM-DD"),
];

impl Data<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.site.config.base_url)
    }

    fn base(&self) -> &str {
        self.site.config.base_url.as_str()
    }

    fn envelope<T: Serialize>(&self, items: &[T], capacity: usize) -> Vec<u8> {
        let c = &self.site.config;
        pretty_sized(
            &Envelope {
                generated: rfc3339(self.idx.now),
                items,
                licence: &c.licence,
                publisher: &c.publisher,
                source: c.base_url.as_str(),
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

    fn spaces(&self) -> Vec<SpaceItem<'_>> {
        let base = self.base();
        self.site
            .spaces
            .iter()
            .enumerate()
            .map(|(i, s)| SpaceItem {
                accessibility: s.accessibility.as_ref().map(|a| AccessibilityItem {
                    accessible_washroom: a.accessible_washroom,
                    hearing_loop: a.hearing_loop,
                    notes: a.notes.as_deref(),
                    quiet_room: a.quiet_room,
                    step_free: a.step_free,
                }),
                address: AddressItem::new(&s.address),
                amenities: &s.amenities,
                calendar: AsStr(Cat([base, "spaces/", s.slug.as_str(), "/sessions.ics"])),
                capacity: s.capacity,
                description: s.body.trim(),
                drop_in: s.drop_in,
                email: s.email.as_deref(),
                government_members_welcome: s.government_members_welcome,
                id: &s.slug,
                images: s
                    .images
                    .iter()
                    .map(|im| ImageItem {
                        alt: &im.alt,
                        height: im.height,
                        url: AsStr(Cat([base, im.src.as_str()])),
                        width: im.width,
                    })
                    .collect(),
                languages: &s.languages,
                last_verified: AsStr(s.last_verified),
                listed: self.listed(i),
                location: LatLon {
                    lat: s.lat,
                    lon: s.lon,
                },
                name: &s.name,
                opening_hours: s.opening_hours.as_deref(),
                partnerships: self.idx.space_partnerships[i]
                    .iter()
                    .map(|&p| self.site.partnerships[p].slug.as_str())
                    .collect(),
                phone: s.phone.as_deref(),
                plans: s
                    .plans
                    .iter()
                    .map(|p| PlanItem {
                        currency: &p.currency,
                        name: &p.name,
                        period: p.period,
                        price: p.price,
                    })
                    .collect(),
                region: &s.region,
                status: s.status,
                summary: s.summary.as_deref(),
                url: AsStr(Cat([base, "spaces/", s.slug.as_str(), "/"])),
                website: s.website.as_ref().map(|u| u.as_str()),
            })
            .collect()
    }

    fn sessions(&self) -> Vec<SessionItem<'_>> {
        let base = self.base();
        self.site
            .sessions
            .iter()
            .map(|s| {
                let stamp = |t: Timestamp| {
                    t.to_zoned_datetime(s.time_zone.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                };
                SessionItem {
                    calendar: AsStr(Cat([base, "sessions/", s.slug.as_str(), "/session.ics"])),
                    capacity: s.capacity,
                    description: s.body.trim(),
                    free: s.free,
                    host: HostItem {
                        body: &s.host_body,
                        role: &s.host_role,
                    },
                    id: &s.slug,
                    language: &s.language,
                    occurrences: s
                        .occurrences
                        .iter()
                        .map(|o| OccurrenceItem {
                            date: AsStr(o.date),
                            end: stamp(o.end_at),
                            start: stamp(o.start_at),
                            status: o.status,
                        })
                        .collect(),
                    partnership: s.partnership.as_ref(),
                    registration: s.registration.as_ref().map(|u| u.as_str()),
                    repeat: s.repeat.as_deref(),
                    status: s.status,
                    time_zone: &s.time_zone_name,
                    title: &s.title,
                    topics: &s.topics,
                    url: AsStr(Cat([base, "sessions/", s.slug.as_str(), "/"])),
                    venue: match &s.venue {
                        Venue::Space(slug) => VenueItem::Space(slug),
                        Venue::Online(u) => VenueItem::Online(u.as_str()),
                    },
                }
            })
            .collect()
    }

    fn partnerships(&self) -> Vec<Value> {
        self.site
            .partnerships
            .iter()
            .map(|p| {
                let funding = match &p.funding {
                    Funding::None => json!({ "kind": "none" }),
                    Funding::Disclosed {
                        amount,
                        currency,
                        pays_for,
                    } => json!({
                        "kind": "disclosed",
                        "amount": amount,
                        "currency": currency,
                        "pays_for": pays_for,
                    }),
                };
                let mut spaces: Vec<&str> = p.spaces.iter().map(Slug::as_str).collect();
                spaces.sort_unstable();
                json!({
                    "id": p.slug,
                    "name": p.name,
                    "url": self.url(&format!("partnerships/{}/", p.slug)),
                    "summary": p.summary,
                    "government": { "name": p.government_name, "level": enum_str(&p.government_level) },
                    "jurisdiction": p.jurisdiction,
                    "kinds": p.kinds.iter().map(enum_str).collect::<Vec<_>>(),
                    "status": enum_str(&p.status),
                    "start": p.start.to_string(),
                    "end": p.end.map(|d| d.to_string()),
                    "spaces": spaces,
                    "open_to_all_eligible": p.open_to_all_eligible,
                    "eligibility": p.eligibility,
                    "funding": funding,
                    "contact": p.contact,
                    "calendar": self.url(&format!("partnerships/{}/sessions.ics", p.slug)),
                    "description": p.body.trim(),
                })
            })
            .collect()
    }

    fn spaces_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::with_capacity(self.site.spaces.len() * 640));
        let _ = w.write_record(CSV_COLUMNS.iter().map(|(c, _)| *c));
        let b = |v: bool| if v { "true" } else { "false" };
        let ob = |v: Option<bool>| v.map_or("", b);
        // Scratch text for the fields that are not already strings in the model.
        let mut num = String::new();
        let mut field = |w: &mut csv::Writer<Vec<u8>>, f: &dyn Fn(&mut String)| {
            num.clear();
            f(&mut num);
            let _ = w.write_field(&num);
        };
        for (i, s) in self.site.spaces.iter().enumerate() {
            let day = s
                .plans
                .iter()
                .filter(|p| p.period == BillingPeriod::Day)
                .min_by(|a, b| a.price.total_cmp(&b.price));
            let acc = s.accessibility.as_ref();
            let _ = w.write_field(s.slug.as_str());
            let _ = w.write_field(&s.name);
            field(&mut w, &|o| {
                let _ = write!(o, "{}spaces/{}/", self.base(), s.slug);
            });
            let _ = w.write_field(match enum_str(&s.status) {
                Value::String(v) => v,
                _ => String::new(),
            });
            let _ = w.write_field(b(self.listed(i)));
            let _ = w.write_field(s.region.as_str());
            let _ = w.write_field(self.region_name(&s.region));
            let _ = w.write_field(&s.address.street);
            let _ = w.write_field(&s.address.locality);
            let _ = w.write_field(&s.address.region);
            let _ = w.write_field(&s.address.postal_code);
            let _ = w.write_field(&s.address.country);
            field(&mut w, &|o| {
                let _ = write!(o, "{}", s.lat);
            });
            field(&mut w, &|o| {
                let _ = write!(o, "{}", s.lon);
            });
            let _ = w.write_field(s.website.as_ref().map_or("", |u| u.as_str()));
            let _ = w.write_field(s.email.as_deref().unwrap_or_default());
            let _ = w.write_field(s.phone.as_deref().unwrap_or_default());
            let _ = w.write_field(s.opening_hours.as_deref().unwrap_or_default());
            field(&mut w, &|o| {
                for (k, a) in s.amenities.iter().enumerate() {
                    if k > 0 {
                        o.push(';');
                    }
                    o.push_str(a.as_str());
                }
            });
            field(&mut w, &|o| {
                if let Some(c) = s.capacity {
                    let _ = write!(o, "{c}");
                }
            });
            let _ = w.write_field(s.languages.join(";"));
            field(&mut w, &|o| {
                if let Some(p) = day {
                    let _ = write!(o, "{}", p.price);
                }
            });
            let _ = w.write_field(day.map_or("", |p| p.currency.as_str()));
            let _ = w.write_field(b(s.government_members_welcome));
            let _ = w.write_field(b(s.drop_in));
            let _ = w.write_field(ob(acc.and_then(|a| a.step_free)));
            let _ = w.write_field(ob(acc.and_then(|a| a.accessible_washroom)));
            let _ = w.write_field(ob(acc.and_then(|a| a.hearing_loop)));
            let _ = w.write_field(ob(acc.and_then(|a| a.quiet_room)));
            field(&mut w, &|o| {
                let _ = write!(o, "{}", s.last_verified);
            });
            let _ = w.write_record(None::<&[u8]>);
        }
        w.into_inner().unwrap_or_default()
    }

    /// W3C "CSV on the Web" metadata: the CSV's licence and column meanings, in the
    /// standard place (`<file>-metadata.json`) where CSV itself has none.
    fn csv_metadata(&self) -> Vec<u8> {
        let c = &self.site.config;
        pretty(&json!({
            "@context": "http://www.w3.org/ns/csvw",
            "url": "spaces.csv",
            "dc:title": format!("{} — spaces", c.title),
            "dc:license": c.licence,
            "dc:publisher": c.publisher,
            "dc:modified": rfc3339(self.idx.now),
            "tableSchema": {
                "columns": CSV_COLUMNS.iter().map(|(name, title)| json!({
                    "name": name,
                    "titles": name,
                    "dc:description": title,
                })).collect::<Vec<_>>(),
                "primaryKey": "id",
            },
        }))
    }

    fn geojson(&self) -> Vec<u8> {
        let c = &self.site.config;
        let base = self.base();
        let features = self
            .site
            .spaces
            .iter()
            .enumerate()
            .map(|(i, s)| Feature {
                // RFC 7946: longitude first.
                geometry: Point {
                    coordinates: [s.lon, s.lat],
                    kind: "Point",
                },
                id: &s.slug,
                properties: FeatureProperties {
                    amenities: &s.amenities,
                    drop_in: s.drop_in,
                    government_members_welcome: s.government_members_welcome,
                    last_verified: AsStr(s.last_verified),
                    listed: self.listed(i),
                    locality: &s.address.locality,
                    name: &s.name,
                    region: &s.region,
                    status: s.status,
                    url: AsStr(Cat([base, "spaces/", s.slug.as_str(), "/"])),
                },
                kind: "Feature",
            })
            .collect();
        pretty_sized(
            &GeoJson {
                features,
                generated: rfc3339(self.idx.now),
                licence: &c.licence,
                publisher: &c.publisher,
                kind: "FeatureCollection",
                version: VERSION,
            },
            self.site.spaces.len() * 1536,
        )
    }

    /// The feed's head, up to its first entry; the entries follow, then [`ATOM_END`].
    fn atom_head(&self, s: &mut String, feed_path: &str, title: &str, updated: Timestamp) {
        let c = &self.site.config;
        let author = c.publisher.as_deref().unwrap_or(&c.title);
        s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        s.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        s.push_str(&format!(
            "  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
            xml_escape(title),
            xml_escape(&self.url(feed_path)),
            xml_escape(&self.url(feed_path)),
            xml_escape(c.base_url.as_str()),
            rfc3339(updated),
            xml_escape(author),
        ));
        if let Some(l) = &c.licence {
            s.push_str(&format!("  <rights>{}</rights>\n", xml_escape(l)));
        }
    }

    fn entry(s: &mut String, url: &str, title: &str, updated: Timestamp, summary: &str) {
        s.push_str("  <entry>\n    <title>");
        push_xml_escaped(s, title);
        s.push_str("</title>\n    <id>");
        push_xml_escaped(s, url);
        s.push_str("</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
        push_xml_escaped(s, url);
        s.push_str("\"/>\n    <updated>");
        let _ = write!(s, "{}", updated.strftime("%Y-%m-%dT%H:%M:%SZ"));
        s.push_str("</updated>\n    <summary>");
        push_xml_escaped(s, summary);
        s.push_str("</summary>\n  </entry>\n");
    }

    /// Spaces, most recently verified first (then by id). An entry's `updated` is the
    /// start of its `last_verified` day in the site's time zone; the feed's is the latest.
    fn spaces_atom(&self) -> String {
        let tz = &self.site.config.time_zone;
        let verified = |s: &Space| {
            s.last_verified
                .to_zoned_datetime(tz.clone())
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH)
        };
        let mut order: Vec<&Space> = self.site.spaces.iter().collect();
        order.sort_by(|a, b| {
            b.last_verified
                .cmp(&a.last_verified)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let updated = order.first().map_or(Timestamp::UNIX_EPOCH, |s| verified(s));
        // The entries follow the head in one buffer instead of being copied in after it.
        let mut feed = String::with_capacity(order.len() * 512 + 1024);
        self.atom_head(
            &mut feed,
            "feeds/spaces.atom",
            &format!("{} — spaces", self.site.config.title),
            updated,
        );
        let mut url = String::new();
        for s in &order {
            let excerpt;
            let summary = match &s.summary {
                Some(summary) => summary,
                None => {
                    excerpt = markdown::excerpt(&s.body, super::EXCERPT_CHARS);
                    &excerpt
                }
            };
            url.clear();
            let _ = write!(url, "{}spaces/{}/", self.base(), s.slug);
            Self::entry(&mut feed, &url, &s.name, verified(s), summary);
        }
        feed.push_str(ATOM_END);
        feed
    }

    /// Sessions with a date still to come, soonest first. Content files carry no edit
    /// date, so an entry's `updated` is the start of the session's first date (stable
    /// across builds); the feed's is the build's `now`.
    fn sessions_atom(&self) -> String {
        let (upcoming, _) = self.idx.occurrences(self.site, &self.idx.upcoming);
        let mut seen = BTreeSet::new();
        let mut feed = String::new();
        self.atom_head(
            &mut feed,
            "feeds/sessions.atom",
            &format!("{} — upcoming info sessions", self.site.config.title),
            self.idx.now,
        );
        for o in upcoming {
            let s = &self.site.sessions[o.session];
            if !seen.insert(o.session) {
                continue;
            }
            let next = o.get(self.site);
            let when = next
                .start_at
                .to_zoned_datetime(s.time_zone.clone())
                .strftime("%Y-%m-%d %H:%M %Z")
                .to_string();
            let summary = format!("{when}. {}", markdown::excerpt(&s.body, 300));
            Self::entry(
                &mut feed,
                &self.url(&format!("sessions/{}/", s.slug)),
                &s.title,
                s.start_at,
                &summary,
            );
        }
        feed.push_str(ATOM_END);
        feed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files were first written through `serde_json::Value`, whose objects print
    /// their keys sorted; the typed shapes must print the same bytes.
    fn assert_value_order<T: Serialize>(x: &T) {
        let direct = serde_json::to_string_pretty(x).unwrap();
        let value = serde_json::to_value(x).unwrap();
        assert_eq!(direct, serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn item_fields_are_in_key_order() {
        let slug = Slug::new_unchecked("harbour-hub");
        let slugs = vec![slug.clone()];
        let strings = vec!["en".to_owned()];
        let date = jiff::civil::date(2026, 5, 5);
        let address = Address {
            street: "1 Main St".into(),
            locality: "Town".into(),
            region: "Province".into(),
            postal_code: "A1A 1A1".into(),
            country: "CA".into(),
        };
        let space = SpaceItem {
            accessibility: Some(AccessibilityItem {
                accessible_washroom: Some(true),
                hearing_loop: None,
                notes: Some("ramp"),
                quiet_room: Some(false),
                step_free: Some(true),
            }),
            address: AddressItem::new(&address),
            amenities: &slugs,
            calendar: AsStr(Cat([
                "https://x/",
                "spaces/",
                "harbour-hub",
                "/sessions.ics",
            ])),
            capacity: Some(3),
            description: "Text",
            drop_in: true,
            email: Some("a@b.c"),
            government_members_welcome: false,
            id: &slug,
            images: vec![ImageItem {
                alt: "Desk",
                height: Some(2),
                url: AsStr(Cat(["https://x/", "a.jpg"])),
                width: None,
            }],
            languages: &strings,
            last_verified: AsStr(date),
            listed: true,
            location: LatLon {
                lat: 1.5,
                lon: -2.0,
            },
            name: "Harbour Hub",
            opening_hours: Some("Mo-Fr 08:00-17:00"),
            partnerships: vec!["p"],
            phone: None,
            plans: vec![PlanItem {
                currency: "CAD",
                name: "Day",
                period: BillingPeriod::Day,
                price: 25.0,
            }],
            region: &slug,
            status: SpaceStatus::Active,
            summary: Some("Sum"),
            url: AsStr(Cat(["https://x/", "spaces/", "harbour-hub", "/"])),
            website: Some("https://h.example/"),
        };
        assert_value_order(&space);
        assert_value_order(&Envelope {
            generated: "2026-11-25T12:00:00Z".into(),
            items: &[space],
            licence: &Some("CC0".into()),
            publisher: &None,
            source: "https://x/",
            version: VERSION,
        });
        assert_value_order(&SessionItem {
            calendar: AsStr(Cat(["https://x/", "sessions/", "s", "/session.ics"])),
            capacity: None,
            description: "D",
            free: Some(true),
            host: HostItem {
                body: "Gov",
                role: "Advisor",
            },
            id: &slug,
            language: "en",
            occurrences: vec![OccurrenceItem {
                date: AsStr(date),
                end: "e".into(),
                start: "s".into(),
                status: SessionStatus::Cancelled,
            }],
            partnership: Some(&slug),
            registration: None,
            repeat: Some("weekly"),
            status: SessionStatus::Scheduled,
            time_zone: "America/Halifax",
            title: "T",
            topics: &strings,
            url: AsStr(Cat(["https://x/", "sessions/", "s", "/"])),
            venue: VenueItem::Online("https://meet.example/"),
        });
        assert_value_order(&GeoJson {
            features: vec![Feature {
                geometry: Point {
                    coordinates: [-2.0, 1.5],
                    kind: "Point",
                },
                id: &slug,
                properties: FeatureProperties {
                    amenities: &slugs,
                    drop_in: true,
                    government_members_welcome: true,
                    last_verified: AsStr(date),
                    listed: false,
                    locality: "Town",
                    name: "N",
                    region: &slug,
                    status: SpaceStatus::Closed,
                    url: AsStr(Cat(["https://x/", "spaces/", "harbour-hub", "/"])),
                },
                kind: "Feature",
            }],
            generated: "g".into(),
            licence: &None,
            publisher: &Some("P".into()),
            kind: "FeatureCollection",
            version: VERSION,
        });
    }

    #[test]
    fn pretty_is_serde_jsons_pretty_printer() {
        let mut deep = json!("leaf");
        for i in 0..10 {
            deep = json!({ "level": i, "next": deep, "list": [deep.clone(), [], {}] });
        }
        for v in [
            json!(null),
            json!([]),
            json!({}),
            json!({ "a": [], "b": {}, "c": [1, [2, []], { "d": {} }], "e": "x\n\"y\"" }),
            json!([[[]], [{}], [1.5, -2e-7, true]]),
            deep,
        ] {
            let mut ours = pretty(&v);
            assert_eq!(ours.pop(), Some(b'\n'));
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
    }

    #[test]
    fn xml_escaping_matches_the_shared_escape() {
        for s in ["", "plain", "a & b < c > d \"e\" 'f'", "&&<<", "é & ü"] {
            let mut out = String::new();
            push_xml_escaped(&mut out, s);
            assert_eq!(out, xml_escape(s), "{s}");
        }
    }
}
