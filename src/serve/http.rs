//! The HTTP layer: request → response, from the site in memory.
//!
//! [`route`] is a pure function of the request line, the `Host` header and the current
//! [`Snapshot`], so every rule below is unit-tested without a socket; [`worker`] is the
//! thin loop that feeds it requests from `tiny_http` and writes the answers.
//!
//! The rules:
//! - Only `GET` and `HEAD` (405 otherwise). `tiny_http` leaves the body out for `HEAD`
//!   and keeps the headers, `Content-Length` included.
//! - `Host` must name this server: `localhost`, `127.0.0.1` or `[::1]` with its port, or
//!   the address it is bound to; anything else gets 421. A web page the developer visits
//!   cannot then read the preview through DNS rebinding (its requests carry the
//!   attacker's host name). No CORS headers are ever sent.
//! - The path is percent-decoded exactly once. A path that is not absolute, holds `//`,
//!   a backslash, an encoded `/` or `\`, a control byte (NUL included), invalid UTF-8 or
//!   a `.`/`..` segment (literal or `%2e`-encoded) gets 400. Files are looked up in
//!   [`Output::files`], a map, so nothing a request says ever reaches the file system.
//! - `/dir/` serves `dir/index.html`; `/dir` redirects (308) to `/dir/` when that page
//!   exists, keeping the query; an unknown path gets the site's `404.html` with status 404.
//! - Every response says `Cache-Control: no-store` (a preview must never show a stale
//!   page) and `Connection: close` (see [`send`]), and has the `Content-Type` of its
//!   extension.
//! - HTML responses get the live-reload script (and the error overlay when the last
//!   build failed) injected before `</body>`; nothing else is changed.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tiny_http::Method;

use super::livereload;
use super::respond::{Body, HTML, JSON, TEXT, send};
use super::{Shared, Snapshot};
use crate::build::Output;

/// Where the server's own endpoints live; no site file can start with `__hotdesk/`.
pub(crate) const INTERNAL: &str = "/__hotdesk/";

/// The host names requests may use (DNS rebinding defence).
pub(crate) struct Hosts {
    port: u16,
    bound: IpAddr,
}

impl Hosts {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Hosts {
            port: addr.port(),
            bound: addr.ip(),
        }
    }

    /// Whether a `Host` header value names this server.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = if let Some(rest) = host.strip_prefix('[') {
            match rest.split_once(']') {
                Some((name, after)) => (name, after),
                None => return false,
            }
        } else {
            match host.rfind(':') {
                Some(i) => (&host[..i], &host[i..]),
                None => (host.as_str(), ""),
            }
        };
        let port_ok = match port.strip_prefix(':') {
            Some(p) => p.parse::<u16>() == Ok(self.port),
            None => port.is_empty() && self.port == 80,
        };
        if !port_ok {
            return false;
        }
        if matches!(name, "localhost" | "127.0.0.1" | "::1") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) if ip == self.bound => true,
            // Listening on every address (`--bind 0.0.0.0`): other machines reach it by
            // one of this machine's addresses. An IP literal cannot be rebound, so any is
            // accepted; DNS names still are not.
            Ok(_) => self.bound.is_unspecified(),
            Err(_) => false,
        }
    }
}

/// What to do with a request.
#[derive(Debug)]
pub(crate) enum Reply {
    Send {
        status: u16,
        content_type: &'static str,
        body: Body,
        headers: Vec<(&'static str, String)>,
    },
    /// A live-reload long-poll: answered by the hub when the generation is not `since`.
    /// `page`: the output file the tab shows, rendered first after the next edit.
    Park { since: u64, page: Option<String> },
    /// A path the build being finished has not rendered yet: ask again when it is done.
    Wait,
    /// `/__hotdesk/status`, which also counts the waiting long-polls.
    Status,
}

impl Reply {
    fn text(status: u16, text: &'static str) -> Reply {
        Reply::Send {
            status,
            content_type: TEXT,
            body: Body::Static(text.as_bytes()),
            headers: Vec::new(),
        }
    }

