//! The command line: clap definitions and dispatch; one file per command.

mod args;
mod badge;
mod certificate;
mod doctor;
mod export;
mod help_text;
mod notes;
mod preview;
mod progress;
mod progress_bar;
mod questions;
mod report;
mod shell_help;
mod sync;
mod table;
mod trainer;
mod validate;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::content::schema;
use crate::content::{self, Catalog, sanitize};
use crate::learning::clock;
use crate::records::{self, Learner, Records};
use crate::tui::theme::ThemeName;

pub use args::{Cli, Command, Format, RecordsOptions, TrainerOptions};
pub use export::ExportFormat;
pub use report::ReportFormat;
pub use report::render_text as render_report_text;

/// Exit codes: success, content or data problems, usage.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// What a command runs with: the options given after its name, else those
/// given before it (the trainer's), else the environment.
#[derive(Debug, Clone)]
pub struct Global {
    /// Records files: one for every command but `pace report`, which reads several.
    pub db: Vec<PathBuf>,
    pub modules: Option<PathBuf>,
    pub learner: Option<String>,
    /// `--learner` as typed, for messages; `learner` holds it cleaned.
    pub learner_as_written: Option<String>,
    pub theme: ThemeName,
}

impl Global {
    fn new(top: &TrainerOptions, records: &RecordsOptions) -> Global {
        Global {
            db: if records.db.is_empty() { top.db.iter().cloned().collect() } else { records.db.clone() },
            modules: records.modules.clone().or_else(|| top.modules.clone()),
            learner: records.learner.clone().or_else(|| top.learner.clone()),
            learner_as_written: None,
            theme: top.theme,
        }
    }
}

/// `pace` as started from the shell: reads the command line (clap exits
/// with status 2 on a usage error) and runs it.
pub fn main() -> ExitCode {
    survive_file_size_limit();
    run(clap::Parser::parse())
}

/// A write past the file-size limit (`ulimit -f`) sends SIGXFSZ, which
/// kills a process by default, an answer just typed with it. With the
/// signal caught (and nothing done on it) the write fails instead, with
/// "File too large", and pace handles it as it handles a full disk.
fn survive_file_size_limit() {
    #[cfg(unix)]
    {
        let seen = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        if let Err(e) = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, seen) {
            eprintln!("pace: warning: cannot catch SIGXFSZ ({e}); a file-size limit would stop pace");
        }
    }
}

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    ExitCode::from(run_with(cli))
}

fn run_with(cli: Cli) -> u8 {
    if let Err(message) = clock::check_env() {
        eprintln!("pace: {message}");
        return EXIT_USAGE;
    }
    let top = &cli.trainer;
    let with = |records: &RecordsOptions| Global::new(top, records);
    // Every command's learner name is cleaned once, here; a name with nothing printable is refused.
    if let Some(raw) = cli.command.as_ref().and_then(Command::learner).or(top.learner.as_deref())
        && sanitize::learner_name(raw).is_empty()
    {
        eprintln!(
            "pace: --learner {}: the name has no printable characters; give the learner's name",
            sanitize::quote(raw)
        );
        return EXIT_USAGE;
    }
    let with = |records: &RecordsOptions| {
        let mut global = with(records);
        let _ = clean_learner(&mut global);
        global
    };
    let result = match cli.command {
        Some(Command::Validate { paths, format, modules }) => {
            validate::run(&with(&RecordsOptions { modules, ..RecordsOptions::default() }), &paths, format)
        }
        Some(Command::Schema { kind }) => print(&schema::json_schema(kind.into())).map(|_| EXIT_OK),
        Some(Command::Preview { paths, watch, theme }) => {
            let global = Global { theme: theme.unwrap_or(top.theme), ..with(&RecordsOptions::default()) };
            preview::run(&global, &paths, watch)
        }
        Some(Command::Progress { format, records }) => progress::run(&with(&records), format),
        Some(Command::Certificate { level, out, verify, badge_key, records }) => {
            certificate::run(&with(&records), level.as_deref(), out.as_deref(), verify.as_deref(), badge_key.as_deref())
        }
        Some(Command::Notes { command }) => notes::run(&with(command.records()), &command),
        Some(Command::Badge { command }) => badge::run(&with(&command.records()), &command),
        Some(Command::Report { format, questions: true, module, country, excel, records, .. }) => {
            questions::run(&with(&records), format, (module.as_deref(), country.as_deref()), excel)
        }
        Some(Command::Report { format, expiring_within, excel, records, .. }) => {
            report::run(&with(&records), format, expiring_within, excel)
        }
        Some(Command::Export { format, out, since, excel, lines, quiet, records }) => {
            export::run(&with(&records), format, out.as_deref(), since.as_deref(), (excel, lines, quiet))
        }
        Some(Command::Sync { lrs, user, password, password_file, batch, dry_run, timeout, records }) => sync::run(
            &with(&records),
            sync::Args {
                url: &lrs,
                user: user.as_deref(),
                password: password.as_deref(),
                password_file: password_file.as_deref(),
                batch,
                dry_run,
                timeout: std::time::Duration::from_secs(timeout),
            },
        ),
        Some(Command::Doctor { db, backup, repair, upgrade }) => doctor::run(
            &with(&RecordsOptions { db: db.into_iter().collect(), ..Default::default() }),
            backup.as_deref(),
            repair,
            upgrade,
        ),
        Some(Command::Completions { shell }) => shell_help::completions(shell),
        Some(Command::Man { out_dir }) => shell_help::man(out_dir.as_deref()),
        None => trainer::run(&with(&RecordsOptions::default()), top.plain),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            // Values in messages are quoted escaped where they are written;
            // this catches any that were not, so none reaches the terminal raw.
            let lines: Vec<_> = failure.message.lines().map(sanitize::escape).collect();
            eprintln!("pace: {}", lines.join("\n"));
            failure.code
        }
    }
}

