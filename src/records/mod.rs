//! Records: the learner's SQLite file. Connection, migrations, and one file
//! per kind of record. Every recording function commits its own transaction
//! before it returns, so nothing is lost if the program stops right after.
//!
//! Nothing here knows about the terminal or the module format's rules.

mod attempts;
mod certifications;
mod item_analysis;
mod learners;
mod lessons;
mod location;
mod migrations;
mod notes;
mod review;
mod sync_log;

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};

pub use attempts::{Answer, Attempt, DrawnQuestion, Given};
pub use certifications::Grant;
pub use item_analysis::ItemAnswer;
pub use learners::Learner;
pub use lessons::LessonProgress;
pub use location::Location;
pub use migrations::LATEST_VERSION;
pub use notes::Note;
pub use review::ReviewItem;

/// Marks a SQLite file as pace's ("pace" in ASCII).
pub const APPLICATION_ID: i32 = 0x7061_6365;

#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error(
        "{path} is not a SQLite file, so it is not a pace records file; it was left untouched. Give another path with --db or PACE_DB."
    )]
    NotSqlite { path: String },
    #[error(
        "{path} is a SQLite file that pace did not create; it was left untouched. Give another path with --db or PACE_DB."
    )]
    Foreign { path: String },
    #[error(
        "{path} was written by a newer pace (records version {found}; this pace knows up to {supported}); it was left untouched. Update pace to open it."
    )]
    TooNew { path: String, found: i64, supported: i64 },
    #[error("cannot create the folder for the records file {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("cannot read the records file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("records file {path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    #[error("no learner named \"{0}\" in this records file")]
    NoSuchLearner(String),
    #[error("a learner named \"{0}\" already exists")]
    LearnerExists(String),
}

pub type Result<T> = std::result::Result<T, RecordsError>;

/// The open records file.
pub struct Records {
    conn: Connection,
    path: String,
}

/// `pace.sqlite3` in the user's data directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "pace").map(|d| d.data_dir().join("pace.sqlite3"))
}

impl Records {
    /// Opens (creating if needed) the records file at `path` and migrates it
    /// forward. A file pace cannot understand is refused and left as it was.
    pub fn open(path: &Path) -> Result<Records> {
        let shown = path.display().to_string();
        if path.exists() {
            check_header(path, &shown)?;
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| RecordsError::CreateDir { path: parent.display().to_string(), source })?;
        }
        let sql = |source| RecordsError::Sqlite { path: shown.clone(), source };
        // Inspect before any pragma that writes (journal_mode=WAL does).
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|_| RecordsError::NotSqlite { path: shown.clone() })?;
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(sql)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|_| RecordsError::NotSqlite { path: shown.clone() })?;
        if app_id != APPLICATION_ID && (tables > 0 || version != 0) {
            return Err(RecordsError::Foreign { path: shown });
        }
        if version > LATEST_VERSION {
            return Err(RecordsError::TooNew { path: shown, found: version, supported: LATEST_VERSION });
        }
        Self::setup(conn, shown)
    }

    /// A private in-memory file, for tests and previews.
    pub fn in_memory() -> Result<Records> {
        let conn =
            Connection::open_in_memory().map_err(|source| RecordsError::Sqlite { path: ":memory:".into(), source })?;
        Self::setup(conn, ":memory:".into())
    }

    fn setup(mut conn: Connection, path: String) -> Result<Records> {
        let sql = |source| RecordsError::Sqlite { path: path.clone(), source };
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sql)?;
        migrations::run(&mut conn).map_err(sql)?;
        Ok(Records { conn, path })
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn sql(&self, source: rusqlite::Error) -> RecordsError {
        RecordsError::Sqlite { path: self.path.clone(), source }
    }

    /// Runs `f` in one transaction, committed before returning.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> rusqlite::Result<T>) -> Result<T> {
        let path = self.path.clone();
        let sql = |source| RecordsError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(sql)?;
        let value = f(&tx).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(value)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

fn check_header(path: &Path, shown: &str) -> Result<()> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|source| RecordsError::Io { path: shown.to_string(), source })?;
    let n = file.read(&mut header).map_err(|source| RecordsError::Io { path: shown.to_string(), source })?;
    // An empty file is what SQLite itself would happily initialise.
    if n == 0 {
        return Ok(());
    }
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(RecordsError::NotSqlite { path: shown.to_string() });
    }
    Ok(())
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
