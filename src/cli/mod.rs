//! Command-line interface: every clap type of hotdesk, one file per subcommand, each
//! `*Args` struct with a `run`.
//!
//! This is the only module that knows clap. The library modules it calls (`build`,
//! `serve`, `scaffold`, `schema`, `diff`, `audit`, `report`, `report_format`) take plain
//! values and options structs and never import `cli`; the flags they share (`--root`,
//! `--now`, `--base-url`) are parsed once, in [`site`].
//!
//! `run` writes the report to the writers it is given and returns the exit status;
//! `main.rs` only parses arguments and passes stdout and stderr.

use std::io::Write;

use clap::{Parser, Subcommand};

use crate::error::{Error, Exit};

mod audit;
mod build;
mod check;
mod diff;
mod init;
mod new;
mod report;
mod schema;
mod serve;
mod site;

pub use site::parse_now;

#[derive(Debug, Parser)]
#[command(
    name = "hotdesk",
    version,
    about = "Build a coworking directory that favours no space"
)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Validate the content and render the site into the output folder.
    Build(build::BuildArgs),
    /// Validate the content and report every problem; writes nothing.
    Check(check::CheckArgs),
    /// Serve the site from memory, rebuild on every change and reload open pages.
    Serve(serve::ServeArgs),
    /// Replay the daily listing order over a window of days and test that it favours
    /// no space (exit 1 if a list does).
    Audit(audit::AuditArgs),
    /// Write a new space, session, partnership or page with every field, the required
    /// ones as REPLACE: placeholders; refuses to overwrite a file.
    New(new::NewArgs),
    /// Create a new site (content, schemas, editor settings) in an empty folder.
    Init(init::InitArgs),
    /// Write the JSON Schemas of the content files (for editors) into a folder.
    Schema(schema::SchemaArgs),
    /// Summarise, in Markdown, what changed in the directory since a git revision.
    Diff(diff::DiffArgs),
    /// Show how each partnership's sessions are spread across spaces and regions over
    /// the last and next 12 months, with the fairness warnings `check` gives.
    Report(report::ReportArgs),
}

/// Runs the parsed command; prints an error that stopped it to `err`.
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
