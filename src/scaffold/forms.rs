//! The GitHub issue forms `init` writes (`.github/ISSUE_TEMPLATE/`): "Add a space" and
//! "Correct a listing", for people who will never open a pull request.
//!
//! Issue forms are static YAML, so they are generated rather than written by hand: every
//! field of a space is in [`FIELDS`] (a test fails when the space schema gains a property
//! that is not, so the forms cannot fall behind the model), its help text is the
//! schema's description (the doc comment in `src/raw.rs`), and the region and amenity
//! choices are read from the site's own `content/regions.yaml` and
//! `content/amenities.yaml`. When a network edits those, `hotdesk init --issue-forms .`
//! writes the forms again; the generated pull-request workflow fails while they differ.
//!
//! This module reads two content files and the schema and returns text; it never writes.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// Where the forms go, relative to the site root.
pub(crate) const DIR: &str = ".github/ISSUE_TEMPLATE";

/// How a field of a space is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    /// One line of text.
    Input,
    /// Free text (GitHub lets people attach pictures to it).
    Text,
    /// Free text asking for each sub-field of the property by name.
    Parts,
    /// A choice among the regions of `content/regions.yaml`.
    Region,
    /// Ticks for the amenities of `content/amenities.yaml`.
    Amenities,
    /// Yes, No or "I don't know" (true, false or left out).
    YesNo,
    /// One Yes/No/don't-know choice per yes-or-no sub-field, text for the others.
    Questions,
    /// Not asked: the reason says who fills it in.
    Omitted(&'static str),
}

/// One property of a space in the forms.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The property in the space schema.
    pub key: &'static str,
    pub label: &'static str,
    pub widget: Widget,
    /// Said before the schema's description, for someone who has not read the model.
    pub help: &'static str,
}

const fn f(key: &'static str, label: &'static str, widget: Widget, help: &'static str) -> Field {
    Field {
        key,
        label,
        widget,
        help,
    }
}

/// Every property of a space, in the order the form asks for them.
pub const FIELDS: &[Field] = &[
    f("name", "Name", Widget::Input, ""),
    f("region", "Region", Widget::Region, "Where the space is."),
    f(
        "status",
        "Status",
        Widget::Omitted("a new listing is active; a correction says in words that a space closed"),
        "",
    ),
    f("summary", "Summary", Widget::Input, "Optional."),
    f("address", "Address", Widget::Parts, ""),
    f(
        "location",
        "Location",
        Widget::Parts,
        "Optional: a maintainer can find the entrance on a map from the address.",
    ),
    f("website", "Website", Widget::Input, ""),
    f("email", "Email", Widget::Input, ""),
    f("phone", "Phone", Widget::Input, ""),
    f(
        "opening_hours",
        "Opening hours",
        Widget::Input,
        "Plain words are fine too; the syntax is at <https://wiki.openstreetmap.org/wiki/Key:opening_hours>.",
    ),
    f(
        "amenities",
        "Amenities",
        Widget::Amenities,
        "Tick what the space offers.",
    ),
    f("plans", "Prices", Widget::Parts, "One plan per line."),
    f("capacity", "Capacity", Widget::Input, ""),
    f(
        "languages",
        "Languages",
        Widget::Input,
        "e.g. English, French.",
    ),
    f("accessibility", "Accessibility", Widget::Questions, ""),
    f(
        "government_members_welcome",
        "Public servants welcome",
        Widget::YesNo,
        "",
    ),
    f("drop_in", "Drop-in", Widget::YesNo, ""),
    f(
        "images",
        "Pictures",
        Widget::Text,
        "Drop pictures here, each with a sentence saying what it shows, and say that you may share them.",
    ),
    f(
        "last_verified",
        "Last verified",
        Widget::Omitted(
            "the maintainer sets it to the day they confirm the details with the space",
        ),
        "",
    ),
];

/// An entry of regions.yaml or amenities.yaml (the form shows names; ids are for files).
#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
struct Regions {
    regions: Vec<Named>,
}

#[derive(Deserialize)]
struct Amenities {
    amenities: Vec<Named>,
}

fn read<T: for<'de> Deserialize<'de>>(root: &Path, rel: &str) -> Result<T> {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    serde_yaml::from_str(&text).map_err(|e| {
        Error::Usage(format!(
            "{rel} does not parse ({e}): run `hotdesk check` first"
        ))
    })
}

