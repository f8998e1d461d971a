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

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::markdown;
use crate::index::{Index, Occ};
use crate::model::*;

/// Output path of a page (`spaces/<slug>/index.html`) → its JSON-LD, escaped for a
/// `<script>` element.
pub fn all(site: &Site, idx: &Index, t: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let ld = Ld { site, idx, t };
    let mut out = BTreeMap::new();
    for (i, s) in site.spaces.iter().enumerate() {
        out.insert(
            format!("spaces/{}/index.html", s.slug),
            super::script_json(&ld.space(i)),
        );
    }
    for (i, s) in site.sessions.iter().enumerate() {
        out.insert(
            format!("sessions/{}/index.html", s.slug),
            super::script_json(&ld.session(i)),
        );
    }
    for (i, p) in site.partnerships.iter().enumerate() {
        out.insert(
            format!("partnerships/{}/index.html", p.slug),
            super::script_json(&ld.partnership(i)),
        );
    }
    out
}

struct Ld<'a> {
    site: &'a Site,
    idx: &'a Index,
    t: &'a BTreeMap<String, String>,
}

const CONTEXT: &str = "https://schema.org";

/// Inserts `value` under `key` unless it is `None`.
fn opt<T: Into<Value>>(m: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(v) = value {
        m.insert(key.to_owned(), v.into());
    }
}

fn address(a: &Address) -> Value {
    json!({
        "@type": "PostalAddress",
        "streetAddress": a.street,
        "addressLocality": a.locality,
        "addressRegion": a.region,
        "postalCode": a.postal_code,
        "addressCountry": a.country,
    })
}

