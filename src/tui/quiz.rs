//! The quiz pane: one drawn question at a time, feedback after each answer,
//! and the result at the end. State changes here are pure; the app records
//! each answer as it is submitted.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::theme::Theme;
use super::views::{QuizKey, Views};
use super::{markdown, paint};
use crate::content::{Catalog, Question, QuestionKind, placeholder};
use crate::learning::quiz;
use crate::records::DrawnQuestion;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub correct: bool,
    pub chosen: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub correct: u32,
    pub total: u32,
    pub score: u32,
    pub passed: bool,
    pub pass_mark: u32,
    /// Lessons to revisit: (index, title).
    pub revisit: Vec<(usize, String)>,
    pub new_levels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizRun {
    /// The quiz's module ("" for a review session, whose questions come from many).
    pub module_id: String,
    /// A review session: answers reschedule questions; there is no attempt.
    pub review: bool,
    /// The module of each drawn question.
    pub modules: Vec<String>,
    pub attempt_id: i64,
    pub draw: Vec<DrawnQuestion>,
    pub index: usize,
    pub cursor: usize,
    pub chosen: Vec<String>,
    /// Ordering questions: the learner's current arrangement.
    pub order: Vec<String>,
    pub feedback: Option<Feedback>,
    /// (question id, correct) for every answered question.
    pub results: Vec<(String, bool)>,
    pub outcome: Option<Outcome>,
}

impl QuizRun {
    /// A quiz at its first unanswered question (`results`: the questions
    /// already answered, in any order).
    pub fn new(module_id: &str, attempt_id: i64, draw: Vec<DrawnQuestion>, results: Vec<(String, bool)>) -> QuizRun {
        let index = draw.iter().position(|d| !results.iter().any(|(q, _)| *q == d.question)).unwrap_or(draw.len());
        let mut run = QuizRun {
            module_id: module_id.to_string(),
            review: false,
            modules: vec![module_id.to_string(); draw.len()],
            attempt_id,
            index,
            draw,
            cursor: 0,
            chosen: Vec::new(),
            order: Vec::new(),
            feedback: None,
            results,
            outcome: None,
        };
        run.reset_question();
        run
    }

    /// A review session over questions from several modules.
    pub fn review(items: Vec<(String, DrawnQuestion)>) -> QuizRun {
        let (modules, draw): (Vec<String>, Vec<DrawnQuestion>) = items.into_iter().unzip();
        let mut run = QuizRun::new("", 0, draw, Vec::new());
        run.review = true;
        run.modules = modules;
        run
    }

    /// The module of the current question.
    pub fn current_module(&self) -> &str {
        self.modules.get(self.index).map_or(self.module_id.as_str(), String::as_str)
    }

    pub fn current(&self) -> Option<&DrawnQuestion> {
        self.draw.get(self.index)
    }

    pub fn is_last(&self) -> bool {
        self.index + 1 >= self.draw.len()
    }

    pub fn all_answered(&self) -> bool {
        self.results.len() >= self.draw.len()
    }

    fn reset_question(&mut self) {
        self.cursor = 0;
        self.chosen.clear();
        self.feedback = None;
        self.order = self.current().map(|d| d.options.clone()).unwrap_or_default();
    }

    /// Moves to the next question not answered yet.
    pub fn next_question(&mut self) {
        self.index += 1;
        while self.current().is_some_and(|d| self.results.iter().any(|(q, _)| *q == d.question)) {
            self.index += 1;
        }
        self.reset_question();
    }

    fn options_len(&self) -> usize {
        self.current().map_or(0, |d| d.options.len())
    }

    pub fn move_cursor(&mut self, delta: i32) {
        let n = self.options_len();
        if n > 0 {
            self.cursor = (self.cursor as i64 + i64::from(delta)).clamp(0, n as i64 - 1) as usize;
        }
    }

    /// Number key or Space on option `i` (0-based).
    pub fn choose(&mut self, q: &Question, i: usize) {
        if self.feedback.is_some() || i >= self.options_len() {
            return;
        }
        self.cursor = i;
        let Some(id) = self.current().and_then(|d| d.options.get(i)).cloned() else { return };
        match q.kind {
            QuestionKind::Multiple => {
                if let Some(at) = self.chosen.iter().position(|c| *c == id) {
                    self.chosen.remove(at);
                } else {
                    self.chosen.push(id);
                }
            }
            QuestionKind::Ordering => {}
            _ => self.chosen = vec![id],
        }
    }

    /// Moves the ordering item under the cursor up (-1) or down (+1).
    pub fn move_item(&mut self, delta: i32) {
        if self.feedback.is_some() {
            return;
        }
        let to = self.cursor as i64 + i64::from(delta);
        if to >= 0 && (to as usize) < self.order.len() {
            self.order.swap(self.cursor, to as usize);
            self.cursor = to as usize;
        }
    }

