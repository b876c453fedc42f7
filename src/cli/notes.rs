//! `pace notes export|import`: share a learner's notes with colleagues.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use crate::content::sanitize::one_line;
use crate::export::notes::{self, MAX_FILE_BYTES};
use crate::learning::clock;

use super::args::RecordsOptions;
use super::{EXIT_OK, Failure, Global, curriculum, open_existing_records, pick_learner, plural, print};

#[derive(Debug, Subcommand)]
pub enum NotesCommand {
    /// Write the learner's notes (own and imported), grouped by module and lesson
    #[command(
        long_about = super::help_text::NOTES_EXPORT,
        after_help = "Examples:\n  pace notes export                              readable Markdown on the terminal\n  pace notes export --format json --out ana.json a file a colleague can import"
    )]
    Export {
        #[arg(long, value_enum, default_value_t = NotesFormat::Markdown)]
        format: NotesFormat,
        /// Write to FILE instead of the terminal
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        records: RecordsOptions,
    },
    /// Add a colleague's notes (a JSON export) to the learner's notes
    #[command(
        long_about = super::help_text::NOTES_IMPORT,
        after_help = "Examples:\n  pace notes import ana.json --learner \"Ben Okafor\""
    )]
    Import {
        /// A file written by `pace notes export --format json`
        file: PathBuf,
        #[command(flatten)]
        records: RecordsOptions,
    },
}

impl NotesCommand {
    pub(crate) fn records(&self) -> &RecordsOptions {
        match self {
            NotesCommand::Export { records, .. } | NotesCommand::Import { records, .. } => records,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotesFormat {
    Markdown,
    Json,
}

pub(super) fn run(global: &Global, command: &NotesCommand) -> Result<u8, Failure> {
    match command {
        NotesCommand::Export { format, out, .. } => export(global, *format, out.as_deref()),
        NotesCommand::Import { file, .. } => import(global, file),
    }
}

fn export(global: &Global, format: NotesFormat, out: Option<&Path>) -> Result<u8, Failure> {
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let learner = pick_learner(&records, global)?;
    let list = records.notes(learner.id)?;
    let file = notes::export(&list, &catalog, &learner.name, clock::now());
    let text = match format {
        NotesFormat::Markdown => notes::to_markdown(&file),
        NotesFormat::Json => notes::to_json(&file),
    };
    let Some(path) = out else {
        print(&text)?;
        return Ok(EXIT_OK);
    };
    super::write_file(path, |out| out.write_all(text.as_bytes()))?;
    print(&format!(
        "Wrote {} note{} of {} to {}.\n",
        file.notes.len(),
        plural(file.notes.len()),
        one_line(&learner.name),
        crate::content::sanitize::path(path)
    ))?;
    Ok(EXIT_OK)
}

fn read_limited(path: &Path) -> Result<String, Failure> {
    let cannot =
        |e: std::io::Error| Failure::data(format!("cannot read {}: {e}", crate::content::sanitize::path(path)));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Failure::data(format!(
            "{} is larger than {} MB, far more than a notes export; check that it is the right file",
            crate::content::sanitize::path(path),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        Failure::data(format!(
            "{} is not a pace notes export (it is not UTF-8 text); export one with `pace notes export --format json`",
            crate::content::sanitize::path(path)
        ))
    })
}

fn import(global: &Global, path: &Path) -> Result<u8, Failure> {
    let text = read_limited(path)?;
    let file =
        notes::parse(&text).map_err(|e| Failure::data(format!("{}: {e}", crate::content::sanitize::path(path))))?;
    let catalog = curriculum(global)?;
    let mut records = super::open_existing_for_writing(global)?;
    let learner = pick_learner(&records, global)?;
    let done = notes::import(&mut records, &catalog, learner.id, &file)?;
    let mut message = format!(
        "Imported {}'s notes into {}'s: {} added, {} skipped as duplicate{}.\n",
        one_line(&file.exported_by),
        one_line(&learner.name),
        done.added,
        done.duplicates,
        plural(done.duplicates)
    );
    if done.unknown_lessons > 0 {
        message.push_str(&format!(
            "{} of them {} on lessons the curriculum in use does not have; they are kept and show up in exports.\n",
            done.unknown_lessons,
            if done.unknown_lessons == 1 { "is" } else { "are" }
        ));
    }
    print(&message)?;
    Ok(EXIT_OK)
}
