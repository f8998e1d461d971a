//! `hotdesk diff --base REV`: the Markdown summary of what changed in the directory
//! since a git revision (see [`crate::diff`]).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::diff;
use crate::error::{Error, Exit};

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The git revision to compare the working tree with, e.g. `origin/main` or a commit.
    #[arg(long)]
    pub base: String,
    /// The folder holding content/ (inside a git repository).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

impl DiffArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Exit, Error> {
        let text = diff::diff(&self.root, &self.base)?;
        write!(out, "{text}").map_err(|e| Error::io("<stdout>", e))?;
        Ok(Exit::Ok)
    }
}
