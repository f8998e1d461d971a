//! The lazy path ([`parse_closed`] without the scan) against the eager one ([`parse`]):
//! whatever the filter lets through must come out the same, value, diagnostics and
//! positions alike.

use super::*;
use crate::load::promotional::NEUTRALITY_HELP;
use crate::raw::{RawAmenities, RawPage, RawSession};
use std::fmt::Debug;

/// A session's required fields other than `title` and `host`.
const BASE: &str =
    "start: \"2026-05-28T10:00\"\nend: \"2026-05-28T11:00\"\nlanguage: de\nstatus: scheduled\n";

fn file(text: &str) -> Arc<SourceFile> {
    SourceFile::new("content/sessions/a.md", text)
}

/// Both paths' whole outcome, as text: value or every diagnostic, and every position.
fn both<T: Closed + Debug>(text: &str) -> (String, String) {
    let f = file(text);
    // The file may not keep the text as it is (a line ending), so its length counts.
    let all = 0..f.text.len();
    let lazy = format!("{:?}", parse_closed::<T>(&f, all.clone()));
    let eager = format!("{:?}", parse::<T>(&f, all));
    (lazy, eager)
}

fn errors<T: Closed + Debug>(text: &str) -> Diagnostics {
    let f = file(text);
    parse_closed::<T>(&f, 0..f.text.len()).unwrap_err()
}

#[test]
fn every_special_construct_goes_to_the_scan_first() {
    let page = |rest: &str| format!("title: x\n{rest}");
    let special = [
        page("description: &a x\n"),
        page("description: *a\n"),
        page("description: !x y\n"),
        page("description: ! y\n"),
        "<<: {title: x}\n".to_owned(),
        "%YAML 1.2\n---\ntitle: x\n".to_owned(),
        "---\ntitle: x\n".to_owned(),
        page("...\n"),
        page("description:\tx\n"),
        page("description: x\r\n"),
        page("description: |\n  x\n"),
        page("description: >\n  x\n"),
        "? title\n: x\n".to_owned(),
        page("description: x # note\n"),
        page("description: \"a\\tb\"\n"),
        page("description: `x`\n"),
        page("description: a\u{85}b\n"),
        page("description: a\u{2028}b\n"),
        "\u{feff}title: x\n".to_owned(),
        page("description: a\u{a0}b\n"),
        page("description: a\u{1}b\n"),
        // Continued values, which saphyr wants indented more than libyaml does.
        page("description: \"a\nb\"\n"),
        page("description: 'a\nb'\n"),
        page("description: a\n  b\n"),
        format!("title: x\n{BASE}host: {{body: x,\nrole: y}}\n"),
        format!("title: x\n{BASE}host: {{body: x, role: y}}\ntopics: [a,\nb]\n"),
        format!("title: x\n{BASE}host: {{body: x, role: y}}\ntopics: [a, -]\n"),
        "\"title\": x\n".to_owned(),
    ];
    for text in &special {
        assert!(needs_scan(text), "{text:?}");
        let (lazy, eager) = both::<RawPage>(text);
        assert_eq!(lazy, eager, "{text:?}");
    }
    // Text that merely contains an indicator is not special.
    for text in [
        "title: Q&A with the team\ndescription: 50% off, 5*\n",
        "title: \"Q&A\"\ndescription: https://x.example/a?b=1#top\n",
        "title: a-b\ndescription: x>y|z\n",
    ] {
        assert!(!needs_scan(text), "{text:?}");
    }
}

