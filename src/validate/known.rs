//! What a reference may point at: the ids of every vocabulary, space, partnership and
//! static file, gathered before any file that refers to them is checked.
//!
//! A vocabulary that did not load is `None`, so that references to it are not reported a
//! second time; a space or partnership counts by its file name, parsed or not.

use std::collections::BTreeSet;

use crate::load::Loaded;
use crate::model::SpaceStatus;

/// Ids of the vocabularies, when their files loaded.
#[derive(Default)]
pub(super) struct Known {
    pub(super) regions: Option<BTreeSet<String>>,
    pub(super) amenities: Option<BTreeSet<String>>,
    pub(super) categories: BTreeSet<String>,
    pub(super) spaces: BTreeSet<String>,
    pub(super) active_spaces: BTreeSet<String>,
    pub(super) partnerships: BTreeSet<String>,
    pub(super) statics: BTreeSet<String>,
}

impl Known {
    /// The spaces, partnerships and static files of `loaded`; the vocabularies are added
    /// as they are validated.
    pub(super) fn from_loaded(loaded: &Loaded) -> Self {
        let closed: BTreeSet<&str> = loaded
            .spaces
            .iter()
            .filter(|e| e.doc.raw.status == SpaceStatus::Closed)
            .map(|e| e.slug.as_str())
            .collect();
        Known {
            spaces: loaded.slugs.get("spaces").cloned().unwrap_or_default(),
            // A space whose file did not parse counts as open: no second error about it.
            active_spaces: loaded
                .slugs
                .get("spaces")
                .into_iter()
                .flatten()
                .filter(|slug| !closed.contains(slug.as_str()))
                .cloned()
                .collect(),
            partnerships: loaded
                .slugs
                .get("partnerships")
                .cloned()
                .unwrap_or_default(),
            statics: loaded.statics.iter().map(|s| s.rel.clone()).collect(),
            ..Known::default()
        }
    }
}