    /// What would be submitted for `q`, or None when nothing is chosen yet.
    pub fn answer(&self, q: &Question) -> Option<Vec<String>> {
        match q.kind {
            QuestionKind::Ordering => Some(self.order.clone()),
            _ if self.chosen.is_empty() => None,
            _ => Some(self.chosen.clone()),
        }
    }
}

/// Lesson titles as a bulleted list, then a blank line.
fn bullets(lessons: &[(usize, String)], width: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = lessons
        .iter()
        .flat_map(|(_, title)| {
            markdown::wrap(vec![Span::raw(title.clone())], &[Span::raw("• ")], &[Span::raw("  ")], width)
        })
        .collect();
    out.push(Line::default());
    out
}

pub struct QuizView<'a> {
    pub run: &'a QuizRun,
    pub catalog: &'a Catalog,
    pub theme: &'a Theme,
    pub focused: bool,
    /// Preview: mark the right answers before answering.
    pub show_answers: bool,
    /// Where the pane's lines are kept between frames.
    pub views: &'a Views,
}

fn option_text<'q>(q: &'q Question, id: &str) -> (&'q str, Option<&'q str>, bool) {
    match q.kind {
        QuestionKind::TrueFalse => {
            let is_true = id == quiz::TRUE_FALSE[0];
            let correct = q.answer == Some(is_true);
            (if is_true { "True" } else { "False" }, if correct { None } else { q.feedback.as_deref() }, correct)
        }
        _ => q
            .options
            .iter()
            .find(|o| o.id == id)
            .map_or(("?", None, false), |o| (o.text.as_str(), o.feedback.as_deref(), o.correct)),
    }
}

impl Widget for QuizView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let run = self.run;
        let title = match (run.review, self.catalog.module(&run.module_id)) {
            (true, _) => " Review ".to_string(),
            (false, Some(m)) => format!(" Quiz: {} ", m.title),
            (false, None) => " Quiz ".to_string(),
        };
        let progress = match run.outcome {
            Some(_) => " result ".to_string(),
            None => format!(" question {} of {} ", (run.index + 1).min(run.draw.len()), run.draw.len()),
        };
        let inner = paint::Bordered {
            title: Line::from(title),
            bottom: Some(Line::from(Span::styled(progress, t.dim)).right_aligned()),
            border: if self.focused { t.focus_border } else { t.border },
        }
        .render(area, buf);
        let width = inner.width.saturating_sub(1).max(8) as usize;
        let [text] = Layout::vertical([Constraint::Min(0)]).areas(inner);
        let key = QuizKey { run, show_answers: self.show_answers, focused: self.focused, width, theme: t };
        let build = || match &run.outcome {
            Some(outcome) => self.outcome_lines(outcome, width),
            None => self.question_lines(width),
        };
        self.views.quiz(key, build, |lines| {
            let scroll = self.scroll_for(lines, text.height);
            // Lines narrower than the text wrap nowhere: drawn as they are.
            if lines.iter().all(|l| paint::narrower(l, text.width)) {
                paint::paragraph(buf, text, lines.iter().skip(usize::from(scroll)), t.base);
            } else {
                let lines = lines.to_vec();
                Paragraph::new(lines).style(t.base).wrap(Wrap { trim: false }).scroll((scroll, 0)).render(text, buf);
            }
        });
    }
}

