//! Recurring sessions: the part of RFC 5545's RRULE that info sessions need, expanded
//! into the dates a series takes place on.
//!
//! Supported: `FREQ=DAILY|WEEKLY|MONTHLY`, `INTERVAL=n`, `BYDAY=MO,WE` (with an ordinal
//! for monthly rules: `2TU` is the second Tuesday, `-1FR` the last Friday), and exactly
//! one of `UNTIL=YYYY-MM-DD` (or `YYYYMMDD`; inclusive, a local date) and `COUNT=n`. A rule
//! with neither is refused: a static directory lists every date of a series, so a series
//! must end. Anything else (`YEARLY`, `BYMONTHDAY`, `BYSETPOS`, `WKST`, ...) is refused
//! by name rather than half-understood. Weeks start on Monday (RFC 5545's default WKST).
//!
//! Expansion works on civil (wall-clock) dates only: a session at 10:00 stays at 10:00
//! local time across a daylight-saving change. Turning each date into instants, and
//! refusing local times that fall in a DST gap, is [`crate::validate`]'s job.
//!
//! Why hand-written rather than the `rrule` crate: that crate is built on chrono and
//! chrono-tz, a second time-zone database beside jiff's that could disagree with it on
//! the very DST rules these occurrences are checked against; and a contributor's mistake
//! must come back with the column of the faulty part, which needs our own parser. The
//! subset is small, and `tests/it/feeds.rs` checks the expansion against python-dateutil.
//!
//! This module never touches time zones, files or diagnostics: it returns values and
//! [`RuleError`]s with byte offsets into the rule text.

use std::ops::Range;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::model::{Occurrence, SessionStatus};

/// Most occurrences a series may have: every one is listed, rendered and put in feeds.
pub const MAX_OCCURRENCES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
}

/// One `BYDAY` entry: a weekday, with an ordinal within the month (`2TU`, `-1FR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByDay {
    pub nth: Option<i8>,
    pub weekday: Weekday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The last date an occurrence may fall on (inclusive, local).
    Until(Date),
    /// The number of occurrences.
    Count(u32),
}

/// A parsed, supported recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    pub interval: u32,
    pub by_day: Vec<ByDay>,
    pub end: End,
}

/// What is wrong with a rule, and where in its text (byte range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub code: &'static str,
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

const SUPPORTED: &str =
    "supported parts: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY, and UNTIL or COUNT";

fn err(code: &'static str, span: Range<usize>, message: String, help: &str) -> RuleError {
    RuleError {
        code,
        span,
        message,
        help: help.to_owned(),
    }
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

/// `YYYY-MM-DD` or `YYYYMMDD`.
fn until_date(v: &str) -> Option<Date> {
    if let Ok(d) = v.parse::<Date>() {
        return Some(d);
    }
    if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (&v[0..4], &v[4..6], &v[6..8]);
        return format!("{y}-{m}-{d}").parse().ok();
    }
    None
}

/// Parses a rule such as `FREQ=MONTHLY;BYDAY=2TU;UNTIL=2027-06-30`. An optional leading
/// `RRULE:` is accepted; keys and weekday codes are case-insensitive.
pub fn parse(text: &str) -> Result<Rule, RuleError> {
    let (body, body_start) = rule_body(text);
    let mut parts = Parts::default();
    let mut seen: Vec<String> = Vec::new();
    let mut offset = body_start;
    for part in body.split(';') {
        let span = offset..offset + part.len();
        offset += part.len() + 1;
        if part.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(err(
                "bad-repeat",
                span,
                format!("`{part}` is not a KEY=VALUE part of a recurrence rule"),
                "separate parts with `;`, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=6",
            ));
        };
        let key_up = key.trim().to_ascii_uppercase();
        if seen.contains(&key_up) {
            return Err(err(
                "bad-repeat",
                span,
                format!("`{key_up}` is given twice"),
                "give each part of the rule once",
            ));
        }
        seen.push(key_up.clone());
        parts.set(key, &key_up, value, span)?;
    }
    parts.rule(0..text.len())
}

/// The rule without surrounding space and its optional `RRULE:`, and where it starts.
fn rule_body(text: &str) -> (&str, usize) {
    let trimmed = text.trim_end();
    let lead = trimmed.len() - trimmed.trim_start().len();
    let mut body = &trimmed[lead..];
    let mut body_start = lead;
    // `get`, not `[..6]`: the sixth byte may fall inside a character (`FREQ=€`).
    if let Some(rest) = body
        .get(..6)
        .filter(|h| h.eq_ignore_ascii_case("RRULE:"))
        .map(|_| &body[6..])
    {
        body = rest;
        body_start += 6;
    }
    (body, body_start)
}

