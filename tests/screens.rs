//! Snapshot tests of every pane and overlay (80x24, 120x40) and of the
//! compact layout (40x12), plus sizes down to 1x1 that must never panic.
//! Review changed snapshots like code: `cargo insta review`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use pace::content::Catalog;
use pace::records::Records;
use pace::tui::theme::{Theme, ThemeName};
use pace::tui::{Action, App, MainView, Row};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

const M101: &str = "employee-101-social-media-at-work";

fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Action::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| pace::tui::draw(f, app)).expect("draw");
    terminal
}

fn fresh(size: (u16, u16)) -> App {
    app_with(pace::content::embedded(), Records::in_memory().expect("records"), None, size)
}

fn entered(size: (u16, u16)) -> App {
    let mut app = fresh(size);
    welcome(&mut app, "Ana Ruiz", true);
    app
}

/// Builds the app in some state for a terminal size.
type Scene = fn((u16, u16)) -> App;

/// Every scene a learner can be in, by name.
fn scenes() -> Vec<(&'static str, Scene)> {
    vec![
        ("welcome", |s| {
            let mut app = fresh(s);
            type_text(&mut app, "Ana");
            app
        }),
        ("picker", |s| {
            let mut records = Records::in_memory().expect("records");
            records
                .add_learner(
                    &pace::records::NewLearner::named("Ana Ruiz", pace::content::Audience::Employee, true),
                    t0(),
                )
                .expect("a");
            records
                .add_learner(
                    &pace::records::NewLearner::named("Ben Ode", pace::content::Audience::Partner, false),
                    t0(),
                )
                .expect("b");
            app_with(pace::content::embedded(), records, None, s)
        }),
        ("home", entered),
        ("reader", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Lesson { module: M101.into(), index: 0 });
            app
        }),
        ("quiz_question", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Quiz { module: M101.into() });
            app
        }),
        ("quiz_feedback", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Quiz { module: M101.into() });
            answer(&mut app, false);
            app
        }),
        ("quiz_result", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Quiz { module: M101.into() });
            finish_quiz(&mut app, true);
            app
        }),
        ("help", |s| {
            let mut app = entered(s);
            press(&mut app, KeyCode::Char('?'));
            app
        }),
        ("search", |s| {
            let mut app = entered(s);
            press(&mut app, KeyCode::Char('/'));
            type_text(&mut app, "disclos");
            app
        }),
        ("note_editor", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Lesson { module: M101.into(), index: 0 });
            press(&mut app, KeyCode::Char('e'));
            type_text(&mut app, "Conference notes: ask the hub before posting.");
            app
        }),
        ("notes", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Lesson { module: M101.into(), index: 0 });
            press(&mut app, KeyCode::Char('e'));
            type_text(&mut app, "Bookmark the policy.");
            press(&mut app, KeyCode::Esc);
            press(&mut app, KeyCode::Char('N'));
            app
        }),
        ("review", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Quiz { module: M101.into() });
            finish_quiz(&mut app, false);
            app.set_clock(pace::learning::clock::Clock::Fixed(t0() + chrono::Duration::days(3)));
            open_row(&mut app, &Row::Review { due: 6 });
            app
        }),
        ("preview_quiz_with_answers", |s| {
            let mut app =
                App::new(pace::content::embedded(), Records::in_memory().expect("records"), options(None, true, s))
                    .expect("app");
            app.update(Action::Resize(s.0, s.1));
            // A 301 module: locked for learners, open in preview.
            let m = "employee-301-representing-the-company";
            open_row(&mut app, &Row::Module { id: m.into() });
            open_row(&mut app, &Row::Quiz { module: m.into() });
            let MainView::Quiz(run) = &app.main else { panic!("quiz") };
            let module = app.catalog.module(m).expect("module");
            assert_eq!(run.draw.len(), module.quiz.questions.len(), "the whole pool");
            // Options in the order a learner would see them: this quiz shuffles.
            assert!(module.quiz.shuffle);
            let in_file_order = |d: &pace::records::DrawnQuestion, q: &pace::content::Question| {
                d.options.iter().eq(q.options.iter().map(|o| &o.id))
            };
            assert!(
                run.draw.iter().zip(&module.quiz.questions).any(|(d, q)| !q.options.is_empty() && !in_file_order(d, q)),
                "preview shuffles options as an attempt would"
            );
            press(&mut app, KeyCode::Char('a'));
            assert!(app.show_answers);
            app
        }),
        ("progress", |s| {
            let mut app = entered(s);
            open_row(&mut app, &Row::Quiz { module: M101.into() });
            finish_quiz(&mut app, true);
            press(&mut app, KeyCode::Char('P'));
            app
        }),
    ]
}

