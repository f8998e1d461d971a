//! The page "How spaces are listed": made once this build's neutrality audit is done,
//! from the same report as `/data/neutrality.json` (see [`super::super::neutrality`]).

use super::super::neutrality;
use super::super::plan::{Job, Kit, v};
use crate::audit::NeutralityReport;
use crate::urls::{self, Kind};

/// The page's job: its values are made now, from `report`.
pub(crate) fn job<'a>(k: Kit<'a>, report: &NeutralityReport) -> Job<'a> {
    let fmt = k.fmt;
    let listing_view = neutrality::view(fmt, k.site, k.idx, report);
    Job::new(
        urls::page_file(Kind::Page, neutrality::PAGE_SLUG),
        "listing-policy.html",
        "content/site.yaml".into(),
        move || {
            (
                fmt.meta(
                    &urls::folder(Kind::Page, neutrality::PAGE_SLUG),
                    &k.string("listing_policy_title", "How spaces are listed"),
                    &k.string("listing_policy_description", ""),
                    neutrality::PAGE_SLUG,
                    vec![fmt.home_link()],
                ),
                vec![("listing", v(&listing_view))],
            )
        },
    )
}
