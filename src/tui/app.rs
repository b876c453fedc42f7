//! The trainer's state and its one entry point, `App::update(action)`.
//! Drawing (ui.rs) only reads this state; the event loop (mod.rs) only turns
//! events into actions. Record-keeping steps live in session.rs.

use std::rc::Rc;

use ratatui::layout::Rect;

use super::action::Action;
use super::catalog::{Row, Tree, Viewer};
use super::home::{self, Step};
use super::keymap::Context;
use super::layout::{self, Pane};
use super::notes::NotesList;
use super::overlay::{Overlay, Search};
use super::quiz::QuizRun;
use super::reader::Reader;
use super::theme::Theme;
use super::views::Views;
use super::welcome::{Picker, Welcome};
use crate::content::Catalog;
use crate::learning::clock::Clock;
use crate::learning::progress::{Standing, Summary};
use crate::learning::session::Session;
use crate::records::{Learner, NewLearner, Records, RecordsError};

pub enum Screen {
    Welcome(Box<Welcome>),
    Picker(Picker),
    Main,
}

pub enum MainView {
    /// Where to continue, and the dashboard when there is no side pane.
    Home,
    Lesson(Reader),
    Quiz(QuizRun),
    Notes(NotesList),
}

pub struct Options {
    pub learner: Option<String>,
    pub theme: Theme,
    /// Trainer preview: every module unlocked, answers can be shown, the
    /// records are in memory only.
    pub preview: bool,
    pub seed: Option<u64>,
    pub clock: Clock,
    /// The terminal size at start (a Resize action updates it).
    pub size: (u16, u16),
}

pub struct App {
    /// Shared so a module can be held while the app changes (and swapped on reload).
    pub catalog: Rc<Catalog>,
    /// The learning workflow: records, clock and random source live there.
    pub session: Session,
    pub learners: Vec<Learner>,
    pub screen: Screen,
    pub focus: Pane,
    pub main: MainView,
    pub tree: Tree,
    pub summary: Option<Summary>,
    pub overlay: Option<Overlay>,
    pub theme: Theme,
    pub size: (u16, u16),
    pub quit: bool,
    /// A one-line notice in the status bar until the next key.
    pub toast: Option<String>,
    pub preview: bool,
    pub show_answers: bool,
    pub progress_scroll: u16,
    /// The next lesson or quiz to take (kept current by `rebuild_tree`).
    pub next: Option<Step>,
    /// Missed questions due for review now.
    pub review_due: usize,
    /// The learner's notes, own and imported.
    pub notes: Vec<crate::records::Note>,
    /// Lines frames reuse until what they show changes (see `views.rs`).
    pub(super) views: Views,
    /// In `App::new`: nothing is written before the first screen.
    pub(super) starting: bool,
    /// The learner entered at start-up is still to be marked active
    /// (written after the first frame, or at the first key before it).
    pub(super) touch_pending: bool,
    /// Started from an outline of the catalog (`App::outlined`): what
    /// brings the whole catalog, taken in before anything needs it.
    catalog_rest: Option<Rest>,
}

/// What gives the whole catalog when the trainer started from its outline;
/// None if it could not be read (the outline then stays).
pub type Rest = Box<dyn FnOnce() -> Option<Catalog>>;

impl App {
    pub fn new(catalog: Catalog, records: Records, options: Options) -> Result<App, RecordsError> {
        App::build(catalog, None, records, options)
    }

    /// Starts from an outline of the catalog (`content::shipped_outline`:
    /// no lesson text or question), which is all the first screen shows;
    /// `rest` gives the whole catalog, taken in after the first frame, or
    /// sooner if a lesson or a quiz is to be shown (`complete_catalog`).
    pub fn outlined(outline: Catalog, rest: Rest, records: Records, options: Options) -> Result<App, RecordsError> {
        App::build(outline, Some(rest), records, options)
    }

