//! Fairness of partnerships: how their sessions are spread across spaces and regions.
//!
//! A government partnership that holds its sessions at one space favours that space as
//! surely as a "featured" badge would. For each partnership this module counts the dates
//! of its sessions (occurrences, not session files) over the last 12 months and the next
//! 12 months from the build's `now`, per space and per region, and finds two patterns:
//!
//! - **Concentration**: one space hosts more than `max_session_share` (site.yaml
//!   `fairness.max_session_share`, 0.4 by default) of the partnership's in-person dates
//!   in that window.
//! - **A region left out**: a region with eligible spaces has none of its dates. Eligible
//!   spaces are the partnership's listed spaces, or, for `open_to_all_eligible`, every
//!   listed space that welcomes government members.
//!
//! Neither is flagged when it could not have been avoided: a space hosting a single
//! date, or no more than an even split over the eligible spaces gives it
//! (`ceil(dates / spaces)`), is never "concentrated", and regions are only checked when
//! there are at least as many dates as regions to cover. Cancelled dates and online
//! sessions favour no space, so they are counted apart and do not count towards shares.
//!
//! The same numbers feed `check`'s warnings (pointing at the partnership file), the
//! `hotdesk report` command and the `/partnerships/report/` page. Spaces appear in the
//! directory's neutral order, regions in `regions.yaml` order: the report ranks nothing.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use jiff::{Timestamp, ToSpan};
use serde::Serialize;

use crate::error::{Diagnostic, Diagnostics};
use crate::index::Index;
use crate::model::{SessionStatus, Site, Venue};
use crate::source::field_span;
use crate::urls::{Kind, Urls};

/// Dates of one space for one partnership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpaceCount {
    pub space: usize,
    /// Whether the space is eligible (listed in, or eligible for, the partnership).
    pub eligible: bool,
    /// Dates in the last 12 months / the next 12 months (not cancelled).
    pub past: usize,
    pub next: usize,
}

