use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    pace::cli::run(pace::cli::Cli::parse())
}
