//! First run and shared workstations: the welcome form (name, role, new
//! hire) and the learner picker.

use super::action::Action;
use super::app::{App, Screen};
use crate::content::LearnerIdKind;
use crate::records::{NewLearner, RecordsError};
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
    /// The work email or employee id, when the organisation uses one.
    Identity,
    /// Where the learner works, when the organisation lists several countries.
    Country,
}

#[derive(Debug, Clone)]
pub struct Welcome {
    pub name: String,
    pub role: usize,
    pub new_hire: bool,
    /// What the organisation identifies people by (the Identity field's meaning).
    pub identity_kind: LearnerIdKind,
    pub identity: String,
    /// The organisation's countries (id, name), the default first; empty
    /// when there is at most one, and nothing to ask.
    pub countries: Vec<(String, String)>,
    pub country: usize,
    pub field: Field,
    pub error: Option<String>,
    /// The name typed belongs to this learner already: Enter again continues as them.
    pub taken: Option<Learner>,
    /// Whether Esc can go back to a learner picker.
    pub can_cancel: bool,
}

pub const MAX_NAME: usize = crate::records::MAX_NAME_CHARS;

impl Welcome {
    pub fn new(name: Option<&str>, can_cancel: bool, identity_kind: LearnerIdKind) -> Welcome {
        Welcome {
            countries: Vec::new(),
            country: 0,
            name: name.map(sanitize::learner_name).unwrap_or_default(),
            role: 3,
            new_hire: false,
            identity_kind,
            identity: String::new(),
            field: Field::Name,
            error: None,
            taken: None,
            can_cancel,
        }
    }

