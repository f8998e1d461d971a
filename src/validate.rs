//! Raw documents → the validated [`model`](crate::model), collecting every problem.
//!
//! Checks here are about meaning, not syntax: ids that must exist, dates that must be
//! dates, URLs that must be safe, opening hours that must parse. Each problem points at
//! the value's own line and column (positions recorded by the YAML scan) and says how to
//! fix it, with "did you mean" where a close match exists. Validation goes on after a
//! problem so that one run reports them all; the model is returned only when there is
//! no error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use rayon::prelude::*;
use url::Url;

use crate::codes;
use crate::error::{Diagnostic, Diagnostics};
use crate::load::{Doc, Entry, Loaded, Positions};
use crate::model::*;
use crate::raw::*;
use crate::source::SourceFile;
use crate::suggest::did_you_mean;

/// Points problems at positions in one file.
struct At<'a> {
    src: &'a Arc<SourceFile>,
    pos: &'a Positions,
    diags: &'a mut Diagnostics,
}

impl At<'_> {
    fn error(&mut self, path: &str, code: &'static str, msg: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::error(code, msg).at(self.src, self.pos.value(path));
        self.diags.push(d);
        self.diags_last()
    }

    fn warn(&mut self, path: &str, code: &'static str, msg: impl Into<String>) -> &mut Diagnostic {
        let d = Diagnostic::warning(code, msg).at(self.src, self.pos.value(path));
        self.diags.push(d);
        self.diags_last()
    }

    /// A problem found by [`crate::recur`], pointed inside the value when it says where.
    fn problem(&mut self, p: crate::recur::Problem) {
        let value = self.pos.value(&p.path);
        // `inner` counts in the value's text: skip an opening quote.
        let quoted = matches!(
            self.src.text.as_bytes().get(value.start),
            Some(b'"' | b'\'')
        );
        let span = p.inner.map(|inner| {
            let base = value.start + usize::from(quoted);
            let s = (base + inner.start).min(value.end);
            s..(base + inner.end).clamp(s, value.end)
        });
        let d = self.error(&p.path, p.code, p.message);
        if let Some(span) = span {
            d.span = Some(span);
        }
        d.label = p.label;
        d.help = Some(p.help);
    }

    fn diags_last(&mut self) -> &mut Diagnostic {
        self.diags.last_mut().expect("just pushed")
    }

    fn required_text(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.error(path, "empty-value", format!("`{path}` is empty"))
                .help = Some("fill it in; this field is required".into());
        }
    }

    fn date(&mut self, path: &str, value: &str) -> Option<Date> {
        match value.trim().parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                let d = self.error(path, "bad-date", format!("`{value}` is not a date"));
                d.label = Some("expected YYYY-MM-DD".into());
                d.help = Some("write dates as year-month-day, e.g. 2026-09-14".into());
                None
            }
        }
    }

    fn datetime(&mut self, path: &str, value: &str) -> Option<DateTime> {
        match value.trim().parse::<DateTime>() {
            Ok(d) => Some(d),
            Err(_) => {
                let d = self.error(
                    path,
                    "bad-datetime",
                    format!("`{value}` is not a local date and time"),
                );
                d.label = Some("expected YYYY-MM-DDTHH:MM".into());
                d.help = Some(
                    "write e.g. 2026-12-08T10:00 (local time; the time zone is set separately)"
                        .into(),
                );
                None
            }
        }
    }

    /// A link: http(s) only (mailto/tel have their own fields).
    fn web_url(&mut self, path: &str, value: &str) -> Option<Url> {
        match Url::parse(value.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Some(u),
            Ok(u) => {
                let d = self.error(
                    path,
                    "bad-url",
                    format!("`{}:` links are not allowed here", u.scheme()),
                );
                d.help = Some("use an http:// or https:// address".into());
                None
            }
            Err(e) => {
                let d = self.error(
                    path,
                    "bad-url",
                    format!("`{value}` is not a valid URL: {e}"),
                );
                d.help = Some("write the full address, starting with https://".into());
                None
            }
        }
    }

    fn email(&mut self, path: &str, value: &str) -> Option<String> {
        let v = value.trim();
        let ok = v.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !v.chars().any(|c| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',' | ';' | '@') && c != '@'
                })
                && v.matches('@').count() == 1
        });
        if ok {
            Some(v.to_owned())
        } else {
            self.error(
                path,
                "bad-email",
                format!("`{value}` is not an email address"),
            )
            .help = Some("write it as name@example.org".into());
            None
        }
    }

    fn phone(&mut self, path: &str, value: &str) -> Option<String> {
        let v = value.trim();
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let ok = (5..=17).contains(&digits)
            && v.chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if ok {
            Some(v.to_owned())
        } else {
            self.error(
                path,
                "bad-phone",
                format!("`{value}` is not a phone number"),
            )
            .help =
                Some("use digits, spaces, `+`, `-` and brackets, e.g. \"+1 902 555 0100\"".into());
            None
        }
    }

    fn language(&mut self, path: &str, value: &str) {
        if oxilangtag::LanguageTag::parse(value.trim()).is_err() || value.trim().is_empty() {
            self.error(
                path,
                "bad-language",
                format!("`{value}` is not a BCP 47 language tag"),
            )
            .help = Some("use a tag such as en, fr, fr-CA".into());
        }
    }

    fn time_zone(&mut self, path: &str, value: &str) -> Option<TimeZone> {
        match TimeZone::get(value.trim()) {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.error(
                    path,
                    "bad-time-zone",
                    format!("`{value}` is not a time zone"),
                )
                .help = Some("use an IANA time zone name such as America/Halifax".into());
                None
            }
        }
    }

    fn reference(
        &mut self,
        path: &str,
        value: &str,
        kind: &str,
        file: &str,
        known: &BTreeSet<String>,
    ) -> bool {
        if known.contains(value) {
            return true;
        }
        let d = self.error(path, "unknown-id", format!("unknown {kind} \"{value}\""));
        d.label = Some(
            match did_you_mean(value, known.iter().map(String::as_str)) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!("not in {file}"),
            },
        );
        d.help = Some(format!("{kind} ids are defined in {file}"));
        false
    }
}

