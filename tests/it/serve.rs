//! The preview server end to end: each test copies `tests/fixtures/site-minimal/` into a
//! temp folder, starts `hotdesk::serve::Server` in-process on `127.0.0.1:0` and talks
//! to it with the small HTTP/1.1 client below. Waits are bounded by a deadline (the
//! long-poll itself, or [`eventually`]); nothing sleeps and hopes, nothing asserts on
//! timing.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use hotdesk::serve::{ServeConfig, Server};
use serde_json::Value;

use crate::support::{copy_dir, fixtures, options};

/// Long enough for any rebuild on a loaded CI machine; tests only wait this long when
/// something is broken.
const DEADLINE: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------
// Set-up

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    server: Server,
}

impl Site {
    fn start() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixtures().join("site-minimal"), &root);
        Site::start_at(dir, root)
    }

    fn start_at(dir: tempfile::TempDir, root: PathBuf) -> Site {
        let config = ServeConfig::new(options(&root), "127.0.0.1:0".parse().unwrap());
        let server = Server::start(config).expect("the server starts");
        Site {
            _dir: dir,
            root,
            server,
        }
    }

    fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    fn get(&self, path: &str) -> Resp {
        request(self.addr(), "GET", path, &host(self.addr()))
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let p = self.path(rel);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(&p, f(text)).unwrap();
    }

    /// Sends a live-reload long-poll with `query` and waits until the server holds it
    /// (the only one), as an open tab does; read its answer from the returned connection.
    fn parked_long_poll(&self, query: &str) -> Conn {
        let mut c = Conn::open(self.addr()).unwrap();
        write!(
            c.writer,
            "GET /__hotdesk/livereload?{query} HTTP/1.1\r\nHost: {}\r\n\r\n",
            host(self.addr())
        )
        .unwrap();
        eventually("the long-poll to be parked", || {
            let v: Value = serde_json::from_slice(&self.get("/__hotdesk/status").body).unwrap();
            (v["long_polls"] == 1).then_some(())
        });
        c
    }

    fn generation(&self) -> u64 {
        let status: Value = serde_json::from_slice(&self.get("/__hotdesk/status").body).unwrap();
        status["generation"].as_u64().unwrap()
    }

    /// Long-polls until the generation moves on from `since`; returns the answer.
    fn next_build(&self, since: u64) -> Value {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let r = request(
                self.addr(),
                "GET",
                &format!("/__hotdesk/livereload?since={since}"),
                &host(self.addr()),
            );
            assert_eq!(r.status, 200, "{}", r.text());
            assert_eq!(r.header("content-type"), Some("application/json"));
            let v: Value = serde_json::from_slice(&r.body).unwrap();
            if v["generation"].as_u64() != Some(since) {
                return v;
            }
            assert!(Instant::now() < deadline, "no rebuild after {DEADLINE:?}");
        }
    }

    /// Long-polls from `since`, build after build, until `done` holds for an answer;
    /// returns that answer. (A save can be seen half-written and make a build of its
    /// own, so tests wait for the build they expect rather than for the next one.)
    fn until(&self, mut since: u64, mut done: impl FnMut(&Value) -> bool) -> Value {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let answer = self.next_build(since);
            if done(&answer) {
                return answer;
            }
            assert!(
                Instant::now() < deadline,
                "timed out; last answer: {answer}"
            );
            since = answer["generation"].as_u64().unwrap();
        }
    }
}

/// Polls `f` until it returns `Some`, at most [`DEADLINE`].
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(t) = f() {
            return t;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(10));
    }
}

// ---------------------------------------------------------------------------------------
// A small HTTP/1.1 client

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn host(addr: SocketAddr) -> String {
    format!("127.0.0.1:{}", addr.port())
}

