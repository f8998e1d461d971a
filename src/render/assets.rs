//! The files copied as they are: the theme's static files under `/assets/`, the content's
//! static files, and the JSON Schemas of the content files.
//!
//! The theme's assets get a content hash in their URLs, so caches stay right; the pages
//! learn those URLs from here. Nothing here renders a template.

use std::collections::BTreeMap;

use super::theme::ThemeFiles;
use crate::error::Diagnostics;
use crate::model::Site;
use crate::output::Output;

/// A theme asset's path under `static/` → its URL with a content hash.
pub(crate) type AssetUrls = BTreeMap<String, String>;

/// Adds the theme's assets (under `assets/`) and the content's static files to `out`,
/// in that order, and returns the assets' URLs.
pub(crate) fn add_statics(
    files: &ThemeFiles,
    site: &Site,
    out: &mut Output,
    diags: &mut Diagnostics,
) -> AssetUrls {
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
            diags,
        );
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
