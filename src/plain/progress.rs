//! The learner's progress as sentences: level, what the next level still
//! needs, each track, recent scores and certifications with their expiry.

use std::io;

use super::{Choice, Place, Plain};
use crate::learning::ladder::Status;
use crate::learning::progress;

impl Plain<'_> {
    pub(super) fn progress(&mut self) -> io::Result<Place> {
        let Some(s) = self.session.summary() else { return Ok(Place::Picker) };
        let mut lines = Vec::new();
        let new_hire = if s.new_hire { ", new hire" } else { "" };
        lines.push(format!("Progress of {}, {}{new_hire}.", s.learner, s.role));
        lines.push(match &s.current_level {
            Some(level) => format!("Your level: {}, {}.", level.title, progress::status_text(level.status)),
            None => "Your level: none yet.".into(),
        });
        if let Some(next) = &s.next_level {
            let total = next.modules.len() + usize::from(next.previous.is_some());
            let done = total.saturating_sub(next.remaining());
            let still = progress::requirement_lines(next, &|id| progress::module_title(&self.catalog, id));
            let mut line = format!("Next level: {}, {done} of {total} requirements met.", next.title);
            if !still.is_empty() {
                line.push_str(&format!(" Still needed: {}.", still.join("; ")));
            }
            if let Status::Expired { .. } = next.status {
                line.push_str(" It has expired: retake its quizzes to recertify.");
            }
            lines.push(line);
        }
        lines.push("Tracks:".into());
        for t in &s.tracks {
            let time = match t.minutes_spent {
                0 => String::new(),
                1 => ", 1 minute of reading".into(),
                n => format!(", {n} minutes of reading"),
            };
            lines.push(format!(
                "- {}: {} of {} lessons read, {} of {} quizzes passed, {}% done{time}.",
                t.title, t.lessons_done, t.lessons_total, t.quizzes_passed, t.modules_total, t.percent
            ));
        }
        if !s.recent_scores.is_empty() {
            lines.push("Recent scores, newest first:".into());
            for score in s.recent_scores.iter().take(5) {
                let verdict = if score.passed { "passed" } else { "not passed" };
                lines.push(format!(
                    "- {}: {}% on \"{}\", {verdict}.",
                    score.at.format("%Y-%m-%d"),
                    score.score,
                    score.module_title
                ));
            }
        }
        let held: Vec<_> = s.levels.iter().filter(|l| !matches!(l.status, Status::NotHeld)).collect();
        if !held.is_empty() {
            lines.push("Certifications:".into());
            for level in held {
                lines.push(format!("- {}: {}.", level.title, progress::status_text(level.status)));
            }
        }
        let days = if s.streak_days == 1 { "day" } else { "days" };
        lines.push(format!("Learning streak: {} {days} in a row.", s.streak_days));
        self.con.blank()?;
        for line in lines {
            self.con.say(&line)?;
        }
        Ok(match self.choose(0, &['q'], "Enter: back to the main menu. q: quit.")? {
            Choice::Letter(_) | Choice::End => Place::Quit,
            Choice::Number(_) | Choice::Again => Place::Home,
        })
    }
}