/// Ids of the vocabularies, when their files loaded.
#[derive(Default)]
struct Known {
    regions: Option<BTreeSet<String>>,
    amenities: Option<BTreeSet<String>>,
    categories: BTreeSet<String>,
    spaces: BTreeSet<String>,
    active_spaces: BTreeSet<String>,
    partnerships: BTreeSet<String>,
    statics: BTreeSet<String>,
}

/// Validates everything that loaded; the site is `Some` only when there is no error.
pub fn validate(loaded: &Loaded, mut diags: Diagnostics) -> (Option<Site>, Diagnostics) {
    let closed: BTreeSet<&str> = loaded
        .spaces
        .iter()
        .filter(|e| e.doc.raw.status == SpaceStatus::Closed)
        .map(|e| e.slug.as_str())
        .collect();
    let mut known = Known {
        spaces: loaded.slugs.get("spaces").cloned().unwrap_or_default(),
        // A space whose file did not parse counts as open: no second error about it.
        active_spaces: loaded
            .slugs
            .get("spaces")
            .into_iter()
            .flatten()
            .filter(|slug| !closed.contains(slug.as_str()))
            .cloned()
            .collect(),
        partnerships: loaded
            .slugs
            .get("partnerships")
            .cloned()
            .unwrap_or_default(),
        statics: loaded.statics.iter().map(|s| s.rel.clone()).collect(),
        ..Known::default()
    };

    let config = loaded
        .site
        .as_ref()
        .and_then(|d| site_config(d, &mut diags));
    let (categories, amenities) = match &loaded.amenities {
        Some(doc) => {
            let (c, a) = vocabulary(doc, &mut diags);
            known.categories = c.iter().map(|c| c.id.to_string()).collect();
            known.amenities = Some(a.iter().map(|a| a.id.to_string()).collect());
            (c, a)
        }
        None => (Vec::new(), Vec::new()),
    };
    let regions = match &loaded.regions {
        Some(doc) => {
            let r = regions(doc, &mut diags);
            known.regions = Some(r.iter().map(|r| r.id.to_string()).collect());
            r
        }
        None => Vec::new(),
    };

    // Spaces and sessions are checked on every core, each into its own list of
    // problems; the lists are joined in file order, as a single pass would have made them.
    let hours = opening_hours_errors(&loaded.spaces);
    let spaces = in_parallel(&loaded.spaces, &mut diags, |e, d| {
        space(e, &known, &hours, d)
    });
    let partnerships: Vec<Partnership> = loaded
        .partnerships
        .iter()
        .filter_map(|e| partnership(e, &known, &mut diags))
        .collect();
    let default_tz = config
        .as_ref()
        .map(|c| (c.time_zone.clone(), c.time_zone_name.clone()));
    let sessions = in_parallel(&loaded.sessions, &mut diags, |e, d| {
        session(e, &known, default_tz.as_ref(), d)
    });
    let pages: Vec<Page> = loaded
        .pages
        .iter()
        .filter_map(|e| page(e, &mut diags))
        .collect();

    if diags.has_errors() {
        return (None, diags);
    }
    let Some(config) = config else {
        return (None, diags);
    };
    let site = Site {
        config,
        categories,
        amenities,
        regions,
        spaces,
        partnerships,
        sessions,
        pages,
        // Names and shared bytes: cheap to copy.
        statics: loaded.statics.clone(),
    };
    (Some(site), diags)
}

