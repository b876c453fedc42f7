//! The records file's doctor: what is wrong with a file, as data, without
//! changing a byte of it; a consistent copy while pace may be writing; and a
//! repair (indexes rebuilt, orphan rows dropped) only after a backup.
//!
//! A file is inspected from its bytes first, as `Records::open` does, so a
//! file pace refuses (not SQLite, another program's, a newer pace's) is never
//! opened by SQLite. The checks then read it through a connection that can
//! write nothing: not the file, not its write-ahead log (`-wal`), not its
//! index (`-shm`) (see `records::read_only`).
//!
//! Nothing here prints: the command line words the findings.

mod checks;
mod ids;
mod repair;
mod salvage;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use super::row::BadValue;
use super::{LATEST_VERSION, RecordsError, header, read_only};
pub use ids::{KnownIds, is_statement_id};
pub use repair::{Repair, Repaired, repair};
pub use salvage::TableSaved;

/// What `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkup {
    /// The file as messages show it.
    pub path: String,
    /// The records version in the file, when SQLite could read it.
    pub version: Option<i64>,
    pub learners: Option<u64>,
    pub answers: Option<u64>,
    /// Pages of finished writes in the write-ahead log, not yet merged into
    /// the file (normal while pace is open).
    pub wal_pages: u64,
    pub findings: Vec<Finding>,
    /// For a damaged file: how much of each table SQLite could read.
    pub salvage: Vec<TableRead>,
    /// Backups beside the file (`*.bak`), newest name last.
    pub backups: Vec<PathBuf>,
}

impl Checkup {
    pub fn healthy(&self) -> bool {
        self.findings.is_empty()
    }

    /// Whether `repair` would mend every finding.
    pub fn all_repairable(&self) -> bool {
        self.findings.iter().all(|f| f.problem.repairable())
    }

    /// Whether `repair` may write to this file at all: never to one SQLite
    /// cannot read whole.
    pub fn safe_to_repair(&self) -> bool {
        !self.findings.iter().any(|f| f.problem.is_damage())
    }
}

/// One kind of problem, how many rows (or messages) have it, and the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub problem: Problem,
    pub count: u64,
}

/// A kind of problem, with its first example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file is shorter than its header says, or SQLite cannot read all of it.
    Damaged { detail: String },
    /// A table pace keeps is missing.
    MissingTable { table: String },
    /// SQLite's integrity check reported these (`first` is its first message).
    /// When every message is about an index, rebuilding the indexes mends them.
    Integrity { first: String, indexes_only: bool },
    /// Rows naming a row of `parent` that is not there (a foreign key).
    Orphans { table: String, column: String, parent: String, row: i64, missing: String },
    /// An attempt with more right answers than questions, or a score outside 0-100.
    ImpossibleScore { attempt: i64, correct: Option<i64>, total: Option<i64>, score: Option<i64> },
    /// A score that is not the percentage of right answers (rounded down).
    ScoreMismatch { attempt: i64, correct: i64, total: i64, score: i64 },
    /// A finished attempt whose stored right answers differ from its answers counted.
    CountMismatch { attempt: i64, stored: i64, counted: i64 },
    /// Passed below the pass mark, or failed at or above it.
    PassMismatch { attempt: i64, score: i64, pass_mark: i64, passed: bool },
    /// A stored value pace cannot read.
    Unreadable(BadValue),
    /// A learner without a UUID pace can read.
    NoUuid { learner: i64, name: String, uuid: Option<String> },
    /// A question of an attempt answered more than once (`count` is the extra answers).
    DuplicateAnswers { attempt: i64, question: String },
    /// A certification grant naming an attempt the file does not hold as scored.
    BrokenGrant { grant: i64, level: String, attempt: i64 },
    /// A statement id that is not a UUID: an LRS refuses that statement.
    BadStatementId { table: String, column: String, row: i64, value: Option<String> },
    /// A module or question id the curriculum in use does not hold (`module`: the question's module).
    UnknownId { place: String, row: i64, id: String, module: Option<String> },
}

impl Problem {
    /// Mended by `repair`: indexes rebuilt, orphan rows dropped.
    pub fn repairable(&self) -> bool {
        matches!(self, Problem::Orphans { .. } | Problem::Integrity { indexes_only: true, .. })
    }