    #[cfg(test)]
    pub(super) fn status(&self) -> u16 {
        match self {
            Reply::Send { status, .. } => *status,
            Reply::Park { .. } | Reply::Status | Reply::Wait => 0,
        }
    }
}

/// Answers one request from the snapshot. `host` is the `Host` header (`None` when
/// missing or repeated).
pub(crate) fn route(
    hosts: &Hosts,
    snap: &Snapshot,
    method: &Method,
    url: &str,
    host: Option<&str>,
) -> Reply {
    match host {
        None => return Reply::text(400, "400 Bad Request: exactly one Host header is needed\n"),
        Some(h) if !hosts.allows(h) => {
            return Reply::text(
                421,
                "421 Misdirected Request: this preview answers only to localhost and its own address\n",
            );
        }
        Some(_) => {}
    }
    if !matches!(method, Method::Get | Method::Head) {
        return Reply::Send {
            status: 405,
            content_type: TEXT,
            body: Body::Static(b"405 Method Not Allowed: the preview answers GET and HEAD\n"),
            headers: vec![("Allow", "GET, HEAD".into())],
        };
    }
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let path = path.split('#').next().unwrap_or_default();
    // At the root for tools (and `serve::nudge`), under the site's path for its pages'
    // script (a proxy may pass on nothing else).
    let internal = path.strip_prefix(INTERNAL).or_else(|| {
        path.strip_prefix(&*snap.base_path)?
            .strip_prefix(&INTERNAL[1..])
    });
    if let Some(internal) = internal {
        return internal_route(internal, query, snap);
    }
    let Some(key) = clean_path(path) else {
        return Reply::text(400, "400 Bad Request: not a path of this site\n");
    };
    let Some(site) = &snap.site else {
        return error_page(snap);
    };
    let key = match key.strip_prefix(base_key(snap).as_str()) {
        Some(k) => k.to_owned(),
        None => return outside_base(snap, site, &key, query),
    };
    let file = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.clone()
    };
    if let Some(first) = &snap.first {
        // Right after an edit: the pages open in a browser are ready, the rest of the
        // site is still rendering. Never answer from the previous build: it is stale.
        return match first.files.get(&file) {
            Some(f) => file_reply(snap, 200, &file, &f.bytes),
            None => Reply::Wait,
        };
    }
    if let Some(f) = site.files.get(&file) {
        return file_reply(snap, 200, &file, &f.bytes);
    }
    if !key.is_empty()
        && !key.ends_with('/')
        && site.files.contains_key(&format!("{key}/index.html"))
    {
        // `path` passed `clean_path`, so it is safe to repeat in a header.
        let location = match query {
            Some(q) => format!("{path}/?{q}"),
            None => format!("{path}/"),
        };
        return Reply::Send {
            status: 308,
            content_type: TEXT,
            body: Body::Owned(format!("308 Permanent Redirect to {location}\n").into_bytes()),
            headers: vec![("Location", location)],
        };
    }
    not_found(snap, site)
}

/// The answer to a path outside the site's path (a site under `/directory/`): `/` and
/// `/directory` go to `/directory/`, anything else is not found. The redirect is 307,
/// not permanent: `base_url` may change while serving, and the next site served on this
/// port may have another path.
fn outside_base(snap: &Snapshot, site: &Output, key: &str, query: Option<&str>) -> Reply {
    if key.is_empty() || format!("{key}/") == base_key(snap) {
        let location = match query {
            Some(q) => format!("{}?{q}", snap.base_path),
            None => snap.base_path.to_string(),
        };
        return Reply::Send {
            status: 307,
            content_type: TEXT,
            body: Body::Owned(format!("307 Temporary Redirect to {location}\n").into_bytes()),
            headers: vec![("Location", location)],
        };
    }
    not_found(snap, site)
}

