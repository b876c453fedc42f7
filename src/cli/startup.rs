//! The trainer's start-up on two cores. From the moment `pace` starts until
//! its first screen a learner waits, and two parts of that wait depend on
//! nothing the command line says: the shipped curriculum's outline and the
//! terminal's frame buffers (two screens of cells, most of the cost of
//! setting up the terminal). So when the command line looks like the
//! trainer's, a second thread makes both while the first parses the
//! arguments and opens the records file. It is asked to run on another
//! processor (`elsewhere`): left to itself it would wait for the first.
//!
//! Guessing wrong costs only that thread's work: any other command never
//! waits on it, and it ends with the process.

use std::io::IsTerminal;
use std::thread::JoinHandle;

use crate::content::{self, Catalog};
use crate::tui::Prepared;

/// What the first screen needs that the command line does not decide.
pub(super) struct Ahead {
    /// The terminal's size.
    pub size: (u16, u16),
    /// The shipped curriculum's outline (None if it does not read).
    pub outline: Option<Catalog>,
    pub terminal: std::io::Result<Prepared>,
}

impl Ahead {
    pub fn make() -> Ahead {
        let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
        Ahead { size, outline: content::shipped_outline(), terminal: Prepared::new(size) }
    }
}

/// The second thread, when one was started.
pub struct Early(Option<JoinHandle<Ahead>>);

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
    pub fn start() -> Early {
        Early(looks_like_the_trainer().then(|| {
            let thread = std::thread::spawn(Ahead::make);
            elsewhere(&thread);
            thread
        }))
    }

    /// No second thread: the trainer makes what it needs itself.
    pub fn none() -> Early {
        Early(None)
    }

    /// What the second thread made, or the same made now.
    pub(super) fn ahead(&mut self) -> Ahead {
        self.0.take().and_then(|thread| thread.join().ok()).unwrap_or_else(Ahead::make)
    }
}

fn looks_like_the_trainer() -> bool {
    let env_says_otherwise = ["PACE_MODULES", "PACE_PLAIN"].iter().any(|v| std::env::var_os(v).is_some())
        || std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let args_say_otherwise = std::env::args_os().skip(1).any(|arg| {
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
    use clap::CommandFactory;

    use super::NOT_THE_TRAINER;

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
