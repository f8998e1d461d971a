//! schema.org JSON-LD for the pages of spaces, sessions and partnerships.
//!
//! Each page that describes one thing gets a `<script type="application/ld+json">` in
//! its head (`page.jsonld_html`), so search engines and other tools can read it without
//! scraping: a space is a `LocalBusiness` (a `Place` and an `Organization`), a session an
//! `Event` (one per date for a repeating session), a partnership a `GovernmentService`.
//!
//! Rules: say only what the content says. Opening hours become
//! `openingHoursSpecification` only for simple weekly forms ("Mo-Fr 08:00-18:00; Sa
//! 10:00-14:00; PH off"); anything else is left out rather than approximated. A session
//! is marked free (`isAccessibleForFree`, an `Offer` at price 0) only when its file says
//! `free: true`. No list carries a position or rank (no `ItemList`): listings are not
//! ordered. The JSON is escaped by [`super::script_json`], so no text from content can
//! close the script element.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::markdown;
use crate::index::Index;
use crate::model::*;

/// Output path of a page (`spaces/<slug>/index.html`) → its JSON-LD, escaped for a
/// `<script>` element.
pub fn all(site: &Site, idx: &Index, t: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let ld = Ld::new(site, idx, t);
    let mut all: Vec<(Kind, usize, &str)> = Vec::new();
    for (kind, slugs) in [
        (
            Kind::Space,
            site.spaces
                .iter()
                .map(|s| s.slug.as_str())
                .collect::<Vec<_>>(),
        ),
        (
            Kind::Session,
            site.sessions.iter().map(|s| s.slug.as_str()).collect(),
        ),
        (
            Kind::Partnership,
            site.partnerships.iter().map(|p| p.slug.as_str()).collect(),
        ),
    ] {
        all.extend(
            slugs
                .into_iter()
                .enumerate()
                .map(|(i, slug)| (kind, i, slug)),
        );
    }
    let pages: Vec<(String, String)> = all
        .into_par_iter()
        .map_init(
            || Vec::with_capacity(16 * 1024),
            |scratch, (kind, i, slug)| (kind.path(slug), ld.json(kind, i, scratch)),
        )
        .collect();
    // Paths are distinct (one page per slug and kind); a repeat would keep the last,
    // as inserting one by one did.
    pages.into_iter().collect()
}

/// The kinds of page that carry JSON-LD.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Space,
    Session,
    Partnership,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Space, Kind::Session, Kind::Partnership];

    /// The folder of this kind's pages.
    fn folder(self) -> &'static str {
        match self {
            Kind::Space => "spaces/",
            Kind::Session => "sessions/",
            Kind::Partnership => "partnerships/",
        }
    }

    fn path(self, slug: &str) -> String {
        format!("{}{slug}/index.html", self.folder())
    }
}

/// JSON for a `<script>` element, exactly as [`super::script_json`] writes it, with no
/// intermediate `serde_json::Value`.
#[cfg(test)]
fn script_json<T: Serialize>(value: &T) -> String {
    script_json_in(value, &mut Vec::new())
}

/// [`script_json`] through `scratch`, a buffer reused from page to page: the result is
/// one allocation of its exact length (most of a space's JSON-LD is about 3 KB, and a
/// 4 KB buffer per page left a quarter of 40 MB of fresh memory unused), and the
/// escaping is done as strings are written instead of in a second pass over the text.
fn script_json_in<T: Serialize>(value: &T, scratch: &mut Vec<u8>) -> String {
    scratch.clear();
    let mut ser = serde_json::Serializer::with_formatter(&mut *scratch, ScriptFormatter);
    if value.serialize(&mut ser).is_err() {
        return "null".into();
    }
    // serde_json writes UTF-8, and only ASCII bytes were replaced.
    std::str::from_utf8(scratch).map_or_else(|_| String::new(), str::to_owned)
}

