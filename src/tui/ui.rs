//! Drawing: reads the app state and renders one frame. Nothing here
//! changes state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::app::{App, MainView, Screen};
use super::catalog::{self, CatalogView};
use super::home::HomeView;
use super::keymap;
use super::layout::Pane;
use super::notes::NotesView;
use super::overlay::OverlayView;
use super::paint;
use super::preview;
use super::progress::{self, ProgressView};
use super::quiz::QuizView;
use super::reader::ReaderView;
use super::welcome::{PickerView, WelcomeView};
use crate::content::sanitize;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    paint::fill(buf, area, app.theme.base);
    match &app.screen {
        Screen::Welcome(form) => {
            WelcomeView { form, theme: &app.theme, organisation: &app.catalog.organisation.name }.render(area, buf);
            return;
        }
        Screen::Picker(picker) => {
            PickerView { picker, learners: &app.learners, theme: &app.theme }.render(area, buf);
            return;
        }
        Screen::Main => {}
    }
    let areas = app.areas();
    if let Some(panel) = areas.problems {
        preview::ProblemsPanel { catalog: &app.catalog, theme: &app.theme }.render(panel, buf);
    }
    title_bar(app, areas.title, buf);
    if let Some(tabs) = areas.tabs {
        tab_line(app, tabs, buf);
    }
    if let Some(r) = areas.catalog {
        let width = usize::from(r.width.saturating_sub(2));
        let build = || catalog::lines(&app.tree, &app.catalog, app.standing(), &app.theme, width);
        app.views.catalog(width, &app.theme, build, |lines| {
            CatalogView { tree: &app.tree, lines, theme: &app.theme, focused: app.focus == Pane::Catalog }
                .render(r, buf)
        });
    }
    if let Some(r) = areas.main {
        main_pane(app, r, areas.progress.is_none(), buf);
    }
    if let Some(r) = areas.progress {
        let width = progress::pane_width(r);
        let build = || progress::pane_lines(app.summary.as_ref(), &app.catalog, &app.theme, width);
        app.views.progress(width, &app.theme, build, |lines| {
            ProgressView { lines, theme: &app.theme, focused: app.focus == Pane::Progress, scroll: app.progress_scroll }
                .render(r, buf)
        });
    }
    status_bar(app, areas.status, buf);
    if let Some(overlay) = &app.overlay {
        OverlayView { overlay, theme: &app.theme, views: &app.views }.render(area, buf);
    }
}

/// `alone`: no progress pane beside it, so home shows the progress too.
fn main_pane(app: &App, area: Rect, alone: bool, buf: &mut ratatui::buffer::Buffer) {
    let focused = app.focus == Pane::Main;
    match &app.main {
        MainView::Lesson(reader) => {
            let title = app
                .catalog
                .module(&reader.module_id)
                .and_then(|m| m.lessons.get(reader.lesson).map(|l| format!("{} › {}", m.title, l.title)))
                .unwrap_or_default();
            ReaderView { reader, title: &title, theme: &app.theme, focused }.render(area, buf);
        }
        MainView::Quiz(run) => QuizView {
            run,
            catalog: &app.catalog,
            theme: &app.theme,
            focused,
            show_answers: app.show_answers,
            views: &app.views,
        }
        .render(area, buf),
        MainView::Notes(list) => {
            NotesView { list, notes: &app.notes, catalog: &app.catalog, theme: &app.theme, focused }.render(area, buf)
        }
        MainView::Home => {
            let home = |progress: Option<&[Line<'static>]>, buf: &mut ratatui::buffer::Buffer| {
                HomeView {
                    catalog: &app.catalog,
                    learner: app.learner(),
                    next: app.next.as_ref(),
                    progress,
                    preview: app.preview,
                    theme: &app.theme,
                    focused,
                    scroll: app.progress_scroll,
                }
                .render(area, buf)
            };
            match app.summary.as_ref().filter(|_| alone) {
                Some(summary) => {
                    let width = progress::pane_width(area);
                    let build = || progress::lines(summary, &app.catalog, &app.theme, width);
                    app.views.progress(width, &app.theme, build, |lines| home(Some(lines), buf));
                }
                None => home(None, buf),
            }
        }
    }
}

fn title_bar(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let t = &app.theme;
    let mut left =
        vec![Span::styled(" pace ", t.key), Span::styled(format!(" {} ", app.catalog.organisation.name), t.accent)];
    if app.preview {
        left.push(Span::styled(" PREVIEW: nothing is recorded ", t.warn.add_modifier(Modifier::BOLD)));
    } else if let Some(l) = app.learner() {
        left.push(Span::raw(format!(" {} ", sanitize::one_line(&l.name))));
        left.push(Span::styled(format!("({})", l.role.label()), t.dim));
    }
    Paragraph::new(Line::from(left)).style(t.bar).render(area, buf);
}

fn tab_line(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let t = &app.theme;
    let main_name = match &app.main {
        MainView::Lesson(_) => "Lesson",
        MainView::Quiz(_) => "Quiz",
        MainView::Home => "Home",
        MainView::Notes(_) => "Notes",
    };
    let mut spans = Vec::new();
    for (pane, name) in [(Pane::Catalog, "Catalog"), (Pane::Main, main_name), (Pane::Progress, "Progress")] {
        let style = if app.focus == pane { t.selected } else { t.dim };
        spans.push(Span::styled(format!(" {name} "), style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("Tab ⇄", t.dim));
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn status_bar(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let t = &app.theme;
    // The learner's level sits at the right end, when there is room for it.
    let level = match app.summary.as_ref().and_then(|s| s.current_level.as_ref()) {
        _ if app.preview || app.learner().is_none() => String::new(),
        Some(l) => format!(" ★ {} ", l.title),
        None => " Level: none yet ".to_string(),
    };
    let level_width = if area.width >= 60 { level.chars().count() as u16 } else { 0 };
    let (hints, right) = super::layout::split_right(area, level_width);
    let line = match &app.toast {
        Some(toast) => Line::from(Span::styled(format!(" {toast}"), t.bar.add_modifier(Modifier::BOLD))),
        None => {
            // Whole hints only: a hint cut in half is worse than none.
            let mut spans = vec![Span::raw(" ")];
            let mut used = 1;
            for (key, label) in keymap::hints(&app.contexts()) {
                let label = format!(" {label}  ");
                let width = key.chars().count() + label.chars().count();
                if used + width > usize::from(hints.width) + 2 {
                    break;
                }
                used += width;
                spans.push(Span::styled(key, t.key));
                spans.push(Span::raw(label));
            }
            Line::from(spans)
        }
    };
    Paragraph::new(line).style(t.bar).render(hints, buf);
    Paragraph::new(Span::styled(level, t.key)).style(t.bar).render(right, buf);
}
