//! Where every record of the directory is published: one home for paths and URLs.
//!
//! A record has three spellings, and this module is the only place that knows them:
//!
//! | spelling | example | used by |
//! |---|---|---|
//! | folder, relative to the site root | `spaces/harbour-hub/` | output paths, the sitemap, JSON-LD ids |
//! | link (`href`), from the site's root path | `/directory/spaces/harbour-hub/` | templates, cards, search results |
//! | absolute URL | `https://org.github.io/directory/spaces/harbour-hub/` | feeds, calendars, data files, canonical links |
//!
//! The root path is the path of `base_url`: `/` for a site at the root of its domain,
//! `/directory/` for a GitHub Pages project site. Links are written from the root path,
//! never from `/`, so a site built for a sub-path works when served there (issue #14).
//! A language prefix (`fr/`) will be one more segment of the root path, added here.
//!
//! Slugs and ids reaching this module are already checked by `validate` (lowercase ASCII
//! letters, digits and hyphens), so nothing here needs escaping; the base URL is a parsed
//! `url::Url`, serialised by that crate.

use std::fmt;

use url::Url;

/// The calendar of a record's sessions, and of every session at the site root.
pub(crate) const CALENDAR: &str = "sessions.ics";

/// A session's own calendar (one event): named apart from [`CALENDAR`] so the two
/// cannot be mistaken for each other.
pub(crate) const SESSION_CALENDAR: &str = "session.ics";

/// The folder of the page on how partnership sessions are spread (`hotdesk report`,
/// published), in the partnerships' folder: a partnership named `report` would claim
/// the same output path, which a build reports as a collision.
pub(crate) const PARTNERSHIP_REPORT: &str = "partnerships/report/";

/// The kinds of record that have a page of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Space,
    Region,
    Amenity,
    Partnership,
    Session,
    /// A free page of `content/pages/`, published at the root (`/about/`).
    Page,
}

impl Kind {
    /// The kinds whose pages live in a folder of their own (all but [`Kind::Page`]).
    pub(crate) const SECTIONS: [Kind; 5] = [
        Kind::Space,
        Kind::Region,
        Kind::Amenity,
        Kind::Partnership,
        Kind::Session,
    ];

    /// The folder its pages live in, with its trailing `/` (empty for free pages).
    pub(crate) const fn folder(self) -> &'static str {
        match self {
            Kind::Space => "spaces/",
            Kind::Region => "regions/",
            Kind::Amenity => "amenities/",
            Kind::Partnership => "partnerships/",
            Kind::Session => "sessions/",
            Kind::Page => "",
        }
    }

    /// The name of the calendar file in a record's folder: [`SESSION_CALENDAR`] for a
    /// session, [`CALENDAR`] for the others.
    pub(crate) const fn calendar_name(self) -> &'static str {
        match self {
            Kind::Session => SESSION_CALENDAR,
            _ => CALENDAR,
        }
    }
}

/// The folder of a record's page, relative to the site root: `spaces/harbour-hub/`.
pub(crate) fn folder(kind: Kind, slug: &str) -> String {
    prefixed_folder("", kind, slug)
}

/// `{prefix}{folder}{slug}/` in one allocation of its exact length: links and URLs of
/// records are made once or more per page, for tens of thousands of pages.
fn prefixed_folder(prefix: &str, kind: Kind, slug: &str) -> String {
    let f = kind.folder();
    let mut s = String::with_capacity(prefix.len() + f.len() + slug.len() + 1);
    s.push_str(prefix);
    s.push_str(f);
    s.push_str(slug);
    s.push('/');
    s
}

/// The output file of a record's page: `spaces/harbour-hub/index.html`.
pub(crate) fn page_file(kind: Kind, slug: &str) -> String {
    index_file(&folder(kind, slug))
}

/// The output file of the page at a folder (`""` is the home page): `{folder}index.html`.
pub(crate) fn index_file(folder: &str) -> String {
    format!("{folder}index.html")
}

