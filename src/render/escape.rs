//! Escaping for the two places text goes besides HTML templates: XML (the sitemap and
//! the feeds) and JSON inside a `<script>` element (JSON-LD). A leaf: it knows no page.

/// Text for an XML element or attribute: the five predefined entities.
pub(crate) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// JSON for a `<script>` element: `<`, `>` and `&` escaped so no string can close it.
/// The plain statement of the rule that [`super::jsonld`] applies as it writes (without
/// this second pass); only the tests call it, to hold the JSON-LD writer to it.
#[cfg(test)]
pub(crate) fn script_json<T: serde::Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    #[test]
    fn script_json_cannot_close_the_script() {
        let s = super::script_json(&"</script><script>alert(1)</script>&");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "</script><script>alert(1)</script>&");
    }
}
