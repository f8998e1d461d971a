//! OpenStreetMap `opening_hours` → a compact weekly schedule the browser can test.
//!
//! The browser cannot run the `opening_hours` grammar, so the build evaluates each
//! space's rule with the `opening-hours` crate over one reference week — the Monday to
//! Sunday holding the build date — and keeps, per weekday, the `[start, end)` minutes
//! during which it is open (a range past midnight continues on the next day's list).
//!
//! That week stands for every week. It is exact for rules made only of weekdays and
//! times; a rule that also depends on the date (years, months, dates, week numbers),
//! on holidays (`PH`, `SH`: no holiday calendar is compiled in) or on the sun
//! (`sunrise`, `dusk`, …) is marked **approximate**, and the site says so next to the
//! "open now" filter. Periods in the "unknown" state count as closed and also make the
//! schedule approximate.

use jiff::civil::{Date, Weekday};
use opening_hours::{OpeningHours, RuleKind};
use opening_hours_syntax::rules::day::WeekDayRange;
use opening_hours_syntax::rules::time::Time;
use serde::Serialize;

/// Minutes in a day.
pub const DAY: u16 = 24 * 60;

/// When a space is open in a week: per weekday (0 = Monday), sorted, disjoint
/// `[start, end)` minute ranges.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct WeeklyHours {
    pub days: [Vec<(u16, u16)>; 7],
    /// The real hours may differ in some weeks (see the module documentation).
    pub approximate: bool,
}

impl WeeklyHours {
    /// Is the space open at `minute` of `weekday` (0 = Monday)?
    pub fn is_open(&self, weekday: usize, minute: u16) -> bool {
        self.days
            .get(weekday)
            .is_some_and(|d| d.iter().any(|&(s, e)| s <= minute && minute < e))
    }
}

/// The Monday starting the week that holds `date`.
pub fn reference_monday(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .expect("a week back stays in range")
}

