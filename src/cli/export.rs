//! `pace export`: learning records as CSV (for HR) or as a JSON array of
//! xAPI statements (for an LMS or LRS), on stdout or into a file.

use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use clap::ValueEnum;

use crate::export::csv::Reader;
use crate::export::{self, Filter, xapi};
use crate::records::Records;

use super::progress_bar::Progress;
use super::{EXIT_OK, Failure, Global, curriculum, open_existing_records, pick_learner, plural, write_file};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One row per event, RFC 4180
    Csv,
    /// xAPI 1.0.3 statements: one JSON array, or JSON Lines with --lines
    Xapi,
}

pub(super) fn run(
    global: &Global,
    format: ExportFormat,
    out: Option<&Path>,
    since: Option<&str>,
    (excel, lines, quiet): (bool, bool, bool),
) -> Result<u8, Failure> {
    if excel && format != ExportFormat::Csv {
        return Err(Failure::usage("--excel is for CSV: use it with --format csv"));
    }
    if lines && format != ExportFormat::Xapi {
        return Err(Failure::usage("--lines is for xAPI: use it with --format xapi"));
    }
    let layout = if lines { xapi::Layout::Lines } else { xapi::Layout::Array };
    let reader = if excel { Reader::Spreadsheet } else { Reader::Tools };
    let since = since.map(parse_since).transpose()?;
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let filter = filter(&records, global, since)?;
    let builder = match format {
        ExportFormat::Xapi => Some(xapi::Builder::new(&catalog)?),
        ExportFormat::Csv => None,
    };
    // Streamed from one query: a large export never sits in memory whole.
    let write = |sink: &mut dyn Write| -> std::io::Result<usize> {
        let mut progress =
            Progress::new("exporting events", quiet, || export::events::count(&records, &filter, false).ok());
        match &builder {
            Some(builder) => {
                let mut array = xapi::StatementWriter::new(sink, layout);
                export::events::for_each(&records, &filter, false, |e| {
                    progress.tick();
                    array.push(builder, &e)
                })?;
                let n = array.written();
                records.still_as_read()?;
                array.finish().map(|()| n)
            }
            None => {
                let mut csv = export::csv::Writer::new(sink, reader)?;
                export::events::for_each(&records, &filter, false, |e| {
                    progress.tick();
                    csv.push(&e)
                })?;
                let n = csv.written();
                records.still_as_read()?;
                csv.finish().map(|()| n)
            }
        }
    };
    match out {
        Some(path) => {
            let n = write_file(path, write)?;
            if !quiet {
                eprintln!("pace: wrote {n} event{} to {}", plural(n), crate::content::sanitize::path(path));
            }
        }
        None => {
            let mut stdout = BufWriter::new(std::io::stdout().lock());
            match write(&mut stdout) {
                // A closed pipe (`pace export ... | head`) is not an error worth reporting.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(Failure::data(format!("cannot write the export: {e}")));
                }
                _ => {}
            }
        }
    }
    Ok(EXIT_OK)
}

/// `--since`: a date (midnight UTC) or an RFC 3339 time.
pub(super) fn parse_since(text: &str) -> Result<DateTime<Utc>, Failure> {
    let text = text.trim();
    if let Some(t) = crate::learning::clock::parse(text) {
        return Ok(t);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            Failure::usage(format!(
                "--since {text:?}: not a date; use YYYY-MM-DD (e.g. 2027-01-31) or an RFC 3339 time"
            ))
        })
}

/// The events to read: `--learner NAME` (an unknown name is a data problem)
/// and `--since`.
pub(super) fn filter(records: &Records, global: &Global, since: Option<DateTime<Utc>>) -> Result<Filter, Failure> {
    let learner = match &global.learner {
        Some(_) => Some(pick_learner(records, global)?.id),
        None => None,
    };
    Ok(Filter { learner, since })
}