/// [`Snapshot::base_path`] as a prefix of the keys [`clean_path`] returns: decoded,
/// without the leading `/`, `""` for a site at the root, `"directory/"` under a path.
fn base_key(snap: &Snapshot) -> String {
    percent_decode(&snap.base_path)
        .and_then(|p| clean_path(&p))
        .unwrap_or_default()
}

fn internal_route(what: &str, query: Option<&str>, snap: &Snapshot) -> Reply {
    match what {
        "livereload" => {
            let param = |name: &str| {
                query
                    .into_iter()
                    .flat_map(|q| q.split('&'))
                    .find_map(|kv| kv.strip_prefix(name))
            };
            // The page the tab shows, so that a rebuild renders it first; a path that
            // is not one of the site's is simply not rendered first.
            let page = param("page=").and_then(|p| page_file(p, &base_key(snap)));
            match param("since=").map(str::parse::<u64>) {
                None => Reply::Park { since: 0, page },
                Some(Ok(since)) => Reply::Park { since, page },
                Some(Err(_)) => Reply::text(400, "400 Bad Request: `since` must be a number\n"),
            }
        }
        "status" => Reply::Status,
        // For the server's own liveness check (see `serve::nudge`).
        "ping" => Reply::text(200, "ok\n"),
        _ => Reply::text(404, "404 Not Found\n"),
    }
}

/// The output file a tab's `location.pathname` (percent-encoded, as the live-reload
/// script sends it) most likely shows: `/spaces/x/` → `spaces/x/index.html`, and
/// `/directory/spaces/x/` too for a site under `base` `directory/` (see [`base_key`]).
/// `None` when it is not a clean path of the site.
pub(crate) fn page_file(encoded: &str, base: &str) -> Option<String> {
    let decoded = percent_decode(encoded)?;
    let key = clean_path(&decoded)?.strip_prefix(base)?.to_owned();
    let last = key.rsplit('/').next().unwrap_or_default();
    Some(if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else if last.contains('.') {
        key
    } else {
        format!("{key}/index.html")
    })
}

/// `%XX` decoding of a query value (`encodeURIComponent`'s output); `None` when it is
/// not valid UTF-8 or has a broken escape.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn file_reply(snap: &Snapshot, status: u16, path: &str, bytes: &Arc<Vec<u8>>) -> Reply {
    let content_type = content_type(path);
    let body = if content_type == HTML {
        Body::Owned(livereload::inject(bytes, snap))
    } else {
        Body::Shared(Arc::clone(bytes))
    };
    Reply::Send {
        status,
        content_type,
        body,
        headers: Vec::new(),
    }
}

fn not_found(snap: &Snapshot, site: &Output) -> Reply {
    match site.files.get("404.html") {
        Some(f) => file_reply(snap, 404, "404.html", &f.bytes),
        None => Reply::text(404, "404 Not Found\n"),
    }
}

/// The page served for every path while no build has succeeded yet.
fn error_page(snap: &Snapshot) -> Reply {
    let page = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
                <title>hotdesk: the site could not be built</title></head>\n<body>\n\
                <h1>The site could not be built</h1>\n<p>Fix the problems shown and this page \
                reloads by itself.</p>\n</body>\n</html>\n";
    Reply::Send {
        status: 503,
        content_type: HTML,
        body: Body::Owned(livereload::inject(page.as_bytes(), snap)),
        headers: vec![("Retry-After", "1".into())],
    }
}

/// The request path as a key of [`Output::files`] (no leading `/`; `""` for the root;
/// a trailing `/` kept), or `None` when the path must be refused.
pub(crate) fn clean_path(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    if raw.contains("//") || raw.contains('\\') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let decoded = if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            let d = u8::from_str_radix(hex, 16).ok()?;
            // An encoded separator would make one segment look like two.
            if d == b'/' || d == b'\\' {
                return None;
            }
            i += 3;
            d
        } else {
            i += 1;
            b
        };
        if decoded.is_ascii_control() {
            return None;
        }
        out.push(decoded);
    }
    let path = String::from_utf8(out).ok()?;
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return None;
    }
    Some(path)
}

