//! `pace progress`: one learner's progress without the trainer.

use std::fmt::Write as _;

use crate::content::{Catalog, sanitize};
use crate::learning::ladder::{LevelView, Status};
use crate::learning::progress::{Summary, module_title, requirement_lines, status_text};
use crate::learning::{self, clock};

use super::table::{Column, Table, fit_lines, output_width};
use super::{EXIT_OK, Failure, Format, Global, curriculum, open_existing_records, pick_learner, plural, print};

pub(super) fn run(global: &Global, format: Format) -> Result<u8, Failure> {
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let learner = pick_learner(&records, global)?;
    let now = clock::now();
    let summary = learning::progress::summary(&records, &catalog, &learner, now)?;
    records.still_as_read()?;
    match format {
        Format::Text => print(&render_text(&summary, &catalog, output_width()))?,
        Format::Json => {
            print(&format!("{}\n", crate::content::sanitize::to_json_pretty(&summary).unwrap_or_default().trim_end()))?
        }
    }
    Ok(EXIT_OK)
}

const TRACKS: [Column; 5] = [
    Column::left("Track").shrinks_to(12),
    Column::right("Done"),
    Column::right("Lessons"),
    Column::right("Quizzes"),
    Column::right("Reading"),
];
const SCORES: [Column; 4] =
    [Column::left("When"), Column::right("Score"), Column::left("Result"), Column::left("Module").shrinks_to(12)];
const CERTIFICATIONS: [Column; 2] = [Column::left("Level").shrinks_to(12), Column::left("Status")];

/// The plain-text form of `pace progress`, within `width` columns.
pub fn render_text(s: &Summary, catalog: &Catalog, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}{})", sanitize::clean(&s.learner), s.role, if s.new_hire { ", new hire" } else { "" });
    match &s.current_level {
        Some(level) => {
            let _ = writeln!(out, "Level: {} ({})", level.title, status_text(level.status));
        }
        None => {
            let _ = writeln!(out, "Level: none yet");
        }
    }
    if let Some(next) = &s.next_level {
        let _ =
            writeln!(out, "Next: {} - {} requirement{} left", next.title, next.remaining(), plural(next.remaining()));
        for line in requirement_lines(next, &|id| module_title(catalog, id)) {
            let _ = writeln!(out, "  {line}");
        }
    }
    let mut out = fit_lines(&out, width);

    let mut tracks = Table::new(&TRACKS);
    for t in &s.tracks {
        tracks.row([
            t.title.clone(),
            format!("{}%", t.percent),
            format!("{}/{}", t.lessons_done, t.lessons_total),
            format!("{}/{}", t.quizzes_passed, t.modules_total),
            format!("{} min", t.minutes_spent),
        ]);
    }
    out.push('\n');
    out.push_str(&tracks.render(width));

    if !s.recent_scores.is_empty() {
        let mut scores = Table::new(&SCORES).without_header().indent(2);
        for score in &s.recent_scores {
            scores.row([
                score.at.format("%Y-%m-%d").to_string(),
                format!("{}%", score.score),
                if score.passed { "pass" } else { "fail" }.to_string(),
                score.module_title.clone(),
            ]);
        }
        out.push_str("\nRecent scores:\n");
        out.push_str(&scores.render(width));
    }
    let held: Vec<&LevelView> = s.levels.iter().filter(|l| !matches!(l.status, Status::NotHeld)).collect();
    if !held.is_empty() {
        let mut certifications = Table::new(&CERTIFICATIONS).without_header().indent(2);
        for level in held {
            certifications.row([level.title.clone(), status_text(level.status)]);
        }
        out.push_str("\nCertifications:\n");
        out.push_str(&certifications.render(width));
    }
    out.push_str(&fit_lines(
        &format!(
            "\nStreak: {} day{}   Modules passed: {}   Lessons completed: {}\n",
            s.streak_days,
            plural(s.streak_days as usize),
            s.modules_passed,
            s.lessons_completed
        ),
        width,
    ));
    out
}
