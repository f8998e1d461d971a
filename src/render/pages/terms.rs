//! The pages of the two vocabularies: regions and amenities, each a section page and
//! one paginated list of spaces per term.

use super::super::plan::{Kit, Plan, v};
use super::super::view::TermPage;
use crate::urls::{self, Kind};

/// `/regions/` and `/regions/<id>/` (paginated).
pub(super) fn regions<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let (site, idx, fmt) = (k.site, k.idx, k.fmt);
    plan.page(
        urls::index_file(Kind::Region.folder()),
        "regions.html",
        "content/regions.yaml".into(),
        move || {
            (
                k.section_meta(Kind::Region, "Regions"),
                vec![("regions", v(&fmt.region_terms()))],
            )
        },
    );
    let mut first_of_kind = true;
    for r in &site.regions {
        let list: &[usize] = idx
            .by_region
            .get(r.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let first = urls::folder(Kind::Region, r.id.as_str());
        let lists = plan.lists(
            &first,
            list.len(),
            "region.html",
            "content/regions.yaml",
            &mut first_of_kind,
        );
        for (path, url, pagination) in lists {
            plan.page(
                path,
                "region.html",
                "content/regions.yaml".into(),
                move || {
                    let desc = r
                        .description
                        .clone()
                        .unwrap_or_else(|| site.config.description.clone());
                    // Later pages show no sessions (region.html).
                    let upcoming_sessions = match idx.region_sessions.get(r.id.as_str()) {
                        Some(l) if pagination.page == 1 => fmt.occurrence_items(l).0,
                        _ => Vec::new(),
                    };
                    (
                        fmt.meta(
                            &url,
                            &k.page_title(&r.name, &pagination),
                            &desc,
                            "regions",
                            vec![fmt.home_link(), fmt.section_link(Kind::Region)],
                        ),
                        vec![(
                            "listing",
                            v(&TermPage {
                                term: fmt.region_term(r),
                                cards: k.cards.of(&list[pagination.range()]),
                                upcoming_sessions,
                                pagination,
                            }),
                        )],
                    )
                },
            );
        }
    }
}

/// `/amenities/` and `/amenities/<id>/` (paginated).
pub(super) fn amenities<'a>(plan: &mut Plan<'a>, k: Kit<'a>) {
    let (site, idx, fmt) = (k.site, k.idx, k.fmt);
    plan.page(
        urls::index_file(Kind::Amenity.folder()),
        "amenities.html",
        "content/amenities.yaml".into(),
        move || {
            (
                k.section_meta(Kind::Amenity, "Amenities"),
                vec![("categories", v(&fmt.categories()))],
            )
        },
    );
    let mut first_of_kind = true;
    for a in &site.amenities {
        let list: &[usize] = idx
            .by_amenity
            .get(a.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let first = urls::folder(Kind::Amenity, a.id.as_str());
        let lists = plan.lists(
            &first,
            list.len(),
            "amenity.html",
            "content/amenities.yaml",
            &mut first_of_kind,
        );
        for (path, url, pagination) in lists {
            plan.page(
                path,
                "amenity.html",
                "content/amenities.yaml".into(),
                move || {
                    (
                        fmt.meta(
                            &url,
                            &k.page_title(&a.name, &pagination),
                            &a.description,
                            "amenities",
                            vec![fmt.home_link(), fmt.section_link(Kind::Amenity)],
                        ),
                        vec![(
                            "listing",
                            v(&TermPage {
                                term: fmt.amenity_term(a),
                                cards: k.cards.of(&list[pagination.range()]),
                                pagination,
                                upcoming_sessions: Vec::new(),
                            }),
                        )],
                    )
                },
            );
        }
    }
}
