//! Trainer preview: reloading modules while an author edits them, keeping
//! the reader where it was, and the panel of validation problems.

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::app::{App, MainView};
use super::quiz::QuizRun;
use super::reader::Reader;
use super::theme::Theme;
use crate::content::Catalog;
use crate::learning::quiz;

impl App {
    /// Swaps in a freshly loaded catalog. Modules whose files are now broken
    /// keep their last good version; the open lesson keeps its scroll.
    pub fn reload(&mut self, mut catalog: Catalog) {
        catalog.keep_last_good(self.session.full_catalog());
        // The open lesson is found again by its id: a reload may reorder lessons.
        let open_lesson = match &self.main {
            MainView::Lesson(r) => {
                self.catalog.module(&r.module_id).and_then(|m| m.lessons.get(r.lesson)).map(|l| l.id.clone())
            }
            _ => None,
        };
        let swapped = self.session.set_catalog(Rc::new(catalog));
        self.catalog = Rc::clone(self.session.catalog());
        self.report(swapped);
        let size = self.reader_size();
        let now = self.now();
        match &mut self.main {
            MainView::Lesson(reader) => {
                let module = self.catalog.module(&reader.module_id);
                let index = module.and_then(|m| m.lessons.iter().position(|l| Some(&l.id) == open_lesson.as_ref()));
                match module.zip(index) {
                    Some((m, index)) => {
                        let scroll = reader.scroll;
                        let mut fresh = Reader::new(m, index, &self.catalog.organisation, &self.theme, size, now);
                        fresh.scroll = scroll;
                        fresh.completed = self.session.standing().lesson_done(&m.id, &m.lessons[index].id);
                        fresh.clamp();
                        *reader = fresh;
                    }
                    None => self.main = MainView::Home,
                }
            }
            MainView::Quiz(run) if !run.review => match self.catalog.module(&run.module_id) {
                Some(m) => {
                    let index = run.index.min(m.quiz.questions.len().saturating_sub(1));
                    let mut pool = quiz::whole_pool(m, self.session.rng());
                    quiz::keep_shown_order(&mut pool, &run.draw);
                    let mut fresh = QuizRun::new(&m.id, run.attempt_id, pool, Vec::new());
                    fresh.index = index;
                    *run = fresh;
                }
                None => self.main = MainView::Home,
            },
            _ => {}
        }
        self.refresh();
        self.rebuild_tree();
        self.toast = Some(format!(
            "Reloaded: {} module(s), {} problem(s)",
            self.catalog.modules.len(),
            self.catalog.problems.len()
        ));
    }
}

/// Rows the problems panel needs (0 when there are none).
pub fn panel_height(catalog: &Catalog) -> u16 {
    if catalog.problems.is_empty() { 0 } else { (catalog.problems.len() as u16 * 2 + 2).min(10) }
}

pub struct ProblemsPanel<'a> {
    pub catalog: &'a Catalog,
    pub theme: &'a Theme,
}

impl Widget for ProblemsPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let lines: Vec<Line> = self
            .catalog
            .problems
            .iter()
            .flat_map(|p| {
                let style = if p.is_error() { t.bad } else { t.warn };
                let escape = crate::content::sanitize::escape;
                [
                    Line::from(Span::styled(
                        format!("{}:{}:{}: {}", escape(&p.path), p.line, p.column, escape(&p.message)),
                        style,
                    )),
                    Line::from(Span::styled(format!("  {}", escape(&p.hint)), t.dim)),
                ]
            })
            .collect();
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" Problems ({}) ", self.catalog.problems.len()))
            .border_style(t.bad);
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).render(area, buf);
    }
}