/// Documents the filter lets through: whenever serde_yaml (libyaml) accepts one as
/// the content model, saphyr must accept it too, or a file the scan used to refuse
/// would now load. Each case was tried against both parsers; those on which they
/// disagree are the reason for a rule of [`needs_scan`] (see [`DISAGREEMENTS`]).
const PAST_THE_FILTER: &[&str] = &[
    "title: a\n  b\nhost: {body: x, role: y}\n",
    "title: a\n\n  b\nhost: {body: x, role: y}\n",
    "title: \"a\nb\"\nhost: {body: x, role: y}\n",
    "title: 'a\nb'\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x,\nrole: y}\n",
    "title: x\nhost: {body: x,\n role: y}\n",
    "title: x\nhost: {\"body\":x, role: y}\n",
    "title: x\nhost: {body: x, role: y,}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, b,]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a,\nb]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a,\n  b]\n",
    "title: x\nhost: {body: x, role: y}\ntopics:\n- a\n- b\n",
    "title: x\nhost:\n    body: x\n    role: y\n",
    "  title: x\n  host: {body: x, role: y}\n",
    "title   : x\nhost: {body: x, role: y}\n",
    "\"title\": x\nhost: {body: x, role: y}\n",
    "'title': x\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [\"a\" ,\"b\" ]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a b, c:d]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a:b]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [\"a\":b]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [-a, - b]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, -]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: []\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [,]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a,,b]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [ a ]   \n",
    "title: x\nhost: {body: x, role: y}\ntopics:\n  - a\n  -  b\n  -\n    c\n",
    "title: x\nhost: {body: x, role: y}\ntopics: {}\n",
    "title: x\nhost: {body: x, role: y}\n\n\n\n",
    "title: x\nhost: {body: x, role: y}\n ",
    "title: x\nhost: {body: x, role: y}",
    "title: x \nhost: {body: x , role: y }\n",
    "title: x:y\nhost: {body: x, role: y}\n",
    "title: x: y\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x:y, role: y}\n",
    "title: x\nhost: {body: 'x'y, role: y}\n",
    "title: 'x' \nhost: {body: x, role: y}\n",
    "title: \"x\"y\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a]b\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [[a]]\n",
    "title: x\nhost:\n  {body: x, role: y}\n",
    "title: x\nhost:\n{body: x, role: y}\n",
    "title: x\nhost: {body: x, role: y}\ntopics:\n    - a\n  \n    - b\n",
    "title: -\nhost: {body: x, role: y}\n",
    "title: ~\nhost: {body: x, role: y}\n",
    "title: 1e3\nhost: {body: x, role: y}\n",
    "title: 'a''b'\nhost: {body: x, role: y}\n",
    "title: \"\"\nhost: {body: x, role: y}\n",
    "title:\nhost: {body: x, role: y}\n",
    "title: é\nhost: {body: x, role: y}\n",
    "title: x\nhost: { body : x , role : y }\n",
    "title: x\nhost: {body, role: y}\n",
    "title: x\nhost: {? body: x}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, {b: c}]\n",
    "title: x\nhost: {body: x, role: y}\ncapacity: 0x1F\n",
    "title: x\nhost: {body: x, role: y}\ncapacity: 0o17\n",
    "title: x\nhost: {body: x, role: y}\ncapacity: +12\n",
    "title: x\nhost: {body: x, role: y}\ncapacity: 1_000\n",
    "title: x\nhost: {body: x, role: y}\nfree: yes\n",
    "title: x\nhost: {body: x, role: y}\nfree: True\n",
    "title: x\nhost: {body: x, role: y}\nspace: null\n",
    "title: x\nhost: {body: x, role: y}\nspace: Null\n",
    "title: x\nhost: {body: x, role: y}\nspace: NULL\n",
    "title: x\nhost: {body: x, role: y}\nspace: \n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, :]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [:a]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, :a]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [-a]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a-]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, -1]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, \"b\" ]\n",
    "title: x\nhost: {body: x, role: -b}\n",
    "title: x\nhost: {body: x, role: :b}\n",
    "title: x\nhost: {body: x, role: b:}\n",
    "title: x\nhost: {body: x, role: b: c}\n",
    "title: x\nhost: {body: x, role: [a]}\n",
    "title: :x\nhost: {body: x, role: y}\n",
    "title: ::\nhost: {body: x, role: y}\n",
    "title: x:\nhost: {body: x, role: y}\n",
    "title: -x\nhost: {body: x, role: y}\n",
    "title: x, y\nhost: {body: x, role: y}\n",
    "title: x]\nhost: {body: x, role: y}\n",
    "title: x}\nhost: {body: x, role: y}\n",
    "title: ]x[\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, b]   \n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a , b , ]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a,b]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [ ]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [\"a\",b]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: ['a','b']\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, 'b''c']\n",
    "title: x\nhost: {body: x, role: y}\ntopics: ['']\n",
    "title: x\nhost: {body: x,role: y}\n",
    "title: x\nhost: {body:x, role: y}\n",
    "title: x\nhost: {\"body\":\"x\", \"role\":\"y\"}\n",
    "title: x\nhost: {'body':x, role: y}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, \"b\":c]\n",
    "title: x\nhost:\n   body: x\n   role: y\n",
    "title: x\nhost:\n body: x\n role: y\n",
    "title: x\nhost: {body: x, role: y}\ntopics:\n - a\n -   b\n",
    "title: x\nhost: {body: x, role: y}\ntopics:\n- - a\n",
    "title: x\nhost: {body: x, role: y}\ntopics:   [a]\n",
    "title:    x\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x, role: y} \n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, b]\n\n  \n",
    "title: x\nhost: {body: x, role: y}\ncapacity: 12.0\n",
    "title: x\nhost: {body: x, role: y}\ncapacity: .inf\n",
    "title: x\nhost: {body: x, role: y}\ncapacity: 012\n",
    "title: x\nhost: {body: x, role: y}\ncapacity: \"12\"\n",
    "title: x\nhost: {body: x, role: y}\nfree: \"true\"\n",
    "title: 2026-01-01\nhost: {body: x, role: y}\n",
    "title: 12:30\nhost: {body: x, role: y}\n",
    "title: 1_0\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x, role: y}\nstatus: scheduled\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [featured:x]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [featured: x]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [\"featured\":x]\n",
    "title: x\nhost: {body: x, role: y}\ntopics: ['featured':x]\n",
    "title: x\nhost: {body: x, role: y, featured:x}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, {featured}]\n",
    "title: featured:x\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x, role: y}\nspace: [a]\n",
];

