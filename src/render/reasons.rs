//! The listing criteria and the reasons a space is not listed, as sentences in the
//! site's language.
//!
//! Read by a space's page (why it is not in the lists, see [`super::format::Fmt::space`])
//! and by the listing-policy page ([`super::neutrality`]). It needs only the theme's
//! words ([`Locale`]), not the view builder, so neither of those two depends on the
//! other through it.

use crate::index::Index;
use crate::listing::{Criteria, Reason, status_str};
use crate::locale::Locale;
use crate::model::{Site, SpaceStatus};

fn status_label(fmt: &Locale, s: SpaceStatus) -> String {
    fmt.t(&format!("status_{}", status_str(s).replace('-', "_")))
}

fn statuses(fmt: &Locale, c: &Criteria) -> String {
    c.status
        .iter()
        .map(|s| status_label(fmt, *s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One sentence per inclusion criterion.
pub(crate) fn criteria_sentences(fmt: &Locale, c: &Criteria) -> Vec<String> {
    let mut out = vec![
        fmt.t("criterion_status")
            .replace("{statuses}", &statuses(fmt, c)),
    ];
    if c.drop_in {
        out.push(fmt.t("criterion_drop_in"));
    }
    if c.accessibility {
        out.push(fmt.t("criterion_accessibility"));
    }
    if c.contact {
        out.push(fmt.t("criterion_contact"));
    }
    if let Some(m) = c.verified_within_months {
        out.push(
            fmt.t("criterion_verified")
                .replace("{months}", &m.to_string()),
        );
    }
    out
}

/// Why a space is not listed, in the site's language.
pub(crate) fn reason_sentence(fmt: &Locale, c: &Criteria, r: &Reason) -> String {
    match r {
        Reason::Status(s) => fmt
            .t("reason_status")
            .replace("{status}", &status_label(fmt, *s))
            .replace("{statuses}", &statuses(fmt, c)),
        Reason::DropIn => fmt.t("reason_drop_in"),
        Reason::Accessibility => fmt.t("reason_accessibility"),
        Reason::Contact => fmt.t("reason_contact"),
        Reason::NotVerified {
            last_verified,
            months,
        } => fmt
            .t("reason_verified")
            .replace("{date}", &fmt.date(*last_verified))
            .replace("{months}", &months.to_string()),
    }
}

/// The reasons space `i` is not listed (empty when it is listed).
pub(crate) fn reasons_of(fmt: &Locale, site: &Site, idx: &Index, i: usize) -> Vec<String> {
    idx.excluded
        .iter()
        .find(|e| e.space == i)
        .map(|e| {
            e.reasons
                .iter()
                .map(|r| reason_sentence(fmt, &site.config.listing.criteria, r))
                .collect()
        })
        .unwrap_or_default()
}
