//! Certification grants: history is kept; a renewal is a new grant.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Records, Result, new_uuid, parse_stamp, stamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub level_id: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The quiz attempts that earned it.
    pub attempts: Vec<i64>,
    pub uuid: String,
}

impl Records {
    /// Records a grant in its own transaction.
    pub fn grant_level(
        &mut self,
        learner: i64,
        level: &str,
        granted_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        attempts: &[i64],
    ) -> Result<Grant> {
        let uuid = new_uuid();
        let attempts_json = serde_json::to_string(attempts).unwrap_or_else(|_| "[]".into());
        let (g, e) = (stamp(granted_at), stamp(expires_at));
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO certifications (learner_id, level_id, granted_at, expires_at, attempts, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![learner, level, g, e, attempts_json, uuid],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Grant { id, level_id: level.to_string(), granted_at, expires_at, attempts: attempts.to_vec(), uuid })
    }

    /// Every grant for a learner, oldest first.
    pub fn grants(&self, learner: i64) -> Result<Vec<Grant>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, level_id, granted_at, expires_at, attempts, uuid FROM certifications WHERE learner_id = ?1 ORDER BY granted_at, id")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([learner], |r| {
                let g: String = r.get(2)?;
                let e: String = r.get(3)?;
                let a: String = r.get(4)?;
                Ok(Grant {
                    id: r.get(0)?,
                    level_id: r.get(1)?,
                    granted_at: parse_stamp(&g).unwrap_or_default(),
                    expires_at: parse_stamp(&e).unwrap_or_default(),
                    attempts: serde_json::from_str(&a).unwrap_or_default(),
                    uuid: r.get(5)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }
}
