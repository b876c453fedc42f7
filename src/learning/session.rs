//! The learning workflow for one learner, as a service both front ends call:
//! the full-screen trainer and plain mode. It owns the open records, the
//! catalog, the clock and the random source, and turns each learner event
//! into one transaction (an answer and its review schedule together; a
//! finished quiz and the levels it earns together).
//!
//! No terminal here: results come back as plain values for a front end to show.

use std::rc::Rc;

use chrono::{DateTime, Utc};

use super::clock::Clock;
use super::ladder::{self, Status};
use super::plan::{self, Section, Step};
use super::progress::{self, Standing, Summary};
use super::{quiz, review};
use crate::content::{Catalog, Module, Question};
use crate::records::{
    self, DrawnQuestion, Given, Learner, Location, NewGrant, NewLearner, Note, Records, RecordsError,
};

pub type Result<T> = std::result::Result<T, RecordsError>;

/// The most reading time one visit to a lesson can add.
const MAX_READING_SECONDS: i64 = 3600;

/// A quiz opened for answering: a new draw or an attempt resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenQuiz {
    pub module_id: String,
    pub attempt_id: i64,
    pub draw: Vec<DrawnQuestion>,
    /// (question id, correct) for the questions already answered, in draw order.
    pub answered: Vec<(String, bool)>,
}

impl OpenQuiz {
    /// The first question of the draw not answered yet.
    pub fn next_unanswered(&self) -> Option<usize> {
        self.draw.iter().position(|d| !self.answered.iter().any(|(q, _)| *q == d.question))
    }
}

/// What an answer earned, for the front end to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub correct: bool,
    pub chosen: Vec<String>,
}

/// A finished quiz (or review session).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizResult {
    pub correct: u32,
    pub total: u32,
    pub score: u32,
    pub passed: bool,
    pub pass_mark: u32,
    /// Lessons to revisit: (module id, lesson id, title).
    pub revisit: Vec<(String, String, String)>,
    /// Titles of the levels this result earned.
    pub new_levels: Vec<String>,
}

/// One learner's session over a records file and a curriculum.
pub struct Session {
    records: Records,
    /// The whole curriculum, as loaded.
    full: Rc<Catalog>,
    /// The curriculum as the learner in session reads it: their country's
    /// regional content and contacts (`Catalog::for_country`); `full` when
    /// no one is in session or the organisation lists no countries.
    catalog: Rc<Catalog>,
    clock: Clock,
    rng: fastrand::Rng,
    /// Trainer preview: quizzes show their whole pool.
    preview: bool,
    learner: Option<Learner>,
    standing: Standing,
}

