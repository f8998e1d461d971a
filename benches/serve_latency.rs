//! Save → reloaded-page latency of `hotdesk serve`.
//!
//! Starts the preview server in-process on a temp copy of a site, then, N times: parks a
//! live-reload long-poll for the edited space's page (as an open browser tab showing it
//! does), appends a line to that space's file, waits for the long-poll's answer, and
//! asks for the page, as the reloading tab does, checking that it shows the new line.
//! That is what a developer waits for between saving and seeing the edit: the watcher's
//! event, the debounce quiet time, the rebuild of the open page and the answers. The
//! rest of the site is rendered after it; its time is reported as "whole rebuild".
//! `HOTDESK_BENCH_PAGE=/` has the tab show another page (here: the home page).
//!
//! ```text
//! cargo bench --bench serve_latency                              # the example content/
//! HOTDESK_BENCH_SPACES=1000 cargo bench --bench serve_latency    # + 1,000 generated spaces
//! HOTDESK_BENCH_SITE=/path/to/site cargo bench --bench serve_latency
//! HOTDESK_BENCH_RUNS=50 ...                                      # samples (default 20)
//! HOTDESK_BENCH_PAGE=/ ...                                       # the tab shows the home page
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

    let renders: Builds = Arc::default();
    let sink = Arc::clone(&renders);
    let mut config = ServeConfig::new(
        Options::new(&root, "2026-11-25T12:00:00Z".parse().expect("a time")),
        "127.0.0.1:0".parse().expect("an address"),
    );
    config.on_event = Some(Arc::new(move |e| match e {
        Event::Built { elapsed, first, .. } => sink
            .lock()
            .expect("lock")
            .push((elapsed, first.map(|f| f.1))),
        Event::Failed { diagnostics, .. } => panic!("the site does not build:\n{diagnostics}"),
        Event::WatchError(msg) => eprintln!("watch: {msg}"),
    }));
    let started = Instant::now();
    let server = Server::start(config).expect("the server starts");
    let first_build = started.elapsed();
    let pages = server.status().pages;
    let addr = server.addr();

    // The tab the developer looks at: the edited space's page (the server renders the
    // pages open in a browser first), or another page with HOTDESK_BENCH_PAGE=/….
    let slug = target
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a slug")
        .to_owned();
    let open_page = std::env::var("HOTDESK_BENCH_PAGE").unwrap_or(format!("/spaces/{slug}/"));
    let shows_edit = open_page == format!("/spaces/{slug}/");

    let builds = |renders: &Builds| renders.lock().expect("lock").len();
    let mut signals = Vec::with_capacity(runs);
    let mut pages_in = Vec::with_capacity(runs);
    for i in 0..runs {
        let before = builds(&renders);
        let generation = server.generation();
        let mut poll = LongPoll::park(addr, generation, &open_page);
        let t0 = Instant::now();
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(&target)
            .expect("the space file");
        let marker = format!("Edit number {i} for the latency benchmark.");
        writeln!(f, "\n{marker}").expect("writing");
        drop(f);
        let answered = poll.answer();
        signals.push(t0.elapsed());
        assert!(
            answered > generation,
            "the long-poll answered generation {answered}, not a newer one"
        );
        // What the reloading tab does next: ask for its page.
        let page = get(addr, &open_page);
        pages_in.push(t0.elapsed());
        assert!(
            page.starts_with("HTTP/1.1 200"),
            "{open_page}: {}",
            &page[..page.len().min(200)]
        );
        if shows_edit {
            assert!(
                page.contains(&marker),
                "the reloaded page does not show the edit"
            );
        }
        // Let the next sample start from a settled server: the whole build published.
        let deadline = Instant::now() + Duration::from_secs(60);
        while builds(&renders) <= before {
            assert!(Instant::now() < deadline, "the whole build never finished");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    server.shutdown();

    let mut renders = renders.lock().expect("lock").clone();
    renders.remove(0); // the initial build
    let whole: Vec<Duration> = renders.iter().map(|r| r.0).collect();
    let first: Vec<Duration> = renders.iter().filter_map(|r| r.1).collect();
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    println!();
    println!("save → reloaded page, {label}; the tab shows {open_page}");
    println!(
        "{spaces} spaces, {pages} pages; first build {} ms; {runs} saves",
        ms(first_build)
    );
    println!();
    println!("| measure                          | median ms | p90 ms | max ms |");
    println!("|----------------------------------|----------:|-------:|-------:|");
    for (name, mut xs) in [
        ("save → reload signal", signals),
        ("save → reloaded page received", pages_in),
        ("open page rendered (in rebuild)", first),
        ("whole rebuild", whole),
    ] {
        xs.sort();
        println!(
            "| {name:<32} | {:>9} | {:>6} | {:>6} |",
            ms(percentile(&xs, 0.5)),
            ms(percentile(&xs, 0.9)),
            ms(*xs.last().unwrap_or(&Duration::ZERO))
        );
    }
    println!();
}

/// Per whole build: its time, and when the open page was published before it.
type Builds = Arc<Mutex<Vec<(Duration, Option<Duration>)>>>;

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
    fn park(addr: SocketAddr, since: u64, page: &str) -> LongPoll {
        let mut stream = TcpStream::connect(addr).expect("connecting");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("a timeout");
        write!(
            stream,
            "GET /__hotdesk/livereload?since={since}&page={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            page.replace('/', "%2F"),
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
    get(addr, "/__hotdesk/status")
}

/// The whole answer (status line, headers, body) to `GET path`.
fn get(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connecting");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
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
