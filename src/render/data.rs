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

use jiff::Timestamp;
use serde_json::{Value, json};

use super::markdown;
use super::xml_escape;
use crate::build::Output;
use crate::error::Diagnostics;
use crate::index::Index;
use crate::model::*;

/// The `version` of the JSON and GeoJSON shapes.
pub const VERSION: u32 = 1;

/// Adds every open-data file to `out`.
pub fn render(site: &Site, idx: &Index, out: &mut Output, diags: &mut Diagnostics) {
    let d = Data { site, idx };
    let mut add = |path: &str, bytes: Vec<u8>| {
        out.insert(path.into(), bytes, format!("(generated) {path}"), diags);
    };
    add("data/spaces.json", d.envelope(d.spaces()));
    add("data/sessions.json", d.envelope(d.sessions()));
    add("data/partnerships.json", d.envelope(d.partnerships()));
    add("data/spaces.csv", d.spaces_csv());
    add("data/spaces.csv-metadata.json", d.csv_metadata());
    add("data/spaces.geojson", d.geojson());
    add("feeds/spaces.atom", d.spaces_atom().into_bytes());
    add("feeds/sessions.atom", d.sessions_atom().into_bytes());
}

struct Data<'a> {
    site: &'a Site,
    idx: &'a Index,
}

