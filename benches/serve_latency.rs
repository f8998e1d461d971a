//! Save → reload-signal latency of `hotdesk serve`.
//!
//! Starts the preview server in-process on a temp copy of a site, then, N times: parks a
//! live-reload long-poll (as an open browser tab does), appends a line to one space's
//! file, and measures the time until the long-poll answers with a new generation. That
//! is what a developer waits for between saving and the page reloading: the watcher's
//! event, the debounce quiet time, the full rebuild and the answer.
//!
//! ```text
//! cargo bench --bench serve_latency                              # the example content/
//! HOTDESK_BENCH_SPACES=1000 cargo bench --bench serve_latency    # + 1,000 generated spaces
//! HOTDESK_BENCH_SITE=/path/to/site cargo bench --bench serve_latency
//! HOTDESK_BENCH_RUNS=50 ...                                      # samples (default 20)
//! ```
//!
//! `HOTDESK_BENCH_SITE` names a site root (holding `content/`); it is copied, never
//! edited. `HOTDESK_BENCH_SPACES=N` adds N spaces, cloned from the example spaces under
//! new slugs, to the copy.

// A benchmark's output is its report.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hotdesk::build::Options;
use hotdesk::serve::{Event, ServeConfig, Server};

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful here.
    let runs: usize = env_num("HOTDESK_BENCH_RUNS").unwrap_or(20);
    let extra_spaces = env_num("HOTDESK_BENCH_SPACES").unwrap_or(0);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (source, label) = match std::env::var_os("HOTDESK_BENCH_SITE") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            let label = dir.display().to_string();
            (dir, label)
        }
        None => (manifest.clone(), "example content/".to_string()),
    };

    let tmp = tempfile::tempdir().expect("a temp folder");
    let root = tmp.path().join("site");
    copy_dir(&source.join("content"), &root.join("content"));
    if source.join("themes").is_dir() {
        copy_dir(&source.join("themes"), &root.join("themes"));
    }
    if extra_spaces > 0 {
        generate_spaces(&root.join("content/spaces"), extra_spaces);
    }
    let label = if extra_spaces > 0 {
        format!("{label} + {extra_spaces} generated spaces")
    } else {
        label
    };
    let spaces = count_md(&root.join("content/spaces"));
    let target = first_space(&root.join("content/spaces"));

    let renders: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let sink = Arc::clone(&renders);
    let mut config = ServeConfig::new(
        Options::new(&root, "2026-11-25T12:00:00Z".parse().expect("a time")),
        "127.0.0.1:0".parse().expect("an address"),
    );
    config.on_event = Some(Arc::new(move |e| match e {
        Event::Built { elapsed, .. } => sink.lock().expect("lock").push(elapsed),
        Event::Failed { diagnostics, .. } => panic!("the site does not build:\n{diagnostics}"),
        Event::WatchError(msg) => eprintln!("watch: {msg}"),
    }));
    let started = Instant::now();
    let server = Server::start(config).expect("the server starts");
    let first_build = started.elapsed();
    let pages = server.status().pages;
    let addr = server.addr();

    let mut latencies = Vec::with_capacity(runs);
    for i in 0..runs {
        let generation = server.generation();
        let mut poll = LongPoll::park(addr, generation);
        let t0 = Instant::now();
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(&target)
            .expect("the space file");
        writeln!(f, "\nEdit number {i} for the latency benchmark.").expect("writing");
        drop(f);
        let answered = poll.answer();
        let latency = t0.elapsed();
        assert!(
            answered > generation,
            "the long-poll answered generation {answered}, not a newer one"
        );
        latencies.push(latency);
        // Let the next sample start from a settled server: no rebuild in flight.
        server.wait_for_generation(answered - 1, Duration::from_secs(1));
    }
    server.shutdown();

    let mut renders = renders.lock().expect("lock").clone();
    renders.remove(0); // the initial build
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    println!();
    println!("save → reload signal, {label}");
    println!(
        "{spaces} spaces, {pages} pages; first build {} ms; {runs} saves",
        ms(first_build)
    );
    println!();
    println!("| measure                     | median ms | p90 ms | max ms |");
    println!("|-----------------------------|----------:|-------:|-------:|");
    for (name, mut xs) in [
        ("save → long-poll answered", latencies),
        ("rebuild (render) alone", renders),
    ] {
        xs.sort();
        println!(
            "| {name:<27} | {:>9} | {:>6} | {:>6} |",
            ms(percentile(&xs, 0.5)),
            ms(percentile(&xs, 0.9)),
            ms(*xs.last().unwrap_or(&Duration::ZERO))
        );
    }
    println!();
}

fn env_num(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// A live-reload long-poll, sent and known to be parked (waiting) on the server.
struct LongPoll {
    reader: BufReader<TcpStream>,
}

impl LongPoll {
    fn park(addr: SocketAddr, since: u64) -> LongPoll {
        let mut stream = TcpStream::connect(addr).expect("connecting");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("a timeout");
        write!(
            stream,
            "GET /__hotdesk/livereload?since={since} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            addr.port()
        )
        .expect("sending");
        // Wait until the server holds it, so the measurement starts with a tab waiting.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !status(addr).contains("\"long_polls\":1") {
            assert!(Instant::now() < deadline, "the long-poll was never parked");
            std::thread::sleep(Duration::from_millis(1));
        }
        LongPoll {
            reader: BufReader::new(stream),
        }
    }

    /// Blocks until the answer; returns its generation.
    fn answer(&mut self) -> u64 {
        let mut text = String::new();
        self.reader.read_to_string(&mut text).expect("the answer");
        let body = text.split("\r\n\r\n").nth(1).expect("a body");
        let v: serde_json::Value = serde_json::from_str(body).expect("JSON");
        v["generation"].as_u64().expect("a generation")
    }
}

fn status(addr: SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).expect("connecting");
    write!(
        s,
        "GET /__hotdesk/status HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        addr.port()
    )
    .expect("sending");
    let mut r = BufReader::new(s);
    let mut text = String::new();
    while r.read_line(&mut text).map(|n| n > 0).unwrap_or(false) {}
    text
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("a readable folder") {
        let entry = entry.expect("an entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).expect("copying");
        }
    }
}

fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("a spaces folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn count_md(dir: &Path) -> usize {
    md_files(dir).len()
}

fn first_space(dir: &Path) -> PathBuf {
    md_files(dir)
        .into_iter()
        .next()
        .expect("at least one space")
}

/// Adds `n` spaces cloned from the existing ones, each with its own slug and name.
fn generate_spaces(dir: &Path, n: usize) {
    let templates: Vec<String> = md_files(dir)
        .iter()
        .map(|p| fs::read_to_string(p).expect("a space file"))
        .collect();
    for i in 0..n {
        let text = &templates[i % templates.len()];
        let text = text.replacen("\nname: ", &format!("\nname: Generated {i:05} "), 1);
        fs::write(dir.join(format!("generated-{i:05}.md")), text).expect("writing a space");
    }
}
