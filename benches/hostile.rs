//! `cargo bench --bench hostile`: what the worst hostile content costs `hotdesk check`.
//!
//! Each case is `tests/fixtures/site-minimal` with one hostile file laid over it (a
//! mebibyte of `[`, a Markdown table that amplifies, an alias bomb, a 50 MB file). The
//! release binary checks it under GNU time; the table gives wall time and peak memory,
//! and the run fails when a case is not refused or passes its bound. Bounds are checked
//! here, in a benchmark, never in a timed test: seconds move with the machine, so they
//! are generous (ten times what this 2-core machine takes) and catch only a return of
//! the quadratic or unbounded behaviour issue #19 removed.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Wall seconds and peak resident megabytes no case may pass.
const MAX_SECONDS: f64 = 5.0;
const MAX_MB: f64 = 400.0;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("fixture entry");
        let dest = to.join(entry.path().strip_prefix(from).expect("under the fixture"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("fixture folder");
        } else {
            fs::copy(entry.path(), &dest).expect("fixture file");
        }
    }
}

/// (name, file to write, its text, the diagnostic code that refuses it).
fn cases() -> Vec<(&'static str, &'static str, String, &'static str)> {
    let mut table = "|a".repeat(100) + "|\n" + &"|-".repeat(100) + "|\n";
    table.push_str(&"|x\n".repeat(300_000));
    let mut bomb = String::from(
        "---\nname: x\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("---\n");
    vec![
        (
            "a mebibyte of [",
            "content/spaces/deep.md",
            format!(
                "---\nname: x\ncapacity: {}\n---\n",
                "[".repeat(1024 * 1024 - 40)
            ),
            "yaml-too-deep",
        ),
        (
            "a 0.9 MB table that amplifies",
            "content/pages/table.md",
            format!("---\ntitle: Table\n---\n{table}"),
            "body-too-costly",
        ),
        (
            "an alias bomb",
            "content/spaces/bomb.md",
            bomb,
            "yaml-anchor",
        ),
        (
            "a 50 MB file",
            "content/spaces/huge.md",
            format!("---\nname: x\n---\n{}", "word ".repeat(10 * 1024 * 1024)),
            "file-too-large",
        ),
    ]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_hotdesk");
    let time = Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "GNU time (/usr/bin/time, Debian package `time`) measures peak memory: install it"
    );
    let mut failed = Vec::new();
    let mut stdout = std::io::stdout();
    let _ = writeln!(
        stdout,
        "{:<32} {:>8} {:>9}  refused by",
        "case", "seconds", "peak MB"
    );
    for (name, file, text, code) in cases() {
        let site = tempfile::tempdir().expect("a temp folder");
        copy_dir(&root.join("tests/fixtures/site-minimal"), site.path());
        fs::write(site.path().join(file), text).expect("the hostile file");
        let out = Command::new(time)
            .args(["-f", "%e %M"])
            .arg(bin)
            .args(["check", "--format", "json", "--now", "2026-11-25", "--root"])
            .arg(site.path())
            .output()
            .expect("run hotdesk check");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or_default();
        let mut nums = last
            .split_whitespace()
            .map(|x| x.parse::<f64>().unwrap_or(f64::NAN));
        let (secs, mb) = (
            nums.next().unwrap_or(f64::NAN),
            nums.next().unwrap_or(f64::NAN) / 1024.0,
        );
        let refused = String::from_utf8_lossy(&out.stdout).contains(&format!("\"{code}\""));
        let _ = writeln!(
            stdout,
            "{name:<32} {secs:>8.2} {mb:>9.1}  {}",
            if refused { code } else { "NOT REFUSED" }
        );
        if !refused || out.status.code() != Some(1) {
            failed.push(format!(
                "{name}: not refused with `{code}` (exit {:?})",
                out.status.code()
            ));
        }
        if !(secs <= MAX_SECONDS && mb <= MAX_MB) {
            failed.push(format!(
                "{name}: {secs:.2} s, {mb:.1} MB (bounds {MAX_SECONDS} s, {MAX_MB} MB)"
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "hostile content past its bounds:\n  {}",
        failed.join("\n  ")
    );
}
