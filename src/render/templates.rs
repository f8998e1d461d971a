//! The theme's templates: which ones a theme must have, compiling them, and turning a
//! Tera error into a diagnostic that names the template file.
//!
//! Compiled once per render; the templates never see content as template source, and
//! every template is escaped whatever its name. Nothing here renders a page.

use std::path::PathBuf;

use tera::Tera;

use super::theme;
use crate::error::{Diagnostic, Diagnostics};

/// Templates every theme must end up with (after falling back to the default theme).
pub(crate) const TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "spaces.html",
    "space.html",
    "regions.html",
    "region.html",
    "amenities.html",
    "amenity.html",
    "partnerships.html",
    "partnership.html",
    "partnership-report.html",
    "sessions.html",
    "session.html",
    "page.html",
    "404.html",
    "card.html",
    "listing-policy.html",
];

pub(crate) fn compile(files: &theme::ThemeFiles, diags: &mut Diagnostics) -> Option<Tera> {
    let mut tera = Tera::new();
    // Escape every template, whatever its name: content must never reach HTML raw.
    tera.autoescape_on([""]);
    // Tera's escaping, byte for byte, written a run of text at a time.
    tera.set_escape_fn(theme::escape_html);
    let mut sources = Vec::new();
    for (name, f) in &files.templates {
        match std::str::from_utf8(&f.bytes) {
            Ok(text) => sources.push((name.clone(), text.to_owned())),
            Err(_) => diags.push(
                Diagnostic::error("invalid-utf8", "the template is not valid UTF-8")
                    .in_file(PathBuf::from(&f.source)),
            ),
        }
    }
    for name in TEMPLATES {
        if !files.templates.contains_key(*name) {
            diags.push(
                Diagnostic::error(
                    "missing-template",
                    format!("the theme has no `{name}` template"),
                )
                .in_file(PathBuf::from("themes"))
                .help("add it to your theme or remove the theme's override folder"),
            );
        }
    }
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let name = files
            .templates
            .keys()
            .find(|k| e.to_string().contains(k.as_str()))
            .cloned()
            .unwrap_or_else(|| "base.html".into());
        diags.push(template_error(files, &name, "compiling the theme", &e));
        return None;
    }
    tera.autoescape_on([""]);
    Some(tera)
}

pub(crate) fn template_error(
    files: &theme::ThemeFiles,
    template: &str,
    doing: &str,
    e: &tera::Error,
) -> Diagnostic {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    let path = files
        .templates
        .get(template)
        .map(|f| f.source.clone())
        .unwrap_or_else(|| format!("themes/…/templates/{template}"));
    Diagnostic::error(
        "template",
        format!("template error while rendering {doing}"),
    )
    .in_file(PathBuf::from(path))
    .label(msg)
    .help("fix the template; content is never evaluated as a template")
}
