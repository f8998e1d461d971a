//! "Did you mean …?": the closest of the known names to a mistyped one.
//!
//! Both the YAML stage (an unknown field) and validation (an unknown id, a missing image)
//! suggest a correction, so the rule lives here, below both of them, where neither has to
//! import the other for it. It knows nothing of content: it compares strings, and only
//! answers when a candidate is close enough to be a typo rather than another name.

/// The closest option to `name`, when one is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    options: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for o in options {
        let score = strsim::jaro_winkler(name, o);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, o));
        }
    }
    best.map(|(_, o)| o.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_only() {
        let opts = ["wifi", "printing", "parking"];
        assert_eq!(did_you_mean("wifii", opts).as_deref(), Some("wifi"));
        assert_eq!(did_you_mean("parkng", opts).as_deref(), Some("parking"));
        assert_eq!(did_you_mean("sauna", opts), None);
    }
}
