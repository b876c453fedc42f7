//! Prepared lines straight into the frame's buffer: cell for cell what
//! ratatui's `Paragraph` (no wrapping) and a `List` row draw, without
//! building those widgets every frame, cloning the lines, or styling whole
//! areas with a style that changes no cell. Frames draw mostly cached lines,
//! so this is where a frame's time goes.

use ratatui::buffer::{Buffer, Cell, CellWidth};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Sets `style` on every cell of `area`, as `Buffer::set_style` does; the
/// empty style changes no cell, so it costs nothing.
pub fn fill(buf: &mut Buffer, area: Rect, style: Style) {
    if style != Style::default() {
        buf.set_style(area, style);
    }
}

/// Draws `lines` from the top of `area`, as
/// `Paragraph::new(lines).style(style).render(area, buf)` does.
pub fn paragraph<'a, 'b: 'a>(
    buf: &mut Buffer,
    area: Rect,
    lines: impl IntoIterator<Item = &'a Line<'b>>,
    style: Style,
) {
    let area = area.intersection(buf.area);
    fill(buf, area, style);
    if area.is_empty() {
        return;
    }
    for (y, line) in (area.y..area.bottom()).zip(lines) {
        let row = Rect { y, height: 1, ..area };
        if line.alignment.is_some_and(|a| a != Alignment::Left) {
            // Not drawn by the panes that come here; exact, if slow.
            Paragraph::new(line.clone()).render(row, buf);
            continue;
        }
        let start = buf.index_of(row.x, row.y);
        let cells = &mut buf.content[start..start + usize::from(row.width)];
        paragraph_line(cells, line);
    }
}

/// The line is narrower than `width` cells, counted as ratatui counts them:
/// a `Paragraph` that wraps draws it as one that does not.
pub fn narrower(line: &Line, width: u16) -> bool {
    let mut total = 0;
    for span in &line.spans {
        each_grapheme(&span.content, |_, w| {
            total += w;
            total < usize::from(width)
        });
        if total >= usize::from(width) {
            return false;
        }
    }
    true
}

/// One line of a `Paragraph` without wrapping: graphemes left to right, a
/// grapheme wider than the row skipped, the line cut at the first that does
/// not fit, zero-width graphemes left out, cells under a wide one untouched.
fn paragraph_line(cells: &mut [Cell], line: &Line) {
    let max = cells.len();
    let mut x = 0;
    for span in &line.spans {
        let style = line.style.patch(span.style);
        let mut fits = true;
        each_grapheme(&span.content, |symbol, width| {
            if width > max {
                return true;
            }
            if x + width > max {
                fits = false;
                return false;
            }
            if width > 0 {
                cells[x].set_symbol(symbol).set_style(style);
                x += width;
            }
            true
        });
        if !fits {
            return;
        }
    }
}

/// Draws one line on a row, as `Widget::render(&line, row, buf)` does (a
/// `List` item): spans left to right, each cut at the row's end, the cells
/// under a wide grapheme reset. Lines wider than the row, aligned, or with a
/// zero-width grapheme (joined to the cell before it) go to ratatui.
pub fn line(buf: &mut Buffer, row: Rect, line: &Line) {
    let row = Rect { height: 1, ..row.intersection(buf.area) };
    let width = line.width();
    if row.is_empty() || width == 0 {
        return;
    }
    if line.alignment.is_some_and(|a| a != Alignment::Left) || width > usize::from(row.width) {
        Widget::render(line, row, buf);
        return;
    }
    fill(buf, row, line.style);
    let start = buf.index_of(row.x, row.y);
    let cells = &mut buf.content[start..start + usize::from(row.width)];
    let mut x = 0;
    for span in &line.spans {
        let Some(rest) = cells.get_mut(x..).filter(|rest| !rest.is_empty()) else { break };
        if !span_cells(rest, span) {
            // Drawing the line again over what was drawn gives the same cells.
            Widget::render(line, row, buf);
            return;
        }
        x += span.width();
    }
}

/// A span from the first of `cells`, as `Widget::render(&span)` draws it;
/// false at a zero-width grapheme after the first, left to ratatui.
fn span_cells(cells: &mut [Cell], span: &Span) -> bool {
    let mut x = 0;
    let mut first = true;
    let mut drawn = true;
    each_grapheme(&span.content, |symbol, width| {
        if x + width > cells.len() {
            return false;
        }
        if !first && (x == 0 || width == 0) {
            drawn = false;
            return false;
        }
        first = false;
        cells[x].set_symbol(symbol).set_style(span.style);
        for hidden in &mut cells[x + 1..x + width] {
            hidden.reset();
        }
        x += width;
        true
    });
    drawn
}

/// Calls `f` with each grapheme of `text` that has no control character,
/// and its width in cells, until `f` returns false. Runs of printable ASCII
/// skip the Unicode segmentation: two printable ASCII characters in a row
/// always have a grapheme boundary between them, and each is one cell.
fn each_grapheme(text: &str, mut f: impl FnMut(&str, usize) -> bool) {
    let bytes = text.as_bytes();
    let printable = |i: usize| bytes.get(i).is_some_and(|b| (b' '..=b'~').contains(b));
    let mut i = 0;
    while i < bytes.len() {
        if printable(i) && (i + 1 == bytes.len() || printable(i + 1)) {
            let Some(symbol) = text.get(i..=i) else { return };
            if !f(symbol, 1) {
                return;
            }
            i += 1;
            continue;
        }
        // Up to the next boundary that is certain: two printable ASCII
        // characters in a row, or the end.
        let mut end = i + 1;
        while end < bytes.len() && !(printable(end - 1) && printable(end)) {
            end += 1;
        }
        // Both ends sit next to ASCII or at an end, so on character boundaries.
        let Some(run) = text.get(i..end) else { return };
        if !segment(run, &mut f) {
            return;
        }
        i = end;
    }
}

/// Unicode segmentation of `run`, as ratatui does it; false when `f` stopped.
fn segment(run: &str, f: &mut impl FnMut(&str, usize) -> bool) -> bool {
    for grapheme in Span::raw(run).styled_graphemes(Style::default()) {
        if !f(grapheme.symbol, usize::from(grapheme.symbol.cell_width())) {
            return false;
        }
    }
    true
}
