//! The connections in front of `tiny_http`: how much one client may hold.

use std::time::Duration;

/// How much the preview server lets its clients hold, so that a misbehaving tab or
/// script on the machine cannot make it large or unresponsive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes of a request's head (request line and headers). A longer head is
    /// answered 431 and its connection closed, without reading the rest.
    pub max_head: usize,
    /// How long a connection may take to send its whole head; then it is closed.
    pub head_timeout: Duration,
    /// Connections open at once, each with one thread. When all are taken, a new
    /// connection closes the one that has waited longest for its head; when none is
    /// waiting for its head, the new connection is answered 503.
    pub max_connections: usize,
}

impl Default for Limits {
    /// 64 KiB of head (browsers send every cookie of `localhost`, whatever its port,
    /// and cap one cookie at 4 KiB), 10 s to send it (a request on loopback takes
    /// microseconds), 64 connections (a browser opens at most 6 per host).
    fn default() -> Self {
        Limits {
            max_head: 64 * 1024,
            head_timeout: Duration::from_secs(10),
            max_connections: 64,
        }
    }
}
