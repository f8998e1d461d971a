//! Open data and JSON-LD: each file is read back with a real parser and checked against
//! the content it came from.

use serde_json::Value;

use crate::feeds::{render, text};
use crate::support::*;

/// The JSON-LD of a page, parsed.
fn jsonld(html: &str) -> Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("the page has JSON-LD")
        + r#"<script type="application/ld+json">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

#[test]
fn jsonld_describes_spaces_sessions_and_partnerships() {
    let out = render(&example());
    let space = jsonld(&text(&out, "spaces/harbourfront-commons/index.html"));
    assert_eq!(space["@context"], "https://schema.org");
    assert_eq!(space["@type"], "LocalBusiness");
    assert_eq!(space["address"]["@type"], "PostalAddress");
    assert_eq!(space["address"]["addressCountry"], "CA");
    assert!(space["geo"]["latitude"].is_number());
    let hours = space["openingHoursSpecification"].as_array().unwrap();
    assert_eq!(hours[0]["opens"], "08:00");
    assert!(
        space["amenityFeature"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["@type"] == "LocationFeatureSpecification")
    );
    // "Mo-Fr 08:00-17:00; Jun-Sep Sa 09:00-15:00" is not a simple weekly form: left out.
    let loft = jsonld(&text(&out, "spaces/north-rustico-net-loft/index.html"));
    assert!(loft.get("openingHoursSpecification").is_none());

    let session = jsonld(&text(
        &out,
        "sessions/property-tax-basics-exchange/index.html",
    ));
    assert_eq!(session["@type"], "Event");
    for key in [
        "name",
        "startDate",
        "endDate",
        "eventStatus",
        "eventAttendanceMode",
        "location",
        "organizer",
        "inLanguage",
    ] {
        assert!(session.get(key).is_some(), "Event without {key}: {session}");
    }
    assert_eq!(session["startDate"], "2026-12-02T18:00:00-04:00");
    assert_eq!(session["location"]["@type"], "Place");
    assert_eq!(session["location"]["address"]["@type"], "PostalAddress");

    // A repeating online session: one Event per date, each with its status and offset.
    let series = jsonld(&text(
        &out,
        "sessions/work-near-home-questions-online/index.html",
    ));
    let events = series["@graph"].as_array().unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0]["location"]["@type"], "VirtualLocation");
    assert_eq!(
        events[0]["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(events[3]["startDate"], "2027-03-18T12:00:00-03:00");
    assert_eq!(
        events[2]["eventStatus"],
        "https://schema.org/EventCancelled"
    );
    assert_eq!(events[0]["offers"]["price"], 0);
    assert_eq!(events[0]["isAccessibleForFree"], true);

    let p = jsonld(&text(&out, "partnerships/work-near-home-pei/index.html"));
    assert_eq!(p["@type"], "GovernmentService");
    assert_eq!(p["provider"]["@type"], "GovernmentOrganization");
    assert_eq!(p["availableChannel"].as_array().unwrap().len(), 9);
    let all = text(&out, "partnerships/work-near-home-pei/index.html");
    assert!(!all.contains("ItemList") && !all.contains("\"position\""));
}

#[test]
fn a_hostile_name_cannot_break_out_of_the_jsonld_script() {
    let site = minimal_site();
    let p = site.path().join("content/spaces/harbour-hub.md");
    let hostile = r#"Harbour </script><script>alert(1)</script> & <!-- co"#;
    let text_before = std::fs::read_to_string(&p).unwrap();
    let name_line = text_before
        .lines()
        .find(|l| l.starts_with("name:"))
        .unwrap();
    std::fs::write(
        &p,
        text_before.replacen(name_line, &format!("name: '{hostile}'"), 1),
    )
    .unwrap();
    let out = render(site.path());
    let html = text(&out, "spaces/harbour-hub/index.html");
    assert!(
        !html.contains("<script>alert(1)"),
        "unescaped script in the page"
    );
    let ld = jsonld(&html);
    assert_eq!(ld["name"], hostile, "the name survives, escaped");
    let start = html.find("application/ld+json").unwrap();
    let script = &html[start..start + html[start..].find("</script>").unwrap()];
    assert!(!script[20..].contains('<'), "{script}");
}

#[test]
fn json_files_have_the_versioned_shape_with_stable_ids() {
    let out = render(&example());
    for (file, n) in [
        ("data/spaces.json", 20),
        ("data/sessions.json", 19),
        ("data/partnerships.json", 3),
    ] {
        let v: Value = serde_json::from_str(&text(&out, file)).unwrap();
        assert_eq!(v["version"], 1, "{file}");
        assert_eq!(v["generated"], "2026-11-25T12:00:00Z");
        assert_eq!(v["licence"], "CC-BY-4.0");
        let items = v["items"].as_array().unwrap();
        assert_eq!(items.len(), n, "{file}");
        let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted, "{file}: items in id order");
    }
    let sessions: Value = serde_json::from_str(&text(&out, "data/sessions.json")).unwrap();
    let series = sessions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "advisor-drop-in-hours-north-rustico")
        .unwrap();
    assert_eq!(series["repeat"], "FREQ=MONTHLY;BYDAY=2TU;UNTIL=2027-06-30");
    let occ = series["occurrences"].as_array().unwrap();
    assert_eq!(occ.len(), 4);
    assert_eq!(occ[2]["status"], "cancelled");
    assert_eq!(occ[2]["start"], "2027-04-13T10:00:00-03:00");
}

#[test]
fn the_csv_parses_back_one_row_per_space() {
    let out = render(&example());
    let bytes = out.get("data/spaces.csv").unwrap();
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 20);
    let (model, _) = hotdesk::build::check(&options(&example())).unwrap();
    let model = model.unwrap();
    for (row, space) in rows.iter().zip(&model.spaces) {
        assert_eq!(&row[col("id")], space.slug.as_str());
        assert_eq!(&row[col("name")], space.name);
        assert_eq!(
            &row[col("street")],
            space.address.street,
            "commas survive quoting"
        );
        assert_eq!(row[col("lat")].parse::<f64>().unwrap(), space.lat);
        assert_eq!(row[col("lon")].parse::<f64>().unwrap(), space.lon);
    }
    let meta: Value =
        serde_json::from_slice(out.get("data/spaces.csv-metadata.json").unwrap()).unwrap();
    assert_eq!(meta["dc:license"], "CC-BY-4.0");
    assert_eq!(
        meta["tableSchema"]["columns"].as_array().unwrap().len(),
        headers.len()
    );
}

#[test]
fn the_geojson_is_a_feature_collection_in_lon_lat_order() {
    let out = render(&example());
    let text = text(&out, "data/spaces.geojson");
    let gj: geojson::GeoJson = text.parse().expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = gj else {
        panic!("not a FeatureCollection");
    };
    assert_eq!(fc.features.len(), 20);
    let f = fc
        .features
        .iter()
        .find(|f| f.id == Some(geojson::feature::Id::String("harbourfront-commons".into())))
        .unwrap();
    let Some(geojson::Value::Point(p)) = f.geometry.as_ref().map(|g| g.value.clone()) else {
        panic!("not a point");
    };
    // Charlottetown: longitude about -63, latitude about 46.
    assert!(
        (p[0] + 63.1247).abs() < 1e-9 && (p[1] - 46.2321).abs() < 1e-9,
        "{p:?}"
    );
    let raw: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["licence"], "CC-BY-4.0");
}
