//! `content/site.yaml` → [`SiteConfig`]: the directory's title, address, language, time
//! zone, theme, fairness threshold and listing policy.
//!
//! The listing policy is read by [`crate::listing::policy`], which owns its rules; this
//! file only hands it the block and its positions.

use std::sync::Arc;

use super::at::At;
use crate::error::Diagnostics;
use crate::load::Doc;
use crate::model::{DEFAULT_MAX_SHARE, SiteConfig};
use crate::raw::{RawFairness, RawSite};

pub(super) fn site_config(doc: &Doc<RawSite>, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let RawSite {
        title,
        description,
        base_url,
        language,
        time_zone,
        theme,
        publisher,
        licence,
        fairness,
        listing,
    } = &doc.raw;
    let mut at = At::of(doc, diags);
    let max_session_share = fairness
        .as_ref()
        .and_then(|RawFairness { max_session_share }| *max_session_share)
        .unwrap_or(DEFAULT_MAX_SHARE);
    if !(max_session_share > 0.0 && max_session_share <= 1.0) {
        at.error(
            "fairness.max_session_share",
            "bad-share",
            format!("{max_session_share} is not a share between 0 and 1"),
        )
        .help = Some(
            "e.g. 0.4: warn when one space hosts more than 40% of a partnership's sessions".into(),
        );
    }
    at.required_text("title", title);
    at.required_text("description", description);
    at.language("language", language);
    let mut base = at.web_url("base_url", base_url);
    if let Some(u) = &mut base {
        if !u.path().ends_with('/') {
            let p = format!("{}/", u.path());
            u.set_path(&p);
        }
    }
    let tz = at.time_zone("time_zone", time_zone);
    let theme = theme.clone().unwrap_or_else(|| "default".into());
    if !crate::load::is_slug(&theme) {
        at.error(
            "theme",
            "bad-theme",
            format!("`{theme}` is not a theme folder name"),
        )
        .help = Some("name a folder under themes/, e.g. default".into());
    }
    let listing = crate::listing::policy(listing.as_ref(), &doc.src, &doc.pos, at.diags);
    Some(SiteConfig {
        title: title.trim().to_owned(),
        description: description.trim().to_owned(),
        base_url: base?,
        language: language.trim().to_owned(),
        time_zone: tz?,
        time_zone_name: time_zone.trim().to_owned(),
        theme,
        publisher: publisher.clone(),
        licence: licence.clone(),
        max_session_share,
        listing,
        src: Arc::clone(&doc.src),
    })
}
