//! Entry points for the fuzz targets in `fuzz/` and for `tests/it/fuzz_corpus.rs`, which
//! replays their corpora on stable. Each one calls the real pipeline (no copy of it): the
//! bytes go where content goes, through `load`, `validate`, `recur` and the Markdown
//! renderer, and every diagnostic that comes out is rendered in the human and GitHub
//! formats, as `check` would show it. Not an API: hidden from the docs, and nothing in
//! the crate imports it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Diagnostic, Diagnostics};
use crate::report_format::{Palette, github_annotations, github_summary, json};
use crate::source::SourceFile;

/// The Markdown → HTML path, wherever the render step keeps it.
pub use crate::render::markdown::to_html as markdown_to_html;

/// The kinds of content file, as `load` finds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Space,
    Partnership,
    Session,
    Page,
    Site,
    Amenities,
    Regions,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Space,
        Kind::Partnership,
        Kind::Session,
        Kind::Page,
        Kind::Site,
        Kind::Amenities,
        Kind::Regions,
    ];

    /// The kind a fuzz input's first byte selects.
    pub fn from_byte(b: u8) -> Kind {
        Kind::ALL[usize::from(b) % Kind::ALL.len()]
    }

    /// Where a file of this kind lives, relative to `content/`.
    pub fn path(self) -> &'static str {
        match self {
            Kind::Space => "spaces/fuzz.md",
            Kind::Partnership => "partnerships/fuzz.md",
            Kind::Session => "sessions/fuzz.md",
            Kind::Page => "pages/fuzz.md",
            Kind::Site => "site.yaml",
            Kind::Amenities => "amenities.yaml",
            Kind::Regions => "regions.yaml",
        }
    }
}

const SITE: &str = "title: Fuzz\ndescription: A site for the fuzz targets.\n\
base_url: https://fuzz.example.org/\nlanguage: en\ntime_zone: America/Halifax\n\
publisher: Fuzz\nlicence: CC-BY-4.0\n";
const AMENITIES: &str = "categories:\n  - id: workspace\n    name: Workspace\n\
amenities:\n  - id: wifi\n    name: Wi-Fi\n    description: Fast.\n    category: workspace\n";
const REGIONS: &str = "regions:\n  - id: harbour\n    name: Harbour\n    kind: urban\n";

/// A space that validates, with `opening_hours` left for the caller to add.
const SPACE: &str = "---\nname: Harbour Hub\nregion: harbour\nstatus: active\n\
address:\n  street: 1 Water Street\n  locality: Port Town\n  region: Prince Edward Island\n\
  postal_code: C1A 1A1\n  country: CA\nlocation:\n  lat: 46.23\n  lon: -63.13\n\
accessibility:\n  step_free: true\nlast_verified: \"2026-10-01\"\n";

/// A valid site in a temporary folder, into which a target writes one file at a time.
pub struct Scratch {
    dir: tempfile::TempDir,
    /// The file the last input was written to, to put back before the next.
    last: Mutex<Option<Kind>>,
}

impl Scratch {
    /// A site of `site.yaml`, `amenities.yaml` and `regions.yaml` with empty collections.
    /// In memory (`/dev/shm`) where there is one, so that a run writes no disk.
    pub fn new() -> std::io::Result<Scratch> {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::Builder::new()
                .prefix("hotdesk-fuzz")
                .tempdir_in(shm)?
        } else {
            tempfile::Builder::new().prefix("hotdesk-fuzz").tempdir()?
        };
        let content = dir.path().join("content");
        for folder in ["spaces", "partnerships", "sessions", "pages"] {
            fs::create_dir_all(content.join(folder))?;
        }
        for (name, text) in [
            ("site.yaml", SITE),
            ("amenities.yaml", AMENITIES),
            ("regions.yaml", REGIONS),
        ] {
            fs::write(content.join(name), text)?;
        }
        Ok(Scratch {
            dir,
            last: Mutex::new(None),
        })
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Puts back the file the last input replaced: the YAML file as it was, or no file
    /// in the collection.
    fn reset(&self, last: Option<Kind>) -> std::io::Result<()> {
        let Some(kind) = last else {
            return Ok(());
        };
        let path = self.root().join("content").join(kind.path());
        match kind {
            Kind::Site => fs::write(path, SITE),
            Kind::Amenities => fs::write(path, AMENITIES),
            Kind::Regions => fs::write(path, REGIONS),
            _ => fs::remove_file(path),
        }
    }