    fn identity_label(&self) -> Option<&'static str> {
        match self.identity_kind {
            LearnerIdKind::Email => Some("Work email"),
            LearnerIdKind::EmployeeId => Some("Employee id"),
            LearnerIdKind::None => None,
        }
    }

    pub fn role(&self) -> Audience {
        Audience::ALL[self.role.min(Audience::ALL.len() - 1)]
    }

    pub fn next_field(&mut self, forward: bool) {
        let mut order = vec![Field::Name, Field::Role, Field::NewHire];
        if self.countries.len() > 1 {
            order.push(Field::Country);
        }
        if self.identity_label().is_some() {
            order.push(Field::Identity);
        }
        let at = order.iter().position(|f| *f == self.field).unwrap_or(0);
        let step = if forward { 1 } else { order.len() - 1 };
        self.field = order[(at + step) % order.len()];
    }

    pub fn input(&mut self, c: char) {
        self.error = None;
        match self.field {
            Field::Name => {
                self.taken = None;
                if !c.is_control() && self.name.chars().count() < MAX_NAME {
                    self.name.push(c);
                }
            }
            Field::Identity => {
                if !c.is_control() && self.identity.chars().count() < 254 {
                    self.identity.push(c);
                }
            }
            Field::Role => {
                if let Some(d) = c.to_digit(10).filter(|d| (1..=5).contains(d)) {
                    self.role = d as usize - 1;
                }
            }
            Field::Country => {
                if let Some(d) = c.to_digit(10).filter(|d| (1..=self.countries.len() as u32).contains(d)) {
                    self.country = d as usize - 1;
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
            Field::Country => {
                let n = self.countries.len().max(1) as i32;
                self.country = (self.country as i32 + delta).rem_euclid(n) as usize;
            }
            Field::Name | Field::Identity => self.next_field(delta > 0),
        }
    }

    /// The learner the form describes, or what to fix first.
    fn new_learner(&self) -> Result<NewLearner, (Field, String)> {
        let name = crate::records::check_name(&self.name).map_err(|e| (Field::Name, capitalise(&e)))?;
        let identity = self.identity.trim();
        let (mut email, mut employee_id) = (None, None);
        match self.identity_kind {
            _ if identity.is_empty() => {}
            LearnerIdKind::Email => {
                email = Some(crate::records::check_email(identity).map_err(|e| (Field::Identity, capitalise(&e)))?)
            }
            LearnerIdKind::EmployeeId => {
                employee_id =
                    Some(crate::records::check_employee_id(identity).map_err(|e| (Field::Identity, capitalise(&e)))?)
            }
            LearnerIdKind::None => {}
        }
        let country = self.countries.get(self.country).map(|(id, _)| id.clone());
        Ok(NewLearner { email, employee_id, country, ..NewLearner::named(&name, self.role(), self.new_hire) })
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
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
        let area = centered(area, 64, 23);
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
        if let Some((_, name)) = f.countries.get(f.country).filter(|_| f.countries.len() > 1) {
            lines.push(Line::from(vec![
                Span::styled("Where you work (↑/↓): ", t.accent),
                Span::styled(format!("‹ {} ›", sanitize::one_line(name)), focus(Field::Country)),
            ]));
        }
        if let Some(label) = f.identity_label() {
            lines.push(Line::from(vec![
                Span::styled(format!("{label} (optional): "), t.accent),
                Span::styled(format!("{}▏", sanitize::clean(&f.identity)), focus(Field::Identity)),
            ]));
        }
        lines.push(Line::default());
        match (&f.taken, &f.error) {
            (Some(existing), _) => {
                let name = sanitize::clean(&existing.name);
                lines.push(Line::from(Span::styled(
                    format!("\"{name}\" is already learning here. Enter: continue as {name}; or change the name."),
                    t.bad,
                )));
            }
            (None, Some(e)) => lines.push(Line::from(Span::styled(sanitize::clean(e).into_owned(), t.bad))),
            (None, None) => lines.push(Line::from(Span::styled(
                "Names are shown to trainers and on certificates; two people cannot share one.",
                t.dim,
            ))),
        }
        if f.taken.is_none() {
            lines.push(Line::from(Span::styled("Tab: next field   Enter: start", t.dim)));
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
    /// The welcome form for this organisation (a name already typed, and
    /// whether Esc goes back to the picker).
    pub(super) fn welcome_form(&self, name: Option<&str>, can_cancel: bool) -> Welcome {
        let mut form = Welcome::new(name, can_cancel, self.catalog.organisation.learner_id);
        form.countries = self.session.countries().iter().map(|c| (c.id.clone(), sanitize::one_line(&c.name))).collect();
        form
    }

    pub(super) fn update_welcome(&mut self, action: Action) {
        let Screen::Welcome(form) = &mut self.screen else { return };
        match action {
            Action::Input(c) => form.input(c),
            Action::Backspace if form.field == Field::Name => {
                form.taken = None;
                form.name.pop();
            }
            Action::Backspace if form.field == Field::Identity => {
                form.identity.pop();
            }
            Action::FocusNext => form.next_field(true),
            Action::FocusPrev => form.next_field(false),
            Action::Up => form.step(-1),
            Action::Down => form.step(1),
            Action::Back if form.can_cancel => self.screen = Screen::Picker(Picker::default()),
            Action::Quit => self.quit = true,
            Action::Open => {
                // Enter on a taken name a second time: the person said they are that learner.
                if let Some(existing) = form.taken.take() {
                    self.enter(existing);
                    return;
                }
                let new = match form.new_learner() {
                    Ok(new) => new,
                    Err((field, message)) => {
                        form.error = Some(message);
                        form.field = field;
                        return;
                    }
                };
                match self.session.sign_up(&new) {
                    Ok(learner) => self.enter(learner),
                    Err(RecordsError::LearnerExists(_)) => {
                        let existing = self.session.learner_by_name(&new.name);
                        let Screen::Welcome(form) = &mut self.screen else { return };
                        match existing {
                            Ok(found) => {
                                form.taken = found;
                                form.field = Field::Name;
                            }
                            Err(e) => form.error = Some(format!("Could not read the learners: {e}")),
                        }
                    }
                    Err(e @ RecordsError::IdTaken { .. }) => {
                        let Screen::Welcome(form) = &mut self.screen else { return };
                        form.error = Some(capitalise(&e.to_string()));
                        form.field = Field::Identity;
                    }
                    Err(e) => {
                        let Screen::Welcome(form) = &mut self.screen else { return };
                        form.error = Some(format!("Could not save: {e}"));
                    }
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
                None => self.screen = Screen::Welcome(Box::new(self.welcome_form(None, true))),
            },
            _ => {}
        }
    }
}
