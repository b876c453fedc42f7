//! The trainer's side of the learning workflow: it turns the screen's state
//! into calls on the library's `learning::Session` and shows what comes
//! back. No learning rule lives here; every record is written by the session.

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
use crate::learning::session::{OpenQuiz, QuizResult};
use crate::records::{Learner, Location, RecordsError};

impl App {
    /// Shows a records failure; the trainer keeps running.
    pub(super) fn report<T>(&mut self, result: Result<T, RecordsError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e @ (RecordsError::Unreadable { .. } | RecordsError::Damaged { .. })) => {
                self.overlay = Some(Overlay::Message {
                    title: "The records file is damaged".into(),
                    text: format!(
                        "{}\n\nNothing was changed. Quit and run `pace doctor` to see what can be saved.",
                        sanitize::clean(&e.to_string())
                    ),
                });
                None
            }
            Err(e) => {
                self.overlay = Some(Overlay::Message {
                    title: "Could not save".into(),
                    text: format!(
                        "{}\n\nYour last step was not recorded. Check that the disk has room and the records file is writable.",
                        sanitize::clean(&e.to_string())
                    ),
                });
                None
            }
        }
    }

    /// Starts the learner's session where they left off.
    pub(super) fn enter(&mut self, learner: Learner) {
        let role = learner.role;
        let new_hire = learner.new_hire;
        self.screen = Screen::Main;
        self.main = MainView::Home;
        self.focus = Pane::Catalog;
        self.tree = Default::default();
        // At start-up the learner is marked active after the first screen.
        let entered = if self.starting {
            self.touch_pending = true;
            self.session.enter_untouched(learner)
        } else {
            self.session.enter(learner)
        };
        // The learner reads their country's curriculum.
        self.catalog = Rc::clone(self.session.catalog());
        let new_levels = self.report(entered).unwrap_or_default();
        // The session has just read the standing: show it.
        self.show_standing();
        if let Some(track) = self.catalog.curriculum.tracks.iter().find(|t| t.audience == role)
            && let Some(first) = track.modules.first()
        {
            self.tree.expanded.insert(first.clone());
        }
        if new_hire
            && let Some(path) = self.catalog.curriculum.paths.iter().find(|p| p.new_hire)
            && let Some(first) = path.modules.first()
        {
            self.tree.expanded.insert(first.clone());
        }
        self.rebuild_tree();
        // The catalog starts on the next step, so Enter continues from either pane.
        match self.next.clone() {
            Some(super::home::Step::Lesson { module, index }) => self.tree.reveal(&Row::Lesson { module, index }),
            Some(super::home::Step::Quiz { module }) => self.tree.reveal(&Row::Quiz { module }),
            None => {}
        }
        if let Some(level) = new_levels.last() {
            self.toast = Some(format!("New level: {}", sanitize::clean(level)));
        }
        self.warn_about_certifications();
        let location = self.session.location();
        if let Some(Some(loc)) = self.report(location) {
            self.restore(loc);
        }
    }

    /// The learner works in the organisation's next country: they read its
    /// regional content and contacts from now on.
    pub(super) fn next_country(&mut self) {
        let countries = self.session.countries();
        let at = self.session.country().and_then(|c| countries.iter().position(|k| k.id == c.id)).unwrap_or(0);
        let Some(next) = countries.get((at + 1) % countries.len().max(1)).cloned() else { return };
        let moved = self.session.set_country(&next.id);
        if self.report(moved).is_some() {
            self.catalog = Rc::clone(self.session.catalog());
            self.views.clear();
            self.show_standing();
            self.rebuild_tree();
            self.toast = Some(format!("Where you work: {}. w: the next country", sanitize::one_line(&next.name)));
        }
    }

    /// Back to the learner picker, for the next person at a shared workstation.
    pub(super) fn switch_learner(&mut self) {
        self.leave_lesson();
        self.save_location();
        self.session.leave();
        self.catalog = Rc::clone(self.session.catalog());
        self.main = MainView::Home;
        self.overlay = None;
        let learners = self.session.learners();
        self.learners = self.report(learners).unwrap_or_default();
        self.screen = Screen::Picker(super::welcome::Picker::default());
    }

    fn restore(&mut self, loc: Location) {
        let Some(module) = loc.module_id.clone() else { return };
        // A lesson or a quiz needs the whole catalog, not the outline.
        self.complete_catalog();
        if let Some(attempt) = loc.attempt_id {
            let open = self.session.attempt_is_open(attempt);
            if let Some(true) = self.report(open) {
                self.open_quiz(&module, false);
            }
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
        let notes = self.session.certification_notices();
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

    /// Re-reads what the screen shows of the learner after a change.
    pub(super) fn refresh(&mut self) {
        let refreshed = self.session.refresh();
        self.report(refreshed);
        self.show_standing();
        let learners = self.session.learners();
        if let Some(list) = self.report(learners) {
            self.learners = list;
        }
    }

    /// What the screen shows of the learner, from the standing the session holds.
    fn show_standing(&mut self) {
        self.views.clear();
        self.summary = self.session.summary();
        if self.session.learner().is_some() {
            let due = self.session.review_due();
            self.review_due = self.report(due).unwrap_or(0);
            let notes = self.session.notes();
            self.notes = self.report(notes).unwrap_or_default();
        }
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
        self.leave_lesson();
        let opened = self.session.open_lesson(module_id, &lesson.id);
        let Some((scroll, completed)) = self.report(opened) else { return };
        let now = self.now();
        let mut reader = Reader::new(module, index, &self.catalog.organisation, &self.theme, self.reader_size(), now);
        reader.scroll = scroll as usize;
        reader.completed = completed;
        reader.clamp();
        self.main = MainView::Lesson(reader);
        self.focus = Pane::Main;
        self.tree.expanded.insert(module_id.to_string());
        self.rebuild_tree();
        self.tree.reveal(&Row::Lesson { module: module_id.to_string(), index });
        self.after_scroll();
    }

    /// Opens the editor on the learner's own note for a lesson.
    pub(super) fn open_note(&mut self, module_id: &str, index: usize) {
        let catalog = Rc::clone(&self.catalog);
        let Some(module) = catalog.module(module_id) else { return };
        let Some(lesson) = module.lessons.get(index) else { return };
        let existing = self.session.own_note(module_id, &lesson.id);
        let Some(existing) = self.report(existing) else { return };
        let body = existing.map(|n| n.body).unwrap_or_default();
        let editor = NoteEditor::new(module_id, &lesson.id, &lesson.title, &body, &self.theme);
        self.overlay = Some(Overlay::Note(Box::new(editor)));
    }

    /// The lesson id open in the reader, if any.
    fn open_lesson_id(&self) -> Option<(String, String)> {
        let MainView::Lesson(reader) = &self.main else { return None };
        let lesson = self.catalog.module(&reader.module_id)?.lessons.get(reader.lesson)?;
        Some((reader.module_id.clone(), lesson.id.clone()))
    }

    /// Records the time spent on the lesson being left.
    pub(super) fn leave_lesson(&mut self) {
        let MainView::Lesson(reader) = &self.main else { return };
        let opened_at = reader.opened_at;
        let Some((module, lesson)) = self.open_lesson_id() else { return };
        let added = self.session.leave_lesson(&module, &lesson, opened_at);
        self.report(added);
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
        let Some((module, lesson)) = self.open_lesson_id() else { return };
        let done = self.session.complete_lesson(&module, &lesson);
        let Some(done) = self.report(done) else { return };
        if let MainView::Lesson(reader) = &mut self.main {
            reader.completed = true;
        }
        if done {
            self.toast = Some("Lesson complete. n: next lesson".into());
            self.refresh();
            self.rebuild_tree();
        }
    }

    /// Remembers where the learner is, for the next start.
    pub(super) fn save_location(&mut self) {
        if self.session.learner().is_none() {
            return;
        }
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
        let saved = self.session.save_place(&loc);
        self.report(saved);
    }

    /// Opens the module's quiz: the unfinished attempt if there is one, else a new draw.
    pub(super) fn open_quiz(&mut self, module_id: &str, fresh: bool) {
        if let Some(message) = self.lock_reason(module_id) {
            self.toast = Some(message);
            return;
        }
        self.leave_lesson();
        let opened = self.session.open_quiz(module_id, fresh);
        let Some(open) = self.report(opened) else { return };
        let run = QuizRun::new(&open.module_id, open.attempt_id, open.draw, open.answered);
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
                let attempt = (!run.review).then_some(run.attempt_id);
                let (module_id, question_id) = (module.id.clone(), q.id.clone());
                match self.session.answer(attempt, &module_id, &question_id, &chosen) {
                    Ok(marked) => {
                        if let MainView::Quiz(run) = &mut self.main {
                            run.results.push((question_id, marked.correct));
                            run.feedback = Some(Feedback { correct: marked.correct, chosen: marked.chosen });
                        }
                    }
                    Err(e @ (RecordsError::AlreadyAnswered { .. } | RecordsError::AttemptFinished)) => {
                        self.catch_up_with_other_window(&e);
                    }
                    // Not saved, so not scored: the question stays to be answered again.
                    Err(e) => {
                        self.report::<()>(Err(e));
                    }
                }
            }
            _ => {}
        }
    }

    /// Another window on this learner answered or finished the attempt: take
    /// the records' view and continue at the first question still open.
    fn catch_up_with_other_window(&mut self, why: &RecordsError) {
        let MainView::Quiz(run) = &self.main else { return };
        let open = OpenQuiz {
            module_id: run.module_id.clone(),
            attempt_id: run.attempt_id,
            draw: run.draw.clone(),
            answered: Vec::new(),
        };
        let reread = self.session.reread_quiz(&open);
        let Some(open) = self.report(reread) else { return };
        let run = QuizRun::new(&open.module_id, open.attempt_id, open.draw, open.answered);
        let done = run.all_answered();
        self.main = MainView::Quiz(run);
        self.overlay = Some(Overlay::Message {
            title: "Answered in another window".into(),
            text: format!(
                "{}. Each question counts once, so this answer was not recorded; {}",
                sanitize::clean(&why.to_string()),
                if done { "the quiz is complete." } else { "you continue at the next open question." }
            ),
        });
        if done {
            self.finish_quiz();
        }
    }

    /// Starts a review session over every due question.
    pub(super) fn open_review(&mut self) {
        let picks = self.session.start_review();
        let Some(picks) = self.report(picks) else { return };
        if picks.is_empty() {
            self.toast = Some("Nothing to review right now: missed questions come back when they are due.".into());
            return;
        }
        self.leave_lesson();
        self.main = MainView::Quiz(QuizRun::review(picks));
        self.focus = Pane::Main;
        self.save_location();
    }

    fn finish_quiz(&mut self) {
        let MainView::Quiz(run) = &self.main else { return };
        let result = if run.review {
            let results: Vec<(String, String, bool)> = run
                .results
                .iter()
                .map(|(q, ok)| {
                    let i = run.draw.iter().position(|d| d.question == *q).unwrap_or(0);
                    (run.modules.get(i).cloned().unwrap_or_default(), q.clone(), *ok)
                })
                .collect();
            self.session.finish_review(&results)
        } else {
            let open = OpenQuiz {
                module_id: run.module_id.clone(),
                attempt_id: run.attempt_id,
                draw: run.draw.clone(),
                answered: run.results.clone(),
            };
            self.session.finish_quiz(&open)
        };
        let Some(result) = self.report(result) else { return };
        let outcome = self.outcome(&result);
        if let MainView::Quiz(run) = &mut self.main {
            run.outcome = Some(outcome);
        }
        self.refresh();
        if let Some(level) = result.new_levels.last() {
            self.toast = Some(format!("New level: {}", sanitize::clean(level)));
        }
        self.rebuild_tree();
        self.save_location();
    }

    /// The quiz pane's view of a result: lessons by their place in the module now.
    fn outcome(&self, r: &QuizResult) -> Outcome {
        let revisit = r
            .revisit
            .iter()
            .filter_map(|(module, lesson, title)| {
                let i = self.catalog.module(module)?.lessons.iter().position(|l| l.id == *lesson)?;
                Some((i, title.clone()))
            })
            .collect();
        Outcome {
            correct: r.correct,
            total: r.total,
            score: r.score,
            passed: r.passed,
            pass_mark: r.pass_mark,
            revisit,
            new_levels: r.new_levels.clone(),
        }
    }
}
