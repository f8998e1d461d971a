//! The template API: what each template receives, as typed, serialize-only structs.
//!
//! These structs are the documented contract between the pipeline and a theme. Every
//! string in them is plain text that Tera escapes, except fields named `*_html`, which
//! the pipeline produced and sanitized (Markdown through the allow-list sanitizer, or
//! cards rendered by an escaping template). Those that are [`SafeHtml`] (`card_html`, and
//! `body_html` of spaces, sessions, partnerships and pages) reach Tera already marked
//! safe and print as they are with `{{ … }}`; the other (`page.jsonld_html`, inside a
//! `<script>`) needs `| safe`, which is harmless on a `SafeHtml` too.
//! Nothing here carries a value that could rank a listing: lists arrive already in the
//! directory's neutral order, and cards have the same fields for every space.
//!
//! Every page template gets, at the top level:
//! - `site`: [`SiteView`]
//! - `t`: the theme's UI strings (`themes/<theme>/strings/<lang>.yaml`), e.g. `t.spaces`
//! - `page`: [`PageMeta`]
//! - the template's own values:
//!
//! | template            | values                                                      |
//! |---------------------|-------------------------------------------------------------|
//! | `index.html`        | `home`: [`HomeView`]                                        |
//! | `spaces.html`       | `cards`: `[CardHtml]`, `space_count`                        |
//! | `space.html`        | `space`: [`SpaceView`]                                      |
//! | `regions.html`      | `regions`: `[TermView]`                                     |
//! | `region.html`       | `listing`: [`TermPage`]                                     |
//! | `amenities.html`    | `categories`: `[CategoryView]`                              |
//! | `amenity.html`      | `listing`: [`TermPage`]                                     |
//! | `partnerships.html` | `partnerships`: `[PartnershipSummary]`                      |
//! | `partnership.html`  | `partnership`: [`PartnershipView`]                          |
//! | `partnership-report.html` | `report`: [`crate::report::ReportView`]               |
//! | `sessions.html`     | `upcoming`, `past`: `[SessionItem]`                         |
//! | `session.html`      | `session`: [`SessionView`]                                  |
//! | `page.html`         | `content`: [`FreePage`]                                     |
//! | `listing-policy.html` | `listing`: [`ListingPolicyView`] (`/how-spaces-are-listed/`) |
//! | `404.html`          | nothing more                                                |
//! | `card.html`         | `card`: [`CardView`] and `t` only (rendered once per space) |
//!
//! Templates are `templates/<name>` in a theme; `base.html` is the layout they extend.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: String,
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// The site's root path, `/` or `/directory/` (the path of `base_url`); every link
    /// starts with it, so a theme writes `{{ site.root }}spaces/`, never `/spaces/`, and
    /// the site works when published under a path (see [`crate::urls`]).
    pub root: String,
    /// BCP 47, for `<html lang>`.
    pub language: String,
    pub publisher: Option<String>,
    pub licence: Option<String>,
    /// Free pages with a `menu` position, in that order.
    pub menu: Vec<Link>,
    /// The build date, formatted for people (e.g. "25 November 2026").
    pub build_date: String,
    /// The build date as YYYY-MM-DD.
    pub build_date_iso: String,
    /// Neutral-order policy: `shuffle`, `rotate-daily` or `alphabetical`.
    pub order_policy: String,
    /// The seed of this build's order (see the "How spaces are listed" page).
    pub order_seed: u32,
    /// Link to the theme's stylesheet (from `root`), with a content hash for caching.
    pub stylesheet: String,
    /// Link to the neutral-order script (from `root`).
    pub neutral_script: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub title: String,
    /// Link from the site's root path, e.g. `/about/` (`/directory/about/` under a path).
    pub url: String,
}

/// Head metadata of the page being rendered.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageMeta {
    /// `<title>` without the site name.
    pub title: String,
    pub description: String,
    /// Link to this page from the site's root path, e.g. `/spaces/harbour-hub/` (or
    /// `/directory/spaces/harbour-hub/`): compare it with `site.root ~ "spaces/"`.
    pub url: String,
    /// Absolute canonical URL.
    pub canonical: String,
    /// Open Graph type: `website` or `article`.
    pub og_type: String,
    /// Which menu entry / section this page belongs to (`home`, `spaces`, `regions`,
    /// `amenities`, `partnerships`, `sessions`, or a free page's slug).
    pub section: String,
    /// Breadcrumb trail, not including the page itself.
    pub breadcrumbs: Vec<Link>,
    /// schema.org JSON-LD describing the page's subject (spaces, sessions, partnerships),
    /// already escaped for a `<script type="application/ld+json">` element.
    pub jsonld_html: Option<String>,
}

