//! `serve`: build the site in memory, serve it over HTTP, rebuild when the content changes
//! and tell open pages to reload.
//!
//! The moving parts, each in its own module:
//!
//! ```text
//!            notify events                         Output + generation + error
//! content/ ─────────────▶ watch (debounce) ──render──▶ State ◀── http workers ◀── tiny_http
//! themes/                                                │                     (GET, HEAD)
//!                                                        └──▶ livereload hub: answers parked
//!                                                             long-polls when the generation moves
//! ```
//!
//! - `watch` turns bursts of file-system events into one rebuild, ignores editor temp
//!   files, and never drops a deletion or a rename: every rebuild walks `content/` again
//!   and re-renders the whole site, so a deleted page disappears (Zola keeps it until a
//!   restart). Only files whose size, time or inode changed, or that an event named,
//!   are read and parsed again ([`build::Cache`]).
//! - After an edit, the pages open in a browser (each tab's long-poll names its page)
//!   are rendered first, from the new content, and published at once: the tabs reload
//!   while the rest of the site renders. Until it is done only those pages (and the
//!   static files) are served; any other request waits for it, so nothing stale is ever
//!   served. The whole site is then published under the same generation, unless it
//!   differs from what the tabs got, which reloads them again. At 10,000 spaces the open
//!   page arrives in a tenth of the time of the whole rebuild (see the README).
//! - `rebuild` runs one rebuild (open pages first, then the whole site) and publishes
//!   each result as a new snapshot.
//! - `http` answers requests from the last good [`Output`] in memory. Nothing a request
//!   says is ever turned into a file-system path, and the request path is checked anyway
//!   (`..`, `%2e%2e`, `%2f`, backslashes, NUL → 400).
//! - `livereload` holds the long-polls and writes the reload script and the error
//!   overlay, which the HTTP layer injects into HTML responses only: the output of
//!   `build` never contains them.
//! - `respond` writes one answer on the wire; `http` and `livereload` both use it, and
//!   only `http` uses `livereload` (never the other way round).
//! - A site whose `base_url` has a path (a GitHub Pages project site,
//!   `https://org.github.io/directory/`, from site.yaml or `--base-url`) is served
//!   under that path, as it will be published: `/directory/...` serves the site, `/`
//!   redirects there, and the live-reload endpoint is `/directory/__hotdesk/...` too
//!   (and `/__hotdesk/...`, for tools).
//!
//! A failed rebuild keeps the last good site, records the rendered diagnostics as the
//! current error and bumps the generation, so open pages show the overlay over the last
//! good page; the next good rebuild clears it and the pages reload.
//!
//! Threads: `front` accepts on the preview's port and gives each connection one thread
//! of at most [`Limits::max_connections`]; it reads the request head within
//! [`Limits`] (431 when too large, 408 when too slow; when every thread is taken the
//! connection that has waited longest for its head is closed) and passes whole heads to
//! `tiny_http` on a loopback port of its own, so idle, stalled or huge requests never
//! reach it. `tiny_http` reads each of those on a thread of its own pool and queues the
//! requests; [`ServeConfig::workers`] threads (8) answer them; one hub thread answers the
//! held long-polls, so an open tab holds no worker; one thread debounces and rebuilds;
//! one checks that the server answers and works around a `tiny_http` pool bug that can
//! leave a connection unserved behind stalled ones (see `nudge`). Every answer closes
//! its connection, and writes give up after [`WRITE_TIMEOUT`].
//!
//! Like the rest of the library this module never prints: it reports what happened as
//! [`Event`]s to the callback in [`ServeConfig::on_event`], and `cli` prints them.

mod front;
mod http;
mod livereload;
mod rebuild;
mod respond;
mod watch;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::build::{self, Options, Output};
use crate::error::Error;

pub use front::Limits;
pub use watch::is_editor_temp;

/// The port `hotdesk serve` tries first when no `--port` is given.
pub const DEFAULT_PORT: u16 = 1111;

/// Receives what the server does: one call per build.
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;

