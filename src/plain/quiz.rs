//! Quizzes and review sessions as questions and typed numbers: the
//! question's text, its numbered options and how to answer; then whether
//! the answer was right, the feedback and the explanation as sentences; at
//! the end the score, the pass mark, any new level and what to revisit.

use std::io;
use std::rc::Rc;

use super::text::{self, TextLine};
use super::{Choice, Place, Plain, and_list};
use crate::content::{Module, Question, QuestionKind, placeholder};
use crate::learning::quiz::TRUE_FALSE;
use crate::learning::session::QuizResult;
use crate::records::{DrawnQuestion, Location, RecordsError};

/// What the learner did at a question.
enum Asked {
    Chosen(Vec<String>),
    Leave(Place),
}

impl Plain<'_> {
    pub(super) fn take_quiz(&mut self, module_id: &str, fresh: bool) -> io::Result<Place> {
        let catalog = Rc::clone(&self.catalog);
        let Some(m) = catalog.module(module_id) else { return Ok(Place::Catalog) };
        if self.locked(m)? {
            return Ok(Place::Catalog);
        }
        let back = Place::Module(m.id.clone());
        let opened = self.session.open_quiz(module_id, fresh);
        let Some(mut open) = self.report(opened)? else { return Ok(back) };
        let place =
            Location { module_id: Some(m.id.clone()), attempt_id: Some(open.attempt_id), ..Location::default() };
        let saved = self.session.save_place(&place);
        self.report(saved)?;
        let total = open.draw.len();
        self.con.blank()?;
        self.con.say(&format!(
            "Quiz on \"{}\": {total} questions; the pass mark is {}%. Every answer is saved as you give it. At a question, m leaves the quiz (it waits for you) and q quits.",
            m.title, m.quiz.pass_mark
        ))?;
        if !open.answered.is_empty() {
            self.con.say(&format!(
                "You had answered {} of {total}; you continue with the first question still open.",
                open.answered.len()
            ))?;
        }
        while let Some(i) = open.next_unanswered() {
            let drawn = open.draw[i].clone();
            let Some(q) = m.quiz.questions.iter().find(|q| q.id == drawn.question) else { return Ok(back) };
            let chosen = match self.ask_question(m, q, &drawn, (i + 1, total), false)? {
                Asked::Chosen(chosen) => chosen,
                Asked::Leave(place) => return Ok(place),
            };
            match self.session.answer(Some(open.attempt_id), &m.id, &q.id, &chosen) {
                Ok(marked) => {
                    open.answered.push((q.id.clone(), marked.correct));
                    self.feedback(q, &drawn, &chosen, marked.correct)?;
                    let how = if open.next_unanswered().is_some() { "next question" } else { "see your result" };
                    if let Some(place) = self.pause(how, back.clone())? {
                        return Ok(place);
                    }
                }
                Err(e @ (RecordsError::AlreadyAnswered { .. } | RecordsError::AttemptFinished)) => {
                    self.con.say(&format!(
                        "{e}. Each question counts once, so this answer was not recorded; you continue with the next open question."
                    ))?;
                    let reread = self.session.reread_quiz(&open);
                    let Some(reread) = self.report(reread)? else { return Ok(back) };
                    open = reread;
                }
                // Not saved, so not scored: the question is asked again.
                Err(e) => {
                    self.report::<()>(Err(e))?;
                }
            }
        }
        let finished = self.session.finish_quiz(&open);
        let Some(result) = self.report(finished)? else { return Ok(back) };
        let place = Location { module_id: Some(m.id.clone()), ..Location::default() };
        let saved = self.session.save_place(&place);
        self.report(saved)?;
        self.say_result(m, &result)?;
        self.con.say("1. Retake the quiz (a new draw)")?;
        self.con.say("2. The module's menu")?;
        self.con.say("3. The main menu")?;
        self.con.say("q. Quit")?;
        Ok(match self.choose(3, &['q'], "Type a number, then Enter (Enter alone: the module's menu).")? {
            Choice::Number(1) => Place::Quiz { module: m.id.clone(), fresh: true },
            Choice::Number(3) => Place::Home,
            Choice::Number(_) | Choice::Again => back,
            Choice::Letter(_) | Choice::End => Place::Quit,
        })
    }

    fn say_result(&mut self, m: &Module, r: &QuizResult) -> io::Result<()> {
        self.con.blank()?;
        self.con.say(&format!("Your score: {} of {} right, {}%.", r.correct, r.total, r.score))?;
        self.con.say(&if r.passed {
            format!("Passed: the pass mark is {}%.", r.pass_mark)
        } else {
            format!("Not passed yet: the pass mark is {}%.", r.pass_mark)
        })?;
        for level in &r.new_levels {
            self.con.say(&format!("New level: {level}. Well earned."))?;
        }
        if !r.revisit.is_empty() {
            let lessons: Vec<String> = r
                .revisit
                .iter()
                .map(|(_, id, title)| match m.lessons.iter().position(|l| l.id == *id) {
                    Some(i) => format!("lesson {} ({title})", i + 1),
                    None => title.clone(),
                })
                .collect();
            self.con.say(&format!("Worth revisiting: {}.", and_list(&lessons)))?;
        }
        Ok(())
    }

    /// A review session over every question due again.
    pub(super) fn review(&mut self) -> io::Result<Place> {
        let picks = self.session.start_review();
        let Some(picks) = self.report(picks)? else { return Ok(Place::Home) };
        if picks.is_empty() {
            self.con.say("Nothing to review right now: missed questions come back when they are due.")?;
            return Ok(Place::Home);
        }
        let saved = self.session.save_place(&Location::default());
        self.report(saved)?;
        let catalog = Rc::clone(&self.catalog);
        let total = picks.len();
        self.con.blank()?;
        self.con.say(&format!(
            "Review: {total} question(s) you missed before, due again. Answers here set when each comes back; they do not change quiz scores. m leaves the review and q quits."
        ))?;
        let mut results = Vec::new();
        for (i, (module, drawn)) in picks.iter().enumerate() {
            let Some(m) = catalog.module(module) else { continue };
            let Some(q) = m.quiz.questions.iter().find(|q| q.id == drawn.question) else { continue };
            loop {
                let chosen = match self.ask_question(m, q, drawn, (i + 1, total), true)? {
                    Asked::Chosen(chosen) => chosen,
                    Asked::Leave(place) => return Ok(place),
                };
                let answered = self.session.answer(None, &m.id, &q.id, &chosen);
                let Some(marked) = self.report(answered)? else { continue };
                results.push((m.id.clone(), q.id.clone(), marked.correct));
                self.feedback(q, drawn, &chosen, marked.correct)?;
                let how = if i + 1 < total { "next question" } else { "see how it went" };
                if let Some(place) = self.pause(how, Place::Home)? {
                    return Ok(place);
                }
                break;
            }
        }
        let finished = self.session.finish_review(&results);
        let Some(r) = self.report(finished)? else { return Ok(Place::Home) };
        self.con.blank()?;
        self.con.say(&format!("Reviewed {}: {} right.", r.total, r.correct))?;
        if !r.revisit.is_empty() {
            let lessons: Vec<String> = r.revisit.iter().map(|(_, _, title)| title.clone()).collect();
            self.con.say(&format!("Missed four times or more; revisit these lessons: {}.", and_list(&lessons)))?;
        }
        self.con.say("Missed questions come back on a spaced schedule.")?;
        Ok(match self.pause("the main menu", Place::Home)? {
            Some(place) => place,
            None => Place::Home,
        })
    }

    /// "Enter: {what}." Returns where to go instead when the learner typed
    /// m (`menu`: the module's menu in a quiz, the main menu in a review) or q.
    fn pause(&mut self, what: &str, menu: Place) -> io::Result<Option<Place>> {
        let which = if menu == Place::Home { "the main menu" } else { "the module's menu" };
        let how = format!("Enter: {what}. m: {which}. q: quit.");
        Ok(match self.choose(0, &['m', 'q'], &how)? {
            Choice::Letter('m') => Some(menu),
            Choice::Letter(_) | Choice::End => Some(Place::Quit),
            Choice::Number(_) | Choice::Again => None,
        })
    }

    fn fill(&self, s: &str) -> String {
        placeholder::fill(s, &self.catalog.organisation)
    }

    fn say_lines(&mut self, lines: &[TextLine], first_prefix: &str) -> io::Result<()> {
        for (i, line) in lines.iter().enumerate() {
            if line.gap && i > 0 {
                self.con.blank()?;
            }
            if i == 0 {
                self.con.say(&format!("{first_prefix}{}", line.text))?;
            } else {
                self.con.say(&line.text)?;
            }
        }
        Ok(())
    }

    /// Prints a question and reads an answer until one can be marked.
    fn ask_question(
        &mut self,
        m: &Module,
        q: &Question,
        drawn: &DrawnQuestion,
        (number, total): (usize, usize),
        review: bool,
    ) -> io::Result<Asked> {
        self.con.blank()?;
        let from = if review { format!(", from \"{}\"", m.title) } else { String::new() };
        self.con.say(&format!("Question {number} of {total}{from} ({}).", kind_phrase(q.kind)))?;
        if let Some(scenario) = &q.scenario {
            self.say_lines(&text::markdown(&self.fill(scenario.as_str())), "Situation: ")?;
            self.con.blank()?;
        }
        self.say_lines(&text::markdown(&self.fill(q.prompt.as_str())), "")?;
        for (i, id) in drawn.options.iter().enumerate() {
            let option = self.fill(option_text(q, id));
            self.con.say(&format!("{}. {option}", i + 1))?;
        }
        let mut how = how_to_answer(q.kind, drawn.options.len());
        loop {
            let Some(line) = self.con.ask(&how)? else { return Ok(Asked::Leave(Place::Quit)) };
            match line.to_lowercase().as_str() {
                "q" => return Ok(Asked::Leave(Place::Quit)),
                "m" if review => return Ok(Asked::Leave(Place::Home)),
                "m" => return Ok(Asked::Leave(Place::Module(m.id.clone()))),
                typed => match parse_answer(q.kind, &drawn.options, typed) {
                    Ok(chosen) => return Ok(Asked::Chosen(chosen)),
                    Err(why) => how = why,
                },
            }
        }
    }

    /// Right or not, the feedback of the options chosen, the right answer, the explanation.
    fn feedback(&mut self, q: &Question, drawn: &DrawnQuestion, chosen: &[String], correct: bool) -> io::Result<()> {
        self.con.say(if correct { "Right." } else { "Not quite." })?;
        let number = |id: &str| drawn.options.iter().position(|o| o == id).map_or(0, |i| i + 1);
        let numbers = |ids: &mut dyn Iterator<Item = &str>| {
            let mut n: Vec<usize> = ids.map(number).collect();
            n.sort_unstable();
            and_list(&n.iter().map(usize::to_string).collect::<Vec<_>>())
        };
        match q.kind {
            QuestionKind::Ordering => {
                if !correct {
                    let order = numbers_in_order(q, drawn);
                    self.con.say(&format!("The right order is {order}:"))?;
                    for (i, o) in q.options.iter().enumerate() {
                        let item = self.fill(&o.text);
                        self.con.say(&format!("{}. {item}", i + 1))?;
                    }
                }
            }
            QuestionKind::TrueFalse => {
                if !correct {
                    let answer = if q.answer == Some(true) { "true" } else { "false" };
                    self.con.say(&format!("The statement is {answer}."))?;
                    if let Some(f) = &q.feedback {
                        let f = self.fill(f);
                        self.con.say(&f)?;
                    }
                }
            }
            QuestionKind::Single | QuestionKind::Scenario | QuestionKind::Multiple => {
                self.con.say(&format!("You chose {}.", numbers(&mut chosen.iter().map(String::as_str))))?;
                for o in q.options.iter().filter(|o| !o.correct && chosen.contains(&o.id)) {
                    if let Some(f) = &o.feedback {
                        let f = self.fill(f);
                        self.con.say(&format!("About {}: {f}", number(&o.id)))?;
                    }
                }
                if !correct {
                    let right: Vec<&str> = q.options.iter().filter(|o| o.correct).map(|o| o.id.as_str()).collect();
                    let texts: Vec<String> =
                        q.options.iter().filter(|o| o.correct).map(|o| self.fill(&o.text)).collect();
                    match right.as_slice() {
                        [one] => self.con.say(&format!(
                            "The right answer is {}: {}",
                            number(one),
                            text::sentence(texts.first().map_or("", String::as_str))
                        ))?,
                        _ => {
                            self.con.say(&format!("The right answers are {}.", numbers(&mut right.iter().copied())))?
                        }
                    }
                }
            }
        }
        self.say_lines(&text::markdown(&self.fill(q.explanation.as_str())), "Explanation: ")
    }
}

