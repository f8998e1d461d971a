//! The connections in front of `tiny_http`: how much one client may hold.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

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

/// The accept loop in front of `tiny_http`, and its connections.
///
/// `tiny_http` 0.12 cannot be bounded from outside: it reads a request head without a
/// size limit, has no read timeout (one set on the listening socket would end its
/// accept loop), and starts a thread for every connection it is waiting on. So the
/// preview's port is this layer's: it accepts, gives each connection one thread from
/// a bounded number, reads the head within [`Limits`], and passes a whole head on to
/// `tiny_http`, which listens on a loopback port of its own, then copies the answer
/// back. `tiny_http` thus only ever sees whole requests from this layer, which closes
/// its side after the head so that `tiny_http`'s connection thread ends once the
/// request is queued. On loopback the extra hop costs tens of microseconds.
pub(crate) struct Front {
    shared: Arc<Shared>,
    addr: SocketAddr,
    accept: Option<JoinHandle<()>>,
}

struct Shared {
    limits: Limits,
    /// Where `tiny_http` listens.
    inner: SocketAddr,
    stopping: AtomicBool,
    conns: Mutex<Conns>,
}

#[derive(Default)]
struct Conns {
    next_id: u64,
    /// Connection threads running.
    open: usize,
    /// The connections still sending their head, oldest first, to close one when
    /// every thread is taken.
    heads: VecDeque<(u64, TcpStream)>,
}

impl Front {
    /// Serves `listener` (the preview's port) in front of `tiny_http` at `inner`.
    pub(super) fn start(
        listener: TcpListener,
        inner: SocketAddr,
        limits: Limits,
    ) -> io::Result<Front> {
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            limits,
            inner,
            stopping: AtomicBool::new(false),
            conns: Mutex::new(Conns::default()),
        });
        let s = Arc::clone(&shared);
        let accept = thread::Builder::new()
            .name("hotdesk-accept".into())
            .spawn(move || accept_loop(&listener, &s))?;
        Ok(Front {
            shared,
            addr,
            accept: Some(accept),
        })
    }

    /// Stops accepting and closes the connections still sending their head. Answers
    /// being copied end when `tiny_http` closes them.
    pub(super) fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wakes `accept`.
        let _ = TcpStream::connect_timeout(&super::loopback(self.addr), Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for (_, s) in self.shared.lock().heads.drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Conns> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        match conn {
            Ok(stream) => admit(shared, stream),
            // Out of file descriptors, or a connection reset before it was accepted:
            // try again shortly rather than spin or stop.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Gives `stream` a thread, closing the connection that has waited longest for its
/// head when every thread is taken, or answers 503 when none is waiting for its head.
fn admit(shared: &Arc<Shared>, stream: TcpStream) {
    let id = {
        let mut conns = shared.lock();
        if conns.open >= shared.limits.max_connections.max(1) {
            match conns.heads.pop_front() {
                // Its thread ends at once and no longer counts.
                Some((_, oldest)) => {
                    let _ = oldest.shutdown(Shutdown::Both);
                    conns.open -= 1;
                }
                None => {
                    drop(conns);
                    refuse(&stream, BUSY);
                    return;
                }
            }
        }
        let Ok(clone) = stream.try_clone() else {
            return;
        };
        conns.open += 1;
        conns.next_id += 1;
        let id = conns.next_id;
        conns.heads.push_back((id, clone));
        id
    };
    let s = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name("hotdesk-conn".into())
        .spawn(move || connection(&s, id, stream));
    if spawned.is_err() {
        shared.forget(id, true);
    }
}

impl Shared {
    /// Takes connection `id` off the list of heads being read, and when `done`, off
    /// the count of threads (unless [`admit`] already closed it and took it off).
    fn forget(&self, id: u64, done: bool) -> bool {
        let mut conns = self.lock();
        let before = conns.heads.len();
        conns.heads.retain(|(i, _)| *i != id);
        let listed = conns.heads.len() < before;
        if done && listed {
            conns.open -= 1;
        }
        listed
    }
}

const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
const TOO_LARGE: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 47\r\nConnection: close\r\n\r\n431: the request's headers are over the limit\n";
const TOO_SLOW: &[u8] =
    b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Writes a short answer without waiting on the client, and closes.
fn refuse(stream: &TcpStream, answer: &[u8]) {
    let _ = stream.set_nonblocking(true);
    let _ = (&*stream).write(answer);
    let _ = stream.shutdown(Shutdown::Both);
}

/// One connection's thread: its head, then `tiny_http`'s answer.
fn connection(shared: &Shared, id: u64, mut client: TcpStream) {
    let head = read_head(&mut client, &shared.limits);
    // Closed by `admit` meanwhile: it no longer counts this thread.
    if !shared.forget(id, false) {
        return;
    }
    match head {
        Ok(head) => {
            let _ = forward(&head, &mut client, shared.inner);
            let _ = client.shutdown(Shutdown::Both);
        }
        Err(Refusal::TooLarge) => refuse(&client, TOO_LARGE),
        Err(Refusal::TooSlow) => refuse(&client, TOO_SLOW),
        Err(Refusal::Closed) => {}
    }
    shared.lock().open -= 1;
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Over [`Limits::max_head`].
    TooLarge,
    /// Not whole within [`Limits::head_timeout`].
    TooSlow,
    /// The client went away (or a read failed) before the head was whole.
    Closed,
}

/// Reads a request head (up to and including the empty line), at most
/// [`Limits::max_head`] bytes of it (one more, to know it is over) and within
/// [`Limits::head_timeout`] however the bytes trickle in. Bytes after the head (a
/// body, a second request) are dropped: GET and HEAD have none, and every answer
/// closes its connection.
pub(crate) fn read_head(stream: &mut TcpStream, limits: &Limits) -> Result<Vec<u8>, Refusal> {
    let deadline = Instant::now() + limits.head_timeout;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Refusal::TooSlow);
        }
        let room = (limits.max_head + 1 - head.len()).min(buf.len());
        let n = match stream.read(&mut buf[..room]) {
            Ok(0) => return Err(Refusal::Closed),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(Refusal::TooSlow);
            }
            Err(_) => return Err(Refusal::Closed),
        };
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head_end(&head[from..]) {
            head.truncate(from + end);
            return Ok(head);
        }
        if head.len() > limits.max_head {
            return Err(Refusal::TooLarge);
        }
    }
}

