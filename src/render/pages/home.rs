//! The home page: the first page of the list of all spaces (the list continues on
//! `/spaces/page/2/`, …), the search form, the regions, categories, partnerships and
//! upcoming sessions.

use super::super::plan::{Kit, Plan, v};
use super::super::view::{HomeView, Pagination};
use crate::search::SearchView;
use crate::urls::{self, Kind};

pub(super) fn home<'a>(plan: &mut Plan<'a>, k: Kit<'a>, search: Option<SearchView>) {
    let (site, idx, fmt) = (k.site, k.idx, k.fmt);
    let page_size = site.config.listing.page_size;
    plan.page(
        urls::index_file(""),
        "index.html",
        "content/site.yaml".into(),
        move || {
            // Page 1 of the list of all spaces, whose next pages are `spaces/page/2/`, ….
            let pagination = Pagination::new(
                1,
                idx.listed.len(),
                page_size,
                &fmt.urls().href(""),
                &fmt.urls().href(Kind::Space.folder()),
            );
            (
                fmt.meta(
                    "",
                    &site.config.title,
                    &site.config.description,
                    "home",
                    vec![],
                ),
                vec![(
                    "home",
                    v(&HomeView {
                        cards: k.cards.of(&idx.listed[pagination.range()]),
                        pagination,
                        space_count: idx.listed.len(),
                        regions: fmt.region_terms(),
                        categories: fmt.categories(),
                        partnerships: fmt.partnership_summaries(),
                        upcoming_sessions: fmt.occurrence_items(&idx.upcoming).0,
                        search: search.expect("built when the home page renders"),
                    }),
                )],
            )
        },
    );
}
