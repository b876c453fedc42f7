//! Records: the learner's SQLite file. Connection, migrations, and one file
//! per kind of record. Every learner event (an answer, a completion, a
//! grant) is committed in its own transaction, with `synchronous=FULL`,
//! before the call returns; places kept for convenience (scroll, reading
//! position) are committed the same way with the cheaper `NORMAL`.
//!
//! A file is inspected from its bytes (header and write-ahead log) before
//! SQLite opens it, so a file pace refuses is left exactly as it was.
//!
//! Nothing here knows about the terminal or the module format's rules.

mod attempts;
mod bulk;
mod certifications;
pub mod doctor;
mod header;
mod item_analysis;
mod learners;
mod lessons;
mod location;
mod migrations;
mod notes;
pub(crate) mod read_only;
mod review;
mod row;
mod sync_log;

use std::cell::Cell;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction};

pub use attempts::{Answer, Attempt, DrawnQuestion, Finished, Given, percent};
pub use bulk::{AttemptRef, EventQuery, EventRow, FinishedAttempt};
pub use certifications::{Grant, NewGrant};
pub use item_analysis::ItemAnswer;
pub use learners::{Learner, MAX_NAME_CHARS, NewLearner, check_email, check_employee_id, check_name};
pub use lessons::LessonProgress;
pub use location::Location;
pub use migrations::{LATEST_VERSION, name_key};
pub use notes::Note;
pub use review::ReviewItem;
pub use row::BadValue;

pub(crate) use attempts::{attempts_of, finish_attempt_in, insert_answer_in};
pub(crate) use certifications::{grant_level_in, grants_of};
pub(crate) use review::{review_item_in, save_review_item_in};

/// Marks a SQLite file as pace's ("pace" in ASCII).
pub const APPLICATION_ID: i32 = 0x7061_6365;

#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error(
        "{path} is not a SQLite file, so it is not a pace records file; it was left untouched. Give another path with --db or PACE_DB."
    )]
    NotSqlite { path: String },
    #[error(
        "{path} is a pace records file but it is damaged ({detail}); it was left untouched. Run `pace doctor --db {path}` to see what can be saved, or restore a backup."
    )]
    Damaged { path: String, detail: String },
    #[error(
        "{path} is empty, so it is not a records file yet; it was left untouched. Run `pace` to start learning, which creates the records, or give the learners' file with --db."
    )]
    Empty { path: String },
    #[error(
        "cannot write next to the records file {path}: the folder {folder} is read-only, and pace keeps its journal beside the file. Move the file to a folder you can write, or give another path with --db."
    )]
    ReadOnlyFolder { path: String, folder: String },
    #[error(
        "cannot write the records file {path}: {file} is read-only for you (its permissions, or the disk it is on), and pace saves every answer into it the moment it is given, so the trainer does not start on it; nothing was changed. Ask the file's owner to let you write it, or give another file with --db. `pace report` and `pace progress` can still read it."
    )]
    ReadOnlyFile { path: String, file: String },
    #[error(
        "{path} is a SQLite file that pace did not create; it was left untouched. Give another path with --db or PACE_DB."
    )]
    Foreign { path: String },
    #[error(
        "{path} was written by a newer pace (records version {found}; this pace knows up to {supported}); it was left untouched. Update pace to open it."
    )]
    TooNew { path: String, found: i64, supported: i64 },
    #[error(
        "{path} was written by an older pace (records version {found}; this pace uses {latest}), and a command that only reads does not upgrade it; it was left untouched. Run `pace doctor --upgrade --db {path}` (it upgrades the file and keeps a copy of it as it was), or start the trainer, which does the same."
    )]
    Outdated { path: String, found: i64, latest: i64 },
    #[error(
        "{path} has a write-ahead log ({wal}) holding {pages} page(s) of recent writes, but no -shm index beside it; SQLite cannot read that log without writing a new -shm file, so nothing was read and nothing was written. Run `pace doctor --upgrade --db {path}` as the file's owner: it opens the file for writing, which rebuilds the index and merges the log into the file. To leave these files untouched, copy the file and its -wal to a folder of your own and run that on the copy."
    )]
    WalWithoutIndex { path: String, wal: String, pages: u64 },
    #[error(
        "{path} changed while it was being read (is pace open on it?); what was read may mix two states, so it is not reported. Run the command again."
    )]
    Changed { path: String },
    #[error(
        "cannot open the records file {path}: the disk that holds it is full, and SQLite needs room beside the file (its -wal log and -shm index) to open it; nothing was changed and nothing was left beside it. Free some space on that disk, then start pace again."
    )]
    DiskFull { path: String },
    #[error("cannot create the folder for the records file {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("cannot read the records file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(
        "cannot back up the records file {path} to {backup} before upgrading it: {detail}; the file was left untouched. Free some disk space or make the folder writable, then start pace again."
    )]
    Backup { path: String, backup: String, detail: String },
    #[error("records file {path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    #[error("records file {path}: {bad}. Run `pace doctor --db {path}` for a full check.")]
    Unreadable { path: String, bad: BadValue },
    #[error("no learner named \"{0}\" in this records file")]
    NoSuchLearner(String),
    #[error("a learner named \"{0}\" already exists")]
    LearnerExists(String),
    #[error("the {what} {value} is already recorded for {name}")]
    IdTaken { what: &'static str, value: String, name: String },
    #[error("{0}")]
    BadLearner(String),
    #[error("no learner is signed in")]
    NoLearner,
    #[error("\"{0}\" is not in the curriculum loaded now; it may have been renamed or removed")]
    NotInCurriculum(String),
    #[error("question \"{question}\" of this attempt was already answered, in another window")]
    AlreadyAnswered { question: String },
    #[error("this quiz attempt was already finished, in another window")]
    AttemptFinished,
    #[error("this quiz attempt still has {0} unanswered question(s)")]
    Unanswered(u32),
}