/// The parts of a rule read so far, each with where its value is.
#[derive(Default)]
struct Parts {
    freq: Option<Freq>,
    interval: Option<u32>,
    by_day: Option<(Vec<ByDay>, Range<usize>)>,
    until: Option<(Date, Range<usize>)>,
    count: Option<(u32, Range<usize>)>,
}

impl Parts {
    /// Reads one `KEY=VALUE` part (`span` is the whole part; `key_up` its key in capitals).
    fn set(
        &mut self,
        key: &str,
        key_up: &str,
        value: &str,
        span: Range<usize>,
    ) -> Result<(), RuleError> {
        let value_span = span.start + key.len() + 1..span.end;
        let v = value.trim();
        match key_up {
            "FREQ" => {
                self.freq = Some(match v.to_ascii_uppercase().as_str() {
                    "DAILY" => Freq::Daily,
                    "WEEKLY" => Freq::Weekly,
                    "MONTHLY" => Freq::Monthly,
                    _ => {
                        return Err(err(
                            "unsupported-repeat",
                            value_span,
                            format!("FREQ={v} is not supported"),
                            "use FREQ=DAILY, FREQ=WEEKLY or FREQ=MONTHLY",
                        ));
                    }
                });
            }
            "INTERVAL" => match v.parse::<u32>() {
                Ok(n) if (1..=999).contains(&n) => self.interval = Some(n),
                _ => {
                    return Err(err(
                        "bad-repeat",
                        value_span,
                        format!("INTERVAL={v} is not a whole number from 1 to 999"),
                        "INTERVAL=2 means every second day, week or month",
                    ));
                }
            },
            "COUNT" => match v.parse::<u32>() {
                Ok(n) if n >= 1 => self.count = Some((n, value_span)),
                _ => {
                    return Err(err(
                        "bad-repeat",
                        value_span,
                        format!("COUNT={v} is not a positive whole number"),
                        "COUNT is the number of sessions in the series, e.g. COUNT=6",
                    ));
                }
            },
            "UNTIL" => match until_date(v) {
                Some(d) => self.until = Some((d, value_span)),
                None => {
                    return Err(err(
                        "bad-repeat",
                        value_span,
                        format!("UNTIL={v} is not a date"),
                        "write the last date a session may fall on, e.g. UNTIL=2027-06-30",
                    ));
                }
            },
            "BYDAY" => self.by_day = Some((by_day_list(value, value_span.start)?, value_span)),
            _ => {
                return Err(err(
                    "unsupported-repeat",
                    span.start..span.start + key.len(),
                    format!("`{}` is not supported in a session's `repeat`", key.trim()),
                    SUPPORTED,
                ));
            }
        }
        Ok(())
    }

    /// The rule the parts make: it has a FREQ, ordinal weekdays only when monthly, and
    /// exactly one of UNTIL and COUNT. `whole` is the span of the rule's text.
    fn rule(self, whole: Range<usize>) -> Result<Rule, RuleError> {
        let Some(freq) = self.freq else {
            return Err(err(
                "bad-repeat",
                whole,
                "the rule has no FREQ".into(),
                "start the rule with FREQ=DAILY, FREQ=WEEKLY or FREQ=MONTHLY",
            ));
        };
        let (by_day, by_day_span) = self.by_day.unwrap_or_default();
        if freq != Freq::Monthly && by_day.iter().any(|d| d.nth.is_some()) {
            return Err(err(
                "bad-repeat",
                by_day_span,
                "an ordinal weekday (such as 2TU) only makes sense in a monthly rule".into(),
                "use FREQ=MONTHLY, or drop the number before the day",
            ));
        }
        let end = match (self.until, self.count) {
            (Some(_), Some((_, span))) => {
                return Err(err(
                    "bad-repeat",
                    span,
                    "give UNTIL or COUNT, not both".into(),
                    "UNTIL is the last date, COUNT the number of sessions; keep one",
                ));
            }
            (Some((d, _)), None) => End::Until(d),
            (None, Some((n, _))) => End::Count(n),
            (None, None) => {
                return Err(err(
                    "unbounded-repeat",
                    whole,
                    "the session repeats forever: the rule has no UNTIL or COUNT".into(),
                    "add UNTIL=YYYY-MM-DD (the last date) or COUNT=n (the number of sessions); every date of a series is listed, so a series must end",
                ));
            }
        };
        Ok(Rule {
            freq,
            interval: self.interval.unwrap_or(1),
            by_day,
            end,
        })
    }
}