/// How file-system events are grouped into rebuilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Debounce {
    /// Rebuild once no event came for this long...
    pub quiet: Duration,
    /// ...or this long after the first event of a burst, whichever comes first, so a
    /// never-ending stream of writes still gets rebuilds.
    pub max: Duration,
}

impl Default for Debounce {
    /// 25 ms of quiet (an editor's save, or a `git checkout` of a hundred files, is one
    /// burst: their events come well under a millisecond apart), 500 ms at most. A burst
    /// split by a longer pause costs one more rebuild, never a wrong site; every
    /// millisecond here is one the developer waits after each save.
    fn default() -> Self {
        Debounce {
            quiet: Duration::from_millis(25),
            max: Duration::from_millis(500),
        }
    }
}

/// Everything [`Server::start`] needs.
pub struct ServeConfig {
    /// The site to build (its `root` holds `content/` and `themes/`).
    pub opts: Options,
    /// Where to listen. Port 0 lets the system choose.
    pub bind: SocketAddr,
    /// When the port of `bind` is taken, listen on a port the system chooses instead of
    /// failing (used when the user did not ask for a port).
    pub fall_back_to_any_port: bool,
    pub debounce: Debounce,
    /// Threads answering requests. Long-polls do not hold one.
    pub workers: usize,
    /// Watch `content/` and `themes/` and rebuild on change.
    pub watch: bool,
    /// Request head size, head timeout, connections at once.
    pub limits: Limits,
    /// Receives one [`Event`] per build (the initial one included, before `start` returns).
    pub on_event: Option<EventSink>,
}

impl ServeConfig {
    pub fn new(opts: Options, bind: SocketAddr) -> Self {
        ServeConfig {
            opts,
            bind,
            fall_back_to_any_port: false,
            debounce: Debounce::default(),
            workers: 8,
            watch: true,
            limits: Limits::default(),
            on_event: None,
        }
    }
}

/// What happened, for the terminal.
#[derive(Debug, Clone)]
pub enum Event {
    /// A build succeeded and is now served.
    Built {
        /// The build made when the server started.
        initial: bool,
        generation: u64,
        pages: usize,
        files: usize,
        elapsed: Duration,
        /// After an edit, the pages open in a browser, rendered and served before the
        /// rest of the site: how many, and how long after the build started.
        first: Option<(usize, Duration)>,
        warning_count: usize,
        /// The warnings, rendered with file:line (empty when there are none).
        warnings: String,
    },
    /// A build failed; the last good site (if any) is still served, with the overlay.
    Failed {
        initial: bool,
        generation: u64,
        elapsed: Duration,
        /// The diagnostics, rendered with file:line and caret.
        diagnostics: String,
    },
    /// The watcher could not watch something or reported an error; serving goes on.
    WatchError(String),
}

/// The server's state as tests and `/__hotdesk/status` see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Bumped by every build, good or bad. 1 after the initial build.
    pub generation: u64,
    /// The rendered diagnostics of the last build, when it failed.
    pub error: Option<String>,
    /// Whether a good build exists (the initial build may have failed).
    pub has_site: bool,
    /// HTML pages of the site being served.
    pub pages: usize,
}

/// One published build: what requests see. Swapped whole, never mutated.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub generation: u64,
    /// The path of the site's `base_url` (percent-encoded, with a trailing slash): `/`,
    /// or e.g. `/directory/` for a GitHub Pages project site, which is then served under
    /// `/directory/` as it will be published (see `http::route`). From the last good
    /// build, or `--base-url` before one.
    pub base_path: Arc<str>,
    /// The last good site; `None` until a build succeeded.
    pub site: Option<Arc<Output>>,
    /// The rendered diagnostics of the last build, when it failed.
    pub error: Option<Arc<str>>,
    /// Right after an edit, while the rest of the site renders: the pages that were open
    /// in a browser (and the static files), rendered first from the new content. Only
    /// they are served; any other request waits for the whole build (see
    /// [`Shared::wait_until_whole`]), so nothing stale is ever served.
    pub first: Option<Arc<Output>>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            generation: 0,
            base_path: Arc::from("/"),
            site: None,
            error: None,
            first: None,
        }
    }
}