/// A space as every list shows it: the same fields for every space, whatever it gave.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardView {
    pub slug: String,
    pub url: String,
    pub name: String,
    /// "Locality, Region name".
    pub place: String,
    pub region_name: String,
    pub region_url: String,
    /// `active`, `temporarily-closed`, `closed`.
    pub status: String,
    pub status_label: String,
    /// At most [`EXCERPT_CHARS`](crate::render::markdown::EXCERPT_CHARS) characters of plain text.
    pub excerpt: String,
    /// "40 people" or the "not given" string.
    pub capacity: String,
    /// Lowest day price, e.g. "CA$25 / day", or the "not given" string.
    pub day_price: String,
    /// Language names, e.g. "English, Français".
    pub languages: String,
    pub amenity_count: usize,
}

/// One card already rendered by `card.html` (rendered once per build, reused by every list).
///
/// Held as a [`tera::Value`] built once: Tera's strings are reference-counted and its
/// serializer passes a `Value` through by cloning it, so every list that shows the card
/// shares one copy of its HTML instead of copying it into each page's context. It
/// serializes exactly as [`CardFields`].
#[derive(Debug, Clone)]
pub(crate) struct CardHtml(tera::Value);

/// The fields of a [`CardHtml`].
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardFields {
    pub slug: String,
    /// The space's number in the search index (`<li data-id>`, see [`crate::search`]).
    pub id: usize,
    pub card_html: String,
}

impl CardHtml {
    pub(crate) fn new(fields: &CardFields) -> Self {
        // `card_html` goes in already marked safe (see [`SafeHtml`]).
        #[derive(Serialize)]
        struct Marked<'a> {
            slug: &'a str,
            id: usize,
            card_html: SafeHtml,
        }
        CardHtml(tera::Value::from_serializable(&Marked {
            slug: &fields.slug,
            id: fields.id,
            card_html: SafeHtml::new(&fields.card_html),
        }))
    }
}

/// HTML this pipeline produced (sanitized Markdown, a rendered card): a string, which
/// Tera receives already marked safe, so that `{{ x.body_html }}` prints it as it is.
/// `| safe` still works on it, but copies the whole string on every use, which on a
/// list page of 100 cards was 100 copies.
/// Serializes as a plain string everywhere else.
#[derive(Debug, Clone)]
pub(crate) struct SafeHtml(tera::Value);

impl SafeHtml {
    pub(crate) fn new(html: &str) -> Self {
        SafeHtml(tera::Value::safe_string(html))
    }
}

impl From<String> for SafeHtml {
    fn from(html: String) -> Self {
        SafeHtml::new(&html)
    }
}

