//! `hotdesk init DIR`: write a new small site into an empty folder (see
//! [`crate::scaffold::init`]); `hotdesk init --issue-forms DIR` writes only its issue
//! forms again, from its current regions and amenities.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;

use super::site::{local_date, parse_now};
use crate::error::{Error, Exit};
use crate::scaffold;
use crate::scaffold::release::{Pin, parse_sha256};

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The folder to create the site in; it must not exist or be empty.
    pub dir: PathBuf,
    /// The date used in the example space (see `build --now`).
    #[arg(long, value_parser = parse_now)]
    pub now: Option<Timestamp>,
    /// The SHA-256 of this version's Linux release archive (from the release's
    /// SHA256SUMS), pinned in the GitHub workflow; without it the workflow holds a
    /// placeholder to replace.
    #[arg(long, value_name = "SUM", value_parser = parse_sha256)]
    pub hotdesk_sha256: Option<String>,
    /// Only write `.github/ISSUE_TEMPLATE/` again, in the existing site DIR, from its
    /// content/regions.yaml and content/amenities.yaml.
    #[arg(long, conflicts_with_all = ["now", "hotdesk_sha256"])]
    pub issue_forms: bool,
}

impl InitArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Exit, Error> {
        if self.issue_forms {
            let written = scaffold::issue_forms(&self.dir)?;
            let _ = writeln!(
                out,
                "wrote {} issue forms in {}",
                written.len(),
                self.dir.join(scaffold::forms::DIR).display()
            );
            return Ok(Exit::Ok);
        }
        let today = local_date(self.now.unwrap_or_else(Timestamp::now));
        let pin = Pin::current(self.hotdesk_sha256.clone());
        let written = scaffold::init(&self.dir, today, &pin)?;
        let _ = writeln!(
            out,
            "created a site with {} files in {}\nnext: hotdesk build --root {}   (or `hotdesk serve` there)",
            written.len(),
            self.dir.display(),
            self.dir.display()
        );
        if !pin.is_complete() {
            let _ = writeln!(
                out,
                "before you push: .github/workflows/site.yml pins hotdesk {} but its \
                 HOTDESK_SHA256 or HOTDESK_REPOSITORY is a placeholder (see the comment there)",
                pin.version
            );
        }
        Ok(Exit::Ok)
    }
}
