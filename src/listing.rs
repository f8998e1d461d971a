//! Which spaces are listed, and in what order: the site's listing policy as code.
//!
//! `content/site.yaml` may hold a `listing:` block (see [`crate::raw::RawListing`]):
//!
//! ```yaml
//! listing:
//!   order: shuffle            # shuffle (default) | rotate-daily | alphabetical
//!   first_screen: 12          # cards that count as "the first screen" for the audit
//!   page_size: 100            # cards per list page; longer lists continue on /page/2/, …
//!   criteria:                 # what a space needs to be listed
//!     status: [active, temporarily-closed]   # the default
//!     drop_in: false          # true: only spaces that welcome drop-in visitors
//!     accessibility: false    # true: only spaces that give accessibility information
//!     contact: false          # true: only spaces with a website, email or phone
//!     verified_within_months: 24   # only spaces verified this recently (default: no limit)
//! ```
//!
//! Every space that meets the criteria is listed — on the home page, the spaces index,
//! and every region, amenity and partnership page — and every space that does not is
//! reported with its reasons (the page "How spaces are listed", `/data/neutrality.json`
//! and one line of `build`/`check` output). An unlisted space still gets its own page,
//! marked as not listed, so that links to it keep working; it is simply absent from
//! every list. Not meeting a criterion is not a content problem, so it is never a
//! warning; only malformed content is.
//!
//! Membership is decided here; order is decided by [`daily_order`], the one function
//! that both [`crate::index`] (what the site shows) and [`crate::audit`] (what
//! `hotdesk audit` replays) call. This module has no field, input or hook through which
//! a space could be ranked: the only inputs are the criteria, the policy and the date.

use std::ops::Range;
use std::sync::Arc;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::Positions;
use crate::model::{Site, Space, SpaceStatus, limits};
use jiff::civil::Date;
// The policy's types are data of the validated site, so they live in the model; they are
// named here too, where the policy is read and applied.
pub use crate::model::{Criteria, ListingPolicy};
use crate::neutral::{self, OrderPolicy};
use crate::raw::{RawCriteria, RawListing};
use crate::source::SourceFile;

/// Why a space is not listed: one unmet criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its status is not among the listed statuses.
    Status(SpaceStatus),
    /// It does not welcome drop-in visitors.
    DropIn,
    /// It gives no accessibility information.
    Accessibility,
    /// It gives no website, email or phone.
    Contact,
    /// It was last verified on this date, more than `months` before the build date.
    NotVerified { last_verified: Date, months: u32 },
}

impl Reason {
    /// The criterion's key in `listing.criteria`.
    pub fn criterion(&self) -> &'static str {
        match self {
            Reason::Status(_) => "status",
            Reason::DropIn => "drop_in",
            Reason::Accessibility => "accessibility",
            Reason::Contact => "contact",
            Reason::NotVerified { .. } => "verified_within_months",
        }
    }

    /// The reason in plain English (for the terminal and the JSON report; the HTML page
    /// uses the theme's strings instead).
    pub fn describe(&self, criteria: &Criteria) -> String {
        match self {
            Reason::Status(s) => format!(
                "its status is {}; listed statuses: {}",
                status_str(*s),
                criteria
                    .status
                    .iter()
                    .map(|s| status_str(*s))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Reason::DropIn => "it does not welcome drop-in visitors".into(),
            Reason::Accessibility => "it gives no accessibility information".into(),
            Reason::Contact => "it gives no website, email or phone".into(),
            Reason::NotVerified {
                last_verified,
                months,
            } => format!(
                "its details were last verified on {last_verified}, more than {months} months before the build date"
            ),
        }
    }
}

/// The spelling of a status in content files.
pub fn status_str(s: SpaceStatus) -> &'static str {
    match s {
        SpaceStatus::Active => "active",
        SpaceStatus::TemporarilyClosed => "temporarily-closed",
        SpaceStatus::Closed => "closed",
    }
}