#[test]
fn every_scene_at_80x24_and_120x40() {
    for (name, make) in scenes() {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = make((w, h));
            let terminal = render(&mut app, w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
        }
    }
}

#[test]
fn small_terminals_show_one_pane_with_a_tab_line() {
    for name in ["home", "reader", "quiz_question", "quiz_feedback"] {
        let make = scenes().into_iter().find(|(n, _)| *n == name).map(|(_, f)| f).expect("scene");
        let mut app = make((40, 12));
        let terminal = render(&mut app, 40, 12);
        insta::assert_snapshot!(format!("{name}_40x12"), terminal.backend());
    }
}

#[test]
fn no_size_down_to_1x1_panics() {
    for (_, make) in scenes() {
        let mut app = make((80, 24));
        for w in (1..=45).step_by(4).chain([1, 2, 79, 80]) {
            for h in 1..=14 {
                render(&mut app, w, h);
            }
        }
        // and back up: the app follows resizes
        render(&mut app, 120, 40);
    }
}

#[test]
fn one_lesson_of_each_track_in_the_reader() {
    let catalog = pace::content::embedded();
    let firsts: Vec<(String, String)> =
        catalog.curriculum.tracks.iter().map(|t| (t.id.clone(), t.modules[0].clone())).collect();
    for (track, module) in firsts {
        let mut app =
            App::new(pace::content::embedded(), Records::in_memory().expect("records"), options(None, true, (80, 24)))
                .expect("app");
        open_row(&mut app, &Row::Module { id: module.clone() });
        if !app.tree.rows.contains(&Row::Lesson { module: module.clone(), index: 0 }) {
            open_row(&mut app, &Row::Module { id: module.clone() });
        }
        open_row(&mut app, &Row::Lesson { module: module.clone(), index: 0 });
        assert!(matches!(app.main, MainView::Lesson(_)));
        let terminal = render(&mut app, 80, 24);
        insta::assert_snapshot!(format!("track_{track}_80x24"), terminal.backend());
    }
}

fn cells_fg_bg(terminal: &Terminal<TestBackend>) -> Vec<(ratatui::style::Color, ratatui::style::Color)> {
    terminal.backend().buffer().content().iter().map(|c| (c.fg, c.bg)).collect()
}

#[test]
fn no_color_means_no_colours_anywhere() {
    for (_, make) in scenes() {
        // Rendered at another width than built, so cached lesson lines are re-made in the new theme.
        let mut app = make((90, 30));
        app.theme = Theme::new(ThemeName::Default, true);
        let terminal = render(&mut app, 100, 30);
        for (fg, bg) in cells_fg_bg(&terminal) {
            assert_eq!((fg, bg), (ratatui::style::Color::Reset, ratatui::style::Color::Reset));
        }
    }
}

#[test]
fn high_contrast_paints_every_cell_on_black() {
    let mut app = entered((100, 30));
    app.theme = Theme::new(ThemeName::HighContrast, false);
    let terminal = render(&mut app, 100, 30);
    let colours = cells_fg_bg(&terminal);
    assert!(colours.iter().all(|(_, bg)| matches!(
        bg,
        ratatui::style::Color::Black | ratatui::style::Color::White | ratatui::style::Color::LightYellow
    )));
}

#[test]
fn escape_sequences_in_content_never_reach_the_screen() {
    let sample = std::fs::read_to_string("tests/fixtures/sample/sample-101-first-steps.json").expect("sample");
    let evil = sample
        .replace("\"First steps\"", "\"First \\u001b[2J\\u001b]0;owned\\u0007steps\"")
        .replace("This is *the* first lesson", "This \\u001b[31mis\\u001b[0m *the*\\u0008 first lesson");
    let catalog: Catalog = pace::content::load_sources(
        vec![pace::content::SourceFile { path: "evil.json".into(), bytes: evil.into_bytes() }],
        pace::content::Scope::Folder,
    );
    assert_eq!(catalog.errors(), 0, "{:?}", catalog.problems);
    let mut app =
        App::new(catalog, Records::in_memory().expect("records"), options(None, true, (80, 24))).expect("app");
    open_row(&mut app, &Row::Lesson { module: "sample-101-first-steps".into(), index: 0 });
    let terminal = render(&mut app, 80, 24);
    let text: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("First steps"), "{text}");
    assert!(text.contains("This is the first lesson"), "{text}");
    assert!(!text.chars().any(|c| c.is_control()), "control characters reached the screen");
}

