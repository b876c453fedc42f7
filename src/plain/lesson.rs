//! A lesson a page at a time: Enter for the next page, `b` back, a page
//! number or a word to go there, `n` to add to a note, `m` for the module's
//! menu. Each page shown is the learner's saved place; reaching the last
//! page completes the lesson, as reaching the end does in the full-screen
//! reader.

use std::io;
use std::rc::Rc;

use super::text::{self, Page, TextLine};
use super::{Place, Plain};
use crate::content::Module;
use crate::records::Location;

/// What the learner typed on a page.
enum Turn {
    Show(usize),
    Leave(Place),
}

impl Plain<'_> {
    pub(super) fn read_lesson(&mut self, module_id: &str, index: usize) -> io::Result<Place> {
        let catalog = Rc::clone(&self.catalog);
        let Some(m) = catalog.module(module_id) else { return Ok(Place::Catalog) };
        if self.locked(m)? {
            return Ok(Place::Catalog);
        }
        let Some(lesson) = m.lessons.get(index) else { return Ok(Place::Module(m.id.clone())) };
        let opened = self.session.open_lesson(&m.id, &lesson.id);
        let Some((scroll, mut completed)) = self.report(opened)? else { return Ok(Place::Module(m.id.clone())) };
        let lines = text::lesson_lines(lesson, &catalog.organisation);
        let pages = text::pages(&lines, self.width, self.page_rows);
        let mut page = text::page_at(&lines, &pages, scroll);
        if completed && page + 1 == pages.len() {
            // Reopening a lesson read to its end is rereading it.
            page = 0;
        }
        let opened_at = self.session.now();
        // After the last page: the next lesson, else the quiz, unless it is passed already.
        let after = match m.lessons.get(index + 1) {
            Some(next) => {
                (Place::Lesson { module: m.id.clone(), index: index + 1 }, format!("next lesson, \"{}\"", next.title))
            }
            None if self.session.standing().quiz_passed(&m.id) => {
                (Place::Module(m.id.clone()), "the module's menu".into())
            }
            None => (Place::Quiz { module: m.id.clone(), fresh: false }, "the module's quiz".into()),
        };
        let mut first = true;
        loop {
            self.show_page(m, index, &lines, &pages, page)?;
            let place = Location {
                module_id: Some(m.id.clone()),
                lesson_id: Some(lesson.id.clone()),
                scroll: text::place_of(&lines, pages[page]),
                attempt_id: None,
            };
            let saved = self.session.save_place(&place);
            self.report(saved)?;
            let last = page + 1 == pages.len();
            if last && !completed {
                let done = self.session.complete_lesson(&m.id, &lesson.id);
                if self.report(done)?.is_some() {
                    completed = true;
                    self.con.say("End of the lesson: it is marked as read.")?;
                }
            } else if last {
                self.con.say("End of the lesson.")?;
            }
            let next = if last { format!("Enter: {}.", after.1) } else { "Enter: next page.".to_string() };
            let how = if first {
                format!(
                    "{next} b: previous page. A page number or a word: go there. n: add to your note on this lesson. m: the module's menu. q: quit."
                )
            } else {
                format!("{next} Or b, a page number, a word, n, m or q.")
            };
            first = false;
            let turn = self.turn(m, index, (&lines, &pages, page), &after.0, &how)?;
            match turn {
                Turn::Show(to) => page = to,
                Turn::Leave(place) => {
                    let left = self.session.leave_lesson(&m.id, &lesson.id, opened_at);
                    self.report(left)?;
                    return Ok(place);
                }
            }
        }
    }

    fn show_page(
        &mut self,
        m: &Module,
        index: usize,
        lines: &[TextLine],
        pages: &[Page],
        page: usize,
    ) -> io::Result<()> {
        let title = m.lessons.get(index).map_or("", |l| l.title.as_str());
        self.con.blank()?;
        self.con.say(&format!(
            "\"{title}\", lesson {} of {} of \"{}\". Page {} of {}.",
            index + 1,
            m.lessons.len(),
            m.title,
            page + 1,
            pages.len()
        ))?;
        let Page { start, end } = pages[page];
        for (i, line) in lines[start..end].iter().enumerate() {
            if line.gap && i > 0 {
                self.con.blank()?;
            }
            self.con.say(&line.text)?;
        }
        self.con.blank()
    }

    /// Reads until the learner asks for a page or leaves.
    fn turn(
        &mut self,
        m: &Module,
        index: usize,
        (lines, pages, page): (&[TextLine], &[Page], usize),
        after: &Place,
        how: &str,
    ) -> io::Result<Turn> {
        let mut how = how.to_string();
        loop {
            let Some(line) = self.con.ask(&how)? else { return Ok(Turn::Leave(Place::Quit)) };
            let lower = line.to_lowercase();
            match lower.as_str() {
                "" if page + 1 < pages.len() => return Ok(Turn::Show(page + 1)),
                "" => return Ok(Turn::Leave(after.clone())),
                "b" if page > 0 => return Ok(Turn::Show(page - 1)),
                "b" => how = "This is the first page. Enter: next page.".into(),
                "m" => return Ok(Turn::Leave(Place::Module(m.id.clone()))),
                "q" => return Ok(Turn::Leave(Place::Quit)),
                "n" => {
                    self.add_to_note(m, index)?;
                    how = "Enter: go on. Or b, a page number, a word, m or q.".into();
                }
                _ => match lower.parse::<usize>() {
                    Ok(n) if (1..=pages.len()).contains(&n) => return Ok(Turn::Show(n - 1)),
                    Ok(_) => {
                        how =
                            format!("This lesson has {} page(s): type a number from 1 to {}.", pages.len(), pages.len())
                    }
                    Err(_) => match text::find(lines, pages, page, &lower) {
                        Some(found) => return Ok(Turn::Show(found)),
                        None => how = format!("No page of this lesson mentions \"{line}\". Enter: go on."),
                    },
                },
            }
        }
    }

    /// Shows the learner's note on the lesson and adds a line to it.
    fn add_to_note(&mut self, m: &Module, index: usize) -> io::Result<()> {
        let Some(lesson) = m.lessons.get(index) else { return Ok(()) };
        let existing = self.session.own_note(&m.id, &lesson.id);
        let Some(existing) = self.report(existing)? else { return Ok(()) };
        let body = existing.map(|n| n.body).unwrap_or_default();
        if body.trim().is_empty() {
            self.con.say("You have no note on this lesson yet.")?;
        } else {
            self.con.say("Your note on this lesson:")?;
            for line in body.lines() {
                self.con.say(line)?;
            }
        }
        let Some(add) = self.con.ask("Type a line to add to your note, then Enter (Enter alone adds nothing):")? else {
            return Ok(());
        };
        if add.is_empty() {
            return self.con.say("Nothing added.");
        }
        let body = if body.trim().is_empty() { add } else { format!("{}\n{add}", body.trim_end()) };
        let saved = self.session.save_note(&m.id, &lesson.id, &body);
        if self.report(saved)?.is_some() {
            self.con.say("Saved. pace notes export shares your notes.")?;
        }
        Ok(())
    }
}