/// One keep-alive connection.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr)?;
        // Longer than a long-poll (25 s), so a hung server fails the test instead of
        // hanging it.
        stream.set_read_timeout(Some(Duration::from_secs(40)))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        })
    }

    fn request(&mut self, method: &str, path: &str, host: &str) -> std::io::Result<Resp> {
        write!(
            self.writer,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: hotdesk-test\r\n\r\n"
        )?;
        self.writer.flush()?;
        self.read_response(method == "HEAD")
    }

    fn read_response(&mut self, head: bool) -> std::io::Result<Resp> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(bad("connection closed before the status line"));
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(&format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').ok_or_else(|| bad("bad header"))?;
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let mut resp = Resp {
            status,
            headers,
            body: Vec::new(),
        };
        if !head {
            if let Some(len) = resp.header("content-length") {
                let len: usize = len.parse().map_err(|_| bad("bad length"))?;
                resp.body = vec![0; len];
                self.reader.read_exact(&mut resp.body)?;
            } else if resp.header("transfer-encoding").is_some() {
                return Err(bad("chunked responses are not expected"));
            } else {
                self.reader.read_to_end(&mut resp.body)?;
            }
        }
        Ok(resp)
    }
}

fn request(addr: SocketAddr, method: &str, path: &str, host: &str) -> Resp {
    let mut c = Conn::open(addr).unwrap();
    c.request(method, path, host).unwrap()
}

/// Sends bytes as they are (for request lines a normal client would not send).
fn raw(addr: SocketAddr, request: &str) -> Resp {
    let mut c = Conn::open(addr).unwrap();
    c.writer.write_all(request.as_bytes()).unwrap();
    c.read_response(false).unwrap()
}

// ---------------------------------------------------------------------------------------
// Serving

#[test]
fn serves_pages_and_assets_from_memory() {
    let site = Site::start();
    let home = site.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert_eq!(home.header("access-control-allow-origin"), None);
    let text = home.text();
    assert!(
        text.contains("/__hotdesk/livereload"),
        "the reload script is injected"
    );
    let script = text.find("/__hotdesk/livereload").unwrap();
    assert!(script < text.rfind("</body>").unwrap(), "before </body>");
    assert!(
        !text.contains("role=\"alert\""),
        "no overlay while the build is good"
    );

    let css = site.get("/assets/css/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.header("cache-control"), Some("no-store"));
    assert!(
        !css.text().contains("__hotdesk"),
        "nothing is injected into CSS"
    );

    for (path, ty) in [
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/assets/js/neutral.js", "text/javascript; charset=utf-8"),
    ] {
        let r = site.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
        assert!(!r.text().contains("__hotdesk"), "{path}");
    }

    let space = site.get("/spaces/harbour-hub/");
    assert_eq!(space.status, 200);
    assert!(space.text().contains("Harbour Hub"));
    // The same page with a query string.
    assert_eq!(site.get("/spaces/harbour-hub/?utm=x").status, 200);
    assert_eq!(site.get("/spaces/harbour-hub/index.html").status, 200);
}

#[test]
fn the_build_output_never_contains_the_reload_script() {
    let site = Site::start();
    let out = site.root.join("public");
    hotdesk::build::build(&options(&site.root), &out).unwrap();
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("__hotdesk"));
    // And the served page is the built page plus the injection, nothing else changed.
    let served = site.get("/").text();
    let at = home.rfind("</body>").unwrap();
    assert!(served.starts_with(&home[..at]));
    assert!(served.ends_with(&home[at..]));
}

