//! The content's free pages (`content/pages/`) and the theme's 404 page.

use super::super::markdown::{self, EXCERPT_CHARS};
use super::super::plan::{Kit, Plan, v};
use super::super::view::FreePage;
use crate::urls::{self, Kind};

/// `/<slug>/` for every free page.
pub(super) fn pages<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let fmt = k.fmt;
    for (i, p) in k.site.pages.iter().enumerate() {
        let path = urls::page_file(Kind::Page, p.slug.as_str());
        let source = p.src.display_path();
        if plan.skip(i, &path, "page.html", &source) {
            continue;
        }
        plan.page(path, "page.html", source, move || {
            let desc = p
                .description
                .clone()
                .unwrap_or_else(|| markdown::excerpt(&p.body, EXCERPT_CHARS));
            (
                fmt.meta(
                    &urls::folder(Kind::Page, p.slug.as_str()),
                    &p.title,
                    &desc,
                    p.slug.as_str(),
                    vec![fmt.home_link()],
                ),
                vec![(
                    "content",
                    v(&FreePage {
                        title: p.title.clone(),
                        body_html: markdown::to_html_at(&p.body, 2, fmt.urls().root()).into(),
                    }),
                )],
            )
        });
    }
}

/// `/404.html`: not in the sitemap.
pub(super) fn not_found<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    plan.page(
        "404.html".into(),
        "404.html",
        "(theme) 404.html".into(),
        move || {
            (
                k.fmt.meta(
                    "404.html",
                    &k.string("not_found_title", "Page not found"),
                    &k.site.config.description,
                    "404",
                    vec![],
                ),
                vec![],
            )
        },
    );
}
