//! Command-line interface: one `*Args` struct per subcommand, each with a `run`.
//!
//! `run` writes the report to the writers it is given and returns the exit status;
//! `main.rs` only parses arguments and passes stdout and stderr.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;

use crate::build::{self, Options};
use crate::error::{Error, Exit};
use crate::report_format;
use crate::serve::{self, ServeConfig};

pub mod audit;
pub mod report;

#[derive(Debug, Parser)]
#[command(
    name = "hotdesk",
    version,
    about = "Build a coworking directory that favours no space"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the content and render the site into the output folder.
    Build(BuildArgs),
    /// Validate the content and report every problem; writes nothing.
    Check(CheckArgs),
    /// Serve the site from memory, rebuild on every change and reload open pages.
    Serve(ServeArgs),
    /// Replay the daily listing order over a window of days and test that it favours
    /// no space (exit 1 if a list does).
    Audit(audit::AuditArgs),
    /// Write a new space, session, partnership or page with every field, the required
    /// ones as REPLACE: placeholders; refuses to overwrite a file.
    New(crate::scaffold::NewArgs),
    /// Create a new site (content, schemas, editor settings) in an empty folder.
    Init(crate::scaffold::InitArgs),
    /// Write the JSON Schemas of the content files (for editors) into a folder.
    Schema(crate::schema::SchemaArgs),
    /// Summarise, in Markdown, what changed in the directory since a git revision.
    Diff(crate::diff::DiffArgs),
    /// Show how each partnership's sessions are spread across spaces and regions over
    /// the last and next 12 months, with the fairness warnings `check` gives.
    Report(report::ReportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// The folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The build's date and time (RFC 3339, e.g. 2026-11-25T12:00:00Z, or a date
    /// YYYY-MM-DD meaning noon UTC). Splits sessions into upcoming and past and seeds
    /// the day's listing order. Defaults to $SOURCE_DATE_EPOCH, then the current time.
    #[arg(long, value_parser = parse_now)]
    pub now: Option<Timestamp>,
}

impl SiteArgs {
    pub fn options(&self) -> Options {
        let now = self.now.unwrap_or_else(|| {
            std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .and_then(|secs| Timestamp::from_second(secs).ok())
                .unwrap_or_else(Timestamp::now)
        });
        Options::new(&self.root, now)
    }
}

pub fn parse_now(s: &str) -> Result<Timestamp, String> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return d
            .at(12, 0, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    Err(format!(
        "`{s}` is neither an RFC 3339 time (2026-11-25T12:00:00Z) nor a date (2026-11-25)"
    ))
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site; `public` under the root by default.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to report: for a person, as GitHub Actions annotations (plus a job summary
    /// in $GITHUB_STEP_SUMMARY), or as JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: report_format::Format,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
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
}

pub fn run(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let result = match &cli.command {
        Command::Build(a) => a.run(out, err),
        Command::Check(a) => a.run(out, err),
        Command::Serve(a) => a.run(out, err),
        Command::Audit(a) => a.run(out, err),
        Command::New(a) => a.run(out, err),
        Command::Init(a) => a.run(out, err),
        Command::Schema(a) => a.run(out, err),
        Command::Diff(a) => a.run(out, err),
        Command::Report(a) => a.run(out, err),
    };
    match result {
        Ok(code) => code,
        Err(Error::Invalid(diags)) => {
            let _ = write!(err, "{}", diags.render());
            Exit::Invalid
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            e.exit_code()
        }
    }
}

impl BuildArgs {
    pub fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Error> {
        let opts = self.site.options();
        let output = self
            .output
            .clone()
            .unwrap_or_else(|| opts.root.join("public"));
        let started = std::time::Instant::now();
        let (site, diags) = build::build(&opts, &output)?;
        if !diags.is_empty() {
            let _ = write!(err, "{}", diags.render());
        }
        let _ = writeln!(
            out,
            "built {} pages ({} files, {} KB) into {} in {} ms",
            site.page_count(),
            site.files.len(),
            site.total_bytes() / 1024,
            output.display(),
            started.elapsed().as_millis()
        );
        if let Some(summary) = &site.summary {
            let _ = writeln!(out, "{summary}");
        }
        Ok(Exit::Ok)
    }
}

impl CheckArgs {
    pub fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Error> {
        let opts = self.site.options();
        // Check renders too (in memory) so template errors and output collisions are
        // caught, but writes nothing. It renders a sample of the pages (every template,
        // every card, the first page of each repeated kind) and claims every output path:
        // see `build::render_check`.
        let (output, diags) = match build::render_check(&opts) {
            Ok((output, diags)) => (Some(output), diags),
            Err(Error::Invalid(diags)) => (None, diags),
            Err(e) => return Err(e),
        };
        let report = report_format::ReportOptions::from_env(self.format, &self.site.root);
        report_format::report(&diags, &report, out, err)?;
        if let (report_format::Format::Human, Some(summary)) = (
            self.format,
            output.as_ref().and_then(|o| o.summary.as_ref()),
        ) {
            let _ = writeln!(out, "{summary}");
        }
        if diags.has_errors() || (self.deny_warnings && diags.warning_count() > 0) {
            Ok(Exit::Invalid)
        } else {
            Ok(Exit::Ok)
        }
    }
}

impl ServeArgs {
    /// Serves until Ctrl-C. Build problems are shown (terminal and browser) and served
    /// around, never returned: the only errors are the ones that stop it from listening.
    pub fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Error> {
        // One channel carries the server's events and Ctrl-C (`None`), so this thread,
        // which owns the writers, prints everything in order.
        let (tx, rx) = mpsc::channel::<Option<serve::Event>>();
        let events = tx.clone();
        let mut config = ServeConfig::new(
            self.site.options(),
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