#[test]
fn directory_urls_redirect_to_their_slash() {
    let site = Site::start();
    let r = site.get("/spaces/harbour-hub");
    assert!(matches!(r.status, 301 | 308), "{r:?}");
    assert_eq!(r.header("location"), Some("/spaces/harbour-hub/"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let q = site.get("/spaces/harbour-hub?ref=a&b=c");
    assert_eq!(q.header("location"), Some("/spaces/harbour-hub/?ref=a&b=c"));
    assert_eq!(site.get("/spaces").header("location"), Some("/spaces/"));
}

/// A GitHub Pages project site (`base_url` with a path, here from `--base-url`) is
/// previewed under that path, as it will be published; its live reload works there.
#[test]
fn a_site_with_a_base_path_is_served_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixtures().join("site-minimal"), &root);
    let mut opts = options(&root);
    opts.base_url = Some("https://org.github.io/directory/".parse().unwrap());
    let server = Server::start(ServeConfig::new(opts, "127.0.0.1:0".parse().unwrap())).unwrap();
    let site = Site {
        _dir: dir,
        root,
        server,
    };
    assert!(
        site.server.url().ends_with("/directory/"),
        "{}",
        site.server.url()
    );

    let home = site.get("/directory/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let text = home.text();
    assert!(text.contains("</html>"), "{text}");
    assert!(
        text.contains("fetch(\"/directory/__hotdesk/livereload?since="),
        "the script polls under the path"
    );
    let space = site.get("/directory/spaces/harbour-hub/");
    assert_eq!(space.status, 200);
    assert!(space.text().contains("Harbour Hub"));

    let root_redirect = site.get("/");
    assert_eq!(root_redirect.status, 307);
    assert_eq!(root_redirect.header("location"), Some("/directory/"));
    assert_eq!(
        site.get("/directory").header("location"),
        Some("/directory/")
    );
    assert_eq!(
        site.get("/directory/spaces/harbour-hub").header("location"),
        Some("/directory/spaces/harbour-hub/")
    );
    // Outside the path nothing of the site is served.
    assert_eq!(site.get("/spaces/harbour-hub/").status, 404);

    // The long-poll, under the path, is held and answered by the next build.
    let g0 = site.generation();
    let mut c = Conn::open(site.addr()).unwrap();
    write!(
        c.writer,
        "GET /directory/__hotdesk/livereload?since={g0}&page=%2Fdirectory%2Fspaces%2Fhill-house%2F HTTP/1.1\r\nHost: {}\r\n\r\n",
        host(site.addr())
    )
    .unwrap();
    eventually("the long-poll to be parked", || {
        let r = site.get("/directory/__hotdesk/status");
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        (v["long_polls"] == 1).then_some(())
    });
    site.edit("content/spaces/hill-house.md", |t| {
        t + "\nFreshly painted walls since this morning.\n"
    });
    let answer = c.read_response(false).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    let v: Value = serde_json::from_slice(&answer.body).unwrap();
    assert!(v["generation"].as_u64().unwrap() > g0, "{v}");
    let answer = site.until(g0, |v| {
        v["error"].is_null()
            && site
                .get("/directory/spaces/hill-house/")
                .text()
                .contains("Freshly painted")
    });
    assert!(answer["generation"].as_u64().unwrap() > g0);
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let site = Site::start();
    let r = site.get("/spaces/nowhere/");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let page = site.server.status();
    assert!(page.has_site);
    let built_404 = {
        let (out, _) = hotdesk::build::render(&options(&site.root)).unwrap();
        String::from_utf8(out.get("404.html").unwrap().to_vec()).unwrap()
    };
    let at = built_404.rfind("</body>").unwrap();
    assert!(
        r.text().starts_with(&built_404[..at]),
        "the site's own 404 page"
    );
    assert!(r.text().contains("/__hotdesk/livereload"));
    assert_eq!(site.get("/nope.css").status, 404);
    assert_eq!(site.get("/__hotdesk/nope").status, 404);
}

#[test]
fn head_has_the_headers_and_no_body() {
    let site = Site::start();
    let get = site.get("/spaces/harbour-hub/");
    // Every answer closes its connection (the preview serves one request per
    // connection): after the HEAD's headers, not one byte of body may come.
    let mut c = Conn::open(site.addr()).unwrap();
    let h = host(site.addr());
    write!(
        c.writer,
        "HEAD /spaces/harbour-hub/ HTTP/1.1\r\nHost: {h}\r\n\r\n"
    )
    .unwrap();
    let head = c.read_response(true).unwrap();
    assert_eq!(head.status, 200);
    assert_eq!(head.header("connection"), Some("close"));
    for name in ["content-type", "cache-control", "content-length"] {
        assert_eq!(head.header(name), get.header(name), "{name}");
    }
    let mut rest = Vec::new();
    c.reader.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    let missing = request(site.addr(), "HEAD", "/missing/", &h);
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
}

#[test]
fn other_methods_get_405() {
    let site = Site::start();
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = raw(
            site.addr(),
            &format!(
                "{method} / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                host(site.addr())
            ),
        );
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"), "{method}");
        assert_eq!(r.header("access-control-allow-origin"), None);
    }
}