    fn is_damage(&self) -> bool {
        matches!(
            self,
            Problem::Damaged { .. } | Problem::MissingTable { .. } | Problem::Integrity { indexes_only: false, .. }
        )
    }
}

/// How much of one table a damaged file still gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRead {
    pub table: String,
    pub rows: u64,
    /// Rows the file holds that could not be read, when SQLite can count them.
    pub lost: Option<u64>,
    /// False when reading stopped at damage: `rows` were read before it.
    pub whole: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error("could not repair {path} ({detail}); nothing in it was changed, and the backup {backup} was kept")]
    Repair { path: String, backup: String, detail: String },
    #[error("cannot write the copy {to}: {detail}; {path} was left as it was")]
    Copy { path: String, to: String, detail: String },
}

fn shown(path: &Path) -> String {
    crate::content::sanitize::clean(&path.display().to_string()).into_owned()
}

/// Refuses from the file's bytes, before SQLite sees it, what pace refuses
/// to read: not SQLite, another program's, a newer pace's, empty or missing.
/// A file shorter than its header says is let in, with its damage.
fn admit(path: &Path, shown: &str) -> Result<Option<String>, DoctorError> {
    let shown = shown.to_string();
    match header::inspect(path, &shown) {
        Ok(Some(h)) if h.application_id != super::APPLICATION_ID && !h.is_blank() => {
            Err(RecordsError::Foreign { path: shown }.into())
        }
        Ok(Some(h)) if h.user_version > LATEST_VERSION => {
            Err(RecordsError::TooNew { path: shown, found: h.user_version, supported: LATEST_VERSION }.into())
        }
        Ok(Some(h)) if !h.is_blank() => Ok(None),
        Ok(_) if path.exists() => Err(RecordsError::Empty { path: shown }.into()),
        Ok(_) => Err(RecordsError::Io {
            path: shown,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        }
        .into()),
        Err(RecordsError::Damaged { detail, .. }) => Ok(Some(detail)),
        Err(other) => Err(other.into()),
    }
}

/// Checks the records file at `path`, changing nothing.
pub fn check(path: &Path) -> Result<Checkup, DoctorError> {
    check_with(path, None)
}

/// Checks the records file at `path`, changing nothing; with `known`, every
/// module and question id is checked against the curriculum in use too.
pub fn check_with(path: &Path, known: Option<&KnownIds>) -> Result<Checkup, DoctorError> {
    let shown = shown(path);
    let findings: Vec<Finding> = admit(path, &shown)?
        .map(|detail| Finding { problem: Problem::Damaged { detail }, count: 1 })
        .into_iter()
        .collect();
    let reader = read_only::open(path, &shown)?;
    if !findings.is_empty() {
        // SQLite refuses a file shorter than its header says; this (a flag of
        // the connection, which still cannot write) lets it read what is left.
        reader
            .conn
            .pragma_update(None, "writable_schema", true)
            .map_err(|source| RecordsError::Sqlite { path: shown.clone(), source })?;
    }
    let mut checkup = Checkup {
        path: shown.clone(),
        version: None,
        learners: None,
        answers: None,
        wal_pages: reader.wal_pages,
        findings,
        salvage: Vec::new(),
        backups: backups_beside(path),
    };
    examine(&reader.conn, &mut checkup, known)?;
    reader.finish(&shown)?;
    if !checkup.safe_to_repair() {
        // What a salvage would save: made in the temporary folder, counted, removed.
        let scratch = std::env::temp_dir().join(format!("pace-doctor-{}", std::process::id()));
        let (work, to) = (scratch.with_extension("work"), scratch.with_extension("sqlite3"));
        if let Ok(saved) = salvage::salvage(path, &work, &to, &shown) {
            checkup.salvage = saved
                .into_iter()
                .map(|t| TableRead { table: t.table, rows: t.saved, lost: t.lost, whole: t.whole })
                .collect();
        }
        let _ = std::fs::remove_file(&to);
    }
    Ok(checkup)
}

/// Writes every row SQLite can read of the damaged file at `path` to a new
/// records file at `to` (which must not exist), reading past a damaged
/// table list with the schema pace knows; the file itself is only read.
pub fn salvage(path: &Path, to: &Path) -> Result<Vec<TableSaved>, DoctorError> {
    let shown = shown(path);
    admit(path, &shown)?;
    if to.exists() {
        return Err(DoctorError::Copy {
            path: shown,
            to: to.display().to_string(),
            detail: "a file is already there; give a new name".into(),
        });
    }
    let work = PathBuf::from(format!("{}.work", to.display()));
    salvage::salvage(path, &work, to, &shown)
}

