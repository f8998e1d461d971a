//! `hotdesk new KIND NAME`: write one content file with every field (see
//! [`crate::scaffold`], which does the writing from plain values).

use std::io::Write;

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use super::site::{SiteArgs, local_date};
use crate::error::{Error, Exit};
use crate::scaffold::{self, Kind};
use crate::source::display_path;

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// What to add.
    #[arg(value_enum)]
    pub kind: Kind,
    /// Its name (or title); the file name is made from it.
    pub name: String,
    #[command(flatten)]
    pub site: SiteArgs,
}

/// `KIND`'s values: the singular of each content folder. Written out here rather than
/// derived on [`Kind`] so that `scaffold` does not depend on clap.
impl ValueEnum for Kind {
    fn value_variants<'a>() -> &'a [Self] {
        &Kind::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Kind::Space => "space",
            Kind::Session => "session",
            Kind::Partnership => "partnership",
            Kind::Page => "page",
        }))
    }
}

impl NewArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Exit, Error> {
        let today = local_date(self.site.now());
        let rel = scaffold::new_file(&self.site.root, self.kind, &self.name, today)?;
        let _ = writeln!(
            out,
            "created {}\nnext: replace every value marked REPLACE:, fill in the optional lines you can, then run `hotdesk check`",
            display_path(&rel)
        );
        Ok(Exit::Ok)
    }
}
