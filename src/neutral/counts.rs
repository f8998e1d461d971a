//! Where items stood over many orders: the full item × position matrix
//! ([`PositionCounts`], small lists and tests) and the same counts pooled into position
//! bins ([`BinnedCounts`]), which is what lets a site's audit replay a year of orders for
//! tens of thousands of items. This module only counts; [`super::stats`] turns counts
//! into a verdict.

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

    /// Positions counted as the first screen.
    pub(crate) fn first_screen(&self) -> usize {
        self.first_screen
    }

    /// The trials the bins were chosen for.
    pub(crate) fn planned(&self) -> u64 {
        self.planned
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

/// Sizes of the largest number `B ≤ n` of contiguous position bins whose
/// smallest expected count `trials · ⌊n/B⌋ / n` is at least 5 (the first
/// `n mod B` bins are one larger), or `None` if not even two bins qualify.
pub(super) fn position_bins(n: usize, trials: u64) -> Option<Vec<usize>> {
    // ⌊n/B⌋ falls as B grows, so the first B (from the top) that qualifies is
    // the largest; start the search at the most bins the trials could allow.
    let most = usize::try_from(trials / 5).unwrap_or(usize::MAX).min(n);
    let bins = (2..=most)
        .rev()
        .find(|&b| trials * ((n / b) as u64) >= 5 * n as u64)?;
    let (q, r) = (n / bins, n % bins);
    Some((0..bins).map(|i| q + usize::from(i < r)).collect())
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
