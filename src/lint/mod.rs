//! Warnings about valid content that is probably stale or incomplete.
//!
//! These never block a build (unless `--deny-warnings`); they tell a reviewer what to
//! ask the contributor about. Each points at the field concerned.

mod duplicates;

use jiff::{Timestamp, ToSpan};

use crate::error::{Diagnostic, Diagnostics};
use crate::model::{PartnershipStatus, SessionStatus, Site};
use crate::source::field_span;

/// A scheduled session that ended longer ago than this is history: `past-session`.
pub(crate) const PAST_SESSION_DAYS: i64 = 30;

pub(crate) fn lint(site: &Site, now: Timestamp) -> Diagnostics {
    let mut d = Diagnostics::new();
    let tz = site.config.time_zone.clone();
    let today = now.to_zoned_datetime(tz).date();
    let stale = today.checked_sub(12.months()).unwrap_or(today);
    let past_cutoff = now
        .checked_sub((PAST_SESSION_DAYS * 24).hours())
        .unwrap_or(now);
    for s in &site.spaces {
        if s.last_verified < stale {
            d.push(
                Diagnostic::warning(
                    "stale",
                    format!(
                        "last verified on {}, more than 12 months ago",
                        s.last_verified
                    ),
                )
                .at(&s.src, field_span(&s.src, "last_verified"))
                .help("check the details with the space and update `last_verified`"),
            );
        }
        if s.last_verified > today {
            d.push(
                Diagnostic::warning(
                    "future-date",
                    format!(
                        "last verified on {}, which is in the future",
                        s.last_verified
                    ),
                )
                .at(&s.src, field_span(&s.src, "last_verified")),
            );
        }
        if s.accessibility.is_none() {
            d.push(
                Diagnostic::warning("no-accessibility", "the space gives no accessibility information")
                    .at(&s.src, field_span(&s.src, "name"))
                    .help("add `accessibility:` with step_free, accessible_washroom, hearing_loop, quiet_room and notes"),
            );
        }
    }
    for s in &site.sessions {
        if s.status == SessionStatus::Postponed && s.end_at <= now {
            d.push(
                Diagnostic::warning(
                    "postponed-in-past",
                    "a postponed session whose original date has passed",
                )
                .at(&s.src, field_span(&s.src, "status"))
                .help("give the new date and set status: scheduled, or mark it cancelled"),
            );
        }
        let ended = s.last_end_at();
        if s.status == SessionStatus::Scheduled && ended < past_cutoff {
            let day = ended.to_zoned_datetime(s.time_zone.clone()).date();
            d.push(
                Diagnostic::warning(
                    "past-session",
                    format!("the session ended on {day}, more than {PAST_SESSION_DAYS} days ago"),
                )
                .at(&s.src, field_span(&s.src, "status"))
                .help(format!(
                    "a session stays listed under past sessions for {PAST_SESSION_DAYS} days; \
                     then delete its file (git keeps its history), or set `status: cancelled` \
                     if it did not take place"
                )),
            );
        }
    }
    for p in &site.partnerships {
        if let Some(end) = p.end {
            if end < today && p.status == PartnershipStatus::Active {
                d.push(
                    Diagnostic::warning(
                        "ended-but-active",
                        format!("the partnership ended on {end} but is still marked active"),
                    )
                    .at(&p.src, field_span(&p.src, "status"))
                    .help("set status: ended, or update the end date"),
                );
            }
        }
    }
    d.extend(duplicates::lint(site));
    d
}
