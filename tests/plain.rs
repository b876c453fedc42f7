//! Plain mode end to end: the real binary driven through its standard input
//! and output (pipes, no pseudo-terminal), the way a script or a screen
//! reader user meets it, with the records file checked after. Answers are
//! worked out from the draw in the records file and the shipped modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use pace::content::QuestionKind;
use pace::records::{DrawnQuestion, Records};
use pace::tui::{MainView, Row};
use ratatui::crossterm::event::KeyCode;

const M101: &str = "employee-101-social-media-at-work";
const M201: &str = "employee-201-contacts-and-complaint-triage";
const NOW: &str = "2026-11-27T09:00:00Z";

/// `pace --plain` running on pipes.
struct Plain {
    child: Child,
    stdin: Option<ChildStdin>,
    chunks: mpsc::Receiver<Vec<u8>>,
    /// Everything printed so far.
    out: Vec<u8>,
}

impl Plain {
    fn start(db: &Path, args: &[&str]) -> Plain {
        Plain::start_at(db, args, NOW)
    }

    fn start_at(db: &Path, args: &[&str], now: &str) -> Plain {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pace"))
            .arg("--db")
            .arg(db)
            .arg("--plain")
            .args(args)
            .env_remove("PACE_MODULES")
            .env_remove("PACE_PLAIN")
            .env("PACE_NOW", now)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pace --plain");
        let mut stdout = child.stdout.take().expect("stdout");
        let (tx, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut plain = Plain { child, stdin, chunks, out: Vec::new() };
        plain.wait_for_prompt(0);
        plain
    }

    /// Waits until the output since `from` ends in a prompt (pace is
    /// waiting for a line) or the output ends; returns that output.
    fn wait_for_prompt(&mut self, from: usize) -> String {
        loop {
            let new = String::from_utf8_lossy(&self.out[from..]).into_owned();
            if new.ends_with("> ") {
                return new;
            }
            match self.chunks.recv_timeout(Duration::from_secs(60)) {
                Ok(chunk) => self.out.extend(chunk),
                Err(mpsc::RecvTimeoutError::Disconnected) => return new,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("pace printed no prompt; so far:\n{new}"),
            }
        }
    }

    /// Types a line; returns what pace printed up to its next prompt.
    fn send(&mut self, line: &str) -> String {
        let from = self.out.len();
        let stdin = self.stdin.as_mut().expect("input still open");
        writeln!(stdin, "{line}").expect("write to pace");
        stdin.flush().expect("flush");
        self.wait_for_prompt(from)
    }

    /// Closes the input (end of input) and waits for pace to exit.
    fn close(mut self) -> (String, i32) {
        drop(self.stdin.take());
        let from = self.out.len();
        let rest = self.wait_for_prompt(from);
        let status = self.child.wait().expect("wait");
        assert!(!rest.ends_with("> "), "pace asked again after the input ended:\n{rest}");
        (String::from_utf8_lossy(&self.out).into_owned(), status.code().unwrap_or(-1))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.out).into_owned()
    }
}

/// Runs `pace --plain` over input given all at once, as `printf ... | pace --plain` does.
fn piped(db: &Path, args: &[&str], input: &str, env: &[(&str, &str)]) -> (String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pace"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PACE_MODULES")
        .env_remove("PACE_PLAIN")
        .env("PACE_NOW", NOW)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pace");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("input");
    let out = child.wait_with_output().expect("pace output");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.code().unwrap_or(-1))
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).expect("open").query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// The draw of the learner's newest unfinished attempt, as recorded.
fn open_draw(db: &Path) -> Vec<DrawnQuestion> {
    let draw: String = rusqlite::Connection::open(db)
        .expect("open")
        .query_row("SELECT draw FROM quiz_attempts WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("an open attempt");
    serde_json::from_str(&draw).expect("draw")
}

/// What to type for a drawn question: the right answer, or a wrong one.
fn typed_answer(module: &str, drawn: &DrawnQuestion, right: bool) -> String {
    let catalog = pace::content::embedded();
    let q = catalog.module(module).expect("module").quiz.questions.iter().find(|q| q.id == drawn.question).unwrap();
    let number = |id: &str| (drawn.options.iter().position(|o| o == id).expect("option") + 1).to_string();
    let numbers: Vec<String> = match q.kind {
        QuestionKind::TrueFalse => {
            let truth = if q.answer == Some(true) { "true" } else { "false" };
            let pick = if right {
                truth
            } else if truth == "true" {
                "false"
            } else {
                "true"
            };
            vec![number(pick)]
        }
        QuestionKind::Ordering => {
            let mut order: Vec<String> = q.options.iter().map(|o| number(&o.id)).collect();
            if !right {
                order.reverse();
            }
            order
        }
        _ => {
            let picks: Vec<String> = q.options.iter().filter(|o| o.correct == right).map(|o| number(&o.id)).collect();
            if q.kind == QuestionKind::Multiple { picks } else { picks.into_iter().take(1).collect() }
        }
    };
    numbers.join(" ")
}

/// The number a menu gives the line that contains `label`.
fn number_of(screen: &str, label: &str) -> String {
    let line = screen.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no {label:?} in:\n{screen}"));
    line.split('.').next().expect("number").to_string()
}

/// Signs up through the plain sign-up as a new-hire employee (no email).
fn sign_up(p: &mut Plain, name: &str) -> String {
    p.send(name);
    p.send("4");
    p.send("y");
    // Where they work: Enter takes the first country.
    p.send("");
    p.send("")
}

/// From the main menu to the module's quiz, through the catalog.
fn open_quiz(p: &mut Plain, module_title: &str) -> String {
    let catalog = p.send("2");
    let module = p.send(&number_of(&catalog, module_title));
    p.send(&number_of(&module, "Quiz:"))
}

/// The number of the question on screen ("Question 3 of 6" gives 3).
fn question_number(screen: &str) -> usize {
    screen
        .split("Question ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no question in:\n{screen}"))
}

