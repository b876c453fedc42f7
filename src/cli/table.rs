//! Text that fits the terminal: tables whose columns give up width in turn,
//! and lines cut with an ellipsis instead of wrapping. Widths are display
//! columns (a CJK character takes two, a combining accent none), so columns
//! line up whatever the names are written in. `pace report` and
//! `pace progress` print through here; a new column fits by being declared.

use std::io::IsTerminal;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Width used when standard output is not a terminal (a pipe or a file).
pub const PIPE_WIDTH: usize = 100;

/// Narrowest width pace lays text out for; a terminal narrower than this
/// gets lines cut short rather than columns of ellipses.
const MIN_WIDTH: usize = 20;

/// The width to lay text out for: the terminal's when standard output is
/// one, else `PIPE_WIDTH`.
pub fn output_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = ratatui::crossterm::terminal::size()
        && cols > 0
    {
        return usize::from(cols).max(MIN_WIDTH);
    }
    PIPE_WIDTH
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column: its heading, alignment, and how narrow it may become when
/// the table is too wide (`None`: it keeps its width).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub head: &'static str,
    pub align: Align,
    pub shrinks_to: Option<usize>,
}

impl Column {
    /// A left-aligned column that keeps its width.
    pub const fn left(head: &'static str) -> Column {
        Column { head, align: Align::Left, shrinks_to: None }
    }

    /// A right-aligned column (numbers) that keeps its width.
    pub const fn right(head: &'static str) -> Column {
        Column { head, align: Align::Right, shrinks_to: None }
    }

    /// This column gives up width, down to `min`, before the table is cut.
    pub const fn shrinks_to(mut self, min: usize) -> Column {
        self.shrinks_to = Some(min);
        self
    }
}

/// Rows of cells under headed columns.
#[derive(Debug, Clone)]
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
    indent: usize,
    header: bool,
}

const GAP: usize = 2;

impl Table {
    pub fn new(columns: &[Column]) -> Table {
        Table { columns: columns.to_vec(), rows: Vec::new(), indent: 0, header: true }
    }

    /// Leaves out the heading line.
    pub fn without_header(mut self) -> Table {
        self.header = false;
        self
    }

    /// Starts every line with `n` spaces.
    pub fn indent(mut self, n: usize) -> Table {
        self.indent = n;
        self
    }

    /// Adds a row; each cell is put on one line (runs of white space,
    /// line breaks included, become one space).
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut row: Vec<String> =
            cells.into_iter().map(|c| c.as_ref().split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        row.resize(self.columns.len(), String::new());
        self.rows.push(row);
    }

    /// The column widths for a line of at most `width` columns: each
    /// column as wide as its widest cell, then the widest shrinkable column
    /// gives up one column at a time until the table fits or none can.
    fn widths(&self, width: usize) -> Vec<usize> {
        let n = self.columns.len();
        let mut widths: Vec<usize> = (0..n)
            .map(|i| {
                let head = if self.header { self.columns[i].head.width() } else { 0 };
                self.rows.iter().map(|r| r[i].width()).chain([head]).max().unwrap_or(0)
            })
            .collect();
        let total = |w: &[usize]| self.indent + w.iter().sum::<usize>() + GAP * n.saturating_sub(1);
        while total(&widths) > width {
            let widest = (0..n)
                .filter(|&i| self.columns[i].shrinks_to.is_some_and(|min| widths[i] > min))
                .max_by_key(|&i| widths[i]);
            let Some(i) = widest else { break };
            widths[i] -= 1;
        }
        widths
    }

    /// The table as lines of at most `width` display columns, each ending
    /// in a newline.
    pub fn render(&self, width: usize) -> String {
        let widths = self.widths(width);
        let line = |cells: &[String]| {
            let mut out = " ".repeat(self.indent);
            for (i, cell) in cells.iter().enumerate() {
                let cell = fit(cell, widths[i]);
                let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
                if i > 0 {
                    out.push_str(&" ".repeat(GAP));
                }
                match self.columns[i].align {
                    Align::Left => {
                        out.push_str(&cell);
                        out.push_str(&pad);
                    }
                    Align::Right => {
                        out.push_str(&pad);
                        out.push_str(&cell);
                    }
                }
            }
            format!("{}\n", fit(out.trim_end(), width))
        };
        let mut out = String::new();
        if self.header {
            out.push_str(&line(&self.columns.iter().map(|c| c.head.to_string()).collect::<Vec<_>>()));
        }
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// `text` cut to `width` display columns, ending in an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Every line of `text` cut to `width` display columns.
pub fn fit_lines(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        out.push_str(&fit(body, width));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_by_display_width() {
        assert_eq!(fit("Ana", 5), "Ana");
        assert_eq!(fit("Social Business Black Belt", 10), "Social Bu…");
        assert_eq!(fit("日本語の名前", 7), "日本語…");
        assert!(fit("日本語の名前", 7).width() <= 7);
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn columns_align_by_display_width() {
        let mut t = Table::new(&[Column::left("Name"), Column::right("Score")]);
        t.row(["Zoë", "5%"]);
        t.row(["李小龍", "100%"]);
        t.row(["Partners, resellers", "0%"]);
        let out = t.render(80);
        let ends: Vec<usize> = out.lines().map(UnicodeWidthStr::width).collect();
        assert!(ends.iter().all(|&w| w == ends[0]), "right-aligned column ends in one place:\n{out}");
    }

    #[test]
    fn shrinkable_columns_give_way_then_lines_are_cut() {
        let mut t = Table::new(&[Column::left("Learner").shrinks_to(8), Column::left("Level"), Column::left("Email")]);
        t.row(["Maximiliana Alexandrina von Hohenzollern", "Social Ready", "maximiliana@example.com"]);
        let out = t.render(60);
        assert!(out.lines().all(|l| l.width() <= 60), "{out}");
        assert!(out.contains("Social Ready") && out.contains("maximiliana@example.com"), "{out}");
        assert!(out.contains("Maximi"), "{out}");
        let narrow = t.render(30);
        assert!(narrow.lines().all(|l| l.width() <= 30), "{narrow}");
        assert!(narrow.lines().nth(1).is_some_and(|l| l.starts_with("Maximil…") && l.ends_with('…')), "{narrow}");
    }

    #[test]
    fn cells_stay_on_one_line() {
        let mut t = Table::new(&[Column::left("A"), Column::left("B")]).without_header().indent(2);
        t.row(["two\nlines", "x"]);
        assert_eq!(t.render(80), "  two lines  x\n");
    }

    #[test]
    fn lines_are_cut_not_wrapped() {
        assert_eq!(fit_lines("short\nthis line is long\n", 10), "short\nthis line…\n");
    }
}