/// `--learner` as pace stores and looks names up: cleaned of control
/// characters and on one line. A name with nothing printable is a mistake.
fn clean_learner(global: &mut Global) -> Result<(), Failure> {
    let Some(raw) = global.learner.take() else { return Ok(()) };
    let name = sanitize::learner_name(&raw);
    if name.is_empty() {
        return Err(Failure::usage(format!(
            "--learner {}: the name has no printable characters; give the learner's name",
            sanitize::quote(&raw)
        )));
    }
    global.learner = Some(name);
    global.learner_as_written = Some(raw);
    Ok(())
}

/// An error that ends a command, with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { code: EXIT_USAGE, message: message.into() }
    }

    pub fn data(message: impl Into<String>) -> Self {
        Failure { code: EXIT_PROBLEMS, message: message.into() }
    }
}

/// Prints to standard output. A closed pipe (`pace schema | head`) is not an
/// error worth reporting; any other failed write (a full disk, /dev/full) is,
/// with exit code 1, so a script never takes a cut-short output for a whole one.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::data(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Writes a file beside its final name and renames it, so a failed write
/// never leaves half a file where a good one was (or none was).
pub(crate) fn write_file<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> Result<T, Failure> {
    let fail = |e: std::io::Error| {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        let what = match e.kind() {
            _ if !folder.is_dir() => {
                format!(
                    "the folder {} does not exist; create it, or give a file in a folder that does",
                    sanitize::path(folder)
                )
            }
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                format!("{e}; you may not write in {}: choose a file in a folder you can write", sanitize::path(folder))
            }
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::FileTooLarge | std::io::ErrorKind::QuotaExceeded => {
                format!("{e}; free some space, or choose a file on another disk")
            }
            std::io::ErrorKind::IsADirectory => "it is a folder; give a file name".to_string(),
            _ => format!("{e}; choose another file"),
        };
        Failure::data(format!("cannot write {}: {what}", sanitize::path(path)))
    };
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = std::fs::File::create(&partial).and_then(|file| {
        let mut sink = std::io::BufWriter::new(file);
        let value = write(&mut sink)?;
        sink.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(value)
    });
    written.and_then(|value| std::fs::rename(&partial, path).map(|()| value)).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        fail(e)
    })
}

impl From<records::RecordsError> for Failure {
    fn from(e: records::RecordsError) -> Failure {
        Failure::data(e.to_string())
    }
}

impl From<content::LoadError> for Failure {
    fn from(e: content::LoadError) -> Failure {
        Failure::data(e.to_string())
    }
}

impl From<crate::export::xapi::XapiError> for Failure {
    fn from(e: crate::export::xapi::XapiError) -> Failure {
        Failure::data(e.to_string())
    }
}

/// The curriculum in use: `--modules DIR` (or PACE_MODULES), else the embedded one.
pub fn curriculum(global: &Global) -> Result<Catalog, Failure> {
    match &global.modules {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Failure::usage(format!(
                    "--modules {}: not a folder; give the folder that holds your module .json files",
                    crate::content::sanitize::path(dir)
                )));
            }
            Ok(content::load_paths(std::slice::from_ref(dir))?)
        }
        None => Ok(content::embedded()),
    }
}

