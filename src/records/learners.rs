//! Learners: several can share one records file (an orientation workstation).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{Records, RecordsError, Result, parse_stamp, stamp};
use crate::content::Audience;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    pub id: i64,
    pub name: String,
    pub role: Audience,
    pub new_hire: bool,
    pub created_at: DateTime<Utc>,
    pub last_active_at: DateTime<Utc>,
}

impl Learner {
    fn from_row(row: &Row) -> rusqlite::Result<Learner> {
        let role: String = row.get(2)?;
        let created: String = row.get(4)?;
        let active: String = row.get(5)?;
        Ok(Learner {
            id: row.get(0)?,
            name: row.get(1)?,
            role: Audience::from_id(&role).unwrap_or(Audience::Employee),
            new_hire: row.get(3)?,
            created_at: parse_stamp(&created).unwrap_or_default(),
            last_active_at: parse_stamp(&active).unwrap_or_default(),
        })
    }
}

const COLUMNS: &str = "id, name, role, new_hire, created_at, last_active_at";

impl Records {
    /// Adds a learner; names are unique in a file (ignoring case and outer spaces).
    pub fn add_learner(&mut self, name: &str, role: Audience, new_hire: bool, now: DateTime<Utc>) -> Result<Learner> {
        let name = name.trim();
        if self.learner_by_name(name)?.is_some() {
            return Err(RecordsError::LearnerExists(name.to_string()));
        }
        let at = stamp(now);
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO learners (name, role, new_hire, created_at, last_active_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name, role.id(), new_hire, at],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Learner { id, name: name.to_string(), role, new_hire, created_at: now, last_active_at: now })
    }

    /// Every learner, most recently active first.
    pub fn learners(&self) -> Result<Vec<Learner>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM learners ORDER BY last_active_at DESC, name"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([], Learner::from_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }

    pub fn learner_by_name(&self, name: &str) -> Result<Option<Learner>> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM learners WHERE lower(trim(name)) = lower(trim(?1))"),
                [name],
                Learner::from_row,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Marks the learner active now (shown in reports and the picker order).
    pub fn touch_learner(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let at = stamp(now);
        self.write(|tx| {
            tx.execute("UPDATE learners SET last_active_at = ?2 WHERE id = ?1", params![id, at]).map(|_| ())
        })
    }
}
