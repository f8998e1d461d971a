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
//!
//! # Where things are
//!
//! `rng` is steps 1–4 (and the crate's one FNV-1a), `order` step 5 and the policies,
//! `counts` the position counts, `stats` the tests and the report of one list. This
//! module is a leaf of the pipeline: it imports nothing from the crate, so `raw`,
//! `listing`, `index`, `search`, `render` and the site audit ([`crate::audit`]) may
//! all use it.

mod counts;
mod order;
mod rng;
mod stats;
#[cfg(test)]
mod tests;

// The spec's functions and the types of the published report are the library's API (the
// integration tests replay the order with them); the rest is for the crate.
pub use counts::{BinnedCounts, PositionCounts};
pub use order::{OrderPolicy, permutation};
pub(crate) use order::{arrange, shuffle};
pub(crate) use rng::fnv1a32;
pub use rng::{Sfc32, bounded, seed_for_date, seed_from_str};
pub use stats::{AuditReport, AuditWindow, ChiSquareTest, ItemRow, Verdict, audit};

#[cfg(test)]
pub(crate) use counts::tallies;

/// Identifier of the algorithm specified in the module documentation.
/// Changing any step of the algorithm must change this identifier.
pub const ALGORITHM: &str = "hotdesk-neutral-1: fnv1a32 seed, splitmix32 -> sfc32 (12 discarded), \
                             rejection-bounded, Fisher-Yates (Durstenfeld)";

/// The documented tolerance: the audit fails when its p-value is below this.
pub(crate) const TOLERANCE: f64 = 0.001;
