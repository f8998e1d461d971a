//! The search index as the site publishes it, and the search form of the home page.
//!
//! [`crate::search`] builds the index; here its files are added to the output, with a
//! content hash in the index's URL, and its view (the form's labels) is made in the
//! site's language. Data flows one way: render reads `search`, never the reverse.

use std::fmt::Write as _;

use super::assets::AssetUrls;
use super::format::Fmt;
use crate::error::Diagnostics;
use crate::index::Index;
use crate::model::Site;
use crate::output::Output;
use crate::search::{SearchIndex, SearchView};

/// A built index and its files (none when the words were left out).
pub(crate) type Built = (SearchIndex, Vec<(String, Vec<u8>)>);

/// The index with its words (`with_words`), or without them: a sample renders the form
/// but writes no index, so the words (most of the work) are left out.
pub(crate) fn build(site: &Site, idx: &Index, with_words: bool) -> Built {
    let _t = crate::timing::phase("search index");
    if with_words {
        let search_index = SearchIndex::build(site, idx);
        let search_files = search_index.to_files();
        (search_index, search_files)
    } else {
        (SearchIndex::build_without_text(site, idx), Vec::new())
    }
}

/// Adds the index's files to `out` and returns the home page's form and the card id of
/// every space.
pub(crate) fn publish(
    (search_index, search_files): Built,
    site: &Site,
    fmt: &Fmt,
    asset_urls: &AssetUrls,
    out: &mut Output,
    diags: &mut Diagnostics,
) -> (SearchView, Vec<u32>) {
    // From the site's root path: `search.js` finds the root of its result links in it.
    let mut index_url = fmt.urls().href(crate::search::INDEX_PATH);
    let hash = (search_files.first()).map_or(0, |f| crate::neutral::fnv1a32(&f.1));
    let _ = write!(index_url, "?v={hash:08x}");
    let view = search_index.view(
        site,
        fmt.locale(),
        index_url,
        asset_urls.get("js/search.js").cloned().unwrap_or_default(),
    );
    for (path, bytes) in search_files {
        out.insert(path, bytes, "(generated) search index", diags);
    }
    (view, search_index.id_of)
}
