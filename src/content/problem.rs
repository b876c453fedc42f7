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

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form, without the hint.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let line = format!("{}:{}:{}: {}: {}", self.path, self.line, self.column, severity, self.message);
        super::sanitize::clean(&line).into_owned()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", super::sanitize::clean(&self.hint))?;
        }
        Ok(())
    }
}
