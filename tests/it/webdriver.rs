//! A real browser for tests and benchmarks: a tiny static file server on 127.0.0.1,
//! chromedriver on a free port, and a headless Chromium session driven over WebDriver.
//!
//! Uses Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`). When they are missing, [`tools`] fails under `CI=true` and
//! otherwise warns loudly on stderr and returns `None`, so the caller skips.
//! Also compiled into `benches/search.rs` (through `#[path]`).

#![allow(dead_code)]

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Chromium flags for a quiet, isolated headless run.
pub(crate) const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
];

/// Paths of chromedriver and Chromium, or `None` (after a loud warning) when they are
/// missing outside CI. Panics with a clear message when they are missing and `CI=true`.
pub(crate) fn tools(what: &str) -> Option<(PathBuf, PathBuf)> {
    let driver = PathBuf::from(CHROMEDRIVER);
    let browser = PathBuf::from(CHROMIUM);
    if driver.is_file() && browser.is_file() {
        return Some((driver, browser));
    }
    let missing = [&driver, &browser]
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" and ");
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{missing} not found, but CI=true: {what} must run in CI. Install them with \
         `apt-get install -y chromium chromium-driver` (.ci/run does)."
    );
    let _ = writeln!(
        std::io::stderr(),
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         !! WARNING: {missing} not found: SKIPPING {what}.\n\
         !! Install them: apt-get install -y chromium chromium-driver\n\
         !! With CI=true this is a failure.\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
    );
    None
}

/// Serves the files under a folder on 127.0.0.1 until dropped.
pub(crate) struct StaticServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    pub(crate) fn start(root: &Path) -> Self {
        Self::start_under(root, "/")
    }

    /// Serves `root` at `mount` (`/directory/`), as GitHub Pages serves a project site:
    /// paths outside the mount are 404.
    pub(crate) fn start_under(root: &Path, mount: &str) -> Self {
        let mount = mount.to_owned();
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                let Ok(Some(req)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let path = req.url().split(['?', '#']).next().unwrap_or("/").to_owned();
                let inside = path.strip_prefix(mount.trim_end_matches('/'));
                let inside = inside.filter(|p| p.is_empty() || p.starts_with('/'));
                let response = match inside.and_then(|p| resolve(&root, p)) {
                    Some(file) => {
                        let bytes = std::fs::read(&file).unwrap_or_default();
                        let ct = content_type(&file);
                        tiny_http::Response::from_data(bytes).with_header(
                            tiny_http::Header::from_bytes("Content-Type", ct).expect("header"),
                        )
                    }
                    None => {
                        tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404)
                    }
                };
                let _ = req.respond(response);
            }
        });
        StaticServer {
            port,
            stop,
            thread: Some(thread),
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let mut p = root.to_path_buf();
    for seg in url_path.split('/').filter(|s| !s.is_empty()) {
        if seg == ".." || seg == "." || seg.contains('\\') || seg.contains('%') {
            return None;
        }
        p.push(seg);
    }
    if p.is_dir() {
        p.push("index.html");
    }
    p.is_file().then_some(p)
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

/// chromedriver on a free port of 127.0.0.1; killed when dropped.
pub(crate) struct Driver {
    child: Child,
    pub port: u16,
    browser: PathBuf,
    profiles: Vec<tempfile::TempDir>,
}

impl Driver {
    pub(crate) fn start(driver: &Path, browser: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            port,
            browser: browser.to_path_buf(),
            profiles: Vec::new(),
        }
    }

    /// A new browser session with a fresh profile; JavaScript on or off.
    pub(crate) async fn session(&mut self, javascript: bool) -> Client {
        let profile = tempfile::tempdir().expect("profile folder");
        let mut args: Vec<String> = FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        self.profiles.push(profile);
        let mut options = json!({ "binary": self.browser, "args": args });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `script` (a function body returning a value) until it returns something truthy,
/// for at most `secs` seconds; returns that value.
pub(crate) async fn wait_for(client: &Client, script: &str, secs: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let v = client.execute(script, vec![]).await.expect("script runs");
        let truthy = match &v {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        };
        if truthy {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {script}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
