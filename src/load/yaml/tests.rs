//! The YAML stage's tests: the filter that lets a document skip the scan, positions,
//! and the diagnostics of a refused document.

use super::*;
use serde::Deserialize;

/// The rules of [`needs_scan`] written plainly, one pass per rule: what the one-pass
/// version must agree with.
fn needs_scan_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    let special = bytes.iter().enumerate().any(|(i, &b)| match b {
        // Indicators that only act at the start of a token, which cannot follow a letter
        // or digit: `Q&A`, `50%` and `a?q=1` in a URL are text to both parsers.
        b'&' | b'*' | b'!' | b'%' | b'#' | b'?' | b'|' | b'>' => {
            i == 0 || !bytes[i - 1].is_ascii_alphanumeric()
        }
        // libyaml reads `[a, -]` as the text `-`; saphyr refuses it.
        b'-' => matches!(bytes.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}')),
        b'<' | b'`' | b'\\' | 0x7f => true,
        b'\n' => false,
        b => b < 0x20,
    });
    special
        || text.lines().any(|line| !simple_line(line))
        || bytes.starts_with(b"...")
        // NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR, BOM, NO-BREAK SPACE.
        || ["\u{85}", "\u{2028}", "\u{2029}", "\u{feff}", "\u{a0}"]
            .iter()
            .any(|c| text.contains(c))
}

#[test]
fn needs_scan_agrees_with_its_plain_reference() {
    // Every byte the rules look at, as single characters and in runs, in documents
    // of every shape: a fixed walk through the alphabet (xorshift), so a failure
    // repeats.
    let alphabet: Vec<&str> = vec![
        "a", "Z", "7", " ", " ", ":", ": ", "\n", "\n", "\n  ", "- ", "-", ",", ".", "...", "&",
        "*", "!", "%", "#", "?", "|", ">", "<", "`", "\\", "\u{7f}", "\t", "\r", "\"", "'", "[",
        "]", "{", "}", "_", "key: ", "- item", "é", "\u{85}", "\u{a0}", "\u{2028}", "\u{2029}",
        "\u{feff}", "\u{2027}", "\u{c5}", "€", "\u{fefe}",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    // Documents of up to four lines, each a line start (a key, list items, nothing)
    // and a few pieces.
    let starts = ["", "key: ", "- ", "- - ", "  ", "- item", "a:", "..."];
    let mut differ = Vec::new();
    for _ in 0..300_000 {
        let mut text = String::new();
        for line in 0..1 + next(4) {
            if line > 0 {
                text.push_str(["\n", "\r\n", "\n\n"][next(3)]);
            }
            text.push_str(starts[next(starts.len())]);
            for _ in 0..next(6) {
                text.push_str(alphabet[next(alphabet.len())]);
            }
        }
        if needs_scan(&text) != needs_scan_reference(&text) {
            differ.push(text);
        }
    }
    for text in [
        "",
        "name: A\n",
        "name: A\nsummary: \"b\"\n",
        "...",
        "a: [x, y]\nb: {c: d}\n",
        "- a\n- b\n",
        "url: https://a.example/?q=1&b=2\n",
    ] {
        if needs_scan(text) != needs_scan_reference(text) {
            differ.push(text.to_string());
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ, e.g. {:?}",
        differ.len(),
        &differ[..differ.len().min(5)]
    );
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct T {
    name: String,
    #[serde(default)]
    tags: Vec<String>,
}

fn file(text: &str) -> Arc<SourceFile> {
    SourceFile::new("content/x.yaml", text)
}

#[test]
fn records_positions_of_list_items() {
    let f = file("name: a\ntags:\n  - one\n  - two\n");
    let (t, pos) = parse::<T>(&f, 0..f.text.len()).unwrap();
    assert_eq!(t.tags, ["one", "two"]);
    assert_eq!(t.name, "a");
    let r = pos.value("tags.1");
    assert_eq!(&f.text[r], "two");
    assert_eq!(&f.text[pos.key("tags")], "tags");
}

#[test]
fn refuses_aliases_before_serde_sees_them() {
    let f = file("name: &a x\ntags: [*a, *a]\n");
    let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
    let d = err.iter().next().unwrap();
    assert_eq!(d.code, "yaml-anchor");
    assert_eq!(d.line_col(), Some((1, 7)));
}

#[test]
fn unknown_field_suggests_the_closest() {
    let f = file("nmae: a\n");
    let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
    let d = err.iter().next().unwrap();
    assert_eq!(d.code, "unknown-field");
    assert_eq!(d.label.as_deref(), Some("did you mean `name`?"));
    assert_eq!(d.line_col(), Some((1, 1)));
}

#[test]
fn duplicate_keys_name_both_lines() {
    let f = file("name: a\nname: b\n");
    let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
    let d = err.iter().next().unwrap();
    assert_eq!(d.code, "duplicate-key");
    assert_eq!(d.line_col(), Some((2, 1)));
    assert_eq!(d.label.as_deref(), Some("first given on line 1"));
}

#[test]
fn promotional_keys_explain_the_policy() {
    let f = file("name: a\nfeatured: true\n");
    let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
    let d = err.iter().find(|d| d.code == "promotional-field").unwrap();
    assert!(d.help.as_deref().unwrap().contains("favours no space"));
}

#[test]
fn positions_count_from_the_top_of_the_file() {
    let f = file("---\nname: a\ntags: [x, 3]\n---\nbody\n");
    let start = 4;
    let end = f.text.find("---\nbody").unwrap();
    let (_, pos) = parse::<T>(&f, start..end).unwrap();
    assert_eq!(f.line_col(pos.value("tags.0").start), (3, 8));
}

#[test]
fn tabs_are_a_located_syntax_error() {
    let f = file("name: a\ntags:\n\t- x\n");
    let err = parse::<T>(&f, 0..f.text.len()).unwrap_err();
    let d = err.iter().next().unwrap();
    assert_eq!(d.code, "yaml-syntax");
    assert_eq!(d.line_col().unwrap().0, 3);
}