/// The option's text as shown: true-false options are "True" and "False".
fn option_text<'q>(q: &'q Question, id: &str) -> &'q str {
    match q.kind {
        QuestionKind::TrueFalse if id == TRUE_FALSE[0] => "True",
        QuestionKind::TrueFalse => "False",
        _ => q.options.iter().find(|o| o.id == id).map_or("?", |o| o.text.as_str()),
    }
}

fn kind_phrase(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "one answer",
        QuestionKind::Scenario => "a situation, then one answer",
        QuestionKind::Multiple => "every answer that applies",
        QuestionKind::TrueFalse => "true or false",
        QuestionKind::Ordering => "put in order",
    }
}

fn how_to_answer(kind: QuestionKind, count: usize) -> String {
    match kind {
        QuestionKind::Single | QuestionKind::Scenario => "Type one number, then Enter.".into(),
        QuestionKind::TrueFalse => "Type 1 for true or 2 for false, then Enter.".into(),
        QuestionKind::Multiple => {
            "Choose every answer that applies: type their numbers separated by spaces, then Enter.".into()
        }
        QuestionKind::Ordering => {
            let example: Vec<String> = (2..=count).chain(std::iter::once(1)).map(|n| n.to_string()).collect();
            format!(
                "Type the numbers in order, separated by spaces, then Enter: for example {} puts item 2 first.",
                example.join(" ")
            )
        }
    }
}

