//! A problem found in content: where it is, what is wrong, how to fix it.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding, printed as `path:line:column: error: message` and a hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn error(
        path: &str,
        (line, column): (usize, usize),
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.to_string(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn warning(path: &str, at: (usize, usize), message: impl Into<String>, hint: impl Into<String>) -> Self {
        Problem { severity: Severity::Warning, ..Problem::error(path, at, message, hint) }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form, without the hint. The file name and the message
    /// may quote content; any control character in them is spelled out
    /// (`"single\u{1b}"`), so the line shows what the file holds and the
    /// terminal receives none.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let escape = super::sanitize::escape;
        format!("{}:{}:{}: {severity}: {}", escape(&self.path), self.line, self.column, escape(&self.message))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", super::sanitize::escape(&self.hint))?;
        }
        Ok(())
    }
}