    /// Takes in the whole catalog if the trainer started from its outline.
    /// Called after the first frame, before any action, and before a lesson
    /// or a quiz is restored; nothing but the first screen sees the outline.
    pub fn complete_catalog(&mut self) {
        let Some(rest) = self.catalog_rest.take() else { return };
        let Some(mut catalog) = rest() else { return };
        if !self.preview {
            catalog.problems.retain(|p| p.is_error());
        }
        let swapped = self.session.set_catalog(Rc::new(catalog));
        self.catalog = Rc::clone(self.session.catalog());
        self.report(swapped);
        self.views.clear();
    }

    fn build(
        mut catalog: Catalog,
        rest: Option<Rest>,
        records: Records,
        options: Options,
    ) -> Result<App, RecordsError> {
        if !options.preview {
            // Learners need to know a module is missing, not how its quiz could be gamed.
            catalog.problems.retain(|p| p.is_error());
        }
        let catalog = Rc::new(catalog);
        let session = Session::new(Rc::clone(&catalog), records, options.clock, options.seed, options.preview);
        let mut app = App {
            catalog,
            session,
            // Read when the picker or the form needs them (not for a learner entered at once).
            learners: Vec::new(),
            screen: Screen::Main,
            focus: Pane::Catalog,
            main: MainView::Home,
            tree: Tree::default(),
            summary: None,
            overlay: None,
            theme: options.theme,
            size: options.size,
            quit: false,
            toast: None,
            preview: options.preview,
            show_answers: false,
            progress_scroll: 0,
            next: None,
            review_due: 0,
            notes: Vec::new(),
            views: Views::default(),
            starting: true,
            touch_pending: false,
            catalog_rest: rest,
        };
        if app.preview {
            let preview = NewLearner::named("Preview", crate::content::Audience::Employee, false);
            let learner = app.session.sign_up(&preview)?;
            app.starting = false;
            app.enter(learner);
            return Ok(app);
        }
        let named = match &options.learner {
            Some(name) => app.session.learner_by_name(name)?,
            None => None,
        };
        // A shared workstation: with anyone recorded, the picker offers them
        // and "New learner"; a name not recorded yet opens the form with it.
        if named.is_none() {
            app.learners = app.session.learners()?;
        }
        match (named, options.learner.as_deref(), app.learners.len()) {
            (Some(learner), _, _) => app.enter(learner),
            (None, Some(name), n) => app.screen = Screen::Welcome(Box::new(app.welcome_form(Some(name), n > 0))),
            (None, None, 0) => app.screen = Screen::Welcome(Box::new(app.welcome_form(None, false))),
            (None, None, _) => app.screen = Screen::Picker(Picker::default()),
        }
        app.starting = false;
        Ok(app)
    }

    /// The first frame is on the screen: what start-up put off is done now.
    pub fn first_frame_shown(&mut self) {
        self.complete_catalog();
        if std::mem::take(&mut self.touch_pending) {
            let touched = self.session.touch();
            self.report(touched);
        }
    }

    /// A message over the screen, in words from outside cleaned for the terminal.
    pub fn show_message(&mut self, title: &str, text: &str) {
        self.overlay = Some(Overlay::Message {
            title: title.to_string(),
            text: crate::content::sanitize::clean(text).into_owned(),
        });
    }

    /// The learner signed in, if any.
    pub fn learner(&self) -> Option<&Learner> {
        self.session.learner()
    }

    /// What the records say of the learner's lessons, passes and levels.
    pub fn standing(&self) -> &Standing {
        self.session.standing()
    }

