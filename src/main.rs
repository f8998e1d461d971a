//! The `hotdesk` binary: parse arguments, run, return the exit code.

use clap::Parser;

// A build allocates and frees millions of small strings from both cores at once;
// mimalloc (Microsoft's allocator, kept up to date by its authors) is markedly faster at
// that than glibc's malloc, which was about a sixth of a build's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = hotdesk::cli::Cli::parse();
    let code = hotdesk::cli::run(&cli, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::ExitCode::from(code as u8)
}
