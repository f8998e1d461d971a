//! Command-line interface: one `*Args` struct per subcommand, each with a `run`.
//!
//! `run` writes the report to the writers it is given and returns the exit status;
//! `main.rs` only parses arguments and passes stdout and stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use jiff::Timestamp;

use crate::build::{self, Options};
use crate::error::{Error, Exit};

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
}

pub fn run(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let result = match &cli.command {
        Command::Build(a) => a.run(out, err),
        Command::Check(a) => a.run(out, err),
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
        Ok(Exit::Ok)
    }
}

impl CheckArgs {
    pub fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Error> {
        let opts = self.site.options();
        // Check renders too (in memory) so template errors are caught, but writes nothing.
        let diags = match build::render(&opts) {
            Ok((_, diags)) => diags,
            Err(Error::Invalid(diags)) => diags,
            Err(e) => return Err(e),
        };
        let _ = std::io::stderr().is_terminal();
        if diags.is_empty() {
            let _ = writeln!(out, "no problems found");
            return Ok(Exit::Ok);
        }
        let _ = write!(err, "{}", diags.render());
        if diags.has_errors() || (self.deny_warnings && diags.warning_count() > 0) {
            Ok(Exit::Invalid)
        } else {
            Ok(Exit::Ok)
        }
    }
}
