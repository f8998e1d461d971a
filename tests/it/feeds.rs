//! Sessions as calendars: recurrence, daylight-saving time, and the iCalendar and Atom
//! feeds read back by independent parsers.
//!
//! The feeds are checked by `tests/feeds_check.py` with Python's `icalendar` package
//! (and python-dateutil, which it brings, for the recurrence rules; `xml.etree` for
//! Atom). Without them the tests fail when `CI=true` (`.ci/run` installs them) and are
//! skipped with a loud warning otherwise.

use std::path::Path;
use std::process::Command;

use hotdesk::build::{self, Output};

use crate::support::*;

/// A temp copy of `site-minimal` with `tests/fixtures/<overlay>/content` laid over it.
pub(crate) fn overlay_site(overlay: &str) -> tempfile::TempDir {
    let site = minimal_site();
    copy_dir(
        &fixtures().join(overlay).join("content"),
        &site.path().join("content"),
    );
    site
}

pub(crate) fn render(root: &Path) -> Output {
    match build::render(&options(root)) {
        Ok((out, _)) => out,
        Err(hotdesk::error::Error::Invalid(d)) => panic!("{}", d.render()),
        Err(e) => panic!("{e}"),
    }
}

pub(crate) fn text(out: &Output, path: &str) -> String {
    String::from_utf8(
        out.get(path)
            .unwrap_or_else(|| panic!("no /{path}"))
            .to_vec(),
    )
    .unwrap()
}

/// Runs `tests/feeds_check.py` with `args`; `None` when Python or its packages are
/// missing outside CI.
fn python(args: &[&str]) -> Option<serde_json::Value> {
    let probe = Command::new("python3")
        .args(["-c", "import icalendar, dateutil"])
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        let why = match probe {
            Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
            Err(e) => e.to_string(),
        };
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!(
                "python3 with the `icalendar` package is needed, and CI=true: the feeds \
                 must be checked by an independent parser (pip install icalendar): {why}"
            );
        }
        // Straight to the stderr handle: `eprintln!` is captured (and hidden) by the
        // test harness on success.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "\n!! SKIPPED: python3 with the `icalendar` package is missing ({why}); the \
             iCalendar feeds were not checked by an independent parser. \
             `pip install icalendar` to run this test. With CI=true this is a failure. !!\n"
        );
        return None;
    }
    let script = manifest_dir().join("tests/feeds_check.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "feeds_check.py {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("the checker prints JSON"))
}

/// Writes the output files whose path ends with `suffix` into `dir`; their paths there.
fn dump(out: &Output, suffix: &str, dir: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    for (path, f) in &out.files {
        if path.ends_with(suffix) {
            let dest = dir.join(path.replace('/', "__"));
            std::fs::write(&dest, f.bytes.as_slice()).unwrap();
            paths.push(dest.to_string_lossy().into_owned());
        }
    }
    paths
}