/// `check` over `entries` in parallel; the problems are added to `diags` in entry order.
fn in_parallel<E: Sync, T: Send>(
    entries: &[E],
    diags: &mut Diagnostics,
    check: impl Fn(&E, &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let results: Vec<(Option<T>, Diagnostics)> = entries
        .par_iter()
        .map(|e| {
            let mut d = Diagnostics::new();
            (check(e, &mut d), d)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (item, d) in results {
        diags.extend(d);
        out.extend(item);
    }
    out
}

/// The parser's message for each distinct `opening_hours` value that does not parse
/// (`None` for one that does). Parsing is the costliest check of a space, and large
/// directories repeat the same few schedules.
fn opening_hours_errors(spaces: &[Entry<RawSpace>]) -> HashMap<&str, Option<String>> {
    let distinct: HashSet<&str> = spaces
        .iter()
        .filter_map(|e| e.doc.raw.opening_hours.as_deref())
        .collect();
    distinct
        .into_par_iter()
        .map(|oh| {
            let err = oh
                .parse::<opening_hours::OpeningHours>()
                .err()
                .map(|e| e.to_string());
            (oh, err)
        })
        .collect()
}

fn site_config(doc: &Doc<RawSite>, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let RawSite {
        title,
        description,
        base_url,
        language,
        time_zone,
        theme,
        publisher,
        licence,
        fairness,
        listing,
    } = &doc.raw;
    let mut at = At {
        src: &doc.src,
        pos: &doc.pos,
        diags,
    };
    let max_session_share = fairness
        .as_ref()
        .and_then(|RawFairness { max_session_share }| *max_session_share)
        .unwrap_or(DEFAULT_MAX_SHARE);
    if !(max_session_share > 0.0 && max_session_share <= 1.0) {
        at.error(
            "fairness.max_session_share",
            "bad-share",
            format!("{max_session_share} is not a share between 0 and 1"),
        )
        .help = Some(
            "e.g. 0.4: warn when one space hosts more than 40% of a partnership's sessions".into(),
        );
    }
    at.required_text("title", title);
    at.required_text("description", description);
    at.language("language", language);
    let mut base = at.web_url("base_url", base_url);
    if let Some(u) = &mut base {
        if !u.path().ends_with('/') {
            let p = format!("{}/", u.path());
            u.set_path(&p);
        }
    }
    let tz = at.time_zone("time_zone", time_zone);
    let theme = theme.clone().unwrap_or_else(|| "default".into());
    if !crate::load::is_slug(&theme) {
        at.error(
            "theme",
            "bad-theme",
            format!("`{theme}` is not a theme folder name"),
        )
        .help = Some("name a folder under themes/, e.g. default".into());
    }
    let listing = crate::listing::policy(listing.as_ref(), &doc.src, &doc.pos, at.diags);
    Some(SiteConfig {
        title: title.trim().to_owned(),
        description: description.trim().to_owned(),
        base_url: base?,
        language: language.trim().to_owned(),
        time_zone: tz?,
        time_zone_name: time_zone.trim().to_owned(),
        theme,
        publisher: publisher.clone(),
        licence: licence.clone(),
        max_session_share,
        listing,
        src: Arc::clone(&doc.src),
    })
}

fn check_ids<'a>(
    at: &mut At,
    list: &str,
    ids: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        let path = format!("{list}.{i}.id");
        if !crate::load::is_slug(id) {
            at.error(&path, "bad-id", format!("`{id}` is not a valid id"))
                .help = Some(format!(
                "use lowercase letters, digits and single hyphens, e.g. `{}`",
                crate::load::suggest_slug(id)
            ));
        } else if let Some(first) = seen.get(id) {
            let line = at
                .src
                .line_col(at.pos.value(&format!("{list}.{first}.id")).start)
                .0;
            at.error(&path, "duplicate-id", format!("id `{id}` is used twice"))
                .label = Some(format!("first used on line {line}"));
        } else {
            seen.insert(id.to_owned(), i);
        }
    }
    seen
}

fn vocabulary(doc: &Doc<RawAmenities>, diags: &mut Diagnostics) -> (Vec<Category>, Vec<Amenity>) {
    let mut at = At {
        src: &doc.src,
        pos: &doc.pos,
        diags,
    };
    let cats = check_ids(
        &mut at,
        "categories",
        doc.raw.categories.iter().map(|c| c.id.as_str()),
    );
    let cat_ids: BTreeSet<String> = cats.keys().cloned().collect();
    let mut categories = Vec::new();
    for (i, RawCategory { id, name, parent }) in doc.raw.categories.iter().enumerate() {
        at.required_text(&format!("categories.{i}.name"), name);
        if let Some(p) = parent {
            let path = format!("categories.{i}.parent");
            if p == id {
                at.error(
                    &path,
                    "category-cycle",
                    format!("category `{id}` cannot be its own parent"),
                );
            } else {
                at.reference(&path, p, "category", "content/amenities.yaml", &cat_ids);
            }
        }
        categories.push(Category {
            id: Slug::new_unchecked(id),
            name: name.trim().to_owned(),
            parent: parent.as_ref().map(Slug::new_unchecked),
        });
    }
    // A parent chain must end: walk each one at most `len` steps.
    for (i, c) in categories.iter().enumerate() {
        let mut cur = c.parent.clone();
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > categories.len() {
                at.error(
                    &format!("categories.{i}.parent"),
                    "category-cycle",
                    format!("the parents of category `{}` form a loop", c.id),
                );
                break;
            }
            cur = categories
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.parent.clone());
        }
    }
    check_ids(
        &mut at,
        "amenities",
        doc.raw.amenities.iter().map(|a| a.id.as_str()),
    );
    let mut amenities = Vec::new();
    for (
        i,
        RawAmenity {
            id,
            name,
            description,
            category,
        },
    ) in doc.raw.amenities.iter().enumerate()
    {
        at.required_text(&format!("amenities.{i}.name"), name);
        at.reference(
            &format!("amenities.{i}.category"),
            category,
            "category",
            "content/amenities.yaml",
            &cat_ids,
        );
        amenities.push(Amenity {
            id: Slug::new_unchecked(id),
            name: name.trim().to_owned(),
            description: description.trim().to_owned(),
            category: Slug::new_unchecked(category),
        });
    }
    (categories, amenities)
}

