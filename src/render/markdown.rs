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

/// Length of the excerpt on every card, in characters: the same for every space.
pub(crate) const EXCERPT_CHARS: usize = 160;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// URL schemes links may use.
const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(ALLOWED_SCHEMES))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some(LINK_REL))
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

/// The `rel` every link gets: user-generated, so search engines give it no weight, and
/// it cannot reach back into the page that opened it.
const LINK_REL: &str = "nofollow ugc noopener";

/// Markdown → sanitized HTML whose highest heading is `<h{top}>` (2 directly under the
/// page title, 3 under a section heading of the template).
///
/// Most bodies are plain prose: paragraphs, headings, lists, emphasis and links to
/// allowed URLs. For those the sanitizer would only re-serialize what pulldown-cmark
/// wrote, adding `rel` to links and writing `<br>` for `<br />`; parsing that HTML again
/// was a fifth of the CPU time of rendering a space's page, so such a body is written
/// directly in the sanitizer's form ([`is_plain`] says which bodies qualify; the tests
/// check both ways agree). Anything else goes through the sanitizer.
pub fn to_html(markdown: &str, top: usize) -> String {
    render(markdown, top, true, "/")
}

/// [`to_html`] for a site whose root path is `root` (`/directory/` for a site published
/// under a path): a link or image the author wrote from the site's root (`/data/x.json`)
/// is written from `root`, so it still leads to the site's own file.
pub(crate) fn to_html_at(markdown: &str, top: usize, root: &str) -> String {
    render(markdown, top, true, root)
}

/// `/x` → `{root}x` for a URL written from the site's root; anything else as it is.
fn from_root<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    if root == "/" || !url.starts_with('/') || url.starts_with("//") || url.starts_with("/\\") {
        return url;
    }
    format!("{root}{}", &url[1..]).into()
}

