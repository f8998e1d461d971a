//! `hotdesk report`: how each partnership's sessions are spread across spaces and
//! regions over the last and next 12 months (see [`crate::report`]).
//!
//! Prints the report and its warnings; exit 0 whatever it finds (it informs, `check
//! --deny-warnings` enforces), 1 when the content is invalid, 2 on usage or I/O errors.

use std::io::Write;

use clap::Args;

use super::site::SiteArgs;
use crate::build;
use crate::error::{Error, Exit};

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The share of a partnership's in-person session dates one space may host before
    /// a warning (0 to 1); `fairness.max_session_share` in site.yaml, else 0.4.
    #[arg(long, value_parser = parse_share)]
    pub max_share: Option<f64>,
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!("`{s}` is not a share between 0 and 1, e.g. 0.4")),
    }
}

impl ReportArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Exit, Error> {
        let opts = self.site.options();
        let (site, idx, _) = build::validated(&opts)?;
        let report = crate::report::compute(&site, &idx, self.max_share);
        out.write_all(crate::report::human(&site, &report).as_bytes())
            .map_err(|e| Error::io("<stdout>", e))?;
        Ok(Exit::Ok)
    }
}
