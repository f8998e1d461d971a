//! The pipeline as three calls: [`check`], [`render`] and [`build`].
//!
//! This module composes the steps and owns none of them. Everything up to the rendered
//! output happens in memory; only [`build`] touches the disk: it gives `render` a
//! [`write::Staging`] folder as the [`Output`]'s sink, so each file is written as it is
//! rendered, and swaps the new site in only after every page rendered. `serve` calls
//! [`render`] and keeps the [`Output`] in memory.

use std::path::Path;
use std::sync::Arc;

use crate::error::{Diagnostics, Error, Result};
use crate::model::Site;
use crate::{index, load, render, validate, write};

// Where the binary, `serve` and the tests have always found them.
pub use crate::options::Options;
pub use crate::output::{Output, OutputFile};

/// What the preview server keeps between rebuilds: the parse of every content file,
/// reused while the file is unchanged (see [`load::load_cached`]).
#[derive(Default)]
pub struct Cache {
    load: load::LoadCache,
}

impl Cache {
    /// Forgets the file or folder at `path` (under the site root's `content/`), so the
    /// next build reads it again even if it looks unchanged.
    pub fn invalidate(&mut self, path: &Path) {
        self.load.invalidate(path);
    }
}

/// Loads and validates: the model and every problem found (warnings included).
pub fn check(opts: &Options) -> Result<(Option<Site>, Diagnostics)> {
    let t = crate::timing::phase("load");
    let loaded = load::load(&opts.root)?;
    drop(t);
    check_loaded(opts, loaded)
}

fn check_loaded(
    opts: &Options,
    (loaded, diags): (load::Loaded, Diagnostics),
) -> Result<(Option<Site>, Diagnostics)> {
    let (site, diags) = validate_loaded(opts, &loaded, diags);
    loaded.free();
    let diags = match &site {
        Some(site) => lint(opts, site, diags),
        None => diags,
    };
    Ok((site, diags))
}

/// Validates, and turns `REPLACE:` placeholders left by `hotdesk new` into errors that
/// explain themselves: every error of [`check`], without the lints (warnings only).
fn validate_loaded(
    opts: &Options,
    loaded: &load::Loaded,
    diags: Diagnostics,
) -> (Option<Site>, Diagnostics) {
    let t = crate::timing::phase("placeholders");
    let texts = crate::scaffold::placeholders::sources(loaded, &diags);
    drop(t);
    let t = crate::timing::phase("validate");
    let (mut site, diags) = validate::validate(loaded, diags);
    if let (Some(site), Some(url)) = (&mut site, &opts.base_url) {
        site.config.base_url = url.clone();
    }
    drop(t);
    // Placeholders only drop errors on their own lines, never a warning, so running
    // this before the lints gives what running it after them would.
    let _t = crate::timing::phase("placeholders");
    (site, crate::scaffold::placeholders::check(&texts, diags))
}

/// Adds the lints of a valid model: warnings about content that is valid but probably
/// not what was meant (see crate::lint and crate::report).
fn lint(opts: &Options, site: &Site, mut diags: Diagnostics) -> Diagnostics {
    let _t = crate::timing::phase("lint");
    // Independent passes over the finished model: one on each core.
    let (lints, report) = rayon::join(
        || crate::lint::lint(site, opts.now),
        || crate::report::lint(site, opts.now),
    );
    diags.extend(lints);
    diags.extend(report);
    diags
}

/// Loads, validates and renders the whole site in memory. `Err(Error::Invalid)` carries
/// every problem when there is at least one error; warnings come back with the output.
pub fn render(opts: &Options) -> Result<(Output, Diagnostics)> {
    render_with(opts, render::render_into, Output::default())
}

/// What `hotdesk check` runs: [`render`], but rendering a sample of the pages
/// ([`render::render_sample`]): the theme compiles, every card, the home page, every
/// section page and the first page of each repeated kind (space, region, amenity,
/// partnership, session, free page) render, the data files, calendars, search index and
/// neutrality audit are computed, and every output path is claimed, so template errors
/// in each template and output collisions are caught without rendering thousands of
/// near-identical pages. The returned output is not a site: skipped pages are empty.
pub fn render_check(opts: &Options) -> Result<(Output, Diagnostics)> {
    render_with(
        opts,
        |s, i, o, _| render::render_sample(s, i, o),
        Output::default(),
    )
}

