//! The generated page "How spaces are listed" (`/how-spaces-are-listed/`).
//!
//! It is built from the same [`NeutralityReport`] as `/data/neutrality.json` and
//! `hotdesk audit`, so the page, the data and the command cannot disagree: the criteria
//! and order of `site.yaml`, this build's seed and the date it comes from, how to
//! reproduce the order, the audit's verdict, and every space that is not listed with
//! its reasons. Every sentence comes from the theme's strings.

use super::format::Fmt;
use super::reasons::{criteria_sentences, reason_sentence};
use super::view::{AuditSummaryView, ExcludedView, ListingPolicyView};
use crate::audit::NeutralityReport;
use crate::index::Index;
use crate::model::Site;
use crate::neutral::{OrderPolicy, Verdict};
use crate::urls::Kind;

/// The page's path (and its slug: a content page with this name would collide).
pub(crate) const PAGE_SLUG: &str = "how-spaces-are-listed";

fn p_text(p: Option<f64>) -> String {
    match p {
        None => "–".into(),
        Some(p) if p != 0.0 && p < 1e-4 => format!("{p:.1e}"),
        Some(p) => format!("{p:.4}"),
    }
}

/// The values of `listing-policy.html`.
pub(crate) fn view(
    fmt: &Fmt,
    site: &Site,
    idx: &Index,
    report: &NeutralityReport,
) -> ListingPolicyView {
    let policy = &site.config.listing;
    let date = idx.order_date;
    let seed = (policy.order != OrderPolicy::Alphabetical).then_some(idx.order_seed);
    let verdict = match report.verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Inconclusive => "inconclusive",
    };
    let mut excluded: Vec<ExcludedView> = idx
        .excluded
        .iter()
        .map(|e| {
            let s = &site.spaces[e.space];
            ExcludedView {
                name: s.name.clone(),
                url: fmt.urls().record(Kind::Space, s.slug.as_str()),
                reasons: e
                    .reasons
                    .iter()
                    .map(|r| reason_sentence(fmt.locale(), &policy.criteria, r))
                    .collect(),
            }
        })
        .collect();
    excluded.sort_by_cached_key(|e| (crate::listing::fold(&e.name), e.url.clone()));
    let parse_day = |d: &str| d.parse().map_or_else(|_| d.to_owned(), |d| fmt.date(d));
    ListingPolicyView {
        order: policy.order.as_str().to_owned(),
        neutral: policy.order != OrderPolicy::Alphabetical,
        reshuffled_in_browser: policy.order.reshuffles_in_browser(),
        criteria: criteria_sentences(fmt.locale(), &policy.criteria),
        listed_count: idx.listed.len().to_string(),
        space_count: site.spaces.len().to_string(),
        first_screen: policy.first_screen.to_string(),
        page_size: policy.page_size.to_string(),
        build_date: fmt.date(date),
        build_date_iso: date.to_string(),
        seed: seed.map(|s| s.to_string()),
        seed_hex: seed.map(|s| format!("0x{s:08x}")),
        seed_text: format!("hotdesk:{date}"),
        algorithm: crate::neutral::ALGORITHM.to_owned(),
        audit_command: format!("hotdesk audit --now {date}"),
        build_command: format!("hotdesk build --now {date}"),
        data_url: fmt.urls().href(crate::audit::REPORT_PATH),
        audit: AuditSummaryView {
            verdict: verdict.to_owned(),
            days: report.window.days.to_string(),
            first_day: parse_day(&report.window.first_day),
            last_day: parse_day(&report.window.last_day),
            lists: report.lists_audited.to_string(),
            tolerance: report.tolerance.to_string(),
            p_value: p_text(report.p_value),
        },
        excluded,
    }
}