/// The disagreements found: libyaml accepts, saphyr refuses. The filter must send each to
/// the scan, so that they are refused as they always were.
const DISAGREEMENTS: &[&str] = &[
    "title: \"a\nb\"\nhost: {body: x, role: y}\n",
    "title: x\nhost: {body: x,\nrole: y}\n",
    "title: x\nhost: {body: x, role: y}\ntopics: [a, -]\n",
];

#[test]
fn the_scan_accepts_whatever_serde_accepts_past_the_filter() {
    let mut through = 0;
    for case in PAST_THE_FILTER {
        let text = format!("{BASE}{case}");
        let f = file(&text);
        let serde_ok = serde_yaml::from_str::<RawSession>(&text).is_ok();
        let to_offset = |line: usize, col0: usize| f.offset_of(line, col0);
        let scanned = scan(&f, &text, 0..text.len(), &to_offset);
        if serde_ok && !needs_scan(&text) {
            through += 1;
            assert!(
                scanned.is_ok(),
                "saphyr refuses {case:?}: {:?}",
                scanned.err()
            );
            // And the lazy path gives what the eager one gives.
            let (lazy, eager) = both::<RawSession>(&text);
            assert_eq!(lazy, eager, "{case:?}");
        }
    }
    assert!(through > 40, "only {through} cases took the fast path");
}

#[test]
fn the_filter_sends_the_disagreements_to_the_scan() {
    for case in DISAGREEMENTS {
        let text = format!("{BASE}{case}");
        let f = file(&text);
        let to_offset = |line: usize, col0: usize| f.offset_of(line, col0);
        assert!(
            serde_yaml::from_str::<RawSession>(&text).is_ok(),
            "{case:?}"
        );
        assert!(
            scan(&f, &text, 0..text.len(), &to_offset).is_err(),
            "{case:?}"
        );
        assert!(needs_scan(&text), "{case:?}");
        assert_eq!(
            errors::<RawSession>(&text).iter().next().unwrap().code,
            "yaml-syntax"
        );
    }
}

#[test]
fn duplicate_keys_are_reported_as_before_at_every_level() {
    let session = |title: &str, host: &str| format!("title: {title}\n{BASE}host:\n{host}");
    let cases = [
        // Top level.
        (
            session("a\ntitle: b", "  body: x\n  role: y\n"),
            "title",
            (2, 1),
            1,
        ),
        // In a sub-struct, block and flow.
        (
            session("a", "  body: x\n  role: y\n  body: z\n"),
            "body",
            (9, 3),
            7,
        ),
        (
            format!("title: a\n{BASE}host: {{body: x, role: y, role: z}}\n"),
            "role",
            (6, 26),
            6,
        ),
    ];
    // In a list item.
    let amenities = "categories:\n  - id: a\n    name: A\n    id: b\namenities: []\n";
    for (text, key, at, first) in &cases {
        assert!(serde_yaml::from_str::<RawSession>(text).is_err(), "{text}");
        assert!(!needs_scan(text), "{text}");
        let (lazy, eager) = both::<RawSession>(text);
        assert_eq!(lazy, eager);
        let diags = errors::<RawSession>(text);
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, "duplicate-key");
        assert_eq!(d.message, format!("`{key}` is given twice"));
        assert_eq!(d.line_col(), Some(*at), "{text}");
        assert_eq!(d.label, Some(format!("first given on line {first}")));
    }
    assert!(serde_yaml::from_str::<RawAmenities>(amenities).is_err());
    assert!(!needs_scan(amenities));
    let (lazy, eager) = both::<RawAmenities>(amenities);
    assert_eq!(lazy, eager);
    let diags = errors::<RawAmenities>(amenities);
    let d = diags.iter().next().unwrap();
    assert_eq!(d.code, "duplicate-key");
    assert_eq!(d.line_col(), Some((4, 5)));
    assert_eq!(d.label.as_deref(), Some("first given on line 2"));
}

