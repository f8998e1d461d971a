//! `hotdesk build`: validate, render into a staging folder, swap it in; print one line.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::site::{BaseUrlArg, SiteArgs};
use crate::build;
use crate::error::{Error, Exit};

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site; `public` under the root by default.
    #[arg(long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub base_url: BaseUrlArg,
}

impl BuildArgs {
    pub(crate) fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit, Error> {
        let mut opts = self.site.options();
        opts.base_url.clone_from(&self.base_url.base_url);
        let output = self
            .output
            .clone()
            .unwrap_or_else(|| opts.root.join("public"));
        let started = std::time::Instant::now();
        let (site, diags) = build::build_with(&opts, &output, &mut |lock| {
            let _ = writeln!(
                err,
                "waiting: another build is writing into {} (it holds {})",
                output.display(),
                lock.display()
            );
        })?;
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
        if let Some(summary) = &site.summary {
            let _ = writeln!(out, "{summary}");
        }
        Ok(Exit::Ok)
    }
}
