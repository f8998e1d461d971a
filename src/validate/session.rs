//! `content/sessions/*.md` → [`Session`]: an event at a space or online, checked as the
//! content model reads it: what and who, when (local times in a time zone, which must
//! exist there), where, and, for a repeating session, every occurrence.
//!
//! Sessions are checked in parallel (see [`super::validate`]); the recurrence rule itself
//! is [`crate::recur`]'s, whose problems are pointed inside the value here.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::at::{At, check_range};
use super::known::Known;
use crate::error::Diagnostics;
use crate::load::Entry;
use crate::model::limits;
use crate::model::{Occurrence, Session, SessionStatus, Slug, Venue};
use crate::raw::RawSession;

pub(super) fn session(
    e: &Entry<RawSession>,
    known: &Known,
    default_tz: Option<&(TimeZone, String)>,
    diags: &mut Diagnostics,
) -> Option<Session> {
    // Every field named, so that a new field of the content model cannot be forgotten here.
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
    let mut at = At::of(&e.doc, diags);
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
    let instants = match (start_dt, end_dt, &tz) {
        (Some(s), Some(en), Some((tz, _))) => check_instants(&mut at, s, en, tz),
        _ => None,
    };
    let venue = check_venue(&mut at, space.as_deref(), online.as_deref(), *status, known);
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
    } else if let Some(c) = capacity {
        check_range(
            &mut at,
            "capacity",
            f64::from(*c),
            limits::CAPACITY,
            "bad-capacity",
        );
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
        occurrences = check_occurrences(&mut at, &series);
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

/// The instants of the local start and end in `tz`: neither may fall in a daylight-saving
/// gap, and the end must come after the start (which is still reported as instants).
fn check_instants(
    at: &mut At,
    start: DateTime,
    end: DateTime,
    tz: &TimeZone,
) -> Option<(Timestamp, Timestamp)> {
    let mut resolve = |path: &str, dt: DateTime| {
        let amb = tz.to_ambiguous_timestamp(dt);
        if matches!(amb.offset(), jiff::tz::AmbiguousOffset::Gap { .. }) {
            at.error(
                path,
                "time-in-gap",
                format!("{dt} does not exist in this time zone: the clocks jump forward then"),
            )
            .help = Some(
                "daylight-saving time starts at this hour; choose a time outside the jump".into(),
            );
            return None;
        }
        amb.compatible().ok()
    };
    let (a, b) = (resolve("start", start), resolve("end", end));
    let (a, b) = (a?, b?);
    if b <= a {
        at.error(
            "end",
            "end-before-start",
            format!("the session ends ({end}) before it starts ({start})"),
        );
    }
    Some((a, b))
}

/// Where: a known space (open, if the session is scheduled) or an online link, not both.
fn check_venue(
    at: &mut At,
    space: Option<&str>,
    online: Option<&str>,
    status: SessionStatus,
    known: &Known,
) -> Option<Venue> {
    match (space, online) {
        (Some(s), None) => {
            if at.reference("space", s, "space", "content/spaces/", &known.spaces)
                && !known.active_spaces.contains(s)
                && status == SessionStatus::Scheduled
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
    }
}

/// Every occurrence of the series; a problem of its rule is pointed inside the value.
fn check_occurrences(at: &mut At, series: &crate::recur::Series) -> Vec<Occurrence> {
    match crate::recur::occurrences(series) {
        Ok(o) => o,
        Err(problems) => {
            problems.into_iter().for_each(|p| at.problem(p));
            Vec::new()
        }
    }
}
