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
pub mod theme;
pub mod view;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::build::{Options, Output};
use crate::error::{Diagnostic, Diagnostics};
use crate::index::Index;
use crate::model::*;
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

/// One page to render: where it goes, with which template and values (`None`: a page
/// [`render_sample`] skips, which still claims its path, empty).
struct Job<'a> {
    path: String,
    template: &'static str,
    source: String,
    ctx: JobCtx<'a>,
}

/// What a page is rendered with. Pages repeated per space or session build their values
/// only when they render, inside the parallel loop: building 10,000 contexts first,
/// one after the other, was a third of the build, and holding them all at once cost
/// memory for nothing.
enum JobCtx<'a> {
    Ready(Context),
    Lazy(LazyValues<'a>),
    /// A page [`render_sample`] skips: it claims its path, empty.
    Skip,
}

/// A rendered page: path, source, and its HTML (`None` once written to the sink) and size.
type RenderedPage = (String, String, Result<(Option<String>, usize), Diagnostic>);

type LazyValues<'a> =
    Box<dyn Fn() -> (PageMeta, Vec<(&'static str, tera::Value)>) + Send + Sync + 'a>;

/// Renders every output file, in memory.
pub fn render(site: &Site, idx: &Index, opts: &Options) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, false, Output::default())
}

/// Renders every output file into `out` (which may write them as they come, see
/// [`Output::streaming`]).
pub fn render_into(
    site: &Site,
    idx: &Index,
    opts: &Options,
    out: Output,
) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, false, out)
}

/// What `check` renders: everything [`render`] does (theme, every card, the search
/// index, the data files, calendars and the neutrality audit), except that of the pages
/// repeated per space, region, amenity, partnership, session and free page only the
/// first of each kind is rendered. Every other page still claims its output path (with
/// empty bytes), so output collisions are reported exactly as by [`render`]; a template
/// error that only one particular space's page (not its card) would hit is left to
/// `build`. The output is for its diagnostics and neutrality report, not for writing.
pub fn render_sample(site: &Site, idx: &Index, opts: &Options) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, true, Output::default())
}

