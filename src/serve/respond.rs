//! Writing one answer to a `tiny_http` request: the [`Body`] type and [`send`], shared
//! by the HTTP layer (`http`) and the live-reload hub (`livereload`).
//!
//! It owns the wire format every answer shares (one write, `Connection: close`,
//! `Cache-Control: no-store`, `Content-Length`, no body for `HEAD`) and nothing else: it
//! does not route, and it imports neither `http` nor `livereload`, so the two use it
//! without importing each other back.

use std::io::Write;
use std::sync::Arc;

use tiny_http::{Method, Request, StatusCode};

pub(crate) const TEXT: &str = "text/plain; charset=utf-8";
pub(crate) const HTML: &str = "text/html; charset=utf-8";
pub(crate) const JSON: &str = "application/json";

/// A response body: shared with the site when served as is, owned when rewritten.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Static(&'static [u8]),
    Shared(Arc<Vec<u8>>),
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Static(b) => b,
            Body::Shared(b) => b,
            Body::Owned(b) => b,
        }
    }
}

/// Writes a response. Errors mean the client went away; there is no one to tell.
///
/// Every response says `Connection: close`. `tiny_http` runs each connection on a thread
/// of its own pool until the client closes it, and that pool can leave a connection that
/// arrives together with others queued until one of its threads is free (its count of
/// idle threads lags behind). A browser keeps idle keep-alive connections open for
/// minutes, so one of its requests could wait that long; closing after each answer frees
/// the thread within milliseconds. On loopback a new connection costs next to nothing.
///
/// The status line, headers and body go out in one write: `tiny_http` writes the head
/// and the body separately through a 1 KB buffer, and Nagle's algorithm then holds the
/// body back until the client's delayed ACK (40 ms) for every answer over 1 KB.
/// `Content-Length` is always sent, and for `HEAD` no body.
pub(crate) fn send(
    rq: Request,
    status: u16,
    content_type: &'static str,
    body: Body,
    headers: &[(&'static str, String)],
) {
    let body = body.as_ref();
    let reason = StatusCode(status).default_reason_phrase();
    let mut out = Vec::with_capacity(body.len() + 256);
    out.extend_from_slice(
        format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            body.len()
        )
        .as_bytes(),
    );
    for (name, value) in headers {
        // Values come from this module: checked paths, numbers and constants.
        debug_assert!(!value.contains(['\r', '\n']));
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    if *rq.method() != Method::Head {
        out.extend_from_slice(body);
    }
    let mut writer = rq.into_writer();
    let _ = writer.write_all(&out).and_then(|()| writer.flush());
}
