//! Themes: templates, static assets and UI strings, with a fallback chain.
//!
//! A site names its theme in `site.yaml`. Each file is looked up in
//! `themes/<theme>/`, then `themes/default/` on disk, then the default theme built into
//! the binary — so a site's theme may override one template and inherit the rest, and a
//! site with no `themes/` folder still builds. Theme files come from pull requests too:
//! symlinks are refused, exactly as in content.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::{Diagnostic, Diagnostics};
use crate::load::yaml;
use crate::source::SourceFile;

static EMBEDDED_DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// One file of a theme and where it came from (for error messages).
#[derive(Debug, Clone)]
pub(crate) struct ThemeFile {
    pub bytes: Vec<u8>,
    pub source: String,
}

#[derive(Debug, Default)]
pub(crate) struct ThemeFiles {
    /// `templates/…` relative name → file.
    pub templates: BTreeMap<String, ThemeFile>,
    /// `static/…` relative path → file.
    pub statics: BTreeMap<String, ThemeFile>,
    /// `strings/<lang>.yaml` → file.
    pub strings: BTreeMap<String, ThemeFile>,
}

/// Gathers the theme's files through the fallback chain: the first layer that has a
/// file wins.
pub(crate) fn gather(root: &Path, theme: &str, diags: &mut Diagnostics) -> ThemeFiles {
    let mut files = ThemeFiles::default();
    let mut layers: Vec<PathBuf> = Vec::new();
    // `themes/` itself is checked first: a link there would make every layer below it a
    // folder from elsewhere on the machine.
    let themes_linked = is_link(root, &root.join("themes"), diags);
    if theme != "default" {
        let dir = root.join("themes").join(theme);
        if themes_linked || is_link(root, &dir, diags) {
            // Reported by `is_link`; the built-in default still renders the site.
        } else if dir.is_dir() {
            layers.push(dir);
        } else {
            diags.push(
                Diagnostic::error("missing-theme", format!("theme `{theme}` not found"))
                    .in_file(PathBuf::from("content/site.yaml"))
                    .help(format!("create themes/{theme}/ or set `theme: default`")),
            );
        }
    }
    let default_dir = root.join("themes").join("default");
    if !themes_linked && !is_link(root, &default_dir, diags) && default_dir.is_dir() {
        layers.push(default_dir);
    }
    for layer in &layers {
        add_disk_layer(root, layer, &mut files, diags);
    }
    add_embedded(&EMBEDDED_DEFAULT, &mut files);
    files
}

/// Whether `path` is a symbolic link, which is then reported: a theme folder is read
/// only where it is, never through a link (walkdir would follow a link given as its
/// root), so a pull request cannot publish files from outside the site.
fn is_link(root: &Path, path: &Path, diags: &mut Diagnostics) -> bool {
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if linked {
        diags.push(
            Diagnostic::error("symlink", "symbolic links are not allowed in themes")
                .in_file(path.strip_prefix(root).unwrap_or(path))
                .help("copy the folder here instead: following a link could publish files from outside the site"),
        );
    }
    linked
}

fn slot<'a>(
    files: &'a mut ThemeFiles,
    rel: &str,
) -> Option<(&'a mut BTreeMap<String, ThemeFile>, String)> {
    let (kind, rest) = rel.split_once('/')?;
    let map = match kind {
        "templates" => &mut files.templates,
        "static" => &mut files.statics,
        "strings" => &mut files.strings,
        _ => return None,
    };
    Some((map, rest.to_owned()))
}

fn add_disk_layer(root: &Path, dir: &Path, files: &mut ThemeFiles, diags: &mut Diagnostics) {
    for item in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                diags.push(
                    Diagnostic::error("unreadable", format!("cannot read theme: {e}"))
                        .in_file(dir.strip_prefix(root).unwrap_or(dir)),
                );
                continue;
            }
        };
        let path = entry.path();
        let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let name = entry.file_name().to_string_lossy();
        if crate::load::is_ignored(&name) {
            continue;
        }
        if entry.file_type().is_symlink() {
            diags.push(
                Diagnostic::error("symlink", "symbolic links are not allowed in themes")
                    .in_file(shown)
                    .help("copy the file here instead: following a link could publish a file from outside the site"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let rel = crate::source::display_path(rel);
        let Some((map, key)) = slot(files, &rel) else {
            continue;
        };
        if map.contains_key(&key) {
            continue;
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                map.insert(
                    key,
                    ThemeFile {
                        bytes,
                        source: crate::source::display_path(&shown),
                    },
                );
            }
            Err(e) => diags
                .push(Diagnostic::error("unreadable", format!("cannot read: {e}")).in_file(shown)),
        }
    }
}

