//! Model → view structs: formatting of dates, prices, labels, and the links between pages.
//!
//! All text a person reads comes from the theme's strings, so a French strings file
//! gives French dates and labels. Every card is built by [`Fmt::card`] from the same
//! fields for every space: what a space did not give shows as the "not given" string,
//! never as a missing element.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::markdown::{self, EXCERPT_CHARS};
use super::view::*;
use crate::index::{Index, Occ};
use crate::locale::Locale;
use crate::model::*;
use crate::urls::{self, Kind, Urls};

pub(crate) struct Fmt<'a> {
    site: &'a Site,
    idx: &'a Index,
    /// The site's links and URLs, made once per render from `base_url`.
    urls: Urls,
    locale: Locale<'a>,
    region_names: BTreeMap<&'a str, &'a str>,
    space_index: BTreeMap<&'a str, usize>,
    /// Amenity id → its place in the vocabulary.
    amenity_index: BTreeMap<&'a str, usize>,
    /// For each category of the vocabulary, in its order: its amenities' places in the
    /// vocabulary, in order.
    category_amenities: Vec<Vec<usize>>,
}

impl<'a> Fmt<'a> {
    pub(crate) fn new(site: &'a Site, idx: &'a Index, t: &'a BTreeMap<String, String>) -> Self {
        Fmt {
            site,
            idx,
            urls: Urls::new(&site.config.base_url),
            locale: Locale::new(t),
            region_names: site
                .regions
                .iter()
                .map(|r| (r.id.as_str(), r.name.as_str()))
                .collect(),
            space_index: crate::model::positions(&site.spaces, |s| s.slug.as_str()),
            amenity_index: crate::model::positions(&site.amenities, |a| a.id.as_str()),
            category_amenities: site
                .categories
                .iter()
                .map(|cat| {
                    (site.amenities.iter().enumerate())
                        .filter(|(_, am)| am.category == cat.id)
                        .map(|(i, _)| i)
                        .collect()
                })
                .collect(),
        }
    }

    /// Where the site's pages and files are published (see [`crate::urls`]).
    pub(crate) fn urls(&self) -> &Urls {
        &self.urls
    }

