//! Lines that frames reuse until what they show changes: the catalog's rows
//! and the learner's progress. Building them is most of a frame's work and
//! a frame follows every key, while they change only when the learner
//! completes something, the catalog is rebuilt or reloaded, or another
//! learner signs in: `App` drops them then (`Views::clear`). Width and
//! theme can change without an update, so they are checked every frame.

use std::cell::RefCell;

use ratatui::text::Line;

use super::theme::Theme;

#[derive(Default)]
pub struct Views {
    catalog: RefCell<Option<Cached>>,
    progress: RefCell<Option<Cached>>,
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