impl QuizView<'_> {
    /// Keeps the end of the feedback visible on short screens.
    fn scroll_for(&self, lines: &[Line], height: u16) -> u16 {
        if self.run.feedback.is_some() { (lines.len() as u16).saturating_sub(height) } else { 0 }
    }

    fn question_lines(&self, width: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let run = self.run;
        let Some(drawn) = run.current() else { return vec![] };
        let module = self.catalog.module(run.current_module());
        let Some(q) = module.and_then(|m| m.quiz.questions.iter().find(|q| q.id == drawn.question)) else {
            return vec![Line::from(Span::styled("This question is no longer in the module.", t.warn))];
        };
        let fill = |s: &str| placeholder::fill(s, &self.catalog.organisation);
        let mut out = Vec::new();
        if run.review
            && let Some(m) = module
        {
            out.push(Line::from(Span::styled(format!("From: {}", m.title), t.dim)));
        }
        if let Some(scenario) = &q.scenario {
            out.extend(markdown::boxed("Scenario", &fill(scenario.as_str()), t.accent, t, width));
            out.push(Line::default());
        }
        out.extend(markdown::markdown(&fill(q.prompt.as_str()), t, width));
        let hint = match q.kind {
            QuestionKind::Multiple => "Choose every answer that applies (1-9 or Space), then Enter.",
            QuestionKind::Ordering => "Put these in order: move the selected item with K/J or Shift-↑/↓, then Enter.",
            _ => "Choose one answer (1-9, or ↑/↓ and Space), then Enter.",
        };
        out.push(Line::from(Span::styled(hint, t.dim)));
        out.push(Line::default());
        let ids = if q.kind == QuestionKind::Ordering { &run.order } else { &drawn.options };
        for (i, id) in ids.iter().enumerate() {
            let (text, feedback, correct) = option_text(q, id);
            let chosen = run.chosen.contains(id);
            let marker = match q.kind {
                QuestionKind::Multiple => {
                    if chosen {
                        "[x]"
                    } else {
                        "[ ]"
                    }
                }
                QuestionKind::Ordering => "  ≡",
                _ => {
                    if chosen {
                        "(•)"
                    } else {
                        "( )"
                    }
                }
            };
            let mut style = if i == run.cursor && run.feedback.is_none() && self.focused { t.selected } else { t.base };
            let reveal = run.feedback.is_some() || self.show_answers;
            let verdict = if !reveal || q.kind == QuestionKind::Ordering {
                ""
            } else if correct {
                style = style.patch(t.ok);
                "  ✓"
            } else if chosen {
                style = style.patch(t.bad);
                "  ✗"
            } else {
                ""
            };
            let first = vec![Span::styled(format!("{} {marker} ", i + 1), style)];
            let rest = vec![Span::raw(" ".repeat(first[0].width()))];
            out.extend(markdown::wrap(
                vec![Span::styled(fill(text), style), Span::styled(verdict, style)],
                &first,
                &rest,
                width,
            ));
            if reveal
                && chosen
                && !correct
                && q.kind != QuestionKind::Ordering
                && let Some(f) = feedback
            {
                out.extend(markdown::wrap(
                    vec![Span::styled(fill(f), t.warn)],
                    &[Span::raw("      ")],
                    &[Span::raw("      ")],
                    width,
                ));
            }
        }
        if let Some(fb) = &run.feedback {
            out.push(Line::default());
            let (verdict, style) = if fb.correct { ("Right.", t.ok) } else { ("Not quite.", t.bad) };
            out.push(Line::from(Span::styled(verdict, style.add_modifier(Modifier::BOLD))));
            if q.kind == QuestionKind::Ordering && !fb.correct {
                out.push(Line::from(Span::styled("The right order:", t.dim)));
                for (i, o) in q.options.iter().enumerate() {
                    out.extend(markdown::wrap(
                        vec![Span::raw(fill(&o.text))],
                        &[Span::raw(format!("  {}. ", i + 1))],
                        &[Span::raw("     ")],
                        width,
                    ));
                }
            }
            out.extend(markdown::markdown(&fill(q.explanation.as_str()), t, width));
            out.push(Line::default());
            let next = if run.is_last() { "Enter: see your result" } else { "Enter: next question" };
            out.push(Line::from(Span::styled(next, t.key)));
        } else if self.show_answers {
            out.push(Line::default());
            out.push(Line::from(Span::styled("Explanation (preview)", t.dim)));
            out.extend(markdown::markdown(&fill(q.explanation.as_str()), t, width));
        }
        out
    }

    fn outcome_lines(&self, o: &Outcome, width: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        if self.run.review {
            let mut out = vec![
                Line::from(Span::styled(format!("Reviewed {}: {} right", o.total, o.correct), t.heading)),
                Line::default(),
            ];
            if !o.revisit.is_empty() {
                out.push(Line::from(Span::styled("Missed four times or more; revisit these lessons:", t.warn)));
                out.extend(bullets(&o.revisit, width));
            }
            out.push(Line::from(Span::styled("Missed questions come back on a spaced schedule.", t.dim)));
            return out;
        }
        let mut out = vec![
            Line::from(Span::styled(format!("Score: {}% ({} of {} right)", o.score, o.correct, o.total), t.heading)),
            Line::from(if o.passed {
                Span::styled(format!("Passed: the pass mark is {}%.", o.pass_mark), t.ok.add_modifier(Modifier::BOLD))
            } else {
                Span::styled(
                    format!("Not passed yet: the pass mark is {}%.", o.pass_mark),
                    t.bad.add_modifier(Modifier::BOLD),
                )
            }),
            Line::default(),
        ];
        for level in &o.new_levels {
            out.extend(markdown::boxed("New level", &format!("You are now **{level}**. Well earned."), t.ok, t, width));
            out.push(Line::default());
        }
        if !o.revisit.is_empty() {
            out.push(Line::from(Span::styled("Worth revisiting:", t.accent)));
            out.extend(bullets(&o.revisit, width));
        }
        out.push(Line::from(vec![
            Span::styled("r", t.key),
            Span::raw(" retake   "),
            Span::styled("Esc", t.key),
            Span::raw(" back to the catalog"),
        ]));
        out
    }
}
