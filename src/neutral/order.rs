//! Putting a list in its neutral order: the seeded shuffle, and the ordering policy a
//! site chooses ([`OrderPolicy`]). What the order is made from lives in [`super::rng`];
//! whether an order is fair is [`super::stats`]' question, not this module's.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::rng::{Sfc32, bounded, seed_for_date};

/// Shuffles `items` in place with Fisher–Yates (Durstenfeld) driven by a fresh
/// [`Sfc32`] seeded with `seed`.
///
/// # Panics
///
/// Panics if `items` has more than `u32::MAX` elements.
pub(crate) fn shuffle<T>(items: &mut [T], seed: u32) {
    let mut rng = Sfc32::new(seed);
    for i in (1..items.len()).rev() {
        let bound = u32::try_from(i + 1).expect("shuffle: more than u32::MAX items");
        let j = bounded(&mut rng, bound) as usize;
        items.swap(i, j);
    }
}

/// The shuffle of `0..n` for `seed`: entry `k` is the input index of the item
/// placed at position `k`.
pub fn permutation(n: usize, seed: u32) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(&mut order, seed);
    order
}

/// How a list of spaces is ordered.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum OrderPolicy {
    /// Build-time order from the date seed, reshuffled in the browser with a
    /// fresh random seed on every visit. The default.
    #[default]
    Shuffle,
    /// Build-time order from the date seed only; the browser keeps it.
    RotateDaily,
    /// Sorted by key. An explicit opt-out that is *not* neutral.
    Alphabetical,
}

impl OrderPolicy {
    /// The configuration spelling, also used for `data-neutral-policy`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderPolicy::Shuffle => "shuffle",
            OrderPolicy::RotateDaily => "rotate-daily",
            OrderPolicy::Alphabetical => "alphabetical",
        }
    }

    /// Whether `neutral.js` reorders the list on each visit.
    pub fn reshuffles_in_browser(self) -> bool {
        self == OrderPolicy::Shuffle
    }
}

impl fmt::Display for OrderPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Orders `items` for a build on `date` according to `policy`.
///
/// Items are first sorted by `key` (a stable sort, so give each item a unique
/// key such as its slug), making the result independent of input/file order.
/// For [`OrderPolicy::Shuffle`] and [`OrderPolicy::RotateDaily`] they are then
/// shuffled with [`seed_for_date`]`(date)`, which is returned so templates can
/// emit it as `data-neutral-seed`; for [`OrderPolicy::Alphabetical`] the
/// sorted order is kept and `None` is returned.
pub(crate) fn arrange<T, K: Ord>(
    items: &mut [T],
    policy: OrderPolicy,
    date: Date,
    key: impl FnMut(&T) -> K,
) -> Option<u32> {
    items.sort_by_key(key);
    match policy {
        OrderPolicy::Alphabetical => None,
        OrderPolicy::Shuffle | OrderPolicy::RotateDaily => {
            let seed = seed_for_date(date);
            shuffle(items, seed);
            Some(seed)
        }
    }
}
