//! `hotdesk check`: validate and render a sample in memory, report every problem in the
//! chosen format ([`crate::report_format`]), write nothing. Exit 1 on errors (and on
//! warnings with `--deny-warnings`).

use std::io::Write;

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use super::site::SiteArgs;
use crate::build;
use crate::error::{Error, Exit};
use crate::report_format::{self, Format};

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to report: for a person, as GitHub Actions annotations (plus a job summary
    /// in $GITHUB_STEP_SUMMARY), or as JSON.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `--format`'s values. Written out here rather than derived on [`Format`] so that
/// `report_format` does not depend on clap.
impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Human, Format::Github, Format::Json]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Format::Human => PossibleValue::new("human")
                .help("For a person: headline, the line with a caret, help (stderr)"),
            Format::Github => PossibleValue::new("github")
                .help("GitHub Actions annotations (stdout) and a job summary table"),
            Format::Json => PossibleValue::new("json")
                .help("A JSON document (stdout); see the README for its shape"),
        })
    }
}

impl CheckArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Error> {
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
        if let (Format::Human, Some(summary)) = (
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
