//! Plain mode (`pace --plain`, `TERM=dumb`, `PACE_PLAIN=1`): the trainer as
//! linear text for screen readers, braille displays and scripts. Numbered
//! menus read by number, lessons a page at a time, questions answered by
//! typing numbers; no alternate screen, no cursor addressing, no colour, no
//! box drawing, and every line printed passes the sanitiser.
//!
//! Every learning step goes through `learning::Session`, the same calls the
//! full-screen trainer makes, so both record the same rows and a place saved
//! in one mode reopens in the other. Only wording and paging live here.

mod catalog;
mod console;
mod lesson;
mod progress;
mod quiz;
mod signup;
pub mod text;

use std::io::{self, BufRead, Write};
use std::rc::Rc;

use console::Console;

use crate::content::{Catalog, sanitize};
use crate::learning::clock::Clock;
use crate::learning::plan::Step;
use crate::learning::session::Session;
use crate::records::{Records, RecordsError};

pub struct Options {
    /// `--learner NAME`: that learner, or the sign-up with the name filled in.
    pub learner: Option<String>,
    pub clock: Clock,
    pub seed: Option<u64>,
    /// The terminal's columns and rows (80x24 through a pipe): a lesson page fits them.
    pub size: (u16, u16),
    /// Print each line read after its prompt: input from a pipe is not
    /// echoed by a terminal, and a transcript should show the answers.
    pub echo: bool,
}

/// Where plain mode goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Home,
    Picker,
    Catalog,
    Module(String),
    Lesson { module: String, index: usize },
    Quiz { module: String, fresh: bool },
    Review,
    Progress,
    Quit,
}

/// A menu answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Choice {
    Number(usize),
    Letter(char),
    /// Enter alone.
    Again,
    End,
}

struct Plain<'io> {
    session: Session,
    catalog: Rc<Catalog>,
    con: Console<'io>,
    width: usize,
    page_rows: usize,
    /// A step of this session could not be written to the records file.
    unsaved: bool,
}

/// Runs plain mode over `input` and `output` until the learner quits or the
/// input ends; the learner's place is saved at every step.
pub fn run<'io>(
    mut catalog: Catalog,
    records: Records,
    options: Options,
    input: impl BufRead + 'io,
    output: impl Write + 'io,
) -> io::Result<()> {
    // Learners need to know a module is missing, not how its quiz could be gamed.
    catalog.problems.retain(|p| p.is_error());
    let catalog = Rc::new(catalog);
    let session = Session::new(Rc::clone(&catalog), records, options.clock, options.seed, false);
    let (columns, rows) = options.size;
    let mut plain = Plain {
        session,
        catalog,
        con: Console::new(Box::new(input), Box::new(output), options.echo),
        width: usize::from(columns.max(20)),
        // Room for the page's header, its footer and the prompt.
        page_rows: usize::from(rows.saturating_sub(5).max(6)),
        unsaved: false,
    };
    let organisation = plain.catalog.organisation.name.clone();
    plain.con.say(&format!(
        "pace, plain text mode: social business training for {}. Menus are numbered: type a number or a letter, then Enter. Enter alone repeats a menu; q quits, and your place is always saved.",
        sanitize::one_line(&organisation)
    ))?;
    let mut place = plain.sign_in(options.learner.as_deref())?;
    loop {
        place = match place {
            Place::Quit => break,
            Place::Home => plain.home()?,
            Place::Picker => plain.picker()?,
            Place::Catalog => plain.catalog_menu()?,
            Place::Module(id) => plain.module_menu(&id)?,
            Place::Lesson { module, index } => plain.read_lesson(&module, index)?,
            Place::Quiz { module, fresh } => plain.take_quiz(&module, fresh)?,
            Place::Review => plain.review()?,
            Place::Progress => plain.progress()?,
        };
    }
    plain.con.say(if plain.unsaved {
        "Goodbye. Not everything was saved: pace could not write the records file (said above), and a step said not to be recorded was not. Start pace again once the disk has room or the file is writable; everything recorded before is kept."
    } else {
        "Goodbye. Your place is saved; start pace again to continue."
    })?;
    plain.con.flush()
}

