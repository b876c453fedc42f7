//! Prepared lines straight into the frame's buffer: cell for cell what
//! ratatui's `Paragraph` (no wrapping) and a `List` row draw, without
//! building those widgets every frame, cloning the lines, or styling whole
//! areas with a style that changes no cell. Frames draw mostly cached lines,
//! so this is where a frame's time goes.

use ratatui::buffer::{Buffer, Cell, CellWidth};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

/// Sets `style` on every cell of `area`, as `Buffer::set_style` does; the
/// empty style changes no cell, so it costs nothing.
pub fn fill(buf: &mut Buffer, area: Rect, style: Style) {
    if style != Style::default() {
        buf.set_style(area, style);
    }
}

/// `cell.set_symbol(symbol).set_style(style)`, without storing a space over
/// a cell that shows one already: a cell's symbol compares and draws the same
/// either way (an empty cell is a space), and most cells a frame writes to
/// were just cleared.
fn put(cell: &mut Cell, symbol: &str, style: Style) {
    if symbol != " " || cell.symbol() != " " {
        cell.set_symbol(symbol);
    }
    cell.set_style(style);
}

/// A box with all four borders, a title at the top and maybe one at the
/// foot: drawn cell for cell as `Block::default().borders(Borders::ALL)
/// .title(title).title_bottom(bottom).border_style(border)` draws it, without
/// first styling its whole area with the empty style.
pub struct Bordered<'a> {
    pub title: Line<'a>,
    pub bottom: Option<Line<'a>>,
    pub border: Style,
}

impl Bordered<'_> {
    /// The area inside the borders.
    pub fn inner(area: Rect) -> Rect {
        Block::default().borders(Borders::ALL).inner(area)
    }

    /// Draws the box; returns the area inside it.
    pub fn render(self, area: Rect, buf: &mut Buffer) -> Rect {
        let inner = Self::inner(area);
        let centred = |l: &Line| l.alignment == Some(Alignment::Center);
        if centred(&self.title) || self.bottom.as_ref().is_some_and(centred) {
            // Not drawn by the panes that come here; exact, if slow.
            let mut block = Block::default().borders(Borders::ALL).title(self.title).border_style(self.border);
            if let Some(bottom) = self.bottom {
                block = block.title_bottom(bottom);
            }
            block.render(area, buf);
            return inner;
        }
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return inner;
        }
        let (left, top) = (area.left(), area.top());
        let (right, bottom) = (area.right() - 1, area.bottom() - 1);
        let mut put = |x: u16, y: u16, symbol: &str| {
            buf[(x, y)].set_symbol(symbol).set_style(self.border);
        };
        // Block's order: left, top, right and bottom sides, then the corners.
        for y in top..=bottom {
            put(left, y, "│");
        }
        for x in left..=right {
            put(x, top, "─");
        }
        for y in top..=bottom {
            put(right, y, "│");
        }
        for x in left..=right {
            put(x, bottom, "─");
        }
        put(right, bottom, "┘");
        put(right, top, "┐");
        put(left, bottom, "└");
        put(left, top, "┌");
        let row = |y| Rect { x: left + 1, y, width: area.width.saturating_sub(2), height: 1 };
        title(buf, row(top), &self.title);
        if let Some(line) = &self.bottom {
            title(buf, row(bottom), line);
        }
        inner
    }
}

