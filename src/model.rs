//! The validated directory: every id resolved, every URL parsed, every date a date.
//!
//! Nothing here can be invalid; [`crate::validate`] is the only way in. Collections are
//! kept sorted by slug (the file order of a sorted walk), which is an implementation
//! detail: no list page shows them in this order — see [`crate::neutral`].

use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use serde::Serialize;
use url::Url;

pub use crate::load::StaticFile;
use crate::neutral::OrderPolicy;
pub use crate::raw::{
    BillingPeriod, GovernmentLevel, PartnershipKind, PartnershipStatus, RegionKind, SessionStatus,
    SpaceStatus,
};
use crate::source::SourceFile;

pub(crate) mod limits;

/// An identifier made of `[a-z0-9-]` (file stems and vocabulary ids): safe in a URL path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Only for strings already checked by [`crate::load::is_slug`].
    pub(crate) fn new_unchecked(s: impl Into<String>) -> Self {
        Slug(s.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub categories: Vec<Category>,
    pub amenities: Vec<Amenity>,
    pub regions: Vec<Region>,
    pub spaces: Vec<Space>,
    pub partnerships: Vec<Partnership>,
    pub sessions: Vec<Session>,
    pub pages: Vec<Page>,
    pub statics: Vec<StaticFile>,
}

#[derive(Debug)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: Url,
    pub language: String,
    pub time_zone: TimeZone,
    pub time_zone_name: String,
    pub theme: String,
    pub publisher: Option<String>,
    pub licence: Option<String>,
    /// Share of a partnership's sessions one space may host before `check` warns
    /// (`fairness.max_session_share`, 0.4 by default); see [`crate::report`].
    pub max_session_share: f64,
    /// Which spaces are listed and in what order (`listing:`; see [`crate::listing`]).
    pub listing: ListingPolicy,
    pub src: Arc<SourceFile>,
}

/// The default of `fairness.max_session_share` in `content/site.yaml`.
pub(crate) const DEFAULT_MAX_SHARE: f64 = 0.4;

/// The default number of cards counted as the first screen.
pub(crate) const DEFAULT_FIRST_SCREEN: usize = 12;

/// The default number of cards on one list page. A list page stays small enough for a
/// phone (100 cards are about 70 KB of HTML, 10 KB compressed) however large the
/// directory; longer lists continue on numbered pages.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 100;

/// The validated `listing:` block of `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListingPolicy {
    /// How lists are ordered.
    pub order: OrderPolicy,
    /// How many cards count as the first screen (for the audit's first-screen share).
    pub first_screen: usize,
    /// How many cards one list page shows.
    pub page_size: usize,
    /// What a space needs to be listed.
    pub criteria: Criteria,
}

impl Default for ListingPolicy {
    fn default() -> Self {
        ListingPolicy {
            order: OrderPolicy::default(),
            first_screen: DEFAULT_FIRST_SCREEN,
            page_size: DEFAULT_PAGE_SIZE,
            criteria: Criteria::default(),
        }
    }
}

/// Inclusion criteria: a space is listed when it meets every one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criteria {
    /// The statuses that are listed (by default `active` and `temporarily-closed`).
    pub status: Vec<SpaceStatus>,
    /// Only spaces with `drop_in: true`.
    pub drop_in: bool,
    /// Only spaces that have an `accessibility:` block.
    pub accessibility: bool,
    /// Only spaces with at least one of `website`, `email`, `phone`.
    pub contact: bool,
    /// Only spaces whose `last_verified` is at most this many months before the build date.
    pub verified_within_months: Option<u32>,
}

impl Default for Criteria {
    fn default() -> Self {
        Criteria {
            status: vec![SpaceStatus::Active, SpaceStatus::TemporarilyClosed],
            drop_in: false,
            accessibility: false,
            contact: false,
            verified_within_months: None,
        }
    }
}

#[derive(Debug)]
pub struct Category {
    pub id: Slug,
    pub name: String,
    pub parent: Option<Slug>,
}

#[derive(Debug)]
pub struct Amenity {
    pub id: Slug,
    pub name: String,
    pub description: String,
    pub category: Slug,
}

#[derive(Debug)]
pub struct Region {
    pub id: Slug,
    pub name: String,
    pub kind: RegionKind,
    pub description: Option<String>,
}

