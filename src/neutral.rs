//! Neutral ordering: the directory must provably favour no coworking space.
//!
//! Wherever several spaces are listed, their order is a seeded shuffle. The
//! HTML carries a build-time order whose seed derives from the build date (so
//! it rotates daily and anyone can reproduce it); with JavaScript enabled,
//! `themes/default/static/js/neutral.js` reshuffles in the visitor's browser
//! with a fresh random seed on every visit. Both implementations follow the
//! specification below exactly and are cross-checked by `tests/it/neutral.rs`,
//! so the same seed gives the same order in Rust and in the browser.
//!
//! # Specification (version [`ALGORITHM`])
//!
//! All arithmetic is on unsigned 32-bit integers, wrapping modulo 2³²;
//! `>>` is a logical shift, `rotl` a left rotation.
//!
//! 1. **Seed from text** — 32-bit FNV-1a over the UTF-8 bytes of the string:
//!    `h = 0x811c9dc5`; for each byte `b`: `h = (h ^ b) * 0x01000193`.
//!    The seed of a build date is the seed of the text `hotdesk:YYYY-MM-DD`,
//!    for example `hotdesk:2025-01-31`.
//! 2. **Seed expansion** — splitmix32 (the 32-bit splitmix variant with
//!    Chris Wellons' hash-prospector finaliser): starting from `s = seed`,
//!    each output is `s = s + 0x9e3779b9; z = s; z = (z ^ (z >> 16)) *
//!    0x21f0aaad; z = (z ^ (z >> 15)) * 0x735a2d97; output z ^ (z >> 15)`.
//! 3. **Generator** — sfc32, Chris Doty-Humphrey's "small fast chaotic"
//!    generator from PractRand (no known failures in PractRand or TestU01
//!    BigCrush; 128-bit state with a counter, so no short cycles). The
//!    state `(a, b, c, d)` is set to the first three splitmix32 outputs and
//!    `d = 1`, then 12 outputs are discarded (as PractRand's own seeding
//!    does). Each step: `t = a + b + d; d = d + 1; a = b ^ (b >> 9);
//!    b = c + (c << 3); c = rotl(c, 21) + t; output t`.
//! 4. **Bounded integers** — an unbiased integer in `[0, n)`, `n ≥ 1`, by
//!    rejection (the OpenBSD `arc4random_uniform` method): let
//!    `threshold = (2³² − n) mod n`; draw outputs `r` until `r ≥ threshold`
//!    and return `r mod n`. The accepted range holds a whole multiple of `n`
//!    values, so every result is equally likely (no modulo bias); each draw is
//!    rejected with probability below one half, whatever `n`.
//! 5. **Shuffle** — Fisher–Yates in Durstenfeld's form, with one fresh
//!    generator per shuffle: for `i` from `len − 1` down to `1`,
//!    `j = bounded(i + 1)`, swap the items at `i` and `j`.
//!    [`permutation`]`(n, seed)` is the shuffle of `[0, 1, …, n − 1]`: entry
//!    `k` is the index (in the input order) of the item shown at position `k`.
//!
//! Before shuffling, the build puts items in a canonical order (sorted by a
//! stable key such as the slug, see [`arrange`]) so that the result does not
//! depend on file-system traversal order. The browser script shuffles the
//! list's current children, i.e. the build-time order, and records its seed in
//! the list's `data-neutral-seed` attribute.
//!
//! # Audit
//!
//! [`audit`] replays the daily build order over a window of days and tests
//! that no item is systematically placed higher than others. Every trial is a
//! permutation, so the item × position count matrix has fixed row and column
//! sums and a plain Pearson chi-square with `n(B−1)` degrees of freedom would
//! be wrong. We use Anderson's (1959) rank statistic, generalised to
//! contiguous position bins of sizes `s_1…s_B`: with `D` trials, expected
//! counts `E_ib = D·s_b/n` and observed `O_ib`,
//! `A = (n−1)/n · Σ (O_ib − E_ib)² / E_ib`, which under a uniform shuffle is
//! asymptotically chi-square with `(n−1)(B−1)` degrees of freedom (the
//! covariance of one permutation's binned indicator vector is exactly
//! `n/(n−1)` times a projection of that rank).
//!
//! The chi-square approximation needs every expected count to be at least 5,
//! which fails when there are fewer days than items. Instead of pretending,
//! positions are pooled into the largest number of contiguous bins `B ≤ n`
//! whose smallest expected count is ≥ 5 (bin sizes differ by at most one, the
//! larger bins first). A second test looks only at the first screen: bins
//! `[first_screen, n − first_screen]`, run when both expected counts are ≥ 5.
//! The report's overall p-value is the Bonferroni-adjusted minimum
//! `min(1, m · min p_i)` over the `m` tests that could run; the audit fails
//! when it is below the documented tolerance [`TOLERANCE`] `= 0.001`. With
//! fewer than two items every order is the same and the audit passes
//! trivially; when no test can run (too few days) the verdict is
//! "inconclusive", which does not pass. Per-item mean positions (with
//! z-scores) and first-screen shares are reported as descriptive statistics.
//! Counts are pooled into the bins as orders are recorded ([`BinnedCounts`]), so an
//! audit needs `O(n·B)` memory rather than `O(n²)`, whatever the number of items.
//! P-values come from the regularised upper incomplete gamma function
//! `Q(k/2, x/2)`, computed by series or continued fraction as in Numerical
//! Recipes (§6.2).

use std::fmt;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Identifier of the algorithm specified in the module documentation.
/// Changing any step of the algorithm must change this identifier.
pub const ALGORITHM: &str = "hotdesk-neutral-1: fnv1a32 seed, splitmix32 -> sfc32 (12 discarded), \
                             rejection-bounded, Fisher-Yates (Durstenfeld)";

/// The documented tolerance: the audit fails when its p-value is below this.
pub const TOLERANCE: f64 = 0.001;

/// 32-bit FNV-1a hash of the UTF-8 bytes of `s`, used as a shuffle seed.
pub fn seed_from_str(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The build-time seed for `date`: [`seed_from_str`] of `hotdesk:YYYY-MM-DD`.
pub fn seed_for_date(date: Date) -> u32 {
    seed_from_str(&format!("hotdesk:{date}"))
}

/// One step of splitmix32; advances `state` and returns the next output.
fn splitmix32(state: &mut u32) -> u32 {
    *state = state.wrapping_add(0x9e37_79b9);
    let mut z = *state;
    z = (z ^ (z >> 16)).wrapping_mul(0x21f0_aaad);
    z = (z ^ (z >> 15)).wrapping_mul(0x735a_2d97);
    z ^ (z >> 15)
}

/// The sfc32 generator, seeded from a `u32` by splitmix32 expansion (see the
/// module documentation for the exact definition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sfc32 {
    a: u32,
    b: u32,
    c: u32,
    d: u32,
}