/// Scenes the snapshots above do not reach: wide and combining characters
/// in a lesson and in the catalog, and a catalog scrolled to its end.
fn style_scenes() -> Vec<(&'static str, Scene)> {
    let mut out = scenes();
    out.push(("catalog_scrolled", |s| {
        let mut app = entered(s);
        while app.focus != pace::tui::Pane::Catalog {
            press(&mut app, KeyCode::Tab);
        }
        press(&mut app, KeyCode::End);
        press(&mut app, KeyCode::Up);
        app
    }));
    out.push(("wide_text", |s| {
        let sample = std::fs::read_to_string("tests/fixtures/sample/sample-101-first-steps.json").expect("sample");
        let wide = sample
            .replace("\"First steps\"", "\"First 漢字 steps, café\"")
            .replace("This is *the* first lesson", "漢字漢字 *the* cafe\\u0301 lesson, ｆｕｌｌ width and 🎉 emoji")
            .replace("Read, then answer.", "Read 読んで, then answer.");
        let catalog = pace::content::load_sources(
            vec![pace::content::SourceFile { path: "wide.json".into(), bytes: wide.into_bytes() }],
            pace::content::Scope::Folder,
        );
        let mut app = App::new(catalog, Records::in_memory().expect("records"), options(None, true, s)).expect("app");
        app.update(Action::Resize(s.0, s.1));
        open_row(&mut app, &Row::Lesson { module: "sample-101-first-steps".into(), index: 0 });
        app
    }));
    out
}

/// Every cell's symbol and style, hashed per scene, size and theme: a
/// drawing change that alters a colour or a modifier shows here, where the
/// text snapshots above see only symbols. Recorded before the frame-time
/// work of issue 15, which must not change a cell.
#[test]
fn every_cell_and_style_of_every_scene_in_every_theme() {
    use sha2::Digest;
    use std::fmt::Write;
    let themes = [
        ("default", Theme::new(ThemeName::Default, false)),
        ("high-contrast", Theme::new(ThemeName::HighContrast, false)),
        ("no-color", Theme::new(ThemeName::Default, true)),
    ];
    let mut out = String::new();
    for (name, make) in style_scenes() {
        for (w, h) in [(40, 12), (80, 24), (120, 40)] {
            for (theme_name, theme) in &themes {
                let mut app = make((w, h));
                app.theme = theme.clone();
                // Another width first, so the reader's cached lines are made in the theme.
                app.update(Action::Resize(w + 1, h));
                let terminal = render(&mut app, w, h);
                let digest = sha2::Sha256::digest(format!("{:?}", terminal.backend().buffer()));
                let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                writeln!(out, "{name} {w}x{h} {theme_name}: {hex}").expect("write");
            }
        }
    }
    insta::assert_snapshot!(out);
}