impl Ld<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.site.config.base_url)
    }

    fn t(&self, key: &str) -> String {
        self.t.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    fn space(&self, i: usize) -> Value {
        let s = &self.site.spaces[i];
        let url = self.url(&format!("spaces/{}/", s.slug));
        let mut m = Map::new();
        m.insert("@context".into(), CONTEXT.into());
        m.insert("@type".into(), "LocalBusiness".into());
        m.insert("@id".into(), format!("{url}#space").into());
        m.insert("name".into(), s.name.clone().into());
        let description = s
            .summary
            .clone()
            .unwrap_or_else(|| markdown::excerpt(&s.body, 300));
        if !description.is_empty() {
            m.insert("description".into(), description.into());
        }
        m.insert("url".into(), url.into());
        opt(&mut m, "sameAs", s.website.as_ref().map(|u| u.to_string()));
        m.insert("address".into(), address(&s.address));
        m.insert(
            "geo".into(),
            json!({ "@type": "GeoCoordinates", "latitude": s.lat, "longitude": s.lon }),
        );
        opt(&mut m, "telephone", s.phone.clone());
        opt(&mut m, "email", s.email.clone());
        if !s.images.is_empty() {
            let images: Vec<Value> = s
                .images
                .iter()
                .map(|im| Value::from(self.url(&im.src)))
                .collect();
            m.insert("image".into(), images.into());
        }
        opt(
            &mut m,
            "openingHoursSpecification",
            s.opening_hours.as_deref().and_then(opening_hours),
        );
        let mut features: Vec<Value> = self
            .site
            .amenities
            .iter()
            .filter(|a| s.amenities.contains(&a.id))
            .map(|a| json!({ "@type": "LocationFeatureSpecification", "name": a.name, "value": true }))
            .collect();
        if let Some(acc) = &s.accessibility {
            for (key, v) in [
                ("step_free", acc.step_free),
                ("accessible_washroom", acc.accessible_washroom),
                ("hearing_loop", acc.hearing_loop),
                ("quiet_room", acc.quiet_room),
            ] {
                if let Some(v) = v {
                    features.push(json!({
                        "@type": "LocationFeatureSpecification",
                        "name": self.t(key),
                        "value": v,
                    }));
                }
            }
        }
        if !features.is_empty() {
            m.insert("amenityFeature".into(), features.into());
        }
        opt(&mut m, "maximumAttendeeCapacity", s.capacity);
        m.insert("publicAccess".into(), s.drop_in.into());
        if !s.languages.is_empty() {
            m.insert("knowsLanguage".into(), s.languages.clone().into());
        }
        let offers: Vec<Value> = s
            .plans
            .iter()
            .map(|p| {
                let unit = match p.period {
                    BillingPeriod::Day => "DAY",
                    BillingPeriod::Week => "WEE",
                    BillingPeriod::Month => "MON",
                    BillingPeriod::Year => "ANN",
                };
                json!({
                    "@type": "Offer",
                    "name": p.name,
                    "price": p.price,
                    "priceCurrency": p.currency,
                    "priceSpecification": {
                        "@type": "UnitPriceSpecification",
                        "price": p.price,
                        "priceCurrency": p.currency,
                        "unitCode": unit,
                    },
                })
            })
            .collect();
        if !offers.is_empty() {
            m.insert("makesOffer".into(), offers.into());
        }
        Value::Object(m)
    }

    fn session(&self, i: usize) -> Value {
        let s = &self.site.sessions[i];
        if s.repeat.is_none() {
            let mut ev = self.event(Occ {
                session: i,
                occurrence: 0,
            });
            if let Value::Object(m) = &mut ev {
                let mut with_ctx = Map::new();
                with_ctx.insert("@context".into(), CONTEXT.into());
                with_ctx.append(m);
                return Value::Object(with_ctx);
            }
            return ev;
        }
        let events: Vec<Value> = (0..s.occurrences.len())
            .map(|occurrence| {
                self.event(Occ {
                    session: i,
                    occurrence,
                })
            })
            .collect();
        json!({ "@context": CONTEXT, "@graph": events })
    }

    fn event(&self, o: Occ) -> Value {
        let s = &self.site.sessions[o.session];
        let occ = o.get(self.site);
        let url = self.url(&format!("sessions/{}/", s.slug));
        let stamp = |t: jiff::Timestamp| {
            t.to_zoned_datetime(s.time_zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        };
        let mut m = Map::new();
        m.insert("@type".into(), "Event".into());
        let id = if s.repeat.is_some() {
            format!("{url}#{}", occ.date)
        } else {
            format!("{url}#event")
        };
        m.insert("@id".into(), id.into());
        m.insert("name".into(), s.title.clone().into());
        let description = markdown::excerpt(&s.body, 300);
        if !description.is_empty() {
            m.insert("description".into(), description.into());
        }
        m.insert("url".into(), url.into());
        m.insert("startDate".into(), stamp(occ.start_at).into());
        m.insert("endDate".into(), stamp(occ.end_at).into());
        let status = match occ.status {
            SessionStatus::Scheduled => "EventScheduled",
            SessionStatus::Cancelled => "EventCancelled",
            SessionStatus::Postponed => "EventPostponed",
        };
        m.insert(
            "eventStatus".into(),
            format!("https://schema.org/{status}").into(),
        );
        let (mode, location) = match &s.venue {
            Venue::Space(slug) => {
                let place = match self.site.spaces.iter().find(|x| &x.slug == slug) {
                    Some(sp) => json!({
                        "@type": "Place",
                        "name": sp.name,
                        "url": self.url(&format!("spaces/{slug}/")),
                        "address": address(&sp.address),
                        "geo": { "@type": "GeoCoordinates", "latitude": sp.lat, "longitude": sp.lon },
                    }),
                    None => json!({ "@type": "Place", "name": slug.as_str() }),
                };
                ("OfflineEventAttendanceMode", place)
            }
            Venue::Online(u) => (
                "OnlineEventAttendanceMode",
                json!({ "@type": "VirtualLocation", "url": u.as_str() }),
            ),
        };
        m.insert(
            "eventAttendanceMode".into(),
            format!("https://schema.org/{mode}").into(),
        );
        m.insert("location".into(), location);
        m.insert(
            "organizer".into(),
            json!({ "@type": "GovernmentOrganization", "name": s.host_body }),
        );
        m.insert("inLanguage".into(), s.language.clone().into());
        opt(&mut m, "maximumAttendeeCapacity", s.capacity);
        if !s.topics.is_empty() {
            m.insert("keywords".into(), s.topics.join(", ").into());
        }
        opt(&mut m, "isAccessibleForFree", s.free);
        if s.free == Some(true) {
            let mut offer = Map::new();
            offer.insert("@type".into(), "Offer".into());
            offer.insert("price".into(), 0.into());
            opt(
                &mut offer,
                "url",
                s.registration.as_ref().map(|u| u.to_string()),
            );
            m.insert("offers".into(), Value::Object(offer));
        }
        Value::Object(m)
    }

    fn partnership(&self, i: usize) -> Value {
        let p = &self.site.partnerships[i];
        let url = self.url(&format!("partnerships/{}/", p.slug));
        let provider_type = match p.government_level {
            GovernmentLevel::Other => "Organization",
            _ => "GovernmentOrganization",
        };
        let mut m = Map::new();
        m.insert("@context".into(), CONTEXT.into());
        m.insert("@type".into(), "GovernmentService".into());
        m.insert("@id".into(), format!("{url}#partnership").into());
        m.insert("name".into(), p.name.clone().into());
        let description = p
            .summary
            .clone()
            .unwrap_or_else(|| markdown::excerpt(&p.body, 300));
        if !description.is_empty() {
            m.insert("description".into(), description.into());
        }
        m.insert("url".into(), url.into());
        m.insert(
            "provider".into(),
            json!({ "@type": provider_type, "name": p.government_name }),
        );
        m.insert("areaServed".into(), p.jurisdiction.clone().into());
        let kinds: Vec<Value> = p
            .kinds
            .iter()
            .map(|k| {
                Value::from(self.t(match k {
                    PartnershipKind::Memberships => "kind_memberships",
                    PartnershipKind::DropInAdvisors => "kind_drop_in_advisors",
                    PartnershipKind::InfoSessions => "kind_info_sessions",
                    PartnershipKind::Other => "kind_other",
                }))
            })
            .collect();
        m.insert("serviceType".into(), kinds.into());
        // Participating spaces, in the directory's neutral order (no positions).
        let places: Vec<Value> = self.idx.partnership_spaces[i]
            .iter()
            .map(|&si| {
                let sp = &self.site.spaces[si];
                json!({
                    "@type": "ServiceChannel",
                    "serviceLocation": {
                        "@type": "Place",
                        "name": sp.name,
                        "url": self.url(&format!("spaces/{}/", sp.slug)),
                        "address": address(&sp.address),
                    },
                })
            })
            .collect();
        if !places.is_empty() {
            m.insert("availableChannel".into(), places.into());
        }
        Value::Object(m)
    }
}

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `openingHoursSpecification` for simple weekly OSM opening hours: rules of weekdays
/// (`Mo`, `Mo-Fr`, `Sa,Su`) followed by time ranges (`08:00-18:00`, several with commas)
/// or `off`; a later rule replaces the hours of the days it names, as in OSM; `PH off`
/// is accepted (it says nothing about ordinary weeks). Anything else (months, week
/// numbers, holidays with hours, times past midnight, `24/7`, comments) gives `None`.
pub fn opening_hours(text: &str) -> Option<Value> {
    let mut week: [Vec<(String, String)>; 7] = Default::default();
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
                    (ok(o)? < ok(c)?).then(|| (o.to_owned(), c.to_owned()))
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
    let mut specs: Vec<((String, String), Vec<usize>)> = Vec::new();
    for (d, ranges) in week.iter().enumerate() {
        for r in ranges {
            match specs.iter_mut().find(|(k, _)| k == r) {
                Some((_, days)) => days.push(d),
                None => specs.push((r.clone(), vec![d])),
            }
        }
    }
    if specs.is_empty() {
        return None;
    }
    Some(Value::Array(
        specs
            .into_iter()
            .map(|((opens, closes), days)| {
                let days: Vec<String> = days
                    .iter()
                    .map(|&d| format!("https://schema.org/{}", DAY_NAMES[d]))
                    .collect();
                json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": days,
                    "opens": opens,
                    "closes": closes,
                })
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