fn enum_str<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_vec_pretty(v).unwrap_or_default();
    s.push(b'\n');
    s
}

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

    fn envelope(&self, items: Vec<Value>) -> Vec<u8> {
        let c = &self.site.config;
        pretty(&json!({
            "version": VERSION,
            "generated": rfc3339(self.idx.now),
            "licence": c.licence,
            "publisher": c.publisher,
            "source": c.base_url.as_str(),
            "items": items,
        }))
    }

    fn region_name(&self, id: &Slug) -> String {
        self.site
            .regions
            .iter()
            .find(|r| &r.id == id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    fn listed(&self, i: usize) -> bool {
        self.idx.rank[i] != usize::MAX
    }

    fn spaces(&self) -> Vec<Value> {
        self.site
            .spaces
            .iter()
            .enumerate()
            .map(|(i, s)| {
                json!({
                    "id": s.slug,
                    "name": s.name,
                    "url": self.url(&format!("spaces/{}/", s.slug)),
                    "status": enum_str(&s.status),
                    "listed": self.listed(i),
                    "region": s.region,
                    "summary": s.summary,
                    "address": s.address,
                    "location": { "lat": s.lat, "lon": s.lon },
                    "website": s.website.as_ref().map(|u| u.to_string()),
                    "email": s.email,
                    "phone": s.phone,
                    "opening_hours": s.opening_hours,
                    "amenities": s.amenities,
                    "plans": s.plans,
                    "capacity": s.capacity,
                    "languages": s.languages,
                    "accessibility": s.accessibility,
                    "government_members_welcome": s.government_members_welcome,
                    "drop_in": s.drop_in,
                    "images": s.images.iter().map(|im| json!({
                        "url": self.url(&im.src),
                        "alt": im.alt,
                        "width": im.width,
                        "height": im.height,
                    })).collect::<Vec<_>>(),
                    "last_verified": s.last_verified.to_string(),
                    "partnerships": self.idx.space_partnerships[i]
                        .iter()
                        .map(|&p| self.site.partnerships[p].slug.as_str())
                        .collect::<Vec<_>>(),
                    "calendar": self.url(&format!("spaces/{}/sessions.ics", s.slug)),
                    "description": s.body.trim(),
                })
            })
            .collect()
    }

    fn sessions(&self) -> Vec<Value> {
        self.site
            .sessions
            .iter()
            .map(|s| {
                let stamp = |t: Timestamp| {
                    t.to_zoned_datetime(s.time_zone.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                };
                let venue = match &s.venue {
                    Venue::Space(slug) => json!({ "space": slug }),
                    Venue::Online(u) => json!({ "online": u.as_str() }),
                };
                json!({
                    "id": s.slug,
                    "title": s.title,
                    "url": self.url(&format!("sessions/{}/", s.slug)),
                    "status": enum_str(&s.status),
                    "time_zone": s.time_zone_name,
                    "repeat": s.repeat,
                    "occurrences": s.occurrences.iter().map(|o| json!({
                        "date": o.date.to_string(),
                        "start": stamp(o.start_at),
                        "end": stamp(o.end_at),
                        "status": enum_str(&o.status),
                    })).collect::<Vec<_>>(),
                    "venue": venue,
                    "partnership": s.partnership,
                    "host": { "body": s.host_body, "role": s.host_role },
                    "topics": s.topics,
                    "language": s.language,
                    "capacity": s.capacity,
                    "registration": s.registration.as_ref().map(|u| u.to_string()),
                    "free": s.free,
                    "calendar": self.url(&format!("sessions/{}/session.ics", s.slug)),
                    "description": s.body.trim(),
                })
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
        let mut w = csv::Writer::from_writer(Vec::new());
        let header: Vec<&str> = CSV_COLUMNS.iter().map(|(c, _)| *c).collect();
        let _ = w.write_record(&header);
        let b = |v: bool| v.to_string();
        let ob = |v: Option<bool>| v.map(|v| v.to_string()).unwrap_or_default();
        for (i, s) in self.site.spaces.iter().enumerate() {
            let day = s
                .plans
                .iter()
                .filter(|p| p.period == BillingPeriod::Day)
                .min_by(|a, b| a.price.total_cmp(&b.price));
            let acc = s.accessibility.as_ref();
            let row: Vec<String> = vec![
                s.slug.to_string(),
                s.name.clone(),
                self.url(&format!("spaces/{}/", s.slug)),
                enum_str(&s.status).as_str().unwrap_or_default().to_owned(),
                b(self.listed(i)),
                s.region.to_string(),
                self.region_name(&s.region),
                s.address.street.clone(),
                s.address.locality.clone(),
                s.address.region.clone(),
                s.address.postal_code.clone(),
                s.address.country.clone(),
                s.lat.to_string(),
                s.lon.to_string(),
                s.website
                    .as_ref()
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
                s.email.clone().unwrap_or_default(),
                s.phone.clone().unwrap_or_default(),
                s.opening_hours.clone().unwrap_or_default(),
                s.amenities
                    .iter()
                    .map(Slug::as_str)
                    .collect::<Vec<_>>()
                    .join(";"),
                s.capacity.map(|c| c.to_string()).unwrap_or_default(),
                s.languages.join(";"),
                day.map(|p| p.price.to_string()).unwrap_or_default(),
                day.map(|p| p.currency.clone()).unwrap_or_default(),
                b(s.government_members_welcome),
                b(s.drop_in),
                ob(acc.and_then(|a| a.step_free)),
                ob(acc.and_then(|a| a.accessible_washroom)),
                ob(acc.and_then(|a| a.hearing_loop)),
                ob(acc.and_then(|a| a.quiet_room)),
                s.last_verified.to_string(),
            ];
            let _ = w.write_record(&row);
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
        let features: Vec<Value> = self
            .site
            .spaces
            .iter()
            .enumerate()
            .map(|(i, s)| {
                json!({
                    "type": "Feature",
                    "id": s.slug,
                    // RFC 7946: longitude first.
                    "geometry": { "type": "Point", "coordinates": [s.lon, s.lat] },
                    "properties": {
                        "name": s.name,
                        "url": self.url(&format!("spaces/{}/", s.slug)),
                        "status": enum_str(&s.status),
                        "listed": self.listed(i),
                        "region": s.region,
                        "locality": s.address.locality,
                        "amenities": s.amenities,
                        "drop_in": s.drop_in,
                        "government_members_welcome": s.government_members_welcome,
                        "last_verified": s.last_verified.to_string(),
                    },
                })
            })
            .collect();
        pretty(&json!({
            "type": "FeatureCollection",
            "version": VERSION,
            "generated": rfc3339(self.idx.now),
            "licence": c.licence,
            "publisher": c.publisher,
            "features": features,
        }))
    }

    fn atom(&self, feed_path: &str, title: &str, updated: Timestamp, entries: &str) -> String {
        let c = &self.site.config;
        let author = c.publisher.as_deref().unwrap_or(&c.title);
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
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
        s.push_str(entries);
        s.push_str("</feed>\n");
        s
    }

    fn entry(s: &mut String, url: &str, title: &str, updated: Timestamp, summary: &str) {
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(title),
            xml_escape(url),
            xml_escape(url),
            rfc3339(updated),
            xml_escape(summary),
        ));
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
        let mut entries = String::new();
        for s in &order {
            let summary = s
                .summary
                .clone()
                .unwrap_or_else(|| markdown::excerpt(&s.body, super::EXCERPT_CHARS));
            Self::entry(
                &mut entries,
                &self.url(&format!("spaces/{}/", s.slug)),
                &s.name,
                verified(s),
                &summary,
            );
        }
        let updated = order.first().map_or(Timestamp::UNIX_EPOCH, |s| verified(s));
        self.atom(
            "feeds/spaces.atom",
            &format!("{} — spaces", self.site.config.title),
            updated,
            &entries,
        )
    }

    /// Sessions with a date still to come, soonest first. Content files carry no edit
    /// date, so an entry's `updated` is the start of the session's first date (stable
    /// across builds); the feed's is the build's `now`.
    fn sessions_atom(&self) -> String {
        let (upcoming, _) = self.idx.occurrences(self.site, &self.idx.upcoming);
        let mut seen = BTreeSet::new();
        let mut entries = String::new();
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
                &mut entries,
                &self.url(&format!("sessions/{}/", s.slug)),
                &s.title,
                s.start_at,
                &summary,
            );
        }
        self.atom(
            "feeds/sessions.atom",
            &format!("{} — upcoming info sessions", self.site.config.title),
            self.idx.now,
            &entries,
        )
    }
}