/// serde_json's compact output with `<`, `>` and `&` written as `\u003c`, `\u003e` and
/// `\u0026`. Outside strings JSON has none of them (keys and values alike pass through
/// here), so this is the same as replacing them in the whole text afterwards.
struct ScriptFormatter;

impl serde_json::ser::Formatter for ScriptFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let bytes = fragment.as_bytes();
        // Most text has none of them: look without an early exit, which the compiler
        // turns into vector code, and copy the fragment whole.
        let found = bytes.iter().fold(false, |found, &b| {
            found | (b == b'<') | (b == b'>') | (b == b'&')
        });
        if !found {
            return writer.write_all(bytes);
        }
        super::theme::write_escaped(bytes, writer, |b| match b {
            b'<' => Some(b"\\u003c"),
            b'>' => Some(b"\\u003e"),
            b'&' => Some(b"\\u0026"),
            _ => None,
        })
    }
}

struct Ld<'a> {
    site: &'a Site,
    idx: &'a Index,
    t: &'a BTreeMap<String, String>,
    base: &'a str,
    space_of: HashMap<&'a str, usize>,
    /// The site's amenity ids with their index, sorted by id.
    amenity_of: Vec<(&'a str, usize)>,
}

const CONTEXT: &str = "https://schema.org";

// The shapes below are serialized as they are. Their fields are declared in byte order
// of their names, the order in which `serde_json::Value` objects (which this JSON was
// first made from) print keys; the test `shapes_print_keys_in_value_order` holds them
// to it. A field that is `None` is left out.

#[derive(Serialize)]
struct LocalBusiness<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    address: PostalAddress<'a>,
    #[serde(rename = "amenityFeature", skip_serializing_if = "Vec::is_empty")]
    amenity_feature: Vec<Feature<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    geo: Geo,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<String>,
    #[serde(rename = "knowsLanguage", skip_serializing_if = "<[_]>::is_empty")]
    knows_language: &'a [String],
    #[serde(rename = "makesOffer", skip_serializing_if = "Vec::is_empty")]
    makes_offer: Vec<Offer<'a>>,
    #[serde(
        rename = "maximumAttendeeCapacity",
        skip_serializing_if = "Option::is_none"
    )]
    maximum_attendee_capacity: Option<u32>,
    name: &'a str,
    #[serde(
        rename = "openingHoursSpecification",
        skip_serializing_if = "Option::is_none"
    )]
    opening_hours_specification: Option<Vec<HoursSpec<'a>>>,
    #[serde(rename = "publicAccess")]
    public_access: bool,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct PostalAddress<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry")]
    address_country: &'a str,
    #[serde(rename = "addressLocality")]
    address_locality: &'a str,
    #[serde(rename = "addressRegion")]
    address_region: &'a str,
    #[serde(rename = "postalCode")]
    postal_code: &'a str,
    #[serde(rename = "streetAddress")]
    street_address: &'a str,
}

fn address(a: &Address) -> PostalAddress<'_> {
    PostalAddress {
        kind: "PostalAddress",
        address_country: &a.country,
        address_locality: &a.locality,
        address_region: &a.region,
        postal_code: &a.postal_code,
        street_address: &a.street,
    }
}

#[derive(Serialize)]
struct Geo {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

fn geo(s: &Space) -> Geo {
    Geo {
        kind: "GeoCoordinates",
        latitude: s.lat,
        longitude: s.lon,
    }
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    value: bool,
}

#[derive(Serialize)]
struct Offer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    price: f64,
    #[serde(rename = "priceCurrency")]
    price_currency: &'a str,
    #[serde(rename = "priceSpecification")]
    price_specification: PriceSpec<'a>,
}

#[derive(Serialize)]
struct PriceSpec<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    price: f64,
    #[serde(rename = "priceCurrency")]
    price_currency: &'a str,
    #[serde(rename = "unitCode")]
    unit_code: &'static str,
}

