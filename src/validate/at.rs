//! The field helper of validation: a problem pointed at a value of one file.
//!
//! Every check of [`super`] reports through an [`At`], which knows the file, where each
//! of its values is ([`Positions`]) and the list of problems, so a check names a dotted
//! path (`address.country`) and says what is wrong. The common value checks (required
//! text, dates, URLs, email, phone, language, time zone, a reference to a known id) live
//! here so that every kind of file words them alike. It checks values; it builds no part
//! of the model.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use url::Url;

use crate::error::{Diagnostic, Diagnostics};
use crate::load::{Doc, Positions};
use crate::model::limits;
use crate::source::SourceFile;
use crate::suggest::did_you_mean;

/// Points problems at positions in one file.
pub(super) struct At<'a> {
    pub(super) src: &'a Arc<SourceFile>,
    pub(super) pos: &'a Positions,
    pub(super) diags: &'a mut Diagnostics,
}

impl<'a> At<'a> {
    /// Points at positions in `doc`'s file.
    pub(super) fn of<T>(doc: &'a Doc<T>, diags: &'a mut Diagnostics) -> Self {
        At {
            src: &doc.src,
            pos: &doc.pos,
            diags,
        }
    }

    pub(super) fn error(
        &mut self,
        path: &str,
        code: &'static str,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, msg).at(self.src, self.pos.value(path));
        self.diags.push(d);
        self.diags_last()
    }

    pub(super) fn warn(
        &mut self,
        path: &str,
        code: &'static str,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::warning(code, msg).at(self.src, self.pos.value(path));
        self.diags.push(d);
        self.diags_last()
    }

    /// A problem found by [`crate::recur`], pointed inside the value when it says where.
    pub(super) fn problem(&mut self, p: crate::recur::Problem) {
        let value = self.pos.value(&p.path);
        // `inner` counts in the value's text: skip an opening quote.
        let quoted = matches!(
            self.src.text.as_bytes().get(value.start),
            Some(b'"' | b'\'')
        );
        let span = p.inner.map(|inner| {
            let base = value.start + usize::from(quoted);
            let s = (base + inner.start).min(value.end);
            s..(base + inner.end).clamp(s, value.end)
        });
        let d = self.error(&p.path, p.code, p.message);
        if let Some(span) = span {
            d.span = Some(span);
        }
        d.label = p.label;
        d.help = Some(p.help);
    }

    fn diags_last(&mut self) -> &mut Diagnostic {
        self.diags.last_mut().expect("just pushed")
    }

    pub(super) fn required_text(&mut self, path: &str, value: &str) {
        if matches!(value, "~" | "null" | "Null" | "NULL") && self.is_null(path) {
            self.error(
                path,
                "missing-field",
                format!("missing required field `{path}`"),
            )
            .help = Some(format!(
                "`{value}` is YAML for \"no value\"; write the text (quote it if it really is `{value}`)"
            ));
            return;
        }
        if value.trim().is_empty() {
            self.error(path, "empty-value", format!("`{path}` is empty"))
                .help = Some("fill it in; this field is required".into());
            return;
        }
        let last = path.rsplit('.').next().unwrap_or(path);
        let limit = match last {
            "name" | "title" => Some(limits::NAME),
            "description" | "summary" => Some(limits::SUMMARY),
            _ => None,
        };
        self.bounded(path, value, limit);
    }

    /// Whether the value at `path` is written as a YAML null (serde_yaml hands `~` to a
    /// text field as the text `~`), not quoted.
    fn is_null(&self, path: &str) -> bool {
        let span = self.pos.value(path);
        let raw = self.src.text.get(span).unwrap_or("");
        matches!(raw.trim(), "~" | "null" | "Null" | "NULL")
    }

    /// Refuses a text longer than `limit` (in characters) or holding a character that
    /// hides or reorders text (spoofing), named by code point.
    pub(super) fn bounded(&mut self, path: &str, value: &str, limit: Option<limits::Length>) {
        if let Some(limit) = limit {
            let n = value.trim().chars().count();
            if n > limit.max {
                self.error(
                    path,
                    "too-long",
                    format!(
                        "`{path}` is {n} characters; it may be at most {}",
                        limit.max
                    ),
                )
                .help = Some("shorten it; the longer text belongs in the description".into());
            }
        }
        if let Some(c) = value.chars().find(|&c| is_invisible(c)) {
            self.error(
                path,
                "invisible-character",
                format!(
                    "`{path}` contains the invisible character U+{:04X}, which can disguise text",
                    c as u32
                ),
            )
            .help = Some(
                "remove it: bidi overrides, isolates and other invisible controls are refused in names and texts"
                    .into(),
            );
        }
    }

