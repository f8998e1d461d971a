//! The neutrality audit: replay the site's daily order and test that it favours no space.
//!
//! `hotdesk audit` and the published `/data/neutrality.json` are the same report. For
//! every list page of the site — the home page (whose list the spaces index repeats),
//! each region, each amenity and each partnership — with at least two spaces, it
//! replays the order the site would have shown on each day of a window (by default the
//! [`DEFAULT_DAYS`] days ending on the build date) and counts where each space appeared.
//!
//! The replay does exactly what the site does, not a fresh shuffle per list: each day's
//! order of all listed spaces is that of [`listing::daily_order`] (the function
//! [`crate::index`] uses; see `audit_site` for how it is replayed without re-sorting),
//! and every sub-list shows its members in their relative order there. Membership is
//! today's (the lists of this build); only the order is replayed. [`audit_with`] takes
//! the daily order as a function, so a deliberately biased order can be audited in
//! tests.
//!
//! Each list is tested with [`neutral::AuditReport`] (Anderson's rank statistic over
//! position bins, and a first-screen test; see [`crate::neutral`]). Because a site has
//! many lists, the verdict is corrected for multiple testing: each list's p-value is
//! multiplied by the number of distinct lists audited (Bonferroni; lists with the same
//! spaces, such as an amenity every space has and the home list, show the same order and
//! count once), so that a fair site fails on a given day with probability at most
//! [`neutral::TOLERANCE`]. The audit passes when no
//! adjusted p-value is below that tolerance and every list could be tested; a window too
//! short for a valid test is "inconclusive", which does not pass.
//!
//! Position counts are kept pooled into bins ([`neutral::BinnedCounts`]), so memory is
//! linear in the number of list memberships, and each day costs one shuffle plus one pass
//! over the memberships: nothing is quadratic in the number of spaces. The days are
//! replayed in parallel batches (see the `replay` module) whose positions are then counted
//! list by list and space by space, because counting them as each day comes scatters
//! increments over tables too large for any cache.
//!
//! The audit is three rooms: this module finds the lists and assembles the report,
//! `replay` counts, `text` formats. The statistics themselves are
//! [`crate::neutral`]'s, which must not import the site's modules (they import it).

mod replay;
mod text;

pub(crate) use text::listing_summary;

use rayon::prelude::*;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::index::Index;
use crate::listing::{self, Criteria};
use crate::model::Site;
use crate::neutral::{
    self, AuditReport, AuditWindow, BinnedCounts, ChiSquareTest, OrderPolicy, Verdict,
};
use crate::urls::{Kind, Urls};
use replay::{BATCH_BYTES, Days, replay};

/// Days audited by default, and by every build for `/data/neutrality.json`.
pub(crate) const DEFAULT_DAYS: u32 = 365;

/// Where the build publishes the report.
pub(crate) const REPORT_PATH: &str = "data/neutrality.json";

/// Which kind of page shows a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// The home page and the spaces index: every listed space.
    Home,
    Region,
    Amenity,
    Partnership,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Home => "home",
            ListKind::Region => "region",
            ListKind::Amenity => "amenity",
            ListKind::Partnership => "partnership",
        }
    }
}

/// One list of spaces the site shows.
#[derive(Debug, Clone)]
pub(crate) struct ListSpec {
    pub kind: ListKind,
    /// The region, amenity or partnership id; `all` for the home list.
    pub id: String,
    pub name: String,
    /// Root-relative URL of the page showing it.
    pub url: String,
    /// Its spaces (indices into `site.spaces`), sorted by slug.
    pub members: Vec<usize>,
}

