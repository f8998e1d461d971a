//! The pipeline as three calls: [`check`], [`render`] and [`build`].
//!
//! Everything up to the rendered output happens in memory; only [`build`] touches the
//! disk, through [`crate::write`], and only after every page rendered. `serve` calls
//! [`render`] and keeps the [`Output`] in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::model::Site;
use crate::{index, load, render, validate, write};

/// What every pipeline command needs to know.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder holding `content/` and `themes/`.
    pub root: PathBuf,
    /// The build's "now": splits sessions into upcoming and past, and seeds the daily
    /// order. Fixed with `--now` for reproducible builds.
    pub now: Timestamp,
    /// Replaces `base_url` of site.yaml (`--base-url` of `build` and `serve`), already
    /// checked as site.yaml's is; `None` keeps site.yaml's.
    pub base_url: Option<url::Url>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>, now: Timestamp) -> Self {
        Options {
            root: root.into(),
            now,
            base_url: None,
        }
    }
}

/// One file of the output and what produced it.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Empty once written to a [`write::Staging`] (see [`Output::streaming`]).
    pub bytes: Arc<Vec<u8>>,
    /// The file's size in bytes.
    pub len: usize,
    /// The content or theme file it came from (for collision errors).
    pub source: String,
}

/// The whole site in memory: output path (`/`-separated, relative, e.g.
/// `spaces/harbour-hub/index.html`) → bytes.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub files: BTreeMap<String, OutputFile>,
    /// The neutrality audit of this build (also in the files as `data/neutrality.json`),
    /// for the one-line listing summary of `build` and `check`.
    pub neutrality: Option<Arc<crate::audit::NeutralityReport>>,
    /// The one-line listing summary `build` and `check` print (with the audit's verdict
    /// after a full render; without it after `check`'s sample).
    pub summary: Option<String>,
    /// Where files go as they are added, for `build`; `None` keeps them in memory (for
    /// `serve`, `check` and tests).
    pub sink: Option<Arc<write::Staging>>,
}

impl Output {
    /// An empty output that writes every file into `staging` as it is added, keeping
    /// only paths and sizes in memory.
    pub fn streaming(staging: Arc<write::Staging>) -> Self {
        Output {
            sink: Some(staging),
            ..Output::default()
        }
    }

    /// Adds a file; two sources writing one path is a content error naming both.
    pub fn insert(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        source: impl Into<String>,
        diags: &mut Diagnostics,
    ) {
        let len = bytes.len();
        let bytes = match &self.sink {
            Some(sink) => {
                sink.put_or_remember(&path, &bytes);
                Vec::new()
            }
            None => bytes,
        };
        self.claim(path, bytes, len, source, diags);
    }

    /// Records a file of `len` bytes already written to this output's sink.
    pub fn insert_written(
        &mut self,
        path: String,
        len: usize,
        source: impl Into<String>,
        diags: &mut Diagnostics,
    ) {
        self.claim(path, Vec::new(), len, source, diags);
    }

    fn claim(
        &mut self,
        path: String,
        bytes: Vec<u8>,
        len: usize,
        source: impl Into<String>,
        diags: &mut Diagnostics,
    ) {
        let source = source.into();
        if let Some(existing) = self.files.get(&path) {
            diags.push(
                Diagnostic::error(
                    "output-collision",
                    format!("`{}` and `{}` would both write /{path}", existing.source, source),
                )
                .in_file(PathBuf::from(&source))
                .help("rename one of them: each page, static file and generated page needs its own path"),
            );
            return;
        }
        self.files.insert(
            path,
            OutputFile {
                bytes: Arc::new(bytes),
                len,
                source,
            },
        );
    }

    /// Adds every file of `other` (in path order), reporting collisions as [`Self::insert`].
    pub fn merge(&mut self, other: Output, diags: &mut Diagnostics) {
        for (path, mut file) in other.files {
            if let Some(existing) = self.files.get(&path) {
                diags.push(
                    Diagnostic::error(
                        "output-collision",
                        format!(
                            "`{}` and `{}` would both write /{path}",
                            existing.source, file.source
                        ),
                    )
                    .in_file(PathBuf::from(&file.source))
                    .help("rename one of them: each page, static file and generated page needs its own path"),
                );
                continue;
            }
            if let Some(sink) = &self.sink
                && file.bytes.len() == file.len
            {
                sink.put_or_remember(&path, &file.bytes);
                file.bytes = Arc::new(Vec::new());
            }
            self.files.insert(path, file);
        }
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|f| f.bytes.as_slice())
    }

    /// Number of HTML pages.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(|f| f.len).sum()
    }
}

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
    drop(t);
    if let (Some(site), Some(url)) = (&mut site, &opts.base_url) {
        site.config.base_url = url.clone();
    }
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
/// staging folder is removed and `output` is left as it was.
pub fn build(opts: &Options, output: &Path) -> Result<(Output, Diagnostics)> {
    let t = crate::timing::phase("render+write");
    let staging = Arc::new(write::Staging::begin(output)?);
    let (mut out, diags) = render_with(
        opts,
        render::render_into,
        Output::streaming(staging.clone()),
    )?;
    drop(t);
    let _t = crate::timing::phase("swap");
    out.sink = None;
    let staging = Arc::try_unwrap(staging).expect("rendering is over: no other owner");
    staging.commit()?;
    Ok((out, diags))
}
