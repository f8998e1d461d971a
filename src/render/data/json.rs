//! `/data/spaces.json`, `/data/sessions.json` and `/data/partnerships.json`: the items
//! of each envelope, straight from the model.

use super::*;

impl Data<'_> {
    pub(super) fn spaces(&self) -> Vec<SpaceItem<'_>> {
        let (base, urls) = (self.base(), self.urls);
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
                calendar: AsStr(urls.calendar_absolute_display(Record::Space, s.slug.as_str())),
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
                url: AsStr(urls.record_absolute_display(Record::Space, s.slug.as_str())),
                website: s.website.as_ref().map(|u| u.as_str()),
            })
            .collect()
    }

    pub(super) fn sessions(&self) -> Vec<SessionItem<'_>> {
        let urls = self.urls;
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
                    calendar: AsStr(
                        urls.calendar_absolute_display(Record::Session, s.slug.as_str()),
                    ),
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
                    url: AsStr(urls.record_absolute_display(Record::Session, s.slug.as_str())),
                    venue: match &s.venue {
                        Venue::Space(slug) => VenueItem::Space(slug),
                        Venue::Online(u) => VenueItem::Online(u.as_str()),
                    },
                }
            })
            .collect()
    }

    pub(super) fn partnerships(&self) -> Vec<Value> {
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
                    "url": self.urls.record_absolute(Record::Partnership, p.slug.as_str()),
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
                    "calendar": AsStr(
                        self.urls.calendar_absolute_display(Record::Partnership, p.slug.as_str())
                    ),
                    "description": p.body.trim(),
                })
            })
            .collect()
    }
}