/// A block title in its row: at the left, or at the right when so aligned.
fn title(buf: &mut Buffer, row: Rect, title: &Line) {
    if row.is_empty() {
        return;
    }
    let width = u16::try_from(title.width()).unwrap_or(u16::MAX);
    let x = match title.alignment {
        Some(Alignment::Right) => row.right().saturating_sub(width).max(row.left()),
        _ => row.left(),
    };
    line(buf, Rect { x, width: width.min(row.width), ..row }, title);
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
                put(&mut cells[x], symbol, style);
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
    let row = row.intersection(buf.area);
    let width = line.width();
    // As ratatui: an empty line draws nothing, not even its style.
    if row.is_empty() || width == 0 {
        return;
    }
    let row = Rect { height: 1, ..row };
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
        let Some(cell) = cells.get_mut(x) else { return false };
        put(cell, symbol, span.style);
        for hidden in cells.iter_mut().take(x + width).skip(x + 1) {
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

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Modifier};

    use super::*;

    const TEXTS: &[&str] = &[
        "",
        "plain ASCII text",
        "  leading and trailing  ",
        "wide 漢字 and ｆｕｌｌ width",
        "combining cafe\u{301} e\u{301}\u{302}",
        "zero\u{200b}width",
        "\u{200b}starts zero-width",
        "emoji 🎉 and 👩\u{200d}💻 and flags 🇫🇷🇩🇪",
        "tab\tand bell\u{7} controls",
        "漢",
        "a\u{301}",
        "box ─ and • bullets › here",
        "ﾊﾟ halfwidth",
    ];

    fn styles() -> [Style; 3] {
        [Style::default(), Style::new().fg(Color::Cyan).bold(), Style::new().bg(Color::Black).fg(Color::White)]
    }

    /// Lines of one or more spans made of the texts, in several styles.
    fn lines() -> Vec<Line<'static>> {
        let [a, b, c] = styles();
        let mut out = Vec::new();
        for (i, t) in TEXTS.iter().enumerate() {
            out.push(Line::from(Span::styled(*t, a)));
            out.push(Line::from(vec![Span::styled(*t, b), Span::styled(TEXTS[(i + 3) % TEXTS.len()], c)]));
            out.push(Line::from(vec![Span::raw("• "), Span::styled(*t, c), Span::raw(" end")]).style(b));
        }
        out
    }

    /// A buffer with something drawn in it already, as a frame has.
    fn canvas(w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        for y in 0..h {
            buf.set_string(
                0,
                y,
                "x".repeat(usize::from(w)),
                Style::new().fg(Color::Red).add_modifier(Modifier::ITALIC),
            );
        }
        buf
    }

    #[test]
    fn paragraph_draws_what_ratatuis_paragraph_draws() {
        let lines = lines();
        for width in [0, 1, 2, 3, 5, 8, 13, 30] {
            for style in styles() {
                for chunk in lines.chunks(4) {
                    let area = Rect::new(1, 1, width, 3);
                    let mut ours = canvas(40, 5);
                    paragraph(&mut ours, area, chunk, style);
                    let mut theirs = canvas(40, 5);
                    Paragraph::new(chunk.to_vec()).style(style).render(area, &mut theirs);
                    assert_eq!(ours, theirs, "width {width}, style {style:?}, lines {chunk:?}");
                }
            }
        }
    }

    #[test]
    fn line_draws_what_a_list_row_draws() {
        for l in lines() {
            for width in [0, 1, 2, 3, 5, 8, 13, 30] {
                let row = Rect::new(2, 1, width, 1);
                let mut ours = canvas(40, 3);
                line(&mut ours, row, &l);
                let mut theirs = canvas(40, 3);
                Widget::render(&l, row, &mut theirs);
                assert_eq!(ours, theirs, "width {width}, line {l:?}");
            }
        }
        // A row outside the buffer draws nothing.
        let mut buf = canvas(5, 2);
        line(&mut buf, Rect::new(0, 7, 5, 1), &Line::from("text"));
        assert_eq!(buf, canvas(5, 2));
    }

    #[test]
    fn narrower_counts_cells_as_a_wrapping_paragraph_does() {
        for l in lines() {
            for width in [1, 2, 5, 8, 13, 30, 60] {
                let area = Rect::new(0, 0, width, 4);
                let mut wrapped = Buffer::empty(area);
                Paragraph::new(l.clone()).wrap(ratatui::widgets::Wrap { trim: false }).render(area, &mut wrapped);
                let mut cut = Buffer::empty(area);
                Paragraph::new(l.clone()).render(area, &mut cut);
                if narrower(&l, width) {
                    assert_eq!(wrapped, cut, "width {width}, line {l:?}");
                }
            }
        }
    }

    #[test]
    fn bordered_draws_what_block_draws() {
        let titles = [
            Line::from(""),
            Line::from(" Catalog "),
            Line::from(vec![Span::raw(" 漢字 "), Span::styled("title", Style::new().bold())]),
            Line::from(" a title much longer than the box is wide "),
        ];
        let bottoms = [
            None,
            Some(Line::from(" line 3 of 40 ").right_aligned()),
            Some(
                Line::from(vec![Span::styled(" ✓ done ", Style::new().green()), Span::raw(" 1 of 2 ")]).right_aligned(),
            ),
            Some(Line::from(" Esc or ? to close ")),
        ];
        for w in 0..=16 {
            for h in 0..=4 {
                for title in &titles {
                    for bottom in &bottoms {
                        let area = Rect::new(1, 1, w, h);
                        let border = Style::new().fg(Color::DarkGray);
                        let mut ours = canvas(20, 7);
                        let inner =
                            Bordered { title: title.clone(), bottom: bottom.clone(), border }.render(area, &mut ours);
                        let mut block =
                            Block::default().borders(Borders::ALL).title(title.clone()).border_style(border);
                        if let Some(b) = bottom {
                            block = block.title_bottom(b.clone());
                        }
                        let mut theirs = canvas(20, 7);
                        let expected_inner = block.inner(area);
                        block.render(area, &mut theirs);
                        assert_eq!(ours, theirs, "{w}x{h}, title {title:?}, bottom {bottom:?}");
                        assert_eq!(inner, expected_inner);
                    }
                }
            }
        }
    }
}
