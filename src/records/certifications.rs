//! Certification grants: history is kept; a renewal is a new grant. A grant
//! stores the organisation that granted it, so a certificate printed from it
//! says (and verifies) the same whichever curriculum is loaded later.

use chrono::{DateTime, Utc};
use rusqlite::{Row, Transaction, params};

use super::row::Fields;
use super::{Records, Result, error_in, new_uuid, stamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub level_id: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The quiz attempts that earned it.
    pub attempts: Vec<i64>,
    /// The organisation's name when granted (unknown for release 1's grants).
    pub organisation: Option<String>,
    pub uuid: String,
}

/// A level earned, as the ladder hands it to the records.
#[derive(Debug, Clone, Copy)]
pub struct NewGrant<'a> {
    pub level: &'a str,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub attempts: &'a [i64],
    pub organisation: &'a str,
}

pub(crate) fn grant_row(row: &Row) -> rusqlite::Result<Grant> {
    let f = Fields { row, table: "certifications" };
    Ok(Grant {
        id: f.get("id")?,
        level_id: f.get("level_id")?,
        granted_at: f.stamp("granted_at")?,
        expires_at: f.stamp("expires_at")?,
        attempts: f.json("attempts", "a list of attempts")?,
        organisation: f.get("organisation")?,
        uuid: f.get("uuid")?,
    })
}

/// Records a grant inside a learner event.
pub(crate) fn grant_level_in(tx: &Transaction, learner: i64, grant: NewGrant) -> Result<Grant> {
    let uuid = new_uuid();
    let attempts_json = serde_json::to_string(grant.attempts).unwrap_or_else(|_| "[]".into());
    tx.execute(
        "INSERT INTO certifications (learner_id, level_id, granted_at, expires_at, attempts, organisation, uuid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            learner,
            grant.level,
            stamp(grant.granted_at),
            stamp(grant.expires_at),
            attempts_json,
            grant.organisation,
            uuid
        ],
    )
    .map_err(|e| error_in("", e))?;
    Ok(Grant {
        id: tx.last_insert_rowid(),
        level_id: grant.level.to_string(),
        // Stored to the second, so a grant reads back exactly as recorded.
        granted_at: super::parse_stamp(&stamp(grant.granted_at)).unwrap_or(grant.granted_at),
        expires_at: super::parse_stamp(&stamp(grant.expires_at)).unwrap_or(grant.expires_at),
        attempts: grant.attempts.to_vec(),
        organisation: Some(grant.organisation.to_string()),
        uuid,
    })
}

/// Every grant for a learner, oldest first (also inside a transaction).
pub(crate) fn grants_of(conn: &rusqlite::Connection, learner: i64) -> rusqlite::Result<Vec<Grant>> {
    let mut stmt = conn.prepare(
        "SELECT id, level_id, granted_at, expires_at, attempts, organisation, uuid
           FROM certifications WHERE learner_id = ?1 ORDER BY granted_at, id",
    )?;
    let rows = stmt.query_map([learner], grant_row)?;
    rows.collect()
}

impl Records {
    /// Records a grant in its own transaction.
    pub fn grant_level(&mut self, learner: i64, grant: NewGrant) -> Result<Grant> {
        self.event(|tx| grant_level_in(tx, learner, grant))
    }

    /// Every grant for a learner, oldest first.
    pub fn grants(&self, learner: i64) -> Result<Vec<Grant>> {
        grants_of(self.conn(), learner).map_err(|e| self.sql(e))
    }
}
