//! Lines that frames reuse until what they show changes: the catalog's rows,
//! the learner's progress and the quiz pane. Building them is most of a
//! frame's work and a frame follows every key, while the catalog and the
//! progress change only when the learner completes something, the catalog
//! is rebuilt or reloaded, or another learner signs in: `App` drops them then
//! (`Views::clear`). Width and theme can change without an update, so they
//! are checked every frame; the quiz's lines are kept with the quiz state
//! they were made from and made again when it differs; the help's with the
//! theme.

use std::cell::RefCell;

use ratatui::text::Line;

use super::quiz::QuizRun;
use super::theme::Theme;

#[derive(Default)]
pub struct Views {
    catalog: RefCell<Option<Cached>>,
    progress: RefCell<Option<Cached>>,
    quiz: RefCell<Option<(QuizState, Vec<Line<'static>>)>>,
    help: RefCell<Option<Cached>>,
}

/// What the quiz pane's lines are made from, besides the catalog.
pub struct QuizKey<'a> {
    pub run: &'a QuizRun,
    pub show_answers: bool,
    pub focused: bool,
    pub width: usize,
    pub theme: &'a Theme,
}

struct QuizState {
    run: QuizRun,
    show_answers: bool,
    focused: bool,
    width: usize,
    theme: Theme,
}

impl QuizState {
    fn matches(&self, key: &QuizKey) -> bool {
        self.run == *key.run
            && self.show_answers == key.show_answers
            && self.focused == key.focused
            && self.width == key.width
            && self.theme == *key.theme
    }
}

struct Cached {
    width: usize,
    theme: Theme,
    lines: Vec<Line<'static>>,
}

impl Views {
    /// Forgets every cached line: called on each change to what they show.
    pub fn clear(&mut self) {
        *self.catalog.get_mut() = None;
        *self.progress.get_mut() = None;
        *self.quiz.get_mut() = None;
    }

    /// The help's lines: they depend on the theme alone (the keymap is fixed).
    pub fn help<R>(
        &self,
        theme: &Theme,
        build: impl FnOnce() -> Vec<Line<'static>>,
        draw: impl FnOnce(&[Line<'static>]) -> R,
    ) -> R {
        cached(&self.help, 0, theme, build, draw)
    }

    /// The quiz pane's lines for the state in `key`, as `catalog`.
    pub fn quiz<R>(
        &self,
        key: QuizKey,
        build: impl FnOnce() -> Vec<Line<'static>>,
        draw: impl FnOnce(&[Line<'static>]) -> R,
    ) -> R {
        let Ok(mut slot) = self.quiz.try_borrow_mut() else { return draw(&build()) };
        if !slot.as_ref().is_some_and(|(state, _)| state.matches(&key)) {
            let state = QuizState {
                run: key.run.clone(),
                show_answers: key.show_answers,
                focused: key.focused,
                width: key.width,
                theme: key.theme.clone(),
            };
            *slot = Some((state, build()));
        }
        draw(slot.as_ref().map_or(&[], |(_, lines)| lines))
    }

    /// The catalog's rows as lines `width` columns wide, built by `build`
    /// when not cached for this width and theme.
    pub fn catalog<R>(
        &self,
        width: usize,
        theme: &Theme,
        build: impl FnOnce() -> Vec<Line<'static>>,
        draw: impl FnOnce(&[Line<'static>]) -> R,
    ) -> R {
        cached(&self.catalog, width, theme, build, draw)
    }

    /// The progress lines for `width` columns, as `catalog`.
    pub fn progress<R>(
        &self,
        width: usize,
        theme: &Theme,
        build: impl FnOnce() -> Vec<Line<'static>>,
        draw: impl FnOnce(&[Line<'static>]) -> R,
    ) -> R {
        cached(&self.progress, width, theme, build, draw)
    }
}

fn cached<R>(
    cell: &RefCell<Option<Cached>>,
    width: usize,
    theme: &Theme,
    build: impl FnOnce() -> Vec<Line<'static>>,
    draw: impl FnOnce(&[Line<'static>]) -> R,
) -> R {
    // Borrowed only inside this function, so always free; were it not,
    // the frame would still be right, only built afresh.
    let Ok(mut slot) = cell.try_borrow_mut() else { return draw(&build()) };
    let current = slot.as_ref().is_some_and(|c| c.width == width && c.theme == *theme);
    if !current {
        *slot = Some(Cached { width, theme: theme.clone(), lines: build() });
    }
    draw(slot.as_ref().map_or(&[], |c| &c.lines))
}