/// Runs every check in one read transaction, so a writer elsewhere cannot
/// make two checks see two states of the file.
fn examine(conn: &Connection, checkup: &mut Checkup, known: Option<&KnownIds>) -> Result<(), DoctorError> {
    let shown = checkup.path.clone();
    let sqlite = |source| RecordsError::Sqlite { path: shown.clone(), source };
    conn.execute_batch("BEGIN").map_err(sqlite)?;
    let read = checks::version(conn).and_then(|(version, application_id)| {
        if version > LATEST_VERSION {
            return Ok(Err(RecordsError::TooNew { path: shown.clone(), found: version, supported: LATEST_VERSION }));
        }
        if application_id != super::APPLICATION_ID && version > 0 {
            return Ok(Err(RecordsError::Foreign { path: shown.clone() }));
        }
        checkup.version = Some(version);
        checks::all(conn, version, checkup, known).map(Ok)
    });
    let outcome = match read {
        Ok(refused @ Err(_)) => refused,
        Ok(Ok(())) => Ok(()),
        // Damage stops the checks.
        Err(e) => {
            if !checkup.findings.iter().any(|f| matches!(f.problem, Problem::Damaged { .. })) {
                checkup.findings.push(Finding { problem: Problem::Damaged { detail: e.to_string() }, count: 1 });
            }
            Ok(())
        }
    };
    if outcome.is_ok() && !checkup.safe_to_repair() {
        // What can still be saved: how far each table can be read.
        checkup.salvage = checks::salvage(conn);
    }
    let _ = conn.execute_batch("COMMIT");
    outcome.map_err(DoctorError::from)
}

/// Writes a consistent copy of the records file at `path` to `to` (which
/// must not exist), with SQLite's backup API, while pace may be writing: the
/// copy is the file as of one moment, every write committed by then in it.
/// Returns the copy's integrity check messages (empty when it passes).
pub fn backup(path: &Path, to: &Path) -> Result<Vec<String>, DoctorError> {
    let shown = shown(path);
    admit(path, &shown)?;
    let reader = read_only::open(path, &shown)?;
    let problems = copy_from(&reader.conn, &shown, to)?;
    if let Err(changed) = reader.finish(&shown) {
        let _ = std::fs::remove_file(to);
        return Err(changed.into());
    }
    Ok(problems)
}

/// Copies every page in one step (one read transaction: one moment of the
/// file) to `to.partial`, checks the copy, and renames it to `to`.
fn copy_from(conn: &Connection, shown: &str, to: &Path) -> Result<Vec<String>, DoctorError> {
    let failed = |detail: String| DoctorError::Copy { path: shown.to_string(), to: to.display().to_string(), detail };
    if to.exists() {
        return Err(failed("a file is already there; give a new name".into()));
    }
    let partial = PathBuf::from(format!("{}.partial", to.display()));
    let _ = std::fs::remove_file(&partial);
    let copied = (|| -> rusqlite::Result<Vec<String>> {
        let mut copy = Connection::open(&partial)?;
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut copy)?;
            // Another connection may hold a lock for a moment: wait as long as pace's busy timeout.
            let mut waited = 0;
            while backup.step(-1)? != rusqlite::backup::StepResult::Done {
                if waited >= 100 {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some("the file stayed locked for 5 seconds".into()),
                    ));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
                waited += 1;
            }
        }
        // A copy in its own right: no write-ahead log to carry around.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        checks::integrity(&copy, 20)
    })();
    let problems = match copied {
        Ok(problems) => problems,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(failed(e.to_string()));
        }
    };
    if let Err(e) = std::fs::rename(&partial, to) {
        let _ = std::fs::remove_file(&partial);
        return Err(failed(e.to_string()));
    }
    Ok(problems)
}

/// The `*.bak` files beside the records file whose names start with its name.
fn backups_beside(path: &Path) -> Vec<PathBuf> {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else { return Vec::new() };
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(name.as_ref()) && n.ends_with(".bak") && n != name
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}
