//! Untrusted Markdown → safe HTML.
//!
//! pulldown-cmark passes raw HTML and `javascript:` links through in every spelling, so
//! its output goes through ammonia's allow-list sanitizer with our own URL policy:
//! links may be http, https, mailto, tel, relative or `#`; images must be relative (a
//! remote image would be a third-party request from every visitor). Headings are shifted
//! so the document's highest one lands at the level the page gives it: the page title is
//! the only `<h1>`, and no level is skipped.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("nofollow ugc noopener"))
        .rm_tags(["img"])
        .add_tags(["img"])
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" {
                // Only images served by the site itself: no scheme, not protocol-relative.
                let v = value.trim();
                if v.contains(':') || v.starts_with("//") || v.starts_with("\\") {
                    return None;
                }
            }
            Some(value.into())
        });
    b
});

/// Markdown → sanitized HTML whose highest heading is `<h{top}>` (2 directly under the
/// page title, 3 under a section heading of the template).
pub fn to_html(markdown: &str, top: usize) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let highest = Parser::new_ext(markdown, opts)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let shift = |level: HeadingLevel| level_of((level as usize + top).saturating_sub(highest));
    let events = Parser::new_ext(markdown, opts).map(|ev| match ev {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    SANITIZER.clean(&raw).to_string()
}

fn level_of(n: usize) -> HeadingLevel {
    match n {
        0..=1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The first `max` characters of the Markdown's text, cut at a word, for cards.
pub fn excerpt(markdown: &str, max: usize) -> String {
    let mut text = String::new();
    let mut in_heading = false;
    for ev in Parser::new(markdown) {
        match ev {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if !in_heading => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => text.push(' '),
            _ => {}
        }
        if text.chars().count() > max * 2 {
            break;
        }
    }
    truncate(&text, max)
}

/// Collapses white space and cuts at a word boundary, adding "…" when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in &words {
        let extra = if out.is_empty() { 0 } else { 1 };
        if out.chars().count() + extra + w.chars().count() > max.saturating_sub(1) {
            out.push('…');
            return out;
        }
        if extra == 1 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_html_2(md: &str) -> String {
        to_html(md, 2)
    }

    #[test]
    fn scripts_and_dangerous_links_are_removed_in_every_spelling() {
        let md = "<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) \
                  [c](&#106;avascript:alert(1)) [d](data:text/html,x) <a href=\"vbscript:x\">e</a> \
                  <img src=x onerror=alert(1)> <iframe src=\"https://evil.example\"></iframe>";
        let html = to_html(md, 2);
        let lower = html.to_ascii_lowercase();
        for bad in [
            "<script",
            "javascript:",
            "data:",
            "vbscript:",
            "onerror",
            "<iframe",
        ] {
            assert!(!lower.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn safe_links_survive_with_rel() {
        let html = to_html_2(
            "[site](https://a.example) [mail](mailto:a@b.example) [tel](tel:+19025550100) [rel](/about/) [frag](#x)",
        );
        assert!(html.contains("href=\"https://a.example\""));
        assert!(html.contains("href=\"mailto:a@b.example\""));
        assert!(html.contains("href=\"tel:+19025550100\""));
        assert!(html.contains("href=\"/about/\""));
        assert!(html.contains("href=\"#x\""));
        assert!(html.contains("rel=\"nofollow ugc noopener\""));
    }

    #[test]
    fn remote_images_are_dropped_local_ones_kept() {
        let html = to_html_2("![a](https://tracker.example/p.gif) ![b](/images/x.svg)");
        assert!(!html.contains("tracker.example"), "{html}");
        assert!(html.contains("src=\"/images/x.svg\""), "{html}");
    }

    #[test]
    fn headings_start_at_the_level_asked_and_skip_none() {
        assert_eq!(to_html("# A\n## B", 2), "<h2>A</h2>\n<h3>B</h3>\n");
        assert_eq!(to_html("## A\n### B", 2), "<h2>A</h2>\n<h3>B</h3>\n");
        assert_eq!(to_html("## A\n#### B", 3), "<h3>A</h3>\n<h5>B</h5>\n");
        assert_eq!(to_html("no heading", 2), "<p>no heading</p>\n");
    }

    #[test]
    fn excerpt_skips_headings_and_cuts_at_words() {
        let e = excerpt(
            "## About\n\nThe quick brown fox jumps over the lazy dog.",
            20,
        );
        assert_eq!(e, "The quick brown fox…");
        assert_eq!(truncate("short text", 20), "short text");
    }
}
