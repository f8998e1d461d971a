//! The rule parser and the expansion, date by date; `tests/it/feeds.rs` holds the
//! expansion to python-dateutil as well.

use super::*;
use jiff::civil::date;

fn dates(rule: &str, start: Date) -> Vec<String> {
    parse(rule)
        .unwrap()
        .dates(start)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn second_tuesday_until_june() {
    let got = dates("FREQ=MONTHLY;BYDAY=2TU;UNTIL=2027-06-30", date(2027, 1, 12));
    assert_eq!(
        got,
        [
            "2027-01-12",
            "2027-02-09",
            "2027-03-09",
            "2027-04-13",
            "2027-05-11",
            "2027-06-08"
        ]
    );
}

#[test]
fn weekly_with_interval_and_days() {
    // Every other week on Monday and Thursday, 5 sessions, starting on a Thursday.
    let got = dates(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5",
        date(2026, 12, 3),
    );
    assert_eq!(
        got,
        [
            "2026-12-03",
            "2026-12-14",
            "2026-12-17",
            "2026-12-28",
            "2026-12-31"
        ]
    );
}

#[test]
fn daily_filtered_by_weekday_and_last_friday() {
    let got = dates("FREQ=DAILY;BYDAY=MO,FR;COUNT=3", date(2026, 12, 4));
    assert_eq!(got, ["2026-12-04", "2026-12-07", "2026-12-11"]);
    let got = dates("RRULE:freq=monthly;byday=-1fr;count=3", date(2026, 12, 25));
    assert_eq!(got, ["2026-12-25", "2027-01-29", "2027-02-26"]);
}

#[test]
fn monthly_on_the_31st_skips_short_months() {
    let got = dates("FREQ=MONTHLY;COUNT=3", date(2027, 1, 31));
    assert_eq!(got, ["2027-01-31", "2027-03-31", "2027-05-31"]);
}

#[test]
fn unbounded_and_unsupported_rules_are_refused_with_a_position() {
    let e = parse("FREQ=WEEKLY;BYDAY=TU").unwrap_err();
    assert_eq!(e.code, "unbounded-repeat");
    let e = parse("FREQ=WEEKLY;BYHOUR=10;COUNT=2").unwrap_err();
    assert_eq!(e.code, "unsupported-repeat");
    assert_eq!(e.span, 12..18);
    let e = parse("FREQ=WEEKLY;BYDAY=TU,XX;COUNT=2").unwrap_err();
    assert_eq!(e.span, 21..23);
    let e = parse("FREQ=WEEKLY;BYDAY=2TU;COUNT=2").unwrap_err();
    assert!(e.message.contains("monthly"), "{}", e.message);
    let e = parse("FREQ=DAILY;COUNT=2;UNTIL=20270101").unwrap_err();
    assert!(e.message.contains("not both"));
    assert!(parse("FREQ=YEARLY;COUNT=2").is_err());
}

#[test]
fn start_must_be_a_date_of_the_rule_and_series_are_capped() {
    let r = parse("FREQ=MONTHLY;BYDAY=2TU;COUNT=3").unwrap();
    assert_eq!(r.dates(date(2027, 1, 13)), Err(ExpandError::StartNotInRule));
    let r = parse("FREQ=DAILY;UNTIL=2099-01-01").unwrap();
    assert_eq!(r.dates(date(2027, 1, 13)), Err(ExpandError::TooMany));
    let r = parse("FREQ=DAILY;UNTIL=2020-01-01").unwrap();
    assert_eq!(
        r.dates(date(2027, 1, 13)),
        Err(ExpandError::UntilBeforeStart)
    );
}
