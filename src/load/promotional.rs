//! Fields that would rank a listing: the neutrality policy at the level of a YAML key.
//!
//! This directory favours no space, so no content file may carry a key such as
//! `featured`, `priority` or `sort_order`, whether or not the content model knows it
//! (an unknown key is refused anyway; this one is refused with the reason). The list and
//! the rule live here; the safety scan ([`super::scan`]) asks [`PromotionalCheck`] about
//! every key it reads. Nothing here parses YAML or knows the content model's fields,
//! except in a test that holds the model to the rule.

/// Keys that would let a listing buy or be given prominence. Refused anywhere in content,
/// alone or as a word of a longer key (`is_featured`, `sort-order`): see [`is_promotional`].
/// No key of the content model may contain one (a unit test checks the schemas).
pub(crate) const PROMOTIONAL_KEYS: &[&str] = &[
    "featured",
    "feature",
    "sponsored",
    "sponsor",
    "promoted",
    "promote",
    "priority",
    "weight",
    "order",
    "rank",
    "ranking",
    "pinned",
    "pin",
    "sticky",
    "badge",
    "highlight",
    "highlighted",
    "boost",
    "boosted",
    "premium",
    "top",
    "spotlight",
    "promotion",
    "advert",
    "advertised",
    "paid",
    "sort",
    "position",
    "score",
    "rating",
    "stars",
];

pub(crate) const NEUTRALITY_HELP: &str = "this directory favours no space: no field may rank, feature or \
highlight a listing, and every listed space is shown with the same card in a shuffled order \
(see the generated page /how-spaces-are-listed/)";

/// Whether the key `key`, at dotted path `full` of the content file `file` (relative to
/// the site root), would rank or highlight a listing: it is one of [`PROMOTIONAL_KEYS`],
/// or has one as a word (split at `_` and `-`), ignoring case. Only files under
/// `content/` are concerned (a theme's strings file is UI text, with keys such as
/// `order_note_shuffle`), and `listing.order` in `content/site.yaml` is allowed: it
/// chooses the order of the whole directory (shuffled by default) and cannot single out
/// a space.
///
/// This is the rule written plainly; the scan runs [`PromotionalCheck`], its faster
/// spelling, which a test holds to it.
#[cfg(test)]
fn is_promotional(file: &std::path::Path, full: &str, key: &str) -> bool {
    if !file.starts_with("content")
        || (full == "listing.order" && file == std::path::Path::new("content/site.yaml"))
    {
        return false;
    }
    let key = key.to_ascii_lowercase();
    PROMOTIONAL_KEYS.contains(&key.as_str())
        || key.split(['_', '-']).any(|w| PROMOTIONAL_KEYS.contains(&w))
}

/// Whether keys of this file are checked by [`is_promotional`], computed once per file.
pub(super) struct PromotionalCheck {
    in_content: bool,
    is_site: bool,
}

impl PromotionalCheck {
    pub(super) fn new(file: &std::path::Path) -> Self {
        PromotionalCheck {
            in_content: file.starts_with("content"),
            is_site: file == std::path::Path::new("content/site.yaml"),
        }
    }

    /// [`is_promotional`] without its per-key path and allocation work.
    pub(super) fn check(&self, full: &str, key: &str) -> bool {
        if !self.in_content || (self.is_site && full == "listing.order") {
            return false;
        }
        word_is_promotional(key) || key.split(['_', '-']).any(word_is_promotional)
    }
}

