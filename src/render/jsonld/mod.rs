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
//! ordered. The JSON is escaped by [`super::escape::script_json`], so no text from content can
//! close the script element.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::markdown;
use crate::index::Index;
use crate::model::*;
use crate::urls::{self, Urls};

/// Output path of a page (`spaces/<slug>/index.html`) → its JSON-LD, escaped for a
/// `<script>` element.
pub(crate) fn all(
    site: &Site,
    idx: &Index,
    t: &BTreeMap<String, String>,
    urls: &Urls,
) -> BTreeMap<String, String> {
    let ld = Ld::new(site, idx, t, urls);
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
            |scratch, (kind, i, slug)| {
                (
                    urls::page_file(kind.record(), slug),
                    ld.json(kind, i, scratch),
                )
            },
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
    /// The kind of record whose pages these are.
    fn record(self) -> urls::Kind {
        match self {
            Kind::Space => urls::Kind::Space,
            Kind::Session => urls::Kind::Session,
            Kind::Partnership => urls::Kind::Partnership,
        }
    }

    /// The kind of `record`'s pages, if they carry JSON-LD.
    fn of(record: urls::Kind) -> Option<Self> {
        match record {
            urls::Kind::Space => Some(Kind::Space),
            urls::Kind::Session => Some(Kind::Session),
            urls::Kind::Partnership => Some(Kind::Partnership),
            _ => None,
        }
    }
}

/// JSON for a `<script>` element, exactly as [`super::escape::script_json`] writes it, with no
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
    urls: &'a Urls,
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

/// [`all`] for the given output paths only: what the preview server's first pass needs
/// for the few pages it renders before the rest of the site.
pub(crate) fn some(
    site: &Site,
    idx: &Index,
    t: &BTreeMap<String, String>,
    urls: &Urls,
    paths: &std::collections::BTreeSet<String>,
) -> BTreeMap<String, String> {
    let ld = Ld::new(site, idx, t, urls);
    let mut scratch = Vec::new();
    let mut out = BTreeMap::new();
    for path in paths {
        let Some((kind, slug)) =
            urls::record_of(path).and_then(|(record, slug)| Some((Kind::of(record)?, slug)))
        else {
            continue;
        };
        let found = match kind {
            Kind::Space => ld.space_of.get(slug).copied(),
            Kind::Session => site.sessions.iter().position(|s| s.slug.as_str() == slug),
            Kind::Partnership => site
                .partnerships
                .iter()
                .position(|p| p.slug.as_str() == slug),
        };
        if let Some(i) = found {
            out.insert(path.clone(), ld.json(kind, i, &mut scratch));
        }
    }
    out
}

/// The JSON-LD a render of `scope` needs: every page's for the whole site, the pages'
/// own for a first pass, and the first page of each kind with JSON-LD for a sample.
pub(crate) fn for_scope(
    site: &Site,
    idx: &Index,
    t: &BTreeMap<String, String>,
    urls: &Urls,
    scope: super::plan::Scope,
) -> BTreeMap<String, String> {
    match scope {
        super::plan::Scope::All => all(site, idx, t, urls),
        super::plan::Scope::Pages(pages) => some(site, idx, t, urls, pages),
        // The first page of each kind with JSON-LD is all a sample renders.
        super::plan::Scope::Sample => {
            let page = |kind, slug: &Slug| urls::page_file(kind, slug.as_str());
            let firsts = (site.spaces.first())
                .map(|s| page(urls::Kind::Space, &s.slug))
                .into_iter()
                .chain((site.sessions.first()).map(|s| page(urls::Kind::Session, &s.slug)))
                .chain((site.partnerships.first()).map(|p| page(urls::Kind::Partnership, &p.slug)))
                .collect();
            some(site, idx, t, urls, &firsts)
        }
    }
}

mod hours;
mod things;

#[cfg(test)]
use hours::opening_hours;

#[cfg(test)]
mod tests;
