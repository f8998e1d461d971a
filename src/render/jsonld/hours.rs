//! Simple weekly OSM opening hours as `openingHoursSpecification`; anything else is
//! left out rather than approximated (see [`opening_hours`]).

use super::*;

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const DAY_URLS: [&str; 7] = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
];

/// `openingHoursSpecification` for simple weekly OSM opening hours: rules of weekdays
/// (`Mo`, `Mo-Fr`, `Sa,Su`) followed by time ranges (`08:00-18:00`, several with commas)
/// or `off`; a later rule replaces the hours of the days it names, as in OSM; `PH off`
/// is accepted (it says nothing about ordinary weeks). Anything else (months, week
/// numbers, holidays with hours, times past midnight, `24/7`, comments) gives `None`.
#[cfg(test)]
pub(crate) fn opening_hours(text: &str) -> Option<serde_json::Value> {
    hours_specs(text).and_then(|specs| serde_json::to_value(specs).ok())
}

/// [`opening_hours`], as the shape the page's JSON-LD serializes.
pub(super) fn hours_specs(text: &str) -> Option<Vec<HoursSpec<'_>>> {
    let mut week: [Vec<(&str, &str)>; 7] = Default::default();
    for rule in text.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        let (days, hours) = rule.split_once(char::is_whitespace)?;
        let hours = hours.trim();
        if days == "PH" {
            if matches!(hours, "off" | "closed") {
                continue;
            }
            return None;
        }
        let mut selected = [false; 7];
        for part in days.split(',') {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let a = DAYS.iter().position(|d| *d == a)?;
            let b = DAYS.iter().position(|d| *d == b)?;
            let mut d = a;
            loop {
                selected[d] = true;
                if d == b {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        let ranges = if matches!(hours, "off" | "closed") {
            Vec::new()
        } else {
            hours
                .split(',')
                .map(|r| {
                    let (o, c) = r.trim().split_once('-')?;
                    let ok = |t: &str| {
                        let (h, m) = t.split_once(':')?;
                        let (h, m) = (h.parse::<u8>().ok()?, m.parse::<u8>().ok()?);
                        (h < 24 && m < 60 && t.len() == 5).then_some((h, m))
                    };
                    (ok(o)? < ok(c)?).then_some((o, c))
                })
                .collect::<Option<Vec<_>>>()?
        };
        for (d, on) in selected.iter().enumerate() {
            if *on {
                week[d] = ranges.clone();
            }
        }
    }
    // One specification per distinct range, listing its days, in weekday order.
    let mut specs: Vec<((&str, &str), Vec<usize>)> = Vec::new();
    for (d, ranges) in week.iter().enumerate() {
        for r in ranges {
            match specs.iter_mut().find(|(k, _)| k == r) {
                Some((_, days)) => days.push(d),
                None => specs.push((*r, vec![d])),
            }
        }
    }
    if specs.is_empty() {
        return None;
    }
    Some(
        specs
            .into_iter()
            .map(|((opens, closes), days)| HoursSpec {
                kind: "OpeningHoursSpecification",
                closes,
                day_of_week: days.iter().map(|&d| DAY_URLS[d]).collect(),
                opens,
            })
            .collect(),
    )
}
