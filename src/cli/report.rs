//! `pace report`: every learner in the records file, one row each, for the
//! trainer who runs a workstation. Text is a table that fits the terminal
//! (100 columns in a pipe).

use chrono::{DateTime, Duration, Utc};
use clap::ValueEnum;

use crate::content::Audience;
use crate::learning::clock;
use crate::learning::report::People;
use crate::records::stamp;

use super::table::{Column, Table, fit_lines, output_width};
use super::{EXIT_OK, Failure, Global, curriculum, pick_learner, plural, print};
use crate::export::csv::{Reader, cell};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Csv,
    Json,
}

pub use crate::learning::report::Row;

pub(super) fn run(
    global: &Global,
    format: ReportFormat,
    expiring_within: Option<u32>,
    excel: bool,
) -> Result<u8, Failure> {
    if excel && format != ReportFormat::Csv {
        return Err(Failure::usage("--excel is for CSV: use it with --format csv"));
    }
    let catalog = curriculum(global)?;
    let now = clock::now();
    // Several files (collected from workstations): one report, each person once.
    let paths = if global.db.len() > 1 { global.db.clone() } else { vec![super::db_path(global)?] };
    let mut people = People::default();
    let mut shown = Vec::new();
    for path in &paths {
        let records = super::open_existing(path)?;
        let only = match &global.learner {
            Some(_) if paths.len() == 1 => Some(pick_learner(&records, global)?.id),
            Some(name) => records.learner_by_name(name)?.map(|l| l.id).or(Some(-1)),
            None => None,
        };
        people.gather(&records, only)?;
        records.still_as_read()?;
        shown.push(records.path().to_string());
    }
    let mut rows = people.rows(&catalog, now);
    if let Some(days) = expiring_within {
        let limit = now + Duration::days(days.into());
        rows.retain(|r| r.expires_at.is_some_and(|e| e <= limit));
    }
    let text = match format {
        ReportFormat::Text => {
            if rows.is_empty() {
                match expiring_within {
                    Some(days) => {
                        format!("No learner has a certification expiring within {days} day{}.\n", plural(days as usize))
                    }
                    None => format!("No learners in {} yet.\n", crate::content::sanitize::escape(&shown.join(", "))),
                }
            } else {
                render_text(&rows, output_width())
            }
        }
        ReportFormat::Csv => {
            let reader = if excel { Reader::Spreadsheet } else { Reader::Tools };
            render_csv(&rows, reader).map_err(|e| Failure::data(format!("cannot write the CSV report: {e}")))?
        }
        ReportFormat::Json => crate::content::sanitize::to_json_pretty(&rows).unwrap_or_else(|_| "[]\n".into()),
    };
    print(&text)?;
    Ok(EXIT_OK)
}

/// A role as short as a table column wants it.
fn short_role(role: &str) -> &str {
    match Audience::from_id(role) {
        Some(Audience::Executive) => "Executive",
        Some(Audience::Coe) => "CoE",
        Some(Audience::BusinessUnit) => "Business unit",
        Some(Audience::Employee) => "Employee",
        Some(Audience::Partner) => "Partner",
        None => role,
    }
}

fn date(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

const COLUMNS: [Column; 9] = [
    Column::left("Learner").shrinks_to(10),
    Column::left("Role").shrinks_to(8),
    Column::left("New"),
    Column::right("Mods"),
    Column::right("Quiz"),
    Column::right("Avg"),
    Column::left("Level").shrinks_to(10),
    Column::left("Expires"),
    Column::left("Last active"),
];

/// The table, within `width` columns, and what its headings mean.
pub fn render_text(rows: &[Row], width: usize) -> String {
    let mut table = Table::new(&COLUMNS);
    for r in rows {
        table.row([
            r.learner.clone(),
            short_role(&r.role).to_string(),
            if r.new_hire { "yes" } else { "" }.to_string(),
            r.modules_completed.to_string(),
            r.quizzes_passed.to_string(),
            r.average_score.map_or_else(|| "-".into(), |a| format!("{a}%")),
            r.level_title.clone().unwrap_or_else(|| "-".into()),
            r.expires_at.map_or_else(|| "-".into(), date),
            date(r.last_active),
        ]);
    }
    let mut out = table.render(width);
    out.push_str(&fit_lines(
        &format!(
            "\n{} learner{}.\nMods: modules completed (quiz passed). Quiz: quizzes passed, retakes included.\n\
             Avg: average score of finished quizzes. Expires: the first held level to expire.\n",
            rows.len(),
            plural(rows.len())
        ),
        width,
    ));
    out
}

pub fn render_csv(rows: &[Row], reader: Reader) -> Result<String, ::csv::Error> {
    let mut writer = crate::export::csv::writer(Vec::new(), reader)?;
    writer.write_record([
        "learner_id",
        "learner_uuid",
        "learner",
        "email",
        "employee_id",
        "role",
        "new_hire",
        "modules_completed",
        "quizzes_passed",
        "average_score",
        "level",
        "level_expires",
        "last_active",
    ])?;
    for r in rows {
        writer.write_record([
            r.learner_id.to_string(),
            r.learner_uuid.clone(),
            cell(&r.learner),
            cell(r.email.as_deref().unwrap_or_default()),
            cell(r.employee_id.as_deref().unwrap_or_default()),
            r.role.clone(),
            if r.new_hire { "yes" } else { "no" }.to_string(),
            r.modules_completed.to_string(),
            r.quizzes_passed.to_string(),
            r.average_score.map(|a| a.to_string()).unwrap_or_default(),
            r.level.clone().unwrap_or_default(),
            r.expires_at.map(stamp).unwrap_or_default(),
            stamp(r.last_active),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