impl Plain<'_> {
    /// Shows a records failure; plain mode goes on.
    fn report<T>(&mut self, result: Result<T, RecordsError>) -> io::Result<Option<T>> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                self.unsaved = true;
                self.con.say(&format!(
                    "Could not save: {e}. Your last step was not recorded. Check that the disk has room and the records file is writable."
                ))?;
                Ok(None)
            }
        }
    }

    /// Whether `module` is locked to this learner, saying so if it is (a
    /// lesson or a quiz opens only once its prerequisites are passed).
    fn locked(&mut self, module: &crate::content::Module) -> io::Result<bool> {
        let locked = !self.session.missing_prerequisites(&module.id).is_empty();
        if locked {
            self.con.say(&format!("\"{}\" is locked: the catalog says which module opens it.", module.title))?;
        }
        Ok(locked)
    }

    /// Reads a menu answer: a number from 1 to `count`, one of `letters`, or
    /// Enter alone; anything else is explained and asked again.
    fn choose(&mut self, count: usize, letters: &[char], how: &str) -> io::Result<Choice> {
        let mut how = how.to_string();
        loop {
            let Some(line) = self.con.ask(&how)? else { return Ok(Choice::End) };
            let lower = line.to_lowercase();
            if lower.is_empty() {
                return Ok(Choice::Again);
            }
            if let Ok(n) = lower.parse::<usize>()
                && (1..=count).contains(&n)
            {
                return Ok(Choice::Number(n));
            }
            let mut chars = lower.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && letters.contains(&c)
            {
                return Ok(Choice::Letter(c));
            }
            how = format!("\"{line}\" is not on this menu. {}", menu_hint(count, letters));
        }
    }

    /// The main menu.
    fn home(&mut self) -> io::Result<Place> {
        let Some(learner) = self.session.learner().cloned() else { return Ok(Place::Picker) };
        let (continue_to, continue_text) = self.continue_target()?;
        let due = self.session.review_due();
        let due = self.report(due)?.unwrap_or(0);
        let level = match self.session.summary() {
            Some(s) => match (s.current_level, s.next_level) {
                (Some(c), Some(n)) => format!("Your level: {}; next: {}.", c.title, n.title),
                (Some(c), None) => format!("Your level: {}.", c.title),
                (None, Some(n)) => format!("No level yet; the first to earn: {}.", n.title),
                (None, None) => "No level yet.".into(),
            },
            None => String::new(),
        };
        let items = [
            format!("1. {continue_text}"),
            "2. Catalog: every path, track and module".into(),
            "3. Your progress and certification levels".into(),
            match due {
                0 => "4. Review missed questions: none due now".into(),
                n => format!("4. Review missed questions: {n} due now"),
            },
            "5. Switch learner".into(),
        ];
        let country = self.session.country().filter(|_| self.session.countries().len() > 1);
        let country = country.map(|c| format!("w. Where you work: {} (to change it)", sanitize::one_line(&c.name)));
        self.con.blank()?;
        self.con.say(&format!("Main menu, {}. {level}", sanitize::one_line(&learner.name)))?;
        for item in items.iter().chain(&country) {
            self.con.say(item)?;
        }
        self.con.say("q. Quit")?;
        let letters: &[char] = if country.is_some() { &['q', 'w'] } else { &['q'] };
        loop {
            return Ok(match self.choose(5, letters, "Type a number, then Enter.")? {
                Choice::Letter('w') => {
                    let Some(chosen) = self.ask_country()? else { return Ok(Place::Quit) };
                    if let Some(id) = chosen {
                        let moved = self.session.set_country(&id);
                        self.report(moved)?;
                        self.catalog = Rc::clone(self.session.catalog());
                    }
                    Place::Home
                }
                Choice::Number(1) => match continue_to {
                    Some(place) => place,
                    None => {
                        self.con.say(
                            "Everything open to you is done. The catalog (2) has every lesson and quiz to revisit.",
                        )?;
                        continue;
                    }
                },
                Choice::Number(2) => Place::Catalog,
                Choice::Number(3) => Place::Progress,
                Choice::Number(4) => Place::Review,
                Choice::Number(_) => {
                    self.session.leave();
                    self.catalog = Rc::clone(self.session.catalog());
                    Place::Picker
                }
                Choice::Again => Place::Home,
                Choice::Letter(_) | Choice::End => Place::Quit,
            });
        }
    }

    /// Where "Continue" goes: the unfinished quiz or lesson the learner was
    /// in (the place either mode saved), else the next step.
    fn continue_target(&mut self) -> io::Result<(Option<Place>, String)> {
        let saved = self.session.location();
        if let Some(Some(loc)) = self.report(saved)?
            && let Some(module) = loc.module_id.clone()
            && let Some(m) = self.catalog.module(&module)
        {
            let title = m.title.clone();
            if let Some(attempt) = loc.attempt_id {
                let open = self.session.attempt_is_open(attempt);
                if self.report(open)? == Some(true) {
                    let text = format!("Continue where you left off: the quiz on \"{title}\"");
                    return Ok((Some(Place::Quiz { module, fresh: false }), text));
                }
            } else if let Some(index) = loc.lesson_id.as_deref().and_then(|l| m.lessons.iter().position(|x| x.id == l))
                && !self.session.standing().lesson_done(&module, &m.lessons[index].id)
            {
                let text = format!(
                    "Continue where you left off: lesson {} of {} of \"{title}\", \"{}\"",
                    index + 1,
                    m.lessons.len(),
                    m.lessons[index].title
                );
                return Ok((Some(Place::Lesson { module, index }), text));
            }
        }
        Ok(match self.session.next_step() {
            Some(Step::Lesson { module, index }) => {
                let m = self.catalog.module(&module);
                let text = format!(
                    "Continue: lesson {} of {} of \"{}\", \"{}\"",
                    index + 1,
                    m.map_or(0, |m| m.lessons.len()),
                    m.map_or("", |m| m.title.as_str()),
                    m.and_then(|m| m.lessons.get(index)).map_or("", |l| l.title.as_str())
                );
                (Some(Place::Lesson { module, index }), text)
            }
            Some(Step::Quiz { module }) => {
                let title = self.catalog.module(&module).map_or(String::new(), |m| m.title.clone());
                (Some(Place::Quiz { module, fresh: false }), format!("Continue: the quiz on \"{title}\""))
            }
            None => (None, "Continue: everything open to you is done".into()),
        })
    }
}

/// How to answer a menu of `count` numbers and these letters.
fn menu_hint(count: usize, letters: &[char]) -> String {
    let letters: Vec<String> = letters.iter().map(char::to_string).collect();
    match (count, letters.as_slice()) {
        (0, []) => "Press Enter.".into(),
        (0, [one]) => format!("Type {one}, or Enter alone, then Enter."),
        (0, many) => format!("Type {}, then Enter.", or_list(many)),
        (n, []) => format!("Type a number from 1 to {n}, then Enter."),
        (n, many) => format!("Type a number from 1 to {n}, or {}, then Enter.", or_list(many)),
    }
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// "1", "1 and 2", "1, 2 and 3".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
