//! The CSV export for HR: one row per recorded event, RFC 4180 (quoted where
//! needed, CRLF line ends), written with the `csv` crate.

use std::io::Write;

use super::events::{Event, What};

pub const HEADER: [&str; 12] = [
    "timestamp",
    "learner_id",
    "learner",
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
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(out);
    writer.write_record(HEADER).map_err(into_io)?;
    for event in events {
        writer.write_record(row(event)).map_err(into_io)?;
    }
    writer.flush()
}

/// The cells of one event's row, in `HEADER` order.
pub fn row(event: &Event) -> [String; 12] {
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
        cell(&event.learner.name),
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
/// Text is cleaned of control characters first (newlines stay, quoted), so
/// the file is as safe to print (CSV to a terminal) as the trainer.
pub fn cell(text: &str) -> String {
    let text = crate::content::sanitize::clean(text).into_owned();
    match text.chars().next() {
        Some('=' | '+' | '-' | '@') => format!("'{text}"),
        _ => text,
    }
}

fn into_io(e: ::csv::Error) -> std::io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
