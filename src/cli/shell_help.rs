//! `pace completions SHELL` and `pace man`: generated from the same clap
//! definitions as `--help`, so they never disagree with it.

use std::io::ErrorKind;
use std::path::Path;

use clap::CommandFactory;

use super::args::Cli;
use super::{EXIT_OK, Failure};
use crate::content::sanitize;

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
    create_folder(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)
        .map_err(|e| Failure::data(format!("cannot write the manual pages into {}: {e}", sanitize::path(dir))))?;
    eprintln!("pace: wrote pace.1 and a page per command (pace-report.1, ...) to {}", sanitize::path(dir));
    Ok(EXIT_OK)
}

/// Makes `--out-dir` and its missing parents, as `mkdir -p` does, so
/// `pace man --out-dir ~/.local/share/man/man1` works in a fresh home folder.
fn create_folder(dir: &Path) -> Result<(), Failure> {
    let shown = sanitize::path(dir);
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::usage(format!(
            "--out-dir {shown}: this is a file, not a folder; name a folder (pace creates it if it does not exist)"
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        let what_to_do = match e.kind() {
            ErrorKind::PermissionDenied => "you may not create a folder there; name a folder you may write to",
            ErrorKind::NotADirectory | ErrorKind::AlreadyExists => {
                "part of that path is a file, not a folder; name a folder whose parents are folders"
            }
            _ => "check the path, or name another folder",
        };
        Failure::data(format!("--out-dir {shown}: cannot create the folder ({e}); {what_to_do}"))
    })
}
