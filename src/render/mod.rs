//! Model + index → every output file, in memory.
//!
//! Rendering is pure: it takes shared references and returns bytes, so pages render in
//! parallel (rayon) and nothing is written until every page succeeded. Each space's
//! card is rendered once and reused by every list it appears in. Templates get typed
//! view structs ([`view`]) and never see content as template source; the only HTML they
//! print unescaped is what this module produced (sanitized Markdown, rendered cards).

pub mod data;
pub mod format;
pub mod ical;
pub mod jsonld;
pub mod markdown;
pub mod neutrality;
mod reasons;
pub mod theme;
pub mod view;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::{Diagnostic, Diagnostics};
use crate::index::Index;
use crate::model::*;
use crate::options::Options;
use crate::output::Output;
use format::Fmt;
use view::*;

/// Length of the excerpt on every card, in characters: the same for every space.
pub const EXCERPT_CHARS: usize = 160;

/// Templates every theme must end up with (after falling back to the default theme).
pub const TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "spaces.html",
    "space.html",
    "regions.html",
    "region.html",
    "amenities.html",
    "amenity.html",
    "partnerships.html",
    "partnership.html",
    "partnership-report.html",
    "sessions.html",
    "session.html",
    "page.html",
    "404.html",
    "card.html",
    "listing-policy.html",
];

/// One page to render: where it goes, with which template, and how to get its values.
struct Job<'a> {
    path: String,
    template: &'static str,
    source: String,
    ctx: JobCtx<'a>,
}

/// What a page is rendered with. Every page builds its values only when it renders,
/// inside the parallel loop: building 15,000 contexts first, one after the other, was a
/// third of the build, holding them all at once cost memory for nothing, and the preview
/// server's first pass ([`Scope::Pages`]) builds only those of the pages it renders.
enum JobCtx<'a> {
    Lazy(LazyValues<'a>),
    /// A page [`render_sample`] skips: it claims its path, empty.
    Skip,
}

/// A rendered page: path, source, and its HTML (`None` once written to the sink) and size.
type RenderedPage = (String, String, Result<(Option<Vec<u8>>, usize), Diagnostic>);

/// The buffer a page is rendered into starts this large: a space page (~11 KB) fits.
const PAGE_BYTES: usize = 16 * 1024;

