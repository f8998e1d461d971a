//! Cross-language check: `themes/default/static/js/neutral.js` must compute
//! exactly what `hotdesk::neutral` computes (same seed, same order), and its
//! page behaviour must be reproducible from the seed it records.
//!
//! Needs `node`. Without it the test fails when `CI=true` and is skipped with
//! a warning otherwise.

use std::io::ErrorKind;
use std::path::Path;
use std::process::Command;

use hotdesk::neutral::{Sfc32, bounded, permutation, seed_for_date, seed_from_str};
use jiff::civil::date;
use serde_json::{Value, json};

/// The first outputs of `Sfc32::new(0)` and `Sfc32::new(42)`, as pinned in the
/// unit tests of `src/neutral.rs`.
const KAT_SEED_0: [u32; 8] = [
    0xacd3417b, 0x2de2e58f, 0x0d229d39, 0xfe879ffd, 0xdd98d4f6, 0xae05af4e, 0xdf3a947a, 0x59304401,
];
const KAT_SEED_42: [u32; 8] = [
    0x74cd2e33, 0x906dcbd8, 0x930a6b08, 0xf7067866, 0xd4c2ccd0, 0xaba25026, 0x6965ce61, 0x2a666716,
];

const SCRIPT: &str = r#"
const neutral = require(process.env.HOTDESK_NEUTRAL_JS);
const input = JSON.parse(process.env.HOTDESK_NEUTRAL_INPUT);
const out = {
  attached: globalThis.hotdeskNeutral === neutral,
  outputs: input.outputs.map(([seed, count]) => {
    const next = neutral.sfc32(seed);
    return Array.from({ length: count }, () => next());
  }),
  bounded: input.bounded.map(([seed, n, count]) => {
    const next = neutral.sfc32(seed);
    return Array.from({ length: count }, () => neutral.bounded(next, n));
  }),
  permutations: input.permutations.map(([n, seed]) => neutral.permutation(n, seed)),
  seeds: input.strings.map((s) => neutral.seedFromStr(s)),
};

// A minimal stand-in for the DOM: lists whose children are numbered cards.
function element(attrs) {
  return {
    attrs,
    getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; },
    setAttribute(k, v) { this.attrs[k] = String(v); },
  };
}
const lists = input.lists.map(([n, policy]) => {
  const attrs = { 'data-neutral-list': '' };
  if (policy !== null) attrs['data-neutral-policy'] = policy;
  const list = element(attrs);
  list.children = Array.from({ length: n }, (_, i) => Object.assign(element({}), { card: i }));
  list.appendChild = function (child) {
    const at = this.children.indexOf(child);
    if (at >= 0) this.children.splice(at, 1);
    this.children.push(child);
  };
  return list;
});
neutral.init({
  querySelectorAll(selector) {
    if (selector !== '[data-neutral-list]') throw new Error('unexpected selector ' + selector);
    return lists;
  },
});
out.lists = lists.map((l) => ({
  seed: l.getAttribute('data-neutral-seed'),
  order: l.children.map((c) => c.card),
}));
process.stdout.write(JSON.stringify(out));
"#;

/// Runs [`SCRIPT`] on `input`; `None` if node is missing outside CI.
fn run_node(input: &Value) -> Option<Value> {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/js/neutral.js");
    assert!(js.is_file(), "missing {}", js.display());
    let output = match Command::new("node")
        .arg("-e")
        .arg(SCRIPT)
        .env("HOTDESK_NEUTRAL_JS", &js)
        .env("HOTDESK_NEUTRAL_INPUT", input.to_string())
        .output()
    {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "`node` is not installed, but CI=true: the cross-language neutrality \
                     test (Rust vs neutral.js) must run in CI; install Node.js"
                );
            }
            warn_skipped();
            return None;
        }
        Err(err) => panic!("could not run node: {err}"),
    };
    assert!(
        output.status.success(),
        "node failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("node printed invalid JSON"))
}

/// Prints a loud warning. Written to the stderr handle directly rather than
/// with `eprintln!`, which the test harness captures and hides on success.
fn warn_skipped() {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !! WARNING: `node` not found: SKIPPING the Rust vs neutral.js check. !!\n\
         !! The browser shuffle is NOT verified. Install Node.js; with        !!\n\
         !! CI=true this is a failure.                                        !!\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
    );
}

fn as_u64s(value: &Value) -> Vec<u64> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_u64().expect("unsigned integer"))
        .collect()
}