/// Answers every question of the open quiz; returns the result screen.
fn answer_all(p: &mut Plain, db: &Path, module: &str, screen: String) -> String {
    answer_all_as(p, db, module, screen, true)
}

fn answer_all_as(p: &mut Plain, db: &Path, module: &str, mut screen: String, right: bool) -> String {
    let draw = open_draw(db);
    while !screen.contains("Your score") {
        let n = question_number(&screen);
        let feedback = p.send(&typed_answer(module, &draw[n - 1], right));
        assert!(feedback.contains(if right { "Right." } else { "Not quite." }), "{feedback}");
        screen = p.send("");
    }
    screen
}

/// "lesson N of M" as plain mode names a lesson of the module.
fn lesson_of(module: &str, n: usize) -> String {
    let lessons = pace::content::embedded().module(module).expect("module").lessons.len();
    format!("lesson {n} of {lessons}")
}

fn title(module: &str) -> String {
    pace::content::embedded().module(module).expect("module").title.clone()
}

#[test]
fn the_orientation_path_to_a_passed_quiz_and_a_level_through_pipes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut p = Plain::start(&db, &[]);
    assert!(p.text().contains("Your name (q alone: quit):"), "{}", p.text());
    let home = sign_up(&mut p, "Ana Ruiz");
    assert!(home.contains(&format!("1. Continue: {} of", lesson_of(M101, 1))), "{home}");
    assert_eq!(count(&db, "SELECT count(*) FROM learners WHERE name = 'Ana Ruiz' AND new_hire = 1"), 1);

    // The first lesson, a page at a time, to its end: read, at once.
    let mut page = p.send("1");
    assert!(page.contains(&lesson_of(M101, 1)) && page.contains("Page 1 of"), "{page}");
    while !page.contains("End of the lesson") {
        page = p.send("");
    }
    assert!(page.contains("it is marked as read"), "{page}");
    assert_eq!(count(&db, "SELECT count(*) FROM lesson_progress WHERE completed_at IS NOT NULL"), 1);

    // The quiz, each answer committed as it is given.
    let module = p.send("m");
    assert!(module.contains("1. Lesson: ") && module.contains(" — read"), "{module}");
    let first = p.send(&number_of(&module, "Quiz:"));
    assert!(first.contains("Question 1 of 6"), "{first}");
    let draw = open_draw(&db);
    let feedback = p.send(&typed_answer(M101, &draw[0], true));
    assert!(feedback.contains("Right.") && feedback.contains("Explanation: "), "{feedback}");
    assert_eq!(count(&db, "SELECT count(*) FROM answers WHERE correct = 1"), 1);
    let second = p.send("");
    let result = answer_all(&mut p, &db, M101, second);
    assert!(result.contains("Your score: 6 of 6 right, 100%.") && result.contains("Passed"), "{result}");
    assert!(!result.contains("New level"), "Social Ready needs both orientation modules:\n{result}");

    // The second orientation module, now open, earns Social Ready.
    p.send("3");
    let quiz = open_quiz(&mut p, &title(M201));
    let result = answer_all(&mut p, &db, M201, quiz);
    assert!(result.contains("New level: Social Ready."), "{result}");
    let progress = {
        p.send("3");
        p.send("3")
    };
    assert!(progress.contains("Your level: Social Ready, active until 2027-11-27."), "{progress}");
    let (all, code) = p.close();
    assert_eq!(code, 0);
    assert!(all.ends_with("Goodbye. Your place is saved; start pace again to continue.\n"), "{all}");

    assert_eq!(count(&db, "SELECT count(*) FROM quiz_attempts WHERE passed = 1 AND score = 100"), 2);
    assert_eq!(count(&db, "SELECT count(*) FROM answers"), 12);
    assert_eq!(count(&db, "SELECT count(*) FROM certifications WHERE level_id = 'social-ready'"), 1);
    assert!(!all.as_bytes().contains(&0x1b), "plain mode wrote an ESC byte");
}

