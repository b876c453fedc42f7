//! `pace validate` and `--modules` on files that are not what they seem: a
//! FIFO, a device, a socket, a symlink loop, a file that cannot be read, a
//! file name holding an escape sequence. Nothing hangs, nothing fills
//! memory, each is named in words, and the other modules still load.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

use std::io::Read;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long pace may take before it counts as hung: long, because the wait
/// ends as soon as pace does, and a busy machine may be slow.
const PATIENCE: Duration = Duration::from_secs(60);

const SAMPLE: &str = "tests/fixtures/sample/sample-101-first-steps.json";

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs pace, killing it (and failing) if it has not finished in a minute:
/// a hang is the bug some of these tests are about. pace has finished when
/// both its output pipes are closed (each is read to its end on a thread).
fn pace(args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pace"))
        .args(args)
        .env_remove("PACE_MODULES")
        .env_remove("PACE_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pace");
    let stdout = read_to_end(child.stdout.take().expect("stdout"));
    let stderr = read_to_end(child.stderr.take().expect("stderr"));
    let deadline = Instant::now() + PATIENCE;
    let within = |pipe: &mpsc::Receiver<Vec<u8>>| pipe.recv_timeout(deadline.saturating_duration_since(Instant::now()));
    let (Ok(stdout), Ok(stderr)) = (within(&stdout), within(&stderr)) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("pace {args:?} did not finish in {PATIENCE:?}");
    };
    let status = child.wait().expect("wait");
    Run {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        code: status.code().unwrap_or(-1),
    }
}

/// Everything `pipe` gives until it closes, sent when it has.
fn read_to_end(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = pipe.read_to_end(&mut all);
        let _ = tx.send(all);
    });
    rx
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo failed");
}

fn folder_with_sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(SAMPLE, dir.path().join("a.json")).expect("copy");
    dir
}

#[test]
fn a_fifo_named_on_the_command_line_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo.json");
    mkfifo(&fifo);
    let run = pace(&["validate", &fifo.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("fifo.json:1:1: error: not a regular file but a FIFO (named pipe); skipped"),
        "{}",
        run.stdout
    );
}

#[test]
fn dev_zero_is_refused_without_reading_it() {
    let run = pace(&["validate", "/dev/zero"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("/dev/zero:1:1: error: not a regular file but a device; skipped"), "{}", run.stdout);
}

#[test]
fn a_link_to_dev_zero_in_a_folder_is_passed_over_with_a_warning() {
    let dir = folder_with_sample();
    symlink("/dev/zero", dir.path().join("zero.json")).expect("symlink");
    let run = pace(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("zero.json:1:1: warning: not a regular file but a device; skipped"), "{}", run.stdout);
    assert!(run.stdout.ends_with("1 module loaded, 0 errors, 1 warning\n"), "{}", run.stdout);
}

#[test]
fn fifos_sockets_and_symlink_loops_in_a_folder_are_skipped_with_a_warning() {
    let dir = folder_with_sample();
    mkfifo(&dir.path().join("b-fifo.json"));
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("c-socket.json")).expect("socket");
    symlink("d-loop.json", dir.path().join("d-loop.json")).expect("symlink");
    let run = pace(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stdout);
    for (file, what) in [
        ("b-fifo.json", "not a regular file but a FIFO (named pipe); skipped"),
        ("c-socket.json", "not a regular file but a socket; skipped"),
        ("d-loop.json", "symbolic link loop: the link leads back to itself; skipped"),
    ] {
        assert!(run.stdout.contains(&format!("{file}:1:1: warning: {what}")), "{file}: {}", run.stdout);
    }
    assert!(run.stdout.ends_with("1 module loaded, 0 errors, 3 warnings\n"), "{}", run.stdout);
}

#[test]
fn a_symlink_loop_named_on_the_command_line_is_not_no_such_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("loop.json");
    symlink("loop.json", &link).expect("symlink");
    let run = pace(&["validate", &link.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("no such file"), "{}", run.stderr);
    assert!(run.stdout.contains("loop.json:1:1: error: symbolic link loop"), "{}", run.stdout);
}

/// Root reads any file whatever its mode, and tests run as root here: a
/// file whose read fails at the system call (/proc/self/mem at offset 0)
/// stands for any unreadable file.
#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_file_is_reported_and_the_others_still_load() {
    let dir = folder_with_sample();
    symlink("/proc/self/mem", dir.path().join("b-unreadable.json")).expect("symlink");
    let run = pace(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("b-unreadable.json:1:1: error: cannot read the file: "), "{}", run.stdout);
    assert!(run.stdout.ends_with("1 module loaded, 1 error, 0 warnings\n"), "{}", run.stdout);

    // The trainer's --modules loads the rest the same way (progress needs
    // a records file; the curriculum is loaded first, so a missing one is
    // reported after the modules loaded).
    let run = pace(&["--modules", &dir.path().to_string_lossy(), "--db", "/nonexistent/pace.sqlite3", "progress"]);
    assert!(run.stderr.contains("no records file at"), "{}", run.stderr);
}

/// A file the user may not read. As root (CI) permissions do not apply,
/// so pace runs as `nobody` through setpriv.
#[cfg(target_os = "linux")]
#[test]
fn a_file_without_read_permission_is_reported_and_the_others_still_load() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_with_sample();
    let locked = dir.path().join("b-locked.json");
    std::fs::copy(SAMPLE, &locked).expect("copy");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod dir");
    std::fs::set_permissions(dir.path().join("a.json"), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let folder = dir.path().to_string_lossy().into_owned();
    let root = std::fs::read(&locked).is_ok();
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups", env!("CARGO_BIN_EXE_pace")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_pace"))
    };
    let out = command.args(["validate", &folder]).env_remove("PACE_MODULES").output().expect("run pace");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("b-locked.json:1:1: error: permission denied: pace may not read this file; skipped"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.ends_with("1 module loaded, 1 error, 0 warnings\n"), "{stdout}");
}

#[test]
fn a_file_name_with_an_escape_sequence_is_shown_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "mem\u{1b}]0;PWNED\u{7}\u{9b}2J.json";
    std::fs::write(dir.path().join(name), "{ not json").expect("write");
    let run = pace(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("mem\\u{1b}]0;PWNED\\u{7}\\u{9b}2J.json:1:3: error:"), "{}", run.stdout);
    for (what, out) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!out.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{what} carries a control character: {out:?}");
    }
    let missing = dir.path().join("gone\u{1b}[2J.json");
    let run = pace(&["validate", &missing.to_string_lossy()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("gone\\u{1b}[2J.json: no such file or folder"), "{}", run.stderr);
}

#[test]
fn json_output_writes_c1_controls_as_escapes_and_stays_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = std::fs::read_to_string(SAMPLE).expect("sample");
    let hostile = sample.replace("\"id\": \"sample-101-first-steps\"", "\"id\": \"c1\\u0085\\u009b2J-\\u007f\"");
    std::fs::write(dir.path().join("c1.json"), hostile).expect("write");
    let run = pace(&["validate", &dir.path().to_string_lossy(), "--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains(|c: char| c.is_control() && c != '\n'), "{:?}", run.stdout);
    assert!(run.stdout.contains(r#"c1\u0085\u009b2J-\u007f"#), "{}", run.stdout);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let message = value["problems"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("c1\u{85}\u{9b}2J-\u{7f}"), "the value as written: {message:?}");
}
