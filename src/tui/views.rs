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
    catalog: Slot<(usize, Theme)>,
    progress: Slot<(usize, Theme)>,
    quiz: Slot<QuizState>,
    help: Slot<Theme>,
}

/// Lines and what they were made from.
type Slot<K> = RefCell<Option<(K, Vec<Line<'static>>)>>;

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
        cached(&self.help, |t| t == theme, || theme.clone(), build, draw)
    }

    /// The quiz pane's lines for the state in `key`, as `catalog`.
    pub fn quiz<R>(
        &self,
        key: QuizKey,
        build: impl FnOnce() -> Vec<Line<'static>>,
        draw: impl FnOnce(&[Line<'static>]) -> R,
    ) -> R {
        let state = || QuizState {
            run: key.run.clone(),
            show_answers: key.show_answers,
            focused: key.focused,
            width: key.width,
            theme: key.theme.clone(),
        };
        cached(&self.quiz, |state| state.matches(&key), state, build, draw)
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
        cached(&self.catalog, |(w, t)| *w == width && t == theme, || (width, theme.clone()), build, draw)
    }

    /// The progress lines for `width` columns, as `catalog`.
    pub fn progress<R>(
        &self,
        width: usize,
        theme: &Theme,
        build: impl FnOnce() -> Vec<Line<'static>>,
        draw: impl FnOnce(&[Line<'static>]) -> R,
    ) -> R {
        cached(&self.progress, |(w, t)| *w == width && t == theme, || (width, theme.clone()), build, draw)
    }
}

/// Draws `slot`'s lines, made again by `build` unless `current` says they
/// were made from what the frame shows (`key` says what that is).
fn cached<K, R>(
    slot: &Slot<K>,
    current: impl FnOnce(&K) -> bool,
    key: impl FnOnce() -> K,
    build: impl FnOnce() -> Vec<Line<'static>>,
    draw: impl FnOnce(&[Line<'static>]) -> R,
) -> R {
    // Borrowed only inside this function, so always free; were it not,
    // the frame would still be right, only built afresh.
    let Ok(mut slot) = slot.try_borrow_mut() else { return draw(&build()) };
    if !slot.as_ref().is_some_and(|(made_from, _)| current(made_from)) {
        *slot = Some((key(), build()));
    }
    draw(slot.as_ref().map_or(&[], |(_, lines)| lines))
}