/// The days of a `BYDAY` value starting at byte `start` of the rule: `MO`, or with an
/// ordinal within the month, `2TU`, `-1FR`.
fn by_day_list(value: &str, start: usize) -> Result<Vec<ByDay>, RuleError> {
    let mut days = Vec::new();
    let mut o = start;
    for item in value.split(',') {
        let item_span = o..o + item.len();
        o += item.len() + 1;
        let t = item.trim();
        // The code is the last two characters; splitting at a byte count could cut one.
        let cut = t.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
        let (num, code) = t.split_at(cut);
        let wd = weekday(code);
        let nth = if num.is_empty() {
            Some(None)
        } else {
            num.parse::<i8>()
                .ok()
                .filter(|n| *n != 0 && (-5..=5).contains(n))
                .map(Some)
        };
        match (wd, nth) {
            (Some(weekday), Some(nth)) => days.push(ByDay { nth, weekday }),
            _ => {
                return Err(err(
                    "bad-repeat",
                    item_span,
                    format!("`{t}` is not a day of the week"),
                    "use MO, TU, WE, TH, FR, SA or SU, with an ordinal for monthly rules (2TU is the second Tuesday, -1FR the last Friday)",
                ));
            }
        }
    }
    Ok(days)
}

/// Why a rule could not be expanded from a start date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandError {
    /// The start date is not itself a date of the rule.
    StartNotInRule,
    /// More than [`MAX_OCCURRENCES`] dates.
    TooMany,
    /// `UNTIL` is before the start date.
    UntilBeforeStart,
}

impl Rule {
    /// The dates of the series that starts on `start`, in order; `start` must be one.
    pub fn dates(&self, start: Date) -> Result<Vec<Date>, ExpandError> {
        if let End::Until(u) = self.end {
            if u < start {
                return Err(ExpandError::UntilBeforeStart);
            }
        }
        let interval = i64::from(self.interval);
        let mut out: Vec<Date> = Vec::new();
        // Periods (days, weeks or months) from the start's; bounded so a rule that
        // rarely matches cannot loop for long.
        for k in 0..20_000i64 {
            let Some(mut candidates) = self.period(start, k * interval) else {
                break;
            };
            candidates.retain(|d| *d >= start);
            if k == 0 && candidates.first() != Some(&start) {
                return Err(ExpandError::StartNotInRule);
            }
            for d in candidates {
                if let End::Until(u) = self.end {
                    if d > u {
                        return Ok(out);
                    }
                }
                out.push(d);
                if out.len() > MAX_OCCURRENCES {
                    return Err(ExpandError::TooMany);
                }
                if let End::Count(n) = self.end {
                    if out.len() == n as usize {
                        return Ok(out);
                    }
                }
            }
        }
        Ok(out)
    }

    /// The sorted candidate dates of the period `steps` days/weeks/months after the
    /// start's; `None` past the end of the calendar.
    fn period(&self, start: Date, steps: i64) -> Option<Vec<Date>> {
        let mut days: Vec<Date> = match self.freq {
            Freq::Daily => {
                let d = start.checked_add(steps.days()).ok()?;
                let ok =
                    self.by_day.is_empty() || self.by_day.iter().any(|b| b.weekday == d.weekday());
                if ok { vec![d] } else { Vec::new() }
            }
            Freq::Weekly => {
                let monday = start
                    .checked_sub(i64::from(start.weekday().to_monday_zero_offset()).days())
                    .ok()?
                    .checked_add((steps * 7).days())
                    .ok()?;
                let wds: Vec<Weekday> = if self.by_day.is_empty() {
                    vec![start.weekday()]
                } else {
                    self.by_day.iter().map(|b| b.weekday).collect()
                };
                wds.iter()
                    .filter_map(|w| {
                        monday
                            .checked_add(i64::from(w.to_monday_zero_offset()).days())
                            .ok()
                    })
                    .collect()
            }
            Freq::Monthly => {
                let month = start.first_of_month().checked_add(steps.months()).ok()?;
                if self.by_day.is_empty() {
                    let day = start.day();
                    if day <= month.days_in_month() {
                        vec![Date::new(month.year(), month.month(), day).ok()?]
                    } else {
                        Vec::new()
                    }
                } else {
                    let mut v = Vec::new();
                    for b in &self.by_day {
                        match b.nth {
                            Some(n) => {
                                if let Ok(d) = month.nth_weekday_of_month(n, b.weekday) {
                                    v.push(d);
                                }
                            }
                            None => {
                                for n in 1..=5 {
                                    if let Ok(d) = month.nth_weekday_of_month(n, b.weekday) {
                                        v.push(d);
                                    }
                                }
                            }
                        }
                    }
                    v
                }
            }
        };
        days.sort();
        days.dedup();
        Some(days)
    }
}

