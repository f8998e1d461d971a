//! JSON Schemas of the content files, generated from the structs in [`crate::raw`].
//!
//! Editors use them to complete and check `content/site.yaml`, `amenities.yaml` and
//! `regions.yaml` as they are typed (the VS Code YAML extension reads the
//! `# yaml-language-server: $schema=...` first line, or `.vscode/settings.json`). The
//! schemas of the Markdown front matter (spaces, partnerships, sessions, pages) are
//! published too, for other tools; no common editor checks front matter, which is what
//! `hotdesk check` and the error overlay of `hotdesk serve` are for.
//!
//! The schemas are draft-07, the draft the VS Code YAML extension documents. They see
//! structure only: types, required and unknown fields, closed vocabularies. Whether an
//! amenity id exists or a date is a date is checked by `hotdesk check`, not here.
//! Deriving them from the same structs serde reads means they cannot drift apart;
//! `schema/` in the repository is a generated copy, and a test keeps it current.

use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::raw::*;

/// One schema file: its name, the content files it describes, and its text.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// File name, e.g. `space.schema.json`.
    pub name: &'static str,
    /// The content files it applies to, as a glob relative to the site root.
    pub applies_to: &'static str,
    /// Pretty-printed JSON with a final newline.
    pub text: String,
}

fn generate<T: JsonSchema>(title: &str, description: &str) -> Value {
    let mut schema: Schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    schema.to_value()
}

/// Every schema, in a fixed order.
pub fn schemas() -> Vec<SchemaFile> {
    let front = "The front matter (between the `---` lines) of";
    let list: Vec<(&'static str, &'static str, Value)> = vec![
        (
            "site.schema.json",
            "content/site.yaml",
            generate::<RawSite>(
                "hotdesk site settings",
                "content/site.yaml: the directory's title, address, language and time zone.",
            ),
        ),
        (
            "amenities.schema.json",
            "content/amenities.yaml",
            generate::<RawAmenities>(
                "hotdesk amenities",
                "content/amenities.yaml: the categories and amenities a space can list.",
            ),
        ),
        (
            "regions.schema.json",
            "content/regions.yaml",
            generate::<RawRegions>(
                "hotdesk regions",
                "content/regions.yaml: the regions spaces are grouped in.",
            ),
        ),
        (
            "space.schema.json",
            "content/spaces/*.md",
            generate::<RawSpace>(
                "hotdesk space",
                &format!("{front} content/spaces/<slug>.md: one coworking space."),
            ),
        ),
        (
            "partnership.schema.json",
            "content/partnerships/*.md",
            generate::<RawPartnership>(
                "hotdesk partnership",
                &format!(
                    "{front} content/partnerships/<slug>.md: one government partnership programme."
                ),
            ),
        ),
        (
            "session.schema.json",
            "content/sessions/*.md",
            generate::<RawSession>(
                "hotdesk info session",
                &format!("{front} content/sessions/<slug>.md: one information session."),
            ),
        ),
        (
            "page.schema.json",
            "content/pages/*.md",
            generate::<RawPage>(
                "hotdesk page",
                &format!("{front} content/pages/<slug>.md: one free page."),
            ),
        ),
    ];
    list.into_iter()
        .map(|(name, applies_to, value)| {
            let mut text = serde_json::to_string_pretty(&value).expect("a schema is plain JSON");
            text.push('\n');
            SchemaFile {
                name,
                applies_to,
                text,
            }
        })
        .collect()
}

/// The schema of a content file, by its path relative to the site root.
pub fn for_content_path(rel: &str) -> Option<SchemaFile> {
    let name = match rel {
        "content/site.yaml" => "site.schema.json",
        "content/amenities.yaml" => "amenities.schema.json",
        "content/regions.yaml" => "regions.schema.json",
        _ => match rel.strip_suffix(".md").and_then(|r| r.rsplit_once('/')) {
            Some(("content/spaces", _)) => "space.schema.json",
            Some(("content/partnerships", _)) => "partnership.schema.json",
            Some(("content/sessions", _)) => "session.schema.json",
            Some(("content/pages", _)) => "page.schema.json",
            _ => return None,
        },
    };
    schemas().into_iter().find(|s| s.name == name)
}

/// `.vscode/settings.json` mapping each YAML content file to its schema, for a site
/// whose schemas are in `schema/` beside `content/`.
pub fn vscode_settings() -> String {
    let mut map = serde_json::Map::new();
    for s in schemas()
        .into_iter()
        .filter(|s| s.applies_to.ends_with(".yaml"))
    {
        map.insert(format!("./schema/{}", s.name), s.applies_to.into());
    }
    let mut root = serde_json::Map::new();
    root.insert("yaml.schemas".into(), Value::Object(map));
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).expect("plain JSON");
    text.push('\n');
    text
}

/// Writes every schema into `dir` (created if needed); returns the paths written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut written = Vec::new();
    for s in schemas() {
        let path = dir.join(s.name);
        std::fs::write(&path, &s.text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_draft_07_and_closed() {
        for s in schemas() {
            let v: Value = serde_json::from_str(&s.text).unwrap();
            assert_eq!(
                v["$schema"], "http://json-schema.org/draft-07/schema#",
                "{}",
                s.name
            );
            assert_eq!(v["additionalProperties"], false, "{}", s.name);
            assert!(v["title"].as_str().unwrap().starts_with("hotdesk"));
        }
    }

    #[test]
    fn funding_is_none_or_the_amount() {
        let s = for_content_path("content/partnerships/x.md").unwrap();
        let v: Value = serde_json::from_str(&s.text).unwrap();
        let one_of = v["definitions"]["RawFunding"]["oneOf"].as_array().unwrap();
        assert_eq!(one_of[0]["const"], "none");
        assert!(
            one_of[1]["$ref"]
                .as_str()
                .unwrap()
                .ends_with("RawFundingAmount")
        );
    }

    #[test]
    fn doc_comments_become_descriptions() {
        let s = for_content_path("content/spaces/a.md").unwrap();
        let v: Value = serde_json::from_str(&s.text).unwrap();
        assert!(
            v["properties"]["opening_hours"]["description"]
                .as_str()
                .unwrap()
                .contains("OpenStreetMap")
        );
        assert!(for_content_path("content/static/a.md").is_none());
    }
}