#[test]
fn foreign_host_names_get_421() {
    let site = Site::start();
    let port = site.addr().port();
    for h in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        let r = request(site.addr(), "GET", "/", &h);
        assert_eq!(r.status, 421, "{h}");
        assert!(!r.text().contains("Harbour Hub"), "{h}");
        let lp = request(site.addr(), "GET", "/__hotdesk/livereload?since=0", &h);
        assert_eq!(lp.status, 421, "{h}");
    }
    for h in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(request(site.addr(), "GET", "/", &h).status, 200, "{h}");
    }
    let no_host = raw(site.addr(), "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(no_host.status, 400);
}

#[test]
fn traversal_attempts_are_refused() {
    let site = Site::start();
    // Files a traversal would reach: the site's own sources and the crate's.
    fs::write(site.root.join("secret.txt"), "TOP-SECRET").unwrap();
    let attempts = [
        "/../Cargo.toml",
        "/../../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/secret.txt",
        "/spaces/..%2f..%2fCargo.toml",
        "/spaces/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..\\..\\x",
        "/spaces\\..\\..\\secret.txt",
        "//etc/passwd",
        "/%00",
        "/index.html%00.css",
        "/assets/%2e%2e/%2e%2e/x",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/./secret.txt",
        "/spaces/./../secret.txt",
        "/%252e%252e/secret.txt",
        "/..%5c..%5csecret.txt",
        "/content/spaces/harbour-hub.md",
        "/secret.txt",
        "/etc/passwd",
        "/%c0%ae%c0%ae/secret.txt",
        "http://evil.example/secret.txt",
        "/spaces/harbour-hub/../../../secret.txt",
    ];
    for path in attempts {
        let r = raw(
            site.addr(),
            &format!(
                "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                host(site.addr())
            ),
        );
        assert!(matches!(r.status, 400 | 404), "{path}: {}", r.status);
        let body = r.text();
        assert!(!body.contains("TOP-SECRET"), "{path}");
        assert!(!body.contains("[package]"), "{path}");
        assert!(!body.contains("root:"), "{path}");
    }
}

// ---------------------------------------------------------------------------------------
// Rebuilding and live reload

#[test]
fn an_edit_is_signalled_and_served() {
    let site = Site::start();
    let g0 = site.generation();
    assert_eq!(g0, 1);
    assert!(
        !site
            .get("/spaces/hill-house/")
            .text()
            .contains("Freshly painted")
    );
    site.edit("content/spaces/hill-house.md", |t| {
        t + "\nFreshly painted walls since this morning.\n"
    });
    let answer = site.until(g0, |v| {
        v["error"].is_null()
            && site
                .get("/spaces/hill-house/")
                .text()
                .contains("Freshly painted")
    });
    assert!(answer["generation"].as_u64().unwrap() > g0);
    let page = site.get("/spaces/hill-house/").text();
    assert!(
        page.contains("Freshly painted walls"),
        "the new text is served"
    );
    // The injected script carries the generation the page was served at.
    let g1 = answer["generation"].as_u64().unwrap();
    assert!(page.contains(&format!("var g={g1},")));
}

