//! A learner's notes as a file to share: the JSON export a colleague can
//! import (with a format marker so import knows it is one), a readable
//! Markdown export, and the import itself (authors kept, duplicates skipped).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::certificate::long_date;
use crate::content::Catalog;
use crate::content::sanitize::{clean, one_line};
use crate::records::{Note, Records, RecordsError};

/// The value of `format` in every notes export.
pub const FORMAT: &str = "pace-notes";
/// The newest export version this pace reads and the one it writes.
pub const VERSION: u32 = 1;

/// Largest notes file import reads; a real export is far smaller.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A notes export file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotesFile {
    /// Always `pace-notes`.
    pub format: String,
    pub version: u32,
    /// Whose notes these are.
    pub exported_by: String,
    pub exported_at: DateTime<Utc>,
    pub notes: Vec<SharedNote>,
}

/// One note in an export. Titles are there for people reading the file;
/// import goes by the ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedNote {
    pub module_id: String,
    pub lesson_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson_title: Option<String>,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub body: String,
}

/// Where a lesson sits in the catalog, so notes read in curriculum order;
/// notes on lessons the catalog does not have come last.
fn order(catalog: &Catalog) -> HashMap<(&str, &str), (usize, usize)> {
    let mut at = HashMap::new();
    for (m, module) in catalog.modules.iter().enumerate() {
        for (l, lesson) in module.lessons.iter().enumerate() {
            at.insert((module.id.as_str(), lesson.id.as_str()), (m, l));
        }
    }
    at
}

/// The learner's notes, own and imported, as an export in curriculum order.
/// Every string is cleaned, so the file is as safe to print as the trainer.
pub fn export(notes: &[Note], catalog: &Catalog, learner: &str, now: DateTime<Utc>) -> NotesFile {
    let at = order(catalog);
    let mut sorted: Vec<&Note> = notes.iter().collect();
    sorted.sort_by_key(|n| {
        let place = at.get(&(n.module_id.as_str(), n.lesson_id.as_str())).copied().unwrap_or((usize::MAX, usize::MAX));
        (place, n.module_id.clone(), n.lesson_id.clone(), n.created_at, n.id)
    });
    let notes = sorted
        .into_iter()
        .map(|n| {
            let module = catalog.module(&n.module_id);
            SharedNote {
                module_id: n.module_id.clone(),
                lesson_id: n.lesson_id.clone(),
                module_title: module.map(|m| m.title.clone()),
                lesson_title: module.and_then(|m| m.lesson(&n.lesson_id)).map(|l| l.title.clone()),
                author: one_line(&n.author),
                created_at: n.created_at,
                body: clean(&n.body).into_owned(),
            }
        })
        .collect();
    NotesFile { format: FORMAT.into(), version: VERSION, exported_by: one_line(learner), exported_at: now, notes }
}

pub fn to_json(file: &NotesFile) -> String {
    crate::content::sanitize::to_json_pretty(file).unwrap_or_default()
}