    /// Writes `bytes` as the one file of `kind` in an otherwise valid site.
    fn put(&self, kind: Kind, bytes: &[u8]) -> PathBuf {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        self.reset(last.take())
            .expect("the scratch site cannot be reset");
        *last = Some(kind);
        let path = self.root().join("content").join(kind.path());
        fs::write(&path, bytes).expect("the scratch file cannot be written");
        path
    }

    /// `load` with `bytes` as the one file of `kind`: the front-matter splitter, the YAML
    /// safety scan and the deserialisation of that record kind. Every diagnostic is
    /// rendered; they are returned.
    pub fn load_one(&self, kind: Kind, bytes: &[u8]) -> Diagnostics {
        self.put(kind, bytes);
        let (_loaded, diags) = crate::load::load(self.root()).expect("the scratch site loads");
        render_all(&diags);
        diags
    }

    /// Load, validate and lint (`build::check`, at a fixed "now") with `bytes` as the one
    /// file of `kind`: every problem `check` reports before it renders.
    pub fn check_one(&self, kind: Kind, bytes: &[u8]) -> Diagnostics {
        self.put(kind, bytes);
        let now = "2026-11-25T12:00:00Z".parse().expect("a timestamp");
        let opts = crate::build::Options::new(self.root(), now);
        let (_site, diags) = crate::build::check(&opts).expect("the scratch site loads");
        render_all(&diags);
        diags
    }

    /// The opening-hours check: a valid space whose `opening_hours` is `value` (written
    /// as a YAML double-quoted string, so any text reaches the validator), loaded and
    /// validated. Panics if the diagnostics disagree with the `opening-hours` crate.
    pub fn opening_hours(&self, value: &str) -> Diagnostics {
        let mut text = String::from(SPACE);
        let _ = writeln!(text, "opening_hours: {}", yaml_quoted(value));
        text.push_str("---\nA space.\n");
        let diags = self.check_one(Kind::Space, text.as_bytes());
        let refused = diags.iter().any(|d| d.code == "bad-opening-hours");
        let parses = value.parse::<opening_hours::OpeningHours>().is_ok();
        assert!(
            !(parses && refused),
            "`{value:?}` parses, yet validation refused it:\n{}",
            diags.render()
        );
        diags
    }
}

/// `s` as a YAML double-quoted scalar: every character outside printable ASCII escaped.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => {
                let _ = write!(out, "\\U{:08X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// Every way `check` shows diagnostics: human (plain and coloured), GitHub annotations and
/// summary, JSON.
pub fn render_all(diags: &Diagnostics) {
    let _ = diags.render_with(&Palette::PLAIN);
    let _ = diags.render_with(&Palette::ANSI);
    let _ = github_annotations(diags, "site/");
    let _ = github_summary(diags, "site/", 50);
    let _ = json(diags);
}

/// The diagnostic renderer on arbitrary input: the first bytes choose a span inside the
/// text (any byte offset, character boundary or not), the rest is the file's text.
pub fn diagnostic(data: &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let src = SourceFile::new("content/spaces/fuzz.md", text);
    let len = src.text.len();
    let a = usize::from(u16::from_le_bytes([head[0], head[1]])) % (len + 1);
    let b = usize::from(u16::from_le_bytes([head[2], head[3]])) % (len + 1);
    let at = |d: Diagnostic| d.at(&src, a..b);
    let mut diags = Diagnostics::new();
    diags.push(at(Diagnostic::error("fuzz", "a problem")).label("here"));
    diags.push(at(Diagnostic::warning("fuzz", "a warning")).help("fix it"));
    diags.push(
        at(Diagnostic::error("fuzz", "a problem"))
            .label("here")
            .help("fix it"),
    );
    render_all(&diags);
    for d in diags.iter() {
        let _ = d.headline();
        let _ = d.render();
    }
}

/// A repeat rule, parsed, and expanded from a few starts when it parses.
pub fn repeat_rule(text: &str) {
    let Ok(rule) = crate::recur::parse(text) else {
        return;
    };
    for start in ["2026-01-01", "2026-01-31", "2028-02-29", "9999-12-01"] {
        let start: jiff::civil::Date = start.parse().expect("a date");
        let _ = rule.dates(start);
    }
}

/// Markdown rendered at each heading level a page uses, each output held to the
/// sanitizer's contract ([`html_contract`]). Panics with the offending output if not.
pub fn markdown(text: &str) {
    for top in [2, 3] {
        let html = markdown_to_html(text, top);
        if let Err(why) = html_contract(&html) {
            panic!("{why}\ninput: {text:?}\noutput: {html:?}");
        }
    }
}

/// The sanitizer's output contract, for any input: no `<script` element, no event
/// handler attribute (`on*=`), no `javascript:` (or `vbscript:`) URL in `href` or `src`
/// once the browser has decoded the attribute.
pub fn html_contract(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let (tag, attrs, after) = tag_attributes(rest);
        rest = after;
        if tag.eq_ignore_ascii_case("script") {
            return Err("a <script> element".into());
        }
        for (name, value) in attrs {
            let name = name.to_ascii_lowercase();
            if name.starts_with("on") {
                return Err(format!("an event handler attribute `{name}`"));
            }
            if matches!(
                name.as_str(),
                "href" | "src" | "xlink:href" | "action" | "formaction"
            ) {
                // As the URL parser reads it: C0 controls and spaces trimmed at both ends,
                // tabs and line breaks removed anywhere (a control character inside the
                // scheme makes the URL a relative one).
                let url: String = decode_entities(&value)
                    .trim_matches(|c: char| c <= ' ')
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect::<String>()
                    .to_ascii_lowercase();
                if url.starts_with("javascript:") || url.starts_with("vbscript:") {
                    return Err(format!("a script URL in `{name}`: {value:?}"));
                }
            }
        }
    }
    Ok(())
}