/// A tab's page is rendered before the rest of the site: its long-poll says which page
/// it shows, the rebuild serves that page first, and every other page is served only
/// from the new content (a request waits for the rest rather than get the old page).
#[test]
fn the_open_page_is_rendered_first_and_nothing_stale_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixtures().join("site-minimal"), &root);
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut config = ServeConfig::new(options(&root), "127.0.0.1:0".parse().unwrap());
    let sink = Arc::clone(&events);
    config.on_event = Some(Arc::new(move |e| sink.lock().unwrap().push(e)));
    let site = Site {
        server: Server::start(config).expect("the server starts"),
        _dir: dir,
        root,
    };
    let g0 = site.generation();
    let mut tab = site.parked_long_poll(&format!("since={g0}&page=%2Fspaces%2Fhill-house%2F"));
    // Saved as editors do, through a temp file renamed over it: one build, never a
    // half-written file.
    let file = site.path("content/spaces/hill-house.md");
    let text = fs::read_to_string(&file).unwrap();
    let temp = site.path("content/spaces/.hill-house.md.tmp");
    fs::write(
        &temp,
        text.replace("name: Hill House", "name: Hill House Annexe"),
    )
    .unwrap();
    fs::rename(&temp, &file).unwrap();
    let answer: Value = serde_json::from_slice(&tab.read_response(false).unwrap().body).unwrap();
    assert!(answer["error"].is_null(), "{answer}");
    let g1 = answer["generation"].as_u64().unwrap();
    assert!(g1 > g0);
    // The tab reloads: its page has the edit...
    assert!(
        site.get("/spaces/hill-house/")
            .text()
            .contains("Hill House Annexe")
    );
    // ...and so has every other page listing the space, at once or after the rest.
    for list in ["/", "/spaces/", "/regions/hills/"] {
        let page = site.get(list);
        assert_eq!(page.status, 200, "{list}");
        assert!(page.text().contains("Hill House Annexe"), "{list} is stale");
    }
    // The rebuild said it rendered the open page first, and the whole site then made
    // the same page, so the tab is not reloaded a second time.
    let built = eventually("the whole rebuild", || {
        events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                hotdesk::serve::Event::Built {
                    initial: false,
                    generation,
                    first,
                    ..
                } => Some((*generation, *first)),
                _ => None,
            })
            .next_back()
    });
    assert_eq!(
        built.0, g1,
        "the whole build kept the generation the tab reloaded at"
    );
    assert_eq!(built.1.map(|f| f.0), Some(1), "one page rendered first");
    assert_eq!(site.generation(), g1);
}

#[test]
fn an_error_shows_the_overlay_over_the_last_good_site_and_recovers() {
    let site = Site::start();
    let g0 = site.generation();
    site.edit("content/spaces/hill-house.md", |t| {
        t.replace("name: Hill House", "name: [Hill House")
    });
    let answer = site.until(g0, |v| v["error"].is_string());
    let g1 = answer["generation"].as_u64().unwrap();
    let error = answer["error"]
        .as_str()
        .expect("the error is in the long-poll answer");
    let at = error
        .find("content/spaces/hill-house.md:")
        .expect("the error names the file");
    let after = &error[at + "content/spaces/hill-house.md:".len()..];
    assert!(
        after.starts_with(|c: char| c.is_ascii_digit()),
        "with a line: {error}"
    );
    assert!(error.contains("error"), "{error}");

    // The last good page is still served, with the overlay over it.
    let page = site.get("/spaces/hill-house/");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("Hill House"), "the old page");
    assert!(text.contains("role=\"alert\""), "the overlay");
    assert!(
        text.contains("content/spaces/hill-house.md:"),
        "the overlay names the file"
    );
    let status = site.server.status();
    assert!(status.has_site && status.error.is_some());

    // Fixing it clears the error; the next answer says reload.
    site.edit("content/spaces/hill-house.md", |t| {
        t.replace("name: [Hill House", "name: Hill House, fixed")
    });
    site.until(g1, |v| {
        v["error"].is_null()
            && site
                .get("/spaces/hill-house/")
                .text()
                .contains("Hill House, fixed")
    });
    let text = site.get("/spaces/hill-house/").text();
    assert!(text.contains("Hill House, fixed"));
    assert!(!text.contains("role=\"alert\""));
}