fn regions(doc: &Doc<RawRegions>, diags: &mut Diagnostics) -> Vec<Region> {
    let mut at = At {
        src: &doc.src,
        pos: &doc.pos,
        diags,
    };
    check_ids(
        &mut at,
        "regions",
        doc.raw.regions.iter().map(|r| r.id.as_str()),
    );
    doc.raw
        .regions
        .iter()
        .enumerate()
        .map(
            |(
                i,
                RawRegion {
                    id,
                    name,
                    kind,
                    description,
                },
            )| {
                at.required_text(&format!("regions.{i}.name"), name);
                Region {
                    id: Slug::new_unchecked(id),
                    name: name.trim().to_owned(),
                    kind: *kind,
                    description: description.clone(),
                }
            },
        )
        .collect()
}

fn space(
    e: &Entry<RawSpace>,
    known: &Known,
    hours: &HashMap<&str, Option<String>>,
    diags: &mut Diagnostics,
) -> Option<Space> {
    let RawSpace {
        name,
        region,
        status,
        summary,
        address,
        location,
        website,
        email,
        phone,
        opening_hours,
        amenities,
        plans,
        capacity,
        languages,
        accessibility,
        government_members_welcome,
        drop_in,
        images,
        last_verified,
    } = &e.doc.raw;
    let before = diags.error_count();
    let mut at = At {
        src: &e.doc.src,
        pos: &e.doc.pos,
        diags,
    };
    at.required_text("name", name);
    if let Some(k) = &known.regions {
        at.reference("region", region, "region", "content/regions.yaml", k);
    }
    let RawAddress {
        street,
        locality,
        region: addr_region,
        postal_code,
        country,
    } = address;
    for (p, v) in [
        ("address.street", street),
        ("address.locality", locality),
        ("address.region", addr_region),
        ("address.postal_code", postal_code),
    ] {
        at.required_text(p, v);
    }
    if !codes::is_country(country.trim()) {
        let d = at.error(
            "address.country",
            "bad-country",
            format!("`{country}` is not an ISO 3166 country code"),
        );
        let upper = country.trim().to_ascii_uppercase();
        d.label = Some(if codes::is_country(&upper) {
            format!("did you mean \"{upper}\"?")
        } else {
            "expected two capital letters".into()
        });
        d.help = Some("use the two-letter ISO 3166-1 code, e.g. CA for Canada".into());
    }
    let RawLocation { lat, lon } = location;
    if !(-90.0..=90.0).contains(lat) || !lat.is_finite() {
        at.error(
            "location.lat",
            "bad-location",
            format!("latitude {lat} is out of range"),
        )
        .help = Some("latitude is between -90 and 90 (north is positive)".into());
    }
    if !(-180.0..=180.0).contains(lon) || !lon.is_finite() {
        at.error(
            "location.lon",
            "bad-location",
            format!("longitude {lon} is out of range"),
        )
        .help = Some(
            "longitude is between -180 and 180 (east is positive); did you swap lat and lon?"
                .into(),
        );
    }
    let website = website.as_ref().and_then(|w| at.web_url("website", w));
    let email = email.as_ref().and_then(|v| at.email("email", v));
    let phone = phone.as_ref().and_then(|v| at.phone("phone", v));
    if let Some(oh) = opening_hours {
        if let Some(Some(text)) = hours.get(oh.as_str()) {
            // The parser reports ` --> 1:COL` and `= expected ...`: point the caret at
            // that character inside the value and say what was expected there.
            let col = text
                .split("--> 1:")
                .nth(1)
                .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<usize>().ok());
            let expected = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("= "))
                .unwrap_or("not valid opening_hours syntax")
                .to_owned();
            let whole = e.doc.pos.value("opening_hours");
            let span = match col {
                Some(c) => {
                    let quoted = matches!(
                        e.doc.src.text.as_bytes().get(whole.start),
                        Some(b'"' | b'\'')
                    );
                    let start = whole.start
                        + usize::from(quoted)
                        + oh.chars().take(c - 1).map(char::len_utf8).sum::<usize>();
                    start.min(whole.end)..(start + 1).min(whole.end.max(start + 1))
                }
                None => whole,
            };
            at.diags.push(
                crate::error::Diagnostic::error("bad-opening-hours", "the opening hours cannot be read")
                    .at(&e.doc.src, span)
                    .label(expected)
                    .help("use OpenStreetMap opening_hours syntax, e.g. \"Mo-Fr 08:00-18:00; Sa 10:00-14:00; PH off\""),
            );
        }
    }
    let mut seen_amenities = BTreeSet::new();
    for (i, a) in amenities.iter().enumerate() {
        let path = format!("amenities.{i}");
        if !seen_amenities.insert(a.as_str()) {
            at.error(
                &path,
                "duplicate-value",
                format!("amenity `{a}` is listed twice"),
            );
        } else if let Some(k) = &known.amenities {
            at.reference(&path, a, "amenity", "content/amenities.yaml", k);
        }
    }
    let mut model_plans = Vec::new();
    for (
        i,
        RawPlan {
            name,
            price,
            currency,
            period,
        },
    ) in plans.iter().enumerate()
    {
        at.required_text(&format!("plans.{i}.name"), name);
        if !price.is_finite() || *price < 0.0 {
            at.error(
                &format!("plans.{i}.price"),
                "bad-price",
                format!("price {price} is not a positive amount"),
            );
        }
        if !codes::is_currency(currency.trim()) {
            at.error(
                &format!("plans.{i}.currency"),
                "bad-currency",
                format!("`{currency}` is not an ISO 4217 currency code"),
            )
            .help = Some("use a three-letter code such as CAD".into());
        }
        model_plans.push(Plan {
            name: name.trim().to_owned(),
            price: *price,
            currency: currency.trim().to_owned(),
            period: *period,
        });
    }
    if *capacity == Some(0) {
        at.error("capacity", "bad-capacity", "capacity is 0").help =
            Some("give the number of people the space can seat, or remove the field".into());
    }
    for (i, l) in languages.iter().enumerate() {
        at.language(&format!("languages.{i}"), l);
    }
    let mut model_images = Vec::new();
    for (
        i,
        RawImage {
            src,
            alt,
            width,
            height,
        },
    ) in images.iter().enumerate()
    {
        let path = format!("images.{i}");
        if alt.trim().is_empty() {
            at.error(
                &format!("{path}.alt"),
                "missing-alt",
                "the image has no alt text",
            )
            .help = Some("describe what the image shows for people who cannot see it".into());
        }
        let rel = src.trim().trim_start_matches('/');
        if !known.statics.contains(rel) {
            let d = at.error(
                &format!("{path}.src"),
                "missing-image",
                format!("`{src}` is not in content/static/"),
            );
            d.label = Some(
                match did_you_mean(rel, known.statics.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => "no such file".into(),
                },
            );
            d.help = Some("put the image in content/static/ and give its path from there, e.g. images/my-space.jpg".into());
        }
        if width.is_none() || height.is_none() {
            at.warn(&path, "image-size", "the image has no width and height")
                .help = Some(
                "give width and height in pixels so the page does not jump while it loads".into(),
            );
        }
        model_images.push(Image {
            src: rel.to_owned(),
            alt: alt.trim().to_owned(),
            width: *width,
            height: *height,
        });
    }
    let verified = at.date("last_verified", last_verified);
    let accessibility = accessibility.as_ref().map(
        |RawAccessibility {
             step_free,
             accessible_washroom,
             hearing_loop,
             quiet_room,
             notes,
         }| Accessibility {
            step_free: *step_free,
            accessible_washroom: *accessible_washroom,
            hearing_loop: *hearing_loop,
            quiet_room: *quiet_room,
            notes: notes.clone(),
        },
    );
    if diags.error_count() > before {
        return None;
    }
    Some(Space {
        slug: Slug::new_unchecked(&e.slug),
        name: name.trim().to_owned(),
        region: Slug::new_unchecked(region),
        status: *status,
        summary: summary
            .as_ref()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        address: Address {
            street: street.trim().to_owned(),
            locality: locality.trim().to_owned(),
            region: addr_region.trim().to_owned(),
            postal_code: postal_code.trim().to_owned(),
            country: country.trim().to_owned(),
        },
        lat: *lat,
        lon: *lon,
        website,
        email,
        phone,
        opening_hours: opening_hours.as_ref().map(|s| s.trim().to_owned()),
        amenities: amenities.iter().map(Slug::new_unchecked).collect(),
        plans: model_plans,
        capacity: *capacity,
        languages: languages.iter().map(|l| l.trim().to_owned()).collect(),
        accessibility,
        government_members_welcome: *government_members_welcome,
        drop_in: *drop_in,
        images: model_images,
        last_verified: verified?,
        body: e.body_text().to_owned(),
        src: Arc::clone(&e.doc.src),
    })
}

