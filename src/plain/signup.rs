//! Who is learning: the learner picker and the sign-up (name, role, new
//! hire, and the work email or employee id when the organisation uses one),
//! one question at a time.

use std::io;
use std::rc::Rc;

use super::{Choice, Place, Plain};
use crate::content::{Audience, LearnerIdKind, sanitize};
use crate::records::{self, Learner, NewLearner, RecordsError};

/// A field's check: the value as stored, or why it cannot be stored.
type Check = fn(&str) -> Result<String, String>;

/// What a yes-or-no question got.
enum YesNo {
    Yes,
    No,
    End,
}

impl Plain<'_> {
    /// The learner named by `--learner`, else the picker, else the sign-up.
    pub(super) fn sign_in(&mut self, name: Option<&str>) -> io::Result<Place> {
        if let Some(name) = name {
            let found = self.session.learner_by_name(name);
            return match self.report(found)? {
                Some(Some(learner)) => self.enter(learner),
                Some(None) => self.sign_up(Some(name)),
                None => Ok(Place::Quit),
            };
        }
        let learners = self.session.learners();
        match self.report(learners)? {
            Some(list) if list.is_empty() => self.sign_up(None),
            Some(_) => self.picker(),
            None => Ok(Place::Quit),
        }
    }

    /// A shared workstation: the learners recorded here, and "New learner".
    pub(super) fn picker(&mut self) -> io::Result<Place> {
        let learners = self.session.learners();
        let Some(learners) = self.report(learners)? else { return Ok(Place::Quit) };
        self.con.blank()?;
        self.con.say("Who is learning?")?;
        for (i, l) in learners.iter().enumerate() {
            self.con.say(&format!("{}. {}, {}", i + 1, sanitize::one_line(&l.name), l.role.label()))?;
        }
        self.con.say(&format!("{}. New learner", learners.len() + 1))?;
        self.con.say("q. Quit")?;
        match self.choose(learners.len() + 1, &['q'], "Type a number, then Enter.")? {
            Choice::Number(n) => match learners.get(n - 1) {
                Some(learner) => self.enter(learner.clone()),
                None => self.sign_up(None),
            },
            Choice::Again => Ok(Place::Picker),
            Choice::Letter(_) | Choice::End => Ok(Place::Quit),
        }
    }

    /// Starts the learner's session and says what changed since last time.
    fn enter(&mut self, learner: Learner) -> io::Result<Place> {
        let name = sanitize::one_line(&learner.name);
        let entered = self.session.enter(learner);
        // The learner reads their country's curriculum.
        self.catalog = Rc::clone(self.session.catalog());
        let new_levels = self.report(entered)?.unwrap_or_default();
        self.con.blank()?;
        self.con.say(&format!("Welcome, {name}."))?;
        for level in new_levels {
            self.con.say(&format!("New level: {level}. Well earned."))?;
        }
        let notices = self.session.certification_notices();
        if !notices.is_empty() {
            for notice in notices {
                self.con.say(&format!("Certification {notice}."))?;
            }
            self.con.say("Retake the level's quizzes to renew it; your progress (3 on the main menu) lists them.")?;
        }
        Ok(Place::Home)
    }

    /// The sign-up, one question at a time; `name` comes from `--learner`.
    fn sign_up(&mut self, name: Option<&str>) -> io::Result<Place> {
        self.con.blank()?;
        self.con.say(&format!(
            "Welcome to pace: social business training for {}. Your progress is kept on this computer under your name. Names are shown to trainers and on certificates; two people cannot share one.",
            sanitize::one_line(&self.catalog.organisation.name)
        ))?;
        let mut typed = name.map(str::to_string);
        let others = self.session.learners().map(|l| !l.is_empty()).unwrap_or(false);
        let how = if others {
            "Your name (b alone: back to the learners; q alone: quit):"
        } else {
            "Your name (q alone: quit):"
        };
        loop {
            let name = match typed.take() {
                Some(name) => name,
                None => match self.con.ask(how)?.as_deref() {
                    Some("q" | "Q") | None => return Ok(Place::Quit),
                    Some("b" | "B") if others => return Ok(Place::Picker),
                    Some(name) => name.to_string(),
                },
            };
            let name = match records::check_name(&name) {
                Ok(name) => name,
                Err(why) => {
                    self.con.say(&format!("{}.", capitalise(&why)))?;
                    continue;
                }
            };
            let existing = self.session.learner_by_name(&name);
            let Some(existing) = self.report(existing)? else { return Ok(Place::Quit) };
            if let Some(learner) = existing {
                match self.taken(&learner)? {
                    YesNo::Yes => return self.enter(learner),
                    YesNo::No => continue,
                    YesNo::End => return Ok(Place::Quit),
                }
            }
            let Some(role) = self.ask_role()? else { return Ok(Place::Quit) };
            let new_hire = match self.yes_no(
                "Are you a new hire? New hires start with the orientation path. Type y or n, then Enter (Enter alone: no).",
                false,
            )? {
                YesNo::Yes => true,
                YesNo::No => false,
                YesNo::End => return Ok(Place::Quit),
            };
            let Some(country) = self.ask_country()? else { return Ok(Place::Quit) };
            let mut new = NewLearner { country, ..NewLearner::named(&name, role, new_hire) };
            loop {
                if !self.ask_identity(&mut new)? {
                    return Ok(Place::Quit);
                }
                match self.session.sign_up(&new) {
                    Ok(learner) => return self.enter(learner),
                    Err(e @ RecordsError::IdTaken { .. }) => {
                        self.con.say(&format!("{}.", capitalise(&e.to_string())))?
                    }
                    Err(RecordsError::LearnerExists(_)) => break,
                    Err(e) => {
                        self.report::<()>(Err(e))?;
                        return Ok(Place::Quit);
                    }
                }
            }
            // Someone took the name meanwhile (another window): offer it.
            typed = Some(new.name);
        }
    }

    /// The name belongs to a learner already: continue as them?
    fn taken(&mut self, learner: &Learner) -> io::Result<YesNo> {
        let name = sanitize::one_line(&learner.name);
        self.con.say(&format!("\"{name}\" is already learning here."))?;
        self.yes_no(&format!("Type y to continue as {name}, or n to choose another name, then Enter."), false)
    }

    fn ask_role(&mut self) -> io::Result<Option<Audience>> {
        self.con.say("Your role:")?;
        for (i, a) in Audience::ALL.iter().enumerate() {
            self.con.say(&format!("{}. {}", i + 1, a.label()))?;
        }
        let default = Audience::Employee;
        let how = format!("Type one number, then Enter (Enter alone: {}).", default.label());
        loop {
            return Ok(match self.choose(Audience::ALL.len(), &[], &how)? {
                Choice::Number(n) => Audience::ALL.get(n - 1).copied(),
                Choice::Again => Some(default),
                Choice::Letter(_) => continue,
                Choice::End => None,
            });
        }
    }

    /// Where the learner works, when the organisation lists more than one
    /// country (Enter alone: the first). Some(None): nothing to ask; None:
    /// the input ended.
    pub(super) fn ask_country(&mut self) -> io::Result<Option<Option<String>>> {
        let countries: Vec<(String, String)> =
            self.session.countries().iter().map(|c| (c.id.clone(), sanitize::one_line(&c.name))).collect();
        if countries.len() < 2 {
            return Ok(Some(None));
        }
        self.con.say("Where do you work? The lessons cover the law and the contacts of your country.")?;
        for (i, (_, name)) in countries.iter().enumerate() {
            self.con.say(&format!("{}. {name}", i + 1))?;
        }
        let how = format!("Type one number, then Enter (Enter alone: {}; q alone: quit).", countries[0].1);
        Ok(match self.choose(countries.len(), &['q'], &how)? {
            Choice::Number(n) => countries.get(n - 1).map(|(id, _)| Some(id.clone())),
            Choice::Again => Some(Some(countries[0].0.clone())),
            Choice::Letter(_) | Choice::End => None,
        })
    }

    fn yes_no(&mut self, how: &str, default: bool) -> io::Result<YesNo> {
        let mut how = how.to_string();
        loop {
            let Some(line) = self.con.ask(&how)? else { return Ok(YesNo::End) };
            match line.to_lowercase().as_str() {
                "y" | "yes" => return Ok(YesNo::Yes),
                "n" | "no" => return Ok(YesNo::No),
                "" if default => return Ok(YesNo::Yes),
                "" => return Ok(YesNo::No),
                _ => how = "Type y for yes or n for no, then Enter.".into(),
            }
        }
    }

    /// The optional work email or employee id; false at the end of input.
    fn ask_identity(&mut self, new: &mut NewLearner) -> io::Result<bool> {
        let kind = self.catalog.organisation.learner_id;
        let (what, check): (&str, Check) = match kind {
            LearnerIdKind::Email => ("work email", records::check_email),
            LearnerIdKind::EmployeeId => ("employee id", records::check_employee_id),
            LearnerIdKind::None => return Ok(true),
        };
        loop {
            let how =
                format!("Your {what}, so your records follow you to other computers (optional: Enter alone skips it):");
            let Some(line) = self.con.ask(&how)? else { return Ok(false) };
            if line.is_empty() {
                (new.email, new.employee_id) = (None, None);
                return Ok(true);
            }
            match check(&line) {
                Ok(value) if kind == LearnerIdKind::Email => new.email = Some(value),
                Ok(value) => new.employee_id = Some(value),
                Err(why) => {
                    self.con.say(&format!("{}.", capitalise(&why)))?;
                    continue;
                }
            }
            return Ok(true);
        }
    }
}

fn capitalise(s: &str) -> String {
    let s = s.trim_end_matches('.');
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
