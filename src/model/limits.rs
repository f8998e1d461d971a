//! The bounds of every bounded field, in one table, so that the validator, its messages
//! and `docs/content-model.md` agree (a test holds the docs to this table).
//!
//! Content comes from strangers' pull requests: a value the model's type accepts is not
//! therefore a value the site can show. `price: 1.7e308` is an `f64`, but no desk costs
//! that, and the page printed it as the largest `i64`; a 10 KB language tag is a
//! `String`, but no BCP 47 tag is longer than 35 characters. Each bound here is far past
//! any real value and close enough to keep the pages sane. This module only states the
//! bounds; [`crate::validate`] and [`crate::listing`] enforce them.

/// A numeric field's inclusive range.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    /// The dotted field as a contributor writes it (`plans.price`), for the docs table.
    #[cfg_attr(not(test), allow(dead_code))]
    pub field: &'static str,
    pub min: f64,
    pub max: f64,
    /// Whether the field counts things, so `2.5` is refused.
    pub integer: bool,
}

impl Range {
    pub(crate) fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.min && v <= self.max && (!self.integer || v.fract() == 0.0)
    }

    /// "between 0 and 1,000,000" / "a whole number between 1 and 100,000".
    pub(crate) fn describe(&self) -> String {
        let kind = if self.integer {
            "a whole number"
        } else {
            "a number"
        };
        format!("{kind} from {} to {}", grouped(self.min), grouped(self.max))
    }
}

/// A text field's greatest length, in characters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Length {
    #[cfg_attr(not(test), allow(dead_code))]
    pub field: &'static str,
    pub max: usize,
}

/// The most months `listing.criteria.verified_within_months` may reach back: a century.
pub(crate) const VERIFIED_WITHIN_MONTHS: Range = Range {
    field: "listing.criteria.verified_within_months",
    min: 1.0,
    max: 1200.0,
    integer: true,
};
/// A plan's price, in its currency. Not 1,000,000: a private office costs millions in
/// KRW, COP, IDR or VND. A billion still keeps every price exact and printable.
pub(crate) const PRICE: Range = Range {
    field: "plans.price",
    min: 0.0,
    max: 1_000_000_000.0,
    integer: false,
};
/// A partnership's funding amount, in its currency (a programme's budget, in any
/// currency).
pub(crate) const FUNDING: Range = Range {
    field: "funding.amount",
    min: 0.0,
    max: 1_000_000_000_000.0,
    integer: false,
};
/// People a space or session holds.
pub(crate) const CAPACITY: Range = Range {
    field: "capacity",
    min: 1.0,
    max: 100_000.0,
    integer: true,
};
pub(crate) const LAT: Range = Range {
    field: "location.lat",
    min: -90.0,
    max: 90.0,
    integer: false,
};
pub(crate) const LON: Range = Range {
    field: "location.lon",
    min: -180.0,
    max: 180.0,
    integer: false,
};

/// A language tag: BCP 47 allows longer, but registered practice stays within 35.
pub(crate) const LANGUAGE: Length = Length {
    field: "language, languages",
    max: 35,
};
/// Names and titles: one line of a card.
pub(crate) const NAME: Length = Length {
    field: "name, title",
    max: 200,
};
/// Summaries and descriptions shown under a title.
pub(crate) const SUMMARY: Length = Length {
    field: "summary, description",
    max: 500,
};

/// Every bound, for the docs test and the table in `docs/content-model.md`.
#[cfg(test)]
pub(crate) const RANGES: &[Range] = &[PRICE, FUNDING, CAPACITY, LAT, LON, VERIFIED_WITHIN_MONTHS];
#[cfg(test)]
pub(crate) const LENGTHS: &[Length] = &[LANGUAGE, NAME, SUMMARY];

/// `1000000` as `1,000,000`, `-90` as `-90`, `0.5` as `0.5`.
pub(crate) fn grouped(v: f64) -> String {
    if v.fract() != 0.0 {
        return v.to_string();
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_describe_themselves() {
        assert_eq!(PRICE.describe(), "a number from 0 to 1,000,000,000");
        assert_eq!(LAT.describe(), "a number from -90 to 90");
        assert!(CAPACITY.contains(20.0));
        assert!(!CAPACITY.contains(2.5));
        assert!(!PRICE.contains(1.7e308));
        assert!(!PRICE.contains(f64::NAN));
    }

    /// `docs/content-model.md` states every bound as this table does.
    #[test]
    fn the_docs_state_every_bound() {
        let docs = include_str!("../../docs/content-model.md");
        for r in RANGES {
            let row = format!("| `{}` | {}", r.field, r.describe());
            assert!(docs.contains(&row), "docs/content-model.md lacks: {row}");
        }
        for l in LENGTHS {
            let row = format!("| `{}` | at most {} characters", l.field, l.max);
            assert!(docs.contains(&row), "docs/content-model.md lacks: {row}");
        }
    }
}