/// The path of `url` as [`Snapshot::base_path`] holds it.
fn base_path_of(url: &url::Url) -> Arc<str> {
    Arc::from(url.path())
}

#[derive(Default)]
pub(crate) struct State {
    pub snap: Arc<Snapshot>,
    pub parked: Vec<livereload::Parked>,
    pub stopping: bool,
}

/// What the threads share: the state behind one mutex (held only to swap or clone an
/// `Arc`, or to park a request), one condition variable for "the state changed", and
/// the host names requests may use.
pub(crate) struct Shared {
    state: Mutex<State>,
    pub changed: Condvar,
    pub hosts: http::Hosts,
    stopping: AtomicBool,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave `State` half-changed (every change
        // is one assignment), so a poisoned lock is still good to use.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.lock().snap)
    }

    /// Waits until the build after `snap` is whole (or another one started), at most
    /// [`WHOLE_WAIT`]; then, or when stopping, the latest snapshot. A snapshot still
    /// waiting for its whole build after that is served as the previous build.
    pub(crate) fn wait_until_whole(&self, snap: &Arc<Snapshot>) -> Arc<Snapshot> {
        let deadline = Instant::now() + WHOLE_WAIT;
        let mut st = self.lock();
        while Arc::ptr_eq(&st.snap, snap) && !st.stopping {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            st = self
                .changed
                .wait_timeout(st, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        if Arc::ptr_eq(&st.snap, snap) {
            // Waited long enough (or stopping): the previous build, whole, rather than
            // no answer.
            return Arc::new(Snapshot {
                generation: snap.generation,
                base_path: Arc::clone(&snap.base_path),
                site: snap.site.clone(),
                error: snap.error.clone(),
                first: None,
            });
        }
        Arc::clone(&st.snap)
    }

    fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

/// A running preview server. Dropping it shuts it down too.
pub struct Server {
    front: Option<front::Front>,
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    workers: Vec<JoinHandle<()>>,
    hub: Option<JoinHandle<()>>,
    nudger: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
    watch: Option<watch::Handle>,
}

impl Server {
    /// Binds, builds the site once (a failure is served as an error page, not returned),
    /// starts watching and answering, and returns. Fails only when it cannot listen.
    pub fn start(config: ServeConfig) -> Result<Server, Error> {
        let ServeConfig {
            opts,
            bind,
            fall_back_to_any_port,
            debounce,
            workers,
            watch,
            limits,
            on_event,
        } = config;
        let listener = listen(bind, fall_back_to_any_port)?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot listen on {bind}: {e}")))?;
        // `tiny_http` listens on a loopback port of its own, behind `front`.
        let inner = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .or_else(|_| TcpListener::bind((Ipv6Addr::LOCALHOST, 0)))
            .and_then(|l| Ok((l.local_addr()?, l)))
            .map_err(|e| Error::Usage(format!("cannot listen on loopback: {e}")))?;
        let (inner_addr, inner) = inner;
        let http = tiny_http::Server::from_listener(inner, None)
            .map_err(|e| Error::Usage(format!("cannot listen on {inner_addr}: {e}")))?;
        // Until a build succeeds, the site's path is `--base-url`'s (site.yaml's is not
        // known yet).
        let state = State {
            snap: Arc::new(Snapshot {
                base_path: opts
                    .base_url
                    .as_ref()
                    .map_or_else(|| Arc::from("/"), base_path_of),
                ..Snapshot::default()
            }),
            ..State::default()
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            changed: Condvar::new(),
            hosts: http::Hosts::new(addr),
            stopping: AtomicBool::new(false),
        });
        let sink: EventSink = on_event.unwrap_or_else(|| Arc::new(|_| {}));
        let builder = Arc::new(rebuild::Builder {
            opts,
            shared: Arc::clone(&shared),
            sink: Arc::clone(&sink),
            cache: Mutex::new(build::Cache::default()),
        });

        // Watch before the first build, so an edit made while it runs is not missed.
        let watch = if watch {
            let b = Arc::clone(&builder);
            let s = Arc::clone(&sink);
            Some(watch::Handle::start(
                &builder.opts.root,
                debounce,
                move |changed| b.rebuild(false, changed),
                move |msg| s(Event::WatchError(msg)),
            ))
        } else {
            None
        };
        builder.rebuild(true, Some(Vec::new()));

        let http = Arc::new(http);
        let workers = (0..workers.max(1))
            .map(|i| {
                let (shared, http) = (Arc::clone(&shared), Arc::clone(&http));
                thread::Builder::new()
                    .name(format!("hotdesk-http-{i}"))
                    .spawn(move || http::worker(&shared, &http))
                    .expect("spawning a thread")
            })
            .collect();
        let hub = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("hotdesk-livereload".into())
                .spawn(move || livereload::hub(&shared))
                .expect("spawning a thread")
        };
        let nudger = {
            let (tx, rx) = mpsc::channel();
            let thread = thread::Builder::new()
                .name("hotdesk-nudge".into())
                .spawn(move || nudge(inner_addr, loopback(addr), &rx))
                .expect("spawning a thread");
            Some((tx, thread))
        };
        let front = front::Front::start(listener, inner_addr, limits)
            .map_err(|e| Error::Usage(format!("cannot listen on {addr}: {e}")))?;
        Ok(Server {
            front: Some(front),
            shared,
            http,
            addr,
            workers,
            hub: Some(hub),
            nudger,
            watch,
        })
    }

    /// The address the server listens on (with the port the system chose, for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL to open: the listening address, or loopback when listening on all
    /// addresses, and the path of the site's `base_url` (`/`, or e.g. `/directory/`).
    pub fn url(&self) -> String {
        let base_path = Arc::clone(&self.shared.snapshot().base_path);
        format!("http://{}{base_path}", loopback(self.addr))
    }

    pub fn generation(&self) -> u64 {
        self.shared.snapshot().generation
    }

    pub fn status(&self) -> Status {
        status_of(&self.shared.snapshot())
    }

    /// Waits until the generation is greater than `after`, at most `timeout`; returns
    /// the status then, or `None` on timeout.
    pub fn wait_for_generation(&self, after: u64, timeout: Duration) -> Option<Status> {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            if st.snap.generation > after {
                return Some(status_of(&st.snap));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            st = self
                .shared
                .changed
                .wait_timeout(st, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Stops accepting, answers the parked long-polls, stops watching and joins every
    /// thread this server started. Connections that stay open are closed by the
    /// operating system when the process ends.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.shared.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Some(mut front) = self.front.take() {
            front.stop();
        }
        self.shared.lock().stopping = true;
        self.shared.changed.notify_all();
        if let Some((tx, nudger)) = self.nudger.take() {
            drop(tx);
            let _ = nudger.join();
        }
        if let Some(hub) = self.hub.take() {
            let _ = hub.join();
        }
        for _ in 0..self.workers.len() {
            self.http.unblock();
        }
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
        if let Some(watch) = self.watch.take() {
            watch.stop();
        }
        // Dropping the last `Arc<tiny_http::Server>` (here, with `self`) stops its
        // accept thread.
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `addr`, with loopback for an unspecified (all-addresses) IP.
fn loopback(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// How often [`nudge`] checks that the server answers.
const NUDGE_EVERY: Duration = Duration::from_millis(250);

/// Works around `tiny_http` 0.12 leaving connections unserved.
///
/// `tiny_http` hands each accepted connection to a thread pool (`util::TaskPool`) that
/// decides whether to start a thread by counting its idle threads, and that count still
/// includes a thread just woken for an earlier connection. So when connections arrive
/// close together, one can be queued with no thread to run it, until a pool thread
/// finishes its connection or a later connection wakes one. When the pool's threads hold
/// connections that do not end — a client that connected and sent nothing, a browser's
/// idle keep-alive connection, a long-poll — the queued connection waits as long: in
/// tests it waited forever. A thread that finishes serves the queue in order.
///
/// So every [`NUDGE_EVERY`] this asks the server for `/__hotdesk/ping`; while the answer
/// does not come, it opens and at once closes more connections (each starts or wakes a
/// pool thread, which ends the empty connection and takes the next queued one) until it
/// does. A connection queued behind stalled ones is then served within about
/// `NUDGE_EVERY`. Stops when `stop`'s sender is dropped.
fn nudge(addr: SocketAddr, public: SocketAddr, stop: &mpsc::Receiver<()>) {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    /// Empty connections opened at a time while the answer does not come, and at most
    /// how many times per check (workers stuck for another reason are not helped by
    /// more).
    const BATCH: usize = 8;
    const MAX_BATCHES: usize = 50;
    // To `tiny_http` itself (`addr`), past `front`, with the `Host` of the preview.
    let ping =
        format!("GET /__hotdesk/ping HTTP/1.1\r\nHost: {public}\r\nConnection: close\r\n\r\n");
    let connect = || TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(NUDGE_EVERY) {
        let Ok(mut stream) = connect() else { continue };
        if stream
            .set_read_timeout(Some(Duration::from_millis(20)))
            .is_err()
            || stream.write_all(ping.as_bytes()).is_err()
        {
            continue;
        }
        let mut byte = [0u8; 1];
        for _ in 0..MAX_BATCHES {
            match stream.read(&mut byte) {
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    for _ in 0..BATCH {
                        // Closed at once: tiny_http reads the end of the stream and
                        // moves on to the next queued connection.
                        let _ = connect();
                    }
                }
                // Answered (or refused): the queue moves.
                _ => break,
            }
        }
    }
}

fn status_of(snap: &Snapshot) -> Status {
    Status {
        generation: snap.generation,
        error: snap.error.as_deref().map(str::to_owned),
        has_site: snap.site.is_some(),
        pages: snap.site.as_ref().map_or(0, |s| s.page_count()),
    }
}

/// How long a request for a page not rendered first waits for the rest of the site.
const WHOLE_WAIT: Duration = Duration::from_secs(60);

/// How long writing an answer may stall (a client that does not read it) before the
/// worker thread gives up on that client.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Binds `addr`, with errors a person can act on.
///
/// `tiny_http` accepts connections itself and never shows them to us, so the write
/// timeout is set on the listening socket, which accepted sockets inherit (Linux, macOS
/// and the BSDs). A read timeout cannot be set that way: on the listening socket it
/// would also end `accept`, and `tiny_http`'s accept loop stops for good at its first
/// error.
fn listen(addr: SocketAddr, fall_back_to_any_port: bool) -> Result<TcpListener, Error> {
    match bind(addr) {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == io::ErrorKind::AddrInUse && fall_back_to_any_port => {
            listen(SocketAddr::new(addr.ip(), 0), false)
        }
        Err(e) => Err(Error::Usage(match e.kind() {
            io::ErrorKind::AddrInUse => format!(
                "port {} is already in use on {} (is another `hotdesk serve` running?); \
                 pick another with --port, or use --port 0 to let the system choose a free one",
                addr.port(),
                addr.ip()
            ),
            io::ErrorKind::AddrNotAvailable => format!(
                "cannot listen on {}: it is not an address of this machine ({e})",
                addr.ip()
            ),
            io::ErrorKind::PermissionDenied => format!(
                "not allowed to listen on {addr} ({e}); ports below 1024 need privileges: \
                 use another --port"
            ),
            _ => format!("cannot listen on {addr}: {e}"),
        })),
    }
}

fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // As `std::net::TcpListener::bind` does: a restarted server can take its port back
    // while old connections linger in TIME_WAIT.
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.set_write_timeout(Some(WRITE_TIMEOUT))?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}
