//! Saving what a damaged records file still holds: every row SQLite can
//! read, into a new file, counted per table.
//!
//! SQLite refuses a file whose table list (`sqlite_schema`) it cannot parse
//! ("malformed database schema"), although the tables themselves may be
//! whole. pace knows the schema a records file must have, so it mends the
//! list on a copy of the file (never the file itself): with
//! `PRAGMA writable_schema=ON`, each entry it can read is given back pace's
//! own name and definition, matched by its name or, failing that, by its
//! root page (where pace's migrations put each table in a file they made);
//! an entry that matches nothing is dropped. The copy then opens, and each
//! table is read row by row, past damaged pages where the rowid order
//! allows, into a new file made by pace's migrations. The bundled SQLite
//! has no recovery extension; this needs none.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, params_from_iter};

use super::DoctorError;
use super::checks::ident;
use crate::records::migrations;

/// What one table gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSaved {
    pub table: String,
    /// Rows written to the new file.
    pub saved: u64,
    /// Rows the file holds that could not be read, when SQLite can count them.
    pub lost: Option<u64>,
    /// Read to the end without meeting damage.
    pub whole: bool,
}

/// An entry of pace's schema: type, name, table, root page in a file pace made, SQL.
struct Known {
    kind: String,
    name: String,
    table: String,
    rootpage: i64,
    sql: Option<String>,
}

/// pace's schema, as its migrations make it.
fn known_schema() -> rusqlite::Result<Vec<Known>> {
    let mut conn = Connection::open_in_memory()?;
    migrations::run(&mut conn)?;
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        Ok(Known { kind: r.get(0)?, name: r.get(1)?, table: r.get(2)?, rootpage: r.get(3)?, sql: r.get(4)? })
    })?;
    rows.collect()
}

/// Copies the file at `path` (with its `-wal`) to `work`, mends the copy's
/// table list, and writes every row it can read to a new file at `to`
/// (made by pace's migrations). `work` and its `-wal`/`-shm` are removed after.
pub(super) fn salvage(path: &Path, work: &Path, to: &Path, shown: &str) -> Result<Vec<TableSaved>, DoctorError> {
    let failed = |detail: String| DoctorError::Copy { path: shown.to_string(), to: to.display().to_string(), detail };
    let beside = |p: &Path, end: &str| PathBuf::from(format!("{}{end}", p.display()));
    let clean = || {
        for end in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(beside(work, end));
        }
    };
    clean();
    let copied =
        std::fs::copy(path, work).and_then(|_| match std::fs::copy(beside(path, "-wal"), beside(work, "-wal")) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            other => other,
        });
    if let Err(e) = copied {
        clean();
        return Err(failed(format!("cannot copy the file to work on it beside the new one: {e}")));
    }
    // The file's own list, mended; failing that (its pages lost, as in a
    // file cut short), a new list at the root pages pace's migrations use.
    let saved = mend(work).or_else(|_| new_list(work)).and_then(|()| copy_rows(work, to));
    clean();
    saved.map_err(|e| failed(e.to_string()))
}

/// Gives each readable entry of the copy's table list pace's definition.
fn mend(work: &Path) -> rusqlite::Result<()> {
    let known = known_schema()?;
    let conn = Connection::open_with_flags(work, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.pragma_update(None, "writable_schema", true)?;
    let entries: Vec<(i64, Option<String>, Option<i64>)> = {
        let mut stmt = conn.prepare("SELECT rowid, name, rootpage FROM sqlite_schema")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        // An entry that cannot be read ends the list: what came before is kept.
        while let Ok(Some(row)) = rows.next() {
            let rowid: i64 = row.get(0)?;
            let name = row.get::<_, String>(1).ok();
            let rootpage = row.get::<_, i64>(2).ok();
            out.push((rowid, name, rootpage));
        }
        out
    };
    let mut used = std::collections::HashSet::new();
    for (rowid, name, rootpage) in entries {
        let found = known.iter().find(|k| Some(&k.name) == name.as_ref() && !used.contains(&k.name)).or_else(|| {
            known.iter().find(|k| {
                Some(k.rootpage) == rootpage
                    && !used.contains(&k.name)
                    && name.as_deref().is_none_or(|n| !known.iter().any(|o| o.name == n))
            })
        });
        match found {
            Some(k) => {
                used.insert(k.name.clone());
                conn.execute(
                    "UPDATE sqlite_schema SET type = ?2, name = ?3, tbl_name = ?4, sql = ?5 WHERE rowid = ?1",
                    rusqlite::params![rowid, k.kind, k.name, k.table, k.sql],
                )?;
            }
            None => {
                conn.execute("DELETE FROM sqlite_schema WHERE rowid = ?1", [rowid])?;
            }
        }
    }
    // A table whose entry was lost entirely: put it back at the root page
    // pace's migrations give it, when that page is not taken.
    let taken: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT rootpage FROM sqlite_schema")?;
        stmt.query_map([], |r| r.get(0))?.filter_map(|r| r.ok()).collect()
    };
    for k in known.iter().filter(|k| !used.contains(&k.name) && !taken.contains(&k.rootpage)) {
        conn.execute(
            "INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![k.kind, k.name, k.table, k.rootpage, k.sql],
        )?;
    }
    Ok(())
}