type Values = Vec<(&'static str, tera::Value)>;
type LazyValues<'a> = Box<dyn FnOnce() -> (PageMeta, Values) + Send + 'a>;

/// Which files a render makes.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'w> {
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
    fn wants(&self, path: &str) -> bool {
        match self {
            Scope::Pages(paths) => paths.contains(path),
            _ => true,
        }
    }
}

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
    let tera = compile(&files, &mut diags);
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
    let side_out = out.beside();
    std::thread::scope(|threads| {
        // In a sample (`check`) the calendars, data files and feeds are computed only when
        // a static file lies where they go, the one way content could collide with them
        // (they report nothing else), and the audit replays one day: enough to render its
        // page, while `check` prints the listing summary without a verdict.
        let side_outputs = !sample
            || site
                .statics
                .iter()
                .any(|f| may_collide_with_side_outputs(&f.rel));
        let audit_days = if sample {
            1
        } else {
            crate::audit::DEFAULT_DAYS
        };
        // The audit, the longest of them (at 100,000 spaces its replay of a year of daily
        // orders writes day rows far larger than the CPU caches), starts now on a thread
        // of its own; the calendars and data files are rendered beside the pages.
        let early = whole.then(|| {
            threads.spawn(move || {
                // On a one-thread pool of its own: in the shared pool its parallel parts
                // queued behind the pages and it finished last (1.0 s of wall time for
                // 0.2 s of work at 10,000 spaces); here it runs beside them from the start.
                let work = move || {
                    let _t = crate::timing::phase("audit");
                    crate::audit::audit_site(site, idx, audit_days)
                };
                match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                    Ok(pool) => pool.install(work),
                    Err(_) => work(),
                }
            })
        });

        // Theme assets under /assets/, with a content hash in the URL so caches stay right.
        let mut asset_urls = BTreeMap::new();
        for (rel, f) in &files.statics {
            asset_urls.insert(
                rel.clone(),
                format!(
                    "/assets/{rel}?v={:08x}",
                    crate::neutral::seed_from_str(&String::from_utf8_lossy(&f.bytes))
                ),
            );
            out.insert(
                format!("assets/{rel}"),
                f.bytes.clone(),
                f.source.clone(),
                &mut diags,
            );
        }
        for s in &site.statics {
            out.insert(
                s.rel.clone(),
                s.bytes.as_ref().clone(),
                crate::source::display_path(&s.path),
                &mut diags,
            );
        }
        // The search index (see crate::search), with a content hash in its URL, and the
        // JSON-LD of every page: independent, built side by side. A first pass that does
        // not render the home page (the one page with the search form) needs neither the
        // index nor more than its own pages' JSON-LD.
        let with_index = scope.wants("index.html");
        // A sample renders the form but writes no index: the words (most of the work)
        // are left out unless a static file lies where the index goes, the one way
        // content could collide with it.
        let with_words = !sample || site.statics.iter().any(|f| f.rel.starts_with("search/"));
        let (search, jsonld) = rayon::join(
            || {
                with_index.then(|| {
                    let _t = crate::timing::phase("search index");
                    if with_words {
                        let search_index = crate::search::SearchIndex::build(site, idx);
                        let search_files = search_index.to_files();
                        (search_index, search_files)
                    } else {
                        (
                            crate::search::SearchIndex::build_without_text(site, idx),
                            Vec::new(),
                        )
                    }
                })
            },
            || {
                let _t = crate::timing::phase("jsonld");
                match scope {
                    Scope::All => jsonld::all(site, idx, &strings),
                    Scope::Pages(pages) => jsonld::some(site, idx, &strings, pages),
                    // The first page of each kind with JSON-LD is all a sample renders.
                    Scope::Sample => {
                        let firsts = site
                            .spaces
                            .first()
                            .map(|s| format!("spaces/{}/index.html", s.slug))
                            .into_iter()
                            .chain(
                                site.sessions
                                    .first()
                                    .map(|s| format!("sessions/{}/index.html", s.slug)),
                            )
                            .chain(
                                site.partnerships
                                    .first()
                                    .map(|p| format!("partnerships/{}/index.html", p.slug)),
                            )
                            .collect();
                        jsonld::some(site, idx, &strings, &firsts)
                    }
                }
            },
        );
        let (search_view, card_ids) = match search {
            Some((search_index, search_files)) => {
                let view = search_index.view(
                    site,
                    fmt.locale(),
                    format!(
                        "/{}?v={:08x}",
                        crate::search::INDEX_PATH,
                        search_files.first().map_or(0, |f| crate::search::fnv(&f.1))
                    ),
                    asset_urls.get("js/search.js").cloned().unwrap_or_default(),
                );
                for (path, bytes) in search_files {
                    out.insert(path, bytes, "(generated) search index", &mut diags);
                }
                (Some(view), std::sync::OnceLock::from(search_index.id_of))
            }
            // Computed when a card is first rendered: a first pass showing a space's
            // page renders none.
            None => (None, std::sync::OnceLock::new()),
        };
        let card_id = |i: usize| card_ids.get_or_init(|| crate::search::ids(site))[i];
        if whole {
            // The JSON Schemas of the content files, for editors and tools (see crate::schema).
            for s in crate::schema::schemas() {
                let path = format!("schema/{}", s.name);
                out.insert(path, s.text.into_bytes(), "(built-in schemas)", &mut diags);
            }
        }

        let site_view = fmt.site_view(
            asset_urls.get("css/style.css").cloned().unwrap_or_default(),
            asset_urls.get("js/neutral.js").cloned().unwrap_or_default(),
        );
        tera.global_context().insert("site", &site_view);
        tera.global_context().insert("t", &strings);

        // Cards: once per space. The whole site renders them all first, in parallel (a
        // broken card is then reported once, as the card); a first pass renders only
        // those on its pages, when a page asks.
        let card_views: Vec<std::sync::OnceLock<CardView>> = if whole {
            site.spaces
                .par_iter()
                .map(|s| std::sync::OnceLock::from(fmt.card(s)))
                .collect()
        } else {
            (0..site.spaces.len()).map(|_| Default::default()).collect()
        };
        let card_view = |i: usize| card_views[i].get_or_init(|| fmt.card(&site.spaces[i]));
        let render_card = |i: usize| -> Result<CardHtml, Box<Diagnostic>> {
            let c = card_view(i);
            let mut ctx = Context::new();
            ctx.insert("card", c);
            match tera.render("card.html", &ctx) {
                Ok(html) => Ok(CardHtml::new(&CardFields {
                    slug: c.slug.clone(),
                    id: card_id(i) as usize,
                    card_html: html.trim().to_owned(),
                })),
                Err(e) => Err(Box::new(template_error(
                    &files,
                    "card.html",
                    &format!("the card of {}", c.slug),
                    &e,
                ))),
            }
        };
        let card_cells: Vec<std::sync::OnceLock<CardHtml>> =
            (0..card_views.len()).map(|_| Default::default()).collect();
        if whole {
            let t = crate::timing::phase("cards");
            let cards: Vec<Result<CardHtml, Box<Diagnostic>>> = (0..card_views.len())
                .into_par_iter()
                .map(render_card)
                .collect();
            for (cell, r) in card_cells.iter().zip(cards) {
                match r {
                    Ok(card) => {
                        let _ = cell.set(card);
                    }
                    Err(d) => {
                        diags.push(*d);
                        return Err(diags);
                    }
                }
            }
            drop(t);
        }
        // A card a first pass could not render: reported after its pages.
        let card_errors = std::sync::Mutex::new(Vec::new());
        let cards_of = |list: &[usize]| -> Vec<CardHtml> {
            list.iter()
                .filter_map(|&i| match card_cells[i].get() {
                    Some(card) => Some(card.clone()),
                    None => match render_card(i) {
                        Ok(card) => Some(card_cells[i].get_or_init(|| card).clone()),
                        Err(d) => {
                            card_errors
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .push(*d);
                            None
                        }
                    },
                })
                .collect()
        };
        let t = crate::timing::phase("page contexts");

        // Pages in order, rendered later in parallel; `RefCell` so that both `page` and
        // `skip` can add to it.
        let jobs: std::cell::RefCell<Vec<Job>> = std::cell::RefCell::new(Vec::new());
        let context = |path: &str, mut meta: PageMeta, values: Values| {
            meta.jsonld_html = jsonld.get(path).cloned();
            let mut ctx = Context::new();
            ctx.insert("page", &meta);
            for (k, v) in values {
                ctx.insert_value(k, v);
            }
            ctx
        };
        let page = |path: String, template: &'static str, source: String, values| {
            if scope.wants(&path) {
                jobs.borrow_mut().push(Job {
                    path,
                    template,
                    source,
                    ctx: JobCtx::Lazy(values),
                });
            }
        };
        // In a sample (see `render_sample`), the pages after the first of a repeated kind
        // only claim their path.
        let skip = |i: usize, path: &str, template: &'static str, source: &str| {
            if sample && i > 0 {
                jobs.borrow_mut().push(Job {
                    path: path.to_owned(),
                    template,
                    source: source.to_owned(),
                    ctx: JobCtx::Skip,
                });
                true
            } else {
                false
            }
        };
        let (fmt, strings, cards_of) = (&fmt, &strings, &cards_of);

        // Home: the first page of the list of all spaces; the list continues on
        // /spaces/page/2/, … (see `list_pages`).
        let page_size = site.config.listing.page_size;
        let page_title = move |title: &str, p: &Pagination| -> String {
            if p.page == 1 {
                title.to_owned()
            } else {
                format!(
                    "{title} ({})",
                    strings_or(strings, "page_of", "page {n} of {pages}")
                        .replace("{n}", &p.page.to_string())
                        .replace("{pages}", &p.pages.to_string())
                )
            }
        };
        // The pages of one list whose first page is at `first_url`: (output path, folder,
        // pagination) of each page to render. In a sample only the first page of a kind
        // renders (`first_of_kind`); the others claim their paths.
        let pages_of = |first_url: &str,
                        len: usize,
                        template: &'static str,
                        source: &str,
                        first_of_kind: &mut bool|
         -> Vec<(String, String, Pagination)> {
            list_pages(len, page_size, first_url)
                .into_iter()
                .filter_map(|pagination| {
                    let url = pagination_url(&pagination, &first_url[1..]);
                    let path = format!("{url}index.html");
                    if skip(usize::from(!*first_of_kind), &path, template, source) {
                        return None;
                    }
                    *first_of_kind = false;
                    Some((path, url, pagination))
                })
                .collect()
        };
        // A section's own page (`regions/`, …): its title is the string named after it.
        let section_meta = move |section: &str, fallback: &str| {
            fmt.meta(
                &format!("{section}/"),
                &strings_or(strings, section, fallback),
                &site.config.description,
                section,
                vec![fmt.home_link()],
            )
        };
        page(
            "index.html".into(),
            "index.html",
            "content/site.yaml".into(),
            Box::new(move || {
                let pagination = Pagination::new(1, idx.listed.len(), page_size, "/", "/spaces/");
                (
                    fmt.meta(
                        "",
                        &site.config.title,
                        &site.config.description,
                        "home",
                        vec![],
                    ),
                    vec![(
                        "home",
                        v(&HomeView {
                            cards: cards_of(&idx.listed[pagination.range()]),
                            pagination,
                            space_count: idx.listed.len(),
                            regions: fmt.region_terms(),
                            categories: fmt.categories(),
                            partnerships: fmt.partnership_summaries(),
                            upcoming_sessions: fmt.occurrence_items(&idx.upcoming).0,
                            search: search_view.expect("built when the home page renders"),
                        }),
                    )],
                )
            }),
        );
        let lists = pages_of(
            "/spaces/",
            idx.listed.len(),
            "spaces.html",
            "content/spaces",
            &mut true,
        );
        for (path, url, pagination) in lists {
            page(
                path,
                "spaces.html",
                "content/spaces".into(),
                Box::new(move || {
                    (
                        fmt.meta(
                            &url,
                            &page_title(&strings_or(strings, "spaces", "Spaces"), &pagination),
                            &site.config.description,
                            "spaces",
                            vec![fmt.home_link()],
                        ),
                        vec![
                            ("cards", v(&cards_of(&idx.listed[pagination.range()]))),
                            ("space_count", v(&idx.listed.len())),
                            ("pagination", v(&pagination)),
                        ],
                    )
                }),
            );
        }
        for (i, s) in site.spaces.iter().enumerate() {
            let path = format!("spaces/{}/index.html", s.slug);
            if !scope.wants(&path) {
                continue;
            }
            let source = s.src.display_path();
            if skip(i, &path, "space.html", &source) {
                continue;
            }
            let card_view = &card_view;
            page(
                path,
                "space.html",
                source,
                Box::new(move || {
                    let desc = s
                        .summary
                        .clone()
                        .unwrap_or_else(|| markdown::excerpt(&s.body, EXCERPT_CHARS));
                    (
                        fmt.meta(
                            &format!("spaces/{}/", s.slug),
                            &s.name,
                            &desc,
                            "spaces",
                            vec![fmt.home_link(), fmt.section_link("spaces")],
                        ),
                        vec![("space", v(&fmt.space(i, card_view(i).clone())))],
                    )
                }),
            );
        }
        page(
            "regions/index.html".into(),
            "regions.html",
            "content/regions.yaml".into(),
            Box::new(move || {
                (
                    section_meta("regions", "Regions"),
                    vec![("regions", v(&fmt.region_terms()))],
                )
            }),
        );
        let mut first_of_kind = true;
        for r in &site.regions {
            let list: &[usize] = idx
                .by_region
                .get(r.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let first_url = format!("/regions/{}/", r.id);
            let lists = pages_of(
                &first_url,
                list.len(),
                "region.html",
                "content/regions.yaml",
                &mut first_of_kind,
            );
            for (path, url, pagination) in lists {
                page(
                    path,
                    "region.html",
                    "content/regions.yaml".into(),
                    Box::new(move || {
                        let desc = r
                            .description
                            .clone()
                            .unwrap_or_else(|| site.config.description.clone());
                        // Later pages show no sessions (region.html).
                        let upcoming_sessions = match idx.region_sessions.get(r.id.as_str()) {
                            Some(l) if pagination.page == 1 => fmt.occurrence_items(l).0,
                            _ => Vec::new(),
                        };
                        (
                            fmt.meta(
                                &url,
                                &page_title(&r.name, &pagination),
                                &desc,
                                "regions",
                                vec![fmt.home_link(), fmt.section_link("regions")],
                            ),
                            vec![(
                                "listing",
                                v(&TermPage {
                                    term: fmt.region_term(r),
                                    cards: cards_of(&list[pagination.range()]),
                                    upcoming_sessions,
                                    pagination,
                                }),
                            )],
                        )
                    }),
                );
            }
        }
        page(
            "amenities/index.html".into(),
            "amenities.html",
            "content/amenities.yaml".into(),
            Box::new(move || {
                (
                    section_meta("amenities", "Amenities"),
                    vec![("categories", v(&fmt.categories()))],
                )
            }),
        );
        let mut first_of_kind = true;
        for a in &site.amenities {
            let list: &[usize] = idx
                .by_amenity
                .get(a.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let first_url = format!("/amenities/{}/", a.id);
            let lists = pages_of(
                &first_url,
                list.len(),
                "amenity.html",
                "content/amenities.yaml",
                &mut first_of_kind,
            );
            for (path, url, pagination) in lists {
                page(
                    path,
                    "amenity.html",
                    "content/amenities.yaml".into(),
                    Box::new(move || {
                        (
                            fmt.meta(
                                &url,
                                &page_title(&a.name, &pagination),
                                &a.description,
                                "amenities",
                                vec![fmt.home_link(), fmt.section_link("amenities")],
                            ),
                            vec![(
                                "listing",
                                v(&TermPage {
                                    term: fmt.amenity_term(a),
                                    cards: cards_of(&list[pagination.range()]),
                                    pagination,
                                    upcoming_sessions: Vec::new(),
                                }),
                            )],
                        )
                    }),
                );
            }
        }
        page(
            "partnerships/index.html".into(),
            "partnerships.html",
            "content/partnerships".into(),
            Box::new(move || {
                (
                    section_meta("partnerships", "Partnerships"),
                    vec![("partnerships", v(&fmt.partnership_summaries()))],
                )
            }),
        );
        page(
            crate::report::PAGE_PATH.into(),
            "partnership-report.html",
            "content/partnerships".into(),
            Box::new(move || {
                let report = crate::report::compute(site, idx, None);
                (
                    fmt.meta(
                        "partnerships/report/",
                        &strings_or(
                            strings,
                            "report_title",
                            "How partnership sessions are spread",
                        ),
                        &site.config.description,
                        "partnerships",
                        vec![fmt.home_link(), fmt.section_link("partnerships")],
                    ),
                    vec![(
                        "report",
                        v(&crate::report::view(site, &report, &|k| fmt.t(k), &|d| {
                            fmt.date(d)
                        })),
                    )],
                )
            }),
        );
        let mut first_of_kind = true;
        for (i, p) in site.partnerships.iter().enumerate() {
            let list = &idx.partnership_spaces[i];
            let first_url = format!("/partnerships/{}/", p.slug);
            let source = p.src.display_path();
            let lists = pages_of(
                &first_url,
                list.len(),
                "partnership.html",
                &source,
                &mut first_of_kind,
            );
            for (path, url, pagination) in lists {
                page(
                    path,
                    "partnership.html",
                    source.clone(),
                    Box::new(move || {
                        let desc = p
                            .summary
                            .clone()
                            .unwrap_or_else(|| markdown::excerpt(&p.body, EXCERPT_CHARS));
                        let mut view = fmt.partnership(i, Vec::new());
                        view.cards = cards_of(&list[pagination.range()]);
                        if pagination.page > 1 {
                            // Later pages show no sessions.
                            view.upcoming_sessions = Vec::new();
                            view.past_sessions = Vec::new();
                        }
                        (
                            fmt.meta(
                                &url,
                                &page_title(&p.name, &pagination),
                                &desc,
                                "partnerships",
                                vec![fmt.home_link(), fmt.section_link("partnerships")],
                            ),
                            vec![("partnership", v(&view)), ("pagination", v(&pagination))],
                        )
                    }),
                );
            }
        }
        page(
            "sessions/index.html".into(),
            "sessions.html",
            "content/sessions".into(),
            Box::new(move || {
                let all: Vec<usize> = (0..site.sessions.len()).collect();
                let (upcoming, past) = fmt.occurrence_items(&all);
                (
                    section_meta("sessions", "Info sessions"),
                    vec![("upcoming", v(&upcoming)), ("past", v(&past))],
                )
            }),
        );
        for (i, s) in site.sessions.iter().enumerate() {
            let path = format!("sessions/{}/index.html", s.slug);
            if !scope.wants(&path) {
                continue;
            }
            let source = s.src.display_path();
            if skip(i, &path, "session.html", &source) {
                continue;
            }
            page(
                path,
                "session.html",
                source,
                Box::new(move || {
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
                }),
            );
        }
        for (i, p) in site.pages.iter().enumerate() {
            let path = format!("{}/index.html", p.slug);
            let source = p.src.display_path();
            if skip(i, &path, "page.html", &source) {
                continue;
            }
            page(
                path,
                "page.html",
                source,
                Box::new(move || {
                    let desc = p
                        .description
                        .clone()
                        .unwrap_or_else(|| markdown::excerpt(&p.body, EXCERPT_CHARS));
                    (
                        fmt.meta(
                            &format!("{}/", p.slug),
                            &p.title,
                            &desc,
                            p.slug.as_str(),
                            vec![fmt.home_link()],
                        ),
                        vec![(
                            "content",
                            v(&FreePage {
                                title: p.title.clone(),
                                body_html: markdown::to_html(&p.body, 2).into(),
                            }),
                        )],
                    )
                }),
            );
        }
        page(
            "404.html".into(),
            "404.html",
            "(theme) 404.html".into(),
            Box::new(move || {
                (
                    fmt.meta(
                        "404.html",
                        &strings_or(strings, "not_found_title", "Page not found"),
                        &site.config.description,
                        "404",
                        vec![],
                    ),
                    vec![],
                )
            }),
        );

        drop(t);
        let sink = out.sink().cloned();
        let render_job = |job: Job| {
            let r = match job.ctx {
                JobCtx::Lazy(values) => {
                    let (meta, values) = values();
                    // Into bytes, sized for a space page at once: `render` would also
                    // check the whole page is UTF-8, which it is by construction.
                    let mut html = Vec::with_capacity(PAGE_BYTES);
                    tera.render_to(job.template, &context(&job.path, meta, values), &mut html)
                        .map(|()| html)
                }
                JobCtx::Skip => Ok(Vec::new()),
            }
            .map_err(|e| template_error(&files, job.template, &job.path, &e))
            .map(|html| match &sink {
                // Written now, from this worker, so the page's bytes are never held.
                Some(sink) => {
                    sink.store(&job.path, &html);
                    (None, html.len())
                }
                None => {
                    let len = html.len();
                    (Some(html), len)
                }
            });
            (job.path, job.source, r)
        };
        let jobs = jobs.into_inner();
        // The calendars and data files go into the shared pool with the pages, so that
        // both cores stay busy until the end: on the audit's thread they made it the last
        // to finish at 100,000 spaces (14 s of work beside 16 s of rendering).
        let side_files = || {
            let mut side = side_out;
            let mut side_diags = Diagnostics::new();
            if whole && side_outputs {
                let t = crate::timing::phase("ical");
                ical::render(site, idx, &mut side, &mut side_diags);
                drop(t);
                let _t = crate::timing::phase("data files");
                data::render(site, idx, &mut side, &mut side_diags);
            }
            (side, side_diags)
        };
        let t = crate::timing::phase("pages");
        let (rendered_pages, side_files): (Vec<_>, _) = rayon::join(
            || jobs.into_par_iter().map(render_job).collect(),
            side_files,
        );
        drop(t);
        let mut rendered: Vec<RenderedPage> = Vec::with_capacity(rendered_pages.len() + 1);
        let mut side = None;
        if let Some(early) = early {
            let neutrality_report = early
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let (side_output, side_diags) = side_files;
            // How spaces are listed: this build's audit, published as a page and as data.
            let neutrality_report = std::sync::Arc::new(neutrality_report);
            let listing_view = neutrality::view(fmt, site, idx, &neutrality_report);
            rendered.push(render_job(Job {
                path: format!("{}/index.html", neutrality::PAGE_SLUG),
                template: "listing-policy.html",
                source: "content/site.yaml".into(),
                ctx: JobCtx::Lazy(Box::new(move || {
                    (
                        fmt.meta(
                            &format!("{}/", neutrality::PAGE_SLUG),
                            &strings_or(strings, "listing_policy_title", "How spaces are listed"),
                            &strings_or(strings, "listing_policy_description", ""),
                            neutrality::PAGE_SLUG,
                            vec![fmt.home_link()],
                        ),
                        vec![("listing", v(&listing_view))],
                    )
                })),
            }));
            side = Some((neutrality_report, side_output, side_diags));
        }
        rendered.extend(rendered_pages);
        for d in card_errors.into_inner().unwrap_or_else(|e| e.into_inner()) {
            diags.push(d);
        }
        let mut html_paths = Vec::new();
        for (path, source, r) in rendered {
            match r {
                Ok((html, len)) => {
                    if path != "404.html" {
                        html_paths.push(path.clone());
                    }
                    match html {
                        Some(html) => out.insert(path, html, source, &mut diags),
                        None => out.insert_written(path, len, source, &mut diags),
                    }
                }
                Err(d) => diags.push(d),
            }
        }
        if let Some((neutrality_report, side_output, side_diags)) = side {
            out.insert(
                "sitemap.xml".into(),
                sitemap(site, &html_paths).into_bytes(),
                "(generated) sitemap",
                &mut diags,
            );
            out.insert(
                "robots.txt".into(),
                robots(site).into_bytes(),
                "(generated) robots.txt",
                &mut diags,
            );
            out.insert(
                crate::audit::REPORT_PATH.into(),
                neutrality_report.to_json(),
                "(generated) neutrality audit",
                &mut diags,
            );
            out.summary = Some(if sample {
                crate::audit::listing_summary(site, idx)
            } else {
                neutrality_report.summary_line()
            });
            out.neutrality = Some(neutrality_report);
            diags.extend(side_diags);
            out.merge(side_output, &mut diags);
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(out)
    })
}

