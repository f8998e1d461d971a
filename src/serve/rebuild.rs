//! One rebuild of the preview: validate, render the pages open in a browser first,
//! then the whole site, and publish each as a new [`Snapshot`] (see the module docs of
//! `serve` for the order and why nothing stale is served).
//!
//! It owns the build cache and the order of builds; it neither answers requests nor
//! watches files (`http`, `livereload` and `watch` do), and it reports to the terminal
//! only through [`Event`]s.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Event, EventSink, Shared, Snapshot, base_path_of};
use crate::build::{self, Options, Output};
use crate::error::Error;

/// At most this many open pages are rendered before the rest of the site.
const MAX_FIRST_PAGES: usize = 16;

/// Renders the site and publishes the result, one build at a time.
pub(super) struct Builder {
    pub opts: Options,
    pub shared: Arc<Shared>,
    pub sink: EventSink,
    /// The parse of every unchanged content file. Held for a whole render + publish, so
    /// builds publish in the order they started and an older result never replaces a
    /// newer one.
    pub cache: Mutex<build::Cache>,
}

/// Runs one stage of a rebuild, turning its errors and panics into the text shown in
/// the terminal and the overlay.
fn guarded<T>(stage: impl FnOnce() -> Result<T, Error>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(stage)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(Error::Invalid(diags))) => Err(diags.render()),
        Ok(Err(other)) => Err(format!("error: {other}\n")),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!(
                "error: internal error while building the site (a bug in hotdesk): {what}\n"
            ))
        }
    }
}

impl Builder {
    /// Rebuilds after `changed` (`None`: anything may have changed). When a good site
    /// is being served and browsers have pages of it open, those pages are rendered
    /// and published first (the tabs reload at once), then the whole site, published
    /// under the same generation unless it differs from what the tabs got.
    pub(super) fn rebuild(&self, initial: bool, changed: Option<Vec<PathBuf>>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if self.shared.is_stopping() {
            return;
        }
        match changed {
            Some(paths) => {
                // Theme files are not cached: only content needs forgetting.
                for p in paths.iter().filter(|p| p.starts_with("content")) {
                    cache.invalidate(&self.opts.root.join(p));
                }
            }
            None => *cache = build::Cache::default(),
        }
        let started = Instant::now();
        let validated = guarded(|| build::validated_cached(&self.opts, &mut cache));
        let unlinted = match validated {
            Ok(v) => v,
            Err(diagnostics) => return self.publish(initial, started, None, Err(diagnostics)),
        };
        let (site, idx) = (&unlinted.site, &unlinted.idx);
        let base_path = base_path_of(&site.config.base_url);
        let wanted = self.open_pages();
        let mut first = None;
        if !initial && !wanted.is_empty() && self.shared.snapshot().site.is_some() {
            let t = crate::timing::phase("serve: open pages");
            let pages = guarded(|| {
                crate::render::render_pages(site, idx, &self.opts, &wanted)
                    .map_err(|d| Error::Invalid(d.sorted()))
            });
            drop(t);
            // A failure here is reported by the whole build, with everything else.
            if let Ok(pages) = pages {
                let pages = Arc::new(pages);
                let mut st = self.shared.lock();
                st.snap = Arc::new(Snapshot {
                    generation: st.snap.generation + 1,
                    base_path: Arc::clone(&base_path),
                    site: st.snap.site.clone(),
                    error: None,
                    first: Some(Arc::clone(&pages)),
                });
                drop(st);
                self.shared.changed.notify_all();
                first = Some((pages, started.elapsed()));
            }
        }
        let whole = guarded(|| {
            let (site, idx, diags) = unlinted.lint(&self.opts);
            build::render_validated(&site, &idx, &self.opts, diags)
        })
        .map(|(out, diags)| (out, diags, base_path));
        self.publish(initial, started, first, whole);
    }

    /// The output files of the pages browsers have open (see `livereload::Parked`).
    fn open_pages(&self) -> std::collections::BTreeSet<String> {
        let st = self.shared.lock();
        let mut pages = std::collections::BTreeSet::new();
        for page in st.parked.iter().filter_map(|p| p.page.as_ref()) {
            if pages.len() == MAX_FIRST_PAGES {
                break;
            }
            pages.insert(page.clone());
        }
        pages
    }

    /// Publishes a whole build (or its failure) and reports it. `first`: the pages
    /// published before it, and when.
    fn publish(
        &self,
        initial: bool,
        started: Instant,
        first: Option<(Arc<Output>, Duration)>,
        whole: Result<(Output, crate::error::Diagnostics, Arc<str>), String>,
    ) {
        let elapsed = started.elapsed();
        let mut st = self.shared.lock();
        let event = match whole {
            Ok((out, diags, base_path)) => {
                // The tabs that reloaded after the first pages need not reload again
                // unless the whole build says something else for them.
                let same = first.as_ref().is_some_and(|(pages, _)| {
                    pages
                        .files
                        .iter()
                        .all(|(p, f)| out.get(p) == Some(f.bytes.as_slice()))
                });
                let generation = st.snap.generation + u64::from(!same);
                let event = Event::Built {
                    initial,
                    generation,
                    pages: out.page_count(),
                    files: out.files.len(),
                    elapsed,
                    first: first.map(|(pages, at)| (pages.page_count(), at)),
                    warning_count: diags.warning_count(),
                    warnings: if diags.is_empty() {
                        String::new()
                    } else {
                        diags.render()
                    },
                };
                st.snap = Arc::new(Snapshot {
                    generation,
                    base_path,
                    site: Some(Arc::new(out)),
                    error: None,
                    first: None,
                });
                event
            }
            Err(diagnostics) => {
                let generation = st.snap.generation + 1;
                st.snap = Arc::new(Snapshot {
                    generation,
                    // A failed build keeps the last good site, under its path.
                    base_path: Arc::clone(&st.snap.base_path),
                    site: st.snap.site.clone(),
                    error: Some(Arc::from(diagnostics.as_str())),
                    first: None,
                });
                Event::Failed {
                    initial,
                    generation,
                    elapsed,
                    diagnostics,
                }
            }
        };
        drop(st);
        self.shared.changed.notify_all();
        (self.sink)(event);
    }
}
