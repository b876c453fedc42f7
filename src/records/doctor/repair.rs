//! `repair`: the two mends that lose nothing a learner did. Indexes are
//! rebuilt from their tables (an index is a copy), and rows naming a learner
//! or an attempt that is gone are dropped (no one can see them: every
//! screen, report and export starts from the learner). Both only after a
//! backup is written beside the file, and in one transaction.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::checks::ident;
use super::{Checkup, DoctorError, Problem, check, copy_from, shown};

/// What `repair` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// The copy of the file as it was before the repair.
    pub backup: PathBuf,
    pub reindexed: bool,
    /// (table, rows dropped), for each table that lost rows.
    pub dropped: Vec<(String, u64)>,
}

/// The file before, what was done (nothing when nothing could be), and after.
#[derive(Debug)]
pub struct Repair {
    pub before: Checkup,
    pub done: Option<Repaired>,
    pub after: Option<Checkup>,
}

/// Checks the file; when it has problems `repair` can mend and is not
/// damaged, backs it up to `backup` (which must not exist) and mends them.
pub fn repair(path: &Path, backup: &Path) -> Result<Repair, DoctorError> {
    let before = check(path)?;
    let mendable = before.findings.iter().any(|f| f.problem.repairable());
    if !mendable || !before.safe_to_repair() {
        return Ok(Repair { before, done: None, after: None });
    }
    let shown = shown(path);
    {
        // The file as it is, flaws included: its index problems are in the copy too.
        let reader = crate::records::read_only::open(path, &shown)?;
        copy_from(&reader.conn, &shown, backup)?;
        if let Err(changed) = reader.finish(&shown) {
            let _ = std::fs::remove_file(backup);
            return Err(changed.into());
        }
    }
    let reindex = before.findings.iter().any(|f| matches!(f.problem, Problem::Integrity { indexes_only: true, .. }));
    let failed = |e: rusqlite::Error| DoctorError::Repair {
        path: shown.clone(),
        backup: backup.display().to_string(),
        detail: e.to_string(),
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(failed)?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(failed)?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(failed)?;
    let dropped = mend(&mut conn, reindex).map_err(failed)?;
    drop(conn);
    let done = Repaired { backup: backup.to_path_buf(), reindexed: reindex, dropped };
    let after = check(path)?;
    Ok(Repair { before, done: Some(done), after: Some(after) })
}

/// Rebuilds the indexes if asked and drops orphan rows, in one transaction.
fn mend(conn: &mut Connection, reindex: bool) -> rusqlite::Result<Vec<(String, u64)>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if reindex {
        tx.execute_batch("REINDEX")?;
    }
    let relations: Vec<(String, String, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT m.name, f.\"from\", f.\"table\", f.\"to\"
               FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
              WHERE m.type = 'table' ORDER BY m.name, f.id",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?
    };
    let mut dropped: Vec<(String, u64)> = Vec::new();
    // Dropping an attempt orphans its answers: go round until nothing moves.
    for _ in 0..relations.len() + 1 {
        let mut moved = false;
        for (table, from, parent, to) in &relations {
            let to = if to.is_empty() { "rowid".to_string() } else { ident(to) };
            let n = tx.execute(
                &format!(
                    "DELETE FROM {t} WHERE {f} IS NOT NULL AND {f} NOT IN (SELECT {to} FROM {p})",
                    t = ident(table),
                    f = ident(from),
                    p = ident(parent),
                ),
                [],
            )? as u64;
            if n > 0 {
                moved = true;
                match dropped.iter_mut().find(|(t, _)| t == table) {
                    Some((_, count)) => *count += n,
                    None => dropped.push((table.clone(), n)),
                }
            }
        }
        if !moved {
            break;
        }
    }
    tx.commit()?;
    Ok(dropped)
}
