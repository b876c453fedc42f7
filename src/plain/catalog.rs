//! The catalog as numbered lists: every module once under its number (a
//! module in several sections keeps its number), with what is done and what
//! unlocks a locked one; then a module's lessons and quiz.

use std::io;

use super::{Choice, Place, Plain, and_list};
use crate::content::{Module, sanitize};
use crate::learning::plan;

impl Plain<'_> {
    /// Module ids in catalog order, each once: a module's menu number is its place here + 1.
    fn numbered_modules(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for section in self.session.sections() {
            for id in section.modules {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// "locked: pass module 1 first" (with `titles`, "module 1 (Title)"), or
    /// None when the module is open.
    fn lock_text(&self, module: &str, numbers: &[String], titles: bool) -> Option<String> {
        let missing = self.session.missing_prerequisites(module);
        if missing.is_empty() {
            return None;
        }
        let names: Vec<String> = missing
            .iter()
            .map(|m| match numbers.iter().position(|id| *id == m.id) {
                Some(i) if titles => format!("module {} ({})", i + 1, m.title),
                Some(i) => format!("module {}", i + 1),
                None => m.title.clone(),
            })
            .collect();
        Some(format!("locked: pass {} first", and_list(&names)))
    }

    fn module_status(&self, m: &Module) -> String {
        let standing = self.session.standing();
        let best = standing.scores.iter().filter(|s| s.module_id == m.id).map(|s| s.score).max();
        if standing.quiz_passed(&m.id) {
            return match best {
                Some(best) => format!("passed, best score {best}%"),
                None => "passed".into(),
            };
        }
        match plan::module_percent(m, standing) {
            0 => "not started".into(),
            pct => format!("{pct}% done"),
        }
    }

    pub(super) fn catalog_menu(&mut self) -> io::Result<Place> {
        let numbers = self.numbered_modules();
        self.con.blank()?;
        self.con.say(&format!(
            "Catalog: {} modules, listed by path and track; a module in several keeps its number.",
            numbers.len()
        ))?;
        let mut listed: Vec<&String> = Vec::new();
        for section in self.session.sections() {
            let mine = if section.mine { " (yours)" } else { "" };
            self.con.say(&format!("{}{mine}:", section.title))?;
            let number = |id: &String| numbers.iter().position(|x| x == id).map_or(0, |i| i + 1);
            let (before, new): (Vec<&String>, Vec<&String>) =
                section.modules.iter().partition(|id| listed.contains(id));
            let before: Vec<String> = before.into_iter().map(|id| number(id).to_string()).collect();
            match before.as_slice() {
                [] => {}
                [one] => self.con.say(&format!("Also here: module {one}, listed above."))?,
                many => self.con.say(&format!("Also here: modules {}, listed above.", and_list(many)))?,
            }
            for id in new {
                let Some(m) = self.catalog.module(id) else { continue };
                let status = self.lock_text(id, &numbers, false).unwrap_or_else(|| self.module_status(m));
                self.con.say(&format!("{}. {} — {status}", number(id), m.title))?;
                listed.extend(numbers.iter().find(|x| *x == id));
            }
        }
        if !self.catalog.problems.is_empty() {
            self.con.say(&format!(
                "{} problem(s) kept some modules out; tell whoever looks after your training content:",
                self.catalog.problems.len()
            ))?;
            let problems: Vec<String> = self.catalog.problems.iter().map(|p| p.headline()).collect();
            for p in problems {
                self.con.say(&format!("- {}", sanitize::one_line(&p)))?;
            }
        }
        self.con.say("b. Back to the main menu")?;
        self.con.say("q. Quit")?;
        let how = "Type a module's number, then Enter.";
        loop {
            return Ok(match self.choose(numbers.len(), &['b', 'q'], how)? {
                Choice::Number(n) => {
                    let id = numbers[n - 1].clone();
                    if let Some(lock) = self.lock_text(&id, &numbers, true) {
                        let title = self.catalog.module(&id).map_or(String::new(), |m| m.title.clone());
                        self.con.say(&format!("Module {n}, \"{title}\", is {lock}."))?;
                        continue;
                    }
                    Place::Module(id)
                }
                Choice::Again => Place::Catalog,
                Choice::Letter('b') => Place::Home,
                Choice::Letter(_) | Choice::End => Place::Quit,
            });
        }
    }

    pub(super) fn module_menu(&mut self, id: &str) -> io::Result<Place> {
        let Some(m) = self.catalog.module(id).cloned() else { return Ok(Place::Catalog) };
        let standing = self.session.standing();
        let read = m.lessons.iter().filter(|l| standing.lesson_done(&m.id, &l.id)).count();
        self.con.blank()?;
        let reviewed = m.reviewed.as_ref().map(|d| format!(" Content reviewed {d}.")).unwrap_or_default();
        self.con.say(&format!("Module: {}. Level {}, about {} minutes.{reviewed}", m.title, m.level, m.minutes))?;
        self.con.say(&super::text::sentence(&m.summary))?;
        let passed = if standing.quiz_passed(&m.id) { "passed" } else { "not passed yet" };
        self.con.say(&format!("{read} of {} lessons read; quiz {passed}.", m.lessons.len()))?;
        for (i, lesson) in m.lessons.iter().enumerate() {
            let done = if self.session.standing().lesson_done(&m.id, &lesson.id) { "read" } else { "not read yet" };
            self.con.say(&format!("{}. Lesson: {} — {done}", i + 1, lesson.title))?;
        }
        let unfinished = self.session.unfinished_quiz(&m.id);
        let quiz = match self.report(unfinished)?.flatten() {
            Some(open) => format!("unfinished: {} of {} answered", open.answered.len(), open.draw.len()),
            None => {
                match self.session.standing().scores.iter().filter(|s| s.module_id == m.id).map(|s| s.score).max() {
                    Some(best) => format!("best score {best}%"),
                    None => "not taken yet".into(),
                }
            }
        };
        let quiz_number = m.lessons.len() + 1;
        let draw = m.quiz.draw.min(m.quiz.questions.len());
        self.con.say(&format!("{quiz_number}. Quiz: {draw} questions, pass mark {}% — {quiz}", m.quiz.pass_mark))?;
        self.con.say("b. Back to the catalog")?;
        self.con.say("q. Quit")?;
        Ok(match self.choose(quiz_number, &['b', 'q'], "Type a number, then Enter.")? {
            Choice::Number(n) if n == quiz_number => Place::Quiz { module: m.id.clone(), fresh: false },
            Choice::Number(n) => Place::Lesson { module: m.id.clone(), index: n - 1 },
            Choice::Again => Place::Module(m.id.clone()),
            Choice::Letter('b') => Place::Catalog,
            Choice::Letter(_) | Choice::End => Place::Quit,
        })
    }
}