/// The displayed numbers of an ordering question's items, in the right order.
fn numbers_in_order(q: &Question, drawn: &DrawnQuestion) -> String {
    let numbers: Vec<String> = q
        .options
        .iter()
        .map(|o| drawn.options.iter().position(|d| *d == o.id).map_or(0, |i| i + 1).to_string())
        .collect();
    numbers.join(" ")
}

/// The option ids an answer names, or what to type instead.
fn parse_answer(kind: QuestionKind, options: &[String], typed: &str) -> Result<Vec<String>, String> {
    let count = options.len();
    if kind == QuestionKind::TrueFalse {
        match typed {
            "t" | "true" => return Ok(vec![TRUE_FALSE[0].to_string()]),
            "f" | "false" => return Ok(vec![TRUE_FALSE[1].to_string()]),
            _ => {}
        }
    }
    let numbers: Option<Vec<usize>> = typed
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().ok().filter(|n| (1..=count).contains(n)))
        .collect();
    let one = match kind {
        QuestionKind::TrueFalse => "Type 1 for true or 2 for false, then Enter.".to_string(),
        _ => format!("Type one number from 1 to {count}, then Enter."),
    };
    let Some(numbers) = numbers.filter(|n| !n.is_empty()) else {
        return Err(match kind {
            QuestionKind::Multiple => {
                format!("Type the numbers of every answer that applies, from 1 to {count}, separated by spaces.")
            }
            QuestionKind::Ordering => format!("Type all {count} numbers, from 1 to {count}, in the right order."),
            _ => one,
        });
    };
    let mut distinct = numbers.clone();
    distinct.sort_unstable();
    distinct.dedup();
    match kind {
        QuestionKind::Single | QuestionKind::Scenario | QuestionKind::TrueFalse if numbers.len() != 1 => {
            return Err(format!("Only one answer is right here. {one}"));
        }
        QuestionKind::Multiple if distinct.len() != numbers.len() => {
            return Err("Type each number once, separated by spaces.".into());
        }
        QuestionKind::Ordering if numbers.len() != count || distinct.len() != count => {
            return Err(format!("Type all {count} numbers, each once, in the right order, separated by spaces."));
        }
        _ => {}
    }
    Ok(numbers.iter().filter_map(|n| options.get(n - 1).cloned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn answers_are_read_as_the_question_asks() {
        let opts = ids(&["a", "b", "c"]);
        assert_eq!(parse_answer(QuestionKind::Single, &opts, "2"), Ok(ids(&["b"])));
        assert!(parse_answer(QuestionKind::Single, &opts, "1 2").is_err());
        assert!(parse_answer(QuestionKind::Single, &opts, "4").is_err());
        assert!(parse_answer(QuestionKind::Single, &opts, "two").is_err());
        assert_eq!(parse_answer(QuestionKind::Multiple, &opts, "3, 1"), Ok(ids(&["c", "a"])));
        assert!(parse_answer(QuestionKind::Multiple, &opts, "1 1").is_err());
        assert_eq!(parse_answer(QuestionKind::Ordering, &opts, "3 1 2"), Ok(ids(&["c", "a", "b"])));
        assert!(parse_answer(QuestionKind::Ordering, &opts, "3 1").is_err());
        assert!(parse_answer(QuestionKind::Ordering, &opts, "3 1 1").is_err());
        let tf = ids(&["true", "false"]);
        assert_eq!(parse_answer(QuestionKind::TrueFalse, &tf, "2"), Ok(ids(&["false"])));
        assert_eq!(parse_answer(QuestionKind::TrueFalse, &tf, "true"), Ok(ids(&["true"])));
    }
}