/// [`to_html`], through the sanitizer whatever the body when `direct` is false.
fn render(markdown: &str, top: usize, direct: bool, root: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<Event> = Parser::new_ext(markdown, opts)
        .map(|ev| match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: from_root(dest_url, root),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: from_root(dest_url, root),
                title,
                id,
            }),
            other => other,
        })
        .collect();
    let highest = events
        .iter()
        .filter_map(|ev| match ev {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let shift = |level: HeadingLevel| level_of((level as usize + top).saturating_sub(highest));
    let plain = direct && is_plain(&events);
    let events = events.into_iter().map(|ev| match ev {
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
        // What the sanitizer makes of pulldown-cmark's `<a href="…">` and `<br />`.
        Event::Start(Tag::Link { dest_url, .. }) if plain => Event::InlineHtml(
            format!(
                "<a href=\"{}\" rel=\"{LINK_REL}\">",
                dest_url.replace('&', "&amp;")
            )
            .into(),
        ),
        Event::HardBreak if plain => Event::InlineHtml("<br>\n".into()),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    if plain {
        raw
    } else {
        SANITIZER.clean(&raw).to_string()
    }
}

/// Whether the sanitizer would keep pulldown-cmark's HTML for these events as it is,
/// but for `rel` on links and `<br>` for `<br />`: only elements it allows with no
/// attribute it drops, text it serializes as pulldown-cmark escaped it (no NUL, CR or
/// no-break space, which the HTML parser or serializer treat specially), and links whose
/// URL pulldown-cmark leaves as it is (but `&`) and the URL policy allows.
fn is_plain(events: &[Event]) -> bool {
    let mut in_link = false;
    events.iter().all(|ev| match ev {
        Event::Start(tag) => match tag {
            Tag::Paragraph
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::List(_)
            | Tag::BlockQuote(None) => true,
            Tag::Heading {
                id, classes, attrs, ..
            } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let ok = !in_link
                    && *link_type != LinkType::Email
                    && title.is_empty()
                    && plain_url(dest_url);
                in_link = true;
                ok
            }
            _ => false,
        },
        Event::End(tag) => {
            if *tag == TagEnd::Link {
                in_link = false;
            }
            true
        }
        Event::Text(t) | Event::Code(t) => !t.contains(['\0', '\r', '\u{a0}']),
        Event::SoftBreak | Event::HardBreak => true,
        _ => false,
    })
}

/// A link target pulldown-cmark writes unchanged (but `&` as `&amp;`) and the
/// sanitizer's URL policy keeps: an allowed scheme, or relative.
fn plain_url(url: &str) -> bool {
    // pulldown-cmark's `escape_href` leaves exactly these bytes as they are.
    let unchanged = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&()*+,-./:;=?@^_~".contains(&b);
    url.bytes().all(unchanged)
        && match url::Url::parse(url) {
            Ok(u) => ALLOWED_SCHEMES.contains(&u.scheme()),
            Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
        }
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
pub(crate) fn excerpt(markdown: &str, max: usize) -> String {
    let mut text = String::new();
    // Characters in `text` so far, without counting them all again after every event.
    let mut chars = 0;
    let mut in_heading = false;
    for ev in Parser::new(markdown) {
        match ev {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if !in_heading => {
                text.push_str(&t);
                chars += t.chars().count();
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                text.push(' ');
                chars += 1;
            }
            _ => {}
        }
        if chars > max * 2 {
            break;
        }
    }
    truncate(&text, max)
}

/// Collapses white space and cuts at a word boundary, adding "…" when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let mut out = String::new();
    // Characters in `out`, kept as it grows: counting them again for every word made
    // this quadratic, and every page's description and every card go through it.
    let mut chars = 0;
    for w in text.split_whitespace() {
        let extra = usize::from(!out.is_empty());
        let len = w.chars().count();
        if chars + extra + len > max.saturating_sub(1) {
            out.push('…');
            return out;
        }
        if extra == 1 {
            out.push(' ');
        }
        out.push_str(w);
        chars += extra + len;
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
    fn links_from_the_site_root_follow_a_sub_path() {
        let md = "[data](/data/spaces.json), ![map](/img/map.png), [far](https://x.org/a), \
                  [rel](about/), [proto](//cdn.example/a), <a href=\"/raw/\">raw</a>";
        let html = to_html_at(md, 2, "/directory/");
        assert!(
            html.contains(r#"href="/directory/data/spaces.json""#),
            "{html}"
        );
        assert!(html.contains(r#"src="/directory/img/map.png""#), "{html}");
        assert!(html.contains(r#"href="https://x.org/a""#), "{html}");
        assert!(html.contains(r#"href="about/""#), "{html}");
        assert!(!html.contains("/directory//"), "{html}");
        // At the root nothing changes, through either path of the renderer.
        assert_eq!(to_html_at(md, 2, "/"), to_html(md, 2));
        for direct in [true, false] {
            assert_eq!(
                render("[d](/data/x.json)", 2, direct, "/d/"),
                "<p><a href=\"/d/data/x.json\" rel=\"nofollow ugc noopener\">d</a></p>\n"
            );
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

    /// Bodies written directly must come out exactly as the sanitizer writes them, and
    /// bodies with anything else must still go through it.
    #[test]
    fn plain_bodies_are_written_as_the_sanitizer_would() {
        let plain = [
            "## About\n\nSome *text* and **bold** & 1 < 2 > 0 \"quotes\" 'apostrophes'.\n",
            "# A\n## B\n### C\n\ntext  \nafter a hard break\\\nand another\nsoft",
            "- one\n- two [link](https://a.example/x?a=1&b=2#frag)\n  - nested\n\n1. first\n2. second\n\n3. three\n4. four",
            "* loose\n\n* list\n\n  with paragraphs\n\n> quoted **text**\n> more\n\n~~gone~~ `code & <b>`",
            "[rel](/about/) [frag](#x) [mail](mailto:a@b.example) [tel](tel:+1902) [empty]() <https://auto.example/>",
            "[parens](https://a.example/(x)) [pct](https://a.example/%20) [up](HTTPS://A.example)",
            "Zürich café — “curly” quotes, emoji 🎉, &copy; &amp; &lt;\n\n## Heading with [link](https://x.example) and `code`",
            "",
            "   \n\n",
            "Line one\r\nLine two\r\n\r\nPara two",
        ];
        let not_plain = [
            "<script>alert(1)</script>",
            "text <b>inline html</b>",
            "[js](javascript:alert(1)) [data](data:text/html,x)",
            "[ftp](ftp://a.example/) [x](x:y)",
            "[quote](https://a.example/it's) [space](<https://a.example/a b>) [title](https://a.example \"t\")",
            "<mail@a.example>",
            "![img](/x.png)",
            "| a | b |\n|---|:-:|\n| 1 | 2 |",
            "```rust\nfn main() {}\n```\n\n    indented",
            "a\n\n---\n\nb",
            "no&nbsp;break",
            "[bad](http://[::1)",
        ];
        for md in plain.iter().chain(&not_plain) {
            for top in [2, 3] {
                assert_eq!(
                    render(md, top, true, "/"),
                    render(md, top, false, "/"),
                    "{md:?}"
                );
            }
        }
        let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let plain_of = |md: &str| is_plain(&Parser::new_ext(md, opts).collect::<Vec<_>>());
        for md in plain {
            assert!(plain_of(md), "{md:?} should be written directly");
        }
        for md in not_plain {
            assert!(!plain_of(md), "{md:?} should go through the sanitizer");
        }
    }

    #[test]
    fn truncate_cuts_where_counting_every_time_did() {
        // The first version, which counted `out` again for every word.
        fn counted(text: &str, max: usize) -> String {
            let mut out = String::new();
            for w in text.split_whitespace() {
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
        let texts = [
            "",
            "one",
            "aaa bbb ccc",
            "  spaced \n out\ttext  ",
            "Zürich café « déjà » — 東京 🎉🎉 words",
        ];
        for text in texts {
            for max in 0..40 {
                assert_eq!(truncate(text, max), counted(text, max), "{text:?} {max}");
            }
        }
        assert_eq!(truncate("aaa bbb ccc", 8), "aaa bbb…");
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
