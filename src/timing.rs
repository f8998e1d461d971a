//! Phase timings for profiling builds: set `HOTDESK_TIMINGS=1` and every phase prints
//! its wall time to stderr when it ends. Off by default, and never part of any output.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("HOTDESK_TIMINGS").is_some_and(|v| v != "0"))
}

/// Prints `name` and the time since creation when dropped (if timings are on).
pub(crate) struct Phase {
    name: &'static str,
    start: Option<Instant>,
}

/// Starts timing the phase `name`.
pub(crate) fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: enabled().then(Instant::now),
    }
}

impl Drop for Phase {
    // The one place the library prints: asked for with HOTDESK_TIMINGS, for profiling.
    #[allow(clippy::print_stderr)]
    fn drop(&mut self) {
        if let Some(start) = self.start {
            eprintln!(
                "timing: {:<24} {:>8.1} ms",
                self.name,
                start.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}