fn add_embedded(dir: &Dir<'static>, files: &mut ThemeFiles) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => add_embedded(d, files),
            include_dir::DirEntry::File(f) => {
                let rel = crate::source::display_path(f.path());
                let name = f
                    .path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if crate::load::is_ignored(&name) {
                    continue;
                }
                if let Some((map, key)) = slot(files, &rel) {
                    map.entry(key).or_insert_with(|| ThemeFile {
                        bytes: f.contents().to_vec(),
                        source: format!("(built-in default theme)/{rel}"),
                    });
                }
            }
        }
    }
}

/// UI strings for `language` (its primary subtag), over English ones for missing keys.
pub(crate) fn strings(
    files: &ThemeFiles,
    language: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let primary = language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let mut out = BTreeMap::new();
    for lang in ["en".to_owned(), primary] {
        let Some(file) = files.strings.get(&format!("{lang}.yaml")) else {
            continue;
        };
        let text = match String::from_utf8(file.bytes.clone()) {
            Ok(t) => t,
            Err(_) => {
                diags.push(
                    Diagnostic::error("invalid-utf8", "the strings file is not valid UTF-8")
                        .in_file(PathBuf::from(&file.source)),
                );
                continue;
            }
        };
        let src = SourceFile::new(&file.source, text);
        match yaml::parse::<BTreeMap<String, String>>(&src, 0..src.text.len()) {
            Ok((map, _)) => out.extend(map),
            Err(d) => diags.extend(d),
        }
    }
    out
}

/// Tera's HTML escaping, byte for byte (`&`, `<`, `>`, `"` and `'` as `&amp;`, `&lt;`,
/// `&gt;`, `&quot;` and `&#39;`), for `Tera::set_escape_fn`. Tera's own writes every
/// byte with a call of its own into the output; this writes each run of bytes that need
/// no escaping at once, which is most of every page's text.
pub(crate) fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_escaped(input.as_bytes(), out, |b| match b {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'>' => Some(b"&gt;"),
        b'"' => Some(b"&quot;"),
        b'\'' => Some(b"&#39;"),
        _ => None,
    })
}

/// Writes `bytes` with each byte `escape` has a replacement for replaced, and each run
/// of bytes between them in one write.
pub(crate) fn write_escaped<W: std::io::Write + ?Sized>(
    bytes: &[u8],
    out: &mut W,
    escape: impl Fn(u8) -> Option<&'static [u8]>,
) -> std::io::Result<()> {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let Some(escaped) = escape(b) else {
            continue;
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(escaped)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_theme_overrides_one_template_and_inherits_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("themes/mine/templates");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("page.html"), "mine").unwrap();
        let mut d = Diagnostics::new();
        let files = gather(dir.path(), "mine", &mut d);
        assert!(d.is_empty());
        assert_eq!(files.templates["page.html"].bytes, b"mine");
        assert_eq!(
            files.templates["page.html"].source,
            "themes/mine/templates/page.html"
        );
        assert!(files.templates["base.html"].source.starts_with("(built-in"));
        assert!(files.statics.contains_key("css/style.css"));
    }

    #[cfg(unix)]
    #[test]
    fn a_theme_folder_that_is_a_link_is_refused_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside/templates");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("page.html"), "from outside").unwrap();
        for (link, theme) in [("themes/mine", "mine"), ("themes/default", "default")] {
            let site = tempfile::tempdir().unwrap();
            let link = site.path().join(link);
            std::fs::create_dir_all(link.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(dir.path().join("outside"), &link).unwrap();
            let mut d = Diagnostics::new();
            let files = gather(site.path(), theme, &mut d);
            let codes: Vec<_> = d.iter().map(|x| x.code).collect();
            assert_eq!(codes, ["symlink"], "{theme}");
            assert_ne!(files.templates["page.html"].bytes, b"from outside");
        }
        // The themes/ folder itself.
        let site = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), site.path().join("themes")).unwrap();
        let mut d = Diagnostics::new();
        gather(site.path(), "default", &mut d);
        assert_eq!(d.iter().map(|x| x.code).collect::<Vec<_>>(), ["symlink"]);
    }

    #[test]
    fn a_missing_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut d = Diagnostics::new();
        gather(dir.path(), "nope", &mut d);
        assert_eq!(d.iter().next().unwrap().code, "missing-theme");
    }

    #[test]
    fn escaping_matches_teras_own() {
        for s in [
            "",
            "plain text",
            "a & b < c > d \"e\" 'f'",
            "&&<<>>\"\"''",
            "Zürich — “café” 🎉 &amp;",
            "<script>alert('x')</script>",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(s, &mut ours).unwrap();
            tera::escape_html(s, &mut teras).unwrap();
            assert_eq!(ours, teras, "{s:?}");
        }
    }
}
