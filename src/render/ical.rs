//! iCalendar (RFC 5545) files of the info sessions, so people can subscribe to them.
//!
//! Feeds: every session (`/sessions.ics`), per space (`/spaces/<slug>/sessions.ics`),
//! per partnership (`/partnerships/<slug>/sessions.ics`), per region
//! (`/regions/<id>/sessions.ics`), and one file per session for "add to calendar"
//! (`/sessions/<slug>/session.ics`).
//!
//! Choices, each for a reason:
//! - **Times are UTC** (`DTSTART:20270309T140000Z`), not `TZID=` local times: UTC needs no
//!   `VTIMEZONE` block and every client reads it the same way.
//! - **A repeating session is written as one `VEVENT` per date**, not as an `RRULE`: with
//!   UTC times a client would repeat the UTC time and drift by an hour across a DST
//!   change, and per-date events carry each date's own status. A date in `except` is simply
//!   absent; a date in `cancelled` is an event with `STATUS:CANCELLED`.
//! - **UIDs are stable**: `<slug>@<host>` for a single session and
//!   `<slug>.<YYYY-MM-DD>@<host>` for a date of a repeating one (`.` never occurs in a
//!   slug, so the two forms cannot collide), `<host>` being the host of `base_url`.
//! - **`SEQUENCE` is derived from the content**: the 31-bit FNV-1a hash of what a client
//!   shows (start, end, status, title, place, description). The same content always gives
//!   the same number, so builds stay byte-identical; any change gives another number.
//!   It is not monotonic (we keep no history), which matters only to iTIP scheduling, not
//!   to subscribed or imported feeds, which replace events by UID.
//! - **`DTSTAMP` is the build's `now`**, for the same reason.
//! - Lines end in CRLF and are folded at 75 octets, never inside a UTF-8 sequence; text
//!   values escape `\`, `;`, `,` and newlines.

use std::collections::HashMap;
use std::fmt::Write as _;

use jiff::Timestamp;
use rayon::prelude::*;

use super::markdown;
use crate::error::Diagnostics;
use crate::index::Index;
use crate::model::{SessionStatus, Site, Venue};
use crate::output::Output;
use crate::urls::{self, Kind, Urls};

/// Adds every calendar file to `out`.
///
/// A date appears in up to five calendars (site, space, partnership, region, session),
/// so each `VEVENT` is written once and copied into each; the files are assembled in
/// parallel and added in a fixed order, so collisions are reported as before.
pub(crate) fn render(
    site: &Site,
    idx: &Index,
    urls: &Urls,
    out: &mut Output,
    diags: &mut Diagnostics,
) {
    let cal = Calendars {
        site,
        idx,
        events: events(site, idx, urls),
    };
    let all: Vec<usize> = (0..site.sessions.len()).collect();
    let title = &site.config.title;
    let mut files: Vec<(String, String, &[usize], String)> = Vec::with_capacity(
        1 + site.spaces.len() + site.partnerships.len() + site.regions.len() + site.sessions.len(),
    );
    files.push((
        urls::CALENDAR.into(),
        format!("Info sessions · {title}"),
        &all,
        format!("(generated) {}", urls::CALENDAR),
    ));
    for (i, s) in site.spaces.iter().enumerate() {
        files.push((
            urls::calendar(Kind::Space, s.slug.as_str()),
            format!("{} · {title}", s.name),
            &idx.space_sessions[i],
            s.src.display_path(),
        ));
    }
    for (i, p) in site.partnerships.iter().enumerate() {
        files.push((
            urls::calendar(Kind::Partnership, p.slug.as_str()),
            format!("{} · {title}", p.name),
            &idx.partnership_sessions[i],
            p.src.display_path(),
        ));
    }
    for r in &site.regions {
        files.push((
            urls::calendar(Kind::Region, r.id.as_str()),
            format!("{} · {title}", r.name),
            idx.region_sessions
                .get(r.id.as_str())
                .map_or(&[][..], Vec::as_slice),
            "content/regions.yaml".into(),
        ));
    }
    let singles: Vec<[usize; 1]> = (0..site.sessions.len()).map(|i| [i]).collect();
    for (s, one) in site.sessions.iter().zip(&singles) {
        files.push((
            urls::calendar(Kind::Session, s.slug.as_str()),
            s.title.clone(),
            one,
            s.src.display_path(),
        ));
    }
    let rendered: Vec<(String, Vec<u8>, String)> = files
        .into_par_iter()
        .map(|(path, name, sessions, source)| {
            (path, cal.calendar(&name, sessions).into_bytes(), source)
        })
        .collect();
    for (path, bytes, source) in rendered {
        out.insert(path, bytes, source, diags);
    }
}

struct Calendars<'a> {
    site: &'a Site,
    idx: &'a Index,
    /// `events[session][occurrence]`: the folded `VEVENT` lines of that date.
    events: Vec<Vec<String>>,
}

