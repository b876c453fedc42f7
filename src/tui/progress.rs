//! The progress pane: level, what remains for the next one, a gauge per
//! track, recent scores and certifications with their expiry.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::markdown::wrap;
use super::paint;
use super::theme::Theme;
use crate::content::Catalog;
use crate::learning::ladder::Status;
use crate::learning::progress::{self, Summary};

pub struct ProgressView<'a> {
    /// From `pane_lines`, cached between frames by `Views`.
    pub lines: &'a [Line<'static>],
    pub theme: &'a Theme,
    pub focused: bool,
    pub scroll: u16,
}

/// A text gauge: filled and empty blocks and the percentage.
pub fn gauge(percent: u32, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    let width = width.max(4);
    let filled = (percent.min(100) as usize * width).div_ceil(100).min(width);
    vec![
        Span::styled("█".repeat(filled), theme.gauge),
        Span::styled("░".repeat(width - filled), theme.dim),
        Span::raw(format!(" {percent:>3}%")),
    ]
}

impl Widget for ProgressView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let border = if self.focused { t.focus_border } else { t.border };
        let inner = paint::Bordered { title: Line::from(" Progress "), bottom: None, border }.render(area, buf);
        paint::paragraph(buf, inner, self.lines.iter().skip(usize::from(self.scroll)), t.base);
    }
}

/// The pane's text width inside its borders, as `lines` wants it.
pub fn pane_width(area: Rect) -> usize {
    usize::from(Block::default().borders(Borders::ALL).inner(area).width.max(8))
}

/// What the progress pane shows: the learner's progress, or that there is no learner.
pub fn pane_lines(summary: Option<&Summary>, catalog: &Catalog, t: &Theme, width: usize) -> Vec<Line<'static>> {
    match summary {
        Some(s) => lines(s, catalog, t, width),
        None => vec![Line::from("No learner yet.")],
    }
}

/// One block character for a 0-100 score.
fn spark(score: u32) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    BARS[(score.min(100) as usize * 7) / 100]
}

pub fn lines(s: &Summary, catalog: &Catalog, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let text = |spans: Vec<Span<'static>>, out: &mut Vec<Line<'static>>| out.extend(wrap(spans, &[], &[], width));
    match &s.current_level {
        Some(level) => {
            let style = match level.status {
                Status::Renewal { .. } => t.warn,
                _ => t.ok,
            };
            text(
                vec![
                    Span::styled("Level: ", t.dim),
                    Span::styled(level.title.clone(), style.add_modifier(Modifier::BOLD)),
                ],
                &mut out,
            );
            text(vec![Span::styled(progress::status_text(level.status), style)], &mut out);
        }
        None => text(vec![Span::styled("Level: ", t.dim), Span::raw("none yet")], &mut out),
    }
    if let Some(next) = &s.next_level {
        out.push(Line::default());
        let total = next.modules.len() + usize::from(next.previous.is_some());
        let done = total - next.remaining();
        let pct = (done * 100).checked_div(total).unwrap_or(0) as u32;
        text(
            vec![
                Span::styled("Next: ", t.dim),
                Span::styled(next.title.clone(), t.accent.add_modifier(Modifier::BOLD)),
            ],
            &mut out,
        );
        out.push(Line::from(gauge(pct, width.saturating_sub(6), t)));
        for line in progress::requirement_lines(next, &|id| progress::module_title(catalog, id)) {
            out.extend(wrap(vec![Span::raw(line)], &[Span::raw("• ")], &[Span::raw("  ")], width));
        }
        if let Status::Expired { .. } = next.status {
            text(vec![Span::styled("Expired: retake its quizzes to recertify.", t.warn)], &mut out);
        }
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled("Tracks", t.heading)));
    for track in &s.tracks {
        let time = if track.minutes_spent > 0 { format!("  {} min read", track.minutes_spent) } else { String::new() };
        text(vec![Span::raw(track.title.clone()), Span::styled(time, t.dim)], &mut out);
        out.push(Line::from(gauge(track.percent, width.saturating_sub(6), t)));
    }
    if !s.recent_scores.is_empty() {
        out.push(Line::default());
        out.push(Line::from(Span::styled("Scores over time", t.heading)));
        // Oldest first, one bar per attempt: the chart reads left to right as time.
        let bars: Vec<Span> = s
            .recent_scores
            .iter()
            .rev()
            .map(|x| Span::styled(spark(x.score).to_string(), if x.passed { t.ok } else { t.bad }))
            .collect();
        out.push(Line::from(bars));
        for score in s.recent_scores.iter().take(5) {
            let mark = if score.passed { Span::styled("✓", t.ok) } else { Span::styled("✗", t.bad) };
            let when = Span::styled(format!("{} ", score.at.format("%m-%d")), t.dim);
            out.extend(wrap(
                vec![when, mark, Span::raw(format!(" {:>3}% ", score.score)), Span::raw(score.module_title.clone())],
                &[],
                &[Span::raw("             ")],
                width,
            ));
        }
    }
    let held: Vec<_> = s.levels.iter().filter(|l| !matches!(l.status, Status::NotHeld)).collect();
    if !held.is_empty() {
        out.push(Line::default());
        out.push(Line::from(Span::styled("Certifications", t.heading)));
        for level in held {
            let style = match level.status {
                Status::Active { .. } => t.ok,
                Status::Renewal { .. } => t.warn,
                _ => t.bad,
            };
            out.extend(wrap(
                vec![
                    Span::raw(level.title.clone()),
                    Span::raw(": "),
                    Span::styled(progress::status_text(level.status), style),
                ],
                &[],
                &[Span::raw("  ")],
                width,
            ));
        }
    }
    out.push(Line::default());
    text(
        vec![Span::styled(
            format!("Streak: {} day{}", s.streak_days, if s.streak_days == 1 { "" } else { "s" }),
            t.dim,
        )],
        &mut out,
    );
    out
}
