//! What authors type: serde mirrors of the content files, nothing derived.
//!
//! Every struct denies unknown fields, so a typo such as `titel:` is an error rather than
//! a silently dropped value. Values stay close to the text (strings for URLs, dates and
//! codes) so that [`crate::validate`] can check them one by one and report every problem
//! with its position; only the closed vocabularies (statuses, kinds) are enums here,
//! because serde's "unknown variant, expected one of ..." is already a good message.
//!
//! There is deliberately no field that could rank or highlight a listing.

use serde::Deserialize;

/// `content/site.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
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
}

/// `content/amenities.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAmenities {
    pub categories: Vec<RawCategory>,
    pub amenities: Vec<RawAmenity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCategory {
    pub id: String,
    pub name: String,
    /// Id of the category this one nests in.
    #[serde(default)]
    pub parent: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAmenity {
    pub id: String,
    pub name: String,
    pub description: String,
    pub category: String,
}

/// `content/regions.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegions {
    pub regions: Vec<RawRegion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub id: String,
    pub name: String,
    pub kind: RegionKind,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionKind {
    Urban,
    Rural,
}

/// Front matter of `content/spaces/<slug>.md`; the Markdown body is the description.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpace {
    pub name: String,
    pub region: String,
    pub status: SpaceStatus,
    /// One sentence shown on the space's card; the card uses the description's first
    /// sentences when absent.
    #[serde(default)]
    pub summary: Option<String>,
    pub address: RawAddress,
    pub location: RawLocation,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// OpenStreetMap `opening_hours` syntax, e.g. `Mo-Fr 08:00-18:00; PH off`.
    #[serde(default)]
    pub opening_hours: Option<String>,
    #[serde(default)]
    pub amenities: Vec<String>,
    #[serde(default)]
    pub plans: Vec<RawPlan>,
    #[serde(default)]
    pub capacity: Option<u32>,
    /// BCP 47 tags of the languages spoken by the staff.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub accessibility: Option<RawAccessibility>,
    /// Whether civil servants / government members are welcome to work from here.
    #[serde(default)]
    pub government_members_welcome: bool,
    /// Whether a member of the public can walk in for a day without a membership.
    #[serde(default)]
    pub drop_in: bool,
    #[serde(default)]
    pub images: Vec<RawImage>,
    /// When someone last checked these details with the space (YYYY-MM-DD).
    pub last_verified: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpaceStatus {
    Active,
    TemporarilyClosed,
    Closed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAddress {
    pub street: String,
    pub locality: String,
    /// The administrative region (province, state), as written in a postal address.
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 code, e.g. `CA`.
    pub country: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub name: String,
    pub price: f64,
    /// ISO 4217 code, e.g. `CAD`.
    pub currency: String,
    pub period: BillingPeriod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BillingPeriod {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccessibility {
    #[serde(default)]
    pub step_free: Option<bool>,
    #[serde(default)]
    pub accessible_washroom: Option<bool>,
    #[serde(default)]
    pub hearing_loop: Option<bool>,
    #[serde(default)]
    pub quiet_room: Option<bool>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    /// Path under `content/static/`, e.g. `images/harbour-hub.svg`.
    pub src: String,
    /// Required: what the image shows, for people who cannot see it.
    pub alt: String,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
}

/// Front matter of `content/partnerships/<slug>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartnership {
    pub name: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub government: RawGovernment,
    pub jurisdiction: String,
    pub kinds: Vec<PartnershipKind>,
    pub status: PartnershipStatus,
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    /// Participating spaces by id; leave empty with `open_to_all_eligible: true`.
    #[serde(default)]
    pub spaces: Vec<String>,
    #[serde(default)]
    pub open_to_all_eligible: bool,
    /// Who may take part; required with `open_to_all_eligible: true`.
    #[serde(default)]
    pub eligibility: Option<String>,
    pub funding: RawFunding,
    pub contact: RawContact,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGovernment {
    pub name: String,
    pub level: GovernmentLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GovernmentLevel {
    Municipal,
    Provincial,
    Federal,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartnershipStatus {
    Planned,
    Active,
    Ended,
}

/// `funding: none`, or `funding: { amount: 120000, currency: CAD, pays_for: "..." }`.
#[derive(Debug)]
pub enum RawFunding {
    None,
    Disclosed(RawFundingAmount),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFundingAmount {
    pub amount: f64,
    pub currency: String,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}

/// Front matter of `content/sessions/<slug>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub title: String,
    /// Local date-time, `YYYY-MM-DDTHH:MM`.
    pub start: String,
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
    #[serde(default)]
    pub partnership: Option<String>,
    pub host: RawHost,
    #[serde(default)]
    pub topics: Vec<String>,
    pub language: String,
    #[serde(default)]
    pub capacity: Option<u32>,
    #[serde(default)]
    pub registration: Option<String>,
    pub status: SessionStatus,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHost {
    /// The public body the officer works for.
    pub body: String,
    /// The officer's role, e.g. "Business advisor".
    pub role: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
    Postponed,
}

/// Front matter of `content/pages/<slug>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Position in the site menu (1 first); pages without it are not in the menu.
    #[serde(default)]
    pub menu: Option<u32>,
}
