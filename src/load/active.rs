//! Static files that could run script on the site's origin, refused with the reason.
//!
//! `content/static/` is published unchanged, on the directory's own domain. An HTML or
//! XML file there, or an SVG with a `<script>`, would run when opened, with the site's
//! cookies and storage: a stranger's pull request must not be able to do that. Pages
//! belong in `content/pages/` (rendered and sanitised), so HTML, XHTML, XML and their
//! kin are refused outright. An SVG is an image, and the example has several, so it is
//! read with a real XML parser (quick-xml) and refused only when it holds something
//! that can run or load code: `<script>`, `<foreignObject>`, `<iframe>`, `<embed>`,
//! `<object>`, `<handler>`, an `on*` attribute, a `javascript:`/`vbscript:` value or a
//! `data:` link, an `xml-stylesheet` instruction, or a DOCTYPE (entity declarations).
//! An SVG the parser cannot read is refused too: what a parser cannot read, a browser
//! may read differently. This module never rewrites a file: it says yes or why not.

use std::path::Path;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::error::Diagnostic;
use crate::source::SourceFile;

/// Extensions a browser runs as a document: refused in `content/static/` whatever they hold.
const DOCUMENTS: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "xml", "xsl", "xslt", "svgz",
];
/// Elements that run or embed code, by local name (lowercase).
const ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
];

/// The error for a static file that could run script, if `bytes` (at `rel`) is one.
pub(super) fn refuse(rel: &Path, name: &str, bytes: &[u8]) -> Option<Diagnostic> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let ext = ext.as_deref().unwrap_or("");
    if DOCUMENTS.contains(&ext) {
        return Some(
            Diagnostic::error(
                "active-static-file",
                format!("`.{ext}` files can run script on the site's origin; a page belongs in content/pages/"),
            )
            .in_file(rel)
            .help("write the page as Markdown in content/pages/, or link to the file where it is hosted"),
        );
    }
    if ext != "svg" {
        return None;
    }
    let (at, why) = svg_problem(bytes)?;
    let d = Diagnostic::error(
        "active-static-file",
        format!("this SVG can run script on the site's origin: {why}"),
    );
    let d = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let src = SourceFile::new(rel, text);
            let at = at.min(text.len());
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            d.at(&Arc::clone(&src), at..end)
        }
        Err(_) => d.in_file(rel),
    };
    Some(d.help(
        "export the image again as a plain SVG (shapes, paths, text and styles only), or use a PNG",
    ))
}

/// Where (a byte offset) and why an SVG could run script; `None` when it is a plain image.
fn svg_problem(bytes: &[u8]) -> Option<(usize, String)> {
    let mut reader = Reader::from_reader(bytes);
    let mut depth = 0usize;
    loop {
        let at = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Some((at, format!("it is not well-formed XML ({e})")));
            }
        };
        let why = match &event {
            Event::Start(e) => {
                depth += 1;
                element_problem(e)
            }
            Event::Empty(e) => element_problem(e),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                None
            }
            Event::PI(pi) if pi.target().eq_ignore_ascii_case(b"xml-stylesheet") => {
                Some("an `xml-stylesheet` instruction".to_owned())
            }
            Event::DocType(_) => Some("a DOCTYPE, which can declare entities".to_owned()),
            Event::Eof if depth > 0 => Some("an element is never closed".to_owned()),
            Event::Eof => return None,
            _ => None,
        };
        if let Some(why) = why {
            return Some((at, why));
        }
    }
}

/// What in one element could run or load code.
fn element_problem(e: &BytesStart<'_>) -> Option<String> {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
    if ELEMENTS.contains(&name.as_str()) {
        return Some(format!("a <{name}> element"));
    }
    for attr in e.attributes().with_checks(true) {
        let Ok(attr) = attr else {
            return Some(format!("a malformed attribute in <{name}>"));
        };
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).to_ascii_lowercase();
        if key.starts_with("on") {
            return Some(format!("an event handler `{key}` on <{name}>"));
        }
        // Entities decoded (`&#106;avascript:`), then spaces and controls dropped, as a
        // browser does when it reads a URL.
        let Ok(value) = attr.unescape_value() else {
            return Some(format!("an undeclared entity in `{key}` on <{name}>"));
        };
        let value: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        if value.contains("javascript:") || value.contains("vbscript:") {
            return Some(format!("a script URL in `{key}` on <{name}>"));
        }
        if key == "href" && value.starts_with("data:") {
            return Some(format!("a `data:` link in `{key}` on <{name}>"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(svg: &str) -> Option<String> {
        refuse(Path::new("content/static/a.svg"), "a.svg", svg.as_bytes()).map(|d| d.message)
    }

    #[test]
    fn plain_images_pass_and_script_does_not() {
        let plain = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" fill=\"#fff\"/><a href=\"https://x.example\"><text>hi</text></a></svg>";
        assert_eq!(why(plain), None);
        for bad in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><SCRIPT>alert(1)</SCRIPT></svg>",
            "<svg xmlns:s=\"http://www.w3.org/2000/svg\"><s:script/></svg>",
            "<svg onload=\"alert(1)\"/>",
            "<svg><a href=\" java\tscript:alert(1)\"><text>x</text></a></svg>",
            "<svg><a xlink:href=\"&#106;avascript:alert(1)\"/></svg>",
            "<svg><image href=\"data:image/svg+xml,&lt;svg onload=alert(1)&gt;\"/></svg>",
            "<svg><foreignObject><div/></foreignObject></svg>",
            "<svg><iframe/></svg>",
            "<?xml-stylesheet href=\"x.xsl\"?><svg/>",
            "<!DOCTYPE svg [<!ENTITY x \"y\">]><svg/>",
            "<svg><rect></svg>",
            "<svg><rect>",
            "<svg><set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>",
        ] {
            assert!(why(bad).is_some(), "{bad}");
        }
        let html = refuse(Path::new("x.html"), "x.HTML", b"<p>hi</p>").unwrap();
        assert!(html.message.contains("a page belongs in content/pages/"));
        assert!(refuse(Path::new("a.png"), "a.png", b"<script>").is_none());
    }
}
