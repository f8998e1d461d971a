//! `/partnerships/`, the report on how partnership sessions are spread, and each
//! partnership's page (paginated by its spaces).

use super::super::markdown::{self, EXCERPT_CHARS};
use super::super::plan::{Kit, Plan, v};

pub(super) fn partnerships<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let (site, idx, fmt) = (k.site, k.idx, k.fmt);
    plan.page(
        "partnerships/index.html".into(),
        "partnerships.html",
        "content/partnerships".into(),
        move || {
            (
                k.section_meta("partnerships", "Partnerships"),
                vec![("partnerships", v(&fmt.partnership_summaries()))],
            )
        },
    );
    plan.page(
        crate::report::PAGE_PATH.into(),
        "partnership-report.html",
        "content/partnerships".into(),
        move || {
            let report = crate::report::compute(site, idx, None);
            (
                fmt.meta(
                    "partnerships/report/",
                    &k.string("report_title", "How partnership sessions are spread"),
                    &site.config.description,
                    "partnerships",
                    vec![fmt.home_link(), fmt.section_link("partnerships")],
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
        let first_url = format!("/partnerships/{}/", p.slug);
        let source = p.src.display_path();
        let lists = plan.lists(
            &first_url,
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
                        vec![fmt.home_link(), fmt.section_link("partnerships")],
                    ),
                    vec![("partnership", v(&view)), ("pagination", v(&pagination))],
                )
            });
        }
    }
}