/// The lists of this build with at least two spaces (a list of one cannot favour
/// anyone): home, then regions, amenities and partnerships in content order.
pub(crate) fn lists(site: &Site, idx: &Index) -> Vec<ListSpec> {
    let urls = Urls::new(&site.config.base_url);
    let mut lists = Vec::new();
    let mut push = |kind, id: &str, name: &str, url: String, members: &[usize]| {
        if members.len() >= 2 {
            let mut members = members.to_vec();
            members.sort_by_key(|&a| &site.spaces[a].slug);
            lists.push(ListSpec {
                kind,
                id: id.to_owned(),
                name: name.to_owned(),
                url,
                members,
            });
        }
    };
    push(
        ListKind::Home,
        "all",
        &site.config.title,
        urls.href(""),
        &idx.listed,
    );
    for r in &site.regions {
        if let Some(m) = idx.by_region.get(r.id.as_str()) {
            push(
                ListKind::Region,
                r.id.as_str(),
                &r.name,
                urls.record(Kind::Region, r.id.as_str()),
                m,
            );
        }
    }
    for a in &site.amenities {
        if let Some(m) = idx.by_amenity.get(a.id.as_str()) {
            push(
                ListKind::Amenity,
                a.id.as_str(),
                &a.name,
                urls.record(Kind::Amenity, a.id.as_str()),
                m,
            );
        }
    }
    for (i, p) in site.partnerships.iter().enumerate() {
        push(
            ListKind::Partnership,
            p.slug.as_str(),
            &p.name,
            urls.record(Kind::Partnership, p.slug.as_str()),
            &idx.partnership_spaces[i],
        );
    }
    lists
}