    pub(super) fn date(&mut self, path: &str, value: &str) -> Option<Date> {
        match value.trim().parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                let d = self.error(path, "bad-date", format!("`{value}` is not a date"));
                d.label = Some("expected YYYY-MM-DD".into());
                d.help = Some("write dates as year-month-day, e.g. 2026-09-14".into());
                None
            }
        }
    }

    pub(super) fn datetime(&mut self, path: &str, value: &str) -> Option<DateTime> {
        match value.trim().parse::<DateTime>() {
            Ok(d) => Some(d),
            Err(_) => {
                let d = self.error(
                    path,
                    "bad-datetime",
                    format!("`{value}` is not a local date and time"),
                );
                d.label = Some("expected YYYY-MM-DDTHH:MM".into());
                d.help = Some(
                    "write e.g. 2026-12-08T10:00 (local time; the time zone is set separately)"
                        .into(),
                );
                None
            }
        }
    }

    /// A link: http(s) only (mailto/tel have their own fields).
    pub(super) fn web_url(&mut self, path: &str, value: &str) -> Option<Url> {
        match Url::parse(value.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Some(u),
            Ok(u) => {
                let d = self.error(
                    path,
                    "bad-url",
                    format!("`{}:` links are not allowed here", u.scheme()),
                );
                d.help = Some("use an http:// or https:// address".into());
                None
            }
            Err(e) => {
                let d = self.error(
                    path,
                    "bad-url",
                    format!("`{value}` is not a valid URL: {e}"),
                );
                d.help = Some("write the full address, starting with https://".into());
                None
            }
        }
    }

    pub(super) fn email(&mut self, path: &str, value: &str) -> Option<String> {
        let v = value.trim();
        let ok = v.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !v.chars().any(|c| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',' | ';' | '@') && c != '@'
                })
                && v.matches('@').count() == 1
        });
        if ok {
            Some(v.to_owned())
        } else {
            self.error(
                path,
                "bad-email",
                format!("`{value}` is not an email address"),
            )
            .help = Some("write it as name@example.org".into());
            None
        }
    }

    pub(super) fn phone(&mut self, path: &str, value: &str) -> Option<String> {
        let v = value.trim();
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let ok = (5..=17).contains(&digits)
            && v.chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if ok {
            Some(v.to_owned())
        } else {
            self.error(
                path,
                "bad-phone",
                format!("`{value}` is not a phone number"),
            )
            .help =
                Some("use digits, spaces, `+`, `-` and brackets, e.g. \"+1 902 555 0100\"".into());
            None
        }
    }

    pub(super) fn language(&mut self, path: &str, value: &str) {
        let max = limits::LANGUAGE.max;
        if value.trim().chars().count() > max {
            self.error(
                path,
                "bad-language",
                format!(
                    "`{path}` is longer than {max} characters, the longest a language tag may be"
                ),
            )
            .help = Some("use a tag such as en, fr, fr-CA".into());
            return;
        }
        if oxilangtag::LanguageTag::parse(value.trim()).is_err() || value.trim().is_empty() {
            self.error(
                path,
                "bad-language",
                format!("`{value}` is not a BCP 47 language tag"),
            )
            .help = Some("use a tag such as en, fr, fr-CA".into());
        }
    }

    pub(super) fn time_zone(&mut self, path: &str, value: &str) -> Option<TimeZone> {
        match TimeZone::get(value.trim()) {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.error(
                    path,
                    "bad-time-zone",
                    format!("`{value}` is not a time zone"),
                )
                .help = Some("use an IANA time zone name such as America/Halifax".into());
                None
            }
        }
    }

    pub(super) fn reference(
        &mut self,
        path: &str,
        value: &str,
        kind: &str,
        file: &str,
        known: &BTreeSet<String>,
    ) -> bool {
        if known.contains(value) {
            return true;
        }
        let d = self.error(path, "unknown-id", format!("unknown {kind} \"{value}\""));
        d.label = Some(
            match did_you_mean(value, known.iter().map(String::as_str)) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!("not in {file}"),
            },
        );
        d.help = Some(format!("{kind} ids are defined in {file}"));
        false
    }
}

/// Characters that reorder or hide text: bidi embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C), zero-width space and
/// word joiner, the BOM, and control characters (a tab or line break included: these
/// fields are one line).
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2060}' | '\u{FEFF}')
        || (c.is_control() && c != '\n')
}

/// Refuses a number outside `range`, naming the range.
pub(super) fn check_range(
    at: &mut At,
    path: &str,
    v: f64,
    range: limits::Range,
    code: &'static str,
) -> bool {
    if range.contains(v) {
        return true;
    }
    // `1.7e308` as written, not as 309 digits.
    let shown = if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        v.to_string()
    };
    at.error(
        path,
        code,
        format!("`{path}` is {shown}; it must be {}", range.describe()),
    )
    .help = Some("see the limits in docs/content-model.md".into());
    false
}