/// The folder an output file is the page of: `spaces/x/index.html` → `spaces/x/`;
/// files that are not pages keep their path (`sitemap.xml`).
pub(crate) fn folder_of(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

/// The calendar of a record's sessions: `spaces/x/sessions.ics`; a session's own
/// calendar is `sessions/x/session.ics` (one event, a different name so the two cannot
/// be mistaken for each other).
pub(crate) fn calendar(kind: Kind, slug: &str) -> String {
    format!("{}{}", folder(kind, slug), kind.calendar_name())
}

/// The record whose page an output file is: `spaces/x/index.html` → `(Space, "x")`,
/// `about/index.html` → `(Page, "about")`; `None` for any other file.
pub(crate) fn record_of(file: &str) -> Option<(Kind, &str)> {
    let folder = file.strip_suffix("/index.html")?;
    for kind in Kind::SECTIONS {
        if let Some(slug) = folder.strip_prefix(kind.folder()) {
            return (!slug.is_empty() && !slug.contains('/')).then_some((kind, slug));
        }
        // A section's own page (`spaces/index.html`) is no record's.
        if kind.folder().strip_suffix('/') == Some(folder) {
            return None;
        }
    }
    (!folder.is_empty() && !folder.contains('/')).then_some((Kind::Page, folder))
}

/// Page `n` of a paginated list whose first page is at `first` (a folder): `first`
/// itself for page 1, `{first}page/{n}/` after.
pub(crate) fn list_page(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_owned()
    } else {
        format!("{first}page/{n}/")
    }
}

/// The site's address, from which every link and absolute URL is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Urls {
    /// `base_url` as given, always ending in `/`: `https://org.github.io/directory/`.
    base: String,
    /// Its path, always starting and ending in `/`: `/directory/`.
    root: String,
}

impl Urls {
    pub(crate) fn new(base_url: &Url) -> Self {
        let mut base = base_url.as_str().to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        let mut root = base_url.path().to_owned();
        if !root.ends_with('/') {
            root.push('/');
        }
        Urls { base, root }
    }

    /// The absolute base URL, ending in `/`.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// The root path, `/` or `/directory/`.
    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    /// The link to a path relative to the site root: `spaces/x/` → `/directory/spaces/x/`.
    pub(crate) fn href(&self, rel: &str) -> String {
        let mut s = String::with_capacity(self.root.len() + rel.len());
        s.push_str(&self.root);
        s.push_str(rel);
        s
    }

    /// The absolute URL of a path relative to the site root.
    pub(crate) fn absolute(&self, rel: &str) -> String {
        let mut s = String::with_capacity(self.base.len() + rel.len());
        s.push_str(&self.base);
        s.push_str(rel);
        s
    }

    /// The link to a record's page.
    pub(crate) fn record(&self, kind: Kind, slug: &str) -> String {
        prefixed_folder(&self.root, kind, slug)
    }

    /// The absolute URL of a record's page.
    pub(crate) fn record_absolute(&self, kind: Kind, slug: &str) -> String {
        prefixed_folder(&self.base, kind, slug)
    }

    /// [`Self::record_absolute`], as a value that writes itself where it is displayed.
    pub(crate) fn record_absolute_display<'a>(
        &'a self,
        kind: Kind,
        slug: &'a str,
    ) -> RecordUrl<'a> {
        RecordUrl {
            prefix: &self.base,
            folder: kind.folder(),
            slug,
            file: "",
        }
    }

    /// The absolute URL of a record's calendar ([`calendar`]), as a value that writes
    /// itself where it is displayed.
    pub(crate) fn calendar_absolute_display<'a>(
        &'a self,
        kind: Kind,
        slug: &'a str,
    ) -> RecordUrl<'a> {
        RecordUrl {
            prefix: &self.base,
            folder: kind.folder(),
            slug,
            file: kind.calendar_name(),
        }
    }
}

/// A record's URL (or a file in its folder) written straight into a formatter: the data
/// files and feeds write one or two per record, tens of thousands at scale, into their
/// output without making a `String` of each first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordUrl<'a> {
    prefix: &'a str,
    folder: &'static str,
    slug: &'a str,
    file: &'static str,
}

