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

/// Writes the header and one row per event.
pub fn write<W: Write>(out: W, events: &[Event]) -> std::io::Result<()> {
    let mut writer = Writer::new(out)?;
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
    pub fn new(out: W) -> std::io::Result<Writer<W>> {
        let mut inner = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(out);
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
/// spreadsheet, so text starting with a formula character gets a leading `'`.
pub fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn into_io(e: ::csv::Error) -> std::io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