/// The name and attributes of the tag that starts `s` (just after `<`), and what follows
/// the tag, read as an HTML tokenizer would: names up to `=`, space, `/` or `>`;
/// values quoted or up to space or `>`.
fn tag_attributes(s: &str) -> (&str, Vec<(String, String)>, &str) {
    let b = s.as_bytes();
    let mut i = b
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
        .unwrap_or(b.len());
    let tag = &s[..i];
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (tag, attrs, &s[(i + 1).min(s.len())..]);
        }
        let start = i;
        i += 1;
        while i < b.len() && !(b[i].is_ascii_whitespace() || matches!(b[i], b'/' | b'>' | b'=')) {
            i += 1;
        }
        let name = s[start..i].to_owned();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v, end) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = s[i + 1..].find(q as char).map_or(s.len(), |j| i + 1 + j);
                    (&s[(i + 1).min(close)..close], (close + 1).min(s.len()))
                }
                _ => {
                    let end = s[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(s.len(), |j| i + j);
                    (&s[i..end], end)
                }
            };
            value = v.to_owned();
            i = end;
        }
        attrs.push((name, value));
    }
}

/// Character references in an attribute value, decoded once as a browser does (the
/// numeric ones and the named ones that spell a scheme's letters or its colon).
fn decode_entities(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |j| j + 1);
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            match name {
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The fuzz inputs of `target` (`fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`),
/// sorted, for the replay test.
pub fn inputs(root: &Path, target: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["corpus", "regressions"] {
        let Ok(dir) = fs::read_dir(root.join("fuzz").join(folder).join(target)) else {
            continue;
        };
        files.extend(dir.flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

/// Every target's one-input function, by its name in `fuzz/fuzz_targets/`.
pub fn run(target: &str, scratch: &Scratch, data: &[u8]) {
    match target {
        "load_file" => {
            if let Some((&k, rest)) = data.split_first() {
                scratch.load_one(Kind::from_byte(k), rest);
            }
        }
        "check_file" => {
            if let Some((&k, rest)) = data.split_first() {
                scratch.check_one(Kind::from_byte(k), rest);
            }
        }
        "opening_hours" => {
            scratch.opening_hours(&String::from_utf8_lossy(data));
        }
        "repeat_rule" => repeat_rule(&String::from_utf8_lossy(data)),
        "diagnostic" => diagnostic(data),
        "markdown" => markdown(&String::from_utf8_lossy(data)),
        other => panic!("no fuzz target `{other}`"),
    }
}

/// The names of the fuzz targets.
pub const TARGETS: [&str; 6] = [
    "load_file",
    "check_file",
    "opening_hours",
    "repeat_rule",
    "diagnostic",
    "markdown",
];
