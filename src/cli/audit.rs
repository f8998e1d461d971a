//! `hotdesk audit`: replay the site's daily order over a window of days and test it.
//!
//! Exit 0 when every list passes, 1 when a list's order is not uniform at the documented
//! tolerance (or the window is too short to tell, or the content is invalid), 2 on usage
//! or I/O errors. The JSON format is byte-for-byte the `/data/neutrality.json` that a
//! build with the same `--now` publishes (for the default 365 days).

use std::io::Write;

use clap::{Args, ValueEnum};

use super::site::SiteArgs;
use crate::audit::{self, DEFAULT_DAYS};
use crate::build;
use crate::error::{Error, Exit};

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How many days to replay, ending on the day of --now.
    #[arg(long, default_value_t = DEFAULT_DAYS, value_parser = clap::value_parser!(u32).range(1..))]
    pub days: u32,
    /// `human` for a person, `json` for the report published as /data/neutrality.json.
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AuditFormat {
    Human,
    Json,
}

impl AuditArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Exit, Error> {
        let opts = self.site.options();
        let (site, idx, _) = build::validated(&opts)?;
        let report = audit::audit_site(&site, &idx, self.days);
        let stdout = |e| Error::io("<stdout>", e);
        match self.format {
            AuditFormat::Human => out.write_all(report.human().as_bytes()),
            AuditFormat::Json => out.write_all(&report.to_json()),
        }
        .map_err(stdout)?;
        Ok(if report.passes() {
            Exit::Ok
        } else {
            Exit::Invalid
        })
    }
}