type Renderer =
    fn(&Site, &index::Index, &Options, Output) -> std::result::Result<Output, Diagnostics>;

/// A valid site and its index, or `Err(Error::Invalid)` with every problem. The start of
/// every command that needs the whole directory (render, audit, report).
pub fn validated(opts: &Options) -> Result<(Site, index::Index, Diagnostics)> {
    let t = crate::timing::phase("load");
    let (loaded, diags) = load::load(&opts.root)?;
    drop(t);
    let unlinted = unlinted(opts, &loaded, diags);
    loaded.free();
    Ok(unlinted?.lint(opts))
}

/// A valid site whose lints are still to run: what the preview server renders the open
/// pages from before anything else.
pub struct Unlinted {
    pub site: Site,
    pub idx: index::Index,
    diags: Diagnostics,
}

impl Unlinted {
    /// Runs the lints: the model, index and diagnostics of [`validated`].
    pub fn lint(self, opts: &Options) -> (Site, index::Index, Diagnostics) {
        let diags = lint(opts, &self.site, self.diags);
        (self.site, self.idx, diags)
    }
}

/// [`validated`] without the lints (they only ever warn), re-reading only the content
/// files changed since `cache` saw them. On error, every problem, lints included.
pub fn validated_cached(opts: &Options, cache: &mut Cache) -> Result<Unlinted> {
    let t = crate::timing::phase("load");
    let (loaded, diags) = load::load_cached(&opts.root, &mut cache.load)?;
    drop(t);
    let unlinted = unlinted(opts, &loaded, diags);
    cache.load.restore(loaded);
    unlinted
}

/// Validates what was loaded and indexes a valid site; on error, every problem, lints
/// included.
fn unlinted(opts: &Options, loaded: &load::Loaded, diags: Diagnostics) -> Result<Unlinted> {
    match validate_loaded(opts, loaded, diags) {
        (Some(site), diags) if !diags.has_errors() => {
            let _t = crate::timing::phase("index");
            let idx = index::Index::new(&site, opts.now);
            Ok(Unlinted { site, idx, diags })
        }
        (Some(site), diags) => Err(Error::Invalid(lint(opts, &site, diags).sorted())),
        (None, diags) => Err(Error::Invalid(diags.sorted())),
    }
}

/// Renders the whole of a site [`validated`] found `diags` in, in memory.
pub fn render_validated(
    site: &Site,
    idx: &index::Index,
    opts: &Options,
    diags: Diagnostics,
) -> Result<(Output, Diagnostics)> {
    finish(render::render(site, idx, opts), diags)
}

fn render_with(opts: &Options, renderer: Renderer, out: Output) -> Result<(Output, Diagnostics)> {
    let (site, idx, diags) = validated(opts)?;
    finish(renderer(&site, &idx, opts, out), diags)
}

/// A render's outcome with the diagnostics found before it.
fn finish(
    rendered: std::result::Result<Output, Diagnostics>,
    mut diags: Diagnostics,
) -> Result<(Output, Diagnostics)> {
    match rendered {
        Ok(out) => Ok((out, diags.sorted())),
        Err(more) => {
            diags.extend(more);
            Err(Error::Invalid(diags.sorted()))
        }
    }
}

/// Renders into a staging folder beside `output`, each file written as soon as it is
/// rendered, then replaces `output` with the new site in one swap. On any error the
/// staging folder is removed and `output` is left as it was. Another build into the
/// same `output` is waited for (see [`build_with`]).
pub fn build(opts: &Options, output: &Path) -> Result<(Output, Diagnostics)> {
    build_with(opts, output, &mut |_| {})
}

/// [`build`], calling `on_wait` with the lock file's path when another build into
/// `output` holds it, before waiting for that build to end (see [`write`]).
pub fn build_with(
    opts: &Options,
    output: &Path,
    on_wait: &mut dyn FnMut(&Path),
) -> Result<(Output, Diagnostics)> {
    let t = crate::timing::phase("render+write");
    let staging = Arc::new(write::Staging::begin_with(output, on_wait)?);
    let (mut out, diags) = render_with(
        opts,
        render::render_into,
        Output::streaming(staging.clone()),
    )?;
    drop(t);
    let _t = crate::timing::phase("swap");
    out.detach_sink();
    let staging = Arc::try_unwrap(staging).expect("rendering is over: no other owner");
    staging.commit()?;
    Ok((out, diags))
}
