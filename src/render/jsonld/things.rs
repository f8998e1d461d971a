//! How each thing becomes its schema.org shape: a space, a session (one `Event` per
//! date), a partnership. The shapes themselves are declared in [`super`]; opening hours
//! are turned into `openingHoursSpecification` by [`super::hours`].

use super::hours::hours_specs;
use super::*;

use crate::urls::Kind as Record;

impl<'a> Ld<'a> {
    fn t(&self, key: &'static str) -> &'a str {
        self.t.get(key).map_or(key, String::as_str)
    }

    fn space(&self, i: usize) -> LocalBusiness<'a> {
        let s: &'a Space = &self.site.spaces[i];
        let url = self.urls.record_absolute(Record::Space, s.slug.as_str());
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
            image: s
                .images
                .iter()
                .map(|im| self.urls.absolute(&im.src))
                .collect(),
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
        let url = self.urls.record_absolute(Record::Session, s.slug.as_str());
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
                            url: Some(self.urls.record_absolute(Record::Space, slug.as_str())),
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
        let url = self
            .urls
            .record_absolute(Record::Partnership, p.slug.as_str());
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
                            url: Some(self.urls.record_absolute(Record::Space, sp.slug.as_str())),
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

impl<'a> Ld<'a> {
    /// The JSON-LD of the `i`th page of `kind`, escaped for a `<script>` element.
    pub(super) fn json(&self, kind: Kind, i: usize, scratch: &mut Vec<u8>) -> String {
        match kind {
            Kind::Space => script_json_in(&self.space(i), scratch),
            Kind::Session => self.session(i, scratch),
            Kind::Partnership => script_json_in(&self.partnership(i), scratch),
        }
    }

    pub(super) fn new(
        site: &'a Site,
        idx: &'a Index,
        t: &'a BTreeMap<String, String>,
        urls: &'a Urls,
    ) -> Self {
        Ld {
            site,
            idx,
            t,
            urls,
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
