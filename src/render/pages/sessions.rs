//! `/sessions/` (upcoming and past) and each info session's page.

use super::super::markdown::{self, EXCERPT_CHARS};
use super::super::plan::{Kit, Plan, v};
use crate::urls::{self, Kind};

pub(super) fn sessions<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let (site, fmt) = (k.site, k.fmt);
    plan.page(
        urls::index_file(Kind::Session.folder()),
        "sessions.html",
        "content/sessions".into(),
        move || {
            let all: Vec<usize> = (0..site.sessions.len()).collect();
            let (upcoming, past) = fmt.occurrence_items(&all);
            (
                k.section_meta(Kind::Session, "Info sessions"),
                vec![("upcoming", v(&upcoming)), ("past", v(&past))],
            )
        },
    );
    for (i, s) in site.sessions.iter().enumerate() {
        let path = urls::page_file(Kind::Session, s.slug.as_str());
        if !plan.wants(&path) {
            continue;
        }
        let source = s.src.display_path();
        if plan.skip(i, &path, "session.html", &source) {
            continue;
        }
        plan.page(path, "session.html", source, move || {
            let desc = markdown::excerpt(&s.body, EXCERPT_CHARS);
            let desc = if desc.is_empty() {
                s.title.clone()
            } else {
                desc
            };
            (
                fmt.meta(
                    &urls::folder(Kind::Session, s.slug.as_str()),
                    &s.title,
                    &desc,
                    "sessions",
                    vec![fmt.home_link(), fmt.section_link(Kind::Session)],
                ),
                vec![("session", v(&fmt.session(i)))],
            )
        });
    }
}