pub type Result<T> = std::result::Result<T, RecordsError>;

/// A records failure met while writing a stream (an export) ends the stream.
impl From<RecordsError> for std::io::Error {
    fn from(e: RecordsError) -> std::io::Error {
        std::io::Error::other(e.to_string())
    }
}

/// How hard a write must be on the disk before it counts as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    /// A learner event: an answer, completion or grant survives a power cut.
    Event,
    /// A convenience (scroll position, reading place): survives a crash of pace.
    Place,
}

/// A records file upgraded on open: from which version, and where the copy of the old file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    pub from: i64,
    pub to: i64,
    pub backup: PathBuf,
}

/// The open records file.
pub struct Records {
    conn: Connection,
    path: String,
    full_sync: Cell<bool>,
    upgraded: Option<Upgrade>,
    /// Opened read-only on a file SQLite reads alone: its size and time then.
    watched: Option<read_only::Watched>,
}

/// `pace.sqlite3` in the user's data directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pace").map(|d| d.data_dir().join("pace.sqlite3"))
}

/// Whether opening may make a new records file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Create {
    Allowed,
    Refused,
}

impl Records {
    /// Opens (creating if needed) the records file at `path` and migrates it
    /// forward, after backing it up. A file pace cannot understand is refused
    /// and left as it was, byte for byte.
    pub fn open(path: &Path) -> Result<Records> {
        Self::open_with(path, Create::Allowed)
    }

    /// Opens an existing records file; a missing or empty file is an error,
    /// not a new records file (the reporting commands never create one).
    pub fn open_existing(path: &Path) -> Result<Records> {
        Self::open_with(path, Create::Refused)
    }

