//! Command-line conventions: each subcommand's help lists its own options,
//! old command lines keep working, shell completions and the man page, and
//! text output that fits an 80-column terminal (in a pseudo-terminal).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read;
use std::process::{Command, Output};

use clap::CommandFactory;
use pace::content::Audience;
use pace::records::Records;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use unicode_width::UnicodeWidthStr;

fn pace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(args)
        .env_remove("PACE_MODULES")
        .env_remove("PACE_DB")
        .env("PACE_NOW", "2026-11-28T09:00:00Z")
        .output()
        .expect("run pace")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The long option names a help text lists.
fn options(help: &str) -> Vec<String> {
    help.split_whitespace()
        .filter_map(|w| w.strip_prefix("--"))
        .map(|w| w.trim_end_matches([',', '.']).split(['=', '<', ' ']).next().unwrap_or_default().to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn each_subcommand_help_lists_only_its_own_options() {
    let cases: [(&[&str], &[&str], &[&str]); 9] = [
        (&["schema"], &["kind"], &["theme", "learner", "db", "modules"]),
        (&["validate"], &["format", "modules"], &["theme", "learner", "db"]),
        (&["preview"], &["watch", "theme"], &["learner", "db"]),
        (&["progress"], &["format", "db", "modules", "learner"], &["theme"]),
        (&["report"], &["format", "excel", "db", "learner"], &["theme"]),
        (&["export"], &["format", "excel", "since", "db", "learner"], &["theme"]),
        (&["sync"], &["lrs", "dry-run", "batch", "db", "learner"], &["theme"]),
        (&["notes", "import"], &["db", "learner"], &["theme"]),
        (&["completions"], &[], &["theme", "learner", "db", "modules"]),
    ];
    for (command, present, absent) in cases {
        let run = pace(&[command, &["--help"]].concat());
        assert_eq!(run.status.code(), Some(0));
        let listed = options(&stdout(&run));
        for want in present {
            assert!(listed.iter().any(|o| o == want), "pace {command:?} --help lacks --{want}: {listed:?}");
        }
        for unwanted in absent {
            assert!(!listed.iter().any(|o| o == unwanted), "pace {command:?} --help shows --{unwanted}: {listed:?}");
        }
    }
    let top = options(&stdout(&pace(&["--help"])));
    for want in ["db", "modules", "learner", "theme"] {
        assert!(top.iter().any(|o| o == want), "pace --help lacks --{want}");
    }
}

#[test]
fn options_work_before_or_after_the_subcommand_and_beat_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = Records::open(&db).expect("records");
    records
        .add_learner(&pace::records::NewLearner::named("Ana Ruiz", Audience::Employee, true), common::t0())
        .expect("ana");
    records
        .add_learner(&pace::records::NewLearner::named("Ben Okafor", Audience::Partner, false), common::t0())
        .expect("ben");
    drop(records);
    let db = db.to_str().expect("utf-8");
    let before = pace(&["--db", db, "--learner", "Ben Okafor", "progress"]);
    let after = pace(&["progress", "--db", db, "--learner", "Ben Okafor"]);
    let mixed = pace(&["--db", db, "progress", "--learner", "Ben Okafor"]);
    assert_eq!(before.status.code(), Some(0), "{}", String::from_utf8_lossy(&before.stderr));
    assert!(stdout(&before).starts_with("Ben Okafor (Partner"), "{}", stdout(&before));
    assert_eq!(stdout(&before), stdout(&after));
    assert_eq!(stdout(&before), stdout(&mixed));
    // After the subcommand, the flag wins over the one before it.
    let later = pace(&["--learner", "Ana Ruiz", "progress", "--db", db, "--learner", "Ben Okafor"]);
    assert_eq!(stdout(&later), stdout(&before));

    // A flag beats PACE_DB wherever it stands.
    let elsewhere = dir.path().join("missing.sqlite3");
    for args in
        [&["--db", db, "progress", "--learner", "Ana Ruiz"][..], &["progress", "--db", db, "--learner", "Ana Ruiz"]]
    {
        let run = Command::new(env!("CARGO_BIN_EXE_pace"))
            .args(args)
            .env("PACE_DB", &elsewhere)
            .env_remove("PACE_MODULES")
            .output()
            .expect("run");
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&run.stderr));
    }
    // And PACE_DB alone still names the file.
    let run = Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(["report", "--format", "json"])
        .env("PACE_DB", db)
        .env_remove("PACE_MODULES")
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout(&run).contains("Ben Okafor"));
}