impl Sfc32 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u32) -> Self {
        let mut s = seed;
        let a = splitmix32(&mut s);
        let b = splitmix32(&mut s);
        let c = splitmix32(&mut s);
        let mut rng = Sfc32 { a, b, c, d: 1 };
        for _ in 0..12 {
            rng.next_u32();
        }
        rng
    }

    /// The next 32-bit output.
    pub fn next_u32(&mut self) -> u32 {
        let t = self.a.wrapping_add(self.b).wrapping_add(self.d);
        self.d = self.d.wrapping_add(1);
        self.a = self.b ^ (self.b >> 9);
        self.b = self.c.wrapping_add(self.c << 3);
        self.c = self.c.rotate_left(21).wrapping_add(t);
        t
    }
}

/// An unbiased integer in `[0, n)` by rejection sampling: outputs below
/// `(2³² − n) mod n` are rejected, so the accepted range is a whole multiple
/// of `n` and `r mod n` is uniform.
///
/// # Panics
///
/// Panics if `n == 0`.
pub fn bounded(rng: &mut Sfc32, n: u32) -> u32 {
    assert!(n > 0, "bounded: n must be at least 1");
    let threshold = n.wrapping_neg() % n;
    loop {
        let r = rng.next_u32();
        if r >= threshold {
            return r % n;
        }
    }
}

/// Shuffles `items` in place with Fisher–Yates (Durstenfeld) driven by a fresh
/// [`Sfc32`] seeded with `seed`.
///
/// # Panics
///
/// Panics if `items` has more than `u32::MAX` elements.
pub fn shuffle<T>(items: &mut [T], seed: u32) {
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
pub fn arrange<T, K: Ord>(
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

// ---------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------

/// How often each item appeared at each position over a number of trials,
/// each trial being one complete ordering (a permutation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionCounts {
    n: usize,
    trials: u64,
    /// Row-major: `counts[item * n + position]`.
    counts: Vec<u64>,
}

impl PositionCounts {
    /// Empty counts for `n` items.
    pub fn new(n: usize) -> Self {
        PositionCounts {
            n,
            trials: 0,
            counts: vec![0; n * n],
        }
    }

    /// Records one trial; `order[k]` is the item shown at position `k`.
    ///
    /// # Panics
    ///
    /// Panics if `order` is not a permutation of `0..n`.
    pub fn record(&mut self, order: &[usize]) {
        assert_eq!(order.len(), self.n, "record: wrong number of positions");
        let mut seen = vec![false; self.n];
        for &item in order {
            assert!(
                item < self.n && !std::mem::replace(&mut seen[item], true),
                "record: order is not a permutation"
            );
        }
        for (position, &item) in order.iter().enumerate() {
            self.counts[item * self.n + position] += 1;
        }
        self.trials += 1;
    }

    /// Number of items (and positions).
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of recorded trials.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// How often `item` appeared at `position` (both 0-based).
    pub fn get(&self, item: usize, position: usize) -> u64 {
        self.counts[item * self.n + position]
    }
}

/// The audited window of build dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditWindow {
    /// First build date, `YYYY-MM-DD`.
    pub first_day: String,
    /// Last build date, `YYYY-MM-DD`.
    pub last_day: String,
    /// Number of days (one trial per day).
    pub days: u32,
}

/// Descriptive statistics for one item (by its index in canonical order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    /// Index of the item in the canonical (pre-shuffle) order.
    pub index: usize,
    /// Mean 1-based position over all trials.
    pub mean_position: f64,
    /// `(n + 1) / 2`.
    pub expected_mean_position: f64,
    /// `(mean − expected) / sqrt((n² − 1) / (12 · trials))`.
    pub mean_position_z: f64,
    /// Share of trials in which the item was within the first screen.
    pub first_screen_share: f64,
    /// `min(first_screen, n) / n`.
    pub expected_first_screen_share: f64,
}

/// One binned-position chi-square test (Anderson's statistic, see the module
/// documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiSquareTest {
    /// `"positions"` or `"first-screen"`.
    pub name: &'static str,
    /// Sizes of the contiguous position bins, from the top of the list.
    pub bin_sizes: Vec<usize>,
    /// Smallest expected count over all cells.
    pub min_expected: f64,
    /// Anderson's statistic `(n − 1)/n · Σ (O − E)² / E`.
    pub statistic: f64,
    /// `(n − 1)(B − 1)`.
    pub degrees_of_freedom: u64,
    /// Upper tail probability of the statistic.
    pub p_value: f64,
}

/// Outcome of an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The p-value is at least [`TOLERANCE`] (or there is nothing to favour).
    Pass,
    /// The p-value is below [`TOLERANCE`].
    Fail,
    /// Too few trials for any valid test.
    Inconclusive,
}

/// The neutrality audit of one list. [`crate::audit`] runs it on every list of a site
/// and publishes the results as `/data/neutrality.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    /// The shuffle algorithm audited ([`ALGORITHM`]).
    pub algorithm: &'static str,
    /// The build dates replayed, when the counts come from [`audit`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<AuditWindow>,
    /// Number of items in the list.
    pub n_items: usize,
    /// Number of positions counted as the first screen.
    pub first_screen: usize,
    /// Number of orderings counted.
    pub trials: u64,
    /// Per-item descriptive statistics.
    pub items: Vec<ItemRow>,
    /// The tests that could be run validly.
    pub tests: Vec<ChiSquareTest>,
    /// Bonferroni-adjusted p-value over `tests`; `None` when inconclusive.
    pub p_value: Option<f64>,
    /// The documented tolerance ([`TOLERANCE`]).
    pub tolerance: f64,
    /// Verdict at [`TOLERANCE`].
    pub verdict: Verdict,
    /// Explanations of skipped tests and special cases.
    pub notes: Vec<String>,
}

