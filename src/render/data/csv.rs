//! `/data/spaces.csv`, one row per space for spreadsheets, and its W3C CSVW metadata.

use std::borrow::Cow;

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

/// Characters that make a spreadsheet read a cell as a formula when they start it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as written: one starting with a formula character gets a leading `'`
/// (OWASP's advice against CSV injection), which spreadsheets take as "this is text".
/// Numbers (`lat`, `lon`, `capacity`, `day_pass_min`) do not go through this: a
/// negative longitude stays a number.
fn neutral(v: &str) -> Cow<'_, str> {
    if v.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{v}"))
    } else {
        Cow::Borrowed(v)
    }
}

type CsvWriter = ::csv::Writer<Vec<u8>>;

/// Writes a text cell, neutralised (RFC 4180 quoting is the csv crate's).
fn text(w: &mut CsvWriter, v: impl AsRef<str>) {
    let _ = w.write_field(neutral(v.as_ref()).as_bytes());
}

impl Data<'_> {
    pub(super) fn spaces_csv(&self) -> Vec<u8> {
        let mut w = ::csv::Writer::from_writer(Vec::with_capacity(self.site.spaces.len() * 640));
        let _ = w.write_record(CSV_COLUMNS.iter().map(|(c, _)| *c));
        let b = |v: bool| if v { "true" } else { "false" };
        let ob = |v: Option<bool>| v.map_or("", b);
        // Scratch text for the fields that are not already strings in the model: text
        // cells (neutralised) and numbers (written as they are).
        let mut num = String::new();
        let mut field = |w: &mut CsvWriter, is_text: bool, f: &dyn Fn(&mut String)| {
            num.clear();
            f(&mut num);
            if is_text {
                text(w, &num);
            } else {
                let _ = w.write_field(&num);
            }
        };
        for (i, s) in self.site.spaces.iter().enumerate() {
            let day = s
                .plans
                .iter()
                .filter(|p| p.period == BillingPeriod::Day)
                .min_by(|a, b| a.price.total_cmp(&b.price));
            let acc = s.accessibility.as_ref();
            text(&mut w, s.slug.as_str());
            text(&mut w, &s.name);
            field(&mut w, true, &|o| {
                let _ = write!(
                    o,
                    "{}",
                    self.urls
                        .record_absolute_display(Record::Space, s.slug.as_str())
                );
            });
            text(
                &mut w,
                match enum_str(&s.status) {
                    Value::String(v) => v,
                    _ => String::new(),
                },
            );
            text(&mut w, b(self.listed(i)));
            text(&mut w, s.region.as_str());
            text(&mut w, self.region_name(&s.region));
            text(&mut w, &s.address.street);
            text(&mut w, &s.address.locality);
            text(&mut w, &s.address.region);
            text(&mut w, &s.address.postal_code);
            text(&mut w, &s.address.country);
            field(&mut w, false, &|o| {
                let _ = write!(o, "{}", s.lat);
            });
            field(&mut w, false, &|o| {
                let _ = write!(o, "{}", s.lon);
            });
            text(&mut w, s.website.as_ref().map_or("", |u| u.as_str()));
            text(&mut w, s.email.as_deref().unwrap_or_default());
            text(&mut w, s.phone.as_deref().unwrap_or_default());
            text(&mut w, s.opening_hours.as_deref().unwrap_or_default());
            field(&mut w, true, &|o| {
                for (k, a) in s.amenities.iter().enumerate() {
                    if k > 0 {
                        o.push(';');
                    }
                    o.push_str(a.as_str());
                }
            });
            field(&mut w, false, &|o| {
                if let Some(c) = s.capacity {
                    let _ = write!(o, "{c}");
                }
            });
            text(&mut w, s.languages.join(";"));
            field(&mut w, false, &|o| {
                if let Some(p) = day {
                    let _ = write!(o, "{}", p.price);
                }
            });
            text(&mut w, day.map_or("", |p| p.currency.as_str()));
            text(&mut w, b(s.government_members_welcome));
            text(&mut w, b(s.drop_in));
            text(&mut w, ob(acc.and_then(|a| a.step_free)));
            text(&mut w, ob(acc.and_then(|a| a.accessible_washroom)));
            text(&mut w, ob(acc.and_then(|a| a.hearing_loop)));
            text(&mut w, ob(acc.and_then(|a| a.quiet_room)));
            field(&mut w, true, &|o| {
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

#[cfg(test)]
mod tests {
    use super::neutral;

    /// Issue 19, item 4: every formula start (tab and carriage return included, which
    /// validation keeps out of content today) gets a `'`; anything else is untouched.
    #[test]
    fn formula_starts_are_neutralised_and_nothing_else() {
        for (v, cell) in [
            (
                r#"=HYPERLINK("http://x","y")"#,
                r#"'=HYPERLINK("http://x","y")"#,
            ),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(neutral(v), cell);
        }
        for v in ["", "1 Water Street", "a=b", "'quoted", " =x", "Zürich"] {
            assert_eq!(neutral(v), v);
        }
    }
}