#[test]
fn quitting_mid_quiz_resumes_at_the_first_unanswered_question() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    // --learner with a name not recorded yet: the sign-up, name filled in.
    let mut p = Plain::start(&db, &["--learner", "Bo"]);
    assert!(p.text().contains("Your role:"), "{}", p.text());
    p.send("4");
    p.send("n");
    // Enter: the first country; Enter: no email.
    p.send("");
    p.send("");
    let first = open_quiz(&mut p, &title(M101));
    assert!(first.contains("Question 1 of 6"), "{first}");
    let draw = open_draw(&db);
    p.send(&typed_answer(M101, &draw[0], true));
    p.send("");
    p.send(&typed_answer(M101, &draw[1], false));
    let third = p.send("");
    assert!(third.contains("Question 3 of 6"), "{third}");
    let (_, code) = p.close();
    assert_eq!(code, 0);
    assert_eq!(count(&db, "SELECT count(*) FROM answers"), 2);
    assert_eq!(count(&db, "SELECT count(*) FROM locations WHERE attempt_id IS NOT NULL"), 1);

    // A script: Continue, then the input ends.
    let (out, code) = piped(&db, &["--plain", "--learner", "Bo"], "1\n", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1. Continue where you left off: the quiz on"), "{out}");
    assert!(out.contains("You had answered 2 of 6") && out.contains("Question 3 of 6"), "{out}");
    assert!(!out.contains("Question 1 of 6"), "{out}");
    assert_eq!(open_draw(&db), draw, "the same draw");
    assert_eq!(count(&db, "SELECT count(*) FROM quiz_attempts"), 1);
}

#[test]
fn a_lesson_left_in_plain_mode_reopens_in_the_full_screen_trainer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut p = Plain::start(&db, &[]);
    sign_up(&mut p, "Cy");
    let catalog = p.send("2");
    let module = p.send(&number_of(&catalog, &title(M101)));
    let lesson = p.send("3");
    assert!(lesson.contains(&lesson_of(M101, 3)) && lesson.contains("Page 1 of"), "{lesson}");
    let second = p.send("");
    assert!(second.contains("Page 2 of"), "{second}");
    let (_, code) = p.close();
    assert_eq!(code, 0);
    assert!(module.contains("3. Lesson: "), "{module}");
    let scroll = count(&db, "SELECT scroll FROM locations");
    assert!(scroll > 0, "the page is the saved place");

    let app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), Some("Cy"), (120, 40));
    let MainView::Lesson(r) = &app.main else { panic!("back in the reader, got another view") };
    assert_eq!((r.module_id.as_str(), r.lesson), (M101, 2));
    assert_eq!(r.scroll, (scroll as usize).min(r.max_scroll()));
}

#[test]
fn a_lesson_and_a_quiz_left_in_the_full_screen_trainer_continue_in_plain_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), None, (100, 30));
    welcome(&mut app, "Di", false);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Lesson { module: M101.into(), index: 2 });
    for _ in 0..3 {
        press(&mut app, KeyCode::PageDown);
    }
    press(&mut app, KeyCode::Char('q'));
    drop(app);

    let (out, code) = piped(&db, &["--plain", "--learner", "Di"], "1\n", &[]);
    assert_eq!(code, 0, "{out}");
    let third = format!("{} of", lesson_of(M101, 3));
    assert!(out.contains(&format!("1. Continue where you left off: {third}")), "{out}");
    let page = out.split(third.as_str()).last().and_then(|s| s.split("Page ").nth(1)).expect("a page");
    assert!(!page.starts_with("1 of"), "the trainer's place is a later page, not the first: {page}");

    // A half-done quiz in the trainer goes on in plain mode at its next question.
    let mut app = app_with(pace::content::embedded(), Records::open(&db).expect("records"), Some("Di"), (100, 30));
    open_row(&mut app, &Row::Quiz { module: M101.into() });
    answer(&mut app, true);
    press(&mut app, KeyCode::Enter);
    answer(&mut app, true);
    press(&mut app, KeyCode::Char('q'));
    drop(app);
    let (out, code) = piped(&db, &["--plain", "--learner", "Di"], "1\n", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Question 3 of 6") && !out.contains("Question 1 of 6"), "{out}");
}

