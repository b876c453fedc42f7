//! Stored ids checked against what they must be: a statement id (the id an
//! LRS stores a statement under) is a UUID in its hyphenated form, or the
//! LRS refuses the statement forever; a module or question id is one the
//! curriculum in use holds, inside a stored quiz draw too, or it is named.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::checks::ident;
use super::{Finding, Problem};

/// The ids a curriculum holds: each module's question ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownIds {
    pub modules: BTreeMap<String, BTreeSet<String>>,
}

/// Columns holding statement ids: (table, column, may be empty).
const STATEMENT_IDS: &[(&str, &str, bool)] = &[
    ("answers", "uuid", false),
    ("quiz_attempts", "uuid", false),
    ("certifications", "uuid", false),
    ("lesson_progress", "completion_uuid", true),
];

/// A UUID as xAPI wants a statement id: 8-4-4-4-12 hexadecimal digits.
pub fn is_statement_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

fn text(v: ValueRef) -> Option<String> {
    match v {
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Blob(b) => Some(format!("a blob of {} bytes", b.len())),
    }
}

/// Statement ids that are not UUIDs, one finding per column.
pub(super) fn statement_ids(
    conn: &Connection,
    has: &dyn Fn(&str, &str) -> bool,
    out: &mut Vec<Finding>,
) -> rusqlite::Result<()> {
    for &(table, column, nullable) in STATEMENT_IDS {
        if !has(table, column) {
            continue;
        }
        let mut stmt =
            conn.prepare(&format!("SELECT rowid, {} FROM {} ORDER BY rowid", ident(column), ident(table)))?;
        let mut rows = stmt.query([])?;
        let mut found: Option<Finding> = None;
        while let Some(row) = rows.next()? {
            let value = text(row.get_ref(1)?);
            let fine = match &value {
                None => nullable,
                Some(v) => is_statement_id(v),
            };
            if fine {
                continue;
            }
            match &mut found {
                Some(f) => f.count += 1,
                None => {
                    found = Some(Finding {
                        problem: Problem::BadStatementId {
                            table: table.into(),
                            column: column.into(),
                            row: row.get(0)?,
                            value,
                        },
                        count: 1,
                    })
                }
            }
        }
        out.extend(found);
    }
    Ok(())
}

/// Module and question ids the curriculum does not hold, one finding per kind of place.
pub(super) fn unknown_ids(
    conn: &Connection,
    known: &KnownIds,
    has: &dyn Fn(&str, &str) -> bool,
    out: &mut Vec<Finding>,
) -> rusqlite::Result<()> {
    let note =
        |place: &'static str, row: i64, id: String, module: Option<String>, found: &mut Option<Finding>| match found {
            Some(f) => f.count += 1,
            None => {
                *found =
                    Some(Finding { problem: Problem::UnknownId { place: place.into(), row, id, module }, count: 1 })
            }
        };
    for table in ["lesson_progress", "lesson_views", "quiz_attempts", "answers", "review_items"] {
        if !has(table, "module_id") {
            continue;
        }
        let mut found = None;
        let mut stmt = conn.prepare(&format!("SELECT rowid, module_id FROM {} ORDER BY rowid", ident(table)))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let Some(module) = text(row.get_ref(1)?) else { continue };
            if !known.modules.contains_key(&module) {
                note(module_place(table), row.get(0)?, module, None, &mut found);
            }
        }
        out.extend(found);
    }
    for (table, place) in [("answers", "a recorded answer's question"), ("review_items", "a review item's question")] {
        if !has(table, "question_id") || !has(table, "module_id") {
            continue;
        }
        let mut found = None;
        let mut stmt =
            conn.prepare(&format!("SELECT rowid, module_id, question_id FROM {} ORDER BY rowid", ident(table)))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (Some(module), Some(question)) = (text(row.get_ref(1)?), text(row.get_ref(2)?)) else { continue };
            if known.modules.get(&module).is_some_and(|qs| !qs.contains(&question)) {
                note(place, row.get(0)?, question, Some(module), &mut found);
            }
        }
        out.extend(found);
    }
    if has("quiz_attempts", "draw") {
        let mut found = None;
        let mut stmt = conn.prepare("SELECT id, module_id, draw FROM quiz_attempts ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (Some(module), Some(draw)) = (text(row.get_ref(1)?), text(row.get_ref(2)?)) else { continue };
            let Some(questions) = known.modules.get(&module) else { continue };
            // A draw pace cannot read is named by the value checks.
            let Ok(drawn) = serde_json::from_str::<Vec<crate::records::DrawnQuestion>>(&draw) else { continue };
            for q in drawn.into_iter().filter(|q| !questions.contains(&q.question)) {
                note("a question in a stored quiz draw", row.get(0)?, q.question, Some(module.clone()), &mut found);
            }
        }
        out.extend(found);
    }
    Ok(())
}

fn module_place(table: &str) -> &'static str {
    match table {
        "lesson_progress" => "a lesson's progress",
        "lesson_views" => "a lesson view",
        "quiz_attempts" => "a quiz attempt",
        "answers" => "a recorded answer",
        _ => "a review item",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_ids_are_hyphenated_uuids() {
        assert!(is_statement_id("6c1f5a8e-0d2b-4c1e-9a7e-3b1f2c4d5e6f"));
        assert!(!is_statement_id("6c1f5a8e-0d2b-4c1e-9a7e-3b1f2c4d5e6\u{1b}"));
        assert!(!is_statement_id("6c1f5a8e0d2b4c1e9a7e3b1f2c4d5e6f"));
        assert!(!is_statement_id("{6c1f5a8e-0d2b-4c1e-9a7e-3b1f2c4d5e6f}"));
    }
}