/// Whether `w` is one of [`PROMOTIONAL_KEYS`], ignoring ASCII case. Every key of every
/// file is checked word by word, so the list is not walked for words no entry can match.
fn word_is_promotional(w: &str) -> bool {
    const LONGEST: usize = {
        let (mut i, mut longest) = (0, 0);
        while i < PROMOTIONAL_KEYS.len() {
            if PROMOTIONAL_KEYS[i].len() > longest {
                longest = PROMOTIONAL_KEYS[i].len();
            }
            i += 1;
        }
        longest
    };
    if w.len() > LONGEST {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    let lower = &mut lower[..w.len()];
    lower.copy_from_slice(w.as_bytes());
    lower.make_ascii_lowercase();
    PROMOTIONAL_KEYS.iter().any(|p| p.as_bytes() == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotional_words_inside_keys_are_refused_but_the_listing_order_is_not() {
        use std::path::Path;
        let space = Path::new("content/spaces/a.md");
        let site = Path::new("content/site.yaml");
        for key in ["is_featured", "Sort-Order", "paid_placement", "top", "RANK"] {
            assert!(is_promotional(space, key, key), "{key}");
        }
        for key in [
            "name",
            "first_screen",
            "drop_in",
            "desktop_count",
            "laptops",
        ] {
            assert!(!is_promotional(space, key, key), "{key}");
        }
        // The directory-wide order policy is allowed, and only there.
        assert!(!is_promotional(site, "listing.order", "order"));
        let strings = Path::new("themes/default/strings/en.yaml");
        assert!(!is_promotional(
            strings,
            "order_note_shuffle",
            "order_note_shuffle"
        ));
        assert!(is_promotional(site, "order", "order"));
        assert!(is_promotional(space, "listing.order", "order"));
    }

    #[test]
    fn the_scan_refuses_exactly_the_keys_is_promotional_refuses() {
        let space = std::path::Path::new("content/spaces/a.md");
        let check = PromotionalCheck::new(space);
        let mut keys: Vec<String> = PROMOTIONAL_KEYS
            .iter()
            .flat_map(|k| {
                [
                    k.to_string(),
                    k.to_uppercase(),
                    format!("is_{k}"),
                    format!("{k}-x"),
                    format!("{k}s"),
                    k[1..].to_string(),
                ]
            })
            .collect();
        keys.extend(["name", "", "_", "highlightedx", "toppings", "Top", "tÖp"].map(String::from));
        for key in keys {
            assert_eq!(
                check.check(&key, &key),
                is_promotional(space, &key, &key),
                "{key}"
            );
        }
    }

    #[test]
    fn no_field_of_the_content_model_is_promotional() {
        fn keys(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, child) in map {
                        if k == "properties" {
                            if let serde_json::Value::Object(props) = child {
                                for (name, schema) in props {
                                    let full = if path.is_empty() {
                                        name.clone()
                                    } else {
                                        format!("{path}.{name}")
                                    };
                                    out.push((full.clone(), name.clone()));
                                    keys(schema, &full, out);
                                }
                            }
                        } else {
                            keys(child, path, out);
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|i| keys(i, path, out)),
                _ => {}
            }
        }
        use crate::raw::*;
        use schemars::schema_for;
        let schemas = [
            ("content/site.yaml", schema_for!(RawSite)),
            ("content/amenities.yaml", schema_for!(RawAmenities)),
            ("content/regions.yaml", schema_for!(RawRegions)),
            ("content/spaces/a.md", schema_for!(RawSpace)),
            ("content/partnerships/a.md", schema_for!(RawPartnership)),
            ("content/sessions/a.md", schema_for!(RawSession)),
            ("content/pages/a.md", schema_for!(RawPage)),
        ];
        for (file, schema) in schemas {
            let mut found = Vec::new();
            keys(&schema.to_value(), "", &mut found);
            assert!(!found.is_empty(), "{file}: no properties found");
            for (full, key) in found {
                // Definitions are walked without their parent path; `order` is only ever
                // the listing policy's.
                let full = if key == "order" && file == "content/site.yaml" {
                    "listing.order".to_owned()
                } else {
                    full
                };
                assert!(
                    !is_promotional(std::path::Path::new(file), &full, &key),
                    "{file}: `{full}` would be refused as promotional"
                );
            }
        }
    }
}
