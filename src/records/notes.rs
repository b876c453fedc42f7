//! Notes: the learner's knowledge base, one own note per lesson (saved as
//! typed) plus notes imported from colleagues, which keep their author.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::row::Fields;
use super::{Records, Result, stamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub module_id: String,
    pub lesson_id: String,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Came from a colleague's export.
    pub imported: bool,
}

const COLUMNS: &str = "id, module_id, lesson_id, author, body, created_at, updated_at, imported";

fn note_row(row: &Row) -> rusqlite::Result<Note> {
    let f = Fields { row, table: "notes" };
    Ok(Note {
        id: f.get("id")?,
        module_id: f.get("module_id")?,
        lesson_id: f.get("lesson_id")?,
        author: f.get("author")?,
        body: f.get("body")?,
        created_at: f.stamp("created_at")?,
        updated_at: f.stamp("updated_at")?,
        imported: f.get("imported")?,
    })
}

impl Records {
    /// Saves the learner's own note on a lesson (creating or replacing it).
    /// An empty body deletes the note.
    pub fn save_note(
        &mut self,
        learner: i64,
        module: &str,
        lesson: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let at = stamp(now);
        self.write(|tx| {
            let author: String = tx.query_row("SELECT name FROM learners WHERE id = ?1", [learner], |r| r.get(0))?;
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM notes WHERE learner_id = ?1 AND module_id = ?2 AND lesson_id = ?3 AND imported = 0",
                    params![learner, module, lesson],
                    |r| r.get(0),
                )
                .optional()?;
            match (existing, body.trim().is_empty()) {
                (Some(id), true) => tx.execute("DELETE FROM notes WHERE id = ?1", [id]).map(|_| ()),
                (Some(id), false) => tx.execute("UPDATE notes SET body = ?2, updated_at = ?3 WHERE id = ?1", params![id, body, at]).map(|_| ()),
                (None, true) => Ok(()),
                (None, false) => tx
                    .execute(
                        "INSERT INTO notes (learner_id, module_id, lesson_id, author, body, created_at, updated_at, imported) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 0)",
                        params![learner, module, lesson, author, body, at],
                    )
                    .map(|_| ()),
            }
        })
    }

    /// The learner's own note on a lesson.
    pub fn own_note(&self, learner: i64, module: &str, lesson: &str) -> Result<Option<Note>> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM notes WHERE learner_id = ?1 AND module_id = ?2 AND lesson_id = ?3 AND imported = 0"),
                params![learner, module, lesson],
                note_row,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Every note the learner has, own and imported, by lesson then date.
    pub fn notes(&self, learner: i64) -> Result<Vec<Note>> {
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT {COLUMNS} FROM notes WHERE learner_id = ?1 ORDER BY module_id, lesson_id, created_at, id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([learner], note_row).map_err(|e| self.sql(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.sql(e))
    }

    /// Adds a colleague's note. Returns false (and adds nothing) when the
    /// learner already has a note with the same lesson, author and text.
    pub fn import_note(
        &mut self,
        learner: i64,
        module: &str,
        lesson: &str,
        author: &str,
        body: &str,
        created_at: DateTime<Utc>,
    ) -> Result<bool> {
        let at = stamp(created_at);
        self.write(|tx| {
            let dup: i64 = tx.query_row(
                "SELECT count(*) FROM notes WHERE learner_id = ?1 AND module_id = ?2 AND lesson_id = ?3 AND author = ?4 AND body = ?5",
                params![learner, module, lesson, author, body],
                |r| r.get(0),
            )?;
            if dup > 0 {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO notes (learner_id, module_id, lesson_id, author, body, created_at, updated_at, imported) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1)",
                params![learner, module, lesson, author, body, at],
            )?;
            Ok(true)
        })
    }
}
