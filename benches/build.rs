//! Build benchmark: full `build` and `check` on generated directories of N spaces.
//!
//! `cargo bench --bench build` generates sites with `benches/gen_site.py` (hotdesk's
//! format, the size and variety of `shared/bench/gen_content.py`) into
//! `target/bench-sites/<N>/`, then runs the release binary several times per size and
//! prints one table: median wall time of `build` and `check`, peak resident memory
//! (the child's VmHWM, sampled every 5 ms), output size, and the search index size.
//!
//! Sizes: `HOTDESK_BENCH_SIZES=1000,10000` (the default); add 100000 on purpose — it
//! takes minutes and several GB of disk. `HOTDESK_BENCH_RUNS` sets the runs (default 3).
//! `HOTDESK_BENCH_OUTPUT=DIR` writes the sites under `DIR/<N>` (e.g. on a tmpfs).
//! This is a report, not a test: it asserts nothing about speed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-06-01T12:00:00Z";

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_hotdesk"));
    let sizes: Vec<usize> = std::env::var("HOTDESK_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("HOTDESK_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "| spaces | build (median of {runs}) | peak memory | check (median) | output | files | search index |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for n in sizes {
        let site = root.join("target/bench-sites").join(n.to_string());
        if !site.join("content/site.yaml").exists() {
            let status = Command::new("python3")
                .arg(root.join("benches/gen_site.py"))
                .args(["-n", &n.to_string(), "--out"])
                .arg(&site)
                .stdout(Stdio::null())
                .status()
                .expect("python3 runs benches/gen_site.py");
            assert!(status.success(), "generating {n} spaces failed");
        }
        // HOTDESK_BENCH_OUTPUT=/dev/shm/x writes there (tmpfs: measures hotdesk, not
        // the disk; on this project's VM creating 15,000 folders on ext4 alone takes
        // seconds and varies run to run).
        let output = std::env::var_os("HOTDESK_BENCH_OUTPUT").map_or_else(
            || site.join("public"),
            |d| PathBuf::from(d).join(n.to_string()),
        );
        let mut builds = Vec::new();
        let mut peak = 0;
        for _ in 0..runs {
            let _ = std::fs::remove_dir_all(&output);
            let (t, hwm) = run(
                &bin,
                &[
                    "build",
                    "--root",
                    s(&site),
                    "--output",
                    s(&output),
                    "--now",
                    NOW,
                ],
            );
            builds.push(t);
            peak = peak.max(hwm);
        }
        let mut checks = Vec::new();
        for _ in 0..runs {
            checks.push(run(&bin, &["check", "--root", s(&site), "--now", NOW]).0);
        }
        let (bytes, files) = dir_size(&output);
        let (index, _) = dir_size(&output.join("search"));
        let _ = writeln!(
            out,
            "| {n} | {:.2} s | {} MB | {:.2} s | {} MB | {files} | {} KB |",
            median(&mut builds).as_secs_f64(),
            peak / 1024,
            median(&mut checks).as_secs_f64(),
            bytes / 1_000_000,
            index / 1000,
        );
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs the binary; returns wall time and peak resident memory in KB.
fn run(bin: &Path, args: &[&str]) -> (Duration, u64) {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("hotdesk runs");
    let status_path = format!("/proc/{}/status", child.id());
    let mut hwm = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                hwm = hwm.max(kb);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            // A failed run is not a fast run: stop rather than report its time.
            assert!(status.success(), "hotdesk {args:?} failed: {status}");
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (start.elapsed(), hwm)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn dir_size(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            files += 1;
        }
    }
    (bytes, files)
}
