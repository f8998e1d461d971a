//! The vocabularies: `content/amenities.yaml` (categories and amenities) and
//! `content/regions.yaml` → the model's [`Category`], [`Amenity`] and [`Region`] lists.
//!
//! Their ids are what spaces, sessions and partnerships refer to, so each must be a slug
//! and given once; a category's parents must not form a loop. The references *to* these
//! ids are checked where they are made, against [`super::known::Known`].

use std::collections::{BTreeMap, BTreeSet};

use super::at::At;
use crate::error::Diagnostics;
use crate::load::Doc;
use crate::model::{Amenity, Category, Region, Slug};
use crate::raw::{RawAmenities, RawAmenity, RawCategory, RawRegion, RawRegions};

fn check_ids<'a>(
    at: &mut At,
    list: &str,
    ids: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        let path = format!("{list}.{i}.id");
        if !crate::load::is_slug(id) {
            at.error(&path, "bad-id", format!("`{id}` is not a valid id"))
                .help = Some(format!(
                "use lowercase letters, digits and single hyphens, e.g. `{}`",
                crate::load::suggest_slug(id)
            ));
        } else if let Some(first) = seen.get(id) {
            let line = at
                .src
                .line_col(at.pos.value(&format!("{list}.{first}.id")).start)
                .0;
            at.error(&path, "duplicate-id", format!("id `{id}` is used twice"))
                .label = Some(format!("first used on line {line}"));
        } else {
            seen.insert(id.to_owned(), i);
        }
    }
    seen
}

pub(super) fn vocabulary(
    doc: &Doc<RawAmenities>,
    diags: &mut Diagnostics,
) -> (Vec<Category>, Vec<Amenity>) {
    let mut at = At::of(doc, diags);
    let cats = check_ids(
        &mut at,
        "categories",
        doc.raw.categories.iter().map(|c| c.id.as_str()),
    );
    let cat_ids: BTreeSet<String> = cats.keys().cloned().collect();
    let mut categories = Vec::new();
    for (i, RawCategory { id, name, parent }) in doc.raw.categories.iter().enumerate() {
        at.required_text(&format!("categories.{i}.name"), name);
        if let Some(p) = parent {
            let path = format!("categories.{i}.parent");
            if p == id {
                at.error(
                    &path,
                    "category-cycle",
                    format!("category `{id}` cannot be its own parent"),
                );
            } else {
                at.reference(&path, p, "category", "content/amenities.yaml", &cat_ids);
            }
        }
        categories.push(Category {
            id: Slug::new_unchecked(id),
            name: name.trim().to_owned(),
            parent: parent.as_ref().map(Slug::new_unchecked),
        });
    }
    // A parent chain must end: walk each one at most `len` steps.
    for (i, c) in categories.iter().enumerate() {
        let mut cur = c.parent.clone();
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > categories.len() {
                at.error(
                    &format!("categories.{i}.parent"),
                    "category-cycle",
                    format!("the parents of category `{}` form a loop", c.id),
                );
                break;
            }
            cur = categories
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.parent.clone());
        }
    }
    check_ids(
        &mut at,
        "amenities",
        doc.raw.amenities.iter().map(|a| a.id.as_str()),
    );
    let mut amenities = Vec::new();
    for (
        i,
        RawAmenity {
            id,
            name,
            description,
            category,
        },
    ) in doc.raw.amenities.iter().enumerate()
    {
        at.required_text(&format!("amenities.{i}.name"), name);
        at.reference(
            &format!("amenities.{i}.category"),
            category,
            "category",
            "content/amenities.yaml",
            &cat_ids,
        );
        amenities.push(Amenity {
            id: Slug::new_unchecked(id),
            name: name.trim().to_owned(),
            description: description.trim().to_owned(),
            category: Slug::new_unchecked(category),
        });
    }
    (categories, amenities)
}

pub(super) fn regions(doc: &Doc<RawRegions>, diags: &mut Diagnostics) -> Vec<Region> {
    let mut at = At::of(doc, diags);
    check_ids(
        &mut at,
        "regions",
        doc.raw.regions.iter().map(|r| r.id.as_str()),
    );
    doc.raw
        .regions
        .iter()
        .enumerate()
        .map(
            |(
                i,
                RawRegion {
                    id,
                    name,
                    kind,
                    description,
                },
            )| {
                at.required_text(&format!("regions.{i}.name"), name);
                Region {
                    id: Slug::new_unchecked(id),
                    name: name.trim().to_owned(),
                    kind: *kind,
                    description: description.clone(),
                }
            },
        )
        .collect()
}
