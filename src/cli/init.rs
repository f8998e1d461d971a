//! `hotdesk init DIR`: write a new small site into an empty folder (see
//! [`crate::scaffold::init`]).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;

use super::site::{local_date, parse_now};
use crate::error::{Error, Exit};
use crate::scaffold;

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The folder to create the site in; it must not exist or be empty.
    pub dir: PathBuf,
    /// The date used in the example space (see `build --now`).
    #[arg(long, value_parser = parse_now)]
    pub now: Option<Timestamp>,
}

impl InitArgs {
    pub fn run(&self, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Exit, Error> {
        let today = local_date(self.now.unwrap_or_else(Timestamp::now));
        let written = scaffold::init(&self.dir, today)?;
        let _ = writeln!(
            out,
            "created a site with {} files in {}\nnext: hotdesk build --root {}   (or `hotdesk serve` there)",
            written.len(),
            self.dir.display(),
            self.dir.display()
        );
        Ok(Exit::Ok)
    }
}
