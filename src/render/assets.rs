//! The files copied as they are: the theme's static files under `/assets/`, the content's
//! static files, and the JSON Schemas of the content files.
//!
//! The theme's assets get a content hash in their URLs, so caches stay right; the pages
//! learn those URLs from here. Nothing here renders a template.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::theme::ThemeFiles;
use crate::error::Diagnostics;
use crate::model::Site;
use crate::output::Output;
use crate::urls::Urls;

/// A theme asset's path under `static/` → its link with a content hash.
pub(crate) type AssetUrls = BTreeMap<String, String>;

/// Adds the theme's assets (under `assets/`) and the content's static files to `out`,
/// in that order, and returns the assets' links (from the site's root path).
pub(crate) fn add_statics(
    files: &ThemeFiles,
    site: &Site,
    urls: &Urls,
    out: &mut Output,
    diags: &mut Diagnostics,
) -> AssetUrls {
    let mut asset_urls = BTreeMap::new();
    for (rel, f) in &files.statics {
        let path = format!("assets/{rel}");
        let mut url = urls.href(&path);
        let hash = crate::neutral::seed_from_str(&String::from_utf8_lossy(&f.bytes));
        let _ = write!(url, "?v={hash:08x}");
        asset_urls.insert(rel.clone(), url);
        out.insert(path, f.bytes.clone(), f.source.clone(), diags);
    }
    for s in &site.statics {
        out.insert(
            s.rel.clone(),
            s.bytes.as_ref().clone(),
            crate::source::display_path(&s.path),
            diags,
        );
    }
    asset_urls
}

/// The JSON Schemas of the content files, for editors and tools (see crate::schema).
pub(crate) fn add_schemas(out: &mut Output, diags: &mut Diagnostics) {
    for s in crate::schema::schemas() {
        let path = format!("schema/{}", s.name);
        out.insert(path, s.text.into_bytes(), "(built-in schemas)", diags);
    }
}