#[derive(Serialize)]
struct Event<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "endDate")]
    end_date: String,
    #[serde(rename = "eventAttendanceMode")]
    event_attendance_mode: &'static str,
    #[serde(rename = "eventStatus")]
    event_status: &'static str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(
        rename = "isAccessibleForFree",
        skip_serializing_if = "Option::is_none"
    )]
    is_accessible_for_free: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<&'a str>,
    location: &'a Location<'a>,
    #[serde(
        rename = "maximumAttendeeCapacity",
        skip_serializing_if = "Option::is_none"
    )]
    maximum_attendee_capacity: Option<u32>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    offers: Option<FreeOffer<'a>>,
    organizer: Named<'a>,
    #[serde(rename = "startDate")]
    start_date: String,
    url: &'a str,
}

#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<Event<'a>>,
}

/// A `Place` or a `VirtualLocation`.
#[derive(Serialize)]
struct Location<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<PostalAddress<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<Geo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct FreeOffer<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    price: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct GovernmentService<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "areaServed")]
    area_served: &'a str,
    #[serde(rename = "availableChannel", skip_serializing_if = "Vec::is_empty")]
    available_channel: Vec<ServiceChannel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    name: &'a str,
    provider: Named<'a>,
    #[serde(rename = "serviceType")]
    service_type: Vec<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct ServiceChannel<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "serviceLocation")]
    service_location: Location<'a>,
}

#[derive(Serialize)]
struct HoursSpec<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    closes: &'a str,
    #[serde(rename = "dayOfWeek")]
    day_of_week: Vec<&'static str>,
    opens: &'a str,
}

