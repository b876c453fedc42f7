//! The trainer's start-up on two cores. From the moment `pace` starts until
//! its first screen a learner waits, and the longest part of that wait is
//! opening the records file (SQLite reads and parses its schema and sets up
//! the write-ahead log's index). So when the command line looks like the
//! trainer's, a second thread opens the file the command line names while
//! the first parses the arguments with clap, reads the curriculum's outline
//! and makes the terminal's frame buffers. The second thread is asked to
//! run on another processor (`elsewhere`): left to itself it would wait for
//! the first.
//!
//! The second thread only opens a file that opening leaves as it was (pace's
//! own, at the latest version, in write-ahead-log mode: `Records::open_current`);
//! any other file is opened, created or upgraded after the arguments are
//! parsed, as before. Guessing wrong costs only that thread's work: the
//! trainer uses the file only if clap names the same one, any other command
//! never waits on it, and it ends with the process.
//!
//! Before either, `process` stands in for Rust's own start-up of a program.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use crate::records::{self, Records};

/// Runs `main` as the whole process, in place of Rust's start-up (the
/// binary is `#![no_main]`). Rust's start-up also finds the main thread's
/// stack guard, which glibc does by reading /proc/self/maps, and sets up a
/// handler to name a stack overflow: about 0.2 ms before `main`, a tenth
/// of the time to pace's first screen. What pace relies on is kept:
/// - standard input, output and error are open (on /dev/null if they were
///   closed), so no file pace opens later can become one of them and take
///   what is printed;
/// - SIGPIPE is ignored, so a closed pipe is an error pace reports rather
///   than a silent end (`pace report | head`);
/// - a panic ends the process with status 101, after the panic hook (the
///   trainer's restores the terminal) has said what happened;
/// - standard output is flushed before the process ends.
pub(super) fn process(main: impl FnOnce() -> u8 + std::panic::UnwindSafe) -> i32 {
    standard_streams_open();
    // SAFETY: setting a signal's disposition to "ignore" has no handler to
    // run and no memory to share.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let status = std::panic::catch_unwind(main).unwrap_or(101);
    let _ = std::io::stdout().flush();
    i32::from(status)
}

/// Opens /dev/null in place of any of descriptors 0, 1 and 2 that is closed,
/// as Rust's start-up does.
fn standard_streams_open() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd { fd, events: 0, revents: 0 });
    // SAFETY: `poll` reads and writes the three entries of `fds`; `open` is
    // given a NUL-terminated path. The lowest free descriptor is the one
    // found closed, as they are reopened in order.
    unsafe {
        if libc::poll(fds.as_mut_ptr(), 3, 0) < 0 {
            return;
        }
        for fd in fds {
            if fd.revents & libc::POLLNVAL != 0 {
                libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            }
        }
    }
}

/// The second thread, when one was started: the records file it opened, and where.
pub struct Early(Option<JoinHandle<Option<(PathBuf, Records)>>>);

/// Words after which `pace` does not start the trainer on the shipped
/// curriculum: its commands (a test keeps them in step with clap's) and
/// the options that change the front end or the curriculum.
pub(crate) const NOT_THE_TRAINER: &[&str] = &[
    "validate",
    "schema",
    "preview",
    "progress",
    "certificate",
    "notes",
    "report",
    "export",
    "sync",
    "doctor",
    "completions",
    "man",
    "help",
    "--modules",
    "--plain",
    "--help",
    "-h",
    "--version",
    "-V",
];

impl Early {
    /// Starts the second thread if the arguments and the environment look
    /// like the full-screen trainer on the shipped curriculum.
    pub fn start(args: &[OsString]) -> Early {
        match looks_like_the_trainer(args) {
            true => Early::opening(db_argument(args)),
            false => Early::none(),
        }
    }

    /// Starts the second thread on the records file `--db` gave, else the
    /// one PACE_DB names, else the default one.
    fn opening(given: Option<PathBuf>) -> Early {
        let thread = std::thread::spawn(move || {
            let path = given.or_else(|| std::env::var_os("PACE_DB").filter(|v| !v.is_empty()).map(PathBuf::from));
            let path = path.or_else(records::default_path)?;
            Records::open_current(&path).map(|records| (path, records))
        });
        elsewhere(&thread);
        Early(Some(thread))
    }

    /// No second thread: the trainer opens the records file itself.
    pub fn none() -> Early {
        Early(None)
    }

    /// The records file at `path`, if the second thread opened that one.
    pub(super) fn records(&mut self, path: &Path) -> Option<Records> {
        let (opened, records) = self.0.take()?.join().ok()??;
        (opened == path).then_some(records)
    }
}

