//! What authors type: serde mirrors of the content files, nothing derived.
//!
//! Every struct denies unknown fields, so a typo such as `titel:` is an error rather than
//! a silently dropped value. Values stay close to the text (strings for URLs, dates and
//! codes) so that [`crate::validate`] can check them one by one and report every problem
//! with its position; only the closed vocabularies (statuses, kinds) are enums here,
//! because serde's "unknown variant, expected one of ..." is already a good message.
//!
//! There is deliberately no field that could rank or highlight a listing.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

/// `content/site.yaml`
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    /// The directory's name, shown in every page's header and title.
    pub title: String,
    /// One or two sentences shown on the home page and in meta descriptions.
    pub description: String,
    /// Absolute URL where the site is published, e.g. `https://coworking.example.ca/`.
    pub base_url: String,
    /// BCP 47 tag of the site's language, e.g. `en`.
    pub language: String,
    /// IANA time zone name, e.g. `America/Halifax`; the default for sessions.
    pub time_zone: String,
    /// Theme folder under `themes/`; `default` when absent.
    #[serde(default)]
    pub theme: Option<String>,
    /// Who publishes the directory (shown in the footer).
    #[serde(default)]
    pub publisher: Option<String>,
    /// Licence of the published data, e.g. `CC-BY-4.0`.
    #[serde(default)]
    pub licence: Option<String>,
    /// Thresholds of the partnership fairness report (`hotdesk report`).
    #[serde(default)]
    pub fairness: Option<RawFairness>,
    /// Which spaces are listed and in what order (see [`crate::listing`]).
    #[serde(default)]
    pub listing: Option<RawListing>,
}

/// `listing:` in `content/site.yaml`. Every field is optional.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawListing {
    /// `shuffle` (the default: the daily order, reshuffled in the browser), `rotate-daily`
    /// (the daily order only) or `alphabetical` (not neutral: `check` warns, `audit` fails).
    #[serde(default)]
    pub order: Option<crate::neutral::OrderPolicy>,
    /// How many cards a visitor sees before scrolling, for the audit's first-screen
    /// share; 12 when absent.
    #[serde(default)]
    pub first_screen: Option<u32>,
    /// How many cards a list page shows before the list continues on a next page
    /// (`/spaces/page/2/`, …); 100 when absent.
    #[serde(default)]
    pub page_size: Option<u32>,
    /// What a space needs to be listed; spaces that miss a criterion keep their page
    /// but appear in no list.
    #[serde(default)]
    pub criteria: Option<RawCriteria>,
}

/// `listing.criteria:` in `content/site.yaml`: a space is listed when it meets them all.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCriteria {
    /// The statuses that are listed; `[active, temporarily-closed]` when absent.
    #[serde(default)]
    pub status: Option<Vec<SpaceStatus>>,
    /// `true`: only spaces with `drop_in: true`.
    #[serde(default)]
    pub drop_in: bool,
    /// `true`: only spaces that give an `accessibility:` block.
    #[serde(default)]
    pub accessibility: bool,
    /// `true`: only spaces with a website, email or phone.
    #[serde(default)]
    pub contact: bool,
    /// Only spaces whose `last_verified` is at most this many months before the build
    /// date; no limit when absent.
    #[serde(default)]
    pub verified_within_months: Option<u32>,
}

/// `fairness:` in `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFairness {
    /// Share (0–1] of a partnership's in-person sessions over the last and next 12
    /// months that one space may host before `check` warns; 0.4 when absent.
    #[serde(default)]
    pub max_session_share: Option<f64>,
}