/// A named step of a learner's session.
type Step = (&'static str, fn(&mut App));

/// A learner's session as steps, each a change the catalog, progress and
/// home panes show: the panes keep lines between frames, so each must be
/// dropped when what it shows changes.
fn session_steps() -> Vec<Step> {
    vec![
        ("down the catalog", |app| press(app, KeyCode::Down)),
        ("expand", |app| press(app, KeyCode::Right)),
        ("collapse", |app| press(app, KeyCode::Left)),
        ("open a lesson", |app| open_row(app, &Row::Lesson { module: M101.into(), index: 0 })),
        ("read it to the end", read_to_end),
        ("next lesson", |app| press(app, KeyCode::Char('n'))),
        ("mark it complete", |app| press(app, KeyCode::Char('m'))),
        ("open the quiz", |app| open_row(app, &Row::Quiz { module: M101.into() })),
        ("answer one wrong", |app| answer(app, false)),
        ("next question", |app| press(app, KeyCode::Enter)),
        ("the modules reloaded, one renamed", |app| {
            let mut catalog = pace::content::embedded();
            if let Some(m) = catalog.modules.iter_mut().find(|m| m.id == M101) {
                m.title = "Social media at work, renamed".into();
            }
            app.reload(catalog);
        }),
        ("finish passing", |app| finish_quiz(app, true)),
        ("progress", |app| press(app, KeyCode::Char('P'))),
        ("scroll the progress", |app| press(app, KeyCode::Down)),
        ("narrower: progress on home", |app| app.update(Action::Resize(80, 24))),
        ("wide again", |app| app.update(Action::Resize(120, 40))),
        ("another theme", |app| app.theme = Theme::new(ThemeName::HighContrast, false)),
        ("help", |app| press(app, KeyCode::Char('?'))),
        ("close help", |app| press(app, KeyCode::Esc)),
        ("three days on: a review is due", |app| {
            app.set_clock(pace::learning::clock::Clock::Fixed(t0() + chrono::Duration::days(3)))
        }),
        ("switch learner", |app| press(app, KeyCode::Char('L'))),
        ("a new learner", |app| {
            press(app, KeyCode::End);
            press(app, KeyCode::Enter);
            welcome(app, "Ben Ode", false);
        }),
        ("back to the first", |app| {
            press(app, KeyCode::Char('L'));
            press(app, KeyCode::Home);
            press(app, KeyCode::Enter);
        }),
        ("catalog to its end", |app| {
            while app.focus != pace::tui::Pane::Catalog {
                press(app, KeyCode::Tab);
            }
            press(app, KeyCode::End);
        }),
    ]
}

#[test]
fn a_frame_after_every_step_shows_what_a_first_frame_shows() {
    let steps = session_steps();
    let draw = |app: &App, terminal: &mut Option<Terminal<TestBackend>>| -> ratatui::buffer::Buffer {
        let (w, h) = app.size;
        if terminal.as_ref().is_none_or(|t| t.backend().buffer().area != ratatui::layout::Rect::new(0, 0, w, h)) {
            *terminal = Some(Terminal::new(TestBackend::new(w, h)).expect("terminal"));
        }
        let t = terminal.as_mut().expect("terminal");
        t.draw(|f| pace::tui::draw(f, app)).expect("draw");
        t.backend().buffer().clone()
    };
    let mut live = entered((120, 40));
    let mut terminal = None;
    draw(&live, &mut terminal);
    for (i, (name, step)) in steps.iter().enumerate() {
        step(&mut live);
        let shown = draw(&live, &mut terminal);
        // The same steps on a new trainer, drawn once.
        let mut fresh = entered((120, 40));
        for (_, earlier) in &steps[..=i] {
            earlier(&mut fresh);
        }
        let first = draw(&fresh, &mut None);
        assert_eq!(shown, first, "after step {i} ({name}) the screen differs from a first frame");
    }
}

/// The trainer starts from the catalog's outline: its first screen is the
/// one the whole catalog gives, for a learner at home and for one whose
/// place is in a lesson (which takes in the whole catalog first); after the
/// first frame, or at the first key, the whole catalog is in.
#[test]
fn a_first_screen_from_the_outline_is_the_first_screen_of_the_whole_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    {
        let mut records = Records::open(&db).expect("records");
        let ana = pace::records::NewLearner::named("Ana Ruiz", pace::content::Audience::Employee, true);
        records.add_learner(&ana, t0()).expect("ana");
        let ben = pace::records::NewLearner::named("Ben Ode", pace::content::Audience::Partner, false);
        records.add_learner(&ben, t0()).expect("ben");
    }
    // Ben's place is in a lesson.
    {
        let mut app = App::new(
            pace::content::shipped(),
            Records::open(&db).expect("r"),
            options(Some("Ben Ode"), false, (120, 40)),
        )
        .expect("app");
        app.update(Action::Resize(120, 40));
        let module = app
            .catalog
            .curriculum
            .tracks
            .iter()
            .find(|t| t.audience == pace::content::Audience::Partner)
            .expect("track")
            .modules[0]
            .clone();
        expand(&mut app, &module);
        open_row(&mut app, &Row::Lesson { module, index: 0 });
        press(&mut app, KeyCode::PageDown);
        press(&mut app, KeyCode::Char('q'));
    }
    for learner in ["Ana Ruiz", "Ben Ode"] {
        let first = |outlined: bool| {
            let records = Records::open(&db).expect("records");
            let options = options(Some(learner), false, (120, 40));
            let mut app = if outlined {
                let rest: pace::tui::Rest = Box::new(|| Some(pace::content::shipped()));
                App::outlined(pace::content::shipped_outline().expect("outline"), rest, records, options)
            } else {
                App::new(pace::content::shipped(), records, options)
            }
            .expect("app");
            app.update(Action::Resize(120, 40));
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal.draw(|f| pace::tui::draw(f, &app)).expect("draw");
            (app, terminal.backend().buffer().clone())
        };
        let (mut outlined, from_outline) = first(true);
        let (_, whole) = first(false);
        assert_eq!(from_outline, whole, "{learner}'s first screen");
        let bodies =
            |app: &App| app.catalog.modules.iter().all(|m| m.lessons.iter().all(|l| !l.body.as_str().is_empty()));
        assert_eq!(
            bodies(&outlined),
            learner == "Ben Ode",
            "only a place in a lesson takes in the whole catalog first"
        );
        outlined.first_frame_shown();
        assert!(bodies(&outlined));
        // A key before the first frame takes it in too.
        let (mut keyed, _) = first(true);
        press(&mut keyed, KeyCode::Down);
        assert!(bodies(&keyed));
    }
}