/// Position counts pooled into contiguous position bins, with each item's sum
/// of positions and first-screen count: everything [`AuditReport`] needs, in
/// `O(n·B)` memory where `B ≤ trials / 5` is the number of bins, instead of
/// the `O(n²)` of [`PositionCounts`]. This is what lets the audit replay a
/// year of orders for lists of tens of thousands of items.
///
/// The bins are chosen up front from the number of trials planned (see
/// [`BinnedCounts::new`]), exactly as [`AuditReport::from_counts`] would choose
/// them after the fact, so both give the same report for the same orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinnedCounts {
    n: usize,
    first_screen: usize,
    planned: u64,
    trials: u64,
    /// Sizes of the contiguous position bins; empty when the planned trials
    /// are too few for even two bins.
    bin_sizes: Vec<usize>,
    /// The bin of each position (empty when there are no bins).
    bin_of: Vec<u32>,
    /// Row-major: `counts[item * bins + bin]`.
    counts: Cells,
    /// Per item: trials in which it was within the first screen.
    on_screen: Vec<u32>,
    /// Per item: sum of its 1-based positions.
    position_sum: Vec<u64>,
    /// Per item: the last trial (1-based) it was seen in, to check that every
    /// order given to [`BinnedCounts::record`] is a permutation without
    /// allocating. Allocated on the first such order: the site audit records
    /// by position and checks each day's order once for all its lists.
    stamp: Vec<u64>,
}

/// The item × bin cells. No cell can exceed the number of trials, so while that
/// fits in 16 bits the cells do too: half the memory and half the cache traffic
/// of 32-bit cells, for the tens of megabytes of cells of a large site's audit.
/// They widen before a trial could overflow them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cells {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

/// A counter cell of [`Cells`].
trait Cell: Copy {
    fn bump(&mut self);
}

impl Cell for u16 {
    fn bump(&mut self) {
        *self += 1;
    }
}

impl Cell for u32 {
    fn bump(&mut self) {
        *self += 1;
    }
}

impl Cells {
    fn new(len: usize, planned_trials: u64) -> Self {
        if planned_trials <= u64::from(u16::MAX) {
            Cells::Narrow(vec![0; len])
        } else {
            Cells::Wide(vec![0; len])
        }
    }

    fn get(&self, i: usize) -> u64 {
        match self {
            Cells::Narrow(c) => u64::from(c[i]),
            Cells::Wide(c) => u64::from(c[i]),
        }
    }

    /// Makes room for counts of up to `trials`.
    fn reserve_trials(&mut self, trials: u64) {
        if let Cells::Narrow(c) = self {
            if trials > u64::from(u16::MAX) {
                *self = Cells::Wide(c.iter().map(|&x| u32::from(x)).collect());
            }
        }
    }

    /// Adds `c` to cell `i`, which must hold counts of that size (see
    /// [`Cells::reserve_trials`]).
    fn add(&mut self, i: usize, c: u64) {
        match self {
            Cells::Narrow(cells) => {
                let sum = u64::from(cells[i]) + c;
                cells[i] = u16::try_from(sum).expect("cells reserved for the trials");
            }
            Cells::Wide(cells) => {
                let sum = u64::from(cells[i]) + c;
                cells[i] = u32::try_from(sum).expect("cells reserved for the trials");
            }
        }
    }
}

impl BinnedCounts {
    /// Empty counts for `n` items, to be filled with `planned_trials` orders
    /// of which the first `first_screen` positions count as the first screen.
    /// The positions are pooled into the largest number `B ≤ n` of contiguous
    /// bins whose smallest expected count is at least 5 after
    /// `planned_trials` trials (see the module documentation).
    pub fn new(n: usize, first_screen: usize, planned_trials: u64) -> Self {
        let bin_sizes = position_bins(n, planned_trials).unwrap_or_default();
        let mut bin_of = Vec::with_capacity(if bin_sizes.is_empty() { 0 } else { n });
        for (bin, &size) in bin_sizes.iter().enumerate() {
            let bin = u32::try_from(bin).expect("fewer than 2^32 bins");
            bin_of.extend(std::iter::repeat_n(bin, size));
        }
        BinnedCounts {
            n,
            first_screen,
            planned: planned_trials,
            trials: 0,
            counts: Cells::new(n * bin_sizes.len(), planned_trials),
            bin_sizes,
            bin_of,
            on_screen: vec![0; n],
            position_sum: vec![0; n],
            stamp: Vec::new(),
        }
    }

    /// The same counts pooled from a full item × position matrix.
    pub fn from_positions(counts: &PositionCounts, first_screen: usize) -> Self {
        let n = counts.n();
        let mut b = BinnedCounts::new(n, first_screen, counts.trials());
        b.trials = counts.trials();
        b.counts.reserve_trials(b.trials);
        let bins = b.bin_sizes.len();
        for item in 0..n {
            for position in 0..n {
                let c = counts.get(item, position);
                if c == 0 {
                    continue;
                }
                let c32 = u32::try_from(c).expect("BinnedCounts: more than 2^32 - 1 trials");
                b.position_sum[item] += (position as u64 + 1) * c;
                if position < first_screen {
                    b.on_screen[item] += c32;
                }
                if bins > 0 {
                    b.counts.add(item * bins + b.bin_of[position] as usize, c);
                }
            }
        }
        b
    }

    /// Records one trial; `order[k]` is the item shown at position `k`.
    ///
    /// # Panics
    ///
    /// Panics if `order` is not a permutation of `0..n`, or after
    /// `u32::MAX` trials.
    pub fn record(&mut self, order: &[usize]) {
        assert_eq!(order.len(), self.n, "record: wrong number of positions");
        assert!(self.trials < u64::from(u32::MAX), "record: too many trials");
        let trial = self.trials + 1;
        self.stamp.resize(self.n, 0);
        for &item in order {
            assert!(
                item < self.n && std::mem::replace(&mut self.stamp[item], trial) != trial,
                "record: order is not a permutation"
            );
        }
        self.counts.reserve_trials(trial);
        let bins = self.bin_sizes.len();
        for (position, &item) in order.iter().enumerate() {
            self.position_sum[item] += position as u64 + 1;
            if position < self.first_screen {
                self.on_screen[item] += 1;
            }
            if bins > 0 {
                self.counts
                    .add(item * bins + self.bin_of[position] as usize, 1);
            }
        }
        self.trials = trial;
    }