/// Whether a static file at `rel` could take the path of a calendar (`*.ics`), a data
/// file (`data/`) or a feed (`feeds/`): what `ical::render` and `data::render` write.
fn may_collide_with_side_outputs(rel: &str) -> bool {
    rel.starts_with("data/") || rel.starts_with("feeds/") || rel.ends_with(".ics")
}

/// The pages of a list of `total` items whose first page is at `first_url`; one page
/// for an empty list.
fn list_pages(total: usize, size: usize, first_url: &str) -> Vec<Pagination> {
    let pages = total.div_ceil(size.max(1)).max(1);
    (1..=pages)
        .map(|n| Pagination::new(n, total, size, first_url, first_url))
        .collect()
}

/// The output folder of a list page, relative and ending in `/`: `base` for page 1,
/// `{base}page/{n}/` after.
fn pagination_url(p: &Pagination, base: &str) -> String {
    if p.page == 1 {
        base.to_owned()
    } else {
        format!("{base}page/{}/", p.page)
    }
}

fn v<T: Serialize + ?Sized>(x: &T) -> tera::Value {
    tera::Value::from_serializable(x)
}

fn strings_or(strings: &BTreeMap<String, String>, key: &str, fallback: &str) -> String {
    strings
        .get(key)
        .cloned()
        .unwrap_or_else(|| fallback.to_owned())
}