#[test]
fn a_deleted_file_takes_its_page_with_it() {
    let site = Site::start();
    assert_eq!(site.get("/spaces/old-mill/").status, 200);
    let g0 = site.generation();
    fs::remove_file(site.path("content/spaces/old-mill.md")).unwrap();
    let answer = site.until(g0, |_| site.get("/spaces/old-mill/").status == 404);
    assert_eq!(answer["error"], Value::Null);
    assert_eq!(site.get("/spaces/old-mill/").status, 404);
    assert_eq!(
        site.get("/spaces/old-mill").status,
        404,
        "no redirect to a gone page"
    );
    assert!(!site.get("/spaces/").text().contains("Old Mill"));
}

#[test]
fn a_renamed_file_moves_its_page() {
    let site = Site::start();
    let g0 = site.generation();
    fs::rename(
        site.path("content/spaces/old-mill.md"),
        site.path("content/spaces/older-mill.md"),
    )
    .unwrap();
    let answer = site.until(g0, |_| site.get("/spaces/older-mill/").status == 200);
    assert_eq!(answer["error"], Value::Null);
    assert_eq!(site.get("/spaces/old-mill/").status, 404);
}

#[test]
fn a_theme_folder_created_while_serving_is_watched() {
    let site = Site::start();
    assert!(!site.path("themes").exists());
    let g0 = site.generation();
    fs::create_dir_all(site.path("themes/default/static")).unwrap();
    fs::write(
        site.path("themes/default/static/hello.txt"),
        "hello from the theme\n",
    )
    .unwrap();
    let r = eventually("the theme file to be served", || {
        let r = site.get("/assets/hello.txt");
        (r.status == 200).then_some(r)
    });
    assert!(site.generation() > g0);
    assert_eq!(r.text(), "hello from the theme\n");
    // A file added inside the now-watched folder is picked up too.
    let g1 = site.generation();
    fs::write(site.path("themes/default/static/second.txt"), "second\n").unwrap();
    site.until(g1, |_| site.get("/assets/second.txt").status == 200);
}

#[test]
fn a_burst_of_writes_is_one_rebuild() {
    let site = Site::start();
    let g0 = site.generation();
    let pages0 = site.server.status().pages;
    for i in 0..50 {
        fs::write(
            site.path(&format!("content/pages/burst-{i:02}.md")),
            format!("---\ntitle: Burst {i}\ndescription: Page {i} of a burst.\n---\nText {i}.\n"),
        )
        .unwrap();
    }
    let status = eventually("all 50 pages", || {
        let s = site.server.status();
        (s.pages == pages0 + 50).then_some(s)
    });
    assert_eq!(status.error, None);
    let builds = status.generation - g0;
    assert!(
        (1..=2).contains(&builds),
        "50 writes made {builds} rebuilds, not 1 or 2"
    );
    assert_eq!(site.get("/burst-49/").status, 200);
}

#[test]
fn editor_temp_files_do_not_change_the_site() {
    let site = Site::start();
    let g0 = site.generation();
    // A swap file, vim's probe file (made and deleted at once) and a backup, then a
    // real change: the rebuild that follows is for the real change, and the temp files
    // never appear.
    fs::write(
        site.path("content/spaces/.hill-house.md.swp"),
        "binary junk",
    )
    .unwrap();
    fs::write(site.path("content/spaces/4913"), "").unwrap();
    fs::remove_file(site.path("content/spaces/4913")).unwrap();
    fs::write(
        site.path("content/spaces/hill-house.md~"),
        "---\nname: [broken\n",
    )
    .unwrap();
    site.edit("content/pages/about.md", |t| t + "\nEdited.\n");
    let answer = site.until(g0, |_| site.get("/about/").text().contains("Edited."));
    assert_eq!(answer["error"], Value::Null, "temp files are not read");
}