/// Compiles `rule` over the week starting `monday`; `None` if it does not parse (the
/// validator has already refused such content).
pub fn compile(rule: &str, monday: Date) -> Option<WeeklyHours> {
    debug_assert_eq!(monday.weekday(), Weekday::Monday);
    let oh: OpeningHours = rule.parse().ok()?;
    let mut approximate = depends_on_more_than_the_week(&oh);
    let monday = naive(monday)?;
    // Minutes since the reference Monday's midnight, over the week.
    let mut spans: Vec<(i64, i64)> = Vec::new();
    // From the Sunday before (its night may run into Monday) to the Sunday of the week.
    // A day's schedule may run past 24:00 into the next day.
    for d in -1_i64..7 {
        let date = monday + chrono::Duration::days(d);
        for range in oh.schedule_at(date) {
            match range.kind {
                RuleKind::Open => {}
                RuleKind::Unknown => {
                    approximate = true;
                    continue;
                }
                RuleKind::Closed => continue,
            }
            let base = d * i64::from(DAY);
            let from = base + i64::from(range.range.start.mins_from_midnight());
            let to = base + i64::from(range.range.end.mins_from_midnight());
            spans.push((from.max(0), to.min(7 * i64::from(DAY))));
        }
    }
    let mut days: [Vec<(u16, u16)>; 7] = Default::default();
    for (from, to) in spans {
        let mut m = from;
        while m < to {
            let day = (m / i64::from(DAY)) as usize;
            let stop = to.min((day as i64 + 1) * i64::from(DAY));
            let offset = day as i64 * i64::from(DAY);
            days[day].push(((m - offset) as u16, (stop - offset) as u16));
            m = stop;
        }
    }
    for day in &mut days {
        day.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(day.len());
        for &(s, e) in day.iter() {
            match merged.last_mut() {
                Some(last) if last.1 >= s => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        *day = merged;
    }
    Some(WeeklyHours { days, approximate })
}

fn naive(d: Date) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
}

/// Does the rule select by date, holiday or sun position anywhere?
fn depends_on_more_than_the_week(oh: &OpeningHours) -> bool {
    let expr = oh.get_expression();
    expr.rules.iter().any(|rule| {
        let days = &rule.day_selector;
        !days.year.is_empty()
            || !days.monthday.is_empty()
            || !days.week.is_empty()
            || days
                .weekday
                .iter()
                .any(|w| matches!(w, WeekDayRange::Holiday { .. }))
            || rule.time_selector.spans.iter().any(|span| {
                matches!(span.range.start, Time::Variable(_))
                    || matches!(span.range.end, Time::Variable(_))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn week(rule: &str) -> WeeklyHours {
        compile(rule, reference_monday(date(2026, 11, 25))).expect("parses")
    }

    #[test]
    fn search_hours_reference_week() {
        assert_eq!(reference_monday(date(2026, 11, 25)), date(2026, 11, 23));
        assert_eq!(reference_monday(date(2026, 11, 23)), date(2026, 11, 23));
        assert_eq!(reference_monday(date(2026, 11, 29)), date(2026, 11, 23));
    }

    #[test]
    fn search_hours_plain_weekly_rules_are_exact() {
        let h = week("Mo-Fr 08:00-18:00; Sa 10:00-14:00");
        assert!(!h.approximate);
        for d in 0..5 {
            assert_eq!(h.days[d], vec![(480, 1080)]);
        }
        assert_eq!(h.days[5], vec![(600, 840)]);
        assert!(h.days[6].is_empty());
        assert!(h.is_open(0, 480) && h.is_open(0, 1079) && !h.is_open(0, 1080));
        assert!(!h.is_open(6, 700));

        let all = week("24/7");
        assert!(!all.approximate);
        assert!(all.days.iter().all(|d| d == &vec![(0, DAY)]));

        let split = week("Mo 08:00-12:00,13:00-17:00");
        assert_eq!(split.days[0], vec![(480, 720), (780, 1020)]);
    }

    #[test]
    fn search_hours_past_midnight_continue_next_day() {
        let h = week("Fr 20:00-02:00");
        assert_eq!(h.days[4], vec![(1200, DAY)]);
        assert_eq!(h.days[5], vec![(0, 120)]);
        // Sunday night wraps round the week: Monday's list starts with it.
        let sunday = week("Su 22:00-01:00");
        assert_eq!(sunday.days[6], vec![(1320, DAY)]);
        assert_eq!(sunday.days[0], vec![(0, 60)]);
    }

    /// The same week through the crate's own range iterator (slower, as a cross-check).
    fn week_by_iter_range(rule: &str, monday: Date) -> [Vec<(u16, u16)>; 7] {
        let oh: OpeningHours = rule.parse().unwrap();
        let start = naive(monday).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let mut days: [Vec<(u16, u16)>; 7] = Default::default();
        for r in oh.iter_range(start, start + chrono::Duration::days(7)) {
            if r.kind != RuleKind::Open {
                continue;
            }
            let mut m = (r.range.start - start).num_minutes();
            let to = (r.range.end - start).num_minutes();
            while m < to {
                let day = (m / 1440) as usize;
                let stop = to.min((day as i64 + 1) * 1440);
                let (s, e) = ((m % 1440) as u16, (stop - day as i64 * 1440) as u16);
                match days[day].last_mut() {
                    Some(last) if last.1 >= s => last.1 = last.1.max(e),
                    _ => days[day].push((s, e)),
                }
                m = stop;
            }
        }
        days
    }

    #[test]
    fn search_hours_match_the_crates_range_iterator() {
        let monday = reference_monday(date(2026, 11, 25));
        for rule in [
            "Mo-Fr 08:00-18:00; Sa 10:00-14:00; PH off",
            "24/7",
            "Fr 20:00-02:00",
            "Su 22:00-01:00",
            "Mo-Su 00:00-24:00; Tu off",
            "Mo,We 09:00-12:00,14:00-18:00; Th 10:00-03:00",
            "Dec 24-Jan 01 off; Mo-Fr 09:00-17:00",
            "Nov Mo-Fr 08:00-20:00; Dec Mo-Fr 09:00-17:00",
        ] {
            assert_eq!(
                compile(rule, monday).unwrap().days,
                week_by_iter_range(rule, monday),
                "{rule}"
            );
        }
    }

    #[test]
    fn search_hours_holidays_dates_and_sun_are_approximate() {
        let ph = week("Mo-Fr 08:00-18:00; PH off");
        assert!(ph.approximate);
        assert_eq!(ph.days[0], vec![(480, 1080)]);
        assert!(week("Dec 24-Jan 01 off; Mo-Fr 09:00-17:00").approximate);
        assert!(week("Jun-Aug Mo-Fr 09:00-17:00").approximate);
        assert!(week("Mo-Fr sunrise-sunset").approximate);
        assert!(week("Mo-Fr 09:00-17:00 unknown").approximate);
        assert!(compile("not hours", date(2026, 11, 23)).is_none());
    }
}
