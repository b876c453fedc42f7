//! Drawing one frame of each pane at 120x40 into a TestBackend, and
//! scrolling a 5,000-line lesson one line per frame. Baseline in the same
//! run: a frame that draws only a plain paragraph (the backend's floor).
//! Targets: reader, quiz, help and home each within 2.5x of the baseline
//! (issue 15); scrolling under 1 ms per frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use pace::content::{Scope, SourceFile, load_sources};
use pace::learning::clock::Clock;
use pace::records::Records;
use pace::tui::theme::{Theme, ThemeName};
use pace::tui::{Action, App, MainView, Options, Row};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::{Paragraph, Widget};

const SAMPLE: &str = include_str!("../tests/fixtures/sample/sample-101-first-steps.json");

fn options() -> Options {
    Options {
        learner: None,
        theme: Theme::new(ThemeName::Default, false),
        preview: true,
        seed: Some(1),
        clock: Clock::System,
        size: (120, 40),
    }
}

/// A module whose first lesson wraps to about 5,000 lines at 120x40.
fn long_lesson() -> App {
    let mut m: serde_json::Value = serde_json::from_str(SAMPLE).unwrap_or_default();
    let para = "Social business is a long-term program, not a one-off: recurring training, replays and a library.";
    let body: Vec<String> = (0..2500).flat_map(|i| [format!("{i}. {para}"), String::new()]).collect();
    m["lessons"][0]["body"] = body.into();
    let bytes = serde_json::to_vec(&m).unwrap_or_default();
    let catalog = load_sources(vec![SourceFile { path: "long.json".into(), bytes }], Scope::Folder);
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    let records = Records::in_memory().expect("in-memory records");
    let mut app = App::new(catalog, records, options()).expect("app");
    open_embedded(&mut app, Row::Lesson { module: "sample-101-first-steps".into(), index: 0 });
    app
}

fn bench(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut group = c.benchmark_group("frame-120x40");
    group.bench_function("baseline: one plain paragraph", |b| {
        b.iter(|| terminal.draw(|f| Paragraph::new("pace").render(f.area(), f.buffer_mut())).map(|_| ()))
    });

    let mut app = long_lesson();
    let lines = match &app.main {
        MainView::Lesson(r) => r.lines.len(),
        _ => 0,
    };
    eprintln!("long lesson: {lines} lines at 120x40");
    group.bench_function("reader: scroll a 5,000-line lesson, one line per frame", |b| {
        b.iter(|| {
            app.update(Action::Down);
            if let MainView::Lesson(r) = &app.main
                && r.at_end()
            {
                app.update(Action::Top);
            }
            terminal.draw(|f| pace::tui::draw(f, &app)).map(|_| ())
        })
    });

    let embedded = || {
        let records = Records::in_memory().expect("records");
        App::new(pace::content::embedded(), records, options()).expect("app")
    };
    let mut home = embedded();
    home.update(Action::Resize(120, 40));
    group.bench_function("home + catalog + progress", |b| {
        b.iter(|| terminal.draw(|f| pace::tui::draw(f, &home)).map(|_| ()))
    });

    let mut lesson = embedded();
    open_embedded(&mut lesson, Row::Lesson { module: "employee-101-social-media-at-work".into(), index: 0 });
    group.bench_function("reader", |b| b.iter(|| terminal.draw(|f| pace::tui::draw(f, &lesson)).map(|_| ())));

    let mut quiz = embedded();
    open_embedded(&mut quiz, Row::Quiz { module: "employee-101-social-media-at-work".into() });
    group.bench_function("quiz", |b| b.iter(|| terminal.draw(|f| pace::tui::draw(f, &quiz)).map(|_| ())));

    let mut help = embedded();
    help.update(Action::Resize(120, 40));
    help.update(Action::Help);
    group.bench_function("help overlay", |b| b.iter(|| terminal.draw(|f| pace::tui::draw(f, &help)).map(|_| ())));
    group.finish();
}

/// Selects a catalog row (expanding its module first) and opens it.
fn open_embedded(app: &mut App, row: Row) {
    app.update(Action::Resize(120, 40));
    let module = match &row {
        Row::Lesson { module, .. } | Row::Quiz { module } => module.clone(),
        _ => String::new(),
    };
    if !app.tree.rows.contains(&row)
        && let Some(i) = app.tree.rows.iter().position(|r| *r == Row::Module { id: module.clone() })
    {
        app.tree.selected = i;
        app.update(Action::Open);
    }
    if let Some(i) = app.tree.rows.iter().position(|r| *r == row) {
        app.tree.selected = i;
        app.update(Action::Open);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
