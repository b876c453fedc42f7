//! The CSV export for HR: one row per recorded event, RFC 4180 (quoted where
//! needed, CRLF line ends), written with the `csv` crate.

use std::io::Write;

use super::events::{Event, What};

pub const HEADER: [&str; 15] = [
    "timestamp",
    "learner_id",
    "learner_uuid",
    "learner",
    "email",
    "employee_id",
    "role",
    "event",
    "module",
    "item",
    "response",
    "correct",
    "score",
    "expires",
    "uuid",
];

/// The UTF-8 byte order mark: spreadsheets (Excel above all) read a CSV
/// file that starts with it as UTF-8, so "Zoë" does not show as "ZoÃ«".
pub const BOM: &str = "\u{feff}";

/// Who reads the CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Scripts and data tools: plain RFC 4180, no byte order mark.
    Tools,
    /// Spreadsheets: the same, after a byte order mark.
    Spreadsheet,
}

impl Reader {
    pub fn preamble(self) -> &'static str {
        match self {
            Reader::Tools => "",
            Reader::Spreadsheet => BOM,
        }
    }
}

/// A CSV writer as every pace CSV is written: RFC 4180, CRLF line ends,
/// after the reader's preamble.
pub fn writer<W: Write>(mut out: W, reader: Reader) -> std::io::Result<::csv::Writer<W>> {
    out.write_all(reader.preamble().as_bytes())?;
    Ok(::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(out))
}

/// Writes the header and one row per event.
pub fn write<W: Write>(out: W, events: &[Event], reader: Reader) -> std::io::Result<()> {
    let mut writer = Writer::new(out, reader)?;
    for event in events {
        writer.push(event)?;
    }
    writer.finish()
}

/// The CSV export written an event at a time.
pub struct Writer<W: Write> {
    inner: ::csv::Writer<W>,
    written: usize,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, reader: Reader) -> std::io::Result<Writer<W>> {
        let mut inner = writer(out, reader)?;
        inner.write_record(HEADER).map_err(into_io)?;
        Ok(Writer { inner, written: 0 })
    }

    pub fn push(&mut self, event: &Event) -> std::io::Result<()> {
        self.written += 1;
        self.inner.write_record(row(event)).map_err(into_io)
    }

    pub fn written(&self) -> usize {
        self.written
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The cells of one event's row, in `HEADER` order.
pub fn row(event: &Event) -> [String; 15] {
    let stamp = crate::records::stamp;
    let (item, response, correct, score, expires) = match &event.what {
        What::LessonCompleted { lesson, .. } => {
            (lesson.clone(), String::new(), String::new(), String::new(), String::new())
        }
        What::Answered { question, chosen, correct, .. } => {
            (question.clone(), chosen.join(";"), yes_no(*correct), String::new(), String::new())
        }
        What::QuizFinished { score, .. } => {
            ("quiz".into(), String::new(), String::new(), score.to_string(), String::new())
        }
        What::LevelGranted { level, expires_at } => {
            (level.clone(), String::new(), String::new(), String::new(), stamp(*expires_at))
        }
    };
    [
        stamp(event.at),
        event.learner.id.to_string(),
        event.learner.uuid.clone(),
        cell(&event.learner.name),
        cell(event.learner.email.as_deref().unwrap_or_default()),
        cell(event.learner.employee_id.as_deref().unwrap_or_default()),
        event.learner.role.id().to_string(),
        event.what.name().to_string(),
        cell(event.what.module().unwrap_or_default()),
        cell(&item),
        cell(&response),
        correct,
        score,
        expires,
        event.uuid.clone(),
    ]
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// A learner names themselves on a shared workstation; a name such as
/// `=HYPERLINK(...)` must not become a formula when HR opens the file in a
/// spreadsheet, so text that starts with a formula character, or with tabs,
/// carriage returns or spaces and then one (spreadsheets skip those), gets a
/// leading `'`. Text is cleaned of control characters first (newlines stay,
/// quoted), so the file is as safe to print as the trainer. Every text cell
/// of every pace CSV goes through here.
pub fn cell(text: &str) -> String {
    let after_blanks = text.trim_start_matches([' ', '\t', '\r']);
    let risky = matches!(after_blanks.chars().next(), Some('=' | '+' | '-' | '@'))
        || matches!(text.chars().next(), Some('\t' | '\r'));
    let text = crate::content::sanitize::clean(text).into_owned();
    if risky { format!("'{text}") } else { text }
}

fn into_io(e: ::csv::Error) -> std::io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_even_after_blanks() {
        for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =HYPERLINK(\"x\")", " \t @x", "\tplain"] {
            assert_eq!(cell(risky), format!("'{}", crate::content::sanitize::clean(risky)), "{risky:?}");
        }
        for safe in ["Ana Ruiz", "O'Neil", " Ana", "a=b", "", "Zoë"] {
            assert_eq!(cell(safe), safe, "{safe:?}");
        }
    }
}