#[test]
fn plain_mode_is_chosen_by_term_dumb_or_pace_plain_and_writes_no_escape() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    // The end of input at the sign-up records nobody.
    let (out, code) = piped(&db, &[], "", &[("TERM", "dumb")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("pace, plain text mode") && out.contains("Your name (q alone: quit):"), "{out}");
    assert_eq!(count(&db, "SELECT count(*) FROM learners"), 0);
    let (out, code) = piped(&db, &[], "q\n", &[("TERM", "dumb")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("Goodbye. Your place is saved; start pace again to continue.\n"), "{out}");
    assert_eq!(count(&db, "SELECT count(*) FROM learners"), 0, "q at the name quits; it is no one's name");

    let (out, code) = piped(&db, &[], "Zoë\n2\nn\n\n\nq\n", &[("PACE_PLAIN", "1"), ("TERM", "xterm")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Main menu, Zoë."), "{out}");
    let (out, code) = piped(&db, &[], "", &[("PACE_PLAIN", "0"), ("TERM", "xterm")]);
    assert_eq!(code, 2, "no terminal and no plain mode: a usage error\n{out}");
    assert!(out.contains("pace --plain"), "{out}");

    // A name recorded raw by an older pace, and module text, reach the output cleaned.
    let raw = rusqlite::Connection::open(&db).expect("raw");
    let hostile = "Mallory\u{1b}]0;PWNED\u{7}\u{9b}2J";
    raw.execute(
        "UPDATE learners SET name = ?1, name_key = ?2",
        rusqlite::params![hostile, pace::records::name_key(hostile)],
    )
    .expect("raw name");
    drop(raw);
    // The picker, Mallory, a page of a lesson, progress, the catalog, quit.
    let (out, code) = piped(&db, &["--plain"], "\n1\n1\n\n\nm\nb\nb\n3\n\n2\n\nq\n", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1. Mallory2J, Center of Excellence"), "{out}");
    assert!(out.contains("Progress of Mallory2J"), "{out}");
    let bad: Vec<char> = out.chars().filter(|c| c.is_control() && *c != '\n').collect();
    assert!(bad.is_empty(), "control characters in plain output: {bad:?}");
}

/// The export's rows without what differs between two people and two
/// draws: (event, module, item, correct, score), answers by question kind.
fn events(db: &Path) -> Vec<String> {
    let run = run_pace(db, NOW, &["export", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (event, module, item, correct, score) =
        (col("event"), col("module"), col("item"), col("correct"), col("score"));
    let mut rows: Vec<String> = reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            let item = if r[event].contains("answer") { "a question" } else { &r[item] };
            format!("{} {} {item} {} {}", &r[event], &r[module], &r[correct], &r[score])
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn plain_mode_records_what_the_full_screen_trainer_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tui_db, plain_db) = (dir.path().join("tui.sqlite3"), dir.path().join("plain.sqlite3"));
    let mut app = app_with(pace::content::embedded(), Records::open(&tui_db).expect("records"), None, (100, 30));
    welcome(&mut app, "Ana", true);
    expand(&mut app, M101);
    open_row(&mut app, &Row::Lesson { module: M101.into(), index: 0 });
    read_to_end(&mut app);
    open_row(&mut app, &Row::Quiz { module: M101.into() });
    finish_quiz(&mut app, true);
    press(&mut app, KeyCode::Char('q'));
    drop(app);

    let mut p = Plain::start(&plain_db, &[]);
    sign_up(&mut p, "Ana");
    let mut page = p.send("1");
    while !page.contains("End of the lesson") {
        page = p.send("");
    }
    let module = p.send("m");
    let quiz = p.send(&number_of(&module, "Quiz:"));
    answer_all(&mut p, &plain_db, M101, quiz);
    p.close();

    let tui = events(&tui_db);
    assert_eq!(tui.len(), 1 + 6 + 1, "a lesson, six answers, a pass: {tui:?}");
    assert_eq!(events(&plain_db), tui);
    for table in ["learners", "lesson_progress", "quiz_attempts", "answers", "review_items", "certifications"] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(count(&plain_db, &sql), count(&tui_db, &sql), "rows in {table}");
    }
}

#[test]
fn a_failed_quiz_is_retaken_and_its_missed_questions_come_back_for_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut p = Plain::start(&db, &[]);
    sign_up(&mut p, "Eli");
    let quiz = open_quiz(&mut p, &title(M101));
    let result = answer_all_as(&mut p, &db, M101, quiz, false);
    assert!(result.contains("Your score: 0 of 6 right, 0%.") && result.contains("Not passed yet"), "{result}");
    assert!(result.contains("Worth revisiting: lesson "), "{result}");
    let retake = p.send("1");
    assert!(retake.contains("Question 1 of 6"), "a new draw: {retake}");
    assert_eq!(count(&db, "SELECT count(*) FROM quiz_attempts"), 2);
    p.close();
    let missed = count(&db, "SELECT count(*) FROM review_items");
    assert_eq!(missed, 6);

    // A week on, the missed questions are due; answered right in a review.
    // What a learner in the first country (the US) sees, contacts filled in.
    let catalog = pace::content::embedded().for_country("us").expect("the US is listed");
    let mut p = Plain::start_at(&db, &["--learner", "Eli"], "2026-12-04T09:00:00Z");
    let home = p.send("");
    assert!(home.contains("4. Review missed questions: 6 due now"), "{home}");
    let mut screen = p.send("4");
    assert!(screen.contains("Review: 6 question(s) you missed before"), "{screen}");
    let mut answered = 0;
    while !screen.contains("Reviewed") {
        let n = question_number(&screen);
        let question = screen.split(&format!("Question {n} of 6, from \"")).nth(1).expect("from");
        let module = catalog.modules.iter().find(|m| question.starts_with(&format!("{}\"", m.title))).expect("module");
        let fill = |t: &str| pace::content::placeholder::fill(t, &catalog.organisation);
        // Words only, so wrapping and Markdown marks do not matter: the
        // screen holds the whole prompt (scenarios may share an opening).
        let words = |t: &str| -> String {
            let kept: String = t.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
            kept.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let on_screen = words(&screen);
        let q = module
            .quiz
            .questions
            .iter()
            .find(|q| {
                let scenario = q.scenario.as_ref().map(|t| t.as_str()).unwrap_or_default();
                on_screen.contains(&words(&fill(&format!("{scenario} {}", q.prompt.as_str()))))
            })
            .expect("the question shown");
        // The options as numbered on screen: "2. text".
        let numbered: Vec<&str> = screen
            .lines()
            .filter_map(|l| l.split_once(". ").filter(|(n, _)| n.parse::<usize>().is_ok()).map(|(_, t)| t))
            .collect();
        let shown: Vec<String> = match q.kind {
            QuestionKind::TrueFalse => vec!["true".into(), "false".into()],
            _ => numbered
                .iter()
                .map(|t| {
                    // A long option wraps: its first line starts it.
                    let first = words(t);
                    q.options
                        .iter()
                        .find(|o| words(&fill(&o.text)).starts_with(&first))
                        .unwrap_or_else(|| panic!("option {t:?} not in {}:\n{screen}", q.id))
                        .id
                        .clone()
                })
                .collect(),
        };
        let drawn = DrawnQuestion { question: q.id.clone(), options: shown };
        let feedback = p.send(&typed_answer(&module.id, &drawn, true));
        assert!(feedback.contains("Right."), "{feedback}");
        answered += 1;
        screen = p.send("");
    }
    assert_eq!(answered, 6);
    assert!(screen.contains("Reviewed 6: 6 right."), "{screen}");
    p.close();
    assert_eq!(count(&db, "SELECT count(*) FROM answers WHERE attempt_id IS NULL AND correct = 1"), 6);
}

/// Sign-up asks where the learner works (Enter: the first country), and
/// the main menu's `w` moves them, saved at once.
#[test]
fn the_country_is_asked_at_sign_up_and_changed_from_the_main_menu() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut p = Plain::start(&db, &["--learner", "Lena Vogt"]);
    p.send("4");
    let asked = p.send("n");
    assert!(asked.contains("Where do you work?") && asked.contains("3. Germany"), "{asked}");
    assert!(asked.contains("Enter alone: United States"), "{asked}");
    p.send("");
    let home = p.send("");
    assert!(home.contains("w. Where you work: United States"), "{home}");
    assert_eq!(count(&db, "SELECT count(*) FROM learners WHERE country = 'us'"), 1);
    p.send("w");
    let home = p.send("3");
    assert!(home.contains("w. Where you work: Germany"), "{home}");
    assert_eq!(count(&db, "SELECT count(*) FROM learners WHERE country = 'de'"), 1);
    p.send("q");
    let (_, code) = p.close();
    assert_eq!(code, 0);
}
