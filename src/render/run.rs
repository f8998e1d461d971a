//! Executing a plan: each job's values are built and its template rendered, in
//! parallel, and the page goes to the output's sink at once or stays in memory.
//!
//! With a sink (`build`) a page is handed over from the worker that rendered it, so its
//! bytes are never held; only its path and size come back. This module decides nothing
//! about which pages exist (see [`super::plan`]) nor where they end up (see
//! [`crate::output`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera};

use super::plan::{Job, JobCtx, Values};
use super::templates::template_error;
use super::theme::ThemeFiles;
use super::view::PageMeta;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{Output, Sink};

/// A rendered page: path, source, and its HTML (`None` once handed to the sink) and size.
pub(crate) type RenderedPage = (String, String, Result<(Option<Vec<u8>>, usize), Diagnostic>);

/// The buffer a page is rendered into starts this large: a space page (~11 KB) fits.
const PAGE_BYTES: usize = 16 * 1024;

/// What every job renders with.
pub(crate) struct Runner<'a> {
    pub(crate) tera: &'a Tera,
    pub(crate) files: &'a ThemeFiles,
    /// Output path → the page's JSON-LD (see [`super::jsonld`]).
    pub(crate) jsonld: &'a BTreeMap<String, String>,
    pub(crate) sink: Option<Arc<dyn Sink>>,
}

impl Runner<'_> {
    /// Renders every job, in parallel, in the plan's order.
    pub(crate) fn all(&self, jobs: Vec<Job>) -> Vec<RenderedPage> {
        jobs.into_par_iter().map(|job| self.one(job)).collect()
    }

    /// Renders one job.
    pub(crate) fn one(&self, job: Job) -> RenderedPage {
        let r = match job.ctx {
            JobCtx::Lazy(values) => {
                let (meta, values) = values();
                // Into bytes, sized for a space page at once: `render` would also
                // check the whole page is UTF-8, which it is by construction.
                let mut html = Vec::with_capacity(PAGE_BYTES);
                self.tera
                    .render_to(
                        job.template,
                        &self.context(&job.path, meta, values),
                        &mut html,
                    )
                    .map(|()| html)
            }
            JobCtx::Skip => Ok(Vec::new()),
        }
        .map_err(|e| template_error(self.files, job.template, &job.path, &e))
        .map(|html| match &self.sink {
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
    }

    fn context(&self, path: &str, mut meta: PageMeta, values: Values) -> Context {
        meta.jsonld_html = self.jsonld.get(path).cloned();
        let mut ctx = Context::new();
        ctx.insert("page", &meta);
        for (k, v) in values {
            ctx.insert_value(k, v);
        }
        ctx
    }
}

/// Claims every rendered page in `out`, in order (a template error becomes a
/// diagnostic), and returns the paths of the pages the sitemap lists.
pub(crate) fn claim(
    out: &mut Output,
    rendered: Vec<RenderedPage>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut html_paths = Vec::new();
    for (path, source, r) in rendered {
        match r {
            Ok((html, len)) => {
                if path != "404.html" {
                    html_paths.push(path.clone());
                }
                match html {
                    Some(html) => out.insert(path, html, source, diags),
                    None => out.insert_written(path, len, source, diags),
                }
            }
            Err(d) => diags.push(d),
        }
    }
    html_paths
}