impl Serialize for SafeHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl Serialize for CardHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SpaceView {
    pub card: CardView,
    pub summary: Option<String>,
    pub address_lines: Vec<String>,
    pub lat: f64,
    pub lon: f64,
    /// A link to the location on OpenStreetMap (a link only: no map is embedded, so the
    /// page makes no third-party request).
    pub map_url: String,
    pub website: Option<String>,
    /// Host name of the website, for the link text.
    pub website_label: Option<String>,
    pub email: Option<String>,
    /// `mailto:` URL.
    pub email_url: Option<String>,
    pub phone: Option<String>,
    /// `tel:` URL.
    pub phone_url: Option<String>,
    /// The raw OpenStreetMap opening_hours string.
    pub opening_hours: Option<String>,
    pub amenity_groups: Vec<AmenityGroup>,
    pub plans: Vec<PlanView>,
    pub accessibility: Vec<AccessFact>,
    /// Free-text accessibility notes.
    pub accessibility_notes: Option<String>,
    /// False when the space gave no accessibility information at all.
    pub accessibility_given: bool,
    pub government_members_welcome: bool,
    pub drop_in: bool,
    pub images: Vec<ImageView>,
    pub last_verified: String,
    pub last_verified_iso: String,
    pub body_html: SafeHtml,
    pub upcoming_sessions: Vec<SessionItem>,
    pub partnerships: Vec<Link>,
    /// False when the space misses a criterion of `listing.criteria`: it keeps this page
    /// but appears in no list.
    pub listed: bool,
    /// Why it is not listed, one sentence per unmet criterion (empty when listed).
    pub not_listed_reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AmenityGroup {
    pub category: String,
    pub amenities: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanView {
    pub name: String,
    /// Formatted, e.g. "CA$250".
    pub price: String,
    /// "per day", "per month", ...
    pub period: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AccessFact {
    pub label: String,
    /// `yes`, `no` or `unknown`.
    pub value: String,
    pub value_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ImageView {
    /// Link from the site's root path.
    pub src: String,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A session as lists show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SessionItem {
    pub url: String,
    pub title: String,
    /// e.g. "Tuesday 8 December 2026, 10:00–12:00 AST".
    pub when: String,
    /// RFC 3339 instant of the start, for `<time datetime>`.
    pub start_iso: String,
    /// The space's name, or the "online" string.
    pub venue: String,
    pub venue_url: Option<String>,
    pub online: bool,
    /// `scheduled`, `cancelled`, `postponed`.
    pub status: String,
    pub status_label: String,
    pub language: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SessionView {
    pub item: SessionItem,
    pub time_zone: String,
    pub online_url: Option<String>,
    pub partnership: Option<Link>,
    pub host_body: String,
    pub host_role: String,
    pub topics: Vec<String>,
    pub capacity: Option<u32>,
    pub registration: Option<String>,
    /// Whether attending is free: `true`, `false`, or not said (`None`).
    pub free: Option<bool>,
    /// Whether the session repeats (`repeat:` in its file).
    pub repeats: bool,
    /// For a repeating session, every date, earliest first (each with its own status);
    /// empty otherwise. `item` is the next date (or the last, when all have passed).
    pub occurrences: Vec<SessionItem>,
    /// Link to its iCalendar file ("add to calendar"), from the site's root path.
    pub ics_url: String,
    /// True when every date of the session has passed.
    pub is_past: bool,
    pub body_html: SafeHtml,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartnershipView {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub summary: Option<String>,
    pub government_name: String,
    pub government_level: String,
    pub jurisdiction: String,
    pub kinds: Vec<String>,
    pub status: String,
    pub status_label: String,
    pub start: String,
    pub end: Option<String>,
    pub open_to_all_eligible: bool,
    pub eligibility: Option<String>,
    /// "None" or e.g. "CA$120,000 — pays for ...".
    pub funding: String,
    pub funding_disclosed: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_email_url: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_phone_url: Option<String>,
    pub contact_website: Option<String>,
    pub body_html: SafeHtml,
    /// Participating spaces, as cards, in the neutral order.
    pub cards: Vec<CardHtml>,
    pub upcoming_sessions: Vec<SessionItem>,
    pub past_sessions: Vec<SessionItem>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermView {
    pub id: String,
    pub url: String,
    pub name: String,
    pub description: Option<String>,
    /// For regions: `urban` / `rural` label; for amenities: the category path.
    pub kind: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermPage {
    pub term: TermView,
    /// This page's share of the spaces with this term, as cards, in the neutral order.
    pub cards: Vec<CardHtml>,
    /// Where this page stands among the pages of the list.
    pub pagination: Pagination,
    /// For regions: upcoming sessions there.
    pub upcoming_sessions: Vec<SessionItem>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CategoryView {
    pub name: String,
    /// Names of the parent categories, outermost first.
    pub path: Vec<String>,
    pub amenities: Vec<TermView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FreePage {
    pub title: String,
    pub body_html: SafeHtml,
}

/// The generated page "How spaces are listed": the listing policy of this build, how to
/// reproduce its order, its audit and the spaces it does not list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ListingPolicyView {
    /// `shuffle`, `rotate-daily` or `alphabetical`.
    pub order: String,
    /// False for `alphabetical`.
    pub neutral: bool,
    /// True for `shuffle`: `neutral.js` reshuffles every list on each visit.
    pub reshuffled_in_browser: bool,
    /// One sentence per inclusion criterion, from the theme's strings.
    pub criteria: Vec<String>,
    pub listed_count: String,
    pub space_count: String,
    pub first_screen: String,
    /// Cards per list page (`listing.page_size`).
    pub page_size: String,
    /// The build date that seeds the order, for people and as YYYY-MM-DD.
    pub build_date: String,
    pub build_date_iso: String,
    /// The seed of this build's order, in decimal and hexadecimal (`None` when alphabetical).
    pub seed: Option<String>,
    pub seed_hex: Option<String>,
    /// The text whose FNV-1a hash is the seed, e.g. `hotdesk:2026-11-25`.
    pub seed_text: String,
    /// Identifier of the shuffle algorithm (see `src/neutral.rs`).
    pub algorithm: String,
    /// Commands that replay this build's order and audit it.
    pub audit_command: String,
    pub build_command: String,
    /// Link to the audit report as JSON (from the site's root path).
    pub data_url: String,
    pub audit: AuditSummaryView,
    /// Spaces not listed, with their reasons, by name.
    pub excluded: Vec<ExcludedView>,
}

/// The verdict of the neutrality audit published with the build.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AuditSummaryView {
    /// `pass`, `fail` or `inconclusive`.
    pub verdict: String,
    pub days: String,
    pub first_day: String,
    pub last_day: String,
    /// Number of lists tested.
    pub lists: String,
    pub tolerance: String,
    /// The smallest adjusted p-value, formatted.
    pub p_value: String,
}

/// A space that is not listed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ExcludedView {
    pub name: String,
    /// Its own page, which still exists.
    pub url: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct HomeView {
    /// The first page of the listed spaces, in the neutral order.
    pub cards: Vec<CardHtml>,
    /// The pages of the list of all spaces (page 1 is this one; the others are
    /// `/spaces/page/<n>/`).
    pub pagination: Pagination,
    pub space_count: usize,
    pub regions: Vec<TermView>,
    pub categories: Vec<CategoryView>,
    pub partnerships: Vec<PartnershipSummary>,
    pub upcoming_sessions: Vec<SessionItem>,
    /// The search form over `cards` (`_search.html`): [`crate::search::SearchView`].
    pub search: crate::search::SearchView,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartnershipSummary {
    pub url: String,
    /// `planned`, `active`, `ended`.
    pub status: String,
    pub name: String,
    pub government_name: String,
    pub summary: Option<String>,
    pub status_label: String,
}

/// Where a list page stands among the pages of its list (`_pagination.html`). Every
/// list is cut at the same size, so a space's page number follows from its place in
/// the day's neutral order and nothing else.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Pagination {
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    /// 1-based positions of the first and last card on this page, and the list's length.
    pub first_item: usize,
    pub last_item: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The numbered links to show: the first and last page, and two on each side of
    /// this one; `number: 0` marks a gap.
    pub links: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// Page `page` (1-based) of a list of `total` items cut into pages of `size`, whose
    /// page 1 is at `first_url` and page n at `{base}page/{n}/` (links, from the site's
    /// root path: the home page is page 1 of the list at `/spaces/`).
    pub(crate) fn new(page: usize, total: usize, size: usize, first_url: &str, base: &str) -> Self {
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        let url = |n: usize| {
            if n == 1 {
                first_url.to_owned()
            } else {
                crate::urls::list_page(base, n)
            }
        };
        let mut links = Vec::new();
        let mut last = 0;
        for n in 1..=pages {
            if n == 1 || n == pages || n.abs_diff(page) <= 2 {
                if last != 0 && n > last + 1 {
                    links.push(PageLink {
                        number: 0,
                        url: String::new(),
                        current: false,
                    });
                }
                links.push(PageLink {
                    number: n,
                    url: url(n),
                    current: n == page,
                });
                last = n;
            }
        }
        Pagination {
            page,
            pages,
            first_item: ((page - 1) * size + 1).min(total),
            last_item: (page * size).min(total),
            total,
            prev_url: (page > 1).then(|| url(page - 1)),
            next_url: (page < pages).then(|| url(page + 1)),
            links,
        }
    }

    /// The item range of this page.
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        if self.total == 0 {
            0..0
        } else {
            self.first_item - 1..self.last_item
        }
    }
}

#[cfg(test)]
mod pagination_tests {
    use super::Pagination;

    #[test]
    fn pages_cover_the_list_once_and_link_both_ways() {
        let mut seen = Vec::new();
        for page in 1..=4 {
            let p = Pagination::new(page, 31, 10, "/spaces/", "/spaces/");
            assert_eq!(p.pages, 4);
            seen.extend(p.range());
            assert_eq!(p.prev_url.is_some(), page > 1);
            assert_eq!(p.next_url.is_some(), page < 4);
        }
        assert_eq!(seen, (0..31).collect::<Vec<_>>());
        let p = Pagination::new(2, 31, 10, "/", "/spaces/");
        assert_eq!(p.prev_url.as_deref(), Some("/"));
        assert_eq!(p.next_url.as_deref(), Some("/spaces/page/3/"));
    }

    #[test]
    fn long_lists_show_a_window_with_gaps() {
        let p = Pagination::new(50, 10_000, 100, "/", "/spaces/");
        let numbers: Vec<usize> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 0, 48, 49, 50, 51, 52, 0, 100]);
        assert!(p.links.iter().filter(|l| l.current).count() == 1);
        let empty = Pagination::new(1, 0, 100, "/", "/spaces/");
        assert_eq!((empty.pages, empty.range()), (1, 0..0));
    }
}
