//! From counts to a verdict: Anderson's binned rank statistic, the first-screen test,
//! their p-values (the regularised incomplete gamma function) and the report of one
//! list's audit. The method is argued in the module documentation of
//! [`crate::neutral`]; this module must stay free of any site: it sees items by index.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::counts::{BinnedCounts, PositionCounts};
use super::order::permutation;
use super::rng::seed_for_date;
use super::{ALGORITHM, TOLERANCE};

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

impl AuditReport {
    /// Computes the statistics from position counts.
    pub fn from_counts(counts: &PositionCounts, first_screen: usize) -> Self {
        Self::from_binned(&BinnedCounts::from_positions(counts, first_screen))
    }

    /// Computes the statistics from binned position counts.
    pub fn from_binned(counts: &BinnedCounts) -> Self {
        let n = counts.n();
        let first_screen = counts.first_screen();
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
            let bins = counts.bin_sizes();
            let smallest = bins.iter().copied().min().unwrap_or(0) as u64;
            if bins.is_empty() {
                notes.push(format!(
                    "positions test skipped: {} trials give an expected count below 5 \
                     even with two bins",
                    counts.planned()
                ));
            } else if trials * smallest < 5 * n as u64 {
                notes.push(format!(
                    "positions test skipped: {trials} trials recorded, fewer than the {} \
                     planned, give an expected count below 5",
                    counts.planned()
                ));
            } else {
                tests.push(anderson_test(
                    "positions",
                    n,
                    trials,
                    bins.to_vec(),
                    |item, bin| counts.bin_count(item, bin),
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
pub(super) fn binned_test(
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
pub(crate) fn chi_square_sf(x: f64, k: f64) -> f64 {
    gamma_q(k / 2.0, x / 2.0)
}

/// The regularised upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)`
/// for `a > 0`, `x ≥ 0`: series for `x < a + 1`, Lentz continued fraction
/// otherwise (Numerical Recipes §6.2).
///
/// # Panics
///
/// Panics if `a ≤ 0` or `x < 0` (or either is NaN).
pub(crate) fn gamma_q(a: f64, x: f64) -> f64 {
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
