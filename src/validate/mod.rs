//! Raw documents → the validated [`model`](crate::model), collecting every problem.
//!
//! Checks here are about meaning, not syntax: ids that must exist, dates that must be
//! dates, URLs that must be safe, opening hours that must parse. Each problem points at
//! the value's own line and column (positions recorded by the YAML scan) and says how to
//! fix it, with "did you mean" where a close match exists. Validation goes on after a
//! problem so that one run reports them all; the model is returned only when there is
//! no error.
//!
//! One file per kind of content file: [`site`], [`vocabulary`] (amenities and regions),
//! [`space`], [`partnership`], [`session`] and [`page`]; each turns a raw document into
//! its model type through the field helper [`at::At`], and checks references against
//! [`known::Known`]. This module runs them in order and assembles the [`Site`]. Nothing
//! here reads files (that is [`crate::load`]) or renders.

mod at;
mod body;
mod known;
mod page;
mod partnership;
mod session;
mod site;
mod space;
mod vocabulary;

use rayon::prelude::*;

use crate::error::Diagnostics;
use crate::load::Loaded;
use crate::model::{Page, Partnership, Site};
use known::Known;

/// Validates everything that loaded; the site is `Some` only when there is no error.
pub(crate) fn validate(loaded: &Loaded, mut diags: Diagnostics) -> (Option<Site>, Diagnostics) {
    let mut known = Known::from_loaded(loaded);

    let config = loaded
        .site
        .as_ref()
        .and_then(|d| site::site_config(d, &mut diags));
    let (categories, amenities) = match &loaded.amenities {
        Some(doc) => {
            let (c, a) = vocabulary::vocabulary(doc, &mut diags);
            known.categories = c.iter().map(|c| c.id.to_string()).collect();
            known.amenities = Some(a.iter().map(|a| a.id.to_string()).collect());
            (c, a)
        }
        None => (Vec::new(), Vec::new()),
    };
    let regions = match &loaded.regions {
        Some(doc) => {
            let r = vocabulary::regions(doc, &mut diags);
            known.regions = Some(r.iter().map(|r| r.id.to_string()).collect());
            r
        }
        None => Vec::new(),
    };

    // Spaces and sessions are checked on every core, each into its own list of
    // problems; the lists are joined in file order, as a single pass would have made them.
    let hours = space::opening_hours_errors(&loaded.spaces);
    let spaces = in_parallel(&loaded.spaces, &mut diags, |e, d| {
        body::check(e, d);
        space::space(e, &known, &hours, d)
    });
    let partnerships: Vec<Partnership> = loaded
        .partnerships
        .iter()
        .filter_map(|e| {
            body::check(e, &mut diags);
            partnership::partnership(e, &known, &mut diags)
        })
        .collect();
    let default_tz = config
        .as_ref()
        .map(|c| (c.time_zone.clone(), c.time_zone_name.clone()));
    let sessions = in_parallel(&loaded.sessions, &mut diags, |e, d| {
        body::check(e, d);
        session::session(e, &known, default_tz.as_ref(), d)
    });
    let pages: Vec<Page> = loaded
        .pages
        .iter()
        .filter_map(|e| {
            body::check(e, &mut diags);
            page::page(e, &mut diags)
        })
        .collect();

    if diags.has_errors() {
        return (None, diags);
    }
    let Some(config) = config else {
        return (None, diags);
    };
    let site = Site {
        config,
        categories,
        amenities,
        regions,
        spaces,
        partnerships,
        sessions,
        pages,
        // Names and shared bytes: cheap to copy.
        statics: loaded.statics.clone(),
    };
    (Some(site), diags)
}

/// `check` over `entries` in parallel; the problems are added to `diags` in entry order.
fn in_parallel<E: Sync, T: Send>(
    entries: &[E],
    diags: &mut Diagnostics,
    check: impl Fn(&E, &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let results: Vec<(Option<T>, Diagnostics)> = entries
        .par_iter()
        .map(|e| {
            let mut d = Diagnostics::new();
            (check(e, &mut d), d)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (item, d) in results {
        diags.extend(d);
        out.extend(item);
    }
    out
}