/// A problem found while turning a session's `repeat`, `except` and `cancelled` into
/// occurrences: the field's path, and where inside its text when known.
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: String,
    /// Byte range inside the value's text (e.g. the faulty part of a rule).
    pub inner: Option<Range<usize>>,
    pub code: &'static str,
    pub message: String,
    pub label: Option<String>,
    pub help: String,
}

impl Problem {
    fn new(path: impl Into<String>, code: &'static str, message: String, help: &str) -> Self {
        Problem {
            path: path.into(),
            inner: None,
            code,
            message,
            label: None,
            help: help.to_owned(),
        }
    }
}

/// What [`occurrences`] needs to know about a session.
pub struct Series<'a> {
    pub repeat: Option<&'a str>,
    pub except: &'a [String],
    pub cancelled: &'a [String],
    /// Local start and end of the first session, as written.
    pub start: DateTime,
    pub end: DateTime,
    /// Their instants, already checked (gaps included) by the caller.
    pub first: (Timestamp, Timestamp),
    pub tz: &'a TimeZone,
    pub tz_name: &'a str,
    pub status: SessionStatus,
}

/// Every occurrence of a session, ascending: one for a single session; for a repeating
/// one, each date of the rule except those in `except`, with those in `cancelled`
/// marked cancelled. Every occurrence keeps the first one's local times (and length),
/// and a local time that does not exist on its date (a DST gap) is a problem.
pub fn occurrences(s: &Series) -> Result<Vec<Occurrence>, Vec<Problem>> {
    let Some(text) = s.repeat else {
        return single(s);
    };
    let rule = parse(text).map_err(|e| {
        vec![Problem {
            inner: Some(e.span),
            ..Problem::new("repeat", e.code, e.message, &e.help)
        }]
    })?;
    let dates = series_dates(&rule, s)?;
    let mut problems = Vec::new();
    let except = listed("except", s.except, &dates, &mut problems);
    let cancelled = listed("cancelled", s.cancelled, &dates, &mut problems);
    for (i, d) in cancelled.iter().enumerate() {
        if except.contains(d) {
            problems.push(Problem::new(
                format!("cancelled.{i}"),
                "duplicate-value",
                format!("{d} is both in `except` and in `cancelled`"),
                "`except` leaves a date out of the series; `cancelled` shows it as cancelled: choose one",
            ));
        }
    }
    let out = timed(s, dates, &except, &cancelled, &mut problems);
    if out.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            "except",
            "empty-series",
            "every date of the series is in `except`".into(),
            "remove the session, or leave some dates in the series",
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A session that does not repeat: its one occurrence, and no `except` or `cancelled`.
fn single(s: &Series) -> Result<Vec<Occurrence>, Vec<Problem>> {
    let mut problems = Vec::new();
    for (field, list) in [("except", s.except), ("cancelled", s.cancelled)] {
        if !list.is_empty() {
            problems.push(Problem::new(
                field,
                "needs-repeat",
                format!("`{field}` lists dates, but the session does not repeat"),
                "`except` and `cancelled` list dates of a repeating session (`repeat:`); a single session is cancelled with `status: cancelled`",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(vec![Occurrence {
        date: s.start.date(),
        start: s.start,
        end: s.end,
        start_at: s.first.0,
        end_at: s.first.1,
        status: s.status,
    }])
}

/// The dates of `rule` from the session's start, or why there are none to list.
fn series_dates(rule: &Rule, s: &Series) -> Result<Vec<Date>, Vec<Problem>> {
    match rule.dates(s.start.date()) {
        Ok(d) => Ok(d),
        Err(ExpandError::StartNotInRule) => {
            let hint = Rule {
                end: End::Count(1),
                ..rule.clone()
            };
            let mut p = Problem::new(
                "start",
                "start-not-in-repeat",
                format!(
                    "the session starts on {} ({}), which is not a date of its `repeat` rule",
                    s.start.date(),
                    s.start.date().strftime("%A")
                ),
                "start the session on the first date of the series",
            );
            // The rule's first date after the start, as a suggestion.
            if let Some(next) = (1..400).find_map(|k| {
                let d = s.start.date().checked_add(k.days()).ok()?;
                hint.dates(d).ok().map(|_| d)
            }) {
                p.label = Some(format!("the rule's next date is {next}"));
            }
            Err(vec![p])
        }
        Err(ExpandError::TooMany) => Err(vec![Problem::new(
            "repeat",
            "too-many-occurrences",
            format!("the series has more than {MAX_OCCURRENCES} dates"),
            "every date is listed and put in calendar feeds: end the series sooner (UNTIL or COUNT) or split it",
        )]),
        Err(ExpandError::UntilBeforeStart) => Err(vec![Problem::new(
            "repeat",
            "end-before-start",
            format!(
                "the rule's UNTIL is before the first session ({})",
                s.start.date()
            ),
            "UNTIL is the last date a session of the series may fall on",
        )]),
    }
}

/// The dates listed in `field` (`except` or `cancelled`), each of which must be one of
/// the series' `dates`, given once.
fn listed(field: &str, list: &[String], dates: &[Date], problems: &mut Vec<Problem>) -> Vec<Date> {
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let path = format!("{field}.{i}");
        match v.trim().parse::<Date>() {
            Ok(d) if dates.contains(&d) => {
                if out.contains(&d) {
                    problems.push(Problem::new(
                        path,
                        "duplicate-value",
                        format!("{d} is listed twice"),
                        "list each date once",
                    ));
                }
                out.push(d);
            }
            Ok(d) => {
                let mut p = Problem::new(
                    path,
                    "not-in-repeat",
                    format!("{d} is not a date of this session's series"),
                    "list dates the `repeat` rule produces; the series is shown on the session's page",
                );
                if let Some(near) = dates
                    .iter()
                    .min_by_key(|x| (x.duration_since(d).as_secs().abs(), **x))
                {
                    p.label = Some(format!("did you mean {near}?"));
                }
                problems.push(p);
            }
            Err(_) => problems.push(Problem {
                label: Some("expected YYYY-MM-DD".into()),
                ..Problem::new(
                    path,
                    "bad-date",
                    format!("`{v}` is not a date"),
                    "write dates as year-month-day, e.g. 2027-03-09",
                )
            }),
        }
    }
    out
}

/// The occurrences on `dates` not in `except`, at the first one's local times, turned
/// into instants in the session's time zone; a time in a DST gap is a problem.
fn timed(
    s: &Series,
    dates: Vec<Date>,
    except: &[Date],
    cancelled: &[Date],
    problems: &mut Vec<Problem>,
) -> Vec<Occurrence> {
    let length = s.end.duration_since(s.start);
    let mut out = Vec::new();
    for d in dates.into_iter().filter(|d| !except.contains(d)) {
        let start = d.to_datetime(s.start.time());
        let Ok(end) = start.checked_add(length) else {
            continue;
        };
        let mut resolve = |dt: DateTime, what: &str| {
            let amb = s.tz.to_ambiguous_timestamp(dt);
            if matches!(amb.offset(), jiff::tz::AmbiguousOffset::Gap { .. }) {
                problems.push(Problem::new(
                    "repeat",
                    "time-in-gap",
                    format!(
                        "the {d} session would {what} at {}, which does not exist in {}: the clocks jump forward then",
                        dt.time().strftime("%H:%M"),
                        s.tz_name
                    ),
                    &format!("add {d} to `except`, or choose a time outside the daylight-saving jump"),
                ));
                return None;
            }
            amb.compatible().ok()
        };
        let (a, b) = (resolve(start, "start"), resolve(end, "end"));
        if let (Some(start_at), Some(end_at)) = (a, b) {
            out.push(Occurrence {
                date: d,
                start,
                end,
                start_at,
                end_at,
                status: if cancelled.contains(&d) {
                    SessionStatus::Cancelled
                } else {
                    s.status
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
