//! The search form of the home page: what `_search.html` receives as `home.search`, its
//! labels ready to print in the site's language. It reads a built index and the site;
//! it builds nothing and writes no file.

use serde::Serialize;

use crate::locale::Locale;
use crate::model::Site;

use super::{Mode, SearchIndex};

/// What `_search.html` receives as `home.search` (part of the template API, see
/// [`crate::render::view`]). Labels are ready to print; counts are filled in by the script.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    /// Link to the index (from the site's root path), with a content hash; `search.js`
    /// takes the root path of its links from it.
    pub index_url: String,
    /// Link to `js/search.js` (from the site's root path), with a content hash.
    pub script_url: String,
    /// The site's time zone, in which "open now" is evaluated.
    pub time_zone: String,
    /// Currency of the price ranges (e.g. `CAD`), if any space gives a price.
    pub currency: Option<String>,
    /// Facet groups in display order.
    pub groups: Vec<FacetGroupView>,
    /// Localities for "near …", by name.
    pub places: Vec<String>,
    /// Some opening hours are approximate (holidays, dates): say so by "open now".
    pub hours_approximate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetGroupView {
    /// URL parameter and form field name, e.g. `amenity`.
    pub name: String,
    /// `any` or `all`.
    pub mode: String,
    pub legend: String,
    pub options: Vec<FacetOptionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetOptionView {
    pub id: String,
    pub label: String,
}

impl SearchIndex {
    /// The form's contents for the home page.
    pub fn view(
        &self,
        site: &Site,
        fmt: &Locale,
        index_url: String,
        script_url: String,
    ) -> SearchView {
        let label = |facet: &str, id: &str| -> String {
            match facet {
                "region" => site
                    .regions
                    .iter()
                    .find(|r| r.id.as_str() == id)
                    .map_or(id.to_owned(), |r| r.name.clone()),
                "amenity" => site
                    .amenities
                    .iter()
                    .find(|a| a.id.as_str() == id)
                    .map_or(id.to_owned(), |a| a.name.clone()),
                "band" => self.band_label(fmt, id),
                "access" => fmt.t(&id.replace('-', "_")),
                "lang" => Locale::language_name(id),
                "status" => fmt.t(&format!("status_{}", id.replace('-', "_"))),
                _ => fmt.t(&format!("search_flag_{}", id.replace('-', "_"))),
            }
        };
        SearchView {
            index_url,
            script_url,
            time_zone: self.time_zone.clone(),
            currency: self.currency.clone(),
            groups: self
                .facets
                .iter()
                .map(|f| FacetGroupView {
                    name: f.name.to_owned(),
                    mode: match f.mode {
                        Mode::Any => "any",
                        Mode::All => "all",
                    }
                    .to_owned(),
                    legend: fmt.t(&format!("search_facet_{}", f.name)),
                    options: f
                        .options
                        .iter()
                        .map(|(id, _)| FacetOptionView {
                            id: id.clone(),
                            label: label(f.name, id),
                        })
                        .collect(),
                })
                .collect(),
            places: self.places.iter().map(|p| p.name.clone()).collect(),
            hours_approximate: self.schedules.iter().any(|w| w.approximate),
        }
    }

    fn band_label(&self, fmt: &Locale, id: &str) -> String {
        let cur = self.currency.as_deref().unwrap_or("");
        let money = |x: f64| fmt.money(x, cur);
        let t = &self.band_thresholds;
        match (id, t.as_slice()) {
            ("low", [a, ..]) => fmt.t("search_band_under").replace("{price}", &money(*a)),
            ("mid", [a, b]) => fmt
                .t("search_band_between")
                .replace("{low}", &money(*a))
                .replace("{high}", &money(*b)),
            ("high", [.., b]) => fmt.t("search_band_over").replace("{price}", &money(*b)),
            _ => id.to_owned(),
        }
    }
}