fn render_with(
    site: &Site,
    idx: &Index,
    opts: &Options,
    sample: bool,
    mut out: Output,
) -> Result<Output, Diagnostics> {
    let mut diags = Diagnostics::new();
    let files = theme::gather(&opts.root, &site.config.theme, &mut diags);
    let strings = theme::strings(&files, &site.config.language, &mut diags);
    let tera = compile(&files, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let mut tera = tera.expect("no error means the templates compiled");
    let fmt = Fmt::new(site, idx, &strings);
    // The neutrality audit, the calendars and the data files need only the model: they
    // start now on a thread of their own and run beside everything below (search
    // index, cards, pages), so that both cores stay busy from here to the end.
    let side_sink = out.sink.clone();
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
        let early = threads.spawn(move || {
            // On a one-thread pool of its own: in the shared pool its parallel parts
            // queued behind the pages and it finished last (1.0 s of wall time for
            // 0.2 s of work at 10,000 spaces); here it runs beside them from the start.
            let work = move || {
                let neutrality_report = {
                    let _t = crate::timing::phase("audit");
                    crate::audit::audit_site(site, idx, audit_days)
                };
                let mut side = Output {
                    sink: side_sink,
                    ..Output::default()
                };
                let mut side_diags = Diagnostics::new();
                if side_outputs {
                    let t = crate::timing::phase("ical");
                    ical::render(site, idx, &mut side, &mut side_diags);
                    drop(t);
                    let t = crate::timing::phase("data files");
                    data::render(site, idx, &mut side, &mut side_diags);
                    drop(t);
                }
                (neutrality_report, side, side_diags)
            };
            match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                Ok(pool) => pool.install(work),
                Err(_) => work(),
            }
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
        // The search index (see crate::search), with a content hash in its URL.
        // The search index and the JSON-LD of every page are independent: built side by side.
        let ((search_index, search_files), jsonld) = rayon::join(
            || {
                let _t = crate::timing::phase("search index");
                let search_index = crate::search::SearchIndex::build(site, idx);
                let search_files = search_index.to_files();
                (search_index, search_files)
            },
            || {
                let _t = crate::timing::phase("jsonld");
                jsonld::all(site, idx, &strings)
            },
        );
        let search_view = search_index.view(
            site,
            &fmt,
            format!(
                "/{}?v={:08x}",
                crate::search::INDEX_PATH,
                crate::search::fnv(&search_files[0].1)
            ),
            asset_urls.get("js/search.js").cloned().unwrap_or_default(),
        );
        for (path, bytes) in search_files {
            out.insert(path, bytes, "(generated) search index", &mut diags);
        }
        // The JSON Schemas of the content files, for editors and tools (see crate::schema).
        for s in crate::schema::schemas() {
            let path = format!("schema/{}", s.name);
            out.insert(path, s.text.into_bytes(), "(built-in schemas)", &mut diags);
        }

        let site_view = fmt.site_view(
            asset_urls.get("css/style.css").cloned().unwrap_or_default(),
            asset_urls.get("js/neutral.js").cloned().unwrap_or_default(),
        );
        tera.global_context().insert("site", &site_view);
        tera.global_context().insert("t", &strings);

        // Cards: once per space, in parallel.
        let t = crate::timing::phase("cards");
        let card_views: Vec<CardView> = site.spaces.iter().map(|s| fmt.card(s)).collect();
        let cards: Vec<Result<String, Box<Diagnostic>>> = card_views
            .par_iter()
            .map(|c| {
                let mut ctx = Context::new();
                ctx.insert("card", c);
                tera.render("card.html", &ctx).map_err(|e| {
                    Box::new(template_error(
                        &files,
                        "card.html",
                        &format!("the card of {}", c.slug),
                        &e,
                    ))
                })
            })
            .collect();
        let mut card_html = Vec::with_capacity(cards.len());
        for (i, (c, r)) in card_views.iter().zip(cards).enumerate() {
            match r {
                Ok(html) => card_html.push(CardHtml::new(&CardFields {
                    slug: c.slug.clone(),
                    id: search_index.id_of[i] as usize,
                    card_html: html.trim().to_owned(),
                })),
                Err(d) => {
                    diags.push(*d);
                    return Err(diags);
                }
            }
        }
        drop(t);
        let t = crate::timing::phase("page contexts");
        let cards_of = |list: &[usize]| -> Vec<CardHtml> {
            list.iter().map(|&i| card_html[i].clone()).collect()
        };

        // Pages in order, rendered later in parallel; `RefCell` so that both `page` and
        // `skip` can add to it.
        let jobs: std::cell::RefCell<Vec<Job>> = std::cell::RefCell::new(Vec::new());
        let context = |path: &str, mut meta: PageMeta, values: Vec<(&'static str, tera::Value)>| {
            meta.jsonld_html = jsonld.get(path).cloned();
            let mut ctx = Context::new();
            ctx.insert("page", &meta);
            for (k, v) in values {
                ctx.insert_value(k, v);
            }
            ctx
        };
        let make_job = |path: &str,
                        template: &'static str,
                        source: String,
                        meta: PageMeta,
                        values: Vec<(&'static str, tera::Value)>| Job {
            path: path.to_owned(),
            template,
            source,
            ctx: JobCtx::Ready(context(path, meta, values)),
        };
        let page = |path: &str,
                    template: &'static str,
                    source: String,
                    meta: PageMeta,
                    values: Vec<(&'static str, tera::Value)>| {
            jobs.borrow_mut()
                .push(make_job(path, template, source, meta, values));
        };
        // In a sample (see `render_sample`), the pages after the first of a repeated kind
        // only claim their path.
        let skip = |i: usize, path: String, template: &'static str, source: String| {
            if sample && i > 0 {
                jobs.borrow_mut().push(Job {
                    path,
                    template,
                    source,
                    ctx: JobCtx::Skip,
                });
                true
            } else {
                false
            }
        };

        // Home: the first page of the list of all spaces; the list continues on
        // /spaces/page/2/, … (see `list_pages`).
        let page_size = site.config.listing.page_size;
        let page_title = |title: &str, p: &Pagination| -> String {
            if p.page == 1 {
                title.to_owned()
            } else {
                format!(
                    "{title} ({})",
                    strings_or(&strings, "page_of", "page {n} of {pages}")
                        .replace("{n}", &p.page.to_string())
                        .replace("{pages}", &p.pages.to_string())
                )
            }
        };
        let home_pagination = Pagination::new(1, idx.listed.len(), page_size, "/", "/spaces/");
        page(
            "index.html",
            "index.html",
            "content/site.yaml".into(),
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
                    cards: cards_of(&idx.listed[home_pagination.range()]),
                    pagination: home_pagination,
                    space_count: idx.listed.len(),
                    regions: fmt.region_terms(),
                    categories: fmt.categories(),
                    partnerships: fmt.partnership_summaries(),
                    upcoming_sessions: fmt.occurrence_items(&idx.upcoming).0,
                    search: search_view,
                }),
            )],
        );
        let spaces_title = strings_or(&strings, "spaces", "Spaces");
        for (n, pagination) in list_pages(idx.listed.len(), page_size, "/spaces/") {
            let url = pagination_url(&pagination, "spaces/");
            if skip(
                n - 1,
                format!("{url}index.html"),
                "spaces.html",
                "content/spaces".into(),
            ) {
                continue;
            }
            page(
                &format!("{url}index.html"),
                "spaces.html",
                "content/spaces".into(),
                fmt.meta(
                    &url,
                    &page_title(&spaces_title, &pagination),
                    &site.config.description,
                    "spaces",
                    vec![fmt.home_link()],
                ),
                vec![
                    ("cards", v(&cards_of(&idx.listed[pagination.range()]))),
                    ("space_count", v(&idx.listed.len())),
                    ("pagination", v(&pagination)),
                ],
            );
        }
        for (i, s) in site.spaces.iter().enumerate() {
            if skip(
                i,
                format!("spaces/{}/index.html", s.slug),
                "space.html",
                s.src.display_path(),
            ) {
                continue;
            }
            let (fmt, card_views) = (&fmt, &card_views);
            jobs.borrow_mut().push(Job {
                path: format!("spaces/{}/index.html", s.slug),
                template: "space.html",
                source: s.src.display_path(),
                ctx: JobCtx::Lazy(Box::new(move || {
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
                        vec![("space", v(&fmt.space(i, card_views[i].clone())))],
                    )
                })),
            });
        }
        page(
            "regions/index.html",
            "regions.html",
            "content/regions.yaml".into(),
            fmt.meta(
                "regions/",
                &strings_or(&strings, "regions", "Regions"),
                &site.config.description,
                "regions",
                vec![fmt.home_link()],
            ),
            vec![("regions", v(&fmt.region_terms()))],
        );
        let mut first_of_kind = true;
        for r in &site.regions {
            let list: &[usize] = idx
                .by_region
                .get(r.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let term = fmt.region_term(r);
            let desc = r
                .description
                .clone()
                .unwrap_or_else(|| site.config.description.clone());
            let sessions = idx
                .region_sessions
                .get(r.id.as_str())
                .map(|l| fmt.occurrence_items(l).0)
                .unwrap_or_default();
            let first_url = format!("/regions/{}/", r.id);
            for (_, pagination) in list_pages(list.len(), page_size, &first_url) {
                let url = pagination_url(&pagination, &first_url[1..]);
                if skip(
                    usize::from(!first_of_kind),
                    format!("{url}index.html"),
                    "region.html",
                    "content/regions.yaml".into(),
                ) {
                    continue;
                }
                first_of_kind = false;
                page(
                    &format!("{url}index.html"),
                    "region.html",
                    "content/regions.yaml".into(),
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
                            term: term.clone(),
                            cards: cards_of(&list[pagination.range()]),
                            // Later pages show no sessions (region.html): do not copy them.
                            upcoming_sessions: if pagination.page == 1 {
                                sessions.clone()
                            } else {
                                Vec::new()
                            },
                            pagination,
                        }),
                    )],
                );
            }
        }
        page(
            "amenities/index.html",
            "amenities.html",
            "content/amenities.yaml".into(),
            fmt.meta(
                "amenities/",
                &strings_or(&strings, "amenities", "Amenities"),
                &site.config.description,
                "amenities",
                vec![fmt.home_link()],
            ),
            vec![("categories", v(&fmt.categories()))],
        );
        let mut first_of_kind = true;
        for a in &site.amenities {
            let list: &[usize] = idx
                .by_amenity
                .get(a.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let term = fmt.amenity_term(a);
            let first_url = format!("/amenities/{}/", a.id);
            for (_, pagination) in list_pages(list.len(), page_size, &first_url) {
                let url = pagination_url(&pagination, &first_url[1..]);
                if skip(
                    usize::from(!first_of_kind),
                    format!("{url}index.html"),
                    "amenity.html",
                    "content/amenities.yaml".into(),
                ) {
                    continue;
                }
                first_of_kind = false;
                page(
                    &format!("{url}index.html"),
                    "amenity.html",
                    "content/amenities.yaml".into(),
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
                            term: term.clone(),
                            cards: cards_of(&list[pagination.range()]),
                            pagination,
                            upcoming_sessions: Vec::new(),
                        }),
                    )],
                );
            }
        }
        page(
            "partnerships/index.html",
            "partnerships.html",
            "content/partnerships".into(),
            fmt.meta(
                "partnerships/",
                &strings_or(&strings, "partnerships", "Partnerships"),
                &site.config.description,
                "partnerships",
                vec![fmt.home_link()],
            ),
            vec![("partnerships", v(&fmt.partnership_summaries()))],
        );
        let report = crate::report::compute(site, idx, None);
        page(
            crate::report::PAGE_PATH,
            "partnership-report.html",
            "content/partnerships".into(),
            fmt.meta(
                "partnerships/report/",
                &strings_or(
                    &strings,
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
        );
        let mut first_of_kind = true;
        for (i, p) in site.partnerships.iter().enumerate() {
            let desc = p
                .summary
                .clone()
                .unwrap_or_else(|| markdown::excerpt(&p.body, EXCERPT_CHARS));
            let list = &idx.partnership_spaces[i];
            // The same for every page of the list but its cards.
            let base = fmt.partnership(i, Vec::new());
            let first_url = format!("/partnerships/{}/", p.slug);
            for (_, pagination) in list_pages(list.len(), page_size, &first_url) {
                let url = pagination_url(&pagination, &first_url[1..]);
                if skip(
                    usize::from(!first_of_kind),
                    format!("{url}index.html"),
                    "partnership.html",
                    p.src.display_path(),
                ) {
                    continue;
                }
                first_of_kind = false;
                page(
                    &format!("{url}index.html"),
                    "partnership.html",
                    p.src.display_path(),
                    fmt.meta(
                        &url,
                        &page_title(&p.name, &pagination),
                        &desc,
                        "partnerships",
                        vec![fmt.home_link(), fmt.section_link("partnerships")],
                    ),
                    vec![
                        (
                            "partnership",
                            v(&if pagination.page == 1 {
                                PartnershipView {
                                    cards: cards_of(&list[pagination.range()]),
                                    ..base.clone()
                                }
                            } else {
                                // Later pages show no sessions: do not copy them.
                                PartnershipView {
                                    cards: cards_of(&list[pagination.range()]),
                                    upcoming_sessions: Vec::new(),
                                    past_sessions: Vec::new(),
                                    ..base.clone()
                                }
                            }),
                        ),
                        ("pagination", v(&pagination)),
                    ],
                );
            }
        }
        page(
            "sessions/index.html",
            "sessions.html",
            "content/sessions".into(),
            fmt.meta(
                "sessions/",
                &strings_or(&strings, "sessions", "Info sessions"),
                &site.config.description,
                "sessions",
                vec![fmt.home_link()],
            ),
            {
                let all: Vec<usize> = (0..site.sessions.len()).collect();
                let (upcoming, past) = fmt.occurrence_items(&all);
                vec![("upcoming", v(&upcoming)), ("past", v(&past))]
            },
        );
        for (i, s) in site.sessions.iter().enumerate() {
            if skip(
                i,
                format!("sessions/{}/index.html", s.slug),
                "session.html",
                s.src.display_path(),
            ) {
                continue;
            }
            let fmt = &fmt;
            jobs.borrow_mut().push(Job {
                path: format!("sessions/{}/index.html", s.slug),
                template: "session.html",
                source: s.src.display_path(),
                ctx: JobCtx::Lazy(Box::new(move || {
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
                })),
            });
        }
        for (i, p) in site.pages.iter().enumerate() {
            if skip(
                i,
                format!("{}/index.html", p.slug),
                "page.html",
                p.src.display_path(),
            ) {
                continue;
            }
            let desc = p
                .description
                .clone()
                .unwrap_or_else(|| markdown::excerpt(&p.body, EXCERPT_CHARS));
            page(
                &format!("{}/index.html", p.slug),
                "page.html",
                p.src.display_path(),
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
                        body_html: markdown::to_html(&p.body, 2),
                    }),
                )],
            );
        }
        page(
            "404.html",
            "404.html",
            "(theme) 404.html".into(),
            fmt.meta(
                "404.html",
                &strings_or(&strings, "not_found_title", "Page not found"),
                &site.config.description,
                "404",
                vec![],
            ),
            vec![],
        );

        drop(t);
        let sink = out.sink.clone();
        let render_job = |job: Job| {
            let r = match &job.ctx {
                JobCtx::Ready(ctx) => tera.render(job.template, ctx),
                JobCtx::Lazy(values) => {
                    let (meta, values) = values();
                    tera.render(job.template, &context(&job.path, meta, values))
                }
                JobCtx::Skip => Ok(String::new()),
            }
            .map_err(|e| template_error(&files, job.template, &job.path, &e))
            .map(|html| match &sink {
                // Written now, from this worker, so the page's bytes are never held.
                Some(sink) => {
                    sink.put_or_remember(&job.path, html.as_bytes());
                    (None, html.len())
                }
                None => {
                    let len = html.len();
                    (Some(html), len)
                }
            });
            (job.path, job.source, r)
        };
        let t = crate::timing::phase("pages");
        let rendered_pages: Vec<_> = jobs.into_inner().into_par_iter().map(render_job).collect();
        drop(t);
        let (neutrality_report, side, side_diags) = early
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // How spaces are listed: this build's audit, published as a page and as data.
        let neutrality_report = std::sync::Arc::new(neutrality_report);
        let listing_job = make_job(
            &format!("{}/index.html", neutrality::PAGE_SLUG),
            "listing-policy.html",
            "content/site.yaml".into(),
            fmt.meta(
                &format!("{}/", neutrality::PAGE_SLUG),
                &strings_or(&strings, "listing_policy_title", "How spaces are listed"),
                &strings_or(&strings, "listing_policy_description", ""),
                neutrality::PAGE_SLUG,
                vec![fmt.home_link()],
            ),
            vec![(
                "listing",
                v(&neutrality::view(&fmt, site, idx, &neutrality_report)),
            )],
        );
        let rendered: Vec<RenderedPage> = std::iter::once(render_job(listing_job))
            .chain(rendered_pages)
            .collect();
        let mut html_paths = Vec::new();
        for (path, source, r) in rendered {
            match r {
                Ok((html, len)) => {
                    if path != "404.html" {
                        html_paths.push(path.clone());
                    }
                    match html {
                        Some(html) => out.insert(path, html.into_bytes(), source, &mut diags),
                        None => out.insert_written(path, len, source, &mut diags),
                    }
                }
                Err(d) => diags.push(d),
            }
        }
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
        out.merge(side, &mut diags);
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

/// The pages of a list of `total` items whose first page is at `first_url`: (page
/// number, pagination) for every page; one page for an empty list.
fn list_pages(total: usize, size: usize, first_url: &str) -> Vec<(usize, Pagination)> {
    let pages = total.div_ceil(size.max(1)).max(1);
    (1..=pages)
        .map(|n| (n, Pagination::new(n, total, size, first_url, first_url)))
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