    /// Moves the clock (tests and demos) and re-reads what depends on it.
    pub fn set_clock(&mut self, clock: Clock) {
        self.session.set_clock(clock);
        self.refresh();
        self.rebuild_tree();
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.session.now()
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub fn areas(&self) -> layout::Areas {
        self.areas_for(self.focus)
    }

    fn areas_for(&self, focus: Pane) -> layout::Areas {
        let areas = layout::areas(self.area(), focus);
        if self.preview { areas.with_problems_panel(super::preview::panel_height(&self.catalog)) } else { areas }
    }

    /// The reader's text size for the current terminal size.
    pub fn reader_size(&self) -> (u16, u16) {
        let main = self.areas_for(Pane::Main).main.unwrap_or_default();
        let text = layout::reader_text_area(main);
        (text.width, text.height)
    }

    /// Keymap contexts for the current state, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        let mut out = match (&self.overlay, &self.screen) {
            (Some(Overlay::Search(_)), _) | (None, Screen::Welcome(_)) => return vec![Context::Text],
            (Some(Overlay::Note(_)), _) => return vec![Context::Editor],
            (Some(_), _) => return vec![Context::Dialog, Context::Global],
            (None, Screen::Picker(_)) => return vec![Context::Catalog, Context::Global],
            (None, Screen::Main) => match (self.focus, &self.main) {
                (Pane::Catalog, _) => vec![Context::Catalog],
                (Pane::Main, MainView::Lesson(_)) => vec![Context::Reader],
                (Pane::Main, MainView::Quiz(run)) if run.outcome.is_some() => vec![Context::QuizEnd],
                (Pane::Main, MainView::Quiz(_)) => vec![Context::Quiz],
                (Pane::Main, MainView::Notes(_)) => return vec![Context::Text],
                _ => vec![Context::Progress],
            },
        };
        if self.preview {
            out.push(Context::Preview);
        }
        out.push(Context::Global);
        out
    }

    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..)) {
            self.toast = None;
            // A key before the first frame (or with no frame: tests) writes it first.
            self.first_frame_shown();
        }
        if let Action::Resize(w, h) = action {
            self.size = (w, h);
            if !layout::focus_order(self.area()).contains(&self.focus) {
                self.focus = Pane::Main;
            }
            self.relayout();
            return;
        }
        if self.overlay.is_some() {
            self.update_overlay(action);
            return;
        }
        match &mut self.screen {
            Screen::Welcome(_) => self.update_welcome(action),
            Screen::Picker(_) => self.update_picker(action),
            Screen::Main => self.update_main(action),
        }
    }

    fn relayout(&mut self) {
        let size = self.reader_size();
        if let MainView::Lesson(reader) = &mut self.main
            && let Some(module) = self.catalog.module(&reader.module_id)
        {
            reader.layout(module, &self.catalog.organisation, &self.theme, size);
        }
    }

    fn update_overlay(&mut self, action: Action) {
        let catalog = Rc::clone(&self.catalog);
        let locked_ids: std::collections::HashSet<String> = match &self.overlay {
            Some(Overlay::Search(_)) => {
                catalog.modules.iter().filter(|m| self.lock_reason(&m.id).is_some()).map(|m| m.id.clone()).collect()
            }
            _ => Default::default(),
        };
        let locked = |id: &str| locked_ids.contains(id);
        let Some(overlay) = &mut self.overlay else { return };
        match overlay {
            Overlay::Help { scroll } => match action {
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Back | Action::Help | Action::Open | Action::Quit => self.overlay = None,
                _ => {}
            },
            Overlay::Note(editor) => match action {
                Action::EditKey(key) if editor.text.input(key) => {
                    let (module, lesson, body) = (editor.module_id.clone(), editor.lesson_id.clone(), editor.body());
                    let saved = self.session.save_note(&module, &lesson, &body);
                    self.report(saved);
                }
                Action::Back | Action::Quit => {
                    self.overlay = None;
                    self.refresh();
                    if action == Action::Quit {
                        self.update_main(Action::Quit);
                    }
                }
                _ => {}
            },
            Overlay::Message { .. } => {
                if matches!(action, Action::Back | Action::Open | Action::Quit | Action::Submit) {
                    self.overlay = None;
                }
            }
            Overlay::Search(search) => match action {
                Action::Input(c) => {
                    search.query.push(c);
                    search.run(&catalog, &locked);
                }
                Action::Backspace => {
                    search.query.pop();
                    search.run(&catalog, &locked);
                }
                Action::Down => search.selected = (search.selected + 1).min(search.hits.len().saturating_sub(1)),
                Action::Up => search.selected = search.selected.saturating_sub(1),
                Action::Back | Action::Quit => self.overlay = None,
                Action::Open => {
                    if let Some(hit) = search.hits.get(search.selected).cloned() {
                        let query = search.query.trim().to_string();
                        self.overlay = None;
                        self.open_lesson(&hit.module, hit.lesson);
                        if let MainView::Lesson(reader) = &mut self.main {
                            reader.scroll_to_text(&query);
                        }
                        self.after_scroll();
                    }
                }
                _ => {}
            },
        }
    }

    fn update_main(&mut self, action: Action) {
        match action {
            Action::Quit => {
                self.leave_lesson();
                self.save_location();
                self.quit = true;
            }
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Search => self.overlay = Some(Overlay::Search(Search::default())),
            Action::ShowProgress => {
                self.leave_lesson();
                self.main = MainView::Home;
                self.focus = if layout::is_compact(self.area()) || self.areas().progress.is_none() {
                    Pane::Main
                } else {
                    Pane::Progress
                };
                self.save_location();
            }
            Action::FocusNext | Action::FocusPrev => {
                let order = layout::focus_order(self.area());
                let at = order.iter().position(|p| *p == self.focus).unwrap_or(0);
                let step = if action == Action::FocusNext { 1 } else { order.len() - 1 };
                self.focus = order[(at + step) % order.len()];
            }
            Action::ToggleAnswers if self.preview => self.show_answers = !self.show_answers,
            Action::SwitchLearner if !self.preview => self.switch_learner(),
            Action::NextCountry if self.session.countries().len() > 1 => self.next_country(),
            Action::ShowNotes => {
                self.leave_lesson();
                self.main = MainView::Notes(NotesList::default());
                self.focus = Pane::Main;
                self.save_location();
            }
            Action::Scroll(x, y, delta) => self.scroll_at(x, y, delta),
            Action::Click(x, y) => self.click(x, y),
            _ => match self.focus {
                Pane::Catalog => self.update_catalog(action),
                Pane::Main => match &self.main {
                    MainView::Lesson(_) => self.update_reader(action),
                    MainView::Quiz(_) => self.update_quiz(action),
                    MainView::Home => self.update_progress(action),
                    MainView::Notes(_) => self.update_notes(action),
                },
                Pane::Progress => self.update_progress(action),
            },
        }
    }

    fn update_catalog(&mut self, action: Action) {
        match action {
            Action::Up => self.tree.step(-1),
            Action::Down => self.tree.step(1),
            Action::PageUp => self.tree.step(-10),
            Action::PageDown => self.tree.step(10),
            Action::Top => self.tree.select_first(),
            Action::Bottom => self.tree.select_last(),
            Action::Expand | Action::Collapse => {
                if let Some(Row::Module { id }) = self.tree.selected_row().cloned() {
                    if action == Action::Expand {
                        self.tree.expanded.insert(id);
                    } else {
                        self.tree.expanded.remove(&id);
                    }
                    self.rebuild_tree();
                }
            }
            Action::Open => self.open_row(),
            Action::Back if !matches!(self.main, MainView::Home) => self.focus = Pane::Main,
            _ => {}
        }
    }

    fn open_row(&mut self) {
        match self.tree.selected_row().cloned() {
            Some(Row::Module { id }) => {
                if !self.tree.expanded.remove(&id) {
                    self.tree.expanded.insert(id);
                }
                self.rebuild_tree();
            }
            Some(Row::Lesson { module, index }) => self.open_lesson(&module, index),
            Some(Row::Quiz { module }) => self.open_quiz(&module, false),
            Some(Row::Review { .. }) => self.open_review(),
            Some(Row::Problem { index }) => {
                if let Some(p) = self.catalog.problems.get(index) {
                    self.overlay = Some(Overlay::Message { title: "Content problem".into(), text: p.to_string() });
                }
            }
            _ => {}
        }
    }

    fn update_reader(&mut self, action: Action) {
        let MainView::Lesson(reader) = &mut self.main else { return };
        match action {
            Action::Up => reader.scroll_by(-1),
            Action::Down => reader.scroll_by(1),
            Action::PageUp => reader.scroll_by(-reader.page()),
            Action::PageDown => reader.scroll_by(reader.page()),
            Action::Top => reader.scroll = 0,
            Action::Bottom => reader.scroll = reader.max_scroll(),
            Action::NextLesson | Action::PrevLesson => {
                let (module, index) = (reader.module_id.clone(), reader.lesson);
                let count = self.catalog.module(&module).map_or(0, |m| m.lessons.len());
                if action == Action::NextLesson {
                    if index + 1 < count {
                        self.open_lesson(&module, index + 1);
                    } else {
                        self.toast = Some(
                            "That was the last lesson: the quiz is next (Enter on \"Quiz\" in the catalog).".into(),
                        );
                        self.tree.reveal(&Row::Quiz { module });
                    }
                } else if index > 0 {
                    self.open_lesson(&module, index - 1);
                } else {
                    self.toast = Some("This is the first lesson.".into());
                }
                return;
            }
            Action::MarkComplete => {
                self.complete_current_lesson();
                return;
            }
            Action::EditNote => {
                let (module, index) = (reader.module_id.clone(), reader.lesson);
                self.open_note(&module, index);
                return;
            }
            Action::Back => {
                self.focus = Pane::Catalog;
                return;
            }
            _ => return,
        }
        self.after_scroll();
    }

    fn update_progress(&mut self, action: Action) {
        match action {
            Action::Open if matches!(self.main, MainView::Home) && self.focus == Pane::Main => {
                match self.next.clone() {
                    Some(Step::Lesson { module, index }) => self.open_lesson(&module, index),
                    Some(Step::Quiz { module }) => self.open_quiz(&module, false),
                    None => {}
                }
            }
            Action::Up => self.progress_scroll = self.progress_scroll.saturating_sub(1),
            Action::Down => self.progress_scroll = self.progress_scroll.saturating_add(1),
            Action::Top => self.progress_scroll = 0,
            Action::Back => self.focus = Pane::Catalog,
            _ => {}
        }
    }

    fn scroll_at(&mut self, x: u16, y: u16, delta: i16) {
        let areas = self.areas();
        let inside = |r: Option<Rect>| r.is_some_and(|r| r.contains((x, y).into()));
        if inside(areas.main) {
            if let MainView::Lesson(reader) = &mut self.main {
                reader.scroll_by(i64::from(delta));
                self.after_scroll();
            }
        } else if inside(areas.catalog) {
            self.tree.step(i32::from(delta));
        } else if inside(areas.progress) {
            self.progress_scroll = self.progress_scroll.saturating_add_signed(delta);
        }
    }

    fn click(&mut self, x: u16, y: u16) {
        let areas = self.areas();
        if let Some(catalog) = areas.catalog.filter(|r| r.contains((x, y).into())) {
            self.focus = Pane::Catalog;
            let inner_h = catalog.height.saturating_sub(2).max(1) as usize;
            let offset = self.tree.selected.saturating_sub(inner_h - 1);
            let row = offset + usize::from(y.saturating_sub(catalog.y + 1));
            if y > catalog.y && row < self.tree.rows.len() {
                if row == self.tree.selected {
                    self.open_row();
                } else {
                    self.tree.selected = row;
                    if !matches!(
                        self.tree.rows[row],
                        Row::Module { .. } | Row::Lesson { .. } | Row::Quiz { .. } | Row::Problem { .. }
                    ) {
                        self.tree.step(1);
                    }
                }
            }
        } else if areas.main.is_some_and(|r| r.contains((x, y).into())) {
            self.focus = Pane::Main;
        } else if areas.progress.is_some_and(|r| r.contains((x, y).into())) {
            self.focus = Pane::Progress;
        }
    }

    /// Who is looking at the catalog: role, path, standing and locks.
    pub(super) fn viewer(&self) -> Viewer<'_> {
        Viewer {
            role: self.learner().map(|l| l.role),
            new_hire: self.learner().is_some_and(|l| l.new_hire),
            standing: self.session.standing(),
            unlock_all: self.preview,
            review_due: self.review_due,
        }
    }

    pub fn rebuild_tree(&mut self) {
        self.views.clear();
        let mut tree = std::mem::take(&mut self.tree);
        let viewer = self.viewer();
        tree.rebuild(&self.catalog, &viewer);
        self.next = home::next_step(&self.catalog, &viewer);
        self.tree = tree;
    }
}
