//! Unit tests of `report_format` (a sibling file, to keep the module under 800 lines).

use super::*;
use crate::source::SourceFile;

fn sample() -> Diagnostics {
    let src = SourceFile::new("content/spaces/a.md", "---\namenities: [wifii]\n---\n");
    let mut d = Diagnostics::new();
    d.push(
        Diagnostic::error("unknown-id", "unknown amenity \"wifii\"")
            .at(&src, 16..21)
            .label("did you mean \"wifi\"?")
            .help("amenity ids are defined in content/amenities.yaml"),
    );
    d.push(Diagnostic::warning("unexpected-file", "50% done,\r\nreally").in_file("content/x,y:z"));
    d
}

#[test]
fn workflow_commands_escape_data_and_properties() {
    assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
    assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    let text = github_annotations(&sample(), "");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=content/spaces/a.md,line=2,col=13,title=hotdesk unknown-id::unknown amenity \"wifii\"%0Adid you mean \"wifi\"?%0Ahelp: amenity ids are defined in content/amenities.yaml"
    );
    assert_eq!(
        lines[1],
        "::warning file=content/x%2Cy%3Az,title=hotdesk unexpected-file::50%25 done,%0D%0Areally"
    );
    assert_eq!(lines.len(), 2);
}

#[test]
fn annotations_name_files_from_the_repository_root() {
    let text = github_annotations(&sample(), "site");
    assert!(text.contains("file=site/content/spaces/a.md,"), "{text}");
}

#[test]
fn the_prefix_is_the_root_relative_to_the_working_directory() {
    assert_eq!(path_prefix(Path::new("."), None), "");
    assert_eq!(path_prefix(Path::new("./site/"), None), "site");
    assert_eq!(
        path_prefix(Path::new("/repo/site"), Some(Path::new("/repo"))),
        "site"
    );
    assert_eq!(
        path_prefix(Path::new("/repo"), Some(Path::new("/repo"))),
        ""
    );
}

#[test]
fn the_summary_is_a_table_that_cannot_be_broken_by_a_message() {
    let s = github_summary(&sample(), "", 10);
    assert!(
        s.starts_with("### hotdesk check: 1 error, 1 warning\n"),
        "{s}"
    );
    assert!(s.contains("| error | `content/spaces/a.md` | 2:13 | unknown amenity \"wifii\" — did you mean \"wifi\"?<br>help: amenity ids"), "{s}");
    // Every row has exactly the table's five pipes.
    for row in s.lines().filter(|l| l.starts_with("| warning")) {
        assert_eq!(row.matches(" | ").count() + 2, 5, "{row}");
        assert!(!row.contains('\r'));
    }
    let capped = github_summary(&sample(), "", 1);
    assert!(capped.contains("…and 1 more"), "{capped}");
    assert!(!capped.contains("| warning"), "{capped}");
}

#[test]
fn json_has_the_documented_shape() {
    let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 1);
    let p = &v["problems"][0];
    assert_eq!(p["severity"], "error");
    assert_eq!(p["code"], "unknown-id");
    assert_eq!(p["file"], "content/spaces/a.md");
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(2), Some(13))
    );
    assert_eq!(
        (p["end_line"].as_u64(), p["end_column"].as_u64()),
        (Some(2), Some(18))
    );
    assert_eq!(p["label"], "did you mean \"wifi\"?");
    let w = &v["problems"][1];
    assert!(w["line"].is_null() && w["end_column"].is_null() && w["help"].is_null());
    let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 10, "{keys:?}");
}

#[test]
fn colour_only_on_a_terminal_without_no_color() {
    assert!(colour_wanted(true, None, Some(OsStr::new("xterm"))));
    assert!(colour_wanted(true, Some(OsStr::new("")), None));
    assert!(!colour_wanted(true, Some(OsStr::new("1")), None));
    assert!(!colour_wanted(false, None, None));
    assert!(!colour_wanted(true, None, Some(OsStr::new("dumb"))));
}

#[test]
fn coloured_output_is_the_plain_output_plus_escape_codes() {
    let d = sample();
    let plain = d.render_with(&Palette::PLAIN);
    assert_eq!(plain, d.render());
    assert!(!plain.contains('\x1b'));
    let coloured = d.render_with(&Palette::ANSI);
    assert!(
        coloured.contains("\x1b[1m\x1b[31merror:")
            || coloured.contains("\x1b[1;31merror:")
            || coloured.contains("\x1b[31;1merror:"),
        "{coloured:?}"
    );
    assert_eq!(strip_ansi(&coloured), plain);
}

