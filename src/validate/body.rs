//! What one Markdown body may cost to render.
//!
//! Markdown amplifies: a table row shorter than its header is filled out to the header's
//! width, so a 0.9 MB body of a 100-column header and 300,000 one-cell rows renders 30
//! million cells (406 MB of memory and seconds of work for one file of a stranger's pull
//! request). Real pages are far below the cap here (a long page is a few thousand
//! elements). pulldown-cmark yields the padded cells one at a time, so counting stops at
//! the cap without building them; only bodies that can hold a table (a `|`) are counted,
//! which keeps the ordinary build from parsing every body twice.

use pulldown_cmark::{Options, Parser};

use crate::error::{Diagnostic, Diagnostics};
use crate::load::Entry;

/// The most Markdown events (elements, text runs) one body may render to.
pub(super) const MAX_EVENTS: usize = 100_000;

/// Refuses a body over [`MAX_EVENTS`], pointing at its first line.
pub(super) fn check<T>(e: &Entry<T>, diags: &mut Diagnostics) {
    let body = e.body_text();
    if !body.contains('|') || events_within(body, MAX_EVENTS) {
        return;
    }
    let start = e.body.start + (body.len() - body.trim_start().len());
    let end = start
        + body[start - e.body.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
    diags.push(
        Diagnostic::error(
            "body-too-costly",
            format!("the Markdown body renders to more than {MAX_EVENTS} elements"),
        )
        .at(&e.doc.src, start..end)
        .help(
            "a table row shorter than its header is filled out to the header's width: \
             split the table, or publish the data as a file in content/static/",
        ),
    );
}

/// Whether `body` renders to at most `max` events.
fn events_within(body: &str, max: usize) -> bool {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(body, opts).take(max + 1).count() <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: usize, rows: usize) -> String {
        let mut s = "|a".repeat(columns) + "|\n" + &"|-".repeat(columns) + "|\n";
        for _ in 0..rows {
            s.push_str("|x\n");
        }
        s
    }

    #[test]
    fn a_short_row_table_is_counted_padded() {
        // 100 columns × 2,000 one-cell rows: 6 KB of text, 200,000 cells.
        assert!(!events_within(&table(100, 2_000), MAX_EVENTS));
        assert!(events_within(&table(10, 100), MAX_EVENTS));
        assert!(events_within(
            "A paragraph with a | pipe.\n\n- a list\n",
            MAX_EVENTS
        ));
    }
}
