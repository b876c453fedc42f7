//! Reading a row by column name, strictly: a stored value pace cannot read
//! (an unknown role, a timestamp that does not parse, a draw that is not
//! JSON) is an error that names the table, column and value, never a default.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::{Type, ValueRef};
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

/// A column of a row: by name, or by a position found once ([`At`]) when
/// a query reads a million rows and looking names up would dominate.
pub(crate) trait Column: Copy {
    fn name(self) -> &'static str;
    fn index(self, row: &Row) -> rusqlite::Result<usize>;
}

impl Column for &'static str {
    fn name(self) -> &'static str {
        self
    }

    fn index(self, row: &Row) -> rusqlite::Result<usize> {
        row.as_ref().column_index(self)
    }
}

/// A column by its position in the query, with its name for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At(pub usize, pub &'static str);

impl At {
    /// The column named `name` in the statement's results.
    pub fn find(stmt: &rusqlite::Statement, name: &'static str) -> rusqlite::Result<At> {
        stmt.column_index(name).map(|i| At(i, name))
    }
}

impl Column for At {
    fn name(self) -> &'static str {
        self.1
    }

    fn index(self, _: &Row) -> rusqlite::Result<usize> {
        Ok(self.0)
    }
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

    pub fn get_at<T: rusqlite::types::FromSql>(&self, column: At) -> rusqlite::Result<T> {
        self.row.get(column.0)
    }

    pub(crate) fn bad(&self, column: &'static str, what: &'static str, value: &str) -> rusqlite::Error {
        let row = self.row.get::<_, i64>("rowid").or_else(|_| self.row.get::<_, i64>("id")).unwrap_or(-1);
        let bad = BadValue { table: self.table, column, row, what, value: value.chars().take(80).collect() };
        rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(bad))
    }

    /// The column's text. A NULL, a number or a blob where pace stores text
    /// (or text that is not UTF-8) is a bad value too, named like any other.
    fn text(&self, column: impl Column, what: &'static str) -> rusqlite::Result<String> {
        match self.row.get_ref(column.index(self.row)?)? {
            ValueRef::Text(t) => std::str::from_utf8(t)
                .map(str::to_string)
                .map_err(|_| self.bad(column.name(), what, &String::from_utf8_lossy(t))),
            other => Err(self.bad(column.name(), what, &shown(other))),
        }
    }

    fn text_opt(&self, column: impl Column, what: &'static str) -> rusqlite::Result<Option<String>> {
        match self.row.get_ref(column.index(self.row)?)? {
            ValueRef::Null => Ok(None),
            _ => self.text(column, what).map(Some),
        }
    }

    pub fn stamp(&self, column: impl Column) -> rusqlite::Result<DateTime<Utc>> {
        let text = self.text(column, "a timestamp")?;
        parse_stamp(&text).ok_or_else(|| self.bad(column.name(), "a timestamp", &text))
    }

    pub fn stamp_opt(&self, column: impl Column) -> rusqlite::Result<Option<DateTime<Utc>>> {
        match self.text_opt(column, "a timestamp")? {
            None => Ok(None),
            Some(t) => parse_stamp(&t).map(Some).ok_or_else(|| self.bad(column.name(), "a timestamp", &t)),
        }
    }

    pub fn json<T: DeserializeOwned>(&self, column: impl Column, what: &'static str) -> rusqlite::Result<T> {
        let text = self.text(column, what)?;
        serde_json::from_str(&text).map_err(|_| self.bad(column.name(), what, &text))
    }

    pub fn count(&self, column: impl Column) -> rusqlite::Result<u32> {
        match self.row.get_ref(column.index(self.row)?)? {
            ValueRef::Integer(n) => u32::try_from(n).map_err(|_| self.bad(column.name(), "a count", &n.to_string())),
            other => Err(self.bad(column.name(), "a count", &shown(other))),
        }
    }

    pub fn count_opt(&self, column: impl Column) -> rusqlite::Result<Option<u32>> {
        match self.row.get_ref(column.index(self.row)?)? {
            ValueRef::Null => Ok(None),
            _ => self.count(column).map(Some),
        }
    }

    pub fn parsed<T>(
        &self,
        column: impl Column,
        what: &'static str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> rusqlite::Result<T> {
        let text = self.text(column, what)?;
        parse(&text).ok_or_else(|| self.bad(column.name(), what, &text))
    }
}

/// A stored value as a message quotes it.
pub(crate) fn shown(value: ValueRef) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("a blob of {} bytes", b.len()),
    }
}
