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
struct Job {
    path: String,
    template: &'static str,
    source: String,
    ctx: Option<Context>,
}

/// Renders every output file.
pub fn render(site: &Site, idx: &Index, opts: &Options) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, false)
}

/// What `check` renders: everything [`render`] does (theme, every card, the search
/// index, the data files, calendars and the neutrality audit), except that of the pages
/// repeated per space, region, amenity, partnership, session and free page only the
/// first of each kind is rendered. Every other page still claims its output path (with
/// empty bytes), so output collisions are reported exactly as by [`render`]; a template
/// error that only one particular space's page (not its card) would hit is left to
/// `build`. The output is for its diagnostics and neutrality report, not for writing.
pub fn render_sample(site: &Site, idx: &Index, opts: &Options) -> Result<Output, Diagnostics> {
    render_with(site, idx, opts, true)
}

fn render_with(
    site: &Site,
    idx: &Index,
    opts: &Options,
    sample: bool,
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

    let mut out = Output::default();
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
    let search_index = crate::search::SearchIndex::build(site, idx);
    let search_files = search_index.to_files();
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
    let cards_of =
        |list: &[usize]| -> Vec<CardHtml> { list.iter().map(|&i| card_html[i].clone()).collect() };

    // Pages in order, rendered later in parallel; `RefCell` so that both `page` and
    // `skip` can add to it.
    let jobs: std::cell::RefCell<Vec<Job>> = std::cell::RefCell::new(Vec::new());
    let jsonld = jsonld::all(site, idx, &strings);
    let make_job = |path: &str,
                    template: &'static str,
                    source: String,
                    mut meta: PageMeta,
                    values: Vec<(&'static str, tera::Value)>| {
        meta.jsonld_html = jsonld.get(path).cloned();
        let mut ctx = Context::new();
        ctx.insert("page", &meta);
        for (k, v) in values {
            ctx.insert_value(k, v);
        }
        Job {
            path: path.to_owned(),
            template,
            source,
            ctx: Some(ctx),
        }
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
                ctx: None,
            });
            true
        } else {
            false
        }
    };

    // Home.
    let listed_cards = cards_of(&idx.listed);
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
                cards: listed_cards.clone(),
                space_count: idx.listed.len(),
                regions: fmt.region_terms(),
                categories: fmt.categories(),
                partnerships: fmt.partnership_summaries(),
                upcoming_sessions: fmt.occurrence_items(&idx.upcoming).0,
                search: search_view,
            }),
        )],
    );
    page(
        "spaces/index.html",
        "spaces.html",
        "content/spaces".into(),
        fmt.meta(
            "spaces/",
            &strings_or(&strings, "spaces", "Spaces"),
            &site.config.description,
            "spaces",
            vec![fmt.home_link()],
        ),
        vec![
            ("cards", v(&listed_cards)),
            ("space_count", v(&idx.listed.len())),
        ],
    );
    for (i, s) in site.spaces.iter().enumerate() {
        if skip(
            i,
            format!("spaces/{}/index.html", s.slug),
            "space.html",
            s.src.display_path(),
        ) {
            continue;
        }
        let desc = s
            .summary
            .clone()
            .unwrap_or_else(|| markdown::excerpt(&s.body, EXCERPT_CHARS));
        page(
            &format!("spaces/{}/index.html", s.slug),
            "space.html",
            s.src.display_path(),
            fmt.meta(
                &format!("spaces/{}/", s.slug),
                &s.name,
                &desc,
                "spaces",
                vec![fmt.home_link(), fmt.section_link("spaces")],
            ),
            vec![("space", v(&fmt.space(i, card_views[i].clone())))],
        );
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
    for (i, r) in site.regions.iter().enumerate() {
        if skip(
            i,
            format!("regions/{}/index.html", r.id),
            "region.html",
            "content/regions.yaml".into(),
        ) {
            continue;
        }
        let list = idx
            .by_region
            .get(r.id.as_str())
            .cloned()
            .unwrap_or_default();
        let term = fmt.region_term(r);
        let desc = r
            .description
            .clone()
            .unwrap_or_else(|| site.config.description.clone());
        page(
            &format!("regions/{}/index.html", r.id),
            "region.html",
            "content/regions.yaml".into(),
            fmt.meta(
                &format!("regions/{}/", r.id),
                &r.name,
                &desc,
                "regions",
                vec![fmt.home_link(), fmt.section_link("regions")],
            ),
            vec![(
                "listing",
                v(&TermPage {
                    term,
                    cards: cards_of(&list),
                    upcoming_sessions: idx
                        .region_sessions
                        .get(r.id.as_str())
                        .map(|l| fmt.occurrence_items(l).0)
                        .unwrap_or_default(),
                }),
            )],
        );
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
    for (i, a) in site.amenities.iter().enumerate() {
        if skip(
            i,
            format!("amenities/{}/index.html", a.id),
            "amenity.html",
            "content/amenities.yaml".into(),
        ) {
            continue;
        }
        let list = idx
            .by_amenity
            .get(a.id.as_str())
            .cloned()
            .unwrap_or_default();
        page(
            &format!("amenities/{}/index.html", a.id),
            "amenity.html",
            "content/amenities.yaml".into(),
            fmt.meta(
                &format!("amenities/{}/", a.id),
                &a.name,
                &a.description,
                "amenities",
                vec![fmt.home_link(), fmt.section_link("amenities")],
            ),
            vec![(
                "listing",
                v(&TermPage {
                    term: fmt.amenity_term(a),
                    cards: cards_of(&list),
                    upcoming_sessions: Vec::new(),
                }),
            )],
        );
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
    for (i, p) in site.partnerships.iter().enumerate() {
        if skip(
            i,
            format!("partnerships/{}/index.html", p.slug),
            "partnership.html",
            p.src.display_path(),
        ) {
            continue;
        }
        let desc = p
            .summary
            .clone()
            .unwrap_or_else(|| markdown::excerpt(&p.body, EXCERPT_CHARS));
        page(
            &format!("partnerships/{}/index.html", p.slug),
            "partnership.html",
            p.src.display_path(),
            fmt.meta(
                &format!("partnerships/{}/", p.slug),
                &p.name,
                &desc,
                "partnerships",
                vec![fmt.home_link(), fmt.section_link("partnerships")],
            ),
            vec![(
                "partnership",
                v(&fmt.partnership(i, cards_of(&idx.partnership_spaces[i]))),
            )],
        );
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
        let desc = markdown::excerpt(&s.body, EXCERPT_CHARS);
        let desc = if desc.is_empty() {
            s.title.clone()
        } else {
            desc
        };
        page(
            &format!("sessions/{}/index.html", s.slug),
            "session.html",
            s.src.display_path(),
            fmt.meta(
                &format!("sessions/{}/", s.slug),
                &s.title,
                &desc,
                "sessions",
                vec![fmt.home_link(), fmt.section_link("sessions")],
            ),
            vec![("session", v(&fmt.session(i)))],
        );
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

    let render_job = |job: Job| {
        let r = match &job.ctx {
            Some(ctx) => tera
                .render(job.template, ctx)
                .map_err(|e| template_error(&files, job.template, &job.path, &e)),
            None => Ok(String::new()),
        };
        (job.path, job.source, r)
    };
    // The neutrality audit (sequential) and the data files and calendars run beside the
    // pages, which render in parallel; their files are added in the same order as before.
    let (neutrality_report, ((side, side_diags), rendered_pages)) = rayon::join(
        || crate::audit::audit_site(site, idx, crate::audit::DEFAULT_DAYS),
        || {
            rayon::join(
                || {
                    let mut side = Output::default();
                    let mut side_diags = Diagnostics::new();
                    ical::render(site, idx, &mut side, &mut side_diags);
                    data::render(site, idx, &mut side, &mut side_diags);
                    (side, side_diags)
                },
                || {
                    jobs.into_inner()
                        .into_par_iter()
                        .map(render_job)
                        .collect::<Vec<_>>()
                },
            )
        },
    );
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
    let rendered: Vec<(String, String, Result<String, Diagnostic>)> =
        std::iter::once(render_job(listing_job))
            .chain(rendered_pages)
            .collect();
    let mut html_paths = Vec::new();
    for (path, source, r) in rendered {
        match r {
            Ok(html) => {
                if path != "404.html" {
                    html_paths.push(path.clone());
                }
                out.insert(path, html.into_bytes(), source, &mut diags);
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
    out.neutrality = Some(neutrality_report);
    diags.extend(side_diags);
    out.merge(side, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
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
