//! `content/partnerships/*.md` → [`Partnership`]: a government programme with coworking
//! spaces, checked as the content model reads it: who and what, the dates, which spaces
//! (listed by name or open to every eligible one), the funding, and how to reach it.
//!
//! Spaces named here must exist ([`Known`]); whether one is listed is not this file's
//! concern (see [`crate::listing`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::civil::Date;

use super::at::{At, check_range};
use super::known::Known;
use crate::codes;
use crate::error::Diagnostics;
use crate::load::Entry;
use crate::model::limits;
use crate::model::{Contact, Funding, Partnership, Slug};
use crate::raw::{RawContact, RawFunding, RawFundingAmount, RawPartnership};

pub(super) fn partnership(
    e: &Entry<RawPartnership>,
    known: &Known,
    diags: &mut Diagnostics,
) -> Option<Partnership> {
    // Every field named, so that a new field of the content model cannot be forgotten here.
    let RawPartnership {
        name,
        summary,
        government,
        jurisdiction,
        kinds,
        status,
        start,
        end,
        spaces,
        open_to_all_eligible,
        eligibility,
        funding,
        contact,
    } = &e.doc.raw;
    let before = diags.error_count();
    let mut at = At::of(&e.doc, diags);
    at.required_text("name", name);
    if let Some(s) = summary {
        at.bounded("summary", s, Some(limits::SUMMARY));
    }
    at.required_text("government.name", &government.name);
    at.required_text("jurisdiction", jurisdiction);
    if kinds.is_empty() {
        at.error(
            "kinds",
            "empty-value",
            "a partnership needs at least one kind",
        )
        .help = Some("use memberships, drop-in-advisors, info-sessions or other".into());
    }
    let (start_date, end_date) = check_dates(&mut at, start, end.as_deref());
    check_spaces(
        &mut at,
        spaces,
        *open_to_all_eligible,
        eligibility.as_deref(),
        known,
    );
    let funding = check_funding(&mut at, funding);
    let contact = check_contact(&mut at, contact, before);
    if diags.error_count() > before {
        return None;
    }
    let mut kinds = kinds.clone();
    kinds.sort();
    kinds.dedup();
    Some(Partnership {
        slug: Slug::new_unchecked(&e.slug),
        name: name.trim().to_owned(),
        summary: summary.clone(),
        government_name: government.name.trim().to_owned(),
        government_level: government.level,
        jurisdiction: jurisdiction.trim().to_owned(),
        kinds,
        status: *status,
        start: start_date?,
        end: end_date,
        spaces: spaces.iter().map(Slug::new_unchecked).collect(),
        open_to_all_eligible: *open_to_all_eligible,
        eligibility: eligibility.clone(),
        funding,
        contact,
        body: e.body_text().to_owned(),
        src: Arc::clone(&e.doc.src),
    })
}

/// The start, and the end if given, which may not come before it.
fn check_dates(at: &mut At, start: &str, end: Option<&str>) -> (Option<Date>, Option<Date>) {
    let start_date = at.date("start", start);
    let end_date = end.and_then(|v| at.date("end", v));
    if let (Some(s), Some(en)) = (start_date, end_date) {
        if en < s {
            at.error(
                "end",
                "end-before-start",
                format!("the end ({en}) is before the start ({s})"),
            );
        }
    }
    (start_date, end_date)
}

/// Either spaces by name, each known and given once, or open to every eligible space
/// with a text that says which.
fn check_spaces(
    at: &mut At,
    spaces: &[String],
    open_to_all_eligible: bool,
    eligibility: Option<&str>,
    known: &Known,
) {
    if open_to_all_eligible {
        if !spaces.is_empty() {
            at.error(
                "spaces",
                "spaces-and-open",
                "give either `spaces` or `open_to_all_eligible: true`, not both",
            )
            .help = Some("a programme open to every eligible space lists none by name".into());
        }
        if eligibility.is_none_or(|s| s.trim().is_empty()) {
            at.error("open_to_all_eligible", "missing-eligibility", "`open_to_all_eligible: true` needs an `eligibility` text")
                .help = Some("say which spaces are eligible, e.g. \"any listed space with a hot desk for public servants\"".into());
        }
    } else if spaces.is_empty() {
        at.error("spaces", "no-spaces", "a partnership lists its spaces or is open to all eligible spaces")
            .help = Some("add `spaces: [space-id, ...]` or `open_to_all_eligible: true` with an `eligibility` text".into());
    }
    let mut seen = BTreeSet::new();
    for (i, s) in spaces.iter().enumerate() {
        let path = format!("spaces.{i}");
        if !seen.insert(s.as_str()) {
            at.error(
                &path,
                "duplicate-value",
                format!("space `{s}` is listed twice"),
            );
        } else {
            at.reference(&path, s, "space", "content/spaces/", &known.spaces);
        }
    }
}

/// Disclosed funding: an amount of zero or more in an ISO 4217 currency, and what it pays for.
fn check_funding(at: &mut At, funding: &RawFunding) -> Funding {
    match funding {
        RawFunding::None => Funding::None,
        RawFunding::Disclosed(RawFundingAmount {
            amount,
            currency,
            pays_for,
        }) => {
            if !amount.is_finite() || *amount < 0.0 {
                at.error(
                    "funding.amount",
                    "bad-price",
                    format!("amount {amount} is not a positive amount"),
                );
            } else {
                check_range(at, "funding.amount", *amount, limits::FUNDING, "bad-price");
            }
            if !codes::is_currency(currency.trim()) {
                at.error(
                    "funding.currency",
                    "bad-currency",
                    format!("`{currency}` is not an ISO 4217 currency code"),
                );
            }
            at.required_text("funding.pays_for", pays_for);
            Funding::Disclosed {
                amount: *amount,
                currency: currency.trim().to_owned(),
                pays_for: pays_for.trim().to_owned(),
            }
        }
    }
}

/// The contact's email, phone and website, each valid; at least one of them, which is
/// only asked for when the partnership has no other error (`before` is the error count
/// when its checks began), so that a bad address is not also reported as a missing one.
fn check_contact(at: &mut At, contact: &RawContact, before: usize) -> Contact {
    let RawContact {
        name,
        email,
        phone,
        website,
    } = contact;
    let contact = Contact {
        name: name.clone(),
        email: email.as_ref().and_then(|v| at.email("contact.email", v)),
        phone: phone.as_ref().and_then(|v| at.phone("contact.phone", v)),
        website: website
            .as_ref()
            .and_then(|v| at.web_url("contact.website", v))
            .map(|u| u.to_string()),
    };
    if contact.email.is_none()
        && contact.phone.is_none()
        && contact.website.is_none()
        && at.diags.error_count() == before
    {
        at.error(
            "contact",
            "no-contact",
            "the contact has no email, phone or website",
        )
        .help = Some("give at least one way to reach the programme".into());
    }
    contact
}