fn partnership(
    e: &Entry<RawPartnership>,
    known: &Known,
    diags: &mut Diagnostics,
) -> Option<Partnership> {
    let RawPartnership {
        name,
        summary,
        government,
        jurisdiction,
        kinds,
        status,
        start,
        end,
        spaces,
        open_to_all_eligible,
        eligibility,
        funding,
        contact,
    } = &e.doc.raw;
    let before = diags.error_count();
    let mut at = At {
        src: &e.doc.src,
        pos: &e.doc.pos,
        diags,
    };
    at.required_text("name", name);
    at.required_text("government.name", &government.name);
    at.required_text("jurisdiction", jurisdiction);
    if kinds.is_empty() {
        at.error(
            "kinds",
            "empty-value",
            "a partnership needs at least one kind",
        )
        .help = Some("use memberships, drop-in-advisors, info-sessions or other".into());
    }
    let start_date = at.date("start", start);
    let end_date = end.as_ref().and_then(|v| at.date("end", v));
    if let (Some(s), Some(en)) = (start_date, end_date) {
        if en < s {
            at.error(
                "end",
                "end-before-start",
                format!("the end ({en}) is before the start ({s})"),
            );
        }
    }
    if *open_to_all_eligible {
        if !spaces.is_empty() {
            at.error(
                "spaces",
                "spaces-and-open",
                "give either `spaces` or `open_to_all_eligible: true`, not both",
            )
            .help = Some("a programme open to every eligible space lists none by name".into());
        }
        if eligibility.as_deref().is_none_or(|s| s.trim().is_empty()) {
            at.error("open_to_all_eligible", "missing-eligibility", "`open_to_all_eligible: true` needs an `eligibility` text")
                .help = Some("say which spaces are eligible, e.g. \"any listed space with a hot desk for public servants\"".into());
        }
    } else if spaces.is_empty() {
        at.error("spaces", "no-spaces", "a partnership lists its spaces or is open to all eligible spaces")
            .help = Some("add `spaces: [space-id, ...]` or `open_to_all_eligible: true` with an `eligibility` text".into());
    }
    let mut seen = BTreeSet::new();
    for (i, s) in spaces.iter().enumerate() {
        let path = format!("spaces.{i}");
        if !seen.insert(s.as_str()) {
            at.error(
                &path,
                "duplicate-value",
                format!("space `{s}` is listed twice"),
            );
        } else {
            at.reference(&path, s, "space", "content/spaces/", &known.spaces);
        }
    }
    let funding = match funding {
        RawFunding::None => Funding::None,
        RawFunding::Disclosed(RawFundingAmount {
            amount,
            currency,
            pays_for,
        }) => {
            if !amount.is_finite() || *amount < 0.0 {
                at.error(
                    "funding.amount",
                    "bad-price",
                    format!("amount {amount} is not a positive amount"),
                );
            }
            if !codes::is_currency(currency.trim()) {
                at.error(
                    "funding.currency",
                    "bad-currency",
                    format!("`{currency}` is not an ISO 4217 currency code"),
                );
            }
            at.required_text("funding.pays_for", pays_for);
            Funding::Disclosed {
                amount: *amount,
                currency: currency.trim().to_owned(),
                pays_for: pays_for.trim().to_owned(),
            }
        }
    };
    let RawContact {
        name: c_name,
        email,
        phone,
        website,
    } = contact;
    let contact = Contact {
        name: c_name.clone(),
        email: email.as_ref().and_then(|v| at.email("contact.email", v)),
        phone: phone.as_ref().and_then(|v| at.phone("contact.phone", v)),
        website: website
            .as_ref()
            .and_then(|v| at.web_url("contact.website", v))
            .map(|u| u.to_string()),
    };
    if contact.email.is_none()
        && contact.phone.is_none()
        && contact.website.is_none()
        && diags.error_count() == before
    {
        let mut at = At {
            src: &e.doc.src,
            pos: &e.doc.pos,
            diags,
        };
        at.error(
            "contact",
            "no-contact",
            "the contact has no email, phone or website",
        )
        .help = Some("give at least one way to reach the programme".into());
    }
    if diags.error_count() > before {
        return None;
    }
    let mut kinds = kinds.clone();
    kinds.sort();
    kinds.dedup();
    Some(Partnership {
        slug: Slug::new_unchecked(&e.slug),
        name: name.trim().to_owned(),
        summary: summary.clone(),
        government_name: government.name.trim().to_owned(),
        government_level: government.level,
        jurisdiction: jurisdiction.trim().to_owned(),
        kinds,
        status: *status,
        start: start_date?,
        end: end_date,
        spaces: spaces.iter().map(Slug::new_unchecked).collect(),
        open_to_all_eligible: *open_to_all_eligible,
        eligibility: eligibility.clone(),
        funding,
        contact,
        body: e.body_text().to_owned(),
        src: Arc::clone(&e.doc.src),
    })
}