    /// Records one trial per slice of `positions`, given by position rather than
    /// by order: `positions[t][item]` is the 0-based position of `item` in trial
    /// `t`. This is the inverse of what [`BinnedCounts::record`] takes, and it
    /// lets the counts be filled item by item, each item's cells staying in cache
    /// while all the trials pass, instead of one scattered increment per item and
    /// trial.
    ///
    /// Unlike [`BinnedCounts::record`], this does not check that each trial is a
    /// permutation (which would cost as much as the counting): the caller must
    /// know it, as the site audit does by checking each day's order once for all
    /// of its lists. A trial that is not a permutation gives wrong statistics,
    /// nothing worse.
    ///
    /// # Panics
    ///
    /// Panics if a slice's length is not `n`, if a position is not below `n`,
    /// or past `u32::MAX` trials.
    pub fn record_positions<P: Copy + Into<u32>>(&mut self, positions: &[&[P]]) {
        let n = self.n;
        assert!(
            positions.iter().all(|p| p.len() == n),
            "record_positions: wrong number of items"
        );
        let trials = self.trials + positions.len() as u64;
        assert!(
            trials <= u64::from(u32::MAX),
            "record_positions: too many trials"
        );
        self.counts.reserve_trials(trials);
        let (bin_of, first_screen) = (&self.bin_of[..], self.first_screen);
        let (sums, screens) = (&mut self.position_sum[..], &mut self.on_screen[..]);
        match &mut self.counts {
            Cells::Narrow(c) => tally(positions, bin_of, first_screen, c, sums, screens),
            Cells::Wide(c) => tally(positions, bin_of, first_screen, c, sums, screens),
        }
        self.trials = trials;
    }

    /// Number of items (and positions).
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of recorded trials.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// How often `item` appeared within the first screen.
    pub fn on_screen(&self, item: usize) -> u64 {
        u64::from(self.on_screen[item])
    }

    /// The sum of `item`'s 1-based positions over all trials.
    pub fn position_sum(&self, item: usize) -> u64 {
        self.position_sum[item]
    }

    /// How often `item` appeared in position bin `bin`.
    pub fn bin_count(&self, item: usize, bin: usize) -> u64 {
        self.counts.get(item * self.bin_sizes.len() + bin)
    }

    /// Sizes of the position bins (empty when the planned trials allow no test).
    pub fn bin_sizes(&self) -> &[usize] {
        &self.bin_sizes
    }
}

/// The inner loop of [`BinnedCounts::record_positions`], item by item: an item's
/// cells stay in the first-level cache while its trials pass, and consecutive items
/// read neighbouring positions of the same trials.
fn tally<P: Copy + Into<u32>, C: Cell>(
    positions: &[&[P]],
    bin_of: &[u32],
    first_screen: usize,
    cells: &mut [C],
    sums: &mut [u64],
    screens: &mut [u32],
) {
    let bins = cells.len() / sums.len().max(1);
    for (item, (sum, screen)) in sums.iter_mut().zip(screens.iter_mut()).enumerate() {
        let row = &mut cells[item * bins..(item + 1) * bins];
        let (mut s, mut on) = (0_u64, 0_u32);
        for trial in positions {
            let p = trial[item].into() as usize;
            assert!(p < trial.len(), "record_positions: position out of range");
            s += p as u64 + 1;
            on += u32::from(p < first_screen);
            if bins > 0 {
                row[bin_of[p] as usize].bump();
            }
        }
        *sum += s;
        *screen += on;
    }
}

impl AuditReport {
    /// Computes the statistics from position counts.
    pub fn from_counts(counts: &PositionCounts, first_screen: usize) -> Self {
        Self::from_binned(&BinnedCounts::from_positions(counts, first_screen))
    }

    /// Computes the statistics from binned position counts.
    pub fn from_binned(counts: &BinnedCounts) -> Self {
        let n = counts.n();
        let first_screen = counts.first_screen;
        let trials = counts.trials();
        let mut notes = Vec::new();
        let mut tests = Vec::new();
        let nf = n as f64;
        let df = trials as f64;

        let items = if trials == 0 || n == 0 {
            Vec::new()
        } else {
            let expected_mean = (nf + 1.0) / 2.0;
            let sd = ((nf * nf - 1.0) / (12.0 * df)).sqrt();
            let screen = first_screen.min(n);
            (0..n)
                .map(|item| {
                    let mean = counts.position_sum(item) as f64 / df;
                    ItemRow {
                        index: item,
                        mean_position: mean,
                        expected_mean_position: expected_mean,
                        mean_position_z: if sd > 0.0 {
                            (mean - expected_mean) / sd
                        } else {
                            0.0
                        },
                        first_screen_share: counts.on_screen(item) as f64 / df,
                        expected_first_screen_share: screen as f64 / nf,
                    }
                })
                .collect()
        };

        let p_value = if n < 2 {
            notes.push("fewer than two items: every order is the same".to_owned());
            Some(1.0)
        } else {
            let bins = &counts.bin_sizes;
            let smallest = bins.iter().copied().min().unwrap_or(0) as u64;
            if bins.is_empty() {
                notes.push(format!(
                    "positions test skipped: {} trials give an expected count below 5 \
                     even with two bins",
                    counts.planned
                ));
            } else if trials * smallest < 5 * n as u64 {
                notes.push(format!(
                    "positions test skipped: {trials} trials recorded, fewer than the {} \
                     planned, give an expected count below 5",
                    counts.planned
                ));
            } else {
                let b = bins.len();
                tests.push(anderson_test(
                    "positions",
                    n,
                    trials,
                    bins.clone(),
                    |item, bin| counts.counts.get(item * b + bin),
                ));
            }
            if first_screen == 0 || first_screen >= n {
                notes.push(format!(
                    "first-screen test skipped: a first screen of {first_screen} of {n} \
                     positions cannot favour anyone"
                ));
            } else if trials * (first_screen.min(n - first_screen) as u64) < 5 * n as u64 {
                notes.push(format!(
                    "first-screen test skipped: {trials} trials give an expected count below 5"
                ));
            } else {
                tests.push(anderson_test(
                    "first-screen",
                    n,
                    trials,
                    vec![first_screen, n - first_screen],
                    |item, bin| {
                        let on = counts.on_screen(item);
                        if bin == 0 { on } else { trials - on }
                    },
                ));
            }
            tests
                .iter()
                .map(|t| t.p_value)
                .reduce(f64::min)
                .map(|p| (p * tests.len() as f64).min(1.0))
        };

        let verdict = match p_value {
            None => Verdict::Inconclusive,
            Some(p) if p < TOLERANCE => Verdict::Fail,
            Some(_) => Verdict::Pass,
        };
        AuditReport {
            algorithm: ALGORITHM,
            window: None,
            n_items: n,
            first_screen,
            trials,
            items,
            tests,
            p_value,
            tolerance: TOLERANCE,
            verdict,
            notes,
        }
    }

