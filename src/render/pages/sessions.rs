//! `/sessions/` (upcoming and past) and each info session's page.

use super::super::markdown::{self, EXCERPT_CHARS};
use super::super::plan::{Kit, Plan, v};

pub(super) fn sessions<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let (site, fmt) = (k.site, k.fmt);
    plan.page(
        "sessions/index.html".into(),
        "sessions.html",
        "content/sessions".into(),
        move || {
            let all: Vec<usize> = (0..site.sessions.len()).collect();
            let (upcoming, past) = fmt.occurrence_items(&all);
            (
                k.section_meta("sessions", "Info sessions"),
                vec![("upcoming", v(&upcoming)), ("past", v(&past))],
            )
        },
    );
    for (i, s) in site.sessions.iter().enumerate() {
        let path = format!("sessions/{}/index.html", s.slug);
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
                    &format!("sessions/{}/", s.slug),
                    &s.title,
                    &desc,
                    "sessions",
                    vec![fmt.home_link(), fmt.section_link("sessions")],
                ),
                vec![("session", v(&fmt.session(i)))],
            )
        });
    }
}
