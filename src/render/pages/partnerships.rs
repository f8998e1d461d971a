//! `/partnerships/`, the report on how partnership sessions are spread, and each
//! partnership's page (paginated by its spaces).

use super::super::markdown::{self, EXCERPT_CHARS};
use super::super::plan::{Kit, Plan, v};
use crate::urls::{self, Kind};

pub(super) fn partnerships<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let (site, idx, fmt) = (k.site, k.idx, k.fmt);
    plan.page(
        urls::index_file(Kind::Partnership.folder()),
        "partnerships.html",
        "content/partnerships".into(),
        move || {
            (
                k.section_meta(Kind::Partnership, "Partnerships"),
                vec![("partnerships", v(&fmt.partnership_summaries()))],
            )
        },
    );
    plan.page(
        urls::index_file(urls::PARTNERSHIP_REPORT),
        "partnership-report.html",
        "content/partnerships".into(),
        move || {
            let report = crate::report::compute(site, idx, None);
            (
                fmt.meta(
                    urls::PARTNERSHIP_REPORT,
                    &k.string("report_title", "How partnership sessions are spread"),
                    &site.config.description,
                    "partnerships",
                    vec![fmt.home_link(), fmt.section_link(Kind::Partnership)],
                ),
                vec![(
                    "report",
                    v(&crate::report::view(
                        site,
                        &report,
                        &|key| fmt.t(key),
                        &|d| fmt.date(d),
                    )),
                )],
            )
        },
    );
    let mut first_of_kind = true;
    for (i, p) in site.partnerships.iter().enumerate() {
        let list = &idx.partnership_spaces[i];
        let first = urls::folder(Kind::Partnership, p.slug.as_str());
        let source = p.src.display_path();
        let lists = plan.lists(
            &first,
            list.len(),
            "partnership.html",
            &source,
            &mut first_of_kind,
        );
        for (path, url, pagination) in lists {
            plan.page(path, "partnership.html", source.clone(), move || {
                let desc = p
                    .summary
                    .clone()
                    .unwrap_or_else(|| markdown::excerpt(&p.body, EXCERPT_CHARS));
                let mut view = fmt.partnership(i, Vec::new());
                view.cards = k.cards.of(&list[pagination.range()]);
                if pagination.page > 1 {
                    // Later pages show no sessions.
                    view.upcoming_sessions = Vec::new();
                    view.past_sessions = Vec::new();
                }
                (
                    fmt.meta(
                        &url,
                        &k.page_title(&p.name, &pagination),
                        &desc,
                        "partnerships",
                        vec![fmt.home_link(), fmt.section_link(Kind::Partnership)],
                    ),
                    vec![("partnership", v(&view)), ("pagination", v(&pagination))],
                )
            });
        }
    }
}
