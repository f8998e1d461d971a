//! `/data/spaces.csv`, one row per space for spreadsheets, and its W3C CSVW metadata.

use super::*;

const CSV_COLUMNS: &[(&str, &str)] = &[
    ("id", "Stable id (the file name)"),
    ("name", "Name"),
    ("url", "Page in the directory"),
    ("status", "active, temporarily-closed or closed"),
    ("listed", "Whether the directory lists it (true/false)"),
    ("region", "Region id"),
    ("region_name", "Region name"),
    ("street", "Street address"),
    ("locality", "Town or city"),
    ("address_region", "Province or state"),
    ("postal_code", "Postal code"),
    ("country", "ISO 3166-1 alpha-2 country code"),
    ("lat", "Latitude (WGS 84)"),
    ("lon", "Longitude (WGS 84)"),
    ("website", "Website"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("opening_hours", "OpenStreetMap opening_hours"),
    ("amenities", "Amenity ids, separated by ;"),
    ("capacity", "Seats (empty: not given)"),
    ("languages", "BCP 47 language tags, separated by ;"),
    ("day_pass_min", "Lowest day-pass price (empty: none)"),
    ("day_pass_currency", "ISO 4217 currency of day_pass_min"),
    ("government_members_welcome", "true/false"),
    ("drop_in", "true/false"),
    ("step_free", "true/false (empty: not given)"),
    ("accessible_washroom", "true/false (empty: not given)"),
    ("hearing_loop", "true/false (empty: not given)"),
    ("quiet_room", "true/false (empty: not given)"),
    ("last_verified", "YYYY-MM-DD"),
];

impl Data<'_> {
    pub(super) fn spaces_csv(&self) -> Vec<u8> {
        let mut w = ::csv::Writer::from_writer(Vec::with_capacity(self.site.spaces.len() * 640));
        let _ = w.write_record(CSV_COLUMNS.iter().map(|(c, _)| *c));
        let b = |v: bool| if v { "true" } else { "false" };
        let ob = |v: Option<bool>| v.map_or("", b);
        // Scratch text for the fields that are not already strings in the model.
        let mut num = String::new();
        let mut field = |w: &mut ::csv::Writer<Vec<u8>>, f: &dyn Fn(&mut String)| {
            num.clear();
            f(&mut num);
            let _ = w.write_field(&num);
        };
        for (i, s) in self.site.spaces.iter().enumerate() {
            let day = s
                .plans
                .iter()
                .filter(|p| p.period == BillingPeriod::Day)
                .min_by(|a, b| a.price.total_cmp(&b.price));
            let acc = s.accessibility.as_ref();
            let _ = w.write_field(s.slug.as_str());
            let _ = w.write_field(&s.name);
            field(&mut w, &|o| {
                let _ = write!(
                    o,
                    "{}",
                    self.urls
                        .record_absolute_display(Record::Space, s.slug.as_str())
                );
            });
            let _ = w.write_field(match enum_str(&s.status) {
                Value::String(v) => v,
                _ => String::new(),
            });
            let _ = w.write_field(b(self.listed(i)));
            let _ = w.write_field(s.region.as_str());
            let _ = w.write_field(self.region_name(&s.region));
            let _ = w.write_field(&s.address.street);
            let _ = w.write_field(&s.address.locality);
            let _ = w.write_field(&s.address.region);
            let _ = w.write_field(&s.address.postal_code);
            let _ = w.write_field(&s.address.country);
            field(&mut w, &|o| {
                let _ = write!(o, "{}", s.lat);
            });
            field(&mut w, &|o| {
                let _ = write!(o, "{}", s.lon);
            });
            let _ = w.write_field(s.website.as_ref().map_or("", |u| u.as_str()));
            let _ = w.write_field(s.email.as_deref().unwrap_or_default());
            let _ = w.write_field(s.phone.as_deref().unwrap_or_default());
            let _ = w.write_field(s.opening_hours.as_deref().unwrap_or_default());
            field(&mut w, &|o| {
                for (k, a) in s.amenities.iter().enumerate() {
                    if k > 0 {
                        o.push(';');
                    }
                    o.push_str(a.as_str());
                }
            });
            field(&mut w, &|o| {
                if let Some(c) = s.capacity {
                    let _ = write!(o, "{c}");
                }
            });
            let _ = w.write_field(s.languages.join(";"));
            field(&mut w, &|o| {
                if let Some(p) = day {
                    let _ = write!(o, "{}", p.price);
                }
            });
            let _ = w.write_field(day.map_or("", |p| p.currency.as_str()));
            let _ = w.write_field(b(s.government_members_welcome));
            let _ = w.write_field(b(s.drop_in));
            let _ = w.write_field(ob(acc.and_then(|a| a.step_free)));
            let _ = w.write_field(ob(acc.and_then(|a| a.accessible_washroom)));
            let _ = w.write_field(ob(acc.and_then(|a| a.hearing_loop)));
            let _ = w.write_field(ob(acc.and_then(|a| a.quiet_room)));
            field(&mut w, &|o| {
                let _ = write!(o, "{}", s.last_verified);
            });
            let _ = w.write_record(None::<&[u8]>);
        }
        w.into_inner().unwrap_or_default()
    }

    /// W3C "CSV on the Web" metadata: the CSV's licence and column meanings, in the
    /// standard place (`<file>-metadata.json`) where CSV itself has none.
    pub(super) fn csv_metadata(&self) -> Vec<u8> {
        let c = &self.site.config;
        pretty(&json!({
            "@context": "http://www.w3.org/ns/csvw",
            "url": "spaces.csv",
            "dc:title": format!("{} — spaces", c.title),
            "dc:license": c.licence,
            "dc:publisher": c.publisher,
            "dc:modified": rfc3339(self.idx.now),
            "tableSchema": {
                "columns": CSV_COLUMNS.iter().map(|(name, title)| json!({
                    "name": name,
                    "titles": name,
                    "dc:description": title,
                })).collect::<Vec<_>>(),
                "primaryKey": "id",
            },
        }))
    }
}