/// `Some` of a non-empty text.
fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl<'a> Ld<'a> {
    fn url(&self, parts: &[&str]) -> String {
        let mut u = String::with_capacity(self.base.len() + 48);
        u.push_str(self.base);
        parts.iter().for_each(|p| u.push_str(p));
        u
    }

    fn t(&self, key: &'static str) -> &'a str {
        self.t.get(key).map_or(key, String::as_str)
    }

    fn space(&self, i: usize) -> LocalBusiness<'a> {
        let s: &'a Space = &self.site.spaces[i];
        let url = self.url(&["spaces/", s.slug.as_str(), "/"]);
        let description = s
            .summary
            .clone()
            .unwrap_or_else(|| markdown::excerpt(&s.body, 300));
        // The site's amenities that the space has, in the site's order.
        let mut has: Vec<usize> = s
            .amenities
            .iter()
            .filter_map(|a| {
                let k = self
                    .amenity_of
                    .binary_search_by(|(id, _)| (*id).cmp(a.as_str()))
                    .ok()?;
                Some(self.amenity_of[k].1)
            })
            .collect();
        has.sort_unstable();
        has.dedup();
        let mut features: Vec<Feature> = has
            .into_iter()
            .map(|a| Feature {
                kind: "LocationFeatureSpecification",
                name: &self.site.amenities[a].name,
                value: true,
            })
            .collect();
        if let Some(acc) = &s.accessibility {
            for (key, v) in [
                ("step_free", acc.step_free),
                ("accessible_washroom", acc.accessible_washroom),
                ("hearing_loop", acc.hearing_loop),
                ("quiet_room", acc.quiet_room),
            ] {
                if let Some(v) = v {
                    features.push(Feature {
                        kind: "LocationFeatureSpecification",
                        name: self.t(key),
                        value: v,
                    });
                }
            }
        }
        LocalBusiness {
            context: CONTEXT,
            id: format!("{url}#space"),
            kind: "LocalBusiness",
            address: address(&s.address),
            amenity_feature: features,
            description: non_empty(description),
            email: s.email.as_deref(),
            geo: geo(s),
            image: s.images.iter().map(|im| self.url(&[&im.src])).collect(),
            knows_language: &s.languages,
            makes_offer: s
                .plans
                .iter()
                .map(|p| {
                    let unit = match p.period {
                        BillingPeriod::Day => "DAY",
                        BillingPeriod::Week => "WEE",
                        BillingPeriod::Month => "MON",
                        BillingPeriod::Year => "ANN",
                    };
                    Offer {
                        kind: "Offer",
                        name: &p.name,
                        price: p.price,
                        price_currency: &p.currency,
                        price_specification: PriceSpec {
                            kind: "UnitPriceSpecification",
                            price: p.price,
                            price_currency: &p.currency,
                            unit_code: unit,
                        },
                    }
                })
                .collect(),
            maximum_attendee_capacity: s.capacity,
            name: &s.name,
            opening_hours_specification: s.opening_hours.as_deref().and_then(hours_specs),
            public_access: s.drop_in,
            same_as: s.website.as_ref().map(|u| u.as_str()),
            telephone: s.phone.as_deref(),
            url,
        }
    }

    /// The session's JSON-LD, escaped: one `Event`, or a `@graph` of one per date.
    fn session(&self, i: usize, scratch: &mut Vec<u8>) -> String {
        let s: &'a Session = &self.site.sessions[i];
        let url = self.url(&["sessions/", s.slug.as_str(), "/"]);
        let description = non_empty(markdown::excerpt(&s.body, 300));
        let keywords = (!s.topics.is_empty()).then(|| s.topics.join(", "));
        let (mode, location) = match &s.venue {
            Venue::Space(slug) => (
                "https://schema.org/OfflineEventAttendanceMode",
                match self.space_of.get(slug.as_str()) {
                    Some(&si) => {
                        let sp = &self.site.spaces[si];
                        Location {
                            kind: "Place",
                            address: Some(address(&sp.address)),
                            geo: Some(geo(sp)),
                            name: Some(&sp.name),
                            url: Some(self.url(&["spaces/", slug.as_str(), "/"])),
                        }
                    }
                    None => Location {
                        kind: "Place",
                        address: None,
                        geo: None,
                        name: Some(slug.as_str()),
                        url: None,
                    },
                },
            ),
            Venue::Online(u) => (
                "https://schema.org/OnlineEventAttendanceMode",
                Location {
                    kind: "VirtualLocation",
                    address: None,
                    geo: None,
                    name: None,
                    url: Some(u.to_string()),
                },
            ),
        };
        let event = |occ: &Occurrence, context: Option<&'static str>| {
            let stamp = |t: jiff::Timestamp| {
                t.to_zoned_datetime(s.time_zone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            };
            Event {
                context,
                id: if s.repeat.is_some() {
                    format!("{url}#{}", occ.date)
                } else {
                    format!("{url}#event")
                },
                kind: "Event",
                description: description.as_deref(),
                end_date: stamp(occ.end_at),
                event_attendance_mode: mode,
                event_status: match occ.status {
                    SessionStatus::Scheduled => "https://schema.org/EventScheduled",
                    SessionStatus::Cancelled => "https://schema.org/EventCancelled",
                    SessionStatus::Postponed => "https://schema.org/EventPostponed",
                },
                in_language: &s.language,
                is_accessible_for_free: s.free,
                keywords: keywords.as_deref(),
                location: &location,
                maximum_attendee_capacity: s.capacity,
                name: &s.title,
                offers: (s.free == Some(true)).then(|| FreeOffer {
                    kind: "Offer",
                    price: 0,
                    url: s.registration.as_ref().map(|u| u.as_str()),
                }),
                organizer: Named {
                    kind: "GovernmentOrganization",
                    name: &s.host_body,
                },
                start_date: stamp(occ.start_at),
                url: &url,
            }
        };
        if s.repeat.is_none() {
            let occ = &s.occurrences[0];
            return script_json_in(&event(occ, Some(CONTEXT)), scratch);
        }
        script_json_in(
            &Graph {
                context: CONTEXT,
                graph: s.occurrences.iter().map(|o| event(o, None)).collect(),
            },
            scratch,
        )
    }

    fn partnership(&self, i: usize) -> GovernmentService<'a> {
        let p: &'a Partnership = &self.site.partnerships[i];
        let url = self.url(&["partnerships/", p.slug.as_str(), "/"]);
        let description = p
            .summary
            .clone()
            .unwrap_or_else(|| markdown::excerpt(&p.body, 300));
        GovernmentService {
            context: CONTEXT,
            id: format!("{url}#partnership"),
            kind: "GovernmentService",
            area_served: &p.jurisdiction,
            // Participating spaces, in the directory's neutral order (no positions).
            available_channel: self.idx.partnership_spaces[i]
                .iter()
                .map(|&si| {
                    let sp = &self.site.spaces[si];
                    ServiceChannel {
                        kind: "ServiceChannel",
                        service_location: Location {
                            kind: "Place",
                            address: Some(address(&sp.address)),
                            geo: None,
                            name: Some(&sp.name),
                            url: Some(self.url(&["spaces/", sp.slug.as_str(), "/"])),
                        },
                    }
                })
                .collect(),
            description: non_empty(description),
            name: &p.name,
            provider: Named {
                kind: match p.government_level {
                    GovernmentLevel::Other => "Organization",
                    _ => "GovernmentOrganization",
                },
                name: &p.government_name,
            },
            service_type: p.kinds.iter().map(|k| self.t(k.label_key())).collect(),
            url,
        }
    }
}

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const DAY_URLS: [&str; 7] = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
];