/// A space that is not listed, and every criterion it does not meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// Index into `site.spaces`.
    pub space: usize,
    /// Never empty.
    pub reasons: Vec<Reason>,
}

/// The criteria `space` does not meet on `today` (empty: it is listed).
pub fn unmet(space: &Space, criteria: &Criteria, today: Date) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if !criteria.status.contains(&space.status) {
        reasons.push(Reason::Status(space.status));
    }
    if criteria.drop_in && !space.drop_in {
        reasons.push(Reason::DropIn);
    }
    if criteria.accessibility && space.accessibility.is_none() {
        reasons.push(Reason::Accessibility);
    }
    if criteria.contact && space.website.is_none() && space.email.is_none() && space.phone.is_none()
    {
        reasons.push(Reason::Contact);
    }
    if let Some(months) = criteria.verified_within_months {
        // A limit reaching before the calendar's start excludes nothing.
        // `try_months`: a span past jiff's range is an error, where `.months()` panics.
        let span = jiff::Span::new().try_months(i64::from(months));
        if let Ok(oldest) = span.and_then(|s| today.checked_sub(s)) {
            if space.last_verified < oldest {
                reasons.push(Reason::NotVerified {
                    last_verified: space.last_verified,
                    months,
                });
            }
        }
    }
    reasons
}

/// Splits the spaces into the listed ones (indices into `site.spaces`, by slug) and the
/// excluded ones with their reasons (by slug), for a build on `today`.
pub fn evaluate(site: &Site, today: Date) -> (Vec<usize>, Vec<Exclusion>) {
    let criteria = &site.config.listing.criteria;
    let mut by_slug: Vec<usize> = (0..site.spaces.len()).collect();
    by_slug.sort_by_key(|&a| &site.spaces[a].slug);
    let mut listed = Vec::with_capacity(by_slug.len());
    let mut excluded = Vec::new();
    for i in by_slug {
        let reasons = unmet(&site.spaces[i], criteria, today);
        if reasons.is_empty() {
            listed.push(i);
        } else {
            excluded.push(Exclusion { space: i, reasons });
        }
    }
    (listed, excluded)
}

/// The order in which the listed spaces are shown on `date`: a permutation of
/// `candidates` (indices into `site.spaces`).
///
/// - `shuffle` and `rotate-daily`: the candidates sorted by slug, then shuffled with
///   [`neutral::seed_for_date`]`(date)` — the algorithm specified in [`crate::neutral`].
/// - `alphabetical`: sorted by name, ignoring case and accents ([`fold`]), then by slug.
///
/// Every list of the site (region, amenity, partnership) shows its spaces in the
/// relative order of this one.
pub fn daily_order(
    site: &Site,
    candidates: &[usize],
    order: OrderPolicy,
    date: Date,
) -> Vec<usize> {
    let mut items = candidates.to_vec();
    match order {
        OrderPolicy::Alphabetical => items.sort_by_cached_key(|&i| {
            let s = &site.spaces[i];
            (fold(&s.name), s.slug.clone())
        }),
        OrderPolicy::Shuffle | OrderPolicy::RotateDaily => {
            neutral::arrange(&mut items, order, date, |&i| &site.spaces[i].slug);
        }
    }
    items
}