fn subcommands() -> Vec<String> {
    pace::cli::Cli::command().get_subcommands().map(|c| c.get_name().to_string()).collect()
}

#[test]
fn the_bash_completion_names_every_subcommand_and_every_shell_gets_a_script() {
    let bash = pace(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let script = stdout(&bash);
    assert!(script.len() > 1000, "a real script: {script}");
    let names = subcommands();
    assert!(names.len() >= 11, "{names:?}");
    for name in &names {
        assert!(script.contains(&format!("pace,{name})")), "bash completion lacks {name}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = pace(&["completions", shell]);
        assert_eq!(run.status.code(), Some(0), "{shell}");
        let script = stdout(&run);
        assert!(script.contains("pace") && script.contains("validate") && script.contains("dry-run"), "{shell}");
    }
    assert_eq!(pace(&["completions", "tcsh"]).status.code(), Some(2));
    if let Ok(bash_path) = which("bash") {
        // The script parses: bash -n reads it without running it.
        let file = tempfile::NamedTempFile::new().expect("temp");
        std::fs::write(file.path(), &script).expect("write");
        let check = Command::new(bash_path).arg("-n").arg(file.path()).output().expect("bash -n");
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    }
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| p.is_file()).ok_or(())
}

#[test]
fn the_man_page_renders_with_man() {
    let run = pace(&["man"]);
    assert_eq!(run.status.code(), Some(0));
    let roff = stdout(&run);
    assert!(roff.starts_with(".ie") || roff.contains(".TH pace"), "roff: {}", &roff[..roff.len().min(200)]);
    let Ok(man) = which("man") else {
        eprintln!("skipped: `man` is not installed (apt-get install man-db); the roff was generated");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("pace.1");
    std::fs::write(&page, &roff).expect("write");
    let shown = Command::new(man)
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .expect("man -l");
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "man -l failed: {}", String::from_utf8_lossy(&shown.stderr));
    assert!(text.contains("NAME") && text.contains("SYNOPSIS"), "{text}");
    for name in subcommands() {
        assert!(text.contains(&format!("pace-{name}")), "the page lists {name}: {text}");
    }

    // Pages for packagers: pace.1 and one per command.
    let out = tempfile::tempdir().expect("tempdir");
    let run = pace(&["man", "--out-dir", out.path().to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(out.path().join("pace.1").is_file());
    assert!(out.path().join("pace-report.1").is_file());
}

#[test]
fn man_out_dir_creates_the_folder_and_its_parents() {
    let home = tempfile::tempdir().expect("tempdir");
    // As in a fresh home folder: neither share/ nor anything under it exists.
    let dir = home.path().join("share/man/man1");
    let run = pace(&["man", "--out-dir", dir.to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(dir.join("pace.1").is_file() && dir.join("pace-report.1").is_file());
    // Again into the folder that now exists.
    assert_eq!(pace(&["man", "--out-dir", dir.to_str().expect("utf-8")]).status.code(), Some(0));

    // A file where a folder should be: said in words, with what to do.
    let file = home.path().join("notes.txt");
    std::fs::write(&file, "not a folder").expect("write");
    let run = pace(&["man", "--out-dir", file.to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is a file, not a folder; name a folder"));
    let below = file.join("man1");
    let run = pace(&["man", "--out-dir", below.to_str().expect("utf-8")]);
    let message = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{message}");
    assert!(message.contains("cannot create the folder") && message.contains("name a folder"), "{message}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "not a folder");
}

/// Runs pace in a pseudo-terminal `cols` wide; returns the lines it printed
/// and whether the terminal had to wrap any of them.
fn in_terminal(cols: u16, args: &[&str]) -> (Vec<String>, bool) {
    let rows = 200;
    let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pace"));
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("PACE_NOW", "2026-11-28T09:00:00Z");
    cmd.env_remove("PACE_MODULES");
    cmd.env_remove("PACE_DB");
    cmd.env_remove("COLUMNS");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn pace");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(all);
    });
    assert!(common::pty::wait_within(child.as_mut()).is_some(), "pace {args:?} did not finish");
    drop(pair.master);
    let raw = rx.recv_timeout(common::pty::PATIENCE).expect("everything pace wrote to the terminal");
    let mut screen = vt100::Parser::new(rows, cols, 0);
    screen.process(&raw);
    let wrapped = (0..rows).any(|r| screen.screen().row_wrapped(r));
    let text = String::from_utf8_lossy(&raw).replace('\r', "");
    (text.lines().map(str::to_string).collect(), wrapped)
}

#[test]
fn report_and_progress_fit_an_80_column_terminal() {
    let (_dir, db, _h) = common::history::recorded();
    {
        // A long name and the top level's long title make the natural table wider than 80.
        let mut records = Records::open(&db).expect("records");
        let catalog = pace::content::embedded();
        let long = records
            .add_learner(
                &pace::records::NewLearner::named(
                    "Maximiliana Alexandrina von Hohenzollern-Sigmaringen",
                    Audience::Partner,
                    true,
                ),
                common::t0(),
            )
            .expect("add");
        let mut tick = common::history::Tick(common::t0());
        for level in &catalog.curriculum.ladder.levels {
            for module in &level.requires.modules {
                common::history::attempt(&mut records, &catalog, long.id, module, true, true, &mut tick);
            }
        }
        common::history::grant_earned(&mut records, &catalog, long.id, tick.next());
    }
    let db = db.to_str().expect("utf-8");
    let piped = stdout(&pace(&["--db", db, "report"]));
    assert!(piped.lines().any(|l| l.width() > 80), "the piped table is wider than 80:\n{piped}");
    assert!(piped.lines().all(|l| l.width() <= 100), "and within 100:\n{piped}");

    let (report, wrapped) = in_terminal(80, &["--db", db, "report"]);
    assert!(!wrapped, "no report line wraps:\n{}", report.join("\n"));
    assert!(report.iter().all(|l| l.width() <= 80), "{}", report.join("\n"));
    assert!(report.iter().any(|l| l.starts_with("Maximili") && l.contains('…')), "{}", report.join("\n"));
    assert!(report[0].contains("Last active"), "every column is still there: {}", report[0]);

    let learner = "Maximiliana Alexandrina von Hohenzollern-Sigmaringen";
    let (progress, wrapped) = in_terminal(80, &["--db", db, "progress", "--learner", learner]);
    assert!(!wrapped, "no progress line wraps:\n{}", progress.join("\n"));
    assert!(progress.iter().all(|l| l.width() <= 80), "{}", progress.join("\n"));
    assert!(progress.iter().any(|l| l.starts_with("Partners, resellers and franchisees")), "{}", progress.join("\n"));

    let (narrow, wrapped) = in_terminal(50, &["--db", db, "report"]);
    assert!(!wrapped && narrow.iter().all(|l| l.width() <= 50), "{}", narrow.join("\n"));
}

#[test]
fn a_failed_write_to_standard_output_is_an_error_not_a_success() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = Command::new(env!("CARGO_BIN_EXE_pace")).arg("schema").stdout(full).output().expect("run pace");
    assert_eq!(out.status.code(), Some(1), "a full disk is not success");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to standard output"));
    // A closed pipe is the reader's choice, not a failure.
    let mut child = Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(["schema"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    assert_eq!(child.wait().expect("wait").code(), Some(0));
}

#[test]
fn certificate_and_notes_files_are_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    {
        let mut r = Records::open(&db).expect("records");
        let ana = r
            .add_learner(&pace::records::NewLearner::named("Ana", Audience::Employee, false), common::t0())
            .expect("ana");
        r.save_note(ana.id, "employee-101-social-media-at-work", "welcome", "A note.", common::t0()).expect("note");
    }
    // A target that cannot be written leaves nothing behind, not half a file.
    let target = dir.path().join("no-such-folder").join("notes.md");
    let out = pace(&["notes", "export", "--db", db.to_str().expect("utf-8"), "--out", target.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!target.exists());
    let good = dir.path().join("notes.md");
    let out = pace(&["notes", "export", "--db", db.to_str().expect("utf-8"), "--out", good.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&good).expect("notes").contains("A note."));
    assert!(!dir.path().join("notes.md.partial").exists());
}