/// The `Content-Type` of an output path, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match ext.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => JSON,
        "geojson" => "application/geo+json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" => TEXT,
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// One request-answering thread: takes requests from `tiny_http`'s queue until the
/// server stops. Long-polls are handed to the hub, so they hold no worker.
pub(crate) fn worker(shared: &Shared, http: &tiny_http::Server) {
    loop {
        let rq = match http.recv() {
            Ok(rq) => rq,
            // `unblock()` at shutdown, or the accept loop failed (nothing more will come).
            Err(_) if shared.is_stopping() => return,
            Err(_) => continue,
        };
        let mut hosts = rq.headers().iter().filter(|h| h.field.equiv("Host"));
        let host = match (hosts.next(), hosts.next()) {
            (Some(h), None) => Some(h.value.as_str().to_owned()),
            _ => None,
        };
        let mut snap = shared.snapshot();
        let mut reply = route(&shared.hosts, &snap, rq.method(), rq.url(), host.as_deref());
        while let Reply::Wait = reply {
            snap = shared.wait_until_whole(&snap);
            reply = route(&shared.hosts, &snap, rq.method(), rq.url(), host.as_deref());
        }
        match reply {
            Reply::Wait => unreachable!("waited above"),
            Reply::Park { since, page } => livereload::park(shared, rq, since, page),
            Reply::Status => {
                let json = {
                    let st = shared.lock();
                    livereload::status_json(&st.snap, st.parked.len())
                };
                send(rq, 200, JSON, Body::Owned(json.into_bytes()), &[]);
            }
            Reply::Send {
                status,
                content_type,
                body,
                headers,
            } => send(rq, status, content_type, body, &headers),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::OutputFile;

    fn site() -> Snapshot {
        let mut out = Output::default();
        for (path, text) in [
            ("index.html", "<html><body><h1>home</h1></body></html>"),
            ("spaces/a/index.html", "<html><body>space a</BODY></html>"),
            ("404.html", "<html><body>not here</body></html>"),
            ("assets/css/style.css", "body{}"),
        ] {
            out.files.insert(
                path.into(),
                OutputFile {
                    bytes: Arc::new(text.as_bytes().to_vec()),
                    len: text.len(),
                    source: path.into(),
                },
            );
        }
        Snapshot {
            generation: 3,
            site: Some(Arc::new(out)),
            ..Snapshot::default()
        }
    }

    /// [`site`] with `base_url` https://org.github.io/directory/.
    fn sub_path_site() -> Snapshot {
        Snapshot {
            base_path: Arc::from("/directory/"),
            ..site()
        }
    }

    fn get_in(snap: &Snapshot, url: &str) -> Reply {
        let hosts = Hosts::new("127.0.0.1:4000".parse().unwrap());
        route(&hosts, snap, &Method::Get, url, Some("127.0.0.1:4000"))
    }

    fn get(url: &str) -> Reply {
        let hosts = Hosts::new("127.0.0.1:4000".parse().unwrap());
        route(&hosts, &site(), &Method::Get, url, Some("127.0.0.1:4000"))
    }

    fn body(r: &Reply) -> String {
        match r {
            Reply::Send { body, .. } => String::from_utf8_lossy(body.as_ref()).into_owned(),
            Reply::Park { .. } | Reply::Status | Reply::Wait => String::new(),
        }
    }

    #[test]
    fn clean_path_refuses_escapes() {
        for bad in [
            "",
            "spaces",
            "//etc/passwd",
            "/../x",
            "/a/../b",
            "/%2e%2e/x",
            "/%2E%2e/x",
            "/a/%2f/b",
            "/a%2Fb",
            "/a%5cb",
            "/a\\b",
            "/%00",
            "/a%0a",
            "/%zz",
            "/%2",
            "/.",
            "/./a",
            "/a/./b",
            "/%ff",
            "/a//b",
        ] {
            assert_eq!(clean_path(bad), None, "{bad:?}");
        }
        assert_eq!(clean_path("/").as_deref(), Some(""));
        assert_eq!(clean_path("/spaces/a/").as_deref(), Some("spaces/a/"));
        assert_eq!(clean_path("/caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(clean_path("/a%20b.txt").as_deref(), Some("a b.txt"));
        // Decoded once: a double-encoded dot-dot is a plain (missing) name.
        assert_eq!(clean_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
        assert_eq!(
            clean_path("/a..b/.well-known").as_deref(),
            Some("a..b/.well-known")
        );
    }

    #[test]
    fn hosts_accept_loopback_names_with_the_port_only() {
        let h = Hosts::new("127.0.0.1:4000".parse().unwrap());
        for ok in [
            "localhost:4000",
            "LOCALHOST:4000",
            "127.0.0.1:4000",
            "[::1]:4000",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:4000",
            "localhost",
            "localhost:4001",
            "127.0.0.1",
            "localhost.:4000",
            "10.0.0.2:4000",
            "[::1]",
            "[::1",
            "",
            "localhost:4000:4000",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        let any = Hosts::new("0.0.0.0:4000".parse().unwrap());
        assert!(any.allows("192.168.1.20:4000"));
        assert!(!any.allows("evil.example:4000"));
        let lan = Hosts::new("192.168.1.20:80".parse().unwrap());
        assert!(lan.allows("192.168.1.20"));
        assert!(!lan.allows("192.168.1.21"));
    }

    #[test]
    fn right_after_an_edit_only_the_pages_rendered_first_are_served() {
        let old = site();
        let mut first = Output::default();
        first.files.insert(
            "spaces/a/index.html".into(),
            OutputFile {
                bytes: Arc::new(b"<html><body>space a, edited</body></html>".to_vec()),
                len: 0,
                source: String::new(),
            },
        );
        let snap = Snapshot {
            generation: 4,
            first: Some(Arc::new(first)),
            ..old
        };
        let hosts = Hosts::new("127.0.0.1:4000".parse().unwrap());
        let get = |url| route(&hosts, &snap, &Method::Get, url, Some("127.0.0.1:4000"));
        assert!(body(&get("/spaces/a/")).contains("space a, edited"));
        // The previous build has these, but they may be stale: wait for the new ones.
        for url in ["/", "/assets/css/style.css", "/nope/", "/spaces/a"] {
            assert!(matches!(get(url), Reply::Wait), "{url}");
        }
        // Requests that are not for the site's files are answered as ever.
        assert!(matches!(get("/__hotdesk/status"), Reply::Status));
        assert_eq!(get("/../x").status(), 400);
    }

    #[test]
    fn a_tab_says_which_page_it_shows() {
        for (sent, file) in [
            ("%2F", Some("index.html")),
            ("%2Fspaces%2Fa%2F", Some("spaces/a/index.html")),
            ("%2Fspaces%2Fa", Some("spaces/a/index.html")),
            ("/sessions/b/", Some("sessions/b/index.html")),
            ("%2F404.html", Some("404.html")),
            ("%2F..%2Fetc%2Fpasswd", None),
            ("%2Fa%zz", None),
            ("%2F%FF", None),
        ] {
            assert_eq!(page_file(sent, "").as_deref(), file, "{sent}");
        }
        assert!(matches!(
            get("/__hotdesk/livereload?since=7&page=%2Fspaces%2Fa%2F"),
            Reply::Park { since: 7, page: Some(p) } if p == "spaces/a/index.html"
        ));
    }

    #[test]
    fn routes() {
        assert_eq!(get("/").status(), 200);
        assert!(body(&get("/")).contains("/__hotdesk/livereload"));
        assert_eq!(get("/spaces/a/").status(), 200);
        assert!(body(&get("/spaces/a/?x=1")).contains("__hotdesk"));
        match get("/spaces/a?x=1") {
            Reply::Send {
                status: 308,
                headers,
                ..
            } => assert_eq!(headers, vec![("Location", "/spaces/a/?x=1".to_string())]),
            other => panic!("{other:?}"),
        }
        let css = get("/assets/css/style.css");
        assert_eq!(body(&css), "body{}");
        let nf = get("/nope/");
        assert_eq!(nf.status(), 404);
        assert!(body(&nf).contains("not here"));
        assert_eq!(get("/../x").status(), 400);
        assert!(matches!(
            get("/__hotdesk/livereload?since=7"),
            Reply::Park {
                since: 7,
                page: None
            }
        ));
        assert_eq!(get("/__hotdesk/livereload?since=x").status(), 400);
        assert!(matches!(get("/__hotdesk/status"), Reply::Status));
        let hosts = Hosts::new("127.0.0.1:4000".parse().unwrap());
        let post = route(&hosts, &site(), &Method::Post, "/", Some("localhost:4000"));
        assert_eq!(post.status(), 405);
        let evil = route(
            &hosts,
            &site(),
            &Method::Get,
            "/",
            Some("evil.example:4000"),
        );
        assert_eq!(evil.status(), 421);
        assert_eq!(
            route(&hosts, &site(), &Method::Get, "/", None).status(),
            400
        );
    }

    #[test]
    fn a_site_with_a_path_is_served_under_it() {
        let snap = sub_path_site();
        let get = |url| get_in(&snap, url);
        assert_eq!(get("/directory/").status(), 200);
        assert!(body(&get("/directory/")).contains("<h1>home</h1>"));
        assert!(body(&get("/directory/spaces/a/")).contains("space a"));
        assert_eq!(body(&get("/directory/assets/css/style.css")), "body{}");
        for (url, location) in [
            ("/", "/directory/"),
            ("/?x=1", "/directory/?x=1"),
            ("/directory", "/directory/"),
            ("/directory/spaces/a", "/directory/spaces/a/"),
        ] {
            match get(url) {
                Reply::Send {
                    status: 307 | 308,
                    headers,
                    ..
                } => assert_eq!(headers, vec![("Location", location.to_string())], "{url}"),
                other => panic!("{url}: {other:?}"),
            }
        }
        assert_eq!(get("/").status(), 307);
        // Outside the path, the site's own files are not found: links that forget the
        // path show up in the preview as they would once published.
        for url in [
            "/spaces/a/",
            "/assets/css/style.css",
            "/directoryx/",
            "/directory/nope/",
        ] {
            let r = get(url);
            assert_eq!(r.status(), 404, "{url}");
            assert!(body(&r).contains("not here"), "{url}");
        }
        assert_eq!(get("/directory/../x").status(), 400);
    }

    #[test]
    fn the_live_reload_endpoint_is_under_the_path_too() {
        let snap = sub_path_site();
        let get = |url| get_in(&snap, url);
        let page = body(&get("/directory/spaces/a/"));
        assert!(
            page.contains("fetch(\"/directory/__hotdesk/livereload?since="),
            "{page}"
        );
        assert!(matches!(
            get("/directory/__hotdesk/livereload?since=7&page=%2Fdirectory%2Fspaces%2Fa%2F"),
            Reply::Park { since: 7, page: Some(p) } if p == "spaces/a/index.html"
        ));
        // At the root as well, for tools.
        assert!(matches!(
            get("/__hotdesk/livereload?since=7"),
            Reply::Park {
                since: 7,
                page: None
            }
        ));
        assert!(matches!(get("/directory/__hotdesk/status"), Reply::Status));
        assert_eq!(
            page_file("%2Fdirectory%2F", "directory/").as_deref(),
            Some("index.html")
        );
        assert_eq!(page_file("%2Fspaces%2Fa%2F", "directory/"), None);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("spaces/a/index.html"), HTML);
        assert_eq!(
            content_type("assets/css/style.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("x.GeoJSON"), "application/geo+json");
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("sessions.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
