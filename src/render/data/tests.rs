use super::super::escape::xml_escape;
use super::atom::push_xml_escaped;
use super::*;

/// The files were first written through `serde_json::Value`, whose objects print
/// their keys sorted; the typed shapes must print the same bytes.
fn assert_value_order<T: Serialize>(x: &T) {
    let direct = serde_json::to_string_pretty(x).unwrap();
    let value = serde_json::to_value(x).unwrap();
    assert_eq!(direct, serde_json::to_string_pretty(&value).unwrap());
}

#[test]
fn item_fields_are_in_key_order() {
    let urls = Urls::new(&url::Url::parse("https://x/").unwrap());
    let slug = Slug::new_unchecked("harbour-hub");
    let slugs = vec![slug.clone()];
    let strings = vec!["en".to_owned()];
    let date = jiff::civil::date(2026, 5, 5);
    let address = Address {
        street: "1 Main St".into(),
        locality: "Town".into(),
        region: "Province".into(),
        postal_code: "A1A 1A1".into(),
        country: "CA".into(),
    };
    let space = SpaceItem {
        accessibility: Some(AccessibilityItem {
            accessible_washroom: Some(true),
            hearing_loop: None,
            notes: Some("ramp"),
            quiet_room: Some(false),
            step_free: Some(true),
        }),
        address: AddressItem::new(&address),
        amenities: &slugs,
        calendar: AsStr(urls.calendar_absolute_display(Record::Space, "harbour-hub")),
        capacity: Some(3),
        description: "Text",
        drop_in: true,
        email: Some("a@b.c"),
        government_members_welcome: false,
        id: &slug,
        images: vec![ImageItem {
            alt: "Desk",
            height: Some(2),
            url: AsStr(Cat(["https://x/", "a.jpg"])),
            width: None,
        }],
        languages: &strings,
        last_verified: AsStr(date),
        listed: true,
        location: LatLon {
            lat: 1.5,
            lon: -2.0,
        },
        name: "Harbour Hub",
        opening_hours: Some("Mo-Fr 08:00-17:00"),
        partnerships: vec!["p"],
        phone: None,
        plans: vec![PlanItem {
            currency: "CAD",
            name: "Day",
            period: BillingPeriod::Day,
            price: 25.0,
        }],
        region: &slug,
        status: SpaceStatus::Active,
        summary: Some("Sum"),
        url: AsStr(urls.record_absolute_display(Record::Space, "harbour-hub")),
        website: Some("https://h.example/"),
    };
    assert_value_order(&space);
    assert_value_order(&Envelope {
        generated: "2026-11-25T12:00:00Z".into(),
        items: &[space],
        licence: &Some("CC0".into()),
        publisher: &None,
        source: "https://x/",
        version: VERSION,
    });
    assert_value_order(&SessionItem {
        calendar: AsStr(urls.calendar_absolute_display(Record::Session, "s")),
        capacity: None,
        description: "D",
        free: Some(true),
        host: HostItem {
            body: "Gov",
            role: "Advisor",
        },
        id: &slug,
        language: "en",
        occurrences: vec![OccurrenceItem {
            date: AsStr(date),
            end: "e".into(),
            start: "s".into(),
            status: SessionStatus::Cancelled,
        }],
        partnership: Some(&slug),
        registration: None,
        repeat: Some("weekly"),
        status: SessionStatus::Scheduled,
        time_zone: "America/Halifax",
        title: "T",
        topics: &strings,
        url: AsStr(urls.record_absolute_display(Record::Session, "s")),
        venue: VenueItem::Online("https://meet.example/"),
    });
    assert_value_order(&GeoJson {
        features: vec![Feature {
            geometry: Point {
                coordinates: [-2.0, 1.5],
                kind: "Point",
            },
            id: &slug,
            properties: FeatureProperties {
                amenities: &slugs,
                drop_in: true,
                government_members_welcome: true,
                last_verified: AsStr(date),
                listed: false,
                locality: "Town",
                name: "N",
                region: &slug,
                status: SpaceStatus::Closed,
                url: AsStr(urls.record_absolute_display(Record::Space, "harbour-hub")),
            },
            kind: "Feature",
        }],
        generated: "g".into(),
        licence: &None,
        publisher: &Some("P".into()),
        kind: "FeatureCollection",
        version: VERSION,
    });
}

#[test]
fn pretty_is_serde_jsons_pretty_printer() {
    let mut deep = json!("leaf");
    for i in 0..10 {
        deep = json!({ "level": i, "next": deep, "list": [deep.clone(), [], {}] });
    }
    for v in [
        json!(null),
        json!([]),
        json!({}),
        json!({ "a": [], "b": {}, "c": [1, [2, []], { "d": {} }], "e": "x\n\"y\"" }),
        json!([[[]], [{}], [1.5, -2e-7, true]]),
        deep,
    ] {
        let mut ours = pretty(&v);
        assert_eq!(ours.pop(), Some(b'\n'));
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string_pretty(&v).unwrap()
        );
    }
}

#[test]
fn xml_escaping_matches_the_shared_escape() {
    for s in ["", "plain", "a & b < c > d \"e\" 'f'", "&&<<", "é & ü"] {
        let mut out = String::new();
        push_xml_escaped(&mut out, s);
        assert_eq!(out, xml_escape(s), "{s}");
    }
}
