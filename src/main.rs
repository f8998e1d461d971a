//! The `hotdesk` binary: parse arguments, run, return the exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = hotdesk::cli::Cli::parse();
    let code = hotdesk::cli::run(&cli, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(code as u8)
}
