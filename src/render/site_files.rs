//! The files that need the whole directory, made beside the pages: the neutrality
//! audit, the calendars, the open-data files and feeds, the sitemap and `robots.txt`.
//!
//! The audit runs on a thread of its own from the start; the calendars and data files
//! go into the shared pool with the pages, so that both cores stay busy until the end.
//! None of these files is a template page; the listing-policy page that shows the audit
//! is planned in [`super::pages::listing_policy`].

use crate::audit::NeutralityReport;
use crate::error::Diagnostics;
use crate::index::Index;
use crate::model::Site;
use crate::output::Output;
use crate::urls::{self, Urls};

use super::escape::xml_escape;
use super::plan::Kit;
use super::{data, ical};

/// The sitemap's path, relative to the site root.
const SITEMAP: &str = "sitemap.xml";

/// Whether a static file at `rel` could take the path of a calendar (`*.ics`), a data
/// file (`data/`) or a feed (`feeds/`): what `ical::render` and `data::render` write.
pub(crate) fn may_collide_with_side_outputs(rel: &str) -> bool {
    rel.starts_with("data/") || rel.starts_with("feeds/") || rel.ends_with(".ics")
}

/// The neutrality audit over `days`, on a one-thread pool of its own: in the shared pool
/// its parallel parts queued behind the pages and it finished last (1.0 s of wall time
/// for 0.2 s of work at 10,000 spaces); here it runs beside them from the start.
pub(crate) fn audit_alone(site: &Site, idx: &Index, days: u32) -> NeutralityReport {
    let work = move || {
        let _t = crate::timing::phase("audit");
        crate::audit::audit_site(site, idx, days)
    };
    match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// The calendars and data files, into `side` (an output beside the main one, with its
/// sink), when `wanted`.
pub(crate) fn calendars_and_data(
    site: &Site,
    idx: &Index,
    urls: &Urls,
    mut side: Output,
    wanted: bool,
) -> (Output, Diagnostics) {
    let mut side_diags = Diagnostics::new();
    if wanted {
        let t = crate::timing::phase("ical");
        ical::render(site, idx, urls, &mut side, &mut side_diags);
        drop(t);
        let _t = crate::timing::phase("data files");
        data::render(site, idx, urls, &mut side, &mut side_diags);
    }
    (side, side_diags)
}

/// What the whole site adds after its pages: the sitemap of `html_paths`, `robots.txt`,
/// the audit's report and the listing summary, then the calendars and data files made
/// beside the pages (`side`).
pub(crate) fn finish(
    out: &mut Output,
    k: Kit,
    html_paths: &[String],
    (report, side, side_diags): (std::sync::Arc<NeutralityReport>, Output, Diagnostics),
    sample: bool,
    diags: &mut Diagnostics,
) {
    out.insert(
        SITEMAP.into(),
        sitemap(k.fmt.urls(), html_paths).into_bytes(),
        "(generated) sitemap",
        diags,
    );
    out.insert(
        "robots.txt".into(),
        robots(k.fmt.urls()).into_bytes(),
        "(generated) robots.txt",
        diags,
    );
    out.insert(
        crate::audit::REPORT_PATH.into(),
        report.to_json(),
        "(generated) neutrality audit",
        diags,
    );
    out.summary = Some(if sample {
        crate::audit::listing_summary(k.site, k.idx)
    } else {
        report.summary_line()
    });
    out.neutrality = Some(report);
    diags.extend(side_diags);
    out.merge(side, diags);
}

fn sitemap(urls: &Urls, html_paths: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&String> = html_paths.iter().collect();
    paths.sort();
    for p in paths {
        // No <priority> and no <changefreq>: they would rank listings.
        s.push_str("  <url><loc>");
        s.push_str(&xml_escape(&urls.absolute(urls::folder_of(p))));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// Crawlers read `robots.txt` only at the root of a domain, so a site under a path
/// keeps `Allow: /`: the line that matters is where its sitemap is.
fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.absolute(SITEMAP)
    )
}