fn session(
    e: &Entry<RawSession>,
    known: &Known,
    default_tz: Option<&(TimeZone, String)>,
    diags: &mut Diagnostics,
) -> Option<Session> {
    let RawSession {
        title,
        start,
        end,
        time_zone,
        space,
        online,
        partnership,
        host,
        topics,
        language,
        capacity,
        registration,
        status,
        free,
        repeat,
        except,
        cancelled,
    } = &e.doc.raw;
    let before = diags.error_count();
    let mut at = At {
        src: &e.doc.src,
        pos: &e.doc.pos,
        diags,
    };
    at.required_text("title", title);
    at.required_text("host.body", &host.body);
    at.required_text("host.role", &host.role);
    at.language("language", language);
    let tz = match time_zone {
        Some(name) => at
            .time_zone("time_zone", name)
            .map(|tz| (tz, name.trim().to_owned())),
        None => default_tz.cloned(),
    };
    let start_dt = at.datetime("start", start);
    let end_dt = at.datetime("end", end);
    let mut instants = None;
    if let (Some(s), Some(en), Some((tz, _))) = (start_dt, end_dt, &tz) {
        let mut resolve = |path: &str, dt: DateTime| {
            let amb = tz.to_ambiguous_timestamp(dt);
            if matches!(amb.offset(), jiff::tz::AmbiguousOffset::Gap { .. }) {
                at.error(
                    path,
                    "time-in-gap",
                    format!("{dt} does not exist in this time zone: the clocks jump forward then"),
                )
                .help = Some(
                    "daylight-saving time starts at this hour; choose a time outside the jump"
                        .into(),
                );
                return None;
            }
            amb.compatible().ok()
        };
        let (a, b) = (resolve("start", s), resolve("end", en));
        if let (Some(a), Some(b)) = (a, b) {
            if b <= a {
                at.error(
                    "end",
                    "end-before-start",
                    format!("the session ends ({en}) before it starts ({s})"),
                );
            }
            instants = Some((a, b));
        }
    }
    let venue = match (space, online) {
        (Some(s), None) => {
            if at.reference("space", s, "space", "content/spaces/", &known.spaces)
                && !known.active_spaces.contains(s)
                && *status == SessionStatus::Scheduled
            {
                at.error("space", "closed-space", format!("space `{s}` is closed"))
                    .help = Some(
                    "a scheduled session needs an open space; move it or mark it cancelled".into(),
                );
            }
            Some(Venue::Space(Slug::new_unchecked(s)))
        }
        (None, Some(link)) => at.web_url("online", link).map(Venue::Online),
        (Some(_), Some(_)) => {
            at.error("online", "space-and-online", "give either `space` or `online`, not both")
                .help = Some("a hybrid session takes place at a space: give `space` and put the online link in the description".into());
            None
        }
        (None, None) => {
            at.error(
                "title",
                "no-venue",
                "the session has neither a `space` nor an `online` link",
            )
            .help = Some("add `space: <space-id>` or `online: https://...`".into());
            None
        }
    };
    if let Some(p) = partnership {
        at.reference(
            "partnership",
            p,
            "partnership",
            "content/partnerships/",
            &known.partnerships,
        );
    }
    let registration = registration
        .as_ref()
        .and_then(|r| at.web_url("registration", r));
    if *capacity == Some(0) {
        at.error("capacity", "bad-capacity", "capacity is 0");
    }
    let mut occurrences = Vec::new();
    if let (Some(s), Some(en), Some(first), Some((tz, tz_name))) = (start_dt, end_dt, instants, &tz)
    {
        let series = crate::recur::Series {
            repeat: repeat.as_deref(),
            except,
            cancelled,
            start: s,
            end: en,
            first,
            tz,
            tz_name,
            status: *status,
        };
        match crate::recur::occurrences(&series) {
            Ok(o) => occurrences = o,
            Err(problems) => problems.into_iter().for_each(|p| at.problem(p)),
        }
    }
    if diags.error_count() > before {
        return None;
    }
    let (tz, tz_name) = tz?;
    let (start_at, end_at) = instants?;
    Some(Session {
        slug: Slug::new_unchecked(&e.slug),
        title: title.trim().to_owned(),
        start: start_dt?,
        end: end_dt?,
        time_zone: tz,
        time_zone_name: tz_name,
        start_at,
        end_at,
        venue: venue?,
        partnership: partnership.as_ref().map(Slug::new_unchecked),
        host_body: host.body.trim().to_owned(),
        host_role: host.role.trim().to_owned(),
        topics: topics.iter().map(|t| t.trim().to_owned()).collect(),
        language: language.trim().to_owned(),
        capacity: *capacity,
        registration,
        status: *status,
        free: *free,
        repeat: repeat.as_ref().map(|r| r.trim().to_owned()),
        occurrences,
        body: e.body_text().to_owned(),
        src: Arc::clone(&e.doc.src),
    })
}

fn page(e: &Entry<RawPage>, diags: &mut Diagnostics) -> Option<Page> {
    let RawPage {
        title,
        description,
        menu,
    } = &e.doc.raw;
    let before = diags.error_count();
    let mut at = At {
        src: &e.doc.src,
        pos: &e.doc.pos,
        diags,
    };
    at.required_text("title", title);
    if diags.error_count() > before {
        return None;
    }
    Some(Page {
        slug: Slug::new_unchecked(&e.slug),
        title: title.trim().to_owned(),
        description: description.clone(),
        menu: *menu,
        body: e.body_text().to_owned(),
        src: Arc::clone(&e.doc.src),
    })
}