impl SpaceCount {
    pub(crate) fn total(&self) -> usize {
        self.past + self.next
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegionCount {
    /// Index into `site.regions`.
    pub region: usize,
    pub eligible_spaces: usize,
    pub past: usize,
    pub next: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Finding {
    Concentrated {
        space: usize,
        count: usize,
        total: usize,
    },
    RegionsLeftOut {
        /// Indices into `site.regions`.
        regions: Vec<usize>,
    },
}

/// The spread of one partnership's sessions.
#[derive(Debug, Clone)]
pub(crate) struct Spread {
    pub partnership: usize,
    /// Eligible spaces and any other space hosting a date, in the neutral order (spaces
    /// that are not listed last, by id).
    pub spaces: Vec<SpaceCount>,
    /// Every region with an eligible space or a date, in `regions.yaml` order.
    pub regions: Vec<RegionCount>,
    /// In-person dates in the window (not cancelled): the denominator of shares.
    pub in_person: usize,
    pub online_past: usize,
    pub online_next: usize,
    /// Cancelled dates in the window (in person or online).
    pub cancelled: usize,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub from: Timestamp,
    pub now: Timestamp,
    pub until: Timestamp,
    pub max_share: f64,
    pub partnerships: Vec<Spread>,
}

/// Computes the report; `max_share` overrides the site's setting when given.
pub(crate) fn compute(site: &Site, idx: &Index, max_share: Option<f64>) -> Report {
    let max_share = max_share.unwrap_or(site.config.max_session_share);
    let now = idx.now;
    let zoned = now.to_zoned_datetime(site.config.time_zone.clone());
    let from = zoned
        .checked_sub(12.months())
        .map_or(now, |z| z.timestamp());
    let until = zoned
        .checked_add(12.months())
        .map_or(now, |z| z.timestamp());
    let partnerships = (0..site.partnerships.len())
        .map(|p| spread(site, idx, p, max_share, from, until))
        .collect();
    Report {
        from,
        now,
        until,
        max_share,
        partnerships,
    }
}

fn spread(
    site: &Site,
    idx: &Index,
    pi: usize,
    max_share: f64,
    from: Timestamp,
    until: Timestamp,
) -> Spread {
    let p = &site.partnerships[pi];
    let eligible: Vec<usize> = if p.open_to_all_eligible {
        idx.listed
            .iter()
            .copied()
            .filter(|&s| site.spaces[s].government_members_welcome)
            .collect()
    } else {
        idx.partnership_spaces[pi].clone()
    };
    let mut counts: Vec<SpaceCount> = eligible
        .iter()
        .map(|&space| SpaceCount {
            space,
            eligible: true,
            past: 0,
            next: 0,
        })
        .collect();
    let (mut online_past, mut online_next, mut cancelled) = (0, 0, 0);
    // Space by slug, and each space's entry in `counts`: looked up per occurrence, so
    // they must not be linear searches (100,000 spaces made this quadratic).
    let by_slug: std::collections::HashMap<&str, usize> =
        crate::model::positions(&site.spaces, |x| x.slug.as_str());
    let mut entry: Vec<Option<usize>> = vec![None; site.spaces.len()];
    for (k, c) in counts.iter().enumerate() {
        entry[c.space] = Some(k);
    }
    for &si in &idx.partnership_sessions[pi] {
        let s = &site.sessions[si];
        for o in &s.occurrences {
            if o.start_at < from || o.start_at >= until {
                continue;
            }
            if o.status == SessionStatus::Cancelled {
                cancelled += 1;
                continue;
            }
            let is_past = o.start_at < idx.now;
            match &s.venue {
                Venue::Online(_) => {
                    if is_past {
                        online_past += 1;
                    } else {
                        online_next += 1;
                    }
                }
                Venue::Space(slug) => {
                    let Some(&space) = by_slug.get(slug.as_str()) else {
                        continue;
                    };
                    let k = *entry[space].get_or_insert_with(|| {
                        counts.push(SpaceCount {
                            space,
                            eligible: false,
                            past: 0,
                            next: 0,
                        });
                        counts.len() - 1
                    });
                    let c = &mut counts[k];
                    if is_past {
                        c.past += 1;
                    } else {
                        c.next += 1;
                    }
                }
            }
        }
    }
    // Neutral order; spaces that are not listed go last, by id.
    counts.sort_by(|a, b| {
        (idx.rank[a.space], &site.spaces[a.space].slug)
            .cmp(&(idx.rank[b.space], &site.spaces[b.space].slug))
    });
    let in_person: usize = counts.iter().map(SpaceCount::total).sum();

    let mut regions: Vec<RegionCount> = Vec::new();
    for (ri, r) in site.regions.iter().enumerate() {
        let here: Vec<&SpaceCount> = counts
            .iter()
            .filter(|c| site.spaces[c.space].region == r.id)
            .collect();
        let eligible_spaces = here.iter().filter(|c| c.eligible).count();
        let (past, next) = here
            .iter()
            .fold((0, 0), |(a, b), c| (a + c.past, b + c.next));
        if eligible_spaces > 0 || past + next > 0 {
            regions.push(RegionCount {
                region: ri,
                eligible_spaces,
                past,
                next,
            });
        }
    }

    let mut findings = Vec::new();
    let n_spaces = counts.len().max(1);
    let even_split = in_person.div_ceil(n_spaces);
    for c in &counts {
        let count = c.total();
        if count > 1 && count > even_split && count as f64 > max_share * in_person as f64 {
            findings.push(Finding::Concentrated {
                space: c.space,
                count,
                total: in_person,
            });
        }
    }
    let eligible_regions: Vec<&RegionCount> =
        regions.iter().filter(|r| r.eligible_spaces > 0).collect();
    let left_out: Vec<usize> = eligible_regions
        .iter()
        .filter(|r| r.past + r.next == 0)
        .map(|r| r.region)
        .collect();
    if !left_out.is_empty() && in_person >= eligible_regions.len() {
        findings.push(Finding::RegionsLeftOut { regions: left_out });
    }
    Spread {
        partnership: pi,
        spaces: counts,
        regions,
        in_person,
        online_past,
        online_next,
        cancelled,
        findings,
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".into();
    }
    format!("{:.0}%", part as f64 * 100.0 / whole as f64)
}

fn share_label(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// `check`'s warnings: one per finding, pointing at the partnership file.
pub(crate) fn lint(site: &Site, now: Timestamp) -> Diagnostics {
    let idx = Index::new(site, now);
    diagnostics(site, &compute(site, &idx, None))
}

pub(crate) fn diagnostics(site: &Site, report: &Report) -> Diagnostics {
    let mut d = Diagnostics::new();
    for sp in &report.partnerships {
        let p = &site.partnerships[sp.partnership];
        for f in &sp.findings {
            let diag = match f {
                Finding::Concentrated {
                    space,
                    count,
                    total,
                } => Diagnostic::warning(
                    "concentrated-sessions",
                    format!(
                        "{} hosts {count} of the partnership's {total} in-person session dates in the last and next 12 months ({}), more than the {} allowed",
                        site.spaces[*space].slug,
                        percent(*count, *total),
                        share_label(report.max_share),
                    ),
                )
                .at(&p.src, field_span(&p.src, "name"))
                .help("spread the sessions over the participating spaces (see `hotdesk report`), or raise `fairness.max_session_share` in content/site.yaml"),
                Finding::RegionsLeftOut { regions } => {
                    let names: Vec<&str> = regions
                        .iter()
                        .map(|&r| site.regions[r].id.as_str())
                        .collect();
                    Diagnostic::warning(
                        "region-without-sessions",
                        format!(
                            "no session of the partnership in the last and next 12 months is held in {}, although {} eligible spaces",
                            names.join(", "),
                            if names.len() == 1 { "it has" } else { "they have" },
                        ),
                    )
                    .at(&p.src, field_span(&p.src, "name"))
                    .help("hold some of the sessions in those regions (see `hotdesk report`)")
                }
            };
            d.push(diag);
        }
    }
    d
}

/// The report as plain text, for `hotdesk report`.
pub(crate) fn human(site: &Site, report: &Report) -> String {
    let tz = &site.config.time_zone;
    let day = |t: Timestamp| t.to_zoned_datetime(tz.clone()).date().to_string();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Partnership sessions from {} to {} (now: {}); a space may host at most {} of a partnership's in-person dates.",
        day(report.from),
        day(report.until),
        day(report.now),
        share_label(report.max_share)
    );
    let _ = writeln!(
        s,
        "Spaces are in today's neutral order; counts are session dates, cancelled ones apart."
    );
    for sp in &report.partnerships {
        let p = &site.partnerships[sp.partnership];
        let _ = writeln!(s, "\n{} ({})", p.name, p.slug);
        let _ = writeln!(
            s,
            "  {} in-person dates, {} online (past {}, next {}), {} cancelled",
            sp.in_person,
            sp.online_past + sp.online_next,
            sp.online_past,
            sp.online_next,
            sp.cancelled
        );
        let width = sp
            .spaces
            .iter()
            .map(|c| site.spaces[c.space].slug.as_str().len())
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            s,
            "  {:width$}  {:>4}  {:>4}  {:>5}  eligible",
            "space", "past", "next", "share"
        );
        for c in &sp.spaces {
            let _ = writeln!(
                s,
                "  {:width$}  {:>4}  {:>4}  {:>5}  {}",
                site.spaces[c.space].slug.as_str(),
                c.past,
                c.next,
                percent(c.total(), sp.in_person),
                if c.eligible { "yes" } else { "no" }
            );
        }
        let _ = writeln!(s, "  regions:");
        for r in &sp.regions {
            let _ = writeln!(
                s,
                "    {}: eligible spaces {}, past {}, next {}",
                site.regions[r.region].id, r.eligible_spaces, r.past, r.next
            );
        }
    }
    let diags = diagnostics(site, report);
    if diags.is_empty() {
        let _ = writeln!(s, "\nNo warning.");
    } else {
        let _ = writeln!(s);
        for d in diags.iter() {
            let _ = writeln!(s, "warning: {}: {}", d.display_path(), d.message);
        }
    }
    s
}

/// What `partnership-report.html` receives as `report`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReportView {
    /// First and last day of the window, and the build day, formatted for people.
    pub from: String,
    pub until: String,
    pub today: String,
    /// e.g. "40%".
    pub max_share: String,
    pub partnerships: Vec<PartnershipSpreadView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartnershipSpreadView {
    pub name: String,
    pub url: String,
    pub in_person: usize,
    pub online_past: usize,
    pub online_next: usize,
    pub cancelled: usize,
    pub spaces: Vec<SpaceRowView>,
    pub regions: Vec<RegionRowView>,
    /// Plain-text warnings, in the site's language.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SpaceRowView {
    pub name: String,
    pub url: String,
    pub region_name: String,
    pub eligible: bool,
    pub past: usize,
    pub next: usize,
    /// Share of the in-person dates, e.g. "25%".
    pub share: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegionRowView {
    pub name: String,
    pub url: String,
    pub eligible_spaces: usize,
    pub past: usize,
    pub next: usize,
}

/// The report page's values; `t` gives the UI strings, `date` formats a day.
pub(crate) fn view(
    site: &Site,
    report: &Report,
    t: &dyn Fn(&str) -> String,
    date: &dyn Fn(jiff::civil::Date) -> String,
) -> ReportView {
    let tz = &site.config.time_zone;
    let urls = Urls::new(&site.config.base_url);
    let day = |ts: Timestamp| date(ts.to_zoned_datetime(tz.clone()).date());
    let max_share = share_label(report.max_share);
    let partnerships = report
        .partnerships
        .iter()
        .map(|sp| {
            let p = &site.partnerships[sp.partnership];
            let region_name = |slug: &crate::model::Slug| {
                site.regions
                    .iter()
                    .find(|r| &r.id == slug)
                    .map_or_else(|| slug.to_string(), |r| r.name.clone())
            };
            let warnings = sp
                .findings
                .iter()
                .map(|f| match f {
                    Finding::Concentrated {
                        space,
                        count,
                        total,
                    } => t("report_warning_concentrated")
                        .replace("{space}", &site.spaces[*space].name)
                        .replace("{count}", &count.to_string())
                        .replace("{total}", &total.to_string())
                        .replace("{share}", &percent(*count, *total))
                        .replace("{max}", &max_share),
                    Finding::RegionsLeftOut { regions } => {
                        let names: BTreeSet<usize> = regions.iter().copied().collect();
                        let names: Vec<String> = names
                            .into_iter()
                            .map(|r| site.regions[r].name.clone())
                            .collect();
                        t("report_warning_regions").replace("{regions}", &names.join(", "))
                    }
                })
                .collect();
            PartnershipSpreadView {
                name: p.name.clone(),
                url: urls.record(Kind::Partnership, p.slug.as_str()),
                in_person: sp.in_person,
                online_past: sp.online_past,
                online_next: sp.online_next,
                cancelled: sp.cancelled,
                spaces: sp
                    .spaces
                    .iter()
                    .map(|c| {
                        let s = &site.spaces[c.space];
                        SpaceRowView {
                            name: s.name.clone(),
                            url: urls.record(Kind::Space, s.slug.as_str()),
                            region_name: region_name(&s.region),
                            eligible: c.eligible,
                            past: c.past,
                            next: c.next,
                            share: percent(c.total(), sp.in_person),
                        }
                    })
                    .collect(),
                regions: sp
                    .regions
                    .iter()
                    .map(|r| {
                        let reg = &site.regions[r.region];
                        RegionRowView {
                            name: reg.name.clone(),
                            url: urls.record(Kind::Region, reg.id.as_str()),
                            eligible_spaces: r.eligible_spaces,
                            past: r.past,
                            next: r.next,
                        }
                    })
                    .collect(),
                warnings,
            }
        })
        .collect();
    ReportView {
        from: day(report.from),
        until: day(report.until),
        today: day(report.now),
        max_share,
        partnerships,
    }
}
