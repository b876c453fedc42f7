//! First run and shared workstations: the welcome form (name, role, new
//! hire) and the learner picker.

use super::action::Action;
use super::app::{App, Screen};
use crate::records::RecordsError;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, List, ListItem, ListState, Padding, Paragraph, StatefulWidget, Widget, Wrap,
};

use super::theme::Theme;
use crate::content::{Audience, sanitize};
use crate::records::Learner;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Role,
    NewHire,
}

#[derive(Debug, Clone)]
pub struct Welcome {
    pub name: String,
    pub role: usize,
    pub new_hire: bool,
    pub field: Field,
    pub error: Option<String>,
    /// Whether Esc can go back to a learner picker.
    pub can_cancel: bool,
}

pub const MAX_NAME: usize = 60;

impl Welcome {
    pub fn new(name: Option<&str>, can_cancel: bool) -> Welcome {
        Welcome {
            name: name.unwrap_or_default().to_string(),
            role: 3,
            new_hire: false,
            field: Field::Name,
            error: None,
            can_cancel,
        }
    }

    pub fn role(&self) -> Audience {
        Audience::ALL[self.role.min(Audience::ALL.len() - 1)]
    }

    pub fn next_field(&mut self, forward: bool) {
        self.field = match (self.field, forward) {
            (Field::Name, true) | (Field::NewHire, false) => Field::Role,
            (Field::Role, true) | (Field::Name, false) => Field::NewHire,
            (Field::NewHire, true) | (Field::Role, false) => Field::Name,
        };
    }

    pub fn input(&mut self, c: char) {
        self.error = None;
        match self.field {
            Field::Name => {
                if !c.is_control() && self.name.chars().count() < MAX_NAME {
                    self.name.push(c);
                }
            }
            Field::Role => {
                if let Some(d) = c.to_digit(10).filter(|d| (1..=5).contains(d)) {
                    self.role = d as usize - 1;
                }
            }
            Field::NewHire => match c {
                'y' | 'Y' => self.new_hire = true,
                'n' | 'N' => self.new_hire = false,
                ' ' => self.new_hire = !self.new_hire,
                _ => {}
            },
        }
    }

    pub fn step(&mut self, delta: i32) {
        match self.field {
            Field::Role => self.role = (self.role as i32 + delta).clamp(0, Audience::ALL.len() as i32 - 1) as usize,
            Field::NewHire => self.new_hire = !self.new_hire,
            Field::Name => self.next_field(delta > 0),
        }
    }
}

/// A centred box of at most `w` x `h`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))]).flex(Flex::Center).areas(area);
    let [c] = Layout::horizontal([Constraint::Length(w.min(area.width))]).flex(Flex::Center).areas(v);
    c
}

pub struct WelcomeView<'a> {
    pub form: &'a Welcome,
    pub theme: &'a Theme,
    pub organisation: &'a str,
}

impl Widget for WelcomeView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let f = self.form;
        let area = centered(area, 64, 20);
        Clear.render(area, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(" Welcome to pace ")
            .border_style(t.focus_border)
            .padding(Padding::horizontal(1));
        let inner = block.inner(area);
        block.render(area, buf);
        let focus = |field| if f.field == field { t.selected } else { t.base };
        let mut lines = vec![
            Line::from(format!("Social business training for {}.", self.organisation)),
            Line::from(Span::styled("Your progress is kept on this computer under your name.", t.dim)),
            Line::default(),
            Line::from(vec![
                Span::styled("Your name: ", t.accent),
                Span::styled(format!("{}▏", sanitize::clean(&f.name)), focus(Field::Name)),
            ]),
            Line::default(),
            Line::from(Span::styled("Your role (↑/↓ or 1-5):", t.accent)),
        ];
        for (i, a) in Audience::ALL.iter().enumerate() {
            let mark = if i == f.role { "(•)" } else { "( )" };
            let style = if i == f.role { focus(Field::Role) } else { t.base };
            lines.push(Line::from(Span::styled(format!("  {} {mark} {}", i + 1, a.label()), style)));
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("New hire (Space or y/n): ", t.accent),
            Span::styled(if f.new_hire { "[x] yes, start with orientation" } else { "[ ] no" }, focus(Field::NewHire)),
        ]));
        lines.push(Line::default());
        match &f.error {
            Some(e) => lines.push(Line::from(Span::styled(e.clone(), t.bad))),
            None => lines.push(Line::from(Span::styled("Tab: next field   Enter: start", t.dim))),
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).style(t.base).render(inner, buf);
    }
}

