//! `pace completions SHELL` and `pace man`: generated from the same clap
//! definitions as `--help`, so they never disagree with it.

use std::path::Path;

use clap::CommandFactory;

use super::args::Cli;
use super::{EXIT_OK, Failure};

pub(super) fn completions(shell: clap_complete::Shell) -> Result<u8, Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pace", &mut script);
    super::print(&String::from_utf8_lossy(&script))?;
    Ok(EXIT_OK)
}

pub(super) fn man(out_dir: Option<&Path>) -> Result<u8, Failure> {
    let Some(dir) = out_dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut page)
            .map_err(|e| Failure::data(format!("cannot write the manual page: {e}")))?;
        super::print(&String::from_utf8_lossy(&page))?;
        return Ok(EXIT_OK);
    };
    if !dir.is_dir() {
        return Err(Failure::usage(format!("--out-dir {}: not a folder; create it first", dir.display())));
    }
    clap_mangen::generate_to(Cli::command(), dir)
        .map_err(|e| Failure::data(format!("cannot write the manual pages into {}: {e}", dir.display())))?;
    eprintln!("pace: wrote pace.1 and a page per command (pace-report.1, ...) to {}", dir.display());
    Ok(EXIT_OK)
}
