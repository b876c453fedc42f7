//! The learner's session: entering, opening lessons and quizzes, answering,
//! finishing, and earning levels. Every step that changes the record is
//! written (and committed) here, as it happens.

use std::rc::Rc;

use super::action::Action;
use super::app::{App, MainView, Screen};
use super::catalog::{self, Row};
use super::layout::Pane;
use super::notes::NoteEditor;
use super::overlay::Overlay;
use super::quiz::{Feedback, Outcome, QuizRun};
use super::reader::Reader;
use crate::content::sanitize;
use crate::learning::ladder::{self, Status};
use crate::learning::progress::{self, Standing};
use crate::learning::{quiz, review};
use crate::records::{Given, Learner, Location, RecordsError};

impl App {
    /// Shows a records failure; the trainer keeps running.
    pub(super) fn report<T>(&mut self, result: Result<T, RecordsError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.overlay = Some(Overlay::Message {
                    title: "Could not save".into(),
                    text: format!(
                        "{e}\n\nYour last step may not be recorded. Check that the records file is writable."
                    ),
                });
                None
            }
        }
    }

    /// Starts the learner's session where they left off.
    pub(super) fn enter(&mut self, learner: Learner) {
        let now = self.now();
        let id = learner.id;
        self.learner = Some(learner);
        self.screen = Screen::Main;
        let touched = self.records.touch_learner(id, now);
        self.report(touched);
        self.refresh();
        let role = self.learner.as_ref().map(|l| l.role);
        if let Some(track) = self.catalog.curriculum.tracks.iter().find(|t| Some(t.audience) == role)
            && let Some(first) = track.modules.first()
        {
            self.tree.expanded.insert(first.clone());
        }
        if self.learner.as_ref().is_some_and(|l| l.new_hire)
            && let Some(path) = self.catalog.curriculum.paths.iter().find(|p| p.new_hire)
            && let Some(first) = path.modules.first()
        {
            self.tree.expanded.insert(first.clone());
        }
        self.award_levels();
        self.rebuild_tree();
        // The catalog starts on the next step, so Enter continues from either pane.
        match self.next.clone() {
            Some(super::home::Step::Lesson { module, index }) => self.tree.reveal(&Row::Lesson { module, index }),
            Some(super::home::Step::Quiz { module }) => self.tree.reveal(&Row::Quiz { module }),
            None => {}
        }
        self.warn_about_certifications();
        let location = self.records.location(id);
        if let Some(Some(loc)) = self.report(location) {
            self.restore(loc);
        }
    }

    fn restore(&mut self, loc: Location) {
        let Some(module) = loc.module_id.clone() else { return };
        if let Some(attempt) = loc.attempt_id
            && let Ok(Some(a)) = self.records.attempt(attempt)
            && a.finished_at.is_none()
        {
            self.open_quiz(&module, false);
            return;
        }
        let index =
            loc.lesson_id.as_deref().and_then(|l| self.catalog.module(&module)?.lessons.iter().position(|x| x.id == l));
        if let Some(index) = index {
            self.open_lesson(&module, index);
            if let MainView::Lesson(reader) = &mut self.main {
                reader.scroll = loc.scroll as usize;
                reader.clamp();
            }
        }
    }

    fn warn_about_certifications(&mut self) {
        let now = self.now();
        let mut notes = Vec::new();
        for level in self.standing.levels(&self.catalog, now) {
            match level.status {
                Status::Renewal { .. } | Status::Expired { .. } => {
                    notes.push(format!("{}: {}", level.title, progress::status_text(level.status)))
                }
                _ => {}
            }
        }
        if !notes.is_empty() {
            self.overlay = Some(Overlay::Message {
                title: "Recertification".into(),
                text: format!(
                    "{}\n\nRetake the level's quizzes to renew it; the progress pane (P) lists them.",
                    notes.join("\n")
                ),
            });
        }
    }

    /// Re-reads the learner's standing and summary after a change.
    pub(super) fn refresh(&mut self) {
        let Some(learner) = self.learner.clone() else { return };
        let standing = Standing::read(&self.records, &self.catalog, learner.id);
        if let Some(s) = self.report(standing) {
            self.standing = s;
        }
        let now = self.now();
        self.summary = Some(progress::summarise(&self.standing, &self.catalog, &learner, now));
        self.review_due = self.records.review_items(learner.id).map_or(0, |items| review::due(&items, now).len());
        let notes = self.records.notes(learner.id);
        self.notes = self.report(notes).unwrap_or_default();
        if let Ok(list) = self.records.learners() {
            self.learners = list;
        }
    }

    /// Records every level the learner has earned; returns their titles.
    pub(super) fn award_levels(&mut self) -> Vec<String> {
        let Some(id) = self.learner.as_ref().map(|l| l.id) else { return Vec::new() };
        let now = self.now();
        let major = |m: &str| self.catalog.module(m).map(|m| m.major_version());
        let earned = ladder::newly_earned(
            &self.catalog.curriculum.ladder,
            &major,
            &self.standing.passes,
            &self.standing.grants,
            now,
        );
        let mut titles = Vec::new();
        for e in earned {
            let granted = self.records.grant_level(id, &e.level_id, now, e.expires_at, &e.attempts);
            if self.report(granted).is_some() {
                let title = self
                    .catalog
                    .curriculum
                    .ladder
                    .levels
                    .iter()
                    .find(|l| l.id == e.level_id)
                    .map_or(e.level_id.clone(), |l| l.title.clone());
                titles.push(title);
            }
        }
        if !titles.is_empty() {
            self.refresh();
        }
        titles
    }

    /// Why a module cannot be opened yet, if it cannot.
    pub(super) fn lock_reason(&self, module: &str) -> Option<String> {
        let m = self.catalog.module(module)?;
        let missing = catalog::missing_prerequisites(m, &self.catalog, &self.viewer());
        (!missing.is_empty()).then(|| format!("Locked: pass {} first.", missing.join(", ")))
    }

    pub(super) fn open_lesson(&mut self, module_id: &str, index: usize) {
        if let Some(message) = self.lock_reason(module_id) {
            self.toast = Some(message);
            return;
        }
        let catalog = Rc::clone(&self.catalog);
        let Some(module) = catalog.module(module_id) else { return };
        let Some(lesson) = module.lessons.get(index) else { return };
        let lesson_id = lesson.id.clone();
        self.leave_lesson();
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        let now = self.now();
        let mut reader = Reader::new(module, index, &self.catalog.organisation, &self.theme, self.reader_size(), now);
        let saved = self.standing.lessons.iter().find(|p| p.module_id == module_id && p.lesson_id == lesson_id);
        reader.scroll = saved.map_or(0, |p| p.scroll as usize);
        reader.completed = saved.is_some_and(|p| p.completed_at.is_some());
        reader.clamp();
        self.main = MainView::Lesson(reader);
        self.focus = Pane::Main;
        let opened = self.records.open_lesson(learner, module_id, &lesson_id, now);
        self.report(opened);
        self.tree.expanded.insert(module_id.to_string());
        self.rebuild_tree();
        self.tree.reveal(&Row::Lesson { module: module_id.to_string(), index });
        self.after_scroll();
    }

    /// Opens the editor on the learner's own note for a lesson.
    pub(super) fn open_note(&mut self, module_id: &str, index: usize) {
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        let catalog = Rc::clone(&self.catalog);
        let Some(module) = catalog.module(module_id) else { return };
        let Some(lesson) = module.lessons.get(index) else { return };
        let existing = self.records.own_note(learner, module_id, &lesson.id);
        let body = self.report(existing).flatten().map(|n| n.body).unwrap_or_default();
        let editor = NoteEditor::new(module_id, &lesson.id, &lesson.title, &body, &self.theme);
        self.overlay = Some(Overlay::Note(Box::new(editor)));
    }

    /// Records the time spent on the lesson being left.
    pub(super) fn leave_lesson(&mut self) {
        let MainView::Lesson(reader) = &self.main else { return };
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        let seconds = (self.now() - reader.opened_at).num_seconds().clamp(0, 3600) as u64;
        let Some(lesson) = self.catalog.module(&reader.module_id).and_then(|m| m.lessons.get(reader.lesson)) else {
            return;
        };
        if seconds > 0 {
            let (module, lesson) = (reader.module_id.clone(), lesson.id.clone());
            let added = self.records.add_reading_time(learner, &module, &lesson, seconds, self.now());
            self.report(added);
        }
    }

    /// After the reader moved: remember the place, complete at the end.
    pub(super) fn after_scroll(&mut self) {
        let MainView::Lesson(reader) = &self.main else { return };
        let at_end = reader.at_end() && !reader.completed;
        self.save_location();
        if at_end {
            self.complete_current_lesson();
        }
    }

    pub(super) fn complete_current_lesson(&mut self) {
        let MainView::Lesson(reader) = &mut self.main else { return };
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        let Some(lesson) = self.catalog.module(&reader.module_id).and_then(|m| m.lessons.get(reader.lesson)) else {
            return;
        };
        let (module, lesson) = (reader.module_id.clone(), lesson.id.clone());
        reader.completed = true;
        let now = self.now();
        let done = self.records.complete_lesson(learner, &module, &lesson, now);
        if let Some(true) = self.report(done) {
            self.toast = Some("Lesson complete. n: next lesson".into());
            self.refresh();
            self.rebuild_tree();
        }
    }

    /// Remembers where the learner is, for the next start.
    pub(super) fn save_location(&mut self) {
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        let loc = match &self.main {
            MainView::Lesson(r) => Location {
                module_id: Some(r.module_id.clone()),
                lesson_id: self
                    .catalog
                    .module(&r.module_id)
                    .and_then(|m| m.lessons.get(r.lesson))
                    .map(|l| l.id.clone()),
                scroll: r.scroll as u32,
                attempt_id: None,
            },
            MainView::Quiz(q) if q.review => Location::default(),
            MainView::Quiz(q) => Location {
                module_id: Some(q.module_id.clone()),
                lesson_id: None,
                scroll: 0,
                attempt_id: q.outcome.is_none().then_some(q.attempt_id),
            },
            MainView::Home | MainView::Notes(_) => Location::default(),
        };
        let now = self.now();
        let saved = self.records.save_location(learner, &loc, now);
        self.report(saved);
    }

    /// Opens the module's quiz: the unfinished attempt if there is one, else a new draw.
    pub(super) fn open_quiz(&mut self, module_id: &str, fresh: bool) {
        if let Some(message) = self.lock_reason(module_id) {
            self.toast = Some(message);
            return;
        }
        let catalog = Rc::clone(&self.catalog);
        let Some(module) = catalog.module(module_id) else { return };
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        self.leave_lesson();
        let open = if fresh { Ok(None) } else { self.records.open_attempt(learner, module_id) };
        let resumable = match self.report(open) {
            Some(Some(a)) if a.draw.iter().all(|d| module.quiz.questions.iter().any(|q| q.id == d.question)) => Some(a),
            _ => None,
        };
        let run = match resumable {
            Some(attempt) => {
                let answers = self.records.answers(attempt.id).unwrap_or_default();
                QuizRun::new(
                    module_id,
                    attempt.id,
                    attempt.draw,
                    answers.into_iter().map(|a| (a.question_id, a.correct)).collect(),
                )
            }
            None => {
                let draw = if self.preview {
                    quiz::whole_pool(module, &mut self.rng)
                } else {
                    quiz::draw(module, &mut self.rng)
                };
                let version = module.version.clone();
                let started = self.records.start_attempt(learner, module_id, &version, draw, self.now());
                let Some(attempt) = self.report(started) else { return };
                QuizRun::new(module_id, attempt.id, attempt.draw, Vec::new())
            }
        };
        let finished_already = run.all_answered();
        self.main = MainView::Quiz(run);
        self.focus = Pane::Main;
        self.tree.expanded.insert(module_id.to_string());
        self.rebuild_tree();
        self.tree.reveal(&Row::Quiz { module: module_id.to_string() });
        if finished_already {
            self.finish_quiz();
        }
        self.save_location();
    }

    pub(super) fn update_quiz(&mut self, action: Action) {
        let catalog = Rc::clone(&self.catalog);
        let MainView::Quiz(run) = &mut self.main else { return };
        if run.outcome.is_some() {
            match action {
                Action::Retake if run.review => self.open_review(),
                Action::Retake => {
                    let id = run.module_id.clone();
                    self.open_quiz(&id, true);
                }
                Action::Back | Action::Submit => self.focus = Pane::Catalog,
                _ => {}
            }
            return;
        }
        let Some(module) = catalog.module(run.current_module()) else { return };
        let Some(q) = run.current().and_then(|d| module.quiz.questions.iter().find(|q| q.id == d.question)) else {
            return;
        };
        match action {
            Action::Up => run.move_cursor(-1),
            Action::Down => run.move_cursor(1),
            Action::Choose(n) => run.choose(q, usize::from(n).saturating_sub(1)),
            Action::Toggle => run.choose(q, run.cursor),
            Action::MoveItemUp => run.move_item(-1),
            Action::MoveItemDown => run.move_item(1),
            Action::Back => self.focus = Pane::Catalog,
            Action::Submit if run.feedback.is_some() => {
                if run.all_answered() {
                    self.finish_quiz();
                } else {
                    run.next_question();
                }
            }
            Action::Submit => {
                let Some(chosen) = run.answer(q) else {
                    self.toast = Some("Choose an answer first: a number key, or ↑/↓ and Space.".into());
                    return;
                };
                let correct = quiz::is_correct(q, &chosen);
                let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
                let (attempt, review) = (run.attempt_id, run.review);
                run.results.push((q.id.clone(), correct));
                run.feedback = Some(Feedback { correct, chosen: chosen.clone() });
                let now = self.now();
                let given = Given { module: &module.id, question: &q.id, chosen: &chosen, correct };
                let recorded = if review {
                    self.records.record_review_answer(learner, given, now)
                } else {
                    self.records.record_answer(learner, attempt, given, now)
                };
                self.report(recorded);
                self.reschedule(learner, &module.id, &q.id, correct);
            }
            _ => {}
        }
    }

    /// Puts a missed question in the review queue, or moves it along.
    fn reschedule(&mut self, learner: i64, module: &str, question: &str, correct: bool) {
        let now = self.now();
        let current = self.records.review_item(learner, module, question);
        let Some(current) = self.report(current) else { return };
        if let Some(next) = review::after_answer(current.as_ref(), module, question, correct, now) {
            let saved = self.records.save_review_item(learner, &next);
            self.report(saved);
        }
    }

    /// Starts a review session over every due question.
    pub(super) fn open_review(&mut self) {
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        let items = self.records.review_items(learner);
        let Some(items) = self.report(items) else { return };
        let now = self.now();
        let mut picks = Vec::new();
        for item in review::due(&items, now) {
            let Some(q) = self
                .catalog
                .module(&item.module_id)
                .and_then(|m| m.quiz.questions.iter().find(|q| q.id == item.question_id))
            else {
                continue;
            };
            picks.push((item.module_id.clone(), quiz::draw_one(q, &mut self.rng)));
        }
        if picks.is_empty() {
            self.toast = Some("Nothing to review right now: missed questions come back when they are due.".into());
            return;
        }
        self.leave_lesson();
        self.main = MainView::Quiz(QuizRun::review(picks));
        self.focus = Pane::Main;
        self.save_location();
    }

    fn finish_review(&mut self) {
        let Some(learner) = self.learner.as_ref().map(|l| l.id) else { return };
        let MainView::Quiz(run) = &self.main else { return };
        let total = run.draw.len() as u32;
        let correct = run.results.iter().filter(|(_, ok)| *ok).count() as u32;
        let mut revisit: Vec<(usize, String)> = Vec::new();
        for (i, (qid, _)) in run.results.iter().enumerate() {
            let module = run.modules.get(i).and_then(|m| self.catalog.module(m));
            let Some(m) = module else { continue };
            let flagged = self
                .records
                .review_item(learner, &m.id, qid)
                .ok()
                .flatten()
                .is_some_and(|item| review::is_flagged(&item));
            let lesson = m.quiz.questions.iter().find(|q| &q.id == qid).and_then(|q| q.lesson.as_deref());
            if flagged && let Some(i) = lesson.and_then(|l| m.lessons.iter().position(|x| x.id == l)) {
                let title = format!("{} › {}", m.title, m.lessons[i].title);
                if !revisit.iter().any(|(_, t)| *t == title) {
                    revisit.push((i, title));
                }
            }
        }
        let outcome = Outcome {
            correct,
            total,
            score: quiz::percent(correct, total),
            passed: true,
            pass_mark: 0,
            revisit,
            new_levels: Vec::new(),
        };
        if let MainView::Quiz(run) = &mut self.main {
            run.outcome = Some(outcome);
        }
        self.refresh();
        self.rebuild_tree();
    }

    fn finish_quiz(&mut self) {
        let MainView::Quiz(run) = &self.main else { return };
        if run.review {
            self.finish_review();
            return;
        }
        let Some(module) = self.catalog.module(&run.module_id) else { return };
        let total = run.draw.len() as u32;
        let correct = run.results.iter().filter(|(_, ok)| *ok).count() as u32;
        let score = quiz::percent(correct, total);
        let passed = quiz::passed(score, module.quiz.pass_mark);
        let mut revisit: Vec<(usize, String)> = Vec::new();
        for (qid, ok) in &run.results {
            let lesson = module.quiz.questions.iter().find(|q| &q.id == qid).and_then(|q| q.lesson.as_deref());
            if let (false, Some(l)) = (*ok, lesson)
                && let Some(i) = module.lessons.iter().position(|x| x.id == l)
                && !revisit.iter().any(|(j, _)| *j == i)
            {
                revisit.push((i, module.lessons[i].title.clone()));
            }
        }
        let pass_mark = module.quiz.pass_mark;
        let attempt = run.attempt_id;
        let finished = self.records.finish_attempt(attempt, correct, total, score, passed, self.now());
        self.report(finished);
        self.refresh();
        let new_levels = self.award_levels();
        if let MainView::Quiz(run) = &mut self.main {
            run.outcome =
                Some(Outcome { correct, total, score, passed, pass_mark, revisit, new_levels: new_levels.clone() });
        }
        if let Some(level) = new_levels.last() {
            self.toast = Some(format!("New level: {}", sanitize::clean(level)));
        }
        self.rebuild_tree();
        self.save_location();
    }
}
