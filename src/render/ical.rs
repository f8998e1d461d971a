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

use std::fmt::Write as _;

use jiff::Timestamp;

use super::markdown;
use crate::build::Output;
use crate::error::Diagnostics;
use crate::index::{Index, Occ};
use crate::model::{SessionStatus, Site, Venue};

/// Adds every calendar file to `out`.
pub fn render(site: &Site, idx: &Index, out: &mut Output, diags: &mut Diagnostics) {
    let cal = Calendars { site, idx };
    let all: Vec<usize> = (0..site.sessions.len()).collect();
    let title = &site.config.title;
    let mut add = |path: String, name: String, sessions: &[usize], source: String| {
        out.insert(
            path,
            cal.calendar(&name, sessions).into_bytes(),
            source,
            diags,
        );
    };
    add(
        "sessions.ics".into(),
        format!("Info sessions · {title}"),
        &all,
        "(generated) sessions.ics".into(),
    );
    for (i, s) in site.spaces.iter().enumerate() {
        add(
            format!("spaces/{}/sessions.ics", s.slug),
            format!("{} · {title}", s.name),
            &idx.space_sessions[i],
            s.src.display_path(),
        );
    }
    for (i, p) in site.partnerships.iter().enumerate() {
        add(
            format!("partnerships/{}/sessions.ics", p.slug),
            format!("{} · {title}", p.name),
            &idx.partnership_sessions[i],
            p.src.display_path(),
        );
    }
    for r in &site.regions {
        let list = idx
            .region_sessions
            .get(r.id.as_str())
            .cloned()
            .unwrap_or_default();
        add(
            format!("regions/{}/sessions.ics", r.id),
            format!("{} · {title}", r.name),
            &list,
            "content/regions.yaml".into(),
        );
    }
    for (i, s) in site.sessions.iter().enumerate() {
        add(
            format!("sessions/{}/session.ics", s.slug),
            s.title.clone(),
            &[i],
            s.src.display_path(),
        );
    }
}

struct Calendars<'a> {
    site: &'a Site,
    idx: &'a Index,
}

impl Calendars<'_> {
    /// A whole `VCALENDAR` with one event per date of `sessions`, earliest first.
    fn calendar(&self, name: &str, sessions: &[usize]) -> String {
        let mut w = Writer::default();
        w.line("BEGIN:VCALENDAR");
        w.line("VERSION:2.0");
        w.line("PRODID:-//hotdesk//hotdesk//EN");
        w.line("CALSCALE:GREGORIAN");
        w.line("METHOD:PUBLISH");
        w.prop("NAME", &text(name));
        w.prop("X-WR-CALNAME", &text(name));
        let (up, past) = self.idx.occurrences(self.site, sessions);
        for o in past.into_iter().rev().chain(up) {
            self.event(&mut w, o);
        }
        w.line("END:VCALENDAR");
        w.out
    }

    fn event(&self, w: &mut Writer, o: Occ) {
        let site = self.site;
        let s = &site.sessions[o.session];
        let occ = o.get(site);
        let base = &site.config.base_url;
        let host = base.host_str().unwrap_or("localhost");
        let uid = if s.repeat.is_some() {
            format!("{}.{}@{host}", s.slug, occ.date)
        } else {
            format!("{}@{host}", s.slug)
        };
        let url = format!("{base}sessions/{}/", s.slug);
        let status = match occ.status {
            SessionStatus::Scheduled => "CONFIRMED",
            SessionStatus::Cancelled => "CANCELLED",
            // The date no longer holds and no new one is known yet.
            SessionStatus::Postponed => "TENTATIVE",
        };
        let (location, geo) = match &s.venue {
            Venue::Space(slug) => match site.spaces.iter().find(|x| &x.slug == slug) {
                Some(sp) => (
                    format!(
                        "{}, {}, {} {}",
                        sp.name, sp.address.street, sp.address.locality, sp.address.postal_code
                    ),
                    Some((sp.lat, sp.lon)),
                ),
                None => (slug.to_string(), None),
            },
            Venue::Online(u) => (u.to_string(), None),
        };
        let mut description = markdown::excerpt(&s.body, 1000);
        if occ.status == SessionStatus::Postponed {
            description = format!("Postponed. {description}");
        }
        let _ = write!(description, "\n\n{url}");
        let (start, end) = (utc(occ.start_at), utc(occ.end_at));
        let sequence = crate::neutral::seed_from_str(&format!(
            "{start}\n{end}\n{status}\n{}\n{location}\n{description}",
            s.title
        )) >> 1;
        w.line("BEGIN:VEVENT");
        w.prop("UID", &uid);
        w.prop("DTSTAMP", &utc(self.idx.now));
        w.prop("DTSTART", &start);
        w.prop("DTEND", &end);
        w.prop("SEQUENCE", &sequence.to_string());
        w.prop("STATUS", status);
        w.prop("SUMMARY", &text(&s.title));
        w.prop("DESCRIPTION", &text(&description));
        w.prop("LOCATION", &text(&location));
        if let Some((lat, lon)) = geo {
            w.prop("GEO", &format!("{lat:.6};{lon:.6}"));
        }
        w.prop("URL;VALUE=URI", &url);
        if let Venue::Online(u) = &s.venue {
            // RFC 7986: where to join.
            w.prop("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO", u.as_str());
        }
        w.line("END:VEVENT");
    }
}

/// `YYYYMMDDTHHMMSSZ`.
fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn text(s: &str) -> String {
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
        self.line(&format!("{name}:{value}"));
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }
}

/// Appends `line` folded so that no physical line exceeds 75 octets (the CRLF not
/// counted); a continuation starts with one space, which counts. Never splits a
/// character's UTF-8 bytes.
pub fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
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
