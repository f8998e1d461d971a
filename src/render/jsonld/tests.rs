use super::hours::hours_specs;
use super::*;

/// This JSON was first built as `serde_json::Value`, whose objects print their keys
/// sorted; the typed shapes must print the same bytes.
fn assert_value_order<T: Serialize>(x: &T) {
    let direct = serde_json::to_string(x).unwrap();
    let value = serde_json::to_value(x).unwrap();
    assert_eq!(direct, serde_json::to_string(&value).unwrap());
}

#[test]
fn script_json_escapes_as_the_shared_one() {
    for v in [
        "plain",
        "</script><script>alert(1)</script>&",
        "a > b",
        "é",
        "\\<\"&\n>",
        "<<&&>>",
    ] {
        assert_eq!(
            script_json(&v),
            crate::render::escape::script_json(&v),
            "{v}"
        );
    }
}

#[test]
fn shapes_print_keys_in_value_order() {
    let addr = Address {
        street: "1 Main St".into(),
        locality: "Town".into(),
        region: "Province".into(),
        postal_code: "A1A 1A1".into(),
        country: "CA".into(),
    };
    let languages = vec!["en".to_owned(), "fr".to_owned()];
    let place = || Location {
        kind: "Place",
        address: Some(address(&addr)),
        geo: Some(Geo {
            kind: "GeoCoordinates",
            latitude: 1.0,
            longitude: 2.5,
        }),
        name: Some("N"),
        url: Some("https://x/".into()),
    };
    assert_value_order(&LocalBusiness {
        context: CONTEXT,
        id: "i".into(),
        kind: "LocalBusiness",
        address: address(&addr),
        amenity_feature: vec![Feature {
            kind: "LocationFeatureSpecification",
            name: "Wi-Fi",
            value: true,
        }],
        description: Some("d".into()),
        email: Some("e"),
        geo: Geo {
            kind: "GeoCoordinates",
            latitude: 1.0,
            longitude: 2.0,
        },
        image: vec!["https://x/a.jpg".into()],
        knows_language: &languages,
        makes_offer: vec![Offer {
            kind: "Offer",
            name: "Day",
            price: 20.0,
            price_currency: "CAD",
            price_specification: PriceSpec {
                kind: "UnitPriceSpecification",
                price: 20.0,
                price_currency: "CAD",
                unit_code: "DAY",
            },
        }],
        maximum_attendee_capacity: Some(4),
        name: "n",
        opening_hours_specification: hours_specs("Mo-Fr 08:00-17:00; Sa 10:00-12:00"),
        public_access: true,
        same_as: Some("https://s/"),
        telephone: Some("1"),
        url: "u".into(),
    });
    let location = place();
    let event = |context| Event {
        context,
        id: "i".into(),
        kind: "Event",
        description: Some("d"),
        end_date: "e".into(),
        event_attendance_mode: "m",
        event_status: "s",
        in_language: "en",
        is_accessible_for_free: Some(true),
        keywords: Some("k"),
        location: &location,
        maximum_attendee_capacity: Some(3),
        name: "n",
        offers: Some(FreeOffer {
            kind: "Offer",
            price: 0,
            url: Some("https://r/"),
        }),
        organizer: Named {
            kind: "GovernmentOrganization",
            name: "G",
        },
        start_date: "s".into(),
        url: "u",
    };
    assert_value_order(&event(Some(CONTEXT)));
    assert_value_order(&Graph {
        context: CONTEXT,
        graph: vec![event(None), event(None)],
    });
    assert_value_order(&GovernmentService {
        context: CONTEXT,
        id: "i".into(),
        kind: "GovernmentService",
        area_served: "PE",
        available_channel: vec![ServiceChannel {
            kind: "ServiceChannel",
            service_location: place(),
        }],
        description: Some("d".into()),
        name: "n",
        provider: Named {
            kind: "Organization",
            name: "P",
        },
        service_type: vec!["Memberships"],
        url: "u".into(),
    });
}

#[test]
fn simple_weekly_hours_convert_and_later_rules_override() {
    let v = opening_hours("Mo-Fr 08:30-17:00; We 08:30-20:00; Sa 10:00-14:00; PH off").unwrap();
    let specs = v.as_array().unwrap();
    assert_eq!(specs.len(), 3);
    assert_eq!(specs[0]["opens"], "08:30");
    assert_eq!(specs[0]["closes"], "17:00");
    assert_eq!(
        specs[0]["dayOfWeek"].as_array().unwrap().len(),
        4,
        "Wednesday has its own hours"
    );
    assert_eq!(specs[1]["closes"], "20:00");
    assert_eq!(specs[2]["dayOfWeek"][0], "https://schema.org/Saturday");
}

#[test]
fn anything_not_simple_is_left_out() {
    for text in [
        "Mo-Fr 08:00-17:00; Jun-Sep Sa 09:00-15:00",
        "Mo-Fr 07:30-20:00; PH 10:00-16:00",
        "24/7",
        "Mo-Fr 22:00-02:00",
        "Mo-Fr 08:00-24:00",
        "Su off",
    ] {
        assert_eq!(opening_hours(text), None, "{text}");
    }
    assert!(opening_hours("Mo-Fr 08:00-17:00; Sa 09:00-15:00; Su off").is_some());
    assert!(opening_hours("Sa,Su 09:00-12:00,13:00-17:00").is_some());
}
