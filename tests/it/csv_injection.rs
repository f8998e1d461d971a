//! Issue 19, item 4: a text cell of `/data/spaces.csv` that a spreadsheet would read as
//! a formula starts with `'`; everything else is written as it was. (A tab or carriage
//! return cannot start a text field: validation refuses it; the unit tests of
//! `src/render/data/csv.rs` cover those two.)

use hotdesk::build;

use crate::support::*;

/// The CSV of `root`, parsed: the header row and the rows, keyed by space id.
fn csv_rows(root: &std::path::Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let (out, _) = build::render(&options(root)).unwrap_or_else(|e| match e {
        hotdesk::error::Error::Invalid(d) => panic!("{}", d.render()),
        e => panic!("{e}"),
    });
    let mut r = csv::Reader::from_reader(out.get("data/spaces.csv").unwrap());
    let headers = r.headers().unwrap().clone();
    (headers, r.records().map(Result::unwrap).collect())
}

/// Replaces the line of `key` in a space's front matter.
fn set(root: &std::path::Path, space: &str, key: &str, value: &str) {
    let path = root.join(format!("content/spaces/{space}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut found = false;
    let text: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{key}:")) || l.starts_with(&format!("  {key}:")) {
                found = true;
                let indent = &l[..l.len() - l.trim_start().len()];
                format!("{indent}{key}: {value}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(found, "{space} has no {key}");
    std::fs::write(&path, text.join("\n") + "\n").unwrap();
}

#[test]
fn formula_cells_are_neutralised() {
    let site = minimal_site();
    let root = site.path();
    let harbour = std::fs::read_to_string(root.join("content/spaces/harbour-hub.md")).unwrap();
    for extra in ["extra-one", "extra-two"] {
        write(root, &format!("content/spaces/{extra}.md"), &harbour);
    }
    set(
        root,
        "harbour-hub",
        "name",
        r#"'=HYPERLINK("http://x","y")'"#,
    );
    let streets = [
        ("harbour-hub", r#""+1""#, "'+1"),
        ("hill-house", r#""-2""#, "'-2"),
        ("old-mill", r#""@SUM(A1)""#, "'@SUM(A1)"),
        (
            "extra-one",
            r#""=cmd|' /C calc'!A0""#,
            "'=cmd|' /C calc'!A0",
        ),
    ];
    for (space, yaml, _) in streets {
        set(root, space, "street", yaml);
    }
    set(root, "extra-two", "name", "Plain Name");
    let (headers, rows) = csv_rows(root);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = |id: &str| rows.iter().find(|r| &r[col("id")] == id).unwrap();
    assert_eq!(
        &row("harbour-hub")[col("name")],
        r#"'=HYPERLINK("http://x","y")"#
    );
    for (space, _, cell) in streets {
        assert_eq!(&row(space)[col("street")], cell, "{space}");
    }
    // Ordinary values and numbers (a negative longitude) are as they were.
    let plain = row("extra-two");
    assert_eq!(&plain[col("name")], "Plain Name");
    assert_eq!(&plain[col("street")], "1 Water Street");
    assert_eq!(&plain[col("lon")], "-63.13");
}