#[test]
fn a_failed_first_build_is_served_as_an_error_page_until_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixtures().join("site-minimal"), &root);
    let space = root.join("content/spaces/hill-house.md");
    let good = fs::read_to_string(&space).unwrap();
    fs::write(
        &space,
        good.replace("name: Hill House", "name: [Hill House"),
    )
    .unwrap();
    let site = Site::start_at(dir, root);
    let status = site.server.status();
    assert!(!status.has_site);
    assert!(status.error.as_deref().unwrap().contains("hill-house.md"));
    let r = site.get("/");
    assert_eq!(r.status, 503);
    assert!(r.text().contains("role=\"alert\""));
    assert!(r.text().contains("content/spaces/hill-house.md:"));
    assert!(r.text().contains("/__hotdesk/livereload"));
    let g0 = site.generation();
    fs::write(&space, good).unwrap();
    site.until(g0, |v| v["error"].is_null());
    assert_eq!(site.get("/").status, 200);
    assert_eq!(site.get("/spaces/hill-house/").status, 200);
}

// ---------------------------------------------------------------------------------------
// Starting

#[test]
fn a_port_in_use_is_a_clear_usage_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("site-minimal"), dir.path());
    let root = dir.path().to_str().unwrap();
    let cli =
        hotdesk::cli::Cli::try_parse_from(["hotdesk", "serve", "--root", root, "--port", &port])
            .unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = hotdesk::cli::run(&cli, &mut out, &mut err);
    assert_eq!(code, hotdesk::error::Exit::Failure);
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains(&format!("port {port} is already in use")),
        "{err}"
    );
    assert!(err.contains("--port 0"), "{err}");
}

#[test]
fn without_a_port_a_taken_one_falls_back_to_a_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("site-minimal"), dir.path());
    let mut config = ServeConfig::new(options(dir.path()), taken.local_addr().unwrap());
    config.fall_back_to_any_port = true;
    config.watch = false;
    let server = Server::start(config).unwrap();
    assert_ne!(server.addr().port(), taken.local_addr().unwrap().port());
    assert_eq!(server.url(), format!("http://{}/", server.addr()));
    let r = request(server.addr(), "GET", "/", &host(server.addr()));
    assert_eq!(r.status, 200);
}

// ---------------------------------------------------------------------------------------
// Robustness

/// A client that connected and then stalls, in one of four ways.
fn stalled_client(addr: SocketAddr, kind: usize) -> TcpStream {
    let h = host(addr);
    let mut s = TcpStream::connect(addr).unwrap();
    match kind % 4 {
        // Connected, silent.
        0 => {}
        // Half a request.
        1 => write!(s, "GET / HTTP/1.1\r\nHost: {h}\r\n").unwrap(),
        // A whole request whose answer is never read.
        2 => write!(s, "GET / HTTP/1.1\r\nHost: {h}\r\n\r\n").unwrap(),
        // A request, its answer read, and the connection kept open, idle.
        _ => {
            write!(s, "GET /robots.txt HTTP/1.1\r\nHost: {h}\r\n\r\n").unwrap();
            let mut c = Conn {
                reader: BufReader::new(s.try_clone().unwrap()),
                writer: s.try_clone().unwrap(),
            };
            assert_eq!(c.read_response(false).unwrap().status, 200);
        }
    }
    s
}