#[test]
fn neutral_js_matches_rust() {
    let output_seeds: [u32; 5] = [0, 42, 1, 0x8000_0000, u32::MAX];
    let bounded_cases: [(u32, u32); 8] = [
        (7, 1),
        (7, 2),
        (7, 3),
        (7, 10),
        (9, 3 << 30),
        (9, 0x8000_0001),
        (9, u32::MAX),
        (11, 1_000_003),
    ];
    let mut permutation_cases: Vec<(usize, u32)> = vec![
        (0, 1),
        (1, 5),
        (2, 0),
        (10, 0),
        (10, 42),
        (52, 0xdead_beef),
        (100, u32::MAX),
        (1000, 2025),
    ];
    for day in [date(2025, 1, 1), date(2025, 1, 2), date(2028, 2, 29)] {
        permutation_cases.push((24, seed_for_date(day)));
    }
    let strings = [
        "",
        "a",
        "foobar",
        "hotdesk:2025-01-31",
        "Café Ünïcödé ☕ 😀 — 工作",
        "nul\u{0}byte",
    ];
    // (cards, data-neutral-policy)
    let lists: [(usize, Option<&str>); 5] = [
        (12, None),
        (12, Some("shuffle")),
        (12, Some("rotate-daily")),
        (12, Some("alphabetical")),
        (1, None),
    ];

    let input = json!({
        "outputs": output_seeds.iter().map(|&s| (s, 8)).collect::<Vec<_>>(),
        "bounded": bounded_cases.iter().map(|&(s, n)| (s, n, 40)).collect::<Vec<_>>(),
        "permutations": permutation_cases,
        "strings": strings,
        "lists": lists,
    });
    let Some(js) = run_node(&input) else {
        return;
    };

    assert_eq!(js["attached"], true, "window.hotdeskNeutral not set");

    // Raw generator outputs, including the pinned known answers.
    for (i, &seed) in output_seeds.iter().enumerate() {
        let mut rng = Sfc32::new(seed);
        let rust: Vec<u64> = (0..8).map(|_| u64::from(rng.next_u32())).collect();
        assert_eq!(
            as_u64s(&js["outputs"][i]),
            rust,
            "sfc32 outputs, seed {seed}"
        );
    }
    let pinned = |kat: [u32; 8]| kat.map(u64::from).to_vec();
    assert_eq!(as_u64s(&js["outputs"][0]), pinned(KAT_SEED_0));
    assert_eq!(as_u64s(&js["outputs"][1]), pinned(KAT_SEED_42));

    for (i, &(seed, n)) in bounded_cases.iter().enumerate() {
        let mut rng = Sfc32::new(seed);
        let rust: Vec<u64> = (0..40).map(|_| u64::from(bounded(&mut rng, n))).collect();
        assert_eq!(
            as_u64s(&js["bounded"][i]),
            rust,
            "bounded({n}), seed {seed}"
        );
    }

    for (i, &(n, seed)) in permutation_cases.iter().enumerate() {
        let rust: Vec<u64> = permutation(n, seed).into_iter().map(|k| k as u64).collect();
        assert_eq!(
            as_u64s(&js["permutations"][i]),
            rust,
            "permutation({n}, {seed})"
        );
    }

    for (i, s) in strings.iter().enumerate() {
        assert_eq!(
            js["seeds"][i].as_u64(),
            Some(u64::from(seed_from_str(s))),
            "seedFromStr({s:?})"
        );
    }

    // Page behaviour: shuffled lists record a seed that reproduces their order
    // with the Rust permutation; opted-out lists are left alone.
    for (i, &(cards, policy)) in lists.iter().enumerate() {
        let list = &js["lists"][i];
        let order = as_u64s(&list["order"]);
        match policy {
            None | Some("shuffle") => {
                let seed: u32 = list["seed"]
                    .as_str()
                    .expect("data-neutral-seed set")
                    .parse()
                    .expect("data-neutral-seed is a u32");
                let rust: Vec<u64> = permutation(cards, seed)
                    .into_iter()
                    .map(|k| k as u64)
                    .collect();
                assert_eq!(order, rust, "list {i} not reproducible from its seed");
            }
            _ => {
                assert!(list["seed"].is_null(), "list {i} ({policy:?}) got a seed");
                assert_eq!(order, (0..cards as u64).collect::<Vec<_>>(), "list {i}");
            }
        }
    }
}
