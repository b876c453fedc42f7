//! Where each pane goes for a terminal size. Used by drawing and by update
//! (which needs the reader's width and height), so both agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Focusable panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Catalog,
    Main,
    Progress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub title: Rect,
    /// Compact layout only: the tab line naming the panes.
    pub tabs: Option<Rect>,
    pub catalog: Option<Rect>,
    pub main: Option<Rect>,
    pub progress: Option<Rect>,
    /// Trainer preview: the panel of validation problems.
    pub problems: Option<Rect>,
    pub status: Rect,
}

impl Areas {
    /// Takes `height` rows above the status bar for the problems panel.
    pub fn with_problems_panel(mut self, height: u16) -> Areas {
        let height = height.min(self.status.y.saturating_sub(self.title.y + 4));
        if height == 0 {
            return self;
        }
        for pane in [&mut self.catalog, &mut self.main, &mut self.progress].into_iter().flatten() {
            pane.height = pane.height.saturating_sub(height);
        }
        self.problems = Some(Rect { x: self.status.x, y: self.status.y - height, width: self.status.width, height });
        self
    }
}

/// At least this size shows catalog and main side by side.
pub const FULL: (u16, u16) = (80, 24);
/// At least this wide adds the progress pane on the right.
pub const WIDE: u16 = 120;

pub fn is_compact(area: Rect) -> bool {
    area.width < FULL.0 || area.height < FULL.1
}

pub fn areas(area: Rect, focus: Pane) -> Areas {
    if is_compact(area) {
        let [title, body, status] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(area);
        let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        let mut a = Areas { title, tabs: Some(tabs), status, ..Areas::default() };
        match focus {
            Pane::Catalog => a.catalog = Some(body),
            Pane::Main => a.main = Some(body),
            Pane::Progress => a.progress = Some(body),
        }
        return a;
    }
    // At full size every constraint can be met exactly, so the panes are
    // measured out directly (no constraint solver: the first frame comes
    // sooner); a test checks this against ratatui's Layout at every size.
    let row = |y: u16, height: u16| Rect { y, height, ..area };
    let (title, status) = (row(area.y, 1), row(area.bottom() - 1, 1));
    let body = row(area.y + 1, area.height - 2);
    let column = |x: u16, width: u16| Rect { x, width, ..body };
    if area.width >= WIDE {
        let (catalog, side) = wide_columns(area.width);
        let main = area.width - side - catalog;
        Areas {
            title,
            tabs: None,
            catalog: Some(column(area.x, catalog)),
            main: Some(column(area.x + catalog, main)),
            progress: Some(column(area.x + catalog + main, side)),
            problems: None,
            status,
        }
    } else {
        let catalog = catalog_width(area.width);
        let (catalog, main) = (column(area.x, catalog), column(area.x + catalog, area.width - catalog));
        Areas { title, tabs: None, catalog: Some(catalog), main: Some(main), progress: None, problems: None, status }
    }
}

/// `area` split into what is left and `width` columns at its right end
/// (at most its width), as `Layout` with `Min(0)` and `Length(width)`.
pub fn split_right(area: Rect, width: u16) -> (Rect, Rect) {
    let width = width.min(area.width);
    let left = Rect { width: area.width - width, ..area };
    (left, Rect { x: area.x + left.width, width, ..area })
}

/// The catalog's and the progress pane's widths at WIDE or more: the
/// reader keeps most of the width, about 60 columns at 120.
fn wide_columns(width: u16) -> (u16, u16) {
    let side = (width / 5).clamp(30, 40);
    (((width - side) / 3).clamp(30, 48), side)
}

/// Two fifths of the width beside the reader, enough for most module titles.
fn catalog_width(width: u16) -> u16 {
    (width * 2 / 5).clamp(30, 50)
}

/// The panes Tab moves through at this size.
pub fn focus_order(area: Rect) -> &'static [Pane] {
    if is_compact(area) || area.width >= WIDE {
        &[Pane::Catalog, Pane::Main, Pane::Progress]
    } else {
        &[Pane::Catalog, Pane::Main]
    }
}

/// Inside a bordered block, leaving a column for the scrollbar.
pub fn reader_text_area(main: Rect) -> Rect {
    Rect { x: main.x + 1, y: main.y + 1, width: main.width.saturating_sub(3), height: main.height.saturating_sub(2) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The panes measured out directly are the ones ratatui's Layout gives.
    #[test]
    fn full_size_areas_are_layouts() {
        for width in FULL.0..=300 {
            for height in [FULL.1, 25, 40, 120] {
                let area = Rect::new(3, 2, width, height);
                let [title, body, status] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(area);
                let panes: Vec<Rect> = if width >= WIDE {
                    let (catalog, side) = wide_columns(width);
                    Layout::horizontal([Constraint::Length(catalog), Constraint::Min(40), Constraint::Length(side)])
                        .split(body)
                        .to_vec()
                } else {
                    Layout::horizontal([Constraint::Length(catalog_width(width)), Constraint::Min(40)])
                        .split(body)
                        .to_vec()
                };
                let a = areas(area, Pane::Main);
                assert_eq!((a.title, a.status), (title, status), "{width}x{height}");
                let measured: Vec<Rect> = [a.catalog, a.main, a.progress].into_iter().flatten().collect();
                assert_eq!(measured, panes, "{width}x{height}");
            }
        }
        for (width, right) in [(60, 17), (120, 17), (100, 0), (10, 17)] {
            let area = Rect::new(1, 5, width, 1);
            let [l, r] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right)]).areas(area);
            assert_eq!(split_right(area, right), (l, r), "{width} {right}");
        }
    }
}