    /// Whether the audit passes at significance level `alpha`: false when
    /// the p-value is below `alpha` or when the audit is inconclusive.
    pub fn passes(&self, alpha: f64) -> bool {
        self.p_value.is_some_and(|p| p >= alpha)
    }
}

/// Replays the build-time order of an `n_items` list for each of `days`
/// build dates starting at `start` (one [`permutation`] per day, seeded by
/// [`seed_for_date`]) and audits the position counts. The window stops early
/// at the end of the supported calendar.
pub fn audit(n_items: usize, first_screen: usize, start: Date, days: u32) -> AuditReport {
    let dates: Vec<Date> = start.series(1.day()).take(days as usize).collect();
    let mut counts = BinnedCounts::new(n_items, first_screen, dates.len() as u64);
    for &date in &dates {
        counts.record(&permutation(n_items, seed_for_date(date)));
    }
    let mut report = AuditReport::from_binned(&counts);
    report.window = dates.last().map(|last| AuditWindow {
        first_day: start.to_string(),
        last_day: last.to_string(),
        days: u32::try_from(counts.trials()).unwrap_or(u32::MAX),
    });
    report
}

/// Sizes of the largest number `B ≤ n` of contiguous position bins whose
/// smallest expected count `trials · ⌊n/B⌋ / n` is at least 5 (the first
/// `n mod B` bins are one larger), or `None` if not even two bins qualify.
fn position_bins(n: usize, trials: u64) -> Option<Vec<usize>> {
    // ⌊n/B⌋ falls as B grows, so the first B (from the top) that qualifies is
    // the largest; start the search at the most bins the trials could allow.
    let most = usize::try_from(trials / 5).unwrap_or(usize::MAX).min(n);
    let bins = (2..=most)
        .rev()
        .find(|&b| trials * ((n / b) as u64) >= 5 * n as u64)?;
    let (q, r) = (n / bins, n % bins);
    Some((0..bins).map(|i| q + usize::from(i < r)).collect())
}

/// Anderson's binned-position chi-square test: `observed(item, bin)` is how
/// often `item` fell in bin `bin` (of sizes `bin_sizes`) over `trials`
/// permutations of `n` items.
fn anderson_test(
    name: &'static str,
    n: usize,
    trials: u64,
    bin_sizes: Vec<usize>,
    observed: impl Fn(usize, usize) -> u64,
) -> ChiSquareTest {
    let nf = n as f64;
    let trials = trials as f64;
    // The expected count depends only on the bin; the sum still runs item by item, bin
    // by bin, so that its rounding (and the published statistic) does not change.
    let expected: Vec<f64> = bin_sizes
        .iter()
        .map(|&size| trials * size as f64 / nf)
        .collect();
    let min_expected = if n == 0 {
        f64::INFINITY
    } else {
        expected.iter().copied().fold(f64::INFINITY, f64::min)
    };
    let mut pearson = 0.0;
    for item in 0..n {
        for (bin, &e) in expected.iter().enumerate() {
            pearson += (observed(item, bin) as f64 - e).powi(2) / e;
        }
    }
    let statistic = pearson * (nf - 1.0) / nf;
    let degrees_of_freedom = (n as u64 - 1) * (bin_sizes.len() as u64 - 1);
    ChiSquareTest {
        name,
        bin_sizes,
        min_expected,
        statistic,
        degrees_of_freedom,
        p_value: chi_square_sf(statistic, degrees_of_freedom as f64),
    }
}

/// Anderson's binned-position chi-square test for full position counts.
#[cfg(test)]
fn binned_test(
    name: &'static str,
    counts: &PositionCounts,
    bin_sizes: Vec<usize>,
) -> ChiSquareTest {
    let starts: Vec<usize> = bin_sizes
        .iter()
        .scan(0, |start, &size| {
            let s = *start;
            *start += size;
            Some(s)
        })
        .collect();
    let sizes = bin_sizes.clone();
    anderson_test(name, counts.n(), counts.trials(), bin_sizes, |item, bin| {
        (starts[bin]..starts[bin] + sizes[bin])
            .map(|p| counts.get(item, p))
            .sum()
    })
}

// ---------------------------------------------------------------------------
// Special functions
// ---------------------------------------------------------------------------

/// Upper tail probability `P(X ≥ x)` of a chi-square distribution with `k > 0`
/// degrees of freedom: `Q(k/2, x/2)`.
pub fn chi_square_sf(x: f64, k: f64) -> f64 {
    gamma_q(k / 2.0, x / 2.0)
}

/// The regularised upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)`
/// for `a > 0`, `x ≥ 0`: series for `x < a + 1`, Lentz continued fraction
/// otherwise (Numerical Recipes §6.2).
///
/// # Panics
///
/// Panics if `a ≤ 0` or `x < 0` (or either is NaN).
pub fn gamma_q(a: f64, x: f64) -> f64 {
    assert!(a > 0.0 && x >= 0.0, "gamma_q: need a > 0 and x >= 0");
    if x == 0.0 {
        return 1.0;
    }
    // ln(x^a e^-x / Γ(a))
    let log_prefactor = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        // P(a, x) = x^a e^-x / Γ(a) · Σ x^n / (a (a+1) … (a+n))
        let mut ap = a;
        let mut term = 1.0 / a;
        let mut sum = term;
        for _ in 0..MAX_ITERATIONS {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * EPSILON {
                break;
            }
        }
        1.0 - sum * log_prefactor.exp()
    } else {
        let tiny = f64::MIN_POSITIVE / EPSILON;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..=MAX_ITERATIONS {
            let i = f64::from(i);
            let an = -i * (i - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < EPSILON {
                break;
            }
        }
        log_prefactor.exp() * h
    }
}

const EPSILON: f64 = 1e-15;
const MAX_ITERATIONS: u32 = 100_000;

/// `ln Γ(x)` for `x > 0` by the Lanczos approximation (g = 7, 9 terms),
/// accurate to about 15 significant digits.
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, &c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Trials, bin sizes, cells by item, first-screen counts, position sums.
#[cfg(test)]
pub(crate) type Tallies = (u64, Vec<usize>, Vec<Vec<u64>>, Vec<u64>, Vec<u64>);

