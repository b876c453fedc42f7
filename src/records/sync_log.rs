//! The sync log: which xAPI statements (by their uuid) an LRS has accepted.
//! A statement is sent once, to the first LRS that takes it.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Records, Result, stamp};

impl Records {
    /// Uuids of every statement already accepted by an LRS.
    pub fn synced_uuids(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn().prepare("SELECT uuid FROM sync_log").map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<HashSet<_>>>().map_err(|e| self.sql(e))
    }

    /// Records that `endpoint` accepted these statements, in one transaction.
    /// A uuid already logged keeps its first entry.
    pub fn mark_synced(&mut self, uuids: &[&str], endpoint: &str, now: DateTime<Utc>) -> Result<()> {
        let at = stamp(now);
        self.write(|tx| {
            let mut insert = tx.prepare(
                "INSERT INTO sync_log (uuid, sent_at, endpoint) VALUES (?1, ?2, ?3) ON CONFLICT (uuid) DO NOTHING",
            )?;
            for uuid in uuids {
                insert.execute(params![uuid, at, endpoint])?;
            }
            Ok(())
        })
    }
}
