//! `hotdesk serve`: start [`crate::serve::Server`], print its events in order until
//! Ctrl-C, optionally open a browser. The server itself never prints; this does.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, mpsc};

use clap::Args;

use super::site::{BaseUrlArg, SiteArgs};
use crate::error::{Error, Exit};
use crate::serve::{self, ServeConfig};

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port to listen on (0: any free port). Without it, 1111, or a free port when
    /// 1111 is taken.
    #[arg(long)]
    pub port: Option<u16>,
    /// The address to listen on. Anything but loopback makes the preview reachable from
    /// other machines.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the site in the default browser (when `xdg-open` or `open` is there).
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub base_url: BaseUrlArg,
}

impl ServeArgs {
    /// Serves until Ctrl-C. Build problems are shown (terminal and browser) and served
    /// around, never returned: the only errors are the ones that stop it from listening.
    pub(crate) fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Error> {
        // One channel carries the server's events and Ctrl-C (`None`), so this thread,
        // which owns the writers, prints everything in order.
        let (tx, rx) = mpsc::channel::<Option<serve::Event>>();
        let events = tx.clone();
        let mut opts = self.site.options();
        opts.base_url.clone_from(&self.base_url.base_url);
        let mut config = ServeConfig::new(
            opts,
            SocketAddr::new(self.bind, self.port.unwrap_or(serve::DEFAULT_PORT)),
        );
        config.fall_back_to_any_port = self.port.is_none();
        config.on_event = Some(Arc::new(move |e| {
            let _ = events.send(Some(e));
        }));
        let server = serve::Server::start(config)?;
        if let Err(e) = ctrlc::set_handler(move || {
            let _ = tx.send(None);
        }) {
            let _ = writeln!(
                err,
                "warning: cannot catch Ctrl-C ({e}); stop the server with a signal"
            );
        }
        let mut printer = ServePrinter::default();
        let mut stop = false;
        // The initial build reported before `start` returned: print it before the URL.
        while let Ok(msg) = rx.try_recv() {
            match msg {
                Some(e) => printer.print(&e, out, err),
                None => stop = true,
            }
        }
        if !self.bind.is_loopback() {
            let _ = writeln!(
                err,
                "warning: listening on {}: the preview is reachable from other machines",
                server.addr()
            );
        }
        let url = server.url();
        let _ = writeln!(out, "serving {url} (Ctrl-C to stop)");
        let _ = out.flush();
        if self.open && !open_in_browser(&url) {
            let _ = writeln!(err, "note: could not start a browser; open {url} yourself");
        }
        while !stop {
            match rx.recv() {
                Ok(Some(e)) => printer.print(&e, out, err),
                Ok(None) | Err(_) => stop = true,
            }
        }
        server.shutdown();
        let _ = writeln!(out, "stopped");
        Ok(Exit::Ok)
    }
}

/// Prints serve events: one line per good build; warnings when they change; the
/// diagnostics of every failed build.
#[derive(Default)]
struct ServePrinter {
    warnings: String,
}

impl ServePrinter {
    fn print(&mut self, event: &serve::Event, out: &mut dyn Write, err: &mut dyn Write) {
        match event {
            serve::Event::Built {
                initial,
                pages,
                elapsed,
                first,
                warning_count,
                warnings,
                ..
            } => {
                if *warnings != self.warnings {
                    let _ = write!(err, "{warnings}");
                    self.warnings.clone_from(warnings);
                }
                let _ = writeln!(
                    out,
                    "{} {pages} pages in {} ms{}{}",
                    if *initial { "built" } else { "rebuilt" },
                    elapsed.as_millis(),
                    match first {
                        Some((n, at)) => format!(
                            " (the {n} open in a browser first, in {} ms)",
                            at.as_millis()
                        ),
                        None => String::new(),
                    },
                    match warning_count {
                        0 => String::new(),
                        1 => " (1 warning)".into(),
                        n => format!(" ({n} warnings)"),
                    }
                );
            }
            serve::Event::Failed {
                initial,
                diagnostics,
                ..
            } => {
                self.warnings.clear();
                let _ = write!(err, "{diagnostics}");
                let _ = writeln!(
                    err,
                    "{}",
                    if *initial {
                        "the site could not be built: serving an error page until the problems are fixed"
                    } else {
                        "rebuild failed: still serving the last good site, with the errors shown over it"
                    }
                );
            }
            serve::Event::WatchError(msg) => {
                let _ = writeln!(err, "warning: {msg}");
            }
        }
        let _ = out.flush();
    }
}

/// Starts the system's browser on `url`, if there is a way to; never waits for it.
fn open_in_browser(url: &str) -> bool {
    use std::process::{Command as Process, Stdio};
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    match Process::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            // Reap it when it exits, so it does not linger as a zombie.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}
