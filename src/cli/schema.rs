//! `hotdesk schema`: write the JSON Schemas of the content files (see [`crate::schema`]).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::{Error, Exit};
use crate::schema;

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// The folder to write the `*.schema.json` files into (created if needed).
    #[arg(long, default_value = "schema")]
    pub output: PathBuf,
}

impl SchemaArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Exit, Error> {
        let written = schema::write(&self.output)?;
        let _ = writeln!(
            out,
            "wrote {} schemas into {}",
            written.len(),
            self.output.display()
        );
        Ok(Exit::Ok)
    }
}