/// The space schema, as JSON.
pub fn space_schema() -> Value {
    let file = crate::schema::for_content_path("content/spaces/x.md").expect("a space schema");
    serde_json::from_str(&file.text).expect("the schema is JSON")
}

/// A YAML double-quoted string (a JSON string is one).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The choices of a dropdown or checkboxes element.
enum Choices<'a> {
    None,
    Dropdown(&'a [String]),
    Checkboxes(&'a [String]),
}

/// The YAML of one form element.
fn element(out: &mut String, kind: &str, id: &str, label: &str, help: &str, required: bool) {
    element_with(out, (kind, id, label, help), Choices::None, required);
}

fn element_with(
    out: &mut String,
    what: (&str, &str, &str, &str),
    choices: Choices,
    required: bool,
) {
    let (kind, id, label, help) = what;
    out.push_str(&format!(
        "  - type: {kind}\n    id: {id}\n    attributes:\n      label: {}\n",
        q(label)
    ));
    if !help.is_empty() {
        out.push_str(&format!("      description: {}\n", q(help)));
    }
    let (labels, checkboxes) = match choices {
        Choices::None => (&[][..], false),
        Choices::Dropdown(l) => (l, false),
        Choices::Checkboxes(l) => (l, true),
    };
    if !labels.is_empty() {
        out.push_str("      options:\n");
    }
    for l in labels {
        if checkboxes {
            out.push_str(&format!("        - label: {}\n", q(l)));
        } else {
            out.push_str(&format!("        - {}\n", q(l)));
        }
    }
    if required {
        out.push_str("    validations:\n      required: true\n");
    }
}

fn yes_no() -> Vec<String> {
    ["Yes", "No", "I don't know"].map(String::from).to_vec()
}

fn description(node: &Value) -> &str {
    node.get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The definition a property refers to (`$ref`, possibly inside `allOf`/`anyOf` or `items`).
fn definition<'a>(schema: &'a Value, prop: &'a Value) -> Option<&'a Value> {
    let reference = [prop, &prop["items"]]
        .into_iter()
        .chain(prop["allOf"].as_array().into_iter().flatten())
        .chain(prop["anyOf"].as_array().into_iter().flatten())
        .find_map(|n| n.get("$ref").and_then(Value::as_str))?;
    schema["definitions"].get(reference.trim_start_matches("#/definitions/"))
}

fn join(a: &str, b: &str) -> String {
    [a, b]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The "Add a space" form of a site whose content is under `root`.
pub fn add_a_space(root: &Path) -> Result<String> {
    let regions: Regions = read(root, "content/regions.yaml")?;
    let amenities: Amenities = read(root, "content/amenities.yaml")?;
    let region_names: Vec<String> = regions.regions.into_iter().map(|r| r.name).collect();
    let amenity_names: Vec<String> = amenities.amenities.into_iter().map(|a| a.name).collect();
    let schema = space_schema();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut out = String::from(
        "# Written by `hotdesk init` from the content model and content/regions.yaml and\n\
         # content/amenities.yaml: change those, then run `hotdesk init --issue-forms .`\n\
         name: Add a space\n\
         description: Ask for a coworking space to be listed. A maintainer turns it into a listing.\n\
         title: \"Add a space: \"\n\
         labels: [\"add a space\"]\n\
         body:\n  - type: markdown\n    attributes:\n      value: \"Thank you! Fill in what you know; a maintainer checks the details with the space before it is listed.\"\n",
    );
    for field in FIELDS {
        let prop = &schema["properties"][field.key];
        // The schema speaks of ids, for people editing files: a choice from the list needs
        // none of that.
        let help = match field.widget {
            Widget::Region | Widget::Amenities => field.help.to_owned(),
            _ => join(&description(prop).replace('\n', " "), field.help),
        };
        // The location is required in a listing, not from the person asking for one.
        let req = required.contains(&field.key) && field.key != "location";
        match field.widget {
            Widget::Omitted(_) => {}
            Widget::Input => element(&mut out, "input", field.key, field.label, &help, req),
            Widget::Text => element(&mut out, "textarea", field.key, field.label, &help, req),
            Widget::Parts => {
                let def = definition(&schema, prop).unwrap_or(&Value::Null);
                let mut text = help;
                for (k, v) in def["properties"].as_object().into_iter().flatten() {
                    text.push_str(&format!("\n- {k}: {}", description(v)));
                }
                element(&mut out, "textarea", field.key, field.label, &text, req);
            }
            Widget::Region => {
                let what = ("dropdown", field.key, field.label, help.as_str());
                element_with(&mut out, what, Choices::Dropdown(&region_names), req);
            }
            Widget::Amenities => {
                let what = ("checkboxes", field.key, field.label, help.as_str());
                element_with(&mut out, what, Choices::Checkboxes(&amenity_names), req);
            }
            Widget::YesNo => {
                let what = ("dropdown", field.key, field.label, help.as_str());
                element_with(&mut out, what, Choices::Dropdown(&yes_no()), req);
            }
            Widget::Questions => questions(&mut out, &schema, field, &help),
        }
    }
    element(
        &mut out,
        "textarea",
        "description",
        "About the space",
        "A few sentences: the rooms, the desks, who works there, how to get there.",
        true,
    );
    element(
        &mut out,
        "textarea",
        "source",
        "How do you know?",
        "For example: I manage the space, or I work there. Maintainers may contact the space to confirm.",
        false,
    );
    Ok(out)
}

/// A yes-or-no dropdown for each boolean part of an object property, text for the rest.
fn questions(out: &mut String, schema: &Value, field: &Field, help: &str) {
    out.push_str(&format!(
        "  - type: markdown\n    attributes:\n      value: {}\n",
        q(&format!("### {}\n{help}", field.label))
    ));
    let def = definition(schema, &schema["properties"][field.key]).unwrap_or(&Value::Null);
    for (k, v) in def["properties"].as_object().into_iter().flatten() {
        let id = format!("{}-{}", field.key, k.replace('_', "-"));
        let is_bool = v["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "boolean"));
        if is_bool {
            let what = ("dropdown", id.as_str(), description(v), "");
            element_with(out, what, Choices::Dropdown(&yes_no()), false);
        } else {
            let label = format!("{}: {}", field.label, k.replace('_', " "));
            element(out, "textarea", &id, &label, description(v), false);
        }
    }
}

/// The "Correct a listing" form: which listing, what is wrong (one tick per field the
/// "Add a space" form asks for), and the correction.
pub fn correct_a_listing() -> String {
    let mut out = String::from(
        "# Written by `hotdesk init` from the content model: run `hotdesk init --issue-forms .`\n\
         # after upgrading hotdesk.\n\
         name: Correct a listing\n\
         description: Something in a listing is wrong or out of date.\n\
         title: \"Correction: \"\n\
         labels: [\"correction\"]\n\
         body:\n",
    );
    element(
        &mut out,
        "input",
        "listing",
        "Which listing?",
        "The address of its page, or the space's name.",
        true,
    );
    let mut labels: Vec<String> = FIELDS
        .iter()
        .filter(|f| !matches!(f.widget, Widget::Omitted(_)))
        .map(|f| f.label.to_owned())
        .collect();
    labels.push("The space has closed, or closed for a while".to_owned());
    labels.push("Something else".to_owned());
    let what = (
        "checkboxes",
        "wrong",
        "What is wrong?",
        "Tick everything that needs a change.",
    );
    element_with(&mut out, what, Choices::Checkboxes(&labels), false);
    element(
        &mut out,
        "textarea",
        "correction",
        "The correction",
        "What it should say.",
        true,
    );
    element(
        &mut out,
        "textarea",
        "source",
        "How do you know?",
        "For example: I manage the space, or I was there last week.",
        false,
    );
    out
}

/// `config.yml`: blank issues stay possible (for anything that is not a listing).
pub fn config() -> String {
    "# Written by `hotdesk init`.\nblank_issues_enabled: true\n".to_owned()
}

/// The three files, relative to the site root, for the site under `root`.
pub fn files(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    let dir = Path::new(DIR);
    Ok(vec![
        (dir.join("add-a-space.yml"), add_a_space(root)?),
        (dir.join("config.yml"), config()),
        (dir.join("correct-a-listing.yml"), correct_a_listing()),
    ])
}