/// Where the head in `bytes` ends: just after its empty line (`\n\n` or `\n\r\n`).
fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).enumerate().find_map(|(i, w)| match w {
        b"\n\n" => Some(i + 2),
        b"\n\r" if bytes.get(i + 2) == Some(&b'\n') => Some(i + 3),
        _ => None,
    })
}

/// How long `tiny_http` may take to answer (a request waiting for a rebuild waits up
/// to a minute, a long-poll 25 s) before the connection is given up.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(300);

/// Hands `head` to `tiny_http` and copies its answer to the client.
fn forward(head: &[u8], client: &mut TcpStream, inner: SocketAddr) -> io::Result<u64> {
    let mut up = TcpStream::connect_timeout(&inner, Duration::from_secs(5))?;
    up.set_nodelay(true)?;
    up.set_read_timeout(Some(ANSWER_TIMEOUT))?;
    up.write_all(head)?;
    // The end of the stream after the request: `tiny_http`'s connection thread ends
    // once it has queued it, instead of waiting for a next request.
    up.shutdown(Shutdown::Write)?;
    client.set_nodelay(true)?;
    client.set_write_timeout(Some(super::WRITE_TIMEOUT))?;
    io::copy(&mut up, client)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connected pair on loopback: (client, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        (c, l.accept().unwrap().0)
    }

    #[test]
    fn a_1_mib_head_is_refused_after_the_limit_not_read_whole() {
        let (mut client, mut server) = pair();
        let sender = thread::spawn(move || {
            let mut head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ".to_vec();
            head.resize(1024 * 1024, b'a');
            head.extend_from_slice(b"\r\n\r\n");
            client.write_all(&head).unwrap();
            head.len()
        });
        let limits = Limits::default();
        let started = Instant::now();
        assert_eq!(read_head(&mut server, &limits), Err(Refusal::TooLarge));
        let elapsed = started.elapsed();
        // What read_head left unread is everything it did not take.
        server
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut rest = Vec::new();
        server.read_to_end(&mut rest).unwrap();
        let sent = sender.join().unwrap();
        let read = sent - rest.len();
        assert_eq!(read, limits.max_head + 1, "read {read} of {sent} bytes");
        assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    }

    #[test]
    fn a_head_ends_at_its_empty_line_and_what_follows_is_dropped() {
        let (mut client, mut server) = pair();
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\n")
            .unwrap();
        let head = read_head(&mut server, &Limits::default()).unwrap();
        assert_eq!(head, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(head_end(b"GET / HTTP/1.0\n\nrest"), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.0\r\nA: b\r\n"), None);
    }

    #[test]
    fn a_trickled_head_still_has_only_the_head_timeout() {
        let (mut client, mut server) = pair();
        let limits = Limits {
            head_timeout: Duration::from_millis(200),
            ..Limits::default()
        };
        let trickle = thread::spawn(move || {
            for _ in 0..20 {
                if client.write_all(b"X-A: b\r\n").is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(50));
            }
        });
        let started = Instant::now();
        assert_eq!(read_head(&mut server, &limits), Err(Refusal::TooSlow));
        let elapsed = started.elapsed();
        assert!(
            elapsed >= Duration::from_millis(190) && elapsed < Duration::from_millis(600),
            "{elapsed:?}"
        );
        drop(server);
        trickle.join().unwrap();
    }
}
