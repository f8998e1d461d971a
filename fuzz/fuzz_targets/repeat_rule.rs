#![no_main]
//! `cargo +nightly fuzz run repeat_rule`: see `hotdesk::fuzzing::run` and docs/fuzzing.md.

use std::sync::LazyLock;

use hotdesk::fuzzing::{Scratch, run};
use libfuzzer_sys::fuzz_target;

static SCRATCH: LazyLock<Scratch> =
    LazyLock::new(|| Scratch::new().expect("a scratch site for the fuzz target"));

fuzz_target!(|data: &[u8]| run("repeat_rule", &SCRATCH, data));