    /// Opens an existing records file for reading only (the commands that
    /// report): nothing is written to it, its write-ahead log or its index,
    /// and no file is made beside it (see `read_only`). A file from an older
    /// pace is refused, not upgraded: upgrading writes.
    pub fn open_read_only(path: &Path) -> Result<Records> {
        let shown = crate::content::sanitize::clean(&path.display().to_string()).into_owned();
        match header::inspect(path, &shown)? {
            None if path.exists() => return Err(RecordsError::Empty { path: shown }),
            None => {
                return Err(RecordsError::Io {
                    path: shown,
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
                });
            }
            Some(h) if h.is_blank() => return Err(RecordsError::Empty { path: shown }),
            Some(h) if h.application_id != APPLICATION_ID => return Err(RecordsError::Foreign { path: shown }),
            Some(h) if h.user_version > LATEST_VERSION => {
                return Err(RecordsError::TooNew { path: shown, found: h.user_version, supported: LATEST_VERSION });
            }
            Some(h) if h.user_version < LATEST_VERSION => {
                return Err(RecordsError::Outdated { path: shown, found: h.user_version, latest: LATEST_VERSION });
            }
            Some(_) => {}
        }
        let reader = read_only::open(path, &shown)?;
        Ok(Records {
            conn: reader.conn,
            path: shown,
            full_sync: Cell::new(false),
            upgraded: None,
            watched: reader.watched,
        })
    }

    /// For a file opened read-only that SQLite read alone: an error when the
    /// file changed while it was read (a trainer started and merged its log).
    pub fn still_as_read(&self) -> Result<()> {
        self.watched.as_ref().map_or(Ok(()), |w| w.unchanged(&self.path))
    }

