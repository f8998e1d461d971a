//! Issue 19, item 6: builds into one output folder exclude each other through a lock file
//! beside it, and a lock left by a killed build blocks nobody.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The file a build leaves in its output to say the folder is its own (see `write.rs`).
const MARKER: &str = ".hotdesk-output";

use crate::support::*;

/// `hotdesk build` of the example fixture into `out`, started and not waited for.
fn spawn_build(out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hotdesk"))
        .args(["build", "--now", "2026-11-25T12:00:00Z", "--root"])
        .arg(example())
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child` at most `limit`; kills it and fails the test past that.
fn finish(mut child: Child, limit: Duration) -> (bool, String) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.success(), err);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the build did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The names of everything beside the output that a build made.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".hotdesk-tmp-") || n.contains(".hotdesk-old-"))
        .collect();
    names.sort();
    names
}

#[test]
fn concurrent_builds_into_one_output_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    let (ok, err) = finish(spawn_build(&reference), Duration::from_secs(120));
    assert!(ok, "{err}");
    let out = dir.path().join("public");
    for round in 0..3 {
        let builds: Vec<Child> = (0..4).map(|_| spawn_build(&out)).collect();
        for b in builds {
            let (ok, err) = finish(b, Duration::from_secs(120));
            assert!(ok, "round {round}: a concurrent build failed:\n{err}");
        }
        assert!(out.join(MARKER).exists(), "round {round}: no marker");
        assert_eq!(tree(&out), tree(&reference), "round {round}");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }
}

#[test]
fn a_lock_left_by_a_killed_build_blocks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut child = spawn_build(&out);
    // Kill it once it holds the lock: its staging folder exists only then.
    let staging = dir
        .path()
        .join(format!("public.hotdesk-tmp-{}", child.id()));
    let start = Instant::now();
    while !staging.exists() && child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(60), "no staging");
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (ok, err) = finish(spawn_build(&out), Duration::from_secs(120));
    assert!(ok, "{err}");
    assert!(out.join(MARKER).exists());
    assert!(!err.contains("waiting"), "{err}");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_second_build_says_it_waits_then_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    // This test plays the first build: it holds the lock.
    let lock = fs::File::create(dir.path().join("public.hotdesk-lock")).unwrap();
    fs4::FileExt::lock(&lock).unwrap();
    let mut child = spawn_build(&out);
    let mut stderr = child.stderr.take().unwrap();
    let mut said = Vec::new();
    let mut byte = [0u8; 1];
    while !said.ends_with(b"\n") && stderr.read(&mut byte).unwrap() == 1 {
        said.push(byte[0]);
    }
    let said = String::from_utf8(said).unwrap();
    assert!(
        said.starts_with("waiting: another build is writing into"),
        "{said}"
    );
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    assert!(!out.exists(), "it wrote before the lock was free");
    drop(lock);
    child.stderr = Some(stderr);
    let (ok, err) = finish(child, Duration::from_secs(120));
    assert!(ok, "{err}");
    assert!(out.join(MARKER).exists());
}
