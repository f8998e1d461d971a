//! Cards: each space's card, rendered once and reused by every list it appears in.
//!
//! The whole site renders every card first, in parallel, so a broken card is reported
//! once, as the card. The preview server's first pass renders only the cards its pages
//! show, when a page asks; a card it could not render is kept as an error and reported
//! after the pages. Cards know nothing of pages or paths.

use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use tera::{Context, Tera};

use super::format::Fmt;
use super::templates::template_error;
use super::theme::ThemeFiles;
use super::view::{CardFields, CardHtml, CardView};
use crate::error::Diagnostic;
use crate::model::Site;

pub(crate) struct Cards<'a> {
    site: &'a Site,
    fmt: &'a Fmt<'a>,
    tera: &'a Tera,
    files: &'a ThemeFiles,
    /// Per space: its card's values.
    views: Vec<OnceLock<CardView>>,
    /// Per space: its rendered card.
    html: Vec<OnceLock<CardHtml>>,
    /// Per space: its number in the search index. Computed when a card is first
    /// rendered if no index was built (a first pass showing a space's page renders none).
    ids: OnceLock<Vec<u32>>,
    /// Cards a first pass could not render, reported after its pages.
    errors: Mutex<Vec<Diagnostic>>,
}

impl<'a> Cards<'a> {
    /// `whole`: the whole site is rendered, so every card's values are made now, in
    /// parallel; otherwise each is made when first asked for.
    pub(crate) fn new(
        site: &'a Site,
        fmt: &'a Fmt<'a>,
        tera: &'a Tera,
        files: &'a ThemeFiles,
        ids: Option<Vec<u32>>,
        whole: bool,
    ) -> Self {
        let views = if whole {
            site.spaces
                .par_iter()
                .map(|s| OnceLock::from(fmt.card(s)))
                .collect()
        } else {
            (0..site.spaces.len()).map(|_| Default::default()).collect()
        };
        Cards {
            site,
            fmt,
            tera,
            files,
            views,
            html: (0..site.spaces.len()).map(|_| Default::default()).collect(),
            ids: ids.map(OnceLock::from).unwrap_or_default(),
            errors: Mutex::new(Vec::new()),
        }
    }

    /// The values of space `i`'s card.
    pub(crate) fn view(&self, i: usize) -> &CardView {
        self.views[i].get_or_init(|| self.fmt.card(&self.site.spaces[i]))
    }

    fn id(&self, i: usize) -> u32 {
        self.ids.get_or_init(|| crate::search::ids(self.site))[i]
    }

    fn render(&self, i: usize) -> Result<CardHtml, Box<Diagnostic>> {
        let c = self.view(i);
        let mut ctx = Context::new();
        ctx.insert("card", c);
        match self.tera.render("card.html", &ctx) {
            Ok(html) => Ok(CardHtml::new(&CardFields {
                slug: c.slug.clone(),
                id: self.id(i) as usize,
                card_html: html.trim().to_owned(),
            })),
            Err(e) => Err(Box::new(template_error(
                self.files,
                "card.html",
                &format!("the card of {}", c.slug),
                &e,
            ))),
        }
    }

    /// Renders every card, in parallel; the first broken one (in space order) is the error.
    pub(crate) fn render_all(&self) -> Result<(), Box<Diagnostic>> {
        let cards: Vec<Result<CardHtml, Box<Diagnostic>>> = (0..self.html.len())
            .into_par_iter()
            .map(|i| self.render(i))
            .collect();
        for (cell, r) in self.html.iter().zip(cards) {
            let _ = cell.set(r?);
        }
        Ok(())
    }

    /// The rendered cards of the spaces in `list`, in its order; a card that does not
    /// render is left out and kept for [`Self::into_errors`].
    pub(crate) fn of(&self, list: &[usize]) -> Vec<CardHtml> {
        list.iter()
            .filter_map(|&i| match self.html[i].get() {
                Some(card) => Some(card.clone()),
                None => match self.render(i) {
                    Ok(card) => Some(self.html[i].get_or_init(|| card).clone()),
                    Err(d) => {
                        self.errors
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(*d);
                        None
                    }
                },
            })
            .collect()
    }

    /// The cards that did not render when a page asked for them (taken, not consumed:
    /// the render still lends the cards to what it makes after the pages).
    pub(crate) fn take_errors(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