impl Session {
    pub fn new(catalog: Rc<Catalog>, records: Records, clock: Clock, seed: Option<u64>, preview: bool) -> Session {
        Session {
            records,
            full: Rc::clone(&catalog),
            catalog,
            clock,
            rng: seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
            preview,
            learner: None,
            standing: Standing::empty(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The curriculum as the learner in session reads it (see `catalog`).
    pub fn catalog(&self) -> &Rc<Catalog> {
        &self.catalog
    }

    /// The whole curriculum, every country's content in it.
    pub fn full_catalog(&self) -> &Catalog {
        &self.full
    }

    /// Swaps the curriculum (preview reload); the learner's records stay.
    pub fn set_catalog(&mut self, catalog: Rc<Catalog>) -> Result<()> {
        self.full = catalog;
        self.catalog = self.view();
        self.refresh()
    }

    /// The curriculum for the learner in session's country.
    fn view(&self) -> Rc<Catalog> {
        let chosen = self.learner.as_ref().and_then(|l| l.country.as_deref());
        let country = self.full.country_of(chosen);
        match country.and_then(|c| self.full.for_country(c)) {
            Some(view) => Rc::new(view),
            None => Rc::clone(&self.full),
        }
    }

    /// The country the learner in session works in (the organisation's
    /// first when they have not said), if the organisation lists countries.
    pub fn country(&self) -> Option<&crate::content::Country> {
        let chosen = self.learner.as_ref().and_then(|l| l.country.as_deref());
        self.full.country_of(chosen).and_then(|id| self.full.organisation.country(id))
    }

    /// The countries a learner can say they work in, the default first.
    pub fn countries(&self) -> &[crate::content::Country] {
        &self.full.organisation.countries
    }

    /// Records that the learner in session works in `country` (one of
    /// `countries`): from now on they read that country's content.
    pub fn set_country(&mut self, country: &str) -> Result<()> {
        let id = self.learner_id()?;
        self.records.set_country(id, country)?;
        if let Some(learner) = &mut self.learner {
            learner.country = Some(country.to_string());
        }
        self.catalog = self.view();
        self.refresh()
    }

    pub fn learner(&self) -> Option<&Learner> {
        self.learner.as_ref()
    }

    pub fn standing(&self) -> &Standing {
        &self.standing
    }

    pub fn rng(&mut self) -> &mut fastrand::Rng {
        &mut self.rng
    }

    pub fn learners(&self) -> Result<Vec<Learner>> {
        self.records.learners()
    }

    pub fn learner_by_name(&self, name: &str) -> Result<Option<Learner>> {
        self.records.learner_by_name(name)
    }

    /// Records a new learner (a name taken in any case is refused with the
    /// existing learner's name, for the front end to offer).
    pub fn sign_up(&mut self, new: &NewLearner) -> Result<Learner> {
        let now = self.now();
        self.records.add_learner(new, now)
    }

    /// Starts `learner`'s session: marks them active, reads their standing
    /// and grants any level already earned. Returns the levels granted.
    pub fn enter(&mut self, learner: Learner) -> Result<Vec<String>> {
        let now = self.now();
        self.records.touch_learner(learner.id, now)?;
        self.enter_untouched(learner)
    }

    /// `enter`, leaving the learner's mark as active to `touch`: the trainer
    /// shows its first screen first (the write may wait on the disk).
    pub fn enter_untouched(&mut self, learner: Learner) -> Result<Vec<String>> {
        let now = self.now();
        self.learner = Some(learner);
        self.catalog = self.view();
        self.refresh()?;
        // The standing just read says whether a level is waiting to be
        // granted; only then is a write begun (which reads it again, so two
        // windows never grant one level twice). Most starts write nothing.
        let (catalog, standing) = (&self.catalog, &self.standing);
        let major = |id: &str| catalog.major_version(id);
        if ladder::newly_earned(&catalog.curriculum.ladder, &major, &standing.passes, &standing.grants, now).is_empty()
        {
            return Ok(Vec::new());
        }
        let learner = self.learner.as_ref().map(|l| l.id);
        let granted = self.records.event(|tx| grant_earned(catalog, learner, tx, now))?;
        if !granted.is_empty() {
            self.refresh()?;
        }
        Ok(granted)
    }

    /// Marks the learner in session active now (see `enter_untouched`).
    pub fn touch(&mut self) -> Result<()> {
        let (learner, now) = (self.learner_id()?, self.now());
        self.records.touch_learner(learner, now)
    }

    /// Leaves the learner (switching learner on a shared workstation).
    pub fn leave(&mut self) {
        self.learner = None;
        self.standing = Standing::empty();
        self.catalog = Rc::clone(&self.full);
    }

    /// Re-reads the learner's standing from the records.
    pub fn refresh(&mut self) -> Result<()> {
        if let Some(learner) = &self.learner {
            self.standing = Standing::read(&self.records, &self.catalog, learner.id)?;
        }
        Ok(())
    }

    pub fn summary(&self) -> Option<Summary> {
        let learner = self.learner.as_ref()?;
        Some(progress::summarise(&self.standing, &self.catalog, learner, self.now()))
    }

    /// Levels in their renewal window or expired, as "Title: status" lines.
    pub fn certification_notices(&self) -> Vec<String> {
        self.standing
            .levels(&self.catalog, self.now())
            .into_iter()
            .filter(|l| matches!(l.status, Status::Renewal { .. } | Status::Expired { .. }))
            .map(|l| format!("{}: {}", l.title, progress::status_text(l.status)))
            .collect()
    }

    /// The curriculum's sections in the order this learner meets them.
    pub fn sections(&self) -> Vec<Section> {
        let learner = self.learner.as_ref();
        plan::sections(&self.catalog, learner.map(|l| l.role), learner.is_some_and(|l| l.new_hire))
    }

    /// The modules to pass before `module` opens (none in trainer preview).
    pub fn missing_prerequisites(&self, module: &str) -> Vec<&Module> {
        match self.catalog.module(module) {
            Some(m) => plan::missing_prerequisites(m, &self.catalog, &self.standing, self.preview),
            None => Vec::new(),
        }
    }

    /// The lesson or quiz to take next, if any is left open to the learner.
    pub fn next_step(&self) -> Option<Step> {
        let learner = self.learner.as_ref();
        let (role, new_hire) = (learner.map(|l| l.role), learner.is_some_and(|l| l.new_hire));
        plan::next_step(&self.catalog, &self.standing, role, new_hire, self.preview)
    }

    fn learner_id(&self) -> Result<i64> {
        self.learner.as_ref().map(|l| l.id).ok_or(RecordsError::NoLearner)
    }

    /// Whether a quiz attempt is still open (not finished, here or in another window).
    pub fn attempt_is_open(&self, attempt: i64) -> Result<bool> {
        Ok(self.records.attempt(attempt)?.is_some_and(|a| a.finished_at.is_none()))
    }

    pub fn location(&self) -> Result<Option<Location>> {
        self.records.location(self.learner_id()?)
    }

    /// Remembers where the learner is (a convenience, not an event).
    pub fn save_place(&mut self, place: &Location) -> Result<()> {
        let (learner, now) = (self.learner_id()?, self.now());
        self.records.save_location(learner, place, now)
    }

    /// Opens a lesson: returns the saved scroll position and whether it is complete.
    pub fn open_lesson(&mut self, module: &str, lesson: &str) -> Result<(u32, bool)> {
        let (learner, now) = (self.learner_id()?, self.now());
        self.records.open_lesson(learner, module, lesson, now)?;
        let saved = self.standing.lessons.iter().find(|p| p.module_id == module && p.lesson_id == lesson);
        Ok((saved.map_or(0, |p| p.scroll), saved.is_some_and(|p| p.completed_at.is_some())))
    }

    /// Adds reading time to a lesson being left.
    pub fn add_reading_time(&mut self, module: &str, lesson: &str, seconds: u64) -> Result<()> {
        if seconds == 0 {
            return Ok(());
        }
        let (learner, now) = (self.learner_id()?, self.now());
        self.records.add_reading_time(learner, module, lesson, seconds, now)
    }

    /// Records the time spent on a lesson opened at `opened_at` and left now;
    /// an hour at most, so a lesson left open overnight does not count as study.
    pub fn leave_lesson(&mut self, module: &str, lesson: &str, opened_at: DateTime<Utc>) -> Result<()> {
        let seconds = (self.now() - opened_at).num_seconds().clamp(0, MAX_READING_SECONDS) as u64;
        self.add_reading_time(module, lesson, seconds)
    }

    /// Marks a lesson complete; false if it already was.
    pub fn complete_lesson(&mut self, module: &str, lesson: &str) -> Result<bool> {
        let (learner, now) = (self.learner_id()?, self.now());
        let done = self.records.complete_lesson(learner, module, lesson, now)?;
        if done {
            self.refresh()?;
        }
        Ok(done)
    }

    /// The learner's unfinished attempt on the module (unless `fresh`), else a new draw.
    pub fn open_quiz(&mut self, module_id: &str, fresh: bool) -> Result<OpenQuiz> {
        let learner = self.learner_id()?;
        let catalog = Rc::clone(&self.catalog);
        let module = catalog.module(module_id).ok_or_else(|| RecordsError::NotInCurriculum(module_id.into()))?;
        if !fresh
            && let Some(attempt) = self.records.open_attempt(learner, module_id)?
            && attempt.draw.iter().all(|d| module.quiz.questions.iter().any(|q| q.id == d.question))
        {
            return self.resume(module_id, attempt.id, attempt.draw);
        }
        let draw =
            if self.preview { quiz::whole_pool(module, &mut self.rng) } else { quiz::draw(module, &mut self.rng) };
        let now = self.now();
        let attempt = self.records.start_attempt(learner, module_id, &module.version, draw, now)?;
        Ok(OpenQuiz { module_id: module_id.into(), attempt_id: attempt.id, draw: attempt.draw, answered: Vec::new() })
    }

    /// The learner's unfinished attempt on `module`, as the records hold it,
    /// without starting one.
    pub fn unfinished_quiz(&self, module: &str) -> Result<Option<OpenQuiz>> {
        match self.records.open_attempt(self.learner_id()?, module)? {
            Some(a) => self.resume(module, a.id, a.draw).map(Some),
            None => Ok(None),
        }
    }

    /// The attempt as the records hold it now (another window may have answered some of it).
    pub fn reread_quiz(&mut self, open: &OpenQuiz) -> Result<OpenQuiz> {
        self.resume(&open.module_id, open.attempt_id, open.draw.clone())
    }

    fn resume(&self, module_id: &str, attempt_id: i64, draw: Vec<DrawnQuestion>) -> Result<OpenQuiz> {
        let given = self.records.answers(attempt_id)?;
        let answered = draw
            .iter()
            .filter_map(|d| {
                given.iter().find(|a| a.question_id == d.question).map(|a| (a.question_id.clone(), a.correct))
            })
            .collect();
        Ok(OpenQuiz { module_id: module_id.into(), attempt_id, draw, answered })
    }

    fn question<'c>(catalog: &'c Catalog, module: &str, question: &str) -> Option<(&'c Module, &'c Question)> {
        let m = catalog.module(module)?;
        Some((m, m.quiz.questions.iter().find(|q| q.id == question)?))
    }

    /// Marks and records one answer of a quiz attempt (`Some(attempt)`) or of
    /// a review session (`None`), with the question's review schedule, in one
    /// transaction. An answer that could not be saved is an error and does not count.
    pub fn answer(&mut self, attempt: Option<i64>, module: &str, question: &str, chosen: &[String]) -> Result<Marked> {
        let (learner, now) = (self.learner_id()?, self.now());
        let catalog = Rc::clone(&self.catalog);
        let (m, q) = Self::question(&catalog, module, question)
            .ok_or_else(|| RecordsError::NotInCurriculum(format!("{module}/{question}")))?;
        let correct = quiz::is_correct(q, chosen);
        let given = Given { module: &m.id, question: &q.id, chosen, correct };
        self.records.event(|tx| {
            records::insert_answer_in(tx, learner, attempt, given, now)?;
            let err = |e| records::error_in("", e);
            let current = records::review_item_in(tx, learner, module, question).map_err(err)?;
            if let Some(next) = review::after_answer(current.as_ref(), module, question, correct, now) {
                records::save_review_item_in(tx, learner, &next).map_err(err)?;
            }
            Ok(())
        })?;
        Ok(Marked { correct, chosen: chosen.to_vec() })
    }

    /// Finishes a quiz attempt and grants the levels it earns, in one
    /// transaction: nothing is granted unless the result is stored.
    pub fn finish_quiz(&mut self, open: &OpenQuiz) -> Result<QuizResult> {
        let now = self.now();
        let catalog = Rc::clone(&self.catalog);
        let module =
            catalog.module(&open.module_id).ok_or_else(|| RecordsError::NotInCurriculum(open.module_id.clone()))?;
        let pass_mark = module.quiz.pass_mark;
        let attempt = open.attempt_id;
        let learner = self.learner.as_ref().map(|l| l.id);
        let (finished, new_levels) = self.records.event(|tx| {
            let finished = records::finish_attempt_in(tx, attempt, pass_mark, now)?;
            let levels =
                if finished.now && finished.passed { grant_earned(&catalog, learner, tx, now)? } else { Vec::new() };
            Ok((finished, levels))
        })?;
        let answered = self.records.answers(attempt)?;
        let mut revisit: Vec<(String, String, String)> = Vec::new();
        for a in answered.iter().filter(|a| !a.correct) {
            let lesson = module.quiz.questions.iter().find(|q| q.id == a.question_id).and_then(|q| q.lesson.as_deref());
            if let Some(l) = lesson.and_then(|l| module.lessons.iter().find(|x| x.id == l))
                && !revisit.iter().any(|(_, id, _)| *id == l.id)
            {
                revisit.push((module.id.clone(), l.id.clone(), l.title.clone()));
            }
        }
        self.refresh()?;
        Ok(QuizResult {
            correct: finished.correct,
            total: finished.total,
            score: finished.score,
            passed: finished.passed,
            pass_mark,
            revisit,
            new_levels,
        })
    }

    /// Every question due for review now, each drawn with its options shuffled.
    pub fn start_review(&mut self) -> Result<Vec<(String, DrawnQuestion)>> {
        let (learner, now) = (self.learner_id()?, self.now());
        let items = self.records.review_items(learner)?;
        let catalog = Rc::clone(&self.catalog);
        let mut picks = Vec::new();
        for item in review::due(&items, now) {
            if let Some((_, q)) = Self::question(&catalog, &item.module_id, &item.question_id) {
                picks.push((item.module_id.clone(), quiz::draw_one(q, &mut self.rng)));
            }
        }
        Ok(picks)
    }

    /// Questions due for review now.
    pub fn review_due(&self) -> Result<usize> {
        let learner = self.learner_id()?;
        Ok(review::due(&self.records.review_items(learner)?, self.now()).len())
    }

    /// The result of a review session over `results` ((module, question, correct)):
    /// the lessons of questions missed often enough to be flagged.
    pub fn finish_review(&mut self, results: &[(String, String, bool)]) -> Result<QuizResult> {
        let learner = self.learner_id()?;
        let total = results.len() as u32;
        let correct = results.iter().filter(|(_, _, ok)| *ok).count() as u32;
        let mut revisit: Vec<(String, String, String)> = Vec::new();
        for (module, question, _) in results {
            let Some((m, q)) = Self::question(&self.catalog, module, question) else { continue };
            let flagged = self.records.review_item(learner, module, question)?.is_some_and(|i| review::is_flagged(&i));
            if flagged
                && let Some(l) = q.lesson.as_deref().and_then(|l| m.lessons.iter().find(|x| x.id == l))
                && !revisit.iter().any(|(mm, id, _)| *mm == m.id && *id == l.id)
            {
                revisit.push((m.id.clone(), l.id.clone(), format!("{} › {}", m.title, l.title)));
            }
        }
        self.refresh()?;
        Ok(QuizResult {
            correct,
            total,
            score: quiz::percent(correct, total),
            passed: true,
            pass_mark: 0,
            revisit,
            new_levels: Vec::new(),
        })
    }

    pub fn notes(&self) -> Result<Vec<Note>> {
        self.records.notes(self.learner_id()?)
    }

    pub fn own_note(&self, module: &str, lesson: &str) -> Result<Option<Note>> {
        self.records.own_note(self.learner_id()?, module, lesson)
    }

    pub fn save_note(&mut self, module: &str, lesson: &str, body: &str) -> Result<()> {
        let (learner, now) = (self.learner_id()?, self.now());
        self.records.save_note(learner, module, lesson, body, now)
    }
}

/// Grants, inside `tx`, every level the learner's stored passes earn now.
fn grant_earned(
    catalog: &Catalog,
    learner: Option<i64>,
    tx: &rusqlite::Transaction,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let Some(learner) = learner else { return Ok(Vec::new()) };
    let err = |e| records::error_in("", e);
    let attempts = records::attempts_of(tx, learner).map_err(err)?;
    let grants = records::grants_of(tx, learner).map_err(err)?;
    let major = |id: &str| catalog.major_version(id);
    let earned = ladder::newly_earned(&catalog.curriculum.ladder, &major, &ladder::passes(&attempts), &grants, now);
    let mut titles = Vec::new();
    for e in earned {
        let grant = NewGrant {
            level: &e.level_id,
            granted_at: now,
            expires_at: e.expires_at,
            attempts: &e.attempts,
            organisation: &catalog.organisation.name,
        };
        records::grant_level_in(tx, learner, grant)?;
        let title = catalog.curriculum.ladder.levels.iter().find(|l| l.id == e.level_id);
        titles.push(title.map_or(e.level_id.clone(), |l| l.title.clone()));
    }
    Ok(titles)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::content::Audience;

    const M101: &str = "employee-101-social-media-at-work";

    fn session() -> Result<Session> {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).single().ok_or(RecordsError::NoLearner)?;
        let mut s =
            Session::new(Rc::new(crate::content::embedded()), Records::in_memory()?, Clock::Fixed(now), Some(1), false);
        let ana = s.sign_up(&NewLearner::named("Ana", Audience::Employee, true))?;
        s.enter(ana)?;
        Ok(s)
    }

    #[test]
    fn a_lesson_left_open_overnight_counts_an_hour_of_reading() -> Result<()> {
        let mut s = session()?;
        s.open_lesson(M101, "welcome")?;
        s.leave_lesson(M101, "welcome", s.now() - Duration::hours(9))?;
        s.leave_lesson(M101, "welcome", s.now() - Duration::minutes(5))?;
        s.refresh()?;
        let seconds: Vec<u64> = s.standing().lessons.iter().map(|l| l.seconds_spent).collect();
        assert_eq!(seconds, vec![3600 + 300]);
        Ok(())
    }

    #[test]
    fn looking_at_an_unfinished_quiz_starts_none() -> Result<()> {
        let mut s = session()?;
        assert_eq!(s.unfinished_quiz(M101)?, None);
        let open = s.open_quiz(M101, false)?;
        assert_eq!(s.unfinished_quiz(M101)?, Some(open.clone()));
        assert!(s.attempt_is_open(open.attempt_id)?);
        assert_eq!(s.next_step(), Some(Step::Lesson { module: M101.into(), index: 0 }));
        assert_eq!(s.sections().first().map(|sec| sec.mine), Some(true));
        assert!(s.missing_prerequisites(M101).is_empty());
        Ok(())
    }
}
