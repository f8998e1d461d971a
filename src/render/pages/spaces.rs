//! The list of all spaces (`/spaces/`, paginated) and each space's page.

use super::super::markdown::{self, EXCERPT_CHARS};
use super::super::plan::{Kit, Plan, v};
use crate::urls::{self, Kind};

/// `/spaces/`, `/spaces/page/2/`, …: every listed space's card, in the site's order.
pub(super) fn lists<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let (site, idx, fmt) = (k.site, k.idx, k.fmt);
    let lists = plan.lists(
        Kind::Space.folder(),
        idx.listed.len(),
        "spaces.html",
        "content/spaces",
        &mut true,
    );
    for (path, url, pagination) in lists {
        plan.page(path, "spaces.html", "content/spaces".into(), move || {
            (
                fmt.meta(
                    &url,
                    &k.page_title(&k.string("spaces", "Spaces"), &pagination),
                    &site.config.description,
                    "spaces",
                    vec![fmt.home_link()],
                ),
                vec![
                    ("cards", v(&k.cards.of(&idx.listed[pagination.range()]))),
                    ("space_count", v(&idx.listed.len())),
                    ("pagination", v(&pagination)),
                ],
            )
        });
    }
}

/// `/spaces/<slug>/`: every space, listed or not.
pub(super) fn spaces<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let fmt = k.fmt;
    for (i, s) in k.site.spaces.iter().enumerate() {
        let path = urls::page_file(Kind::Space, s.slug.as_str());
        if !plan.wants(&path) {
            continue;
        }
        let source = s.src.display_path();
        if plan.skip(i, &path, "space.html", &source) {
            continue;
        }
        plan.page(path, "space.html", source, move || {
            let desc = s
                .summary
                .clone()
                .unwrap_or_else(|| markdown::excerpt(&s.body, EXCERPT_CHARS));
            (
                fmt.meta(
                    &urls::folder(Kind::Space, s.slug.as_str()),
                    &s.name,
                    &desc,
                    "spaces",
                    vec![fmt.home_link(), fmt.section_link(Kind::Space)],
                ),
                vec![("space", v(&fmt.space(i, k.cards.view(i).clone())))],
            )
        });
    }
}
