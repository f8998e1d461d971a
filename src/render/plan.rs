//! Rendering as a plan: the list of page jobs (which template, which values, which
//! output path), built by one plain function per page kind (see [`super::pages`]) and
//! then executed in parallel ([`super::run`]).
//!
//! A job holds its values as a closure, called only when the page renders, inside the
//! parallel loop: building 15,000 contexts first, one after the other, was a third of
//! the build, holding them all at once cost memory for nothing, and the preview
//! server's first pass ([`Scope::Pages`]) builds only those of the pages it renders.
//! [`Plan`] is where the [`Scope`] is applied, so the page kinds do not branch on it:
//! [`Plan::page`] drops a page the scope does not want, and [`Plan::skip`] and
//! [`Plan::lists`] make a sample's repeated pages claim their paths, empty.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cards::Cards;
use super::format::Fmt;
use super::view::{PageMeta, Pagination};
use crate::index::Index;
use crate::model::Site;
use crate::urls::{self, Kind, Urls};

/// Which files a render makes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'w> {
    /// The whole site: `build` and `serve`.
    All,
    /// What `check` renders: see [`render_sample`].
    Sample,
    /// Only these pages (output paths such as `spaces/x/index.html`) and the theme's and
    /// content's static files: the preview server's first pass after an edit, which
    /// renders the pages open in a browser before the rest of the site. Nothing that
    /// needs the whole directory is made (audit, calendars, data files, feeds, sitemap,
    /// the listing-policy page), nor the search index unless the home page is asked for.
    Pages(&'w std::collections::BTreeSet<String>),
}

impl Scope<'_> {
    pub(crate) fn wants(&self, path: &str) -> bool {
        match self {
            Scope::Pages(paths) => paths.contains(path),
            _ => true,
        }
    }
}

/// The values a template gets besides `page`, by name.
pub(crate) type Values = Vec<(&'static str, tera::Value)>;
type LazyValues<'a> = Box<dyn FnOnce() -> (PageMeta, Values) + Send + 'a>;

/// One page to render: where it goes, with which template, and how to get its values.
pub(crate) struct Job<'a> {
    pub(crate) path: String,
    pub(crate) template: &'static str,
    /// The content or theme file the page comes from (for collision errors).
    pub(crate) source: String,
    pub(crate) ctx: JobCtx<'a>,
}

/// What a page is rendered with.
pub(crate) enum JobCtx<'a> {
    Lazy(LazyValues<'a>),
    /// A page a sample skips: it claims its path, empty.
    Skip,
}

impl<'a> Job<'a> {
    pub(crate) fn new(
        path: String,
        template: &'static str,
        source: String,
        values: impl FnOnce() -> (PageMeta, Values) + Send + 'a,
    ) -> Self {
        Job {
            path,
            template,
            source,
            ctx: JobCtx::Lazy(Box::new(values)),
        }
    }
}

/// What every page kind builds its values from: shared references only, so the jobs'
/// closures can copy it and run on any thread.
#[derive(Clone, Copy)]
pub(crate) struct Kit<'a> {
    pub(crate) site: &'a Site,
    pub(crate) idx: &'a Index,
    pub(crate) fmt: &'a Fmt<'a>,
    pub(crate) strings: &'a BTreeMap<String, String>,
    pub(crate) cards: &'a Cards<'a>,
}

impl Kit<'_> {
    /// The theme's string `key`, or `fallback`.
    pub(crate) fn string(&self, key: &str, fallback: &str) -> String {
        strings_or(self.strings, key, fallback)
    }

    /// The title of page `p` of a list titled `title`: "title (page n of m)" after the
    /// first.
    pub(crate) fn page_title(&self, title: &str, p: &Pagination) -> String {
        if p.page == 1 {
            title.to_owned()
        } else {
            format!(
                "{title} ({})",
                self.string("page_of", "page {n} of {pages}")
                    .replace("{n}", &p.page.to_string())
                    .replace("{pages}", &p.pages.to_string())
            )
        }
    }

    /// A section's own page (`regions/`, …): its title is the string named after it.
    pub(crate) fn section_meta(&self, kind: Kind, fallback: &str) -> PageMeta {
        let section = super::format::section_name(kind);
        self.fmt.meta(
            kind.folder(),
            &self.string(section, fallback),
            &self.site.config.description,
            section,
            vec![self.fmt.home_link()],
        )
    }
}

/// The pages to render, in order, for one [`Scope`].
pub(crate) struct Plan<'a> {
    scope: Scope<'a>,
    page_size: usize,
    /// For the links of list pages to each other.
    urls: &'a Urls,
    jobs: Vec<Job<'a>>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(scope: Scope<'a>, page_size: usize, urls: &'a Urls) -> Self {
        Plan {
            scope,
            page_size,
            urls,
            jobs: Vec::new(),
        }
    }

    /// Whether the scope renders the page at `path`.
    pub(crate) fn wants(&self, path: &str) -> bool {
        self.scope.wants(path)
    }

    /// Adds a page, if the scope wants it.
    pub(crate) fn page(
        &mut self,
        path: String,
        template: &'static str,
        source: String,
        values: impl FnOnce() -> (PageMeta, Values) + Send + 'a,
    ) {
        if self.scope.wants(&path) {
            self.jobs.push(Job::new(path, template, source, values));
        }
    }

    /// In a sample (see [`super::render_sample`]), the `i`th page of a repeated kind
    /// after the first only claims its path: then this adds it, empty, and says so.
    pub(crate) fn skip(
        &mut self,
        i: usize,
        path: &str,
        template: &'static str,
        source: &str,
    ) -> bool {
        if matches!(self.scope, Scope::Sample) && i > 0 {
            self.jobs.push(Job {
                path: path.to_owned(),
                template,
                source: source.to_owned(),
                ctx: JobCtx::Skip,
            });
            true
        } else {
            false
        }
    }

    /// The pages of one list of `len` items whose first page is in `first` (a folder,
    /// `spaces/`): (output path, folder, pagination) of each page to render. In a sample
    /// only the first page of a kind renders (`first_of_kind`); the others claim their
    /// paths.
    pub(crate) fn lists(
        &mut self,
        first: &str,
        len: usize,
        template: &'static str,
        source: &str,
        first_of_kind: &mut bool,
    ) -> Vec<(String, String, Pagination)> {
        let first_href = self.urls.href(first);
        list_pages(len, self.page_size, &first_href)
            .into_iter()
            .filter_map(|pagination| {
                let folder = urls::list_page(first, pagination.page);
                let path = urls::index_file(&folder);
                if self.skip(usize::from(!*first_of_kind), &path, template, source) {
                    return None;
                }
                *first_of_kind = false;
                Some((path, folder, pagination))
            })
            .collect()
    }

    pub(crate) fn into_jobs(self) -> Vec<Job<'a>> {
        self.jobs
    }
}

/// The pages of a list of `total` items whose first page's link is `first_href`; one
/// page for an empty list.
fn list_pages(total: usize, size: usize, first_href: &str) -> Vec<Pagination> {
    let pages = total.div_ceil(size.max(1)).max(1);
    (1..=pages)
        .map(|n| Pagination::new(n, total, size, first_href, first_href))
        .collect()
}

/// A value as a template sees it.
pub(crate) fn v<T: Serialize + ?Sized>(x: &T) -> tera::Value {
    tera::Value::from_serializable(x)
}

pub(crate) fn strings_or(strings: &BTreeMap<String, String>, key: &str, fallback: &str) -> String {
    strings
        .get(key)
        .cloned()
        .unwrap_or_else(|| fallback.to_owned())
}
