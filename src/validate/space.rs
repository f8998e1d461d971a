//! `content/spaces/*.md` → [`Space`]: the step of validation that checks a coworking
//! space, field group by field group as the content model lists them: identity, address,
//! location, contact, opening hours, amenities, plans and prices, capacity and languages,
//! images, the verification date and accessibility.
//!
//! Spaces are checked in parallel (see [`super::validate`]), so nothing here may depend on
//! another space; what a space refers to is looked up in [`Known`]. Opening hours are
//! parsed once per distinct value, before, by [`opening_hours_errors`].

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::at::{At, check_range};
use super::known::Known;
use crate::codes;
use crate::error::{Diagnostic, Diagnostics};
use crate::load::Entry;
use crate::model::limits;
use crate::model::{Accessibility, Address, Image, Plan, Slug, Space};
use crate::raw::{RawAccessibility, RawAddress, RawImage, RawLocation, RawPlan, RawSpace};
use crate::suggest::did_you_mean;

/// The parser's message for each distinct `opening_hours` value that does not parse
/// (`None` for one that does). Parsing is the costliest check of a space, and large
/// directories repeat the same few schedules.
pub(super) fn opening_hours_errors(spaces: &[Entry<RawSpace>]) -> HashMap<&str, Option<String>> {
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

pub(super) fn space(
    e: &Entry<RawSpace>,
    known: &Known,
    hours: &HashMap<&str, Option<String>>,
    diags: &mut Diagnostics,
) -> Option<Space> {
    // Every field named, so that a new field of the content model cannot be forgotten here.
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
    let mut at = At::of(&e.doc, diags);
    at.required_text("name", name);
    if let Some(k) = &known.regions {
        at.reference("region", region, "region", "content/regions.yaml", k);
    }
    let address = check_address(&mut at, address);
    let RawLocation { lat, lon } = location;
    check_location(&mut at, *lat, *lon);
    let website = website.as_ref().and_then(|w| at.web_url("website", w));
    let email = email.as_ref().and_then(|v| at.email("email", v));
    let phone = phone.as_ref().and_then(|v| at.phone("phone", v));
    if let Some(oh) = opening_hours {
        if let Some(Some(text)) = hours.get(oh.as_str()) {
            check_opening_hours(&mut at, oh, text);
        }
    }
    check_amenities(&mut at, amenities, known);
    let plans = check_plans(&mut at, plans);
    if *capacity == Some(0) {
        at.error("capacity", "bad-capacity", "capacity is 0").help =
            Some("give the number of people the space can seat, or remove the field".into());
    } else if let Some(c) = capacity {
        check_range(
            &mut at,
            "capacity",
            f64::from(*c),
            limits::CAPACITY,
            "bad-capacity",
        );
    }
    if let Some(s) = summary {
        at.bounded("summary", s, Some(limits::SUMMARY));
    }
    for (i, l) in languages.iter().enumerate() {
        at.language(&format!("languages.{i}"), l);
    }
    let images = check_images(&mut at, images, known);
    let verified = at.date("last_verified", last_verified);
    let accessibility = accessibility.as_ref().map(model_accessibility);
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
        address,
        lat: *lat,
        lon: *lon,
        website,
        email,
        phone,
        opening_hours: opening_hours.as_ref().map(|s| s.trim().to_owned()),
        amenities: amenities.iter().map(Slug::new_unchecked).collect(),
        plans,
        capacity: *capacity,
        languages: languages.iter().map(|l| l.trim().to_owned()).collect(),
        accessibility,
        government_members_welcome: *government_members_welcome,
        drop_in: *drop_in,
        images,
        last_verified: verified?,
        body: e.body_text().to_owned(),
        src: Arc::clone(&e.doc.src),
    })
}

/// Every line of the address is required; the country is an ISO 3166 code.
fn check_address(at: &mut At, address: &RawAddress) -> Address {
    let RawAddress {
        street,
        locality,
        region,
        postal_code,
        country,
    } = address;
    for (p, v) in [
        ("address.street", street),
        ("address.locality", locality),
        ("address.region", region),
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
    Address {
        street: street.trim().to_owned(),
        locality: locality.trim().to_owned(),
        region: region.trim().to_owned(),
        postal_code: postal_code.trim().to_owned(),
        country: country.trim().to_owned(),
    }
}

fn check_location(at: &mut At, lat: f64, lon: f64) {
    if !limits::LAT.contains(lat) {
        at.error(
            "location.lat",
            "bad-location",
            format!("latitude {lat} is out of range"),
        )
        .help = Some("latitude is between -90 and 90 (north is positive)".into());
    }
    if !limits::LON.contains(lon) {
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
}

/// `oh` did not parse, and `text` is the parser's message.
fn check_opening_hours(at: &mut At, oh: &str, text: &str) {
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
    let whole = at.pos.value("opening_hours");
    let span = match col {
        Some(c) => {
            let quoted = matches!(at.src.text.as_bytes().get(whole.start), Some(b'"' | b'\''));
            let start = whole.start
                + usize::from(quoted)
                + oh.chars().take(c - 1).map(char::len_utf8).sum::<usize>();
            start.min(whole.end)..(start + 1).min(whole.end.max(start + 1))
        }
        None => whole,
    };
    at.diags.push(
        Diagnostic::error("bad-opening-hours", "the opening hours cannot be read")
            .at(at.src, span)
            .label(expected)
            .help("use OpenStreetMap opening_hours syntax, e.g. \"Mo-Fr 08:00-18:00; Sa 10:00-14:00; PH off\""),
    );
}

/// Each amenity given once, and known when the vocabulary loaded.
fn check_amenities(at: &mut At, amenities: &[String], known: &Known) {
    let mut seen = BTreeSet::new();
    for (i, a) in amenities.iter().enumerate() {
        let path = format!("amenities.{i}");
        if !seen.insert(a.as_str()) {
            at.error(
                &path,
                "duplicate-value",
                format!("amenity `{a}` is listed twice"),
            );
        } else if let Some(k) = &known.amenities {
            at.reference(&path, a, "amenity", "content/amenities.yaml", k);
        }
    }
}

/// Each plan named, with a price of zero or more in an ISO 4217 currency.
fn check_plans(at: &mut At, plans: &[RawPlan]) -> Vec<Plan> {
    let mut out = Vec::new();
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
        } else {
            check_range(
                at,
                &format!("plans.{i}.price"),
                *price,
                limits::PRICE,
                "bad-price",
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
        out.push(Plan {
            name: name.trim().to_owned(),
            price: *price,
            currency: currency.trim().to_owned(),
            period: *period,
        });
    }
    out
}

/// Each image with alt text, a file under `content/static/`, and (a warning) its size.
fn check_images(at: &mut At, images: &[RawImage], known: &Known) -> Vec<Image> {
    let mut out = Vec::new();
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
        out.push(Image {
            src: rel.to_owned(),
            alt: alt.trim().to_owned(),
            width: *width,
            height: *height,
        });
    }
    out
}

/// The accessibility block has no rule to break: it is copied as given.
fn model_accessibility(
    RawAccessibility {
        step_free,
        accessible_washroom,
        hearing_loop,
        quiet_room,
        notes,
    }: &RawAccessibility,
) -> Accessibility {
    Accessibility {
        step_free: *step_free,
        accessible_washroom: *accessible_washroom,
        hearing_loop: *hearing_loop,
        quiet_room: *quiet_room,
        notes: notes.clone(),
    }
}