/// `content/amenities.yaml`
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAmenities {
    pub categories: Vec<RawCategory>,
    pub amenities: Vec<RawAmenity>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCategory {
    /// Lowercase id (letters, digits, single hyphens), used by amenities' `category`.
    pub id: String,
    /// The category's name as readers see it.
    pub name: String,
    /// Id of the category this one nests in.
    #[serde(default)]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAmenity {
    /// Lowercase id (letters, digits, single hyphens), used in a space's `amenities`.
    pub id: String,
    /// The amenity's name as readers see it.
    pub name: String,
    /// One sentence saying what a space must offer to list it.
    pub description: String,
    /// Id of the category it belongs to.
    pub category: String,
}

/// `content/regions.yaml`
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegions {
    pub regions: Vec<RawRegion>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegion {
    /// Lowercase id (letters, digits, single hyphens), used in a space's `region`.
    pub id: String,
    /// The region's name as readers see it.
    pub name: String,
    /// `urban` or `rural`.
    pub kind: RegionKind,
    /// A sentence shown on the region's page.
    #[serde(default)]
    pub description: Option<String>,
}

/// Whether a region is a town or city, or countryside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RegionKind {
    Urban,
    Rural,
}

/// Front matter of `content/spaces/<slug>.md`; the Markdown body is the description.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpace {
    /// The space's name, as it presents itself.
    pub name: String,
    /// Id of a region from `content/regions.yaml`.
    pub region: String,
    /// `active`, `temporarily-closed` or `closed`.
    pub status: SpaceStatus,
    /// One sentence shown on the space's card; the card uses the description's first
    /// sentences when absent.
    #[serde(default)]
    pub summary: Option<String>,
    /// The postal address.
    pub address: RawAddress,
    /// Where the entrance is, in decimal degrees (WGS 84).
    pub location: RawLocation,
    /// The space's own website (http or https).
    #[serde(default)]
    pub website: Option<String>,
    /// A public contact email address.
    #[serde(default)]
    pub email: Option<String>,
    /// A public phone number, quoted, e.g. "+1 902 555 0100".
    #[serde(default)]
    pub phone: Option<String>,
    /// OpenStreetMap `opening_hours` syntax, e.g. `Mo-Fr 08:00-18:00; PH off`.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// Ids from `content/amenities.yaml`.
    #[serde(default)]
    pub amenities: Vec<String>,
    /// Prices: one entry per plan (day pass, monthly desk, ...).
    #[serde(default)]
    pub plans: Vec<RawPlan>,
    /// How many people the space can seat.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// BCP 47 tags of the languages spoken by the staff.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Accessibility details; leaving the block out gives a warning.
    #[serde(default)]
    pub accessibility: Option<RawAccessibility>,
    /// Whether civil servants / government members are welcome to work from here.
    #[serde(default)]
    pub government_members_welcome: bool,
    /// Whether a member of the public can walk in for a day without a membership.
    #[serde(default)]
    pub drop_in: bool,
    /// Pictures of the space, each with alt text.
    #[serde(default)]
    pub images: Vec<RawImage>,
    /// When someone last checked these details with the space (YYYY-MM-DD).
    pub last_verified: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SpaceStatus {
    Active,
    TemporarilyClosed,
    Closed,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAddress {
    /// Street and number, with the suite or floor if any.
    pub street: String,
    /// Town or city.
    pub locality: String,
    /// The administrative region (province, state), as written in a postal address.
    pub region: String,
    /// Postal code, e.g. `C1A 1A1`.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 code, e.g. `CA`.
    pub country: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLocation {
    /// Latitude in decimal degrees, north positive, e.g. 46.2336.
    pub lat: f64,
    /// Longitude in decimal degrees, east positive, e.g. -63.1265.
    pub lon: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlan {
    /// What the plan is called, e.g. `Day pass`.
    pub name: String,
    /// The price in `currency`, without a currency sign.
    pub price: f64,
    /// ISO 4217 code, e.g. `CAD`.
    pub currency: String,
    /// What the price covers: `day`, `week`, `month` or `year`.
    pub period: BillingPeriod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BillingPeriod {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccessibility {
    /// Can a wheelchair user get in and around without steps?
    #[serde(default)]
    pub step_free: Option<bool>,
    /// Is there a washroom a wheelchair user can use?
    #[serde(default)]
    pub accessible_washroom: Option<bool>,
    /// Is there a hearing loop?
    #[serde(default)]
    pub hearing_loop: Option<bool>,
    /// Is there a quiet, low-stimulation room?
    #[serde(default)]
    pub quiet_room: Option<bool>,
    /// Anything else a disabled visitor should know.
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawImage {
    /// Path under `content/static/`, e.g. `images/harbour-hub.svg`.
    pub src: String,
    /// Required: what the image shows, for people who cannot see it.
    pub alt: String,
    /// Width in pixels, so the page does not jump while the image loads.
    #[serde(default)]
    pub width: Option<u32>,
    /// Height in pixels, so the page does not jump while the image loads.
    #[serde(default)]
    pub height: Option<u32>,
}

/// Front matter of `content/partnerships/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPartnership {
    /// The programme's name.
    pub name: String,
    /// One sentence shown in lists.
    #[serde(default)]
    pub summary: Option<String>,
    /// The public body running the programme.
    pub government: RawGovernment,
    /// Where it applies, e.g. `Prince Edward Island`.
    pub jurisdiction: String,
    /// What the programme offers: one or more of `memberships`, `drop-in-advisors`, `info-sessions`, `other`.
    pub kinds: Vec<PartnershipKind>,
    /// `planned`, `active` or `ended`.
    pub status: PartnershipStatus,
    /// First day (YYYY-MM-DD).
    pub start: String,
    /// Last day (YYYY-MM-DD), when known.
    #[serde(default)]
    pub end: Option<String>,
    /// Participating spaces by id; leave empty with `open_to_all_eligible: true`.
    #[serde(default)]
    pub spaces: Vec<String>,
    /// True when any eligible space may take part; then give `eligibility` instead of `spaces`.
    #[serde(default)]
    pub open_to_all_eligible: bool,
    /// Who may take part; required with `open_to_all_eligible: true`.
    #[serde(default)]
    pub eligibility: Option<String>,
    /// Public money involved: `none`, or the amount, its currency and what it pays for.
    pub funding: RawFunding,
    /// How to reach the programme: at least one of email, phone, website.
    pub contact: RawContact,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGovernment {
    /// The department or agency.
    pub name: String,
    /// `municipal`, `provincial`, `federal` or `other`.
    pub level: GovernmentLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GovernmentLevel {
    Municipal,
    Provincial,
    Federal,
    Other,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PartnershipKind {
    /// Memberships for public servants working from spaces.
    Memberships,
    /// Government advisors holding drop-in hours at spaces.
    DropInAdvisors,
    /// Information sessions at spaces.
    InfoSessions,
    Other,
}

impl PartnershipKind {
    /// The key of its label in the theme's strings (`kind_memberships`, …).
    pub fn label_key(self) -> &'static str {
        match self {
            PartnershipKind::Memberships => "kind_memberships",
            PartnershipKind::DropInAdvisors => "kind_drop_in_advisors",
            PartnershipKind::InfoSessions => "kind_info_sessions",
            PartnershipKind::Other => "kind_other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PartnershipStatus {
    Planned,
    Active,
    Ended,
}

/// `funding: none`, or `funding: { amount: 120000, currency: CAD, pays_for: "..." }`.
#[derive(Debug, Clone)]
pub(crate) enum RawFunding {
    None,
    Disclosed(RawFundingAmount),
}

/// Written by hand because the `Deserialize` is: the string `none`, or the mapping.
impl Serialize for RawFunding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawFunding::None => s.serialize_str("none"),
            RawFunding::Disclosed(amount) => amount.serialize(s),
        }
    }
}

/// Written by hand because the `Deserialize` is: `"none"` or the mapping.
impl JsonSchema for RawFunding {
    fn schema_name() -> Cow<'static, str> {
        "RawFunding".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let disclosed = generator.subschema_for::<RawFundingAmount>();
        json_schema!({
            "description": "Public money involved: `none`, or the amount, its currency and what it pays for.",
            "oneOf": [
                { "const": "none", "description": "No public money is involved." },
                disclosed
            ]
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFundingAmount {
    /// The amount, without a currency sign.
    pub amount: f64,
    /// ISO 4217 code, e.g. `CAD`.
    pub currency: String,
    /// What the money pays for, e.g. `Day passes for public servants`.
    pub pays_for: String,
}

impl<'de> Deserialize<'de> for RawFunding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawFunding;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`none` or a mapping with amount, currency and pays_for")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawFunding, E> {
                if v == "none" {
                    Ok(RawFunding::None)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawFunding, A::Error> {
                RawFundingAmount::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawFunding::Disclosed)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContact {
    /// A name or a role, e.g. `Programme office`.
    #[serde(default)]
    pub name: Option<String>,
    /// A public email address.
    #[serde(default)]
    pub email: Option<String>,
    /// A public phone number, quoted.
    #[serde(default)]
    pub phone: Option<String>,
    /// A web page about the programme (http or https).
    #[serde(default)]
    pub website: Option<String>,
}

/// Front matter of `content/sessions/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSession {
    /// The session's title.
    pub title: String,
    /// Local date-time, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Local date-time, `YYYY-MM-DDTHH:MM`.
    pub end: String,
    /// IANA time zone; the site's when absent.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Id of the space where it takes place; or give `online`.
    #[serde(default)]
    pub space: Option<String>,
    /// Link to join online.
    #[serde(default)]
    pub online: Option<String>,
    /// Id of the partnership that runs it, if any.
    #[serde(default)]
    pub partnership: Option<String>,
    /// Who presents it.
    pub host: RawHost,
    /// Short topics, shown on the session's page.
    #[serde(default)]
    pub topics: Vec<String>,
    /// BCP 47 tag of the language it is given in, e.g. `en`.
    pub language: String,
    /// How many people can attend.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Where to register (http or https).
    #[serde(default)]
    pub registration: Option<String>,
    /// `scheduled`, `cancelled` or `postponed`.
    pub status: SessionStatus,
    /// Whether attending is free of charge; leave out when unknown.
    #[serde(default)]
    pub free: Option<bool>,
    /// An RFC 5545 recurrence rule, e.g. `FREQ=MONTHLY;BYDAY=2TU;UNTIL=2027-06-30`: the
    /// session repeats at the same local time. Supported: FREQ=DAILY, WEEKLY or MONTHLY,
    /// INTERVAL, BYDAY (2TU: second Tuesday, -1FR: last Friday), and UNTIL (a date) or
    /// COUNT; one of these two is required.
    #[serde(default)]
    pub repeat: Option<String>,
    /// Dates (YYYY-MM-DD) the rule gives on which there is no session.
    #[serde(default)]
    pub except: Vec<String>,
    /// Dates of the series that were cancelled (shown as cancelled, kept in feeds).
    #[serde(default)]
    pub cancelled: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHost {
    /// The public body the officer works for.
    pub body: String,
    /// The officer's role, e.g. "Business advisor".
    pub role: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
    Postponed,
}

/// Front matter of `content/pages/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPage {
    /// The page's title.
    pub title: String,
    /// A sentence for search results and link previews.
    #[serde(default)]
    pub description: Option<String>,
    /// Position in the site menu (1 first); pages without it are not in the menu.
    #[serde(default)]
    pub menu: Option<u32>,
}
