//! One plain function per page kind: each adds its pages to the [`Plan`], in the order
//! the site has always listed them, with the closure that builds their values.
//!
//! The functions only describe pages (path, template, source, values); the plan applies
//! the scope and [`super::run`] renders them. The one page that needs this build's
//! neutrality audit is made apart, once the audit is done ([`listing_policy::job`]).

mod free;
mod home;
pub(crate) mod listing_policy;
mod partnerships;
mod sessions;
mod spaces;
mod terms;

use super::plan::{Kit, Plan};
use crate::search::SearchView;

/// Every page of the site but the listing-policy page, in order. `search` is the home
/// page's search form: built whenever the scope renders the home page.
pub(crate) fn plan_all<'a>(plan: &mut Plan<'a>, k: Kit<'a>, search: Option<SearchView>) {
    home::home(plan, k, search);
    spaces::lists(plan, k);
    spaces::spaces(plan, k);
    terms::regions(plan, k);
    terms::amenities(plan, k);
    partnerships::partnerships(plan, k);
    sessions::sessions(plan, k);
    free::pages(plan, k);
    free::not_found(plan, k);
}
