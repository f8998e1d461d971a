//! Long lists are cut into pages of `listing.page_size` cards: every listed space is on
//! exactly one page of each list it belongs to, in the day's neutral order, and the
//! pages link to each other.

use hotdesk::build::{self, Output};

use crate::support::{example_with_page_size, options};

/// The example with lists of `page_size` cards, rendered in memory.
fn example_with_pages(page_size: u32) -> (tempfile::TempDir, Output, hotdesk::index::Index) {
    let dir = example_with_page_size(page_size);
    let opts = options(dir.path());
    let (_, idx, _) = build::validated(&opts).unwrap();
    let (out, _) = build::render(&opts).unwrap();
    (dir, out, idx)
}

fn html(out: &Output, path: &str) -> String {
    String::from_utf8(
        out.get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .to_vec(),
    )
    .unwrap()
}

/// The space slugs of the cards on a page, in order.
fn card_slugs(page: &str) -> Vec<String> {
    let list = page
        .split("<ul class=\"cards\"")
        .nth(1)
        .map(|rest| rest.split("</ul>").next().unwrap_or(""))
        .unwrap_or("");
    list.split("<h3 class=\"card-title\"><a href=\"/spaces/")
        .skip(1)
        .map(|s| s.split('/').next().unwrap().to_owned())
        .collect()
}

/// Follows `rel="next"` from `first` and returns each page's cards.
fn walk(out: &Output, first: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut path = first.to_owned();
    loop {
        let page = html(out, &path);
        pages.push(card_slugs(&page));
        let Some(next) = page
            .split("rel=\"next\"")
            .next()
            .filter(|_| page.contains("rel=\"next\""))
            .and_then(|before| before.rsplit("href=\"").next())
            .and_then(|h| h.split('"').next())
        else {
            break;
        };
        assert!(pages.len() < 100, "pagination loops");
        path = format!("{}index.html", next.trim_start_matches('/'));
    }
    pages
}

fn slugs_of(idx_list: &[usize], out_site: &hotdesk::model::Site) -> Vec<String> {
    idx_list
        .iter()
        .map(|&i| out_site.spaces[i].slug.to_string())
        .collect()
}

#[test]
fn every_listed_space_is_on_exactly_one_page_in_the_neutral_order() {
    let (dir, out, idx) = example_with_pages(3);
    let (site, _, _) = build::validated(&options(dir.path())).unwrap();
    let expected = slugs_of(&idx.listed, &site);
    assert!(
        expected.len() > 6,
        "the example lists enough spaces to need pages"
    );

    let pages = walk(&out, "spaces/index.html");
    assert_eq!(pages.len(), expected.len().div_ceil(3));
    assert!(pages.iter().all(|p| !p.is_empty() && p.len() <= 3));
    assert_eq!(
        pages.concat(),
        expected,
        "the pages, in order, are the whole list"
    );

    // The home page shows the first page and continues on /spaces/page/2/.
    let home = html(&out, "index.html");
    assert_eq!(card_slugs(&home), pages[0]);
    assert!(
        home.contains("href=\"/spaces/page/2/\" rel=\"next\""),
        "{home}"
    );
    assert!(home.contains(&format!("data-pages=\"{}\"", pages.len())));

    // Page 2 links back, says where it is, and is titled as a later page.
    let second = html(&out, "spaces/page/2/index.html");
    assert!(second.contains("href=\"/spaces/\" rel=\"prev\""));
    assert!(second.contains("aria-current=\"page\">2</a>"));
    assert!(second.contains("Spaces 4 to 6 of"), "status line");
    assert!(second.contains("<title>Spaces (page 2 of"), "title");
    assert!(
        second.contains(
            "<link rel=\"canonical\" href=\"https://coworking.example.ca/spaces/page/2/\">"
        ),
        "canonical"
    );
}

#[test]
fn region_amenity_and_partnership_lists_are_cut_the_same_way() {
    let (dir, out, idx) = example_with_pages(2);
    let (site, _, _) = build::validated(&options(dir.path())).unwrap();
    let mut paginated = 0;
    for (id, list) in &idx.by_amenity {
        let pages = walk(&out, &format!("amenities/{id}/index.html"));
        assert_eq!(pages.concat(), slugs_of(list, &site), "amenity {id}");
        assert_eq!(pages.len(), list.len().div_ceil(2).max(1), "amenity {id}");
        paginated += usize::from(pages.len() > 1);
    }
    for (id, list) in &idx.by_region {
        let pages = walk(&out, &format!("regions/{id}/index.html"));
        assert_eq!(pages.concat(), slugs_of(list, &site), "region {id}");
        paginated += usize::from(pages.len() > 1);
    }
    for (i, p) in site.partnerships.iter().enumerate() {
        let list = &idx.partnership_spaces[i];
        let pages = walk(&out, &format!("partnerships/{}/index.html", p.slug));
        assert_eq!(
            pages.concat(),
            slugs_of(list, &site),
            "partnership {}",
            p.slug
        );
        paginated += usize::from(pages.len() > 1);
    }
    assert!(paginated > 5, "some lists span several pages");
    // Sessions are listed on the first page of a region or partnership only.
    for (id, list) in &idx.by_region {
        if list.len() > 2 {
            let first = html(&out, &format!("regions/{id}/index.html"));
            let second = html(&out, &format!("regions/{id}/page/2/index.html"));
            let calendar = format!("href=\"/regions/{id}/sessions.ics\"");
            assert!(first.contains(&calendar), "region {id} page 1");
            assert!(!second.contains(&calendar), "region {id} page 2");
        }
    }
    let (_, p) = site
        .partnerships
        .iter()
        .enumerate()
        .find(|(i, _)| idx.partnership_spaces[*i].len() > 2)
        .expect("a partnership with more than one page of spaces");
    let second = html(&out, &format!("partnerships/{}/page/2/index.html", p.slug));
    let calendar = format!("href=\"/partnerships/{}/sessions.ics\"", p.slug);
    let first = html(&out, &format!("partnerships/{}/index.html", p.slug));
    assert!(first.contains(&calendar));
    assert!(!second.contains(&calendar) && second.contains("rel=\"prev\""));
    // Every page of a list is in the sitemap.
    let sitemap = html(&out, "sitemap.xml");
    assert!(sitemap.contains("/spaces/page/2/</loc>"));
}

#[test]
fn one_page_lists_have_no_pagination() {
    let (_, out, _) = example_with_pages(100);
    assert!(!out.files.keys().any(|k| k.contains("/page/")));
    let home = html(&out, "index.html");
    assert!(!home.contains("class=\"pagination\"") && !home.contains("data-pages"));
}

#[test]
fn a_page_size_of_zero_is_an_error_at_its_line() {
    let dir = example_with_page_size(0);
    let site_yaml = dir.path().join("content/site.yaml");
    let line = std::fs::read_to_string(&site_yaml)
        .unwrap()
        .lines()
        .position(|l| l.contains("page_size: 0"))
        .unwrap()
        + 1;
    let (code, _, stderr) = crate::support::hotdesk(&[
        "check",
        "--root",
        dir.path().to_str().unwrap(),
        "--now",
        "2026-11-25",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("content/site.yaml:{line}:")) && stderr.contains("page_size"),
        "{stderr}"
    );
}
