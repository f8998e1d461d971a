//! The site's language: the theme's strings, and how dates, amounts and language names
//! are written with them.
//!
//! A leaf that both `render` (through [`crate::render::format::Fmt`]) and `search` (the
//! labels of its form) read, so that `search` does not reach into `render` for a few
//! words while `render` builds on `search`'s index. It knows nothing of pages, views or
//! the model: it turns keys, dates, amounts and codes into text, and nothing else.

use std::collections::BTreeMap;

use jiff::civil::Date;

/// The theme's strings (key → text) in the site's language.
#[derive(Debug, Clone, Copy)]
pub struct Locale<'a> {
    strings: &'a BTreeMap<String, String>,
}

impl<'a> Locale<'a> {
    pub fn new(strings: &'a BTreeMap<String, String>) -> Self {
        Locale { strings }
    }

    /// A UI string, or its key when the theme lacks it (visible, so it gets fixed).
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// A date as the site's language writes it: `3 March 2026`.
    pub fn date(&self, d: Date) -> String {
        format!(
            "{} {} {}",
            d.day(),
            self.t(&format!("month_{}", d.month())),
            d.year()
        )
    }

    /// An amount with its currency's symbol (or code), thousands grouped, cents only
    /// when there are some.
    pub fn money(&self, amount: f64, currency: &str) -> String {
        let symbol = match currency {
            "CAD" => "CA$",
            "USD" => "US$",
            "EUR" => "€",
            "GBP" => "£",
            _ => "",
        };
        let whole = amount.fract().abs() < 1e-9;
        let int = amount.trunc() as i64;
        let mut digits = int.abs().to_string();
        let mut grouped = String::new();
        while digits.len() > 3 {
            let tail = digits.split_off(digits.len() - 3);
            grouped = format!(",{tail}{grouped}");
        }
        let mut s = format!("{}{digits}{grouped}", if int < 0 { "-" } else { "" });
        if !whole {
            s.push_str(&format!(
                ".{:02}",
                ((amount.fract().abs() * 100.0).round() as i64).min(99)
            ));
        }
        if symbol.is_empty() {
            format!("{s} {currency}")
        } else {
            format!("{symbol}{s}")
        }
    }

    /// A language's own name for itself, from its code; the code when unknown.
    pub fn language_name(code: &str) -> String {
        let primary = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
        match primary.as_str() {
            "en" => "English",
            "fr" => "Français",
            "es" => "Español",
            "de" => "Deutsch",
            "pt" => "Português",
            "it" => "Italiano",
            "nl" => "Nederlands",
            "ar" => "العربية",
            "zh" => "中文",
            "hi" => "हिन्दी",
            "pa" => "ਪੰਜਾਬੀ",
            "tl" => "Tagalog",
            "mi" => "Māori",
            "mic" => "Mi'kmaw",
            "gd" => "Gàidhlig",
            "uk" => "Українська",
            _ => return code.to_owned(),
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn language_names_fall_back_to_the_code() {
        assert_eq!(Locale::language_name("fr-CA"), "Français");
        assert_eq!(Locale::language_name("xx"), "xx");
    }
}