#[test]
fn promotional_keys_are_reported_with_the_policy_at_every_level() {
    for text in [
        "title: a\nfeatured: true\n".to_owned(),
        format!("title: a\n{BASE}host: {{body: x, role: y, rank: 1}}\n"),
        format!("title: a\n{BASE}host:\n  body: x\n  role: y\n  is_sponsored: yes\n"),
    ] {
        assert!(!needs_scan(&text), "{text}");
        let diags = if text.contains("host") {
            assert!(serde_yaml::from_str::<RawSession>(&text).is_err());
            let (lazy, eager) = both::<RawSession>(&text);
            assert_eq!(lazy, eager);
            errors::<RawSession>(&text)
        } else {
            assert!(serde_yaml::from_str::<RawPage>(&text).is_err());
            let (lazy, eager) = both::<RawPage>(&text);
            assert_eq!(lazy, eager);
            errors::<RawPage>(&text)
        };
        let d = diags
            .iter()
            .find(|d| d.code == "promotional-field")
            .unwrap_or_else(|| panic!("{text}: {diags:?}"));
        assert_eq!(d.help.as_deref(), Some(NEUTRALITY_HELP));
    }
}

#[test]
fn deep_nesting_is_refused_as_before() {
    let deep = format!("{}a{}", "[".repeat(20), "]".repeat(20));
    let base = BASE.replace("status: scheduled\n", "");
    for text in [
        format!("title: x\n{BASE}host: {{body: x, role: y}}\ntopics: {deep}\n"),
        format!("title: x\n{base}host: {{body: x, role: y}}\nstatus: {{scheduled: {deep}}}\n"),
        format!(
            "title: x\n{base}host: {{body: x, role: y}}\nstatus: {{scheduled: {{a: {deep}}}}}\n"
        ),
    ] {
        assert!(!needs_scan(&text));
        assert!(serde_yaml::from_str::<RawSession>(&text).is_err());
        let (lazy, eager) = both::<RawSession>(&text);
        assert_eq!(lazy, eager);
        assert_eq!(
            errors::<RawSession>(&text).iter().next().unwrap().code,
            "yaml-too-deep"
        );
    }
}

#[test]
fn lazily_scanned_positions_are_the_eager_ones() {
    let text = format!(
        "---\ntitle: \"Q&A\"\n{BASE}host:\n  body: Office\n  role: Officer\ntopics: [a, b]\n---\nbody\n"
    );
    let f = file(&text);
    let range = 4..text.find("---\nbody").unwrap();
    let (_, lazy) = parse_closed::<RawSession>(&f, range.clone()).unwrap();
    let (_, eager) = parse::<RawSession>(&f, range).unwrap();
    assert!(!lazy.is_scanned(), "scanned before any lookup");
    assert!(eager.is_scanned());
    for path in [
        "title",
        "start",
        "status",
        "host",
        "host.body",
        "host.role",
        "topics",
        "topics.1",
        "topics.7",
        "nothing",
        "",
    ] {
        let d = |pos: &Positions| {
            Diagnostic::warning("x", "x")
                .at(&f, pos.value(path))
                .line_col()
        };
        assert_eq!(d(&lazy), d(&eager), "{path}");
        assert_eq!(lazy.value(path), eager.value(path), "{path}");
        assert_eq!(lazy.key(path), eager.key(path), "{path}");
        assert_eq!(lazy.has(path), eager.has(path), "{path}");
    }
    assert!(lazy.is_scanned());
    assert_eq!(f.line_col(lazy.value("host.role").start), (9, 9));
    assert_eq!(format!("{lazy:?}"), format!("{eager:?}"));
}