/// The value of `--db` (the last one), read before clap reads the arguments.
fn db_argument(args: &[OsString]) -> Option<PathBuf> {
    let mut given = None;
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        } else if arg == "--db" {
            given = args.next().map(PathBuf::from);
        } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--db=")) {
            given = Some(PathBuf::from(value));
        }
    }
    given
}

fn looks_like_the_trainer(args: &[OsString]) -> bool {
    let env_says_otherwise = ["PACE_MODULES", "PACE_PLAIN"].iter().any(|v| std::env::var_os(v).is_some())
        || std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let args_say_otherwise = args.iter().skip(1).any(|arg| {
        let arg = arg.to_string_lossy();
        let name = arg.split_once('=').map_or(&*arg, |(name, _)| name);
        NOT_THE_TRAINER.contains(&name)
    });
    !env_says_otherwise && !args_say_otherwise && std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Asks for `thread` to run on a processor other than this one. Linux keeps
/// a new thread on its parent's processor, where it waits until the parent
/// blocks (about half a millisecond on a two-core virtual machine) unless
/// told otherwise; the work is short and done by the first frame.
#[cfg(target_os = "linux")]
fn elsewhere<T>(thread: &JoinHandle<T>) {
    use std::os::unix::thread::JoinHandleExt;
    // SAFETY: the set is a zeroed cpu_set_t filled by the libc macros, and
    // the thread handle is alive for the call; a failure leaves the
    // thread where the scheduler put it.
    unsafe {
        let here = libc::sched_getcpu();
        let mut allowed: libc::cpu_set_t = std::mem::zeroed();
        if here < 0 || libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut allowed) != 0 {
            return;
        }
        libc::CPU_CLR(here as usize, &mut allowed);
        if libc::CPU_COUNT(&allowed) > 0 {
            libc::pthread_setaffinity_np(thread.as_pthread_t(), std::mem::size_of::<libc::cpu_set_t>(), &allowed);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn elsewhere<T>(_thread: &JoinHandle<T>) {}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::path::PathBuf;

    use clap::CommandFactory;

    use super::{Early, NOT_THE_TRAINER, db_argument};

    /// The process's exit status, as Rust's own start-up gives it.
    #[test]
    fn the_status_is_mains_or_101_after_a_panic() {
        assert_eq!(super::process(|| 2), 2);
        assert_eq!(super::process(|| panic!("a bug")), 101);
    }

    #[test]
    fn the_records_file_is_read_from_the_arguments_as_clap_reads_it() {
        let db = |args: &[&str]| db_argument(&args.iter().map(OsString::from).collect::<Vec<_>>());
        assert_eq!(db(&["pace", "--db", "a.db", "--learner", "Ana"]), Some(PathBuf::from("a.db")));
        assert_eq!(db(&["pace", "--learner", "Ana", "--db=b.db"]), Some(PathBuf::from("b.db")));
        assert_eq!(db(&["pace", "--db", "a.db", "--db", "c.db"]), Some(PathBuf::from("c.db")), "the last one");
        assert_eq!(db(&["pace", "--learner", "Ana"]), None);
        assert_eq!(db(&["pace", "--", "--db", "a.db"]), None, "after -- nothing is an option");
    }

    /// The trainer uses the file the second thread opened only if clap names
    /// the same one; a file that opening would change is left to the trainer.
    #[test]
    fn the_file_opened_ahead_is_used_only_when_it_is_the_one_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let (db, other) = (dir.path().join("pace.sqlite3"), dir.path().join("other.sqlite3"));
        drop(crate::records::Records::open(&db).unwrap());
        assert!(Early::opening(Some(db.clone())).records(&db).is_some());
        assert!(Early::opening(Some(db.clone())).records(&other).is_none());
        assert!(Early::opening(Some(other.clone())).records(&other).is_none(), "no file there");
        assert!(!other.exists(), "and none made");
        assert!(Early::none().records(&db).is_none());
    }

    /// Every command pace has is one after which the second thread is not
    /// started: a new command that forgot this would only start it in vain.
    #[test]
    fn every_command_is_known_not_to_be_the_trainer() {
        let cli = crate::cli::Cli::command();
        let mut commands: Vec<String> = cli.get_subcommands().map(|c| c.get_name().to_string()).collect();
        commands.push("help".into());
        for command in &commands {
            assert!(NOT_THE_TRAINER.contains(&command.as_str()), "{command} is missing from NOT_THE_TRAINER");
        }
        let options = NOT_THE_TRAINER.iter().filter(|w| w.starts_with('-'));
        assert_eq!(NOT_THE_TRAINER.len(), commands.len() + options.count(), "a word there is no command");
    }
}