impl Calendars<'_> {
    /// A whole `VCALENDAR` with one event per date of `sessions`, earliest first.
    fn calendar(&self, name: &str, sessions: &[usize]) -> String {
        let events: Vec<&str> = if sessions.is_empty() {
            Vec::new()
        } else {
            let (up, past) = self.idx.occurrences(self.site, sessions);
            past.into_iter()
                .rev()
                .chain(up)
                .map(|o| self.events[o.session][o.occurrence].as_str())
                .collect()
        };
        let name = text(name);
        let mut w = Writer {
            out: String::with_capacity(
                192 + 2 * name.len() + events.iter().map(|e| e.len()).sum::<usize>(),
            ),
        };
        w.line("BEGIN:VCALENDAR");
        w.line("VERSION:2.0");
        w.line("PRODID:-//hotdesk//hotdesk//EN");
        w.line("CALSCALE:GREGORIAN");
        w.line("METHOD:PUBLISH");
        w.prop("NAME", &name);
        w.prop("X-WR-CALNAME", &name);
        for e in events {
            w.out.push_str(e);
        }
        w.line("END:VCALENDAR");
        w.out
    }
}

/// The `VEVENT` of every date of every session; what a session's dates share (place,
/// description, URL) is worked out once per session.
fn events(site: &Site, idx: &Index, urls: &Urls) -> Vec<Vec<String>> {
    let host = site.config.base_url.host_str().unwrap_or("localhost");
    let dtstamp = utc(idx.now);
    let space_of: HashMap<&str, usize> = crate::model::positions(&site.spaces, |s| s.slug.as_str());
    site.sessions
        .par_iter()
        .map(|s| {
            let url = urls.record_absolute(Kind::Session, s.slug.as_str());
            let (location, geo) = match &s.venue {
                Venue::Space(slug) => match space_of.get(slug.as_str()) {
                    Some(&si) => {
                        let sp = &site.spaces[si];
                        (
                            format!(
                                "{}, {}, {} {}",
                                sp.name,
                                sp.address.street,
                                sp.address.locality,
                                sp.address.postal_code
                            ),
                            Some(format!("{:.6};{:.6}", sp.lat, sp.lon)),
                        )
                    }
                    None => (slug.to_string(), None),
                },
                Venue::Online(u) => (u.to_string(), None),
            };
            let excerpt = markdown::excerpt(&s.body, 1000);
            let (summary, location_text) = (text(&s.title), text(&location));
            s.occurrences
                .iter()
                .map(|occ| {
                    let uid = if s.repeat.is_some() {
                        format!("{}.{}@{host}", s.slug, occ.date)
                    } else {
                        format!("{}@{host}", s.slug)
                    };
                    let status = match occ.status {
                        SessionStatus::Scheduled => "CONFIRMED",
                        SessionStatus::Cancelled => "CANCELLED",
                        // The date no longer holds and no new one is known yet.
                        SessionStatus::Postponed => "TENTATIVE",
                    };
                    let mut description = if occ.status == SessionStatus::Postponed {
                        format!("Postponed. {excerpt}")
                    } else {
                        excerpt.clone()
                    };
                    let _ = write!(description, "\n\n{url}");
                    let (start, end) = (utc(occ.start_at), utc(occ.end_at));
                    let sequence = crate::neutral::seed_from_str(&format!(
                        "{start}\n{end}\n{status}\n{}\n{location}\n{description}",
                        s.title
                    )) >> 1;
                    let mut w = Writer::default();
                    w.line("BEGIN:VEVENT");
                    w.prop("UID", &uid);
                    w.prop("DTSTAMP", &dtstamp);
                    w.prop("DTSTART", &start);
                    w.prop("DTEND", &end);
                    w.prop("SEQUENCE", &sequence.to_string());
                    w.prop("STATUS", status);
                    w.prop("SUMMARY", &summary);
                    w.prop("DESCRIPTION", &text(&description));
                    w.prop("LOCATION", &location_text);
                    if let Some(geo) = &geo {
                        w.prop("GEO", geo);
                    }
                    w.prop("URL;VALUE=URI", &url);
                    if let Venue::Online(u) = &s.venue {
                        // RFC 7986: where to join.
                        w.prop("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO", u.as_str());
                    }
                    w.line("END:VEVENT");
                    w.out
                })
                .collect()
        })
        .collect()
}

/// `YYYYMMDDTHHMMSSZ`.
fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Content lines, CRLF-terminated and folded at 75 octets.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn prop(&mut self, name: &str, value: &str) {
        fold_parts_into(&mut self.out, &[name, ":", value]);
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }
}

/// Appends `line` folded so that no physical line exceeds 75 octets (the CRLF not
/// counted); a continuation starts with one space, which counts. Never splits a
/// character's UTF-8 bytes.
pub(crate) fn fold_into(out: &mut String, line: &str) {
    fold_parts_into(out, &[line]);
}

/// [`fold_into`] of the concatenation of `parts`.
fn fold_parts_into(out: &mut String, parts: &[&str]) {
    let mut width = 0;
    for part in parts {
        // Most lines are short: copy them whole.
        if width + part.len() <= 75 {
            out.push_str(part);
            width += part.len();
            continue;
        }
        for c in part.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += n;
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_short_and_characters_whole() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        fold_into(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }
}