#[test]
fn render_points_a_caret_at_the_span() {
    let src = SourceFile::new("content/spaces/a.md", "---\namenities: [wifii]\n---\n");
    let d = Diagnostic::error("unknown-amenity", "unknown amenity \"wifii\"")
        .at(&src, 16..21)
        .label("did you mean \"wifi\"?");
    let text = d.render();
    assert!(
        text.starts_with("content/spaces/a.md:2:13: error: unknown amenity"),
        "{text}"
    );
    assert!(
        text.contains("  |             ^^^^^ did you mean"),
        "{text}"
    );
}

/// The line of [`every_byte_offset_renders_with_a_caret_under_its_character`]: each
/// piece with the terminal columns it takes.
const PIECES: &[(&str, usize)] = &[
    ("k", 1),
    (":", 1),
    (" ", 1),
    ("é", 1),
    ("\u{a0}", 1),
    ("x", 1),
    ("\u{3000}", 2),
    ("y", 1),
    ("😀", 2),
    ("z", 1),
    // "e" and a combining acute accent: one letter on screen.
    ("e\u{301}", 1),
    ("\t", 1),
    ("!", 1),
];

/// Issue 19, item 1: a span may start or end at any byte, inside a character or past
/// the text; the renderer must not panic, and the caret goes under the character.
#[test]
fn every_byte_offset_renders_with_a_caret_under_its_character() {
    let line: String = PIECES.iter().map(|p| p.0).collect();
    let text = format!("a: 1\n{line}\nb: 2");
    let src = SourceFile::new("content/spaces/a.md", text.as_str());
    let first = "a: 1\n".len();
    // (byte range in the text, columns before it, its columns) of each piece.
    let mut pieces = Vec::new();
    let (mut at, mut col) = (first, 0);
    for (s, w) in PIECES {
        pieces.push((at..at + s.len(), col, *w));
        at += s.len();
        col += w;
    }
    let shown = line.replace('\t', " ");
    for start in 0..=text.len() + 3 {
        for end in start.saturating_sub(2)..=text.len() + 3 {
            let mut d = Diagnostic::error("wrong-type", "bad").at(&src, 0..0);
            // Past `at`, which would have put it on character boundaries.
            d.span = Some(start..end);
            let out = d.render();
            let json = json(&Diagnostics::from(d));
            assert!(json.contains("\"line\""), "{json}");
            let Some((range, before, width)) =
                pieces.iter().find(|p| p.0.contains(&start)).cloned()
            else {
                continue;
            };
            assert!(
                out.contains(&format!("2 | {shown}\n")),
                "{start}..{end}:\n{out}"
            );
            let caret = out.lines().nth(3).unwrap();
            let expected = format!("  | {}^", " ".repeat(before));
            assert!(
                caret.starts_with(&expected),
                "{start}..{end} (in {range:?}): caret at the wrong column:\n{out}"
            );
            if end == start + 1 {
                let carets = caret.matches('^').count();
                assert_eq!(carets, width.max(1), "{start}..{end}:\n{out}");
            }
        }
    }
}

#[test]
fn control_characters_in_the_shown_line_are_spaces() {
    let src = SourceFile::new("a.md", "name: \u{1b}[31mred\u{7}\n");
    let d = Diagnostic::error("x", "y").at(&src, 11..14);
    let out = d.render();
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(
        out.contains("1 | name:  [31mred \n  |            ^^^\n"),
        "{out}"
    );
}

/// Removes `ESC [ ... m` sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_bidi_override_in_the_quoted_line_cannot_reorder_it_on_screen() {
    let src = SourceFile::new(
        "content/spaces/a.md",
        "---\nname: \"Hill \u{202E}esuoH\"\n---\n",
    );
    let mut d = Diagnostics::new();
    d.push(Diagnostic::error("bidi", "invisible character").at(&src, 10..25));
    let text = d.render();
    assert!(!text.contains('\u{202E}'), "{text}");
    assert!(text.contains("name: \"Hill \u{FFFD}esuoH\""), "{text}");
    // The caret covers the whole quoted value, the replacement counted as one column.
    assert!(
        text.contains(&format!("{}{}\n", " ".repeat(6), "^".repeat(13))),
        "{text}"
    );
}