/// Everything a report is computed from, as a comparable value (for tests here and in
/// `audit`).
#[cfg(test)]
pub(crate) fn tallies(c: &BinnedCounts) -> Tallies {
    let items = 0..c.n();
    (
        c.trials(),
        c.bin_sizes().to_vec(),
        items
            .clone()
            .map(|i| {
                (0..c.bin_sizes().len())
                    .map(|b| c.bin_count(i, b))
                    .collect()
            })
            .collect(),
        items.clone().map(|i| c.on_screen(i)).collect(),
        items.map(|i| c.position_sum(i)).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Pearson chi-square p-value for counts against equal expected counts
    /// (independent draws, `k − 1` degrees of freedom).
    fn uniform_p(observed: &[u64]) -> f64 {
        let total: u64 = observed.iter().sum();
        let expected = total as f64 / observed.len() as f64;
        let stat: f64 = observed
            .iter()
            .map(|&o| (o as f64 - expected).powi(2) / expected)
            .sum();
        chi_square_sf(stat, (observed.len() - 1) as f64)
    }

    fn first_outputs(seed: u32) -> [u32; 8] {
        let mut rng = Sfc32::new(seed);
        std::array::from_fn(|_| rng.next_u32())
    }

    #[test]
    fn neutral_sfc32_known_answers() {
        // Computed once; the same vectors are checked against neutral.js by
        // tests/it/neutral.rs.
        assert_eq!(first_outputs(0), KAT_SEED_0);
        assert_eq!(first_outputs(42), KAT_SEED_42);
    }

    const KAT_SEED_0: [u32; 8] = [
        0xacd3417b, 0x2de2e58f, 0x0d229d39, 0xfe879ffd, 0xdd98d4f6, 0xae05af4e, 0xdf3a947a,
        0x59304401,
    ];
    const KAT_SEED_42: [u32; 8] = [
        0x74cd2e33, 0x906dcbd8, 0x930a6b08, 0xf7067866, 0xd4c2ccd0, 0xaba25026, 0x6965ce61,
        0x2a666716,
    ];

    #[test]
    fn neutral_fnv1a_known_answers() {
        // Standard FNV-1a 32-bit test vectors.
        assert_eq!(seed_from_str(""), 0x811c_9dc5);
        assert_eq!(seed_from_str("a"), 0xe40c_292c);
        assert_eq!(seed_from_str("foobar"), 0xbf9c_f968);
        assert_eq!(seed_for_date(date(2025, 1, 31)), 0x5a26_dc05);
        assert_eq!(seed_from_str("hotdesk:2025-01-31"), 0x5a26_dc05);
        assert_ne!(
            seed_for_date(date(2025, 1, 31)),
            seed_for_date(date(2025, 2, 1))
        );
    }

    #[test]
    fn neutral_permutation_known_answers() {
        assert_eq!(permutation(0, 7), Vec::<usize>::new());
        assert_eq!(permutation(1, 7), vec![0]);
        assert_eq!(permutation(10, 0), KAT_PERMUTATION_10_0);
        assert_eq!(permutation(10, 42), KAT_PERMUTATION_10_42);
    }

    const KAT_PERMUTATION_10_0: [usize; 10] = [5, 7, 3, 8, 2, 0, 6, 9, 4, 1];
    const KAT_PERMUTATION_10_42: [usize; 10] = [9, 7, 5, 4, 6, 2, 1, 8, 0, 3];

    #[test]
    fn neutral_shuffle_is_a_permutation() {
        for n in 0..50 {
            for seed in [0, 1, 42, 0xdead_beef, u32::MAX] {
                let mut p = permutation(n, seed);
                p.sort_unstable();
                assert_eq!(p, (0..n).collect::<Vec<_>>(), "n = {n}, seed = {seed}");
            }
        }
        // Shuffling any items applies the same permutation.
        let mut words = ["a", "b", "c", "d", "e", "f", "g"];
        shuffle(&mut words, 99);
        let expected: Vec<_> = permutation(7, 99)
            .into_iter()
            .map(|i| ["a", "b", "c", "d", "e", "f", "g"][i])
            .collect();
        assert_eq!(words.to_vec(), expected);
    }

    #[test]
    fn neutral_shuffle_positions_are_uniform() {
        let mut counts = PositionCounts::new(6);
        let mut perms = std::collections::HashMap::new();
        for seed in 0..20_000 {
            let p = permutation(6, seed);
            counts.record(&p);
            *perms.entry(p).or_insert(0_u64) += 1;
        }
        // Item × position matrix, Anderson's statistic with (n-1)² df.
        let test = binned_test("positions", &counts, vec![1; 6]);
        assert_eq!(test.degrees_of_freedom, 25);
        assert!(test.p_value > 0.001, "{test:?}");
        // Every one of the 6! orders, equally often (expected ≈ 27.8 each).
        assert_eq!(perms.len(), 720);
        let observed: Vec<u64> = perms.into_values().collect();
        let p = uniform_p(&observed);
        assert!(p > 0.001, "permutation frequencies: p = {p}");
    }

    #[test]
    fn neutral_bounded_is_unbiased() {
        let mut rng = Sfc32::new(2024);
        for n in [1_u32, 2, 3, 6, 10, 37] {
            let mut observed = vec![0_u64; n as usize];
            for _ in 0..50_000 {
                observed[bounded(&mut rng, n) as usize] += 1;
            }
            if n > 1 {
                let p = uniform_p(&observed);
                assert!(p > 0.001, "n = {n}: p = {p}");
            }
        }
        // n = 3·2³⁰: a plain `r % n` would make the lowest third twice as
        // likely as the others; the rejection sampler must not.
        let n = 3 << 30;
        let mut observed = [0_u64; 3];
        let mut naive = [0_u64; 3];
        for _ in 0..30_000 {
            observed[(bounded(&mut rng, n) >> 30) as usize] += 1;
            naive[((rng.next_u32() % n) >> 30) as usize] += 1;
        }
        let p = uniform_p(&observed);
        assert!(p > 0.001, "large n: p = {p}");
        assert!(
            uniform_p(&naive) < 1e-9,
            "the test should detect modulo bias"
        );
    }

    #[test]
    #[should_panic(expected = "n must be at least 1")]
    fn neutral_bounded_rejects_zero() {
        bounded(&mut Sfc32::new(0), 0);
    }

    #[test]
    fn neutral_gamma_q_matches_reference_values() {
        // Reference values from scipy.special.gammaincc / scipy.stats.chi2.sf.
        let gamma_cases = [
            (0.5, 0.5, 0.317_310_507_862_911_15),
            (1.0, 2.0, 0.135_335_283_236_612_7),
            (5.0, 1.0, 0.996_340_153_172_656_3),
            (5.0, 10.0, 0.029_252_688_076_961_124),
            (100.0, 90.0, 0.841_779_010_813_57),
            (100.0, 120.0, 0.027_863_739_890_520_652),
            (1200.5, 1250.0, 0.077_941_367_129_525_14),
        ];
        for (a, x, want) in gamma_cases {
            let got = gamma_q(a, x);
            assert!(
                ((got - want) / want).abs() < 1e-9,
                "Q({a}, {x}) = {got}, want {want}"
            );
        }
        let chi_cases = [
            (3.841_458_820_694_12, 1.0, 0.05),
            (0.5, 1.0, 0.479_500_122_186_953_37),
            (10.0, 4.0, 0.040_427_681_994_512_79),
            (1.0, 10.0, 0.999_827_884_370_044_1),
            (30.0, 10.0, 0.000_856_641_210_775_301),
            (400.0, 361.0, 0.076_815_127_878_430_8),
            (450.0, 361.0, 0.000_974_596_388_960_206_4),
            (2500.0, 2401.0, 0.077_941_367_129_525_14),
            (2700.0, 2401.0, 1.610_920_937_469_216_2e-5),
            (100.0, 20.0, 1.259_608_459_166_084_7e-12),
            (0.001, 3.0, 0.999_991_592_080_941_9),
            (60.0, 3.0, 5.878_230_727_906_921e-13),
        ];
        for (x, k, want) in chi_cases {
            let got = chi_square_sf(x, k);
            assert!(
                ((got - want) / want).abs() < 1e-9,
                "chi2.sf({x}, {k}) = {got}, want {want}"
            );
        }
        assert_eq!(gamma_q(3.0, 0.0), 1.0);
    }

    #[test]
    fn neutral_audit_passes_for_20_items_over_a_year() {
        let report = audit(20, 6, date(2025, 1, 1), 365);
        assert!(report.passes(TOLERANCE), "{report:#?}");
        assert_eq!(report.verdict, Verdict::Pass);
        assert_eq!(report.trials, 365);
        assert_eq!(report.items.len(), 20);
        // 365 / 20 = 18.25 ≥ 5: no pooling needed.
        assert_eq!(report.tests[0].bin_sizes, vec![1; 20]);
        assert_eq!(report.tests[0].degrees_of_freedom, 19 * 19);
        assert_eq!(report.tests[1].bin_sizes, vec![6, 14]);
        let window = report.window.as_ref().unwrap();
        assert_eq!(window.first_day, "2025-01-01");
        assert_eq!(window.last_day, "2025-12-31");
        for row in &report.items {
            assert_eq!(row.expected_mean_position, 10.5);
            assert_eq!(row.expected_first_screen_share, 0.3);
            assert!(row.mean_position_z.abs() < 5.0, "{row:?}");
        }
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["verdict"], "pass");
        assert_eq!(json["tolerance"], 0.001);
    }

    #[test]
    fn neutral_audit_pools_positions_when_days_are_few() {
        // 100 items, 365 days: 3.65 expected per cell, so positions are pooled
        // into 50 bins of 2 (7.3 expected per cell).
        let report = audit(100, 10, date(2025, 1, 1), 365);
        assert_eq!(report.tests[0].bin_sizes, vec![2; 50]);
        assert!(report.tests.iter().all(|t| t.min_expected >= 5.0));
        assert!(report.passes(TOLERANCE), "{:?}", report.tests);

        // Uneven pooling: larger bins first.
        assert_eq!(position_bins(7, 12), Some(vec![4, 3]));
        assert_eq!(position_bins(7, 10), None);
        assert_eq!(position_bins(7, 70), Some(vec![1; 7]));
        assert_eq!(position_bins(7, 20), Some(vec![3, 2, 2]));
        assert_eq!(position_bins(7, 9), None);
    }

    #[test]
    fn neutral_audit_edge_cases() {
        let one = audit(1, 6, date(2025, 1, 1), 10);
        assert!(one.passes(TOLERANCE));
        assert!(one.tests.is_empty());

        let few_days = audit(20, 6, date(2025, 1, 1), 3);
        assert_eq!(few_days.verdict, Verdict::Inconclusive);
        assert!(!few_days.passes(TOLERANCE));
        assert_eq!(few_days.p_value, None);

        let no_days = audit(5, 2, date(2025, 1, 1), 0);
        assert!(no_days.window.is_none());
        assert!(!no_days.passes(TOLERANCE));

        // A first screen that shows everything cannot favour anyone.
        let all_visible = audit(4, 10, date(2025, 1, 1), 100);
        assert_eq!(all_visible.tests.len(), 1);
        assert!(all_visible.passes(TOLERANCE));
    }

    #[test]
    fn neutral_audit_detects_bias() {
        // Alphabetical every day: maximally biased.
        let mut sorted = PositionCounts::new(20);
        for _ in 0..365 {
            sorted.record(&(0..20).collect::<Vec<_>>());
        }
        let report = AuditReport::from_counts(&sorted, 6);
        assert_eq!(report.verdict, Verdict::Fail);
        assert!(!report.passes(TOLERANCE));

        // Subtle: a fair shuffle, except that on one day in four item 0 is
        // promoted to the top if it is not already on the first screen.
        let mut promoted = PositionCounts::new(20);
        for day in 0..365 {
            let mut order = permutation(20, seed_from_str(&format!("biased:{day}")));
            let at = order.iter().position(|&i| i == 0).unwrap();
            if day % 4 == 0 && at >= 6 {
                order[..=at].rotate_right(1);
            }
            promoted.record(&order);
        }
        let report = AuditReport::from_counts(&promoted, 6);
        assert!(!report.passes(TOLERANCE), "{:?}", report.tests);
        assert!(report.items[0].first_screen_share > 0.4);

        // The same construction without the promotion passes.
        let mut fair = PositionCounts::new(20);
        for day in 0..365 {
            fair.record(&permutation(20, seed_from_str(&format!("biased:{day}"))));
        }
        assert!(AuditReport::from_counts(&fair, 6).passes(TOLERANCE));
    }

    use super::tallies;

    /// `positions[item]` for an order `order[position] = item`.
    fn inverse<P: TryFrom<usize>>(order: &[usize]) -> Vec<P> {
        let mut positions: Vec<Option<P>> = order.iter().map(|_| None).collect();
        for (k, &item) in order.iter().enumerate() {
            positions[item] = P::try_from(k).ok();
        }
        positions.into_iter().map(Option::unwrap).collect()
    }

    #[test]
    fn neutral_record_positions_counts_as_record_does() {
        for (n, first_screen, trials) in [
            (0, 3, 10),
            (1, 3, 10),
            (2, 1, 4),
            (7, 3, 12),
            (23, 6, 40),
            (100, 12, 365),
            (300, 12, 30),
            (1000, 12, 100),
        ] {
            let orders: Vec<Vec<usize>> = (0..trials)
                .map(|t| permutation(n, seed_from_str(&format!("{n}:{t}"))))
                .collect();
            let mut by_order = BinnedCounts::new(n, first_screen, trials as u64);
            let mut full = PositionCounts::new(n);
            for order in &orders {
                by_order.record(order);
                full.record(order);
            }
            let want = tallies(&by_order);
            assert_eq!(
                tallies(&BinnedCounts::from_positions(&full, first_screen)),
                want
            );
            // In uneven batches, with both widths of position.
            let narrow: Vec<Vec<u16>> = orders.iter().map(|o| inverse(o)).collect();
            let wide: Vec<Vec<u32>> = orders.iter().map(|o| inverse(o)).collect();
            let mut by_narrow = BinnedCounts::new(n, first_screen, trials as u64);
            let mut by_wide = BinnedCounts::new(n, first_screen, trials as u64);
            let mut start: usize = 0;
            for batch in [1, 0, 2, 5, usize::MAX].iter().cycle() {
                let end = start.saturating_add(*batch).min(trials);
                let rows: Vec<&[u16]> = narrow[start..end].iter().map(Vec::as_slice).collect();
                by_narrow.record_positions(&rows);
                let rows: Vec<&[u32]> = wide[start..end].iter().map(Vec::as_slice).collect();
                by_wide.record_positions(&rows);
                start = end;
                if start == trials {
                    break;
                }
            }
            assert_eq!(tallies(&by_narrow), want, "n = {n}");
            assert_eq!(tallies(&by_wide), want, "n = {n}");
            assert_eq!(
                AuditReport::from_binned(&by_narrow),
                AuditReport::from_binned(&by_order)
            );
            assert_eq!(
                AuditReport::from_binned(&by_order),
                AuditReport::from_counts(&full, first_screen)
            );
        }
    }

    #[test]
    fn neutral_binned_counts_widen_past_16_bits() {
        // Planned for few trials, so the cells start narrow; more are recorded.
        let trials = usize::from(u16::MAX) + 5;
        let mut by_order = BinnedCounts::new(2, 1, 10);
        let mut by_position = BinnedCounts::new(2, 1, 10);
        for _ in 0..trials {
            by_order.record(&[1, 0]);
        }
        let row: [u16; 2] = [1, 0];
        let rows = vec![&row[..]; trials];
        by_position.record_positions(&rows[..10]);
        by_position.record_positions(&rows[10..]);
        for c in [&by_order, &by_position] {
            assert_eq!(c.bin_sizes(), [1, 1]);
            assert_eq!(c.trials(), trials as u64);
            assert_eq!(c.bin_count(1, 0), trials as u64);
            assert_eq!(c.bin_count(0, 1), trials as u64);
            assert_eq!(c.bin_count(0, 0), 0);
            assert_eq!(c.on_screen(1), trials as u64);
            assert_eq!(c.position_sum(0), 2 * trials as u64);
        }
        // Planned for more than 16 bits can count, the cells start wide.
        let mut wide = BinnedCounts::new(2, 1, 1 << 17);
        wide.record(&[0, 1]);
        assert_eq!(wide.bin_count(0, 0), 1);
    }

    #[test]
    #[should_panic(expected = "position out of range")]
    fn neutral_record_positions_rejects_a_position_past_the_end() {
        let mut c = BinnedCounts::new(3, 1, 20);
        c.record_positions(&[&[0_u16, 3, 1][..]]);
    }

    #[test]
    #[should_panic(expected = "wrong number of items")]
    fn neutral_record_positions_rejects_a_short_trial() {
        let mut c = BinnedCounts::new(3, 1, 20);
        c.record_positions(&[&[0_u16, 1][..]]);
    }

    #[test]
    fn neutral_order_policy_serde_and_display() {
        assert_eq!(OrderPolicy::default(), OrderPolicy::Shuffle);
        for (policy, text) in [
            (OrderPolicy::Shuffle, "shuffle"),
            (OrderPolicy::RotateDaily, "rotate-daily"),
            (OrderPolicy::Alphabetical, "alphabetical"),
        ] {
            assert_eq!(policy.to_string(), text);
            assert_eq!(
                serde_json::to_string(&policy).unwrap(),
                format!("\"{text}\"")
            );
            let back: OrderPolicy = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(back, policy);
        }
        assert!(serde_json::from_str::<OrderPolicy>("\"random\"").is_err());
        assert!(OrderPolicy::Shuffle.reshuffles_in_browser());
        assert!(!OrderPolicy::RotateDaily.reshuffles_in_browser());
    }

    #[test]
    fn neutral_arrange_ignores_input_order() {
        let day = date(2025, 3, 14);
        let mut a = vec!["delta", "alpha", "charlie", "bravo", "echo"];
        let mut b = vec!["echo", "charlie", "alpha", "delta", "bravo"];
        let seed_a = arrange(&mut a, OrderPolicy::Shuffle, day, |s| *s);
        let seed_b = arrange(&mut b, OrderPolicy::RotateDaily, day, |s| *s);
        assert_eq!(a, b);
        assert_eq!(seed_a, Some(seed_for_date(day)));
        assert_eq!(seed_a, seed_b);
        let canonical = ["alpha", "bravo", "charlie", "delta", "echo"];
        let expected: Vec<_> = permutation(5, seed_for_date(day))
            .into_iter()
            .map(|i| canonical[i])
            .collect();
        assert_eq!(a, expected);

        let mut c = vec!["delta", "alpha", "charlie"];
        assert_eq!(
            arrange(&mut c, OrderPolicy::Alphabetical, day, |s| *s),
            None
        );
        assert_eq!(c, ["alpha", "charlie", "delta"]);
    }
}
