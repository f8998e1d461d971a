//! Model + index → every output file, into an [`Output`].
//!
//! Rendering is pure: it takes shared references and produces bytes, so pages render in
//! parallel (rayon). Where the bytes go is the caller's choice, through the output's
//! sink (memory, or `build`'s staging folder): this module never writes to disk itself.
//! Each space's card is rendered once and reused by every list it appears in. Templates
//! get typed view structs ([`view`]) and never see content as template source; the only
//! HTML they print unescaped is what this module produced (sanitized Markdown, rendered
//! cards).
//!
//! A render is a plan ([`plan`]): one plain function per page kind ([`pages`]) lists
//! its pages, and [`run`] renders them in parallel, beside the files that need the whole
//! directory ([`site_files`]). [`render_with`] below is only the order of those steps.

mod assets;
mod cards;
pub(crate) mod data;
mod escape;
pub(crate) mod format;
pub(crate) mod ical;
pub(crate) mod jsonld;
pub(crate) mod markdown;
pub(crate) mod neutrality;
mod pages;
mod plan;
mod reasons;
mod run;
mod search_form;
mod site_files;
mod templates;
pub(crate) mod theme;
pub(crate) mod view;

use std::sync::Arc;

use crate::error::Diagnostics;
use crate::index::Index;
use crate::model::*;
use crate::options::Options;
use crate::output::Output;
use cards::Cards;
use format::Fmt;
use plan::{Kit, Plan};

use plan::Scope;
use run::Runner;

/// Renders every output file, in memory.
pub fn render(site: &Site, idx: &Index, opts: &Options) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, Scope::All, Output::default())
}

/// Renders every output file into `out` (which may write them as they come, see
/// [`Output::streaming`]).
pub fn render_into(
    site: &Site,
    idx: &Index,
    opts: &Options,
    out: Output,
) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, Scope::All, out)
}

/// What `check` renders: everything [`render`] does (theme, every card, the search
/// index, the data files, calendars and the neutrality audit), except that of the pages
/// repeated per space, region, amenity, partnership, session and free page only the
/// first of each kind is rendered. Every other page still claims its output path (with
/// empty bytes), so output collisions are reported exactly as by [`render`]; a template
/// error that only one particular space's page (not its card) would hit is left to
/// `build`. The output is for its diagnostics and neutrality report, not for writing.
pub fn render_sample(site: &Site, idx: &Index, opts: &Options) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, Scope::Sample, Output::default())
}

/// Renders only `pages` (output paths) and the static files: see [`Scope::Pages`]. A
/// path that is not a page of the site is left out.
pub fn render_pages(
    site: &Site,
    idx: &Index,
    opts: &Options,
    pages: &std::collections::BTreeSet<String>,
) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, Scope::Pages(pages), Output::default())
}