/// A sort key that ignores case and accents: `École` and `ecole` fold alike, and
/// letters such as `ß`, `æ` and `ø` become `ss`, `ae` and `o` (transliteration to
/// ASCII by `deunicode`, then lowercase).
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// Validates the `listing:` block of `site.yaml`; the defaults when it is absent.
/// Problems are pushed to `diags` and the default is used in their place; choosing
/// `alphabetical` is valid but gives a warning, because it is not neutral.
pub fn policy(
    raw: Option<&RawListing>,
    src: &Arc<SourceFile>,
    pos: &Positions,
    diags: &mut Diagnostics,
) -> ListingPolicy {
    let mut policy = ListingPolicy::default();
    let Some(RawListing {
        order,
        first_screen,
        page_size,
        criteria,
    }) = raw
    else {
        return policy;
    };
    let at = |path: &str| -> Range<usize> { pos.value(path) };
    if let Some(order) = order {
        policy.order = *order;
        if *order == OrderPolicy::Alphabetical {
            diags.push(
                Diagnostic::warning("not-neutral", "alphabetical order is not neutral")
                    .at(src, at("listing.order"))
                    .label("the same spaces come first on every page, every day")
                    .help(
                        "remove `order:` or set it to `shuffle` (the default) or `rotate-daily`; \
                         `hotdesk audit` fails on an alphabetical directory",
                    ),
            );
        }
    }
    if let Some(n) = first_screen {
        if *n == 0 {
            diags.push(
                Diagnostic::error("bad-first-screen", "`first_screen` must be at least 1")
                    .at(src, at("listing.first_screen"))
                    .help("give the number of cards a visitor sees before scrolling, e.g. 12"),
            );
        } else {
            policy.first_screen = *n as usize;
        }
    }
    if let Some(n) = page_size {
        if *n == 0 {
            diags.push(
                Diagnostic::error("bad-page-size", "`page_size` must be at least 1")
                    .at(src, at("listing.page_size"))
                    .help("give the number of cards one list page shows, e.g. 100, or remove the line for that default"),
            );
        } else {
            policy.page_size = *n as usize;
        }
    }
    if let Some(RawCriteria {
        status,
        drop_in,
        accessibility,
        contact,
        verified_within_months,
    }) = criteria
    {
        let c = &mut policy.criteria;
        if let Some(status) = status {
            if status.is_empty() {
                diags.push(
                    Diagnostic::error("no-listed-status", "`status` lists no status: no space would be listed")
                        .at(src, at("listing.criteria.status"))
                        .help("list the statuses to show, e.g. [active, temporarily-closed], or remove the line for that default"),
                );
            } else {
                let mut s: Vec<SpaceStatus> = Vec::new();
                for x in status {
                    if !s.contains(x) {
                        s.push(*x);
                    }
                }
                s.sort_by_key(|x| *x as u8);
                c.status = s;
            }
        }
        c.drop_in = *drop_in;
        c.accessibility = *accessibility;
        c.contact = *contact;
        if let Some(m) = verified_within_months {
            let bound = limits::VERIFIED_WITHIN_MONTHS;
            if !bound.contains(f64::from(*m)) {
                let msg = if *m == 0 {
                    "`verified_within_months` must be at least 1".to_owned()
                } else {
                    format!(
                        "`verified_within_months` is {m}; it must be {}",
                        bound.describe()
                    )
                };
                diags.push(
                    Diagnostic::error("bad-verified-within", msg)
                        .at(src, at("listing.criteria.verified_within_months"))
                        .help("give a number of months, e.g. 24, or remove the line for no limit"),
                );
            } else {
                c.verified_within_months = Some(*m);
            }
        }
    }
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_and_accents() {
        assert_eq!(fold("École"), "ecole");
        assert_eq!(fold("ÉCOLE"), fold("école"));
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Ærø"), "aero");
        let mut names = vec!["zèbre", "Éclair", "abc", "Ecole", "eclat"];
        names.sort_by_cached_key(|n| fold(n));
        assert_eq!(names, ["abc", "Éclair", "eclat", "Ecole", "zèbre"]);
    }

    #[test]
    fn reasons_name_their_criterion() {
        let c = Criteria::default();
        let r = Reason::Status(SpaceStatus::Closed);
        assert_eq!(r.criterion(), "status");
        assert_eq!(
            r.describe(&c),
            "its status is closed; listed statuses: active, temporarily-closed"
        );
        let stale = Reason::NotVerified {
            last_verified: jiff::civil::date(2020, 1, 2),
            months: 24,
        };
        assert_eq!(stale.criterion(), "verified_within_months");
        assert!(stale.describe(&c).contains("2020-01-02"));
    }
}