#[test]
fn a_repeating_session_keeps_its_wall_time_across_the_dst_change() {
    let site = overlay_site("fairness/concentrated");
    let (model, _) = build::check(&options(site.path())).unwrap();
    let model = model.unwrap();
    let s = model
        .sessions
        .iter()
        .find(|s| s.slug.as_str() == "drop-in-hours")
        .unwrap();
    let got: Vec<(String, String)> = s
        .occurrences
        .iter()
        .map(|o| (o.start.to_string(), o.start_at.to_string()))
        .collect();
    // Second Tuesdays at 10:00 in America/Halifax; DST starts on 2027-03-14.
    assert_eq!(
        got,
        [
            ("2027-02-09T10:00:00", "2027-02-09T14:00:00Z"),
            ("2027-03-09T10:00:00", "2027-03-09T14:00:00Z"),
            ("2027-04-13T10:00:00", "2027-04-13T13:00:00Z"),
            ("2027-05-11T10:00:00", "2027-05-11T13:00:00Z"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    // Two hours long on both sides of the change.
    for o in &s.occurrences {
        assert_eq!(o.end_at.duration_since(o.start_at).as_hours(), 2);
    }
}

#[test]
fn ical_feeds_are_valid_for_an_independent_parser() {
    let site = overlay_site("fairness/concentrated");
    let out = render(site.path());
    let dir = tempfile::tempdir().unwrap();
    let files = dump(&out, ".ics", dir.path());
    // All, per space (3), per partnership (1), per region (2), per session (3).
    assert_eq!(files.len(), 1 + 3 + 1 + 2 + 3, "{files:?}");
    let mut args = vec!["ical"];
    args.extend(files.iter().map(String::as_str));
    let Some(parsed) = python(&args) else {
        return;
    };
    let key = dir
        .path()
        .join("sessions.ics")
        .to_string_lossy()
        .into_owned();
    let events = parsed[&key].as_array().unwrap();
    let row = |uid: &str| {
        events
            .iter()
            .find(|e| e[0] == uid)
            .unwrap_or_else(|| panic!("no {uid} in {events:?}"))
            .clone()
    };
    let host = "minimal.example.org";
    // The parser sees the wall time move from 14:00Z to 13:00Z across the change.
    let e = row(&format!("drop-in-hours.2027-03-09@{host}"));
    assert_eq!(
        (e[1].as_str(), e[2].as_str()),
        (Some("2027-03-09T14:00:00Z"), Some("2027-03-09T16:00:00Z"))
    );
    let e = row(&format!("drop-in-hours.2027-04-13@{host}"));
    assert_eq!(
        (e[1].as_str(), e[2].as_str()),
        (Some("2027-04-13T13:00:00Z"), Some("2027-04-13T15:00:00Z"))
    );
    // A single session's UID has no date; a cancelled one says so.
    assert_eq!(row(&format!("how-to-apply@{host}"))[3], "CONFIRMED");
    assert_eq!(row(&format!("spring-webinar@{host}"))[3], "CANCELLED");
    assert_eq!(events.len(), 4 + 2);
    // The session's own file has only its dates.
    let key = dir
        .path()
        .join("sessions__drop-in-hours__session.ics")
        .to_string_lossy()
        .into_owned();
    assert_eq!(parsed[&key].as_array().unwrap().len(), 4);
}

#[test]
fn the_example_feeds_parse_cancelled_and_excepted_dates_included() {
    let out = render(&example());
    let ics = text(
        &out,
        "sessions/advisor-drop-in-hours-north-rustico/session.ics",
    );
    assert!(ics.contains("DTSTART:20270309T140000Z\r\n"), "{ics}");
    assert!(ics.contains("DTSTART:20270413T130000Z\r\n"));
    // 2027-05-11 is in `except`: no event at all; 2027-04-13 is `cancelled`.
    assert!(!ics.contains("2027-05-11"));
    let april = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("20270413"))
        .unwrap();
    assert!(april.contains("STATUS:CANCELLED"), "{april}");
    assert!(
        ics.contains("DTSTAMP:20261125T120000Z\r\n"),
        "DTSTAMP is the build's now"
    );

    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["ical".to_owned()];
    args.extend(dump(&out, ".ics", dir.path()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if python(&args).is_none() {
        return;
    }
    let mut atom = vec!["atom".to_owned()];
    atom.extend(dump(&out, ".atom", dir.path()));
    let atom: Vec<&str> = atom.iter().map(String::as_str).collect();
    let parsed = python(&atom).unwrap();
    let key = dir
        .path()
        .join("feeds__sessions.atom")
        .to_string_lossy()
        .into_owned();
    let ids = parsed[&key].as_array().unwrap();
    assert!(ids.iter().any(|id| {
        id.as_str()
            .unwrap()
            .ends_with("/sessions/advisor-drop-in-hours-north-rustico/")
    }));
    let key = dir
        .path()
        .join("feeds__spaces.atom")
        .to_string_lossy()
        .into_owned();
    assert_eq!(parsed[&key].as_array().unwrap().len(), 20);
}

#[test]
fn sequence_and_uids_are_stable_and_follow_the_content() {
    let site = overlay_site("fairness/concentrated");
    let a = text(&render(site.path()), "sessions.ics");
    let b = text(&render(site.path()), "sessions.ics");
    assert_eq!(a, b, "two builds give the same calendar");
    let seq = |ics: &str| -> Vec<String> {
        ics.lines()
            .filter(|l| l.starts_with("SEQUENCE:"))
            .map(str::to_owned)
            .collect()
    };
    write(
        site.path(),
        "content/sessions/how-to-apply.md",
        &std::fs::read_to_string(site.path().join("content/sessions/how-to-apply.md"))
            .unwrap()
            .replace("status: scheduled", "status: cancelled"),
    );
    let c = text(&render(site.path()), "sessions.ics");
    let (before, after) = (seq(&a), seq(&c));
    assert_eq!(before.len(), after.len());
    let changed = before.iter().zip(&after).filter(|(x, y)| x != y).count();
    assert_eq!(changed, 1, "only the changed event gets a new SEQUENCE");
}

#[test]
fn recurrence_expansion_agrees_with_python_dateutil() {
    let cases = [
        (
            "2027-01-12T10:00:00",
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=2027-06-30",
        ),
        (
            "2026-12-03T09:00:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=9",
        ),
        ("2026-12-04T09:00:00", "FREQ=DAILY;BYDAY=MO,WE,FR;COUNT=10"),
        ("2026-12-25T09:00:00", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=8"),
        ("2027-01-31T09:00:00", "FREQ=MONTHLY;COUNT=6"),
        (
            "2027-01-05T09:00:00",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU,3TU;UNTIL=2027-12-31",
        ),
        (
            "2027-03-01T09:00:00",
            "FREQ=DAILY;INTERVAL=3;UNTIL=2027-04-15",
        ),
        ("2027-03-03T09:00:00", "FREQ=WEEKLY;BYDAY=WE;COUNT=12"),
    ];
    for (start, rule) in cases {
        let dt: jiff::civil::DateTime = start.parse().unwrap();
        let ours: Vec<String> = hotdesk::recur::parse(rule)
            .unwrap()
            .dates(dt.date())
            .unwrap()
            .iter()
            .map(|d| d.to_string())
            .collect();
        let Some(theirs) = python(&["rrule", start, rule]) else {
            return;
        };
        let theirs: Vec<String> = serde_json::from_value(theirs).unwrap();
        assert_eq!(ours, theirs, "{rule} from {start}");
    }
}

#[test]
fn every_date_of_a_series_is_listed_with_its_own_status() {
    let out = render(&example());
    let page = text(&out, "sessions/work-near-home-questions-online/index.html");
    // Nov, Jan, Feb (cancelled), Mar; December is excepted.
    let list = page.split("occurrence-list").nth(1).unwrap();
    let list = &list[..list.find("</ul>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 4, "{list}");
    assert_eq!(list.matches("status-cancelled").count(), 1);
    assert!(!list.contains("17 December"));
    assert!(page.contains("href=\"/sessions/work-near-home-questions-online/session.ics\""));
    // Lists show each date: the upcoming list of the sessions page has the January one.
    let sessions = text(&out, "sessions/index.html");
    let upcoming = sessions.split("<h2>").nth(1).unwrap();
    assert!(upcoming.contains("21 January 2027"), "{upcoming}");
    assert!(upcoming.contains("18 March 2027, 12:00–13:00 ADT"));
    let base = text(&out, "index.html");
    assert!(base.contains(r#"<link rel="alternate" type="application/atom+xml""#));
    assert!(base.contains(r#"href="/sessions.ics""#));
}
