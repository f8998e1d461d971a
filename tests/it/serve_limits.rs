//! Issue 19, item 8: the preview server stays small and responsive with a misbehaving
//! client on the machine: a huge request head, a half-sent request, hundreds of idle
//! sockets. Loopback only.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use hotdesk::serve::{Limits, ServeConfig, Server};

use crate::support::{minimal_site, options};

/// Straight to the stderr handle (shown with `--nocapture`): the figures of the report.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

fn start(limits: Limits) -> (tempfile::TempDir, Server) {
    let site = minimal_site();
    let mut config = ServeConfig::new(options(site.path()), "127.0.0.1:0".parse().unwrap());
    config.watch = false;
    config.limits = limits;
    let server = Server::start(config).expect("the server starts");
    (site, server)
}

/// `GET /` on a new connection: the status, or `None` when the connection failed.
fn get(addr: SocketAddr) -> Option<u16> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let head = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", addr.port());
    s.write_all(head.as_bytes()).ok()?;
    // The status line is enough (the connection may stay open after the answer).
    let mut text = Vec::new();
    let mut buf = [0u8; 512];
    while !text.contains(&b'\n') {
        let n = s.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        text.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&text)
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Threads of this process (the test binary: other tests' threads count too).
fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

/// A head the server cannot take: more than socket buffers hold, so that a client that
/// can send it all shows the server read it. (How much the server itself reads of a
/// 1 MiB head is measured in `serve::front`'s unit tests.)
const LOTS: usize = 64 * 1024 * 1024;

#[test]
fn serve_a_huge_request_head_is_refused_without_being_read() {
    let (_site, server) = start(Limits::default());
    let addr = server.addr();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut writer = s.try_clone().unwrap();
    let started = Instant::now();
    let sent = thread::spawn(move || {
        let head = format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Big: ",
            addr.port()
        );
        let mut sent = head.len();
        if writer.write_all(head.as_bytes()).is_err() {
            return sent;
        }
        let chunk = [b'a'; 4096];
        while sent < LOTS {
            match writer.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => return sent,
            }
        }
        let _ = writer.write_all(b"\r\n\r\n");
        sent
    });
    let mut answer = Vec::new();
    // The 431 may be lost to the reset that closing an unread socket sends.
    let _ = s.read_to_end(&mut answer);
    let sent = sent.join().unwrap();
    let elapsed = started.elapsed();
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431 "),
        "{answer}"
    );
    assert!(
        sent < LOTS,
        "the server read the whole {LOTS}-byte head (socket buffers take a few MiB)"
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    note(&format!(
        "huge head: the client could send {sent} bytes, refused after {elapsed:?}"
    ));
    assert_eq!(get(addr), Some(200));
}

#[test]
fn serve_a_half_sent_request_is_dropped_after_the_head_timeout() {
    let (_site, server) = start(Limits {
        head_timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    let addr = server.addr();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    // A request line and one header, then nothing: trickling bytes does not help.
    s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    thread::sleep(Duration::from_millis(150));
    let _ = s.write_all(b"X-A: b\r\n");
    let mut buf = [0u8; 256];
    let got = s.read(&mut buf);
    let elapsed = started.elapsed();
    assert!(
        got.is_ok()
            || got
                .as_ref()
                .is_err_and(|e| e.kind() == ErrorKind::ConnectionReset),
        "not closed by the server: {got:?} after {elapsed:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(2),
        "closed after {elapsed:?}"
    );
    assert_eq!(get(addr), Some(200));
}

#[test]
fn serve_500_idle_sockets_do_not_make_500_threads_and_a_get_still_answers() {
    let (_site, server) = start(Limits {
        max_connections: 16,
        ..Limits::default()
    });
    let addr = server.addr();
    assert_eq!(get(addr), Some(200));
    let before = threads();
    let mut idle = Vec::new();
    for _ in 0..500 {
        idle.push(TcpStream::connect(addr).unwrap());
    }
    // Let the server accept them all.
    thread::sleep(Duration::from_millis(500));
    let during = threads();
    let started = Instant::now();
    let status = get(addr);
    let elapsed = started.elapsed();
    note(&format!(
        "500 idle sockets: {before} threads before, {during} with them open; GET in {elapsed:?}"
    ));
    assert_eq!(status, Some(200));
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert!(
        during < before + 100,
        "{before} threads before the idle sockets, {during} with them"
    );
    drop(idle);
}