fn compile(files: &theme::ThemeFiles, diags: &mut Diagnostics) -> Option<Tera> {
    let mut tera = Tera::new();
    // Escape every template, whatever its name: content must never reach HTML raw.
    tera.autoescape_on([""]);
    // Tera's escaping, byte for byte, written a run of text at a time.
    tera.set_escape_fn(theme::escape_html);
    let mut sources = Vec::new();
    for (name, f) in &files.templates {
        match std::str::from_utf8(&f.bytes) {
            Ok(text) => sources.push((name.clone(), text.to_owned())),
            Err(_) => diags.push(
                Diagnostic::error("invalid-utf8", "the template is not valid UTF-8")
                    .in_file(PathBuf::from(&f.source)),
            ),
        }
    }
    for name in TEMPLATES {
        if !files.templates.contains_key(*name) {
            diags.push(
                Diagnostic::error(
                    "missing-template",
                    format!("the theme has no `{name}` template"),
                )
                .in_file(PathBuf::from("themes"))
                .help("add it to your theme or remove the theme's override folder"),
            );
        }
    }
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let name = files
            .templates
            .keys()
            .find(|k| e.to_string().contains(k.as_str()))
            .cloned()
            .unwrap_or_else(|| "base.html".into());
        diags.push(template_error(files, &name, "compiling the theme", &e));
        return None;
    }
    tera.autoescape_on([""]);
    Some(tera)
}

fn template_error(
    files: &theme::ThemeFiles,
    template: &str,
    doing: &str,
    e: &tera::Error,
) -> Diagnostic {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    let path = files
        .templates
        .get(template)
        .map(|f| f.source.clone())
        .unwrap_or_else(|| format!("themes/…/templates/{template}"));
    Diagnostic::error(
        "template",
        format!("template error while rendering {doing}"),
    )
    .in_file(PathBuf::from(path))
    .label(msg)
    .help("fix the template; content is never evaluated as a template")
}

fn sitemap(site: &Site, html_paths: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&String> = html_paths.iter().collect();
    paths.sort();
    for p in paths {
        let url = p.strip_suffix("index.html").unwrap_or(p);
        // No <priority> and no <changefreq>: they would rank listings.
        s.push_str("  <url><loc>");
        s.push_str(&xml_escape(&format!("{}{url}", site.config.base_url)));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    )
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// JSON for a `<script>` element: `<`, `>` and `&` escaped so no string can close it.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_json_cannot_close_the_script() {
        let s = super::script_json(&"</script><script>alert(1)</script>&");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "</script><script>alert(1)</script>&");
    }
}