#[derive(Debug)]
pub struct Space {
    pub slug: Slug,
    pub name: String,
    pub region: Slug,
    pub status: SpaceStatus,
    pub summary: Option<String>,
    pub address: Address,
    pub lat: f64,
    pub lon: f64,
    pub website: Option<Url>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub opening_hours: Option<String>,
    pub amenities: Vec<Slug>,
    pub plans: Vec<Plan>,
    pub capacity: Option<u32>,
    pub languages: Vec<String>,
    pub accessibility: Option<Accessibility>,
    pub government_members_welcome: bool,
    pub drop_in: bool,
    pub images: Vec<Image>,
    pub last_verified: Date,
    pub body: String,
    pub src: Arc<SourceFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Address {
    pub street: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub name: String,
    pub price: f64,
    pub currency: String,
    pub period: BillingPeriod,
}

#[derive(Debug, Clone, Serialize)]
pub struct Accessibility {
    pub step_free: Option<bool>,
    pub accessible_washroom: Option<bool>,
    pub hearing_loop: Option<bool>,
    pub quiet_room: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Image {
    /// Path under `content/static/` (checked to exist), served from the site root.
    pub src: String,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Debug)]
pub struct Partnership {
    pub slug: Slug,
    pub name: String,
    pub summary: Option<String>,
    pub government_name: String,
    pub government_level: GovernmentLevel,
    pub jurisdiction: String,
    pub kinds: Vec<PartnershipKind>,
    pub status: PartnershipStatus,
    pub start: Date,
    pub end: Option<Date>,
    pub spaces: Vec<Slug>,
    pub open_to_all_eligible: bool,
    pub eligibility: Option<String>,
    pub funding: Funding,
    pub contact: Contact,
    pub body: String,
    pub src: Arc<SourceFile>,
}

#[derive(Debug, Clone)]
pub enum Funding {
    None,
    Disclosed {
        amount: f64,
        currency: String,
        pays_for: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug)]
pub struct Session {
    pub slug: Slug,
    pub title: String,
    pub start: DateTime,
    pub end: DateTime,
    pub time_zone: TimeZone,
    pub time_zone_name: String,
    pub start_at: Timestamp,
    pub end_at: Timestamp,
    pub venue: Venue,
    pub partnership: Option<Slug>,
    pub host_body: String,
    pub host_role: String,
    pub topics: Vec<String>,
    pub language: String,
    pub capacity: Option<u32>,
    pub registration: Option<Url>,
    pub status: SessionStatus,
    /// `Some(true)` when attending is free, `Some(false)` when it is not; `None`: not said.
    pub free: Option<bool>,
    /// The recurrence rule as written (see [`crate::recur`]), when the session repeats.
    pub repeat: Option<String>,
    /// Every date it takes place on, ascending: one for a single session (its own start
    /// and end), each date of the rule but those in `except` for a repeating one.
    pub occurrences: Vec<Occurrence>,
    pub body: String,
    pub src: Arc<SourceFile>,
}

/// One date of a session. `start`/`end` fields of [`Session`] are the first one's.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// The local date the rule gives (also the occurrence's id in calendar feeds).
    pub date: Date,
    pub start: DateTime,
    pub end: DateTime,
    pub start_at: Timestamp,
    pub end_at: Timestamp,
    /// The session's status, or `Cancelled` for a date listed in `cancelled`.
    pub status: SessionStatus,
}

impl Session {
    /// When its last occurrence ends.
    pub fn last_end_at(&self) -> Timestamp {
        self.occurrences.last().map_or(self.end_at, |o| o.end_at)
    }
}

#[derive(Debug, Clone)]
pub enum Venue {
    Space(Slug),
    Online(Url),
}

#[derive(Debug)]
pub struct Page {
    pub slug: Slug,
    pub title: String,
    pub description: Option<String>,
    pub menu: Option<u32>,
    pub body: String,
    pub src: Arc<SourceFile>,
}

/// Each item's position in `items` by its id or slug (`key`), in whatever map the caller
/// looks references up in: the one way every stage turns a reference into an index.
pub fn positions<'a, T, M: FromIterator<(&'a str, usize)>>(
    items: &'a [T],
    key: impl Fn(&'a T) -> &'a str,
) -> M {
    items.iter().enumerate().map(|(i, x)| (key(x), i)).collect()
}