/// The steps of a render, in order; each is a function of its own module.
fn render_with(
    site: &Site,
    idx: &Index,
    opts: &Options,
    scope: Scope,
    mut out: Output,
) -> Result<Output, Diagnostics> {
    let sample = matches!(scope, Scope::Sample);
    let whole = !matches!(scope, Scope::Pages(_));
    let mut diags = Diagnostics::new();
    let t = crate::timing::phase("theme");
    let files = theme::gather(&opts.root, &site.config.theme, &mut diags);
    let strings = theme::strings(&files, &site.config.language, &mut diags);
    let tera = templates::compile(&files, &mut diags);
    drop(t);
    if diags.has_errors() {
        return Err(diags);
    }
    let mut tera = tera.expect("no error means the templates compiled");
    let t = crate::timing::phase("formats");
    let fmt = Fmt::new(site, idx, &strings);
    drop(t);
    // The neutrality audit, the calendars and the data files need only the model: they
    // run beside everything below (search index, cards, pages), so that both cores stay
    // busy from here to the end.
    std::thread::scope(|threads| {
        // In a sample (`check`) the calendars, data files and feeds are computed only when
        // a static file lies where they go, the one way content could collide with them
        // (they report nothing else), and the audit replays one day: enough to render its
        // page, while `check` prints the listing summary without a verdict.
        let side_outputs = !sample
            || (site.statics.iter()).any(|f| site_files::may_collide_with_side_outputs(&f.rel));
        let audit_days = if sample {
            1
        } else {
            crate::audit::DEFAULT_DAYS
        };
        // The audit, the longest of them (at 100,000 spaces its replay of a year of daily
        // orders writes day rows far larger than the CPU caches), starts now on a thread
        // of its own; the calendars and data files are rendered beside the pages.
        let early =
            whole.then(|| threads.spawn(move || site_files::audit_alone(site, idx, audit_days)));

        let asset_urls = assets::add_statics(&files, site, fmt.urls(), &mut out, &mut diags);
        // The search index (see crate::search), with a content hash in its URL, and the
        // JSON-LD of every page: independent, built side by side. A first pass that does
        // not render the home page (the one page with the search form) needs neither the
        // index nor more than its own pages' JSON-LD.
        let with_index = scope.wants(&crate::urls::index_file(""));
        // A sample renders the form but writes no index: the words are left out unless a
        // static file lies where the index goes, the one way content could collide with it.
        let with_words = !sample || site.statics.iter().any(|f| f.rel.starts_with("search/"));
        let (search, jsonld) = rayon::join(
            || with_index.then(|| search_form::build(site, idx, with_words)),
            || {
                let _t = crate::timing::phase("jsonld");
                jsonld::for_scope(site, idx, &strings, fmt.urls(), scope)
            },
        );
        let (search_view, card_ids) = match search {
            Some(built) => {
                let (view, ids) =
                    search_form::publish(built, site, &fmt, &asset_urls, &mut out, &mut diags);
                (Some(view), Some(ids))
            }
            None => (None, None),
        };
        if whole {
            assets::add_schemas(&mut out, &mut diags);
        }

        let site_view = fmt.site_view(
            asset_urls.get("css/style.css").cloned().unwrap_or_default(),
            asset_urls.get("js/neutral.js").cloned().unwrap_or_default(),
        );
        tera.global_context().insert("site", &site_view);
        tera.global_context().insert("t", &strings);

        let cards = Cards::new(site, &fmt, &tera, &files, card_ids, whole);
        if whole {
            let _t = crate::timing::phase("cards");
            if let Err(d) = cards.render_all() {
                diags.push(*d);
                return Err(diags);
            }
        }

        let t = crate::timing::phase("page contexts");
        let k = Kit {
            site,
            idx,
            fmt: &fmt,
            strings: &strings,
            cards: &cards,
        };
        let mut plan = Plan::new(scope, site.config.listing.page_size, fmt.urls());
        pages::plan_all(&mut plan, k, search_view);
        let jobs = plan.into_jobs();
        drop(t);

        let runner = Runner {
            tera: &tera,
            files: &files,
            jsonld: &jsonld,
            sink: out.sink().cloned(),
        };
        // The calendars and data files go into the shared pool with the pages, so that
        // both cores stay busy until the end: on the audit's thread they made it the last
        // to finish at 100,000 spaces (14 s of work beside 16 s of rendering).
        let side_out = out.beside();
        let t = crate::timing::phase("pages");
        let (rendered_pages, side_files) = rayon::join(
            || runner.all(jobs),
            || {
                let wanted = whole && side_outputs;
                site_files::calendars_and_data(site, idx, fmt.urls(), side_out, wanted)
            },
        );
        drop(t);
        let mut rendered = Vec::with_capacity(rendered_pages.len() + 1);
        let side = early.map(|early| {
            let report = early
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            // How spaces are listed: this build's audit, published as a page and as data.
            let report = Arc::new(report);
            rendered.push(runner.one(pages::listing_policy::job(k, &report)));
            let (side_output, side_diags) = side_files;
            (report, side_output, side_diags)
        });
        rendered.extend(rendered_pages);
        for d in cards.take_errors() {
            diags.push(d);
        }
        let html_paths = run::claim(&mut out, rendered, &mut diags);
        if let Some(side) = side {
            site_files::finish(&mut out, k, &html_paths, side, sample, &mut diags);
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(out)
    })
}
