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
//! replayed in parallel batches (see `replay` below) whose positions are then counted
//! list by list and space by space, because counting them as each day comes scatters
//! increments over tables too large for any cache.

use std::fmt::Write as _;

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

/// Days audited by default, and by every build for `/data/neutrality.json`.
pub const DEFAULT_DAYS: u32 = 365;

/// Where the build publishes the report.
pub const REPORT_PATH: &str = "data/neutrality.json";

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
pub struct ListSpec {
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
pub fn lists(site: &Site, idx: &Index) -> Vec<ListSpec> {
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
        "/".into(),
        &idx.listed,
    );
    for r in &site.regions {
        if let Some(m) = idx.by_region.get(r.id.as_str()) {
            push(
                ListKind::Region,
                r.id.as_str(),
                &r.name,
                format!("/regions/{}/", r.id),
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
                format!("/amenities/{}/", a.id),
                m,
            );
        }
    }
    for (i, p) in site.partnerships.iter().enumerate() {
        push(
            ListKind::Partnership,
            p.slug.as_str(),
            &p.name,
            format!("/partnerships/{}/", p.slug),
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

/// Bytes of recorded positions held at once, at most: the days are replayed in
/// batches, each batch then tallied into the counts. One day's row (some 300 KB for
/// 10,000 spaces) stays in the second-level cache while it is written. Each sweep of
/// the count tables costs per item, not per trial, so a batch must hold many days even
/// when a day is large: 64 MB is 26 days for 100,000 spaces (8 MB, 3 days, made the
/// sweeps dominate there: 21 s of a 31 s build).
const BATCH_BYTES: usize = 64 << 20;

/// Days per batch, at most: a dozen sweeps a year. More only costs fresh memory, which
/// is slow to come by (the kernel zeroes every page): at 10,000 spaces, batches of 64 MB
/// (188 days) made the audit take 550 ms, batches of 36 days 360 ms (medians of 5).
const BATCH_DAYS: usize = 32;

/// A position within one list, as recorded for the batch: `u16` when every list
/// is short enough, which halves the batch.
trait Position: Copy + Default + Send + Sync + Into<u32> {
    fn at(position: u32) -> Self;
}

impl Position for u16 {
    fn at(position: u32) -> Self {
        // Only chosen when every list has at most 2^16 spaces.
        position as u16
    }
}

impl Position for u32 {
    fn at(position: u32) -> Self {
        position
    }
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
fn excluded_spaces(site: &Site, idx: &Index) -> Vec<ExcludedSpace> {
    let policy = &site.config.listing;
    idx.excluded
        .iter()
        .map(|e| {
            let s = &site.spaces[e.space];
            ExcludedSpace {
                slug: s.slug.to_string(),
                name: s.name.clone(),
                url: format!("/spaces/{}/", s.slug),
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

/// The one-line listing summary without an audit, for `check`: which spaces are
/// listed and which are not (and why). The audit itself is `build`'s and `hotdesk
/// audit`'s: content cannot change the shuffle, and replaying a year of orders is most
/// of what `check` would otherwise spend on a large directory.
pub fn listing_summary(site: &Site, idx: &Index) -> String {
    summary(
        idx.listed.len(),
        site.spaces.len(),
        site.config.listing.order,
        None,
        &excluded_spaces(site, idx),
    )
}

fn summary(
    listed: usize,
    spaces: usize,
    order: OrderPolicy,
    audit: Option<(Verdict, u32)>,
    excluded: &[ExcludedSpace],
) -> String {
    let mut line = if excluded.is_empty() {
        format!("listing: all {listed} spaces listed")
    } else {
        format!("listing: {listed} of {spaces} spaces listed")
    };
    let _ = write!(line, ", {order} order");
    if let Some((verdict, days)) = audit {
        let _ = write!(line, ", audit {} over {days} days", verdict_str(verdict));
    }
    if !excluded.is_empty() {
        const SHOWN: usize = 5;
        let names: Vec<String> = excluded
            .iter()
            .take(SHOWN)
            .map(|e| {
                let criteria: Vec<&str> = e.reasons.iter().map(|r| r.criterion).collect();
                format!("{} ({})", e.slug, criteria.join(", "))
            })
            .collect();
        let _ = write!(line, "; not listed: {}", names.join(", "));
        if excluded.len() > SHOWN {
            let _ = write!(line, " and {} more", excluded.len() - SHOWN);
        }
        line.push_str(" (see /how-spaces-are-listed/)");
    }
    line
}

/// The days to replay, and where their orders come from.
struct Days<'a> {
    dates: &'a [Date],
    /// The orders of all listed spaces on a batch of consecutive dates.
    orders_of: &'a mut dyn FnMut(&[Date]) -> Vec<Vec<usize>>,
    /// See [`BATCH_BYTES`].
    batch_bytes: usize,
}

/// Replays `days` into `counts`, one per list: `lists[l]` holds the members of list
/// `l` (indices of spaces, of which there are `spaces`), in the list's canonical order.
///
/// Each day's order of all listed spaces is walked once: every membership of a space
/// (list, index in the list) takes its list's next position, which is exactly the
/// space's position in that list's filtered order. Positions are written into one row
/// per day, with each list's members side by side, so days can be replayed in
/// parallel; each batch of rows is then tallied per list by
/// [`BinnedCounts::record_positions`], item by item, rather than scattered into the
/// count tables as the days come.
///
/// # Panics
///
/// Panics if a day's order is not a permutation of `listed`.
fn replay<P: Position>(
    spaces: usize,
    listed: &[usize],
    lists: &[&[usize]],
    days: Days<'_>,
    counts: &mut [BinnedCounts],
) {
    let Days {
        dates,
        orders_of,
        batch_bytes,
    } = days;
    // Where each list's members start in a day's row.
    let mut offsets = Vec::with_capacity(lists.len() + 1);
    offsets.push(0);
    for members in lists {
        offsets.push(offsets[offsets.len() - 1] + members.len());
    }
    let width = offsets[lists.len()];
    // Per space, its memberships as (list, slot in the row), from `starts[s]` to
    // `starts[s + 1]`: contiguous, so walking a day's order reads them in runs.
    let mut per_space = vec![Vec::new(); spaces];
    for (l, members) in lists.iter().enumerate() {
        for (local, &s) in members.iter().enumerate() {
            let list = u32::try_from(l).expect("fewer than 2^32 lists");
            let slot = u32::try_from(offsets[l] + local).expect("fewer than 2^32 memberships");
            per_space[s].push((list, slot));
        }
    }
    let mut starts = Vec::with_capacity(spaces + 1);
    starts.push(0);
    let mut memberships = Vec::with_capacity(width);
    for m in per_space {
        memberships.extend(m);
        starts.push(memberships.len());
    }
    let mut is_listed = vec![false; spaces];
    for &s in listed {
        is_listed[s] = true;
    }

    // At least one slot a day, so that every day's order is checked even when no
    // list has two spaces.
    let stride = width.max(1);
    let batch_days = (batch_bytes / (stride * size_of::<P>()))
        .min(BATCH_DAYS)
        .clamp(1, dates.len().max(1));
    let mut rows: Vec<P> = vec![P::default(); batch_days * stride];
    for (batch, batch_dates) in dates.chunks(batch_days).enumerate() {
        let orders = orders_of(batch_dates);
        assert_eq!(orders.len(), batch_dates.len(), "one order per day");
        for (order, date) in orders.iter().zip(batch_dates) {
            assert_eq!(
                order.len(),
                listed.len(),
                "the order of {date} does not have one entry per listed space"
            );
        }
        let first_day = batch * batch_days;
        rows[..batch_dates.len() * stride]
            .par_chunks_mut(stride)
            .zip(orders.par_iter())
            .enumerate()
            .for_each_init(
                || (vec![0_u32; spaces], vec![0_u32; lists.len()]),
                |(seen_on, next), (d, (row, order))| {
                    // Days are numbered from 1, so a space not yet seen is on day 0.
                    let day = u32::try_from(first_day + d + 1).expect("fewer than 2^32 days");
                    next.fill(0);
                    for &s in order {
                        assert!(
                            s < spaces
                                && is_listed[s]
                                && std::mem::replace(&mut seen_on[s], day) != day,
                            "the order of {} is not a permutation of the listed spaces",
                            batch_dates[d]
                        );
                        for &(list, slot) in &memberships[starts[s]..starts[s + 1]] {
                            let position = &mut next[list as usize];
                            row[slot as usize] = P::at(*position);
                            *position += 1;
                        }
                    }
                },
            );
        let rows = &rows[..];
        counts.par_iter_mut().enumerate().for_each(|(l, c)| {
            let days: Vec<&[P]> = (0..batch_dates.len())
                .map(|d| &rows[d * stride + offsets[l]..d * stride + offsets[l + 1]])
                .collect();
            c.record_positions(&days);
        });
    }
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

fn verdict_str(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "FAIL",
        Verdict::Inconclusive => "inconclusive",
    }
}

fn p_str(p: Option<f64>) -> String {
    match p {
        None => "n/a".into(),
        Some(p) if p != 0.0 && p < 1e-4 => format!("{p:.1e}"),
        Some(p) => format!("{p:.4}"),
    }
}

impl NeutralityReport {
    /// Whether the audit passed (exit 0 of `hotdesk audit`).
    pub fn passes(&self) -> bool {
        self.verdict == Verdict::Pass
    }

    /// One line for `build` and `check`: how many spaces are listed, the order, the
    /// audit's verdict, and which spaces are not listed.
    pub fn summary_line(&self) -> String {
        summary(
            self.listed,
            self.spaces,
            self.policy.order,
            Some((self.verdict, self.window.days)),
            &self.excluded,
        )
    }

    /// The report as a person reads it in a terminal.
    pub fn human(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "neutrality audit ({})", self.algorithm);
        let _ = writeln!(
            o,
            "order: {}{}; first screen: {} cards",
            self.policy.order,
            match self.policy.order {
                OrderPolicy::Shuffle => " (also reshuffled in the browser)",
                OrderPolicy::RotateDaily => "",
                OrderPolicy::Alphabetical => " (not neutral)",
            },
            self.policy.first_screen
        );
        let _ = writeln!(
            o,
            "window: {} days, {} to {} (one build order per day); seed of {}: {}",
            self.window.days,
            self.window.first_day,
            self.window.last_day,
            self.date,
            self.seed
                .map_or("none (alphabetical)".to_owned(), |s| s.to_string())
        );
        let _ = writeln!(o, "listed: {} of {} spaces", self.listed, self.spaces);
        for e in &self.excluded {
            let reasons: Vec<&str> = e.reasons.iter().map(|r| r.text.as_str()).collect();
            let _ = writeln!(o, "  not listed: {}: {}", e.slug, reasons.join("; "));
        }
        for l in &self.lists {
            let _ = writeln!(
                o,
                "\n{} {} ({}), {} spaces: p = {}, adjusted p = {} -> {}",
                l.kind.as_str(),
                l.id,
                l.url,
                l.n_items,
                p_str(l.p_value),
                p_str(l.adjusted_p_value),
                verdict_str(l.verdict)
            );
            for note in &l.notes {
                let _ = writeln!(o, "  note: {note}");
            }
            let (mean, share) = (l.expected_mean_position, l.expected_first_screen_share);
            let width = l
                .items
                .iter()
                .map(|i| i.slug.len())
                .max()
                .unwrap_or(5)
                .max(5);
            let _ = writeln!(
                o,
                "  {:<width$}  mean position (expected {mean:.1})  first screen (expected {:.1}%)",
                "space",
                share * 100.0
            );
            for i in &l.items {
                let _ = writeln!(
                    o,
                    "  {:<width$}  {:>13.2} (z {:>+5.2})  {:>13.1}%",
                    i.slug,
                    i.mean_position,
                    i.mean_position_z,
                    i.first_screen_share * 100.0
                );
            }
        }
        let _ = writeln!(
            o,
            "\nverdict: {} ({} lists audited, {} distinct; smallest adjusted p = {}; tolerance {})",
            verdict_str(self.verdict),
            self.lists_audited,
            self.distinct_lists,
            p_str(self.p_value),
            self.tolerance
        );
        match self.verdict {
            Verdict::Pass => {}
            Verdict::Fail => {
                let _ = writeln!(
                    o,
                    "at least one list is not in a uniform order: some spaces are placed higher than others"
                );
            }
            Verdict::Inconclusive => {
                let _ = writeln!(
                    o,
                    "too few days for a valid test of every list: widen the window with --days"
                );
            }
        }
        o
    }

    /// The report as published: compact JSON (a 10,000-space site has some 150,000
    /// list entries) with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        // About 110 bytes a list entry: reserved up front, the buffer is written once
        // instead of being copied as it doubles.
        let entries: usize = self.lists.iter().map(|l| l.items.len()).sum();
        let mut bytes = Vec::with_capacity(128 * entries + 64 * 1024);
        serde_json::to_writer(&mut bytes, self).expect("the report serializes");
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neutral::{PositionCounts, permutation, seed_for_date, tallies};
    use jiff::civil::date;

    /// 90 spaces, of which those not divisible by 7 are listed; lists of every size
    /// from 0 up, some overlapping, members in an order of their own.
    fn example() -> (usize, Vec<usize>, Vec<Vec<usize>>) {
        let spaces = 90;
        let listed: Vec<usize> = (0..spaces).filter(|s| s % 7 != 0).collect();
        let mut lists = vec![listed.clone(), Vec::new(), vec![listed[5]]];
        for k in 2..9 {
            let mut members: Vec<usize> = listed.iter().copied().filter(|s| s % k == 1).collect();
            // A canonical order that is not the order of the indices.
            members.sort_by_key(|&s| (s * 37) % 101);
            lists.push(members);
        }
        (spaces, listed, lists)
    }

    #[test]
    fn replay_counts_what_filtering_each_days_order_counts() {
        let (spaces, listed, lists) = example();
        let dates: Vec<Date> = date(2026, 1, 1).series(1.day()).take(60).collect();
        let order_of = |d: Date| {
            permutation(listed.len(), seed_for_date(d))
                .into_iter()
                .map(|k| listed[k])
                .collect::<Vec<usize>>()
        };
        let fresh = || -> Vec<BinnedCounts> {
            lists
                .iter()
                .map(|m| BinnedCounts::new(m.len(), 4, dates.len() as u64))
                .collect()
        };
        // The straightforward way: each list's order is the day's order filtered.
        let mut want = fresh();
        let mut full: Vec<PositionCounts> =
            lists.iter().map(|m| PositionCounts::new(m.len())).collect();
        for &d in &dates {
            let global = order_of(d);
            for (l, members) in lists.iter().enumerate() {
                let order: Vec<usize> = global
                    .iter()
                    .filter_map(|s| members.iter().position(|m| m == s))
                    .collect();
                want[l].record(&order);
                full[l].record(&order);
            }
        }
        for (c, f) in want.iter().zip(&full) {
            assert_eq!(tallies(c), tallies(&BinnedCounts::from_positions(f, 4)));
        }
        let members: Vec<&[usize]> = lists.iter().map(Vec::as_slice).collect();
        // One day per batch, a few, all at once; both widths of position.
        for batch_bytes in [1, 2_000, 1 << 20] {
            for wide in [false, true] {
                let mut got = fresh();
                let mut batches = Vec::new();
                let days = Days {
                    dates: &dates,
                    orders_of: &mut |ds: &[Date]| {
                        batches.push(ds.len());
                        ds.iter().map(|&d| order_of(d)).collect()
                    },
                    batch_bytes,
                };
                if wide {
                    replay::<u32>(spaces, &listed, &members, days, &mut got);
                } else {
                    replay::<u16>(spaces, &listed, &members, days, &mut got);
                }
                assert_eq!(batches.iter().sum::<usize>(), dates.len());
                if batch_bytes == 1 {
                    assert_eq!(batches.len(), dates.len());
                }
                for (l, (g, w)) in got.iter().zip(&want).enumerate() {
                    assert_eq!(tallies(g), tallies(w), "list {l}, {batch_bytes} bytes");
                    assert_eq!(AuditReport::from_binned(g), AuditReport::from_binned(w));
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "is not a permutation of the listed spaces")]
    fn replay_refuses_an_order_with_an_unlisted_space_even_without_lists() {
        let (spaces, listed, _) = example();
        let dates = [date(2026, 1, 1), date(2026, 1, 2)];
        let days = Days {
            dates: &dates,
            orders_of: &mut |ds: &[Date]| {
                ds.iter()
                    .map(|_| {
                        let mut o = listed.clone();
                        o[3] = 0;
                        o
                    })
                    .collect()
            },
            batch_bytes: BATCH_BYTES,
        };
        replay::<u16>(spaces, &listed, &[], days, &mut []);
    }
}
