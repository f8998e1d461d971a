//! `content/pages/*.md` → [`Page`]: a free page needs a title; its body is Markdown.

use std::sync::Arc;

use super::at::At;
use crate::error::Diagnostics;
use crate::load::Entry;
use crate::model::limits;
use crate::model::{Page, Slug};
use crate::raw::RawPage;

pub(super) fn page(e: &Entry<RawPage>, diags: &mut Diagnostics) -> Option<Page> {
    let RawPage {
        title,
        description,
        menu,
    } = &e.doc.raw;
    let before = diags.error_count();
    let mut at = At::of(&e.doc, diags);
    at.required_text("title", title);
    if let Some(d) = description {
        at.bounded("description", d, Some(limits::SUMMARY));
    }
    if diags.error_count() > before {
        return None;
    }
    Some(Page {
        slug: Slug::new_unchecked(&e.slug),
        title: title.trim().to_owned(),
        description: description.clone(),
        menu: *menu,
        body: e.body_text().to_owned(),
        src: Arc::clone(&e.doc.src),
    })
}