/// The records file: `--db PATH` (or PACE_DB), else the default one. Only
/// `pace report` reads several files.
pub(crate) fn db_path(global: &Global) -> Result<PathBuf, Failure> {
    match global.db.as_slice() {
        [] => records::default_path().ok_or_else(|| {
            Failure::usage("cannot find a data directory for the records file; give one with --db PATH")
        }),
        [one] => Ok(one.clone()),
        [..] => Err(Failure::usage("--db is given more than once; only `pace report` reads several records files")),
    }
}

/// Opens the records file only if it exists, for reading only: reading
/// records out of a file that is not there is a mistake (a wrong --db), not
/// a new empty file, and a command that reports changes no byte of the file
/// and leaves no file beside it.
pub(crate) fn open_existing_records(global: &Global) -> Result<Records, Failure> {
    open_existing(&db_path(global)?)
}

/// Opens an existing records file at `path` for reading only.
pub(crate) fn open_existing(path: &std::path::Path) -> Result<Records, Failure> {
    must_exist(path)?;
    Ok(Records::open_read_only(path)?)
}

/// Opens an existing records file to write to it (upgrading it, with a word on stderr).
pub(crate) fn open_existing_for_writing(global: &Global) -> Result<Records, Failure> {
    let path = db_path(global)?;
    must_exist(&path)?;
    let records = Records::open_existing(&path)?;
    announce_upgrade(&records);
    Ok(records)
}

fn must_exist(path: &std::path::Path) -> Result<(), Failure> {
    if !path.exists() {
        return Err(Failure::data(format!(
            "no records file at {}; give the learners' file with --db PATH or PACE_DB",
            sanitize::path(path)
        )));
    }
    Ok(())
}

/// Opens the records file named by `--db`/PACE_DB, or the default one,
/// creating it if needed (the trainer).
pub fn open_records(global: &Global) -> Result<Records, Failure> {
    let records = Records::open(&db_path(global)?)?;
    announce_upgrade(&records);
    Ok(records)
}

/// Says once, when it happens, that a records file was upgraded and where the old one is kept.
pub(crate) fn announce_upgrade(records: &Records) {
    if let Some(u) = records.upgraded() {
        eprintln!(
            "pace: upgraded the records file {} from version {} to {}; the file as it was is kept at {}",
            records.path(),
            u.from,
            u.to,
            content::sanitize::clean(&u.backup.display().to_string())
        );
    }
}

/// The learner a non-interactive command is about: `--learner NAME`, or the
/// only learner in the file.
pub fn pick_learner(records: &Records, global: &Global) -> Result<Learner, Failure> {
    let file = sanitize::escape(records.path());
    // Names in a records file may predate cleaning: each is cleaned as printed.
    let list = |learners: &[Learner]| name_list(learners.iter().map(|l| l.name.as_str()));
    if let Some(name) = &global.learner {
        let mut found = records.learner_by_name(name)?;
        // A name stored before names were cleaned is still found as typed.
        if let (None, Some(raw)) = (&found, &global.learner_as_written)
            && raw != name
        {
            found = records.learner_by_name(raw)?;
        }
        return found.ok_or_else(|| {
            let names = records.learners().map(|ls| list(&ls)).unwrap_or_default();
            Failure::data(format!(
                "no learner named {} in {file}; learners here: {}",
                sanitize::quote(global.learner_as_written.as_deref().unwrap_or(name)),
                if names.is_empty() { "none" } else { &names }
            ))
        });
    }
    let mut learners = records.learners()?;
    match learners.len() {
        0 => Err(Failure::data(format!("no learners in {file} yet; run `pace` to start learning"))),
        1 => Ok(learners.remove(0)),
        _ => Err(Failure::usage(format!(
            "several learners share {file}; say which with --learner NAME ({})",
            list(&learners)
        ))),
    }
}

/// A name as a one-line message shows it: on one line, and cut after
/// `max` characters with how many more there were (a records file may hold
/// a name longer than pace now accepts).
pub(crate) fn short_name(name: &str, max: usize) -> String {
    let line = sanitize::one_line(name);
    let total = line.chars().count();
    if total <= max {
        return line;
    }
    let cut: String = line.chars().take(max).collect();
    format!("{}... ({} more characters)", cut.trim_end(), total - max)
}

/// Names in a message: each in quotes (a name may hold a comma), cut if long.
pub(crate) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().map(|n| sanitize::quote(&short_name(n, NAME_IN_LIST))).collect::<Vec<_>>().join(", ")
}

/// Characters of a name shown in a list or a one-line message.
pub(crate) const NAME_IN_LIST: usize = 60;

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
