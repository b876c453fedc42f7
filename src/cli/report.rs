//! `pace report`: every learner in the records file, one row each, for the
//! trainer who runs a workstation. Text is a table that fits 100 columns.

use chrono::{DateTime, Duration, Utc};
use clap::ValueEnum;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::content::Audience;
use crate::learning::clock;
use crate::learning::report::People;
use crate::records::stamp;

use super::{EXIT_OK, Failure, Global, curriculum, pick_learner, plural, print};

/// Widest text table, in terminal columns.
pub const TEXT_WIDTH: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Csv,
    Json,
}

pub use crate::learning::report::Row;

pub(super) fn run(global: &Global, format: ReportFormat, expiring_within: Option<u32>) -> Result<u8, Failure> {
    let catalog = curriculum(global)?;
    let now = clock::now();
    let data = |e: crate::records::RecordsError| Failure::data(e.to_string());
    // Several files (collected from workstations): one report, each person once.
    let paths = if global.db.len() > 1 { global.db.clone() } else { vec![super::db_path(global)?] };
    let mut people = People::default();
    let mut shown = Vec::new();
    for path in &paths {
        let records = super::open_existing(path)?;
        let only = match &global.learner {
            Some(name) if paths.len() == 1 => Some(pick_learner(&records, Some(name))?.id),
            Some(name) => records.learner_by_name(name).map_err(data)?.map(|l| l.id).or(Some(-1)),
            None => None,
        };
        people.gather(&records, only).map_err(data)?;
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
                    None => format!("No learners in {} yet.\n", shown.join(", ")),
                }
            } else {
                render_text(&rows)
            }
        }
        ReportFormat::Csv => {
            render_csv(&rows).map_err(|e| Failure::data(format!("cannot write the CSV report: {e}")))?
        }
        ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())),
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

const HEADS: [&str; 9] = ["Learner", "Role", "New", "Mods", "Quiz", "Avg", "Level", "Expires", "Last active"];
const RIGHT: [bool; 9] = [false, false, false, true, true, true, false, false, false];
/// Columns that give up width, with their narrowest, when the table is too wide.
const SHRINK: [(usize, usize); 3] = [(0, 10), (6, 10), (1, 8)];
const GAP: usize = 2;

pub fn render_text(rows: &[Row]) -> String {
    let cells: Vec<[String; 9]> = rows
        .iter()
        .map(|r| {
            [
                // One line per learner, whatever was typed into the name.
                r.learner.split_whitespace().collect::<Vec<_>>().join(" "),
                short_role(&r.role).to_string(),
                if r.new_hire { "yes" } else { "" }.to_string(),
                r.modules_completed.to_string(),
                r.quizzes_passed.to_string(),
                r.average_score.map_or_else(|| "-".into(), |a| format!("{a}%")),
                r.level_title.clone().unwrap_or_else(|| "-".into()),
                r.expires_at.map_or_else(|| "-".into(), date),
                date(r.last_active),
            ]
        })
        .collect();
    let mut widths: Vec<usize> =
        (0..9).map(|i| cells.iter().map(|c| c[i].width()).chain([HEADS[i].width()]).max().unwrap_or(0)).collect();
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * (w.len() - 1);
    while total(&widths) > TEXT_WIDTH {
        let Some(&(col, _)) = SHRINK.iter().filter(|(c, min)| widths[*c] > *min).max_by_key(|(c, _)| widths[*c]) else {
            break;
        };
        widths[col] -= 1;
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let cell = fit(cell, widths[i]);
            let pad = " ".repeat(widths[i] - cell.width());
            if i > 0 {
                out.push_str(&" ".repeat(GAP));
            }
            if RIGHT[i] {
                out.push_str(&pad);
                out.push_str(&cell);
            } else {
                out.push_str(&cell);
                out.push_str(&pad);
            }
        }
        format!("{}\n", out.trim_end())
    };
    let mut out = line(&HEADS.map(String::from));
    for row in &cells {
        out.push_str(&line(row));
    }
    out.push_str(&format!(
        "\n{} learner{}. Mods: modules completed (quiz passed). Quiz: quizzes passed, retakes included.\n\
         Avg: average score of finished quizzes. Expires: the first held level to expire.\n",
        rows.len(),
        plural(rows.len())
    ));
    out
}

/// `text` cut to `width` columns, ending in an ellipsis when cut.
pub(super) fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

pub fn render_csv(rows: &[Row]) -> Result<String, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
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
            crate::export::csv::cell(&r.learner),
            crate::export::csv::cell(r.email.as_deref().unwrap_or_default()),
            crate::export::csv::cell(r.employee_id.as_deref().unwrap_or_default()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_by_display_width() {
        assert_eq!(fit("Ana", 5), "Ana");
        assert_eq!(fit("Social Business Black Belt", 10), "Social Bu…");
        assert_eq!(fit("日本語の名前", 7), "日本語…");
        assert!(fit("日本語の名前", 7).width() <= 7);
    }
}