/// The report of `hotdesk audit`, published as `/data/neutrality.json`.
#[derive(Debug, Clone, Serialize)]
pub struct NeutralityReport {
    /// The shuffle algorithm ([`neutral::ALGORITHM`]).
    pub algorithm: &'static str,
    pub policy: PolicyReport,
    /// The seed of the build date's order; `null` for the alphabetical order.
    pub seed: Option<u32>,
    /// The text the seed is the FNV-1a hash of, e.g. `hotdesk:2026-11-25`.
    pub seed_text: String,
    /// The build date (in the site's time zone), `YYYY-MM-DD`.
    pub date: String,
    /// The days replayed, ending on `date`.
    pub window: AuditWindow,
    pub tolerance: f64,
    /// Number of lists tested.
    pub lists_audited: usize,
    /// Number of lists with distinct sets of spaces: the Bonferroni factor.
    pub distinct_lists: usize,
    /// The smallest list p-value times `distinct_lists` (at most 1); `null` when no list
    /// could be tested validly.
    pub p_value: Option<f64>,
    pub verdict: Verdict,
    /// Number of listed spaces.
    pub listed: usize,
    /// Number of spaces in the content.
    pub spaces: usize,
    pub lists: Vec<ListAudit>,
    /// Spaces that are not listed, by slug, with every unmet criterion.
    pub excluded: Vec<ExcludedSpace>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyReport {
    pub order: OrderPolicy,
    /// Whether `neutral.js` reshuffles lists in the visitor's browser too.
    pub reshuffled_in_browser: bool,
    /// False for the alphabetical order.
    pub neutral: bool,
    pub first_screen: usize,
    pub criteria: Criteria,
}

/// The audit of one list.
#[derive(Debug, Clone, Serialize)]
pub struct ListAudit {
    pub kind: ListKind,
    pub id: String,
    pub name: String,
    pub url: String,
    pub n_items: usize,
    /// Orders replayed (days).
    pub trials: u64,
    pub tests: Vec<ChiSquareTest>,
    /// The list's own p-value (its tests Bonferroni-combined); `null` if inconclusive.
    pub p_value: Option<f64>,
    /// `p_value` times the number of distinct lists audited, at most 1.
    pub adjusted_p_value: Option<f64>,
    /// At the tolerance, on the adjusted p-value.
    pub verdict: Verdict,
    pub notes: Vec<String>,
    /// The mean position every space would have in a uniform order, `(n + 1) / 2`.
    pub expected_mean_position: f64,
    /// The first-screen share every space would have, `min(first_screen, n) / n`.
    pub expected_first_screen_share: f64,
    /// Per space, by slug.
    pub items: Vec<ItemStats>,
}

/// Where one space stood in one list over the window (rounded for publication).
#[derive(Debug, Clone, Serialize)]
pub struct ItemStats {
    pub slug: String,
    /// Mean 1-based position.
    pub mean_position: f64,
    /// How many standard errors the mean is from the expected mean.
    pub mean_position_z: f64,
    /// Share of days on the first screen.
    pub first_screen_share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExcludedSpace {
    pub slug: String,
    pub name: String,
    /// Its own page, which still exists.
    pub url: String,
    pub reasons: Vec<ReasonReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReasonReport {
    /// The key in `listing.criteria`.
    pub criterion: &'static str,
    pub text: String,
}

/// Audits the site's own order over the `days` days ending on the build date.
pub fn audit_site(site: &Site, idx: &Index, days: u32) -> NeutralityReport {
    let order = site.config.listing.order;
    let mut candidates = idx.listed.clone();
    candidates.sort_by_key(|&i| &site.spaces[i].slug);
    // `daily_order` sorts its candidates by slug, then shuffles them with the day's
    // seed. They are sorted already, and slugs are unique, so its sort leaves them as
    // they are: the audit shuffles them the same way without sorting them again every
    // day (at 100,000 spaces the sort's slug comparisons took some 0.8 s of CPU).
    // That this is `daily_order` is checked on the build date, the day the site shows.
    let replay = |date: Date| match order {
        OrderPolicy::Shuffle | OrderPolicy::RotateDaily => {
            let mut items = candidates.clone();
            neutral::shuffle(&mut items, neutral::seed_for_date(date));
            items
        }
        OrderPolicy::Alphabetical => listing::daily_order(site, &candidates, order, date),
    };
    assert!(
        replay(idx.order_date) == listing::daily_order(site, &candidates, order, idx.order_date),
        "the audit replays the site's daily order"
    );
    audit_days(site, idx, days, &mut |dates| {
        dates.par_iter().map(|&date| replay(date)).collect()
    })
}

/// Audits the order given by `order_of_day`, which must return, for a date, a
/// permutation of the listed spaces (`idx.listed`, as indices into `site.spaces`).
/// It is called once per day, in date order.
///
/// # Panics
///
/// Panics if `order_of_day` returns anything but a permutation of the listed spaces.
pub fn audit_with(
    site: &Site,
    idx: &Index,
    days: u32,
    mut order_of_day: impl FnMut(Date) -> Vec<usize>,
) -> NeutralityReport {
    audit_days(site, idx, days, &mut |dates| {
        dates.iter().map(|&date| order_of_day(date)).collect()
    })
}

/// The audit, with the daily orders of a batch of dates from `orders_of`.
fn audit_days(
    site: &Site,
    idx: &Index,
    days: u32,
    orders_of: &mut dyn FnMut(&[Date]) -> Vec<Vec<usize>>,
) -> NeutralityReport {
    let policy = &site.config.listing;
    let first_screen = policy.first_screen;
    let end = idx.order_date;
    let start = end
        .checked_sub(i64::from(days.saturating_sub(1)).days())
        .unwrap_or(Date::MIN);
    let dates: Vec<Date> = start
        .series(1.day())
        .take(days as usize)
        .take_while(|d| *d <= end)
        .collect();

    let specs = lists(site, idx);
    let mut counts: Vec<BinnedCounts> = specs
        .iter()
        .map(|s| BinnedCounts::new(s.members.len(), first_screen, dates.len() as u64))
        .collect();
    let members: Vec<&[usize]> = specs.iter().map(|s| s.members.as_slice()).collect();
    let replay = if members.iter().all(|m| m.len() <= 1 << 16) {
        replay::<u16>
    } else {
        replay::<u32>
    };
    let days = Days {
        dates: &dates,
        orders_of,
        batch_bytes: BATCH_BYTES,
    };
    replay(site.spaces.len(), &idx.listed, &members, days, &mut counts);

    let m = specs
        .iter()
        .map(|s| s.members.as_slice())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let tests: Vec<AuditReport> = counts.par_iter().map(AuditReport::from_binned).collect();
    let adjust = |p: f64| (p * m as f64).min(1.0);
    let lists: Vec<ListAudit> = specs
        .iter()
        .zip(tests)
        .map(|(spec, r)| {
            let adjusted = r.p_value.map(adjust);
            let n = r.n_items as f64;
            ListAudit {
                expected_mean_position: (n + 1.0) / 2.0,
                expected_first_screen_share: round(first_screen.min(r.n_items) as f64 / n, 4),
                kind: spec.kind,
                id: spec.id.clone(),
                name: spec.name.clone(),
                url: spec.url.clone(),
                n_items: r.n_items,
                trials: r.trials,
                verdict: verdict(adjusted),
                p_value: r.p_value,
                adjusted_p_value: adjusted,
                notes: r.notes,
                tests: r.tests,
                items: r
                    .items
                    .iter()
                    .map(|row| ItemStats {
                        slug: site.spaces[spec.members[row.index]].slug.to_string(),
                        mean_position: round(row.mean_position, 3),
                        mean_position_z: round(row.mean_position_z, 2),
                        first_screen_share: round(row.first_screen_share, 4),
                    })
                    .collect(),
            }
        })
        .collect();

    let inconclusive = lists.iter().any(|l| l.p_value.is_none()) || dates.is_empty();
    let p_value = lists
        .iter()
        .filter_map(|l| l.adjusted_p_value)
        .reduce(f64::min)
        .or(if lists.is_empty() { Some(1.0) } else { None });
    let overall = match p_value {
        Some(p) if p < neutral::TOLERANCE => Verdict::Fail,
        _ if inconclusive => Verdict::Inconclusive,
        Some(_) => Verdict::Pass,
        None => Verdict::Inconclusive,
    };

    let excluded = excluded_spaces(site, idx);

    NeutralityReport {
        algorithm: neutral::ALGORITHM,
        policy: PolicyReport {
            order: policy.order,
            reshuffled_in_browser: policy.order.reshuffles_in_browser(),
            neutral: policy.order != OrderPolicy::Alphabetical,
            first_screen,
            criteria: policy.criteria.clone(),
        },
        seed: (policy.order != OrderPolicy::Alphabetical).then_some(idx.order_seed),
        seed_text: format!("hotdesk:{end}"),
        date: end.to_string(),
        window: AuditWindow {
            first_day: dates.first().unwrap_or(&end).to_string(),
            last_day: dates.last().unwrap_or(&end).to_string(),
            days: u32::try_from(dates.len()).unwrap_or(u32::MAX),
        },
        tolerance: neutral::TOLERANCE,
        lists_audited: specs.len(),
        distinct_lists: m,
        p_value,
        verdict: overall,
        listed: idx.listed.len(),
        spaces: site.spaces.len(),
        lists,
        excluded,
    }
}

/// The spaces that are not listed, with every criterion each one misses.
pub(super) fn excluded_spaces(site: &Site, idx: &Index) -> Vec<ExcludedSpace> {
    let urls = Urls::new(&site.config.base_url);
    let policy = &site.config.listing;
    idx.excluded
        .iter()
        .map(|e| {
            let s = &site.spaces[e.space];
            ExcludedSpace {
                slug: s.slug.to_string(),
                name: s.name.clone(),
                url: urls.record(Kind::Space, s.slug.as_str()),
                reasons: e
                    .reasons
                    .iter()
                    .map(|r| ReasonReport {
                        criterion: r.criterion(),
                        text: r.describe(&policy.criteria),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn verdict(p: Option<f64>) -> Verdict {
    match p {
        None => Verdict::Inconclusive,
        Some(p) if p < neutral::TOLERANCE => Verdict::Fail,
        Some(_) => Verdict::Pass,
    }
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}
