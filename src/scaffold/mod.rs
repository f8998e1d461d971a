//! Starting points for contributors: `hotdesk new <kind> "Name"` writes one content
//! file with every field, and `hotdesk init DIR` writes a whole small site.
//!
//! A new file has each required value as a `REPLACE: ...` placeholder saying what to
//! write, and each optional field commented out with its meaning, so the file is also
//! its own documentation. Until every placeholder is replaced, `check` fails and points
//! at each one ([`placeholders`]); once they are, the file passes. Neither command ever
//! overwrites a file: `new` refuses an existing file and `init` a non-empty folder.
//!
//! The templates are plain files under `src/scaffold/new/` and `src/scaffold/init/`,
//! built into the binary; a test checks that they mention every field of the schema.
//! `init` also makes the site a repository a network can live in: the JSON Schemas and
//! editor settings, a GitHub workflow that checks pull requests and publishes the site
//! with GitHub Pages every day from a pinned hotdesk release ([`release`]), and issue
//! forms generated from the content model ([`forms`]). Files stored under a name
//! without its leading dot (`gitignore`, `github/`) get the dot when written, so they
//! do not apply to hotdesk's own repository.
//!
//! This module takes plain values (a folder, a [`Kind`], a name, a date) and returns the
//! files it wrote; the flags, the reading of `--now` and what is printed belong to
//! `cli::new` and `cli::init`. It never imports `cli`.

pub mod forms;
pub mod placeholders;
pub mod release;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use jiff::civil::Date;

use crate::error::{Error, Result};
use release::Pin;

static INIT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/init");

/// What `hotdesk new` can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Space,
    Session,
    Partnership,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Space, Kind::Session, Kind::Partnership, Kind::Page];

    /// The folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Space => "spaces",
            Kind::Session => "sessions",
            Kind::Partnership => "partnerships",
            Kind::Page => "pages",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Kind::Space => include_str!("new/space.md"),
            Kind::Session => include_str!("new/session.md"),
            Kind::Partnership => include_str!("new/partnership.md"),
            Kind::Page => include_str!("new/page.md"),
        }
    }
}

/// A file name from a name: accents and other scripts folded to ASCII
/// ("L'Atelier de l'Évangéline" → `l-atelier-de-l-evangeline`), lowercase, words
/// joined by single hyphens, at most 80 characters. Empty when nothing is left.
pub(crate) fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut slug = String::new();
    for w in words {
        if slug.len() + 1 + w.len() > 80 && !slug.is_empty() {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(w);
    }
    slug.truncate(80);
    slug.trim_end_matches('-').to_owned()
}

/// The text of a new file of `kind` named `name`; `today` is used in examples.
pub fn render_template(kind: Kind, name: &str, today: Date) -> String {
    // A JSON string is a valid YAML double-quoted string: quotes and backslashes escaped.
    let quoted = serde_json::to_string(name.trim()).expect("a string serializes");
    kind.template()
        .replace("%NAME%", &quoted)
        .replace("%TODAY%", &today.to_string())
}

/// Writes `content/<kind>/<slug>.md` under `root`; refuses to replace a file.
pub(crate) fn new_file(root: &Path, kind: Kind, name: &str, today: Date) -> Result<PathBuf> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Usage(format!(
            "{} has no content/ folder; give the site's folder with --root, or make a new site with `hotdesk init DIR`",
            root.display()
        )));
    }
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "cannot make a file name from {name:?}: give a name with letters or digits"
        )));
    }
    let dir = content.join(kind.folder());
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(format!("{slug}.md"));
    let rel = format!("content/{}/{slug}.md", kind.folder());
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Usage(format!(
                "{rel} already exists; edit it, or choose another name"
            )));
        }
        Err(e) => return Err(Error::io(&path, e)),
    };
    file.write_all(render_template(kind, name, today).as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(PathBuf::from(rel))
}

/// Writes a new site into `dir` (created if needed), which must be empty; its workflow
/// installs the release `pin`. Returns the files written, relative to `dir`.
pub(crate) fn init(dir: &Path, today: Date, pin: &Pin) -> Result<Vec<PathBuf>> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Usage(format!(
                    "{} is not empty; `hotdesk init` only writes into a new or empty folder",
                    dir.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        Err(e) => return Err(Error::io(dir, e)),
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    collect(&INIT, &mut files);
    for s in crate::schema::schemas() {
        files.push((Path::new("schema").join(s.name), s.text.into_bytes()));
    }
    files.push((
        PathBuf::from(".vscode/settings.json"),
        crate::schema::vscode_settings().into_bytes(),
    ));
    files.sort();
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let rel = with_dot(rel);
        let text = fill(&String::from_utf8_lossy(&bytes), today, pin);
        write(dir, &rel, &text)?;
        written.push(rel);
    }
    // Generated from the content files just written.
    written.extend(issue_forms(dir)?);
    Ok(written)
}

/// (Re)writes the issue forms of the site in `dir` from its content (see [`forms`]).
pub(crate) fn issue_forms(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (rel, text) in forms::files(dir)? {
        write(dir, &rel, &text)?;
        written.push(rel);
    }
    Ok(written)
}

/// `gitignore` → `.gitignore`, `github/...` → `.github/...`.
fn with_dot(rel: PathBuf) -> PathBuf {
    if rel == Path::new("gitignore") {
        PathBuf::from(".gitignore")
    } else if let Ok(rest) = rel.strip_prefix("github") {
        Path::new(".github").join(rest)
    } else {
        rel
    }
}

/// A template with its `%...%` values in.
fn fill(template: &str, today: Date, pin: &Pin) -> String {
    let note = match &pin.sha256 {
        Some(_) => format!(
            "The SHA-256 of {}, from the release's SHA256SUMS.",
            pin.asset()
        ),
        None => format!(
            "PLACEHOLDER: paste the SHA-256 of {} from SHA256SUMS at \
             https://github.com/{}/releases/tag/v{} (`hotdesk init --hotdesk-sha256 SUM` writes it).",
            pin.asset(),
            pin.repository,
            pin.version
        ),
    };
    template
        .replace("%TODAY%", &today.to_string())
        .replace("%HOTDESK_REPOSITORY%", &pin.repository)
        .replace("%HOTDESK_VERSION%", &pin.version)
        .replace("%HOTDESK_SHA256_NOTE%", &note)
        .replace(
            "%HOTDESK_SHA256%",
            pin.sha256.as_deref().unwrap_or(release::SHA256_PLACEHOLDER),
        )
}

fn write(dir: &Path, rel: &Path, text: &str) -> Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

fn collect(dir: &Dir<'static>, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for f in dir.files() {
        out.push((f.path().to_path_buf(), f.contents().to_vec()));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(
            slugify("L'Atelier de l'Évangéline"),
            "l-atelier-de-l-evangeline"
        );
        assert_eq!(slugify("Harbour Hub"), "harbour-hub");
        assert_eq!(slugify("  Œuvre & Straße — №5 "), "oeuvre-strasse-no5");
        assert_eq!(slugify("!!!"), "");
        let long = slugify(&"word ".repeat(40));
        assert!(long.len() <= 80 && crate::load::is_slug(&long), "{long}");
    }

    #[test]
    fn names_are_quoted_safely() {
        let date = Date::constant(2026, 11, 25);
        let text = render_template(Kind::Page, "Say \"hi\": a \\ page", date);
        assert!(
            text.contains("title: \"Say \\\"hi\\\": a \\\\ page\"\n"),
            "{text}"
        );
    }
}
