//! The audit as people read it: the one-line summary `build` and `check` print, and the
//! report `hotdesk audit` shows in a terminal, and the published JSON. Only formatting:
//! every figure is computed in [`super`].

use std::fmt::Write as _;

use crate::neutral::{OrderPolicy, Verdict};

use super::{ExcludedSpace, NeutralityReport, excluded_spaces};
use crate::index::Index;
use crate::model::Site;

/// The one-line listing summary without an audit, for `check`: which spaces are
/// listed and which are not (and why). The audit itself is `build`'s and `hotdesk
/// audit`'s: content cannot change the shuffle, and replaying a year of orders is most
/// of what `check` would otherwise spend on a large directory.
pub(crate) fn listing_summary(site: &Site, idx: &Index) -> String {
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
