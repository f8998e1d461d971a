//! Unit tests of the comparison and of the Markdown it becomes.

use super::compare::{diff_values, inline};
use super::markdown::{code, field_line, text};
use serde_json::json;

#[test]
fn lists_are_sets_and_records_are_matched_by_name() {
    let old = json!({"amenities": ["wifi", "printing"], "plans": [
        {"name": "Day pass", "price": 25.0}, {"name": "Month", "price": 200.0}]});
    let new = json!({"amenities": ["parking", "wifi"], "plans": [
        {"name": "Month", "price": 200.0}, {"name": "Day pass", "price": 30.0},
        {"name": "Week", "price": 90.0}]});
    let lines: Vec<String> = diff_values("", &old, &new).iter().map(field_line).collect();
    assert_eq!(
        lines,
        [
            "`amenities`: added `parking`; removed `printing`",
            "`plans`: added `Week`",
            "`plans[Day pass].price`: `25` → `30`",
        ]
    );
}

#[test]
fn fields_set_and_unset_and_reordered() {
    let lines: Vec<String> = diff_values(
        "",
        &json!({"a": null, "b": "x", "c": [1, 2]}),
        &json!({"a": "y", "b": null, "c": [2, 1]}),
    )
    .iter()
    .map(field_line)
    .collect();
    assert_eq!(
        lines,
        [
            "`a`: added `y`",
            "`b`: removed (was `x`)",
            "`c`: same items, new order"
        ]
    );
}

#[test]
fn markdown_from_content_cannot_break_out() {
    assert_eq!(code("a`b"), "`` a`b ``");
    assert_eq!(code("plain"), "`plain`");
    assert_eq!(text("<b>*x*</b> | y"), "\\<b\\>\\*x\\*\\</b\\> \\| y");
    assert_eq!(inline(&json!(25.0)), "25");
    assert_eq!(inline(&json!(2.5)), "2.5");
}