impl fmt::Display for RecordUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix)?;
        f.write_str(self.folder)?;
        f.write_str(self.slug)?;
        f.write_str("/")?;
        f.write_str(self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base: &str) -> Urls {
        Urls::new(&Url::parse(base).unwrap())
    }

    #[test]
    fn a_site_at_the_root_links_from_slash() {
        let u = urls("https://cowork.example.ca/");
        assert_eq!(u.root(), "/");
        assert_eq!(u.record(Kind::Space, "harbour-hub"), "/spaces/harbour-hub/");
        assert_eq!(u.href("sessions.ics"), "/sessions.ics");
        assert_eq!(
            u.record_absolute(Kind::Region, "kings"),
            "https://cowork.example.ca/regions/kings/"
        );
    }

    #[test]
    fn a_site_under_a_path_links_from_that_path() {
        for base in [
            "https://org.github.io/directory/",
            "https://org.github.io/directory",
        ] {
            let u = urls(base);
            assert_eq!(u.root(), "/directory/");
            assert_eq!(u.record(Kind::Session, "s-1"), "/directory/sessions/s-1/");
            assert_eq!(u.record(Kind::Page, "about"), "/directory/about/");
            assert_eq!(u.href(""), "/directory/");
            assert_eq!(
                u.absolute("data/spaces.json"),
                "https://org.github.io/directory/data/spaces.json"
            );
        }
    }

    #[test]
    fn record_paths() {
        assert_eq!(folder(Kind::Amenity, "wifi"), "amenities/wifi/");
        assert_eq!(
            page_file(Kind::Partnership, "p"),
            "partnerships/p/index.html"
        );
        assert_eq!(page_file(Kind::Page, "about"), "about/index.html");
        assert_eq!(index_file(""), "index.html");
        assert_eq!(folder_of("spaces/x/index.html"), "spaces/x/");
        assert_eq!(folder_of("index.html"), "");
        assert_eq!(folder_of("robots.txt"), "robots.txt");
        assert_eq!(calendar(Kind::Space, "x"), "spaces/x/sessions.ics");
        assert_eq!(calendar(Kind::Session, "x"), "sessions/x/session.ics");
        assert_eq!(list_page("spaces/", 1), "spaces/");
        assert_eq!(list_page("regions/kings/", 3), "regions/kings/page/3/");
        assert!(PARTNERSHIP_REPORT.starts_with(Kind::Partnership.folder()));
    }

    #[test]
    fn output_files_name_their_records() {
        assert_eq!(
            record_of("spaces/harbour-hub/index.html"),
            Some((Kind::Space, "harbour-hub"))
        );
        assert_eq!(
            record_of("sessions/s-1/index.html"),
            Some((Kind::Session, "s-1"))
        );
        assert_eq!(record_of("about/index.html"), Some((Kind::Page, "about")));
        for not_a_record in [
            "index.html",
            "spaces/index.html",
            "spaces/x/page/2/index.html",
            "spaces/x/sessions.ics",
            "sitemap.xml",
            "regions/kings/page/2/index.html",
        ] {
            assert_eq!(record_of(not_a_record), None, "{not_a_record}");
        }
        for kind in [Kind::Space, Kind::Amenity, Kind::Page] {
            assert_eq!(record_of(&page_file(kind, "x")), Some((kind, "x")));
        }
    }

    #[test]
    fn displayed_urls_are_the_built_ones() {
        let u = urls("https://org.github.io/directory/");
        assert_eq!(
            u.record_absolute_display(Kind::Space, "x").to_string(),
            u.record_absolute(Kind::Space, "x")
        );
        assert_eq!(
            u.calendar_absolute_display(Kind::Session, "s").to_string(),
            u.absolute(&calendar(Kind::Session, "s"))
        );
        assert_eq!(
            u.calendar_absolute_display(Kind::Space, "x").to_string(),
            "https://org.github.io/directory/spaces/x/sessions.ics"
        );
    }
}