/// `s` for a Markdown line: cleaned, on one line, with every character that
/// could start emphasis, a link, code, raw HTML, an entity or a heading's
/// closing marks escaped, so it reads as the text it is.
fn inline(s: &str) -> String {
    let line = one_line(s);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A note's text as a fenced code block: nothing inside (a `# heading`, raw
/// HTML, a list) can change the document's structure, and its lines stay as
/// written. The fence is longer than any run of backticks in the note, so no
/// line of the note can close it.
fn fenced(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", clean(body).trim_end())
}

/// The export for people: a heading per module and lesson, each note under
/// its author and date.
pub fn to_markdown(file: &NotesFile) -> String {
    let name = inline(&file.exported_by);
    let mut out = format!("# Notes of {name}\n\n");
    let lessons = {
        let mut keys: Vec<(&str, &str)> =
            file.notes.iter().map(|n| (n.module_id.as_str(), n.lesson_id.as_str())).collect();
        keys.dedup();
        keys.len()
    };
    if file.notes.is_empty() {
        out.push_str(&format!("Exported from pace on {}. No notes yet.\n", long_date(file.exported_at)));
        return out;
    }
    out.push_str(&format!(
        "Exported from pace on {}: {} note{} on {} lesson{}.\n",
        long_date(file.exported_at),
        file.notes.len(),
        plural(file.notes.len()),
        lessons,
        plural(lessons)
    ));
    let mut module = None;
    let mut lesson = None;
    for n in &file.notes {
        if module != Some(&n.module_id) {
            let title = n
                .module_title
                .as_deref()
                .map_or_else(|| format!("{} (not in the curriculum in use)", inline(&n.module_id)), inline);
            out.push_str(&format!("\n## {title}\n"));
            module = Some(&n.module_id);
            lesson = None;
        }
        if lesson != Some(&n.lesson_id) {
            let title = n.lesson_title.as_deref().map_or_else(|| inline(&n.lesson_id), inline);
            out.push_str(&format!("\n### {title}\n"));
            lesson = Some(&n.lesson_id);
        }
        out.push_str(&format!("\n*{}, {}*\n\n", inline(&n.author), long_date(n.created_at)));
        out.push_str(&fenced(&n.body));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[derive(Debug, thiserror::Error)]
pub enum NotesFileError {
    #[error(
        "line {line}, column {column}: not valid JSON ({message}); a notes export is the JSON file `pace notes export --format json` writes"
    )]
    NotJson { line: usize, column: usize, message: String },
    #[error(
        "this is not a pace notes export (it has no \"format\": \"{FORMAT}\"); ask your colleague for the file `pace notes export --format json` writes"
    )]
    NotAnExport,
    #[error(
        "this notes export is version {found}, from a newer pace (this one reads up to {VERSION}); update pace to import it"
    )]
    TooNew { found: u64 },
    #[error("line {line}, column {column}: {message}")]
    Invalid { line: usize, column: usize, message: String },
    #[error("note {index} has an empty {field}")]
    Empty { index: usize, field: &'static str },
}

/// Reads an export, checking its format marker and version first so any
/// other JSON file is refused with a message that says what it is not.
pub fn parse(text: &str) -> Result<NotesFile, NotesFileError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| NotesFileError::NotJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(NotesFileError::NotAnExport);
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v > u64::from(VERSION) => return Err(NotesFileError::TooNew { found: v }),
        _ => {}
    }
    let file: NotesFile = serde_json::from_str(text).map_err(|e| NotesFileError::Invalid {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    for (i, n) in file.notes.iter().enumerate() {
        for (field, value) in [("module_id", &n.module_id), ("lesson_id", &n.lesson_id), ("author", &n.author)] {
            if value.trim().is_empty() {
                return Err(NotesFileError::Empty { index: i + 1, field });
            }
        }
    }
    Ok(file)
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    pub added: usize,
    /// Already in the learner's notes (same lesson, author and text).
    pub duplicates: usize,
    /// Added, but on lessons the curriculum in use does not have.
    pub unknown_lessons: usize,
}

/// Adds every note of `file` to the learner's notes, each committed as it
/// goes. Notes with an empty body carry nothing and are not counted.
pub fn import(
    records: &mut Records,
    catalog: &Catalog,
    learner: i64,
    file: &NotesFile,
) -> Result<Imported, RecordsError> {
    let mut outcome = Imported::default();
    for n in &file.notes {
        let body = clean(&n.body);
        if body.trim().is_empty() {
            continue;
        }
        let author = clean(n.author.trim());
        if records.import_note(learner, &n.module_id, &n.lesson_id, &author, &body, n.created_at)? {
            outcome.added += 1;
            if catalog.module(&n.module_id).and_then(|m| m.lesson(&n.lesson_id)).is_none() {
                outcome.unknown_lessons += 1;
            }
        } else {
            outcome.duplicates += 1;
        }
    }
    Ok(outcome)
}