#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub selected: usize,
}

pub struct PickerView<'a> {
    pub picker: &'a Picker,
    pub learners: &'a [Learner],
    pub theme: &'a Theme,
}

impl Widget for PickerView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let area = centered(area, 56, (self.learners.len() as u16 + 6).min(22));
        Clear.render(area, buf);
        let block = Block::default().borders(Borders::ALL).title(" Who is learning? ").border_style(t.focus_border);
        let mut items: Vec<ListItem> = self
            .learners
            .iter()
            .map(|l| {
                ListItem::new(Line::from(vec![
                    Span::raw(sanitize::one_line(&l.name)),
                    Span::styled(format!("  {}", l.role.label()), t.dim),
                ]))
            })
            .collect();
        items.push(ListItem::new(Line::from(Span::styled("+ New learner", t.accent.add_modifier(Modifier::BOLD)))));
        let mut state = ListState::default().with_selected(Some(self.picker.selected));
        StatefulWidget::render(List::new(items).block(block).highlight_style(t.selected), area, buf, &mut state);
    }
}

impl App {
    pub(super) fn update_welcome(&mut self, action: Action) {
        let now = self.now();
        let Screen::Welcome(form) = &mut self.screen else { return };
        match action {
            Action::Input(c) => form.input(c),
            Action::Backspace if form.field == Field::Name => {
                form.name.pop();
            }
            Action::FocusNext => form.next_field(true),
            Action::FocusPrev => form.next_field(false),
            Action::Up => form.step(-1),
            Action::Down => form.step(1),
            Action::Back if form.can_cancel => self.screen = Screen::Picker(Picker::default()),
            Action::Quit => self.quit = true,
            Action::Open => {
                // Cleaned as stored; capped so a certificate keeps it on one line.
                let name = sanitize::learner_name(&form.name);
                let chars = name.chars().count();
                if name.is_empty() || chars > MAX_NAME {
                    form.error = Some(if chars > MAX_NAME {
                        format!("A name has at most {MAX_NAME} characters; this one has {chars}. Shorten it.")
                    } else {
                        "Type your name first.".into()
                    });
                    form.field = Field::Name;
                    return;
                }
                let (role, new_hire) = (form.role(), form.new_hire);
                match self.records.add_learner(&name, role, new_hire, now) {
                    Ok(learner) => self.enter(learner),
                    Err(RecordsError::LearnerExists(_)) => {
                        if let Ok(Some(learner)) = self.records.learner_by_name(&name) {
                            self.enter(learner);
                        }
                    }
                    Err(e) => form.error = Some(format!("Could not save: {e}")),
                }
            }
            _ => {}
        }
    }

    pub(super) fn update_picker(&mut self, action: Action) {
        let Screen::Picker(picker) = &mut self.screen else { return };
        let last = self.learners.len();
        match action {
            Action::Down => picker.selected = (picker.selected + 1).min(last),
            Action::Up => picker.selected = picker.selected.saturating_sub(1),
            Action::Top => picker.selected = 0,
            Action::Bottom => picker.selected = last,
            Action::Quit => self.quit = true,
            Action::Open => match self.learners.get(picker.selected).cloned() {
                Some(learner) => self.enter(learner),
                None => self.screen = Screen::Welcome(Welcome::new(None, true)),
            },
            _ => {}
        }
    }
}