/// Replaces the copy's table list with an empty one (page 1 made a fresh
/// leaf, the free-page list dropped) and writes pace's entries into it, at
/// the root pages pace's migrations give each table in a file they made.
fn new_list(work: &Path) -> rusqlite::Result<()> {
    use std::io::{Read, Seek, SeekFrom, Write};
    let known = known_schema()?;
    let io = io_error;
    let mut file = std::fs::OpenOptions::new().read(true).write(true).open(work).map_err(io)?;
    let _ = std::fs::remove_file(PathBuf::from(format!("{}-wal", work.display())));
    let _ = std::fs::remove_file(PathBuf::from(format!("{}-shm", work.display())));
    let mut header = [0u8; 100];
    file.read_exact(&mut header).map_err(io)?;
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536usize,
        n => usize::from(n),
    };
    let len = file.metadata().map_err(io)?.len();
    // The new list's pages go after every root page pace's tables may have,
    // never over one (a file cut short is made long enough, with empty pages).
    let last_root = known.iter().map(|k| k.rootpage).max().unwrap_or(1);
    let held = u32::try_from(len / page_size as u64).unwrap_or(u32::MAX);
    let pages = held.max(u32::try_from(last_root).unwrap_or(1));
    file.set_len(u64::from(pages) * page_size as u64).map_err(io)?;
    header[28..32].copy_from_slice(&pages.to_be_bytes());
    header[32..40].fill(0);
    // Rollback journal mode: no -wal from the damaged file's past.
    header[18] = 1;
    header[19] = 1;
    let mut page = vec![0u8; page_size];
    page[..100].copy_from_slice(&header);
    page[100] = 0x0D;
    let content_start = if page_size == 65_536 { 0 } else { page_size as u16 };
    page[105..107].copy_from_slice(&content_start.to_be_bytes());
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    file.write_all(&page).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    let conn = Connection::open_with_flags(work, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.pragma_update(None, "writable_schema", true)?;
    // A table whose root page the file no longer holds is left out: unread, not empty.
    for k in known.iter().filter(|k| k.rootpage <= i64::from(held)) {
        conn.execute(
            "INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![k.kind, k.name, k.table, k.rootpage, k.sql],
        )?;
    }
    Ok(())
}

/// Reads every table of the mended copy into a new file at `to`.
fn copy_rows(work: &Path, to: &Path) -> rusqlite::Result<Vec<TableSaved>> {
    let from = Connection::open_with_flags(work, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    from.pragma_update(None, "writable_schema", true)?;
    let partial = PathBuf::from(format!("{}.partial", to.display()));
    let _ = std::fs::remove_file(&partial);
    let written = (|| {
        let mut out = Connection::open(&partial)?;
        migrations::run(&mut out)?;
        out.pragma_update(None, "foreign_keys", "OFF")?;
        let tables: Vec<String> = known_schema()?.into_iter().filter(|k| k.kind == "table").map(|k| k.name).collect();
        let tx = out.transaction()?;
        let saved = tables.iter().map(|t| copy_table(&from, &tx, t)).collect::<rusqlite::Result<Vec<_>>>()?;
        tx.commit()?;
        out.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(saved)
    })();
    match written.and_then(|saved| std::fs::rename(&partial, to).map(|()| saved).map_err(io_error)) {
        Ok(saved) => Ok(saved),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn io_error(e: std::io::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// Largest number of jumps tried past damage in one table.
const JUMPS: u32 = 48;

/// Copies one table row by row, in rowid order; at damage, jumps ahead
/// (1, 2, 4... rowids) to the next row SQLite can reach.
fn copy_table(from: &Connection, to: &rusqlite::Transaction, table: &str) -> rusqlite::Result<TableSaved> {
    let t = ident(table);
    let columns: Vec<String> = match from.prepare(&format!("SELECT * FROM {t} LIMIT 0")) {
        Ok(stmt) => stmt.column_names().map(str::to_string).collect(),
        Err(_) => return Ok(TableSaved { table: table.to_string(), saved: 0, lost: None, whole: false }),
    };
    let target: Vec<String> = {
        let stmt = to.prepare(&format!("SELECT * FROM {t} LIMIT 0"))?;
        stmt.column_names().map(str::to_string).collect()
    };
    let shared: Vec<&String> = columns.iter().filter(|c| target.contains(c)).collect();
    let list = shared.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ");
    let marks = vec!["?"; shared.len() + 1].join(", ");
    let mut insert = to.prepare(&format!("INSERT OR IGNORE INTO {t} (rowid, {list}) VALUES ({marks})"))?;
    let mut read = from.prepare(&format!("SELECT rowid, {list} FROM {t} WHERE rowid > ?1 ORDER BY rowid"))?;
    let mut saved = 0u64;
    let mut whole = true;
    let mut after = i64::MIN;
    let mut jumps = 0u32;
    let mut step: i64 = 1;
    let mut seen = BTreeSet::new();
    loop {
        let mut rows = read.query([after])?;
        let mut progressed = false;
        let stopped = loop {
            match rows.next() {
                Ok(Some(row)) => {
                    let values: rusqlite::Result<Vec<Value>> =
                        (0..=shared.len()).map(|i| row.get::<_, Value>(i)).collect();
                    let Ok(values) = values else { break true };
                    let Value::Integer(rowid) = values[0] else { break true };
                    if seen.insert(rowid) {
                        saved += insert.execute(params_from_iter(values.iter()))? as u64;
                    }
                    after = rowid;
                    progressed = true;
                }
                Ok(None) => break false,
                Err(_) => break true,
            }
        };
        if !stopped {
            break;
        }
        whole = false;
        if progressed {
            step = 1;
        }
        jumps += 1;
        if jumps > JUMPS {
            break;
        }
        after = after.saturating_add(step);
        step = step.saturating_mul(2);
    }
    let counted: Option<i64> = from.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).ok();
    let lost = counted.map(|n| (n.max(0) as u64).saturating_sub(saved));
    let whole = whole && lost.is_none_or(|l| l == 0);
    Ok(TableSaved { table: table.to_string(), saved, lost: if whole { Some(0) } else { lost }, whole })
}
