//! Reading a row by column name, strictly: a stored value pace cannot read
//! (an unknown role, a timestamp that does not parse, a draw that is not
//! JSON) is an error that names the table, column and value, never a default.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::Type;
use serde::de::DeserializeOwned;

use super::parse_stamp;

/// A stored value pace cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} in table {table}, row {row}, column {column} cannot be read: {value:?}")]
pub struct BadValue {
    pub table: &'static str,
    pub column: &'static str,
    pub row: i64,
    pub what: &'static str,
    pub value: String,
}

/// One row of `table`, read by column name.
pub(crate) struct Fields<'r, 's> {
    pub row: &'r Row<'s>,
    pub table: &'static str,
}

impl Fields<'_, '_> {
    pub fn get<T: rusqlite::types::FromSql>(&self, column: &str) -> rusqlite::Result<T> {
        self.row.get(column)
    }

    pub(crate) fn bad(&self, column: &'static str, what: &'static str, value: &str) -> rusqlite::Error {
        let row = self.row.get::<_, i64>("rowid").or_else(|_| self.row.get::<_, i64>("id")).unwrap_or(-1);
        let bad = BadValue { table: self.table, column, row, what, value: value.chars().take(80).collect() };
        rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(bad))
    }

    pub fn stamp(&self, column: &'static str) -> rusqlite::Result<DateTime<Utc>> {
        let text: String = self.row.get(column)?;
        parse_stamp(&text).ok_or_else(|| self.bad(column, "a timestamp", &text))
    }

    pub fn stamp_opt(&self, column: &'static str) -> rusqlite::Result<Option<DateTime<Utc>>> {
        let text: Option<String> = self.row.get(column)?;
        match text {
            None => Ok(None),
            Some(t) => parse_stamp(&t).map(Some).ok_or_else(|| self.bad(column, "a timestamp", &t)),
        }
    }

    pub fn json<T: DeserializeOwned>(&self, column: &'static str, what: &'static str) -> rusqlite::Result<T> {
        let text: String = self.row.get(column)?;
        serde_json::from_str(&text).map_err(|_| self.bad(column, what, &text))
    }

    pub fn count(&self, column: &'static str) -> rusqlite::Result<u32> {
        let n: i64 = self.row.get(column)?;
        u32::try_from(n).map_err(|_| self.bad(column, "a count", &n.to_string()))
    }

    pub fn count_opt(&self, column: &'static str) -> rusqlite::Result<Option<u32>> {
        let n: Option<i64> = self.row.get(column)?;
        n.map(|n| u32::try_from(n).map_err(|_| self.bad(column, "a count", &n.to_string()))).transpose()
    }

    pub fn parsed<T>(
        &self,
        column: &'static str,
        what: &'static str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> rusqlite::Result<T> {
        let text: String = self.row.get(column)?;
        parse(&text).ok_or_else(|| self.bad(column, what, &text))
    }
}