#[test]
fn stalled_connections_and_long_polls_do_not_block_requests() {
    let site = Site::start();
    let addr = site.addr();
    let h = host(addr);
    let g = site.generation();
    let mut held = Vec::new();
    // One at a time, each followed by a request...
    for i in 0..8 {
        held.push(stalled_client(addr, i));
        assert_eq!(site.get("/").status, 200);
    }
    // ...and in a burst.
    for i in 0..40 {
        held.push(stalled_client(addr, i));
    }
    for _ in 0..10 {
        assert_eq!(site.get("/").status, 200);
    }
    // More long-polls than there are worker threads, in a burst: the hub holds them.
    let mut polls = Vec::new();
    for _ in 0..40 {
        let mut c = Conn::open(addr).unwrap();
        write!(
            c.writer,
            "GET /__hotdesk/livereload?since={g} HTTP/1.1\r\nHost: {h}\r\n\r\n"
        )
        .unwrap();
        polls.push(c);
    }
    eventually("40 long-polls held", || {
        let v: Value = serde_json::from_slice(&site.get("/__hotdesk/status").body).unwrap();
        (v["long_polls"] == 40).then_some(())
    });
    for i in 0..20 {
        let r = site.get(if i % 2 == 0 {
            "/"
        } else {
            "/assets/css/style.css"
        });
        assert_eq!(r.status, 200);
    }
    // A rebuild answers every held long-poll.
    site.edit("content/pages/about.md", |t| t + "\nMore.\n");
    for mut c in polls {
        let r = c.read_response(false).unwrap();
        assert_eq!(r.status, 200);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert!(v["generation"].as_u64().unwrap() > g);
    }
    drop(held);
}

#[test]
fn shutdown_answers_long_polls_and_joins() {
    let site = Site::start();
    let g = site.generation();
    // Parked before shutting down.
    let mut c = site.parked_long_poll(&format!("since={g}"));
    let (tx, rx) = std::sync::mpsc::channel();
    let Site { server, _dir, .. } = site;
    thread::spawn(move || {
        server.shutdown();
        tx.send(()).unwrap();
    });
    rx.recv_timeout(DEADLINE).expect("shutdown returns");
    let r = c.read_response(false).unwrap();
    assert_eq!(r.status, 200);
    drop(_dir);
}

#[test]
fn load_20_clients_10_000_requests_no_errors() {
    let site = Site::start();
    let addr = site.addr();
    let paths: Arc<Vec<&str>> = Arc::new(vec![
        "/",
        "/spaces/",
        "/spaces/harbour-hub/",
        "/assets/css/style.css",
        "/assets/js/neutral.js",
        "/robots.txt",
        "/spaces/harbour-hub",
        "/missing/",
        "/__hotdesk/status",
    ]);
    let ok = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..20)
        .map(|t| {
            let (paths, ok) = (Arc::clone(&paths), Arc::clone(&ok));
            thread::spawn(move || {
                let mut errors = Vec::new();
                for i in 0..500 {
                    let path = paths[(t + i) % paths.len()];
                    let method = if i % 7 == 0 { "HEAD" } else { "GET" };
                    // The server closes every connection after one answer.
                    let result =
                        Conn::open(addr).and_then(|mut c| c.request(method, path, &host(addr)));
                    match result {
                        Ok(r) => {
                            let expected = match path {
                                "/spaces/harbour-hub" => 308,
                                "/missing/" => 404,
                                _ => 200,
                            };
                            if r.status == expected
                                && r.header("cache-control") == Some("no-store")
                                && r.header("connection") == Some("close")
                                && (method == "HEAD" || !r.body.is_empty())
                            {
                                ok.fetch_add(1, Ordering::Relaxed);
                            } else {
                                errors.push(format!("{method} {path}: {}", r.status));
                            }
                        }
                        Err(e) => errors.push(format!("{method} {path}: {e}")),
                    }
                }
                errors
            })
        })
        .collect();
    let errors: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors, e.g. {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    assert_eq!(ok.load(Ordering::Relaxed), 10_000);
}
