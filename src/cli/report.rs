//! `pace report`: every learner in the records file, one row each, for the
//! trainer who runs a workstation. Text is a table that fits 100 columns.

use chrono::{DateTime, Duration, Utc};
use clap::ValueEnum;
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::content::{Audience, Catalog, sanitize};
use crate::learning::clock;
use crate::learning::ladder::{self, Status};
use crate::learning::progress::Standing;
use crate::records::{Learner, Records, stamp};

use super::{EXIT_OK, Failure, Global, curriculum, open_existing_records, pick_learner, plural, print};

/// Widest text table, in terminal columns.
pub const TEXT_WIDTH: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Csv,
    Json,
}

/// One learner's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub learner_id: i64,
    pub learner: String,
    pub role: String,
    pub new_hire: bool,
    /// Modules whose quiz the learner has passed.
    pub modules_completed: usize,
    /// Passing quiz attempts, retakes and recertifications included.
    pub quizzes_passed: usize,
    /// Mean score of every finished quiz attempt, in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_score: Option<u32>,
    /// The highest level held now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_title: Option<String>,
    /// The soonest expiry among the levels held now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    pub last_active: DateTime<Utc>,
    /// Every level held or expired, with its status.
    pub certifications: Vec<Certification>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Certification {
    pub level: String,
    pub title: String,
    #[serde(flatten)]
    pub status: Status,
}

pub(super) fn run(global: &Global, format: ReportFormat, expiring_within: Option<u32>) -> Result<u8, Failure> {
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let now = clock::now();
    let learners = match &global.learner {
        Some(name) => vec![pick_learner(&records, Some(name))?],
        None => records.learners().map_err(|e| Failure::data(e.to_string()))?,
    };
    let mut rows = Vec::new();
    for learner in &learners {
        rows.push(row(&records, &catalog, learner, now).map_err(|e| Failure::data(e.to_string()))?);
    }
    if let Some(days) = expiring_within {
        let limit = now + Duration::days(days.into());
        rows.retain(|r| r.expires_at.is_some_and(|e| e <= limit));
    }
    rows.sort_by_key(|r| (r.learner.to_lowercase(), r.learner_id));
    let text = match format {
        ReportFormat::Text => {
            if rows.is_empty() {
                match expiring_within {
                    Some(days) => {
                        format!("No learner has a certification expiring within {days} day{}.\n", plural(days as usize))
                    }
                    None => format!("No learners in {} yet.\n", records.path()),
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

/// A learner's row, from the same standing the progress pane shows.
pub fn row(records: &Records, catalog: &Catalog, learner: &Learner, now: DateTime<Utc>) -> crate::records::Result<Row> {
    let standing = Standing::read(records, catalog, learner.id)?;
    let levels = standing.levels(catalog, now);
    let (current, _) = ladder::current_and_next(&levels);
    let mut modules: Vec<&str> = standing.passes.iter().map(|p| p.module_id.as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    let scores: Vec<u32> = standing.scores.iter().map(|s| s.score).collect();
    let average = (!scores.is_empty()).then(|| {
        let sum: u64 = scores.iter().map(|&s| u64::from(s)).sum();
        let n = scores.len() as u64;
        ((sum + n / 2) / n) as u32
    });
    let expires_at = levels
        .iter()
        .filter_map(|l| match l.status {
            Status::Active { expires_at, .. } | Status::Renewal { expires_at, .. } => Some(expires_at),
            _ => None,
        })
        .min();
    Ok(Row {
        learner_id: learner.id,
        learner: sanitize::clean(&learner.name).into_owned(),
        role: learner.role.id().to_string(),
        new_hire: learner.new_hire,
        modules_completed: modules.len(),
        quizzes_passed: standing.passes.len(),
        average_score: average,
        level: current.map(|l| l.id.clone()),
        level_title: current.map(|l| l.title.clone()),
        expires_at,
        last_active: learner.last_active_at,
        certifications: levels
            .iter()
            .filter(|l| l.status != Status::NotHeld)
            .map(|l| Certification { level: l.id.clone(), title: l.title.clone(), status: l.status })
            .collect(),
    })
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
        "learner",
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
            crate::export::csv::cell(&r.learner),
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