/// `openingHoursSpecification` for simple weekly OSM opening hours: rules of weekdays
/// (`Mo`, `Mo-Fr`, `Sa,Su`) followed by time ranges (`08:00-18:00`, several with commas)
/// or `off`; a later rule replaces the hours of the days it names, as in OSM; `PH off`
/// is accepted (it says nothing about ordinary weeks). Anything else (months, week
/// numbers, holidays with hours, times past midnight, `24/7`, comments) gives `None`.
pub fn opening_hours(text: &str) -> Option<Value> {
    hours_specs(text).and_then(|specs| serde_json::to_value(specs).ok())
}

/// [`opening_hours`], as the shape the page's JSON-LD serializes.
fn hours_specs(text: &str) -> Option<Vec<HoursSpec<'_>>> {
    let mut week: [Vec<(&str, &str)>; 7] = Default::default();
    for rule in text.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let (days, hours) = rule.split_once(char::is_whitespace)?;
        let hours = hours.trim();
        if days == "PH" {
            if matches!(hours, "off" | "closed") {
                continue;
            }
            return None;
        }
        let mut selected = [false; 7];
        for part in days.split(',') {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let a = DAYS.iter().position(|d| *d == a)?;
            let b = DAYS.iter().position(|d| *d == b)?;
            let mut d = a;
            loop {
                selected[d] = true;
                if d == b {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        let ranges = if matches!(hours, "off" | "closed") {
            Vec::new()
        } else {
            hours
                .split(',')
                .map(|r| {
                    let (o, c) = r.trim().split_once('-')?;
                    let ok = |t: &str| {
                        let (h, m) = t.split_once(':')?;
                        let (h, m) = (h.parse::<u8>().ok()?, m.parse::<u8>().ok()?);
                        (h < 24 && m < 60 && t.len() == 5).then_some((h, m))
                    };
                    (ok(o)? < ok(c)?).then_some((o, c))
                })
                .collect::<Option<Vec<_>>>()?
        };
        for (d, on) in selected.iter().enumerate() {
            if *on {
                week[d] = ranges.clone();
            }
        }
    }
    // One specification per distinct range, listing its days, in weekday order.
    let mut specs: Vec<((&str, &str), Vec<usize>)> = Vec::new();
    for (d, ranges) in week.iter().enumerate() {
        for r in ranges {
            match specs.iter_mut().find(|(k, _)| k == r) {
                Some((_, days)) => days.push(d),
                None => specs.push((*r, vec![d])),
            }
        }
    }
    if specs.is_empty() {
        return None;
    }
    Some(
        specs
            .into_iter()
            .map(|((opens, closes), days)| HoursSpec {
                kind: "OpeningHoursSpecification",
                closes,
                day_of_week: days.iter().map(|&d| DAY_URLS[d]).collect(),
                opens,
            })
            .collect(),
    )
}

impl<'a> Ld<'a> {
    /// The JSON-LD of the `i`th page of `kind`, escaped for a `<script>` element.
    fn json(&self, kind: Kind, i: usize, scratch: &mut Vec<u8>) -> String {
        match kind {
            Kind::Space => script_json_in(&self.space(i), scratch),
            Kind::Session => self.session(i, scratch),
            Kind::Partnership => script_json_in(&self.partnership(i), scratch),
        }
    }

    fn new(site: &'a Site, idx: &'a Index, t: &'a BTreeMap<String, String>) -> Self {
        Ld {
            site,
            idx,
            t,
            base: site.config.base_url.as_str(),
            space_of: crate::model::positions(&site.spaces, |s| s.slug.as_str()),
            amenity_of: {
                let mut ids: Vec<(&str, usize)> =
                    crate::model::positions(&site.amenities, |a| a.id.as_str());
                ids.sort_unstable();
                ids
            },
        }
    }
}

/// [`all`] for the given output paths only: what the preview server's first pass needs
/// for the few pages it renders before the rest of the site.
pub fn some(
    site: &Site,
    idx: &Index,
    t: &BTreeMap<String, String>,
    paths: &std::collections::BTreeSet<String>,
) -> BTreeMap<String, String> {
    let ld = Ld::new(site, idx, t);
    let mut scratch = Vec::new();
    let mut out = BTreeMap::new();
    for path in paths {
        let Some(folder) = path.strip_suffix("/index.html") else {
            continue;
        };
        let found = Kind::ALL.into_iter().find_map(|kind| {
            let slug = folder.strip_prefix(kind.folder())?;
            let i = match kind {
                Kind::Space => ld.space_of.get(slug).copied(),
                Kind::Session => site.sessions.iter().position(|s| s.slug.as_str() == slug),
                Kind::Partnership => site
                    .partnerships
                    .iter()
                    .position(|p| p.slug.as_str() == slug),
            }?;
            Some(ld.json(kind, i, &mut scratch))
        });
        if let Some(json) = found {
            out.insert(path.clone(), json);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This JSON was first built as `serde_json::Value`, whose objects print their keys
    /// sorted; the typed shapes must print the same bytes.
    fn assert_value_order<T: Serialize>(x: &T) {
        let direct = serde_json::to_string(x).unwrap();
        let value = serde_json::to_value(x).unwrap();
        assert_eq!(direct, serde_json::to_string(&value).unwrap());
    }

    #[test]
    fn script_json_escapes_as_the_shared_one() {
        for v in [
            "plain",
            "</script><script>alert(1)</script>&",
            "a > b",
            "é",
            "\\<\"&\n>",
            "<<&&>>",
        ] {
            assert_eq!(script_json(&v), super::super::script_json(&v), "{v}");
        }
    }

    #[test]
    fn shapes_print_keys_in_value_order() {
        let addr = Address {
            street: "1 Main St".into(),
            locality: "Town".into(),
            region: "Province".into(),
            postal_code: "A1A 1A1".into(),
            country: "CA".into(),
        };
        let languages = vec!["en".to_owned(), "fr".to_owned()];
        let place = || Location {
            kind: "Place",
            address: Some(address(&addr)),
            geo: Some(Geo {
                kind: "GeoCoordinates",
                latitude: 1.0,
                longitude: 2.5,
            }),
            name: Some("N"),
            url: Some("https://x/".into()),
        };
        assert_value_order(&LocalBusiness {
            context: CONTEXT,
            id: "i".into(),
            kind: "LocalBusiness",
            address: address(&addr),
            amenity_feature: vec![Feature {
                kind: "LocationFeatureSpecification",
                name: "Wi-Fi",
                value: true,
            }],
            description: Some("d".into()),
            email: Some("e"),
            geo: Geo {
                kind: "GeoCoordinates",
                latitude: 1.0,
                longitude: 2.0,
            },
            image: vec!["https://x/a.jpg".into()],
            knows_language: &languages,
            makes_offer: vec![Offer {
                kind: "Offer",
                name: "Day",
                price: 20.0,
                price_currency: "CAD",
                price_specification: PriceSpec {
                    kind: "UnitPriceSpecification",
                    price: 20.0,
                    price_currency: "CAD",
                    unit_code: "DAY",
                },
            }],
            maximum_attendee_capacity: Some(4),
            name: "n",
            opening_hours_specification: hours_specs("Mo-Fr 08:00-17:00; Sa 10:00-12:00"),
            public_access: true,
            same_as: Some("https://s/"),
            telephone: Some("1"),
            url: "u".into(),
        });
        let location = place();
        let event = |context| Event {
            context,
            id: "i".into(),
            kind: "Event",
            description: Some("d"),
            end_date: "e".into(),
            event_attendance_mode: "m",
            event_status: "s",
            in_language: "en",
            is_accessible_for_free: Some(true),
            keywords: Some("k"),
            location: &location,
            maximum_attendee_capacity: Some(3),
            name: "n",
            offers: Some(FreeOffer {
                kind: "Offer",
                price: 0,
                url: Some("https://r/"),
            }),
            organizer: Named {
                kind: "GovernmentOrganization",
                name: "G",
            },
            start_date: "s".into(),
            url: "u",
        };
        assert_value_order(&event(Some(CONTEXT)));
        assert_value_order(&Graph {
            context: CONTEXT,
            graph: vec![event(None), event(None)],
        });
        assert_value_order(&GovernmentService {
            context: CONTEXT,
            id: "i".into(),
            kind: "GovernmentService",
            area_served: "PE",
            available_channel: vec![ServiceChannel {
                kind: "ServiceChannel",
                service_location: place(),
            }],
            description: Some("d".into()),
            name: "n",
            provider: Named {
                kind: "Organization",
                name: "P",
            },
            service_type: vec!["Memberships"],
            url: "u".into(),
        });
    }

    #[test]
    fn simple_weekly_hours_convert_and_later_rules_override() {
        let v = opening_hours("Mo-Fr 08:30-17:00; We 08:30-20:00; Sa 10:00-14:00; PH off").unwrap();
        let specs = v.as_array().unwrap();
        assert_eq!(specs.len(), 3);
        assert_eq!(specs[0]["opens"], "08:30");
        assert_eq!(specs[0]["closes"], "17:00");
        assert_eq!(
            specs[0]["dayOfWeek"].as_array().unwrap().len(),
            4,
            "Wednesday has its own hours"
        );
        assert_eq!(specs[1]["closes"], "20:00");
        assert_eq!(specs[2]["dayOfWeek"][0], "https://schema.org/Saturday");
    }

    #[test]
    fn anything_not_simple_is_left_out() {
        for text in [
            "Mo-Fr 08:00-17:00; Jun-Sep Sa 09:00-15:00",
            "Mo-Fr 07:30-20:00; PH 10:00-16:00",
            "24/7",
            "Mo-Fr 22:00-02:00",
            "Mo-Fr 08:00-24:00",
            "Su off",
        ] {
            assert_eq!(opening_hours(text), None, "{text}");
        }
        assert!(opening_hours("Mo-Fr 08:00-17:00; Sa 09:00-15:00; Su off").is_some());
        assert!(opening_hours("Sa,Su 09:00-12:00,13:00-17:00").is_some());
    }
}
