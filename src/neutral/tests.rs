//! Unit tests of the neutral order and its audit: known answers shared with
//! `neutral.js`, uniformity of the shuffle, and the audit's statistics.

use super::counts::position_bins;
use super::stats::{binned_test, chi_square_sf, gamma_q};
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
    0xacd3417b, 0x2de2e58f, 0x0d229d39, 0xfe879ffd, 0xdd98d4f6, 0xae05af4e, 0xdf3a947a, 0x59304401,
];
const KAT_SEED_42: [u32; 8] = [
    0x74cd2e33, 0x906dcbd8, 0x930a6b08, 0xf7067866, 0xd4c2ccd0, 0xaba25026, 0x6965ce61, 0x2a666716,
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