    /// The site's language, for what needs words but no views (see [`crate::locale`]).
    pub(crate) fn locale(&self) -> &Locale<'a> {
        &self.locale
    }

    /// A UI string, or its key when the theme lacks it (visible, so it gets fixed).
    pub(crate) fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    pub(crate) fn date(&self, d: Date) -> String {
        self.locale.date(d)
    }

    fn weekday(&self, d: Date) -> String {
        self.t(&format!("weekday_{}", d.weekday().to_monday_one_offset()))
    }

    pub(crate) fn money(&self, amount: f64, currency: &str) -> String {
        self.locale.money(amount, currency)
    }

    pub(crate) fn language_name(code: &str) -> String {
        Locale::language_name(code)
    }

    pub(crate) fn home_link(&self) -> Link {
        Link {
            title: self.t("home"),
            url: self.urls.href(""),
        }
    }

    /// The link to the section page of `kind` (`/spaces/`), titled by its name.
    pub(crate) fn section_link(&self, kind: Kind) -> Link {
        Link {
            title: self.t(section_name(kind)),
            url: self.urls.href(kind.folder()),
        }
    }

    /// The head of the page at `url`, a folder relative to the site root (`spaces/x/`,
    /// `""` for the home page) or a file (`404.html`).
    pub(crate) fn meta(
        &self,
        url: &str,
        title: &str,
        description: &str,
        section: &str,
        breadcrumbs: Vec<Link>,
    ) -> PageMeta {
        PageMeta {
            title: title.to_owned(),
            description: markdown::truncate(description, 200),
            canonical: self.urls.absolute(url),
            url: self.urls.href(url),
            og_type: if section == "home" || url.matches('/').count() <= 1 {
                "website"
            } else {
                "article"
            }
            .into(),
            section: section.to_owned(),
            breadcrumbs,
            jsonld_html: None,
        }
    }

    pub(crate) fn site_view(&self, stylesheet: String, neutral_script: String) -> SiteView {
        let c = &self.site.config;
        let mut menu: Vec<(u32, Link)> = self
            .site
            .pages
            .iter()
            .filter_map(|p| {
                p.menu.map(|m| {
                    (
                        m,
                        Link {
                            title: p.title.clone(),
                            url: self.urls.record(Kind::Page, p.slug.as_str()),
                        },
                    )
                })
            })
            .collect();
        menu.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.url.cmp(&b.1.url)));
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: self.urls.base().to_owned(),
            root: self.urls.root().to_owned(),
            language: c.language.clone(),
            publisher: c.publisher.clone(),
            licence: c.licence.clone(),
            menu: menu.into_iter().map(|(_, l)| l).collect(),
            build_date: self.date(self.idx.order_date),
            build_date_iso: self.idx.order_date.to_string(),
            order_policy: c.listing.order.as_str().into(),
            order_seed: self.idx.order_seed,
            stylesheet,
            neutral_script,
        }
    }

    fn status_label(&self, s: SpaceStatus) -> (String, String) {
        let key = match s {
            SpaceStatus::Active => "active",
            SpaceStatus::TemporarilyClosed => "temporarily-closed",
            SpaceStatus::Closed => "closed",
        };
        (
            key.into(),
            self.t(&format!("status_{}", key.replace('-', "_"))),
        )
    }

    pub(crate) fn card(&self, s: &Space) -> CardView {
        let region_name = self
            .region_names
            .get(s.region.as_str())
            .copied()
            .unwrap_or(s.region.as_str());
        let (status, status_label) = self.status_label(s.status);
        let excerpt = match &s.summary {
            Some(sum) => markdown::truncate(sum, EXCERPT_CHARS),
            None => markdown::excerpt(&s.body, EXCERPT_CHARS),
        };
        let not_given = self.t("not_given");
        let day = s
            .plans
            .iter()
            .filter(|p| p.period == BillingPeriod::Day)
            .min_by(|a, b| a.price.total_cmp(&b.price));
        CardView {
            slug: s.slug.to_string(),
            url: self.urls.record(Kind::Space, s.slug.as_str()),
            name: s.name.clone(),
            place: format!("{}, {}", s.address.locality, region_name),
            region_name: region_name.to_owned(),
            region_url: self.urls.record(Kind::Region, s.region.as_str()),
            status,
            status_label,
            excerpt,
            capacity: s
                .capacity
                .map_or(not_given.clone(), |c| format!("{c} {}", self.t("people"))),
            day_price: day.map_or(not_given.clone(), |p| {
                format!(
                    "{} {}",
                    self.money(p.price, &p.currency),
                    self.t("day_suffix")
                )
            }),
            languages: if s.languages.is_empty() {
                not_given
            } else {
                s.languages
                    .iter()
                    .map(|l| Self::language_name(l))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            amenity_count: s.amenities.len(),
        }
    }

    fn period(&self, p: BillingPeriod) -> String {
        self.t(match p {
            BillingPeriod::Day => "per_day",
            BillingPeriod::Week => "per_week",
            BillingPeriod::Month => "per_month",
            BillingPeriod::Year => "per_year",
        })
    }

    fn yes_no(&self, v: Option<bool>) -> (String, String) {
        match v {
            Some(true) => ("yes".into(), self.t("yes")),
            Some(false) => ("no".into(), self.t("no")),
            None => ("unknown".into(), self.t("unknown")),
        }
    }

    pub(crate) fn space(&self, i: usize, card: CardView) -> SpaceView {
        let s = &self.site.spaces[i];
        let a = s.accessibility.as_ref();
        let facts = [
            ("step_free", a.and_then(|a| a.step_free)),
            ("accessible_washroom", a.and_then(|a| a.accessible_washroom)),
            ("hearing_loop", a.and_then(|a| a.hearing_loop)),
            ("quiet_room", a.and_then(|a| a.quiet_room)),
        ];
        // Amenities grouped by category, in the vocabulary's order (which of them the
        // space has, looked up once: comparing every pair was most of this function).
        let mut has = vec![false; self.site.amenities.len()];
        for id in &s.amenities {
            if let Some(&i) = self.amenity_index.get(id.as_str()) {
                has[i] = true;
            }
        }
        let mut groups: Vec<AmenityGroup> = Vec::new();
        for (cat, members) in self.site.categories.iter().zip(&self.category_amenities) {
            let amenities: Vec<Link> = members
                .iter()
                .filter(|&&i| has[i])
                .map(|&i| {
                    let am = &self.site.amenities[i];
                    Link {
                        title: am.name.clone(),
                        url: self.urls.record(Kind::Amenity, am.id.as_str()),
                    }
                })
                .collect();
            if !amenities.is_empty() {
                groups.push(AmenityGroup {
                    category: cat.name.clone(),
                    amenities,
                });
            }
        }
        let phone_url = s.phone.as_ref().map(|p| {
            let digits: String = p
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            format!("tel:{digits}")
        });
        SpaceView {
            summary: s.summary.clone(),
            address_lines: vec![
                s.address.street.clone(),
                format!(
                    "{}, {} {}",
                    s.address.locality, s.address.region, s.address.postal_code
                ),
                s.address.country.clone(),
            ],
            lat: s.lat,
            lon: s.lon,
            map_url: format!(
                "https://www.openstreetmap.org/?mlat={:.5}&mlon={:.5}#map=17/{:.5}/{:.5}",
                s.lat, s.lon, s.lat, s.lon
            ),
            website: s.website.as_ref().map(|u| u.to_string()),
            website_label: s.website.as_ref().and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_owned())
            }),
            email: s.email.clone(),
            email_url: s.email.as_ref().map(|e| format!("mailto:{e}")),
            phone: s.phone.clone(),
            phone_url,
            opening_hours: s.opening_hours.clone(),
            amenity_groups: groups,
            plans: s
                .plans
                .iter()
                .map(|p| PlanView {
                    name: p.name.clone(),
                    price: self.money(p.price, &p.currency),
                    period: self.period(p.period),
                })
                .collect(),
            accessibility: facts
                .iter()
                .map(|(key, v)| {
                    let (value, value_label) = self.yes_no(*v);
                    AccessFact {
                        label: self.t(key),
                        value,
                        value_label,
                    }
                })
                .collect(),
            accessibility_notes: a.and_then(|a| a.notes.clone()),
            accessibility_given: a.is_some(),
            government_members_welcome: s.government_members_welcome,
            drop_in: s.drop_in,
            images: s
                .images
                .iter()
                .map(|im| ImageView {
                    src: self.urls.href(&im.src),
                    alt: im.alt.clone(),
                    width: im.width,
                    height: im.height,
                })
                .collect(),
            last_verified: self.date(s.last_verified),
            last_verified_iso: s.last_verified.to_string(),
            body_html: markdown::to_html_at(&s.body, 3, self.urls.root()).into(),
            upcoming_sessions: self.occurrence_items(&self.idx.space_sessions[i]).0,
            partnerships: self.idx.space_partnerships[i]
                .iter()
                .map(|&p| {
                    let p = &self.site.partnerships[p];
                    Link {
                        title: p.name.clone(),
                        url: self.urls.record(Kind::Partnership, p.slug.as_str()),
                    }
                })
                .collect(),
            listed: !self.idx.excluded.iter().any(|e| e.space == i),
            not_listed_reasons: super::reasons::reasons_of(&self.locale, self.site, self.idx, i),
            card,
        }
    }

    /// A session as lists show it, at the date its page leads with (the next one).
    pub(crate) fn session_item(&self, i: usize) -> SessionItem {
        self.occurrence_item(self.idx.current_occurrence(self.site, i))
    }

    /// The dates of `sessions` as list items: (upcoming soonest first, past latest first).
    pub(crate) fn occurrence_items(
        &self,
        sessions: &[usize],
    ) -> (Vec<SessionItem>, Vec<SessionItem>) {
        let (up, past) = self.idx.occurrences(self.site, sessions);
        let items = |v: Vec<Occ>| v.into_iter().map(|o| self.occurrence_item(o)).collect();
        (items(up), items(past))
    }

    /// One date of a session as lists show it.
    pub(crate) fn occurrence_item(&self, o: Occ) -> SessionItem {
        let s = &self.site.sessions[o.session];
        let occ = o.get(self.site);
        let start = occ.start_at.to_zoned_datetime(s.time_zone.clone());
        let end = occ.end_at.to_zoned_datetime(s.time_zone.clone());
        let abbr = start.strftime("%Z").to_string();
        let date = start.date();
        let when = if end.date() == date {
            format!(
                "{} {}, {}–{} {abbr}",
                self.weekday(date),
                self.date(date),
                start.strftime("%H:%M"),
                end.strftime("%H:%M")
            )
        } else {
            format!(
                "{} {} {} – {} {} {} {abbr}",
                self.weekday(date),
                self.date(date),
                start.strftime("%H:%M"),
                self.weekday(end.date()),
                self.date(end.date()),
                end.strftime("%H:%M")
            )
        };
        let (venue, venue_url, online) = match &s.venue {
            Venue::Space(slug) => match self.space_index.get(slug.as_str()) {
                Some(&si) => (
                    self.site.spaces[si].name.clone(),
                    Some(self.urls.record(Kind::Space, slug.as_str())),
                    false,
                ),
                None => (slug.to_string(), None, false),
            },
            Venue::Online(_) => (self.t("online"), None, true),
        };
        let status = match occ.status {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::Postponed => "postponed",
        };
        SessionItem {
            url: self.urls.record(Kind::Session, s.slug.as_str()),
            title: s.title.clone(),
            when,
            start_iso: start.timestamp().to_string(),
            venue,
            venue_url,
            online,
            status: status.into(),
            status_label: self.t(&format!("session_{status}")),
            language: Self::language_name(&s.language),
        }
    }

    pub(crate) fn session(&self, i: usize) -> SessionView {
        let s = &self.site.sessions[i];
        let partnership = s.partnership.as_ref().and_then(|p| {
            self.site
                .partnerships
                .iter()
                .find(|x| &x.slug == p)
                .map(|x| Link {
                    title: x.name.clone(),
                    url: self.urls.record(Kind::Partnership, x.slug.as_str()),
                })
        });
        SessionView {
            item: self.session_item(i),
            time_zone: s.time_zone_name.clone(),
            online_url: match &s.venue {
                Venue::Online(u) => Some(u.to_string()),
                Venue::Space(_) => None,
            },
            partnership,
            host_body: s.host_body.clone(),
            host_role: s.host_role.clone(),
            topics: s.topics.clone(),
            capacity: s.capacity,
            registration: s.registration.as_ref().map(|u| u.to_string()),
            free: s.free,
            repeats: s.repeat.is_some(),
            occurrences: if s.repeat.is_some() {
                let (up, past) = self.occurrence_items(&[i]);
                past.into_iter().rev().chain(up).collect()
            } else {
                Vec::new()
            },
            ics_url: self
                .urls
                .href(&urls::calendar(Kind::Session, s.slug.as_str())),
            is_past: !self.idx.is_upcoming(self.site, i),
            body_html: markdown::to_html_at(&s.body, 3, self.urls.root()).into(),
        }
    }

    fn partnership_status(&self, s: PartnershipStatus) -> (String, String) {
        let key = match s {
            PartnershipStatus::Planned => "planned",
            PartnershipStatus::Active => "active",
            PartnershipStatus::Ended => "ended",
        };
        (key.into(), self.t(&format!("partnership_{key}")))
    }

    pub(crate) fn partnership(&self, i: usize, cards: Vec<CardHtml>) -> PartnershipView {
        let p = &self.site.partnerships[i];
        let (status, status_label) = self.partnership_status(p.status);
        let level = match p.government_level {
            GovernmentLevel::Municipal => "level_municipal",
            GovernmentLevel::Provincial => "level_provincial",
            GovernmentLevel::Federal => "level_federal",
            GovernmentLevel::Other => "level_other",
        };
        let (funding, funding_disclosed) = match &p.funding {
            Funding::None => (self.t("funding_none"), false),
            Funding::Disclosed {
                amount,
                currency,
                pays_for,
            } => (
                format!("{} — {pays_for}", self.money(*amount, currency)),
                true,
            ),
        };
        let (upcoming_sessions, past_sessions) =
            self.occurrence_items(&self.idx.partnership_sessions[i]);
        PartnershipView {
            slug: p.slug.to_string(),
            url: self.urls.record(Kind::Partnership, p.slug.as_str()),
            name: p.name.clone(),
            summary: p.summary.clone(),
            government_name: p.government_name.clone(),
            government_level: self.t(level),
            jurisdiction: p.jurisdiction.clone(),
            kinds: p.kinds.iter().map(|k| self.t(k.label_key())).collect(),
            status,
            status_label,
            start: self.date(p.start),
            end: p.end.map(|d| self.date(d)),
            open_to_all_eligible: p.open_to_all_eligible,
            eligibility: p.eligibility.clone(),
            funding,
            funding_disclosed,
            contact_name: p.contact.name.clone(),
            contact_email: p.contact.email.clone(),
            contact_email_url: p.contact.email.as_ref().map(|e| format!("mailto:{e}")),
            contact_phone: p.contact.phone.clone(),
            contact_phone_url: p.contact.phone.as_ref().map(|ph| {
                format!(
                    "tel:{}",
                    ph.chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+')
                        .collect::<String>()
                )
            }),
            contact_website: p.contact.website.clone(),
            body_html: markdown::to_html_at(&p.body, 3, self.urls.root()).into(),
            cards,
            upcoming_sessions,
            past_sessions,
        }
    }

    pub(crate) fn partnership_summaries(&self) -> Vec<PartnershipSummary> {
        self.site
            .partnerships
            .iter()
            .map(|p| PartnershipSummary {
                url: self.urls.record(Kind::Partnership, p.slug.as_str()),
                name: p.name.clone(),
                government_name: p.government_name.clone(),
                summary: p.summary.clone(),
                status: self.partnership_status(p.status).0,
                status_label: self.partnership_status(p.status).1,
            })
            .collect()
    }

    pub(crate) fn region_term(&self, r: &Region) -> TermView {
        TermView {
            id: r.id.to_string(),
            url: self.urls.record(Kind::Region, r.id.as_str()),
            name: r.name.clone(),
            description: r.description.clone(),
            kind: self.t(match r.kind {
                RegionKind::Urban => "urban",
                RegionKind::Rural => "rural",
            }),
            count: self.idx.by_region.get(r.id.as_str()).map_or(0, Vec::len),
        }
    }

    pub(crate) fn region_terms(&self) -> Vec<TermView> {
        self.site
            .regions
            .iter()
            .map(|r| self.region_term(r))
            .collect()
    }

    pub(crate) fn amenity_term(&self, a: &Amenity) -> TermView {
        let path = self.category_path(a.category.as_str());
        TermView {
            id: a.id.to_string(),
            url: self.urls.record(Kind::Amenity, a.id.as_str()),
            name: a.name.clone(),
            description: Some(a.description.clone()),
            kind: path.join(" › "),
            count: self.idx.by_amenity.get(a.id.as_str()).map_or(0, Vec::len),
        }
    }

    fn category_path(&self, id: &str) -> Vec<String> {
        let mut path = Vec::new();
        let mut cur = Some(id.to_owned());
        while let Some(c) = cur {
            let Some(cat) = self.site.categories.iter().find(|x| x.id.as_str() == c) else {
                break;
            };
            path.push(cat.name.clone());
            cur = cat.parent.as_ref().map(|p| p.to_string());
            if path.len() > self.site.categories.len() {
                break;
            }
        }
        path.reverse();
        path
    }

    pub(crate) fn categories(&self) -> Vec<CategoryView> {
        self.site
            .categories
            .iter()
            .map(|c| {
                let mut path = self.category_path(c.id.as_str());
                path.pop();
                CategoryView {
                    name: c.name.clone(),
                    path,
                    amenities: self
                        .site
                        .amenities
                        .iter()
                        .filter(|a| a.category == c.id)
                        .map(|a| self.amenity_term(a))
                        .collect(),
                }
            })
            .collect()
    }
}

/// The name of the section of `kind`'s pages (`page.section`, and the theme string of its
/// title): its folder's name, `spaces` for `spaces/`.
pub(crate) fn section_name(kind: Kind) -> &'static str {
    let f = kind.folder();
    f.strip_suffix('/').unwrap_or(f)
}