    fn open_with(path: &Path, create: Create) -> Result<Records> {
        let shown = crate::content::sanitize::clean(&path.display().to_string()).into_owned();
        let found = header::inspect(path, &shown)?;
        match (&found, create) {
            (None, Create::Refused) if path.exists() => return Err(RecordsError::Empty { path: shown }),
            (None, Create::Refused) => {
                return Err(RecordsError::Io {
                    path: shown,
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
                });
            }
            (None, Create::Allowed) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
                    std::fs::create_dir_all(parent)
                        .map_err(|source| RecordsError::CreateDir { path: parent.display().to_string(), source })?;
                }
            }
            (Some(h), _) => {
                if h.application_id != APPLICATION_ID && !h.is_blank() {
                    return Err(RecordsError::Foreign { path: shown });
                }
                if h.user_version > LATEST_VERSION {
                    return Err(RecordsError::TooNew { path: shown, found: h.user_version, supported: LATEST_VERSION });
                }
                if h.is_blank() && create == Create::Refused {
                    return Err(RecordsError::Empty { path: shown });
                }
            }
        }
        if found.is_some() {
            writable(path, &shown)?;
        }
        // What SQLite makes beside the file and, on a failed open (a full
        // disk), leaves behind: removed again when pace made it.
        let shm = PathBuf::from(format!("{}-shm", path.display()));
        let made = [path.to_path_buf(), header::wal_path(path), shm];
        let existed = made.clone().map(|f| f.exists());
        Self::connect(path, &shown, found).map_err(|e| {
            if !is_io(&e) {
                return e;
            }
            for (file, existed) in made.iter().zip(existed) {
                if !existed {
                    let _ = std::fs::remove_file(file);
                }
            }
            if room_beside(path) { e } else { RecordsError::DiskFull { path: shown.clone() } }
        })
    }

    /// Opens the file with SQLite, sets it up and migrates it (after a backup).
    fn connect(path: &Path, shown: &str, found: Option<header::Header>) -> Result<Records> {
        let shown = shown.to_string();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| opening_error(e, path, &shown))?;
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(RecordsError::ReadOnlyFile { path: shown.clone(), file: shown });
        }
        let from = found.as_ref().map_or(0, |h| h.user_version);
        let wal = found.as_ref().is_some_and(|h| h.wal);
        let mut records = Self::setup(conn, shown.clone(), wal).map_err(|e| match e {
            RecordsError::Sqlite { source, .. } => opening_error(source, path, &shown),
            other => other,
        })?;
        if from > 0 && from < LATEST_VERSION {
            let backup = PathBuf::from(format!("{}.v{from}.bak", path.display()));
            records.backup_before_upgrade(&backup)?;
            records.migrate().map_err(|e| match e {
                RecordsError::Sqlite { source, .. } => opening_error(source, path, &shown),
                other => other,
            })?;
            records.upgraded = Some(Upgrade { from, to: LATEST_VERSION, backup });
        } else if from < LATEST_VERSION {
            records.migrate()?;
        }
        // (At the latest version, as the header says, there is nothing to migrate.)
        Ok(records)
    }

    /// A private in-memory file, for tests and previews.
    pub fn in_memory() -> Result<Records> {
        let conn =
            Connection::open_in_memory().map_err(|source| RecordsError::Sqlite { path: ":memory:".into(), source })?;
        let mut records = Self::setup(conn, ":memory:".into(), false)?;
        records.migrate()?;
        Ok(records)
    }

    /// `wal`: the file says it is in write-ahead-log mode already (the mode
    /// is kept in the file), so it is not asked for again.
    fn setup(conn: Connection, path: String, wal: bool) -> Result<Records> {
        let sql = |source| RecordsError::Sqlite { path: path.clone(), source };
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sql)?;
        if !wal {
            conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
        Ok(Records { conn, path, full_sync: Cell::new(false), upgraded: None, watched: None })
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        migrations::run(&mut self.conn).map_err(|source| RecordsError::Sqlite { path, source })
    }

    /// A consistent copy of the file, taken with SQLite's backup API; the copy
    /// is written beside its final name and renamed, so it is whole or absent.
    /// An existing copy (an earlier upgrade that did not finish) is kept.
    fn backup_before_upgrade(&self, to: &Path) -> Result<()> {
        if to.exists() {
            return Ok(());
        }
        self.backup_to(to).map_err(|detail| RecordsError::Backup {
            path: self.path.clone(),
            backup: to.display().to_string(),
            detail,
        })
    }

    /// Writes a consistent copy of the whole file to `to` (replacing it),
    /// while other windows may be writing.
    pub fn backup_to(&self, to: &Path) -> std::result::Result<(), String> {
        let partial = PathBuf::from(format!("{}.partial", to.display()));
        let _ = std::fs::remove_file(&partial);
        let copied = self
            .conn
            .backup(rusqlite::MAIN_DB, &partial, None::<fn(rusqlite::backup::Progress)>)
            .map_err(|e| e.to_string())
            .and_then(|()| std::fs::rename(&partial, to).map_err(|e| e.to_string()));
        if copied.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        copied
    }

    /// The upgrade this open performed, if any (to tell the user once).
    pub fn upgraded(&self) -> Option<&Upgrade> {
        self.upgraded.as_ref()
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn sql(&self, source: rusqlite::Error) -> RecordsError {
        error_in(&self.path, source)
    }

    /// Runs `f` in one transaction committed before returning: a place kept
    /// for convenience (`synchronous=NORMAL`).
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> rusqlite::Result<T>) -> Result<T> {
        self.transaction(Durability::Place, |tx| f(tx).map_err(|e| error_in("", e)))
    }

    /// Runs one learner event in one transaction, committed with
    /// `synchronous=FULL` before returning. `f` may compose several writes;
    /// they all land or none does.
    pub(crate) fn event<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.transaction(Durability::Event, f)
    }

    fn transaction<T>(&mut self, durability: Durability, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let full = durability == Durability::Event;
        if self.full_sync.get() != full {
            let mode = if full { "FULL" } else { "NORMAL" };
            self.conn.pragma_update(None, "synchronous", mode).map_err(|e| error_in(&self.path, e))?;
            self.full_sync.set(full);
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| error_in(&path, e))?;
        let value = f(&tx).map_err(|e| with_path(e, &path))?;
        tx.commit().map_err(|e| error_in(&path, e))?;
        Ok(value)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Names the file in an error made where the path was not known.
fn with_path(e: RecordsError, path: &str) -> RecordsError {
    match e {
        RecordsError::Sqlite { path: p, source } if p.is_empty() => error_in(path, source),
        RecordsError::Unreadable { path: p, bad } if p.is_empty() => {
            RecordsError::Unreadable { path: path.into(), bad }
        }
        other => other,
    }
}

/// A SQLite error in the file at `path`: a value pace cannot read is named as such.
pub(crate) fn error_in(path: &str, source: rusqlite::Error) -> RecordsError {
    if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &source
        && let Some(bad) = inner.downcast_ref::<BadValue>()
    {
        return RecordsError::Unreadable { path: path.to_string(), bad: bad.clone() };
    }
    RecordsError::Sqlite { path: path.to_string(), source }
}

/// Turns a failure to open into what it means for the user.
fn opening_error(e: rusqlite::Error, path: &Path, shown: &str) -> RecordsError {
    let code = e.sqlite_error_code();
    match code {
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
            RecordsError::Damaged { path: shown.to_string(), detail: "SQLite reports the file as malformed".into() }
        }
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied)
            if path.exists() && !folder_writable(path) =>
        {
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            RecordsError::ReadOnlyFolder { path: shown.to_string(), folder: folder.display().to_string() }
        }
        _ => error_in(shown, e),
    }
}

/// Refuses, before SQLite opens it, an existing file pace could read but
/// not write: the file itself, its folder (SQLite keeps its journal and
/// index beside the file), or a `-wal`/`-shm` left there by another user.
/// SQLite would open such a file read-only without a word, and the first
/// answer would fail.
fn writable(path: &Path, shown: &str) -> Result<()> {
    let read_only = |e: &std::io::Error| {
        matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem)
    };
    let shm = PathBuf::from(format!("{}-shm", path.display()));
    for file in [path.to_path_buf(), header::wal_path(path), shm] {
        match std::fs::OpenOptions::new().read(true).write(true).open(&file) {
            Err(e) if read_only(&e) => {
                let file = crate::content::sanitize::clean(&file.display().to_string()).into_owned();
                return Err(RecordsError::ReadOnlyFile { path: shown.to_string(), file });
            }
            _ => {}
        }
    }
    if !folder_writable(path) {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return Err(RecordsError::ReadOnlyFolder { path: shown.to_string(), folder: folder.display().to_string() });
    }
    Ok(())
}

/// A failure to read or write the disk (a full disk among them).
fn is_io(e: &RecordsError) -> bool {
    match e {
        RecordsError::Sqlite { source, .. } => matches!(
            source.sqlite_error_code(),
            Some(ErrorCode::SystemIoFailure | ErrorCode::DiskFull | ErrorCode::CannotOpen)
        ),
        RecordsError::Backup { .. } | RecordsError::Io { .. } => true,
        _ => false,
    }
}

/// Whether the folder of `path` has room for 64 KiB more (what SQLite needs
/// beside a file to open it: its index and the first pages of its log).
fn room_beside(path: &Path) -> bool {
    use std::io::Write;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let probe = folder.join(format!(".pace-room-probe-{}", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut f| f.write_all(&[0u8; 64 * 1024]).and_then(|()| f.sync_all()));
    let _ = std::fs::remove_file(&probe);
    !matches!(written, Err(e) if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28))
}

/// False only when the folder refuses a new file for want of permission (a
/// full disk is not a read-only folder).
fn folder_writable(path: &Path) -> bool {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let probe = folder.join(format!(".pace-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem),
    }
}

/// Timestamps are stored as RFC 3339 UTC text, which sorts by time.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_stamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
