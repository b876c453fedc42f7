//! The command line: clap definitions and dispatch; one file per command.

mod certificate;
mod export;
mod notes;
mod preview;
mod progress;
mod questions;
mod report;
mod sync;
mod trainer;
mod validate;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::content::schema::{self, SchemaKind};
use crate::content::{self, Catalog};
use crate::learning::clock;
use crate::records::{self, Learner, Records};
use crate::tui::theme::ThemeName;

pub use export::ExportFormat;
pub use report::ReportFormat;
pub use report::render_text as render_report_text;

/// Exit codes: success, content or data problems, usage.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "pace",
    version,
    about = "An offline, self-paced trainer for the terminal",
    long_about = "pace opens the trainer: lessons, quizzes and certification levels, kept in a local records file.\nWith a subcommand it validates modules, prints progress and more.",
    after_help = "Examples:\n  pace                          open the trainer\n  pace --learner \"Ana Ruiz\"      open it as Ana, skipping the learner picker\n  pace --modules ./our-modules  use your own curriculum instead of the shipped one\n  pace validate modules/        check modules for a content CI"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Records file (default: pace.sqlite3 in your data directory); `pace report` takes several
    #[arg(long, global = true, env = "PACE_DB", value_name = "PATH", action = clap::ArgAction::Append)]
    pub db: Vec<PathBuf>,
    /// Use the modules in DIR instead of the shipped curriculum
    #[arg(long, global = true, env = "PACE_MODULES", value_name = "DIR")]
    pub modules: Option<PathBuf>,
    /// Learner name (skips the learner picker)
    #[arg(long, global = true, value_name = "NAME")]
    pub learner: Option<String>,
    /// Colour theme of the trainer (NO_COLOR turns colour off in any theme)
    #[arg(long, global = true, value_enum, default_value_t = ThemeName::Default)]
    pub theme: ThemeName,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check modules and report every problem as path:line:column
    #[command(
        after_help = "Examples:\n  pace validate                 check the curriculum in use\n  pace validate modules/        check a folder (exit 1 on errors)\n  pace validate a.json b.json --format json"
    )]
    Validate {
        /// Module files or folders (default: the curriculum in use)
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Preview modules exactly as learners see them; nothing is recorded
    #[command(
        after_help = "Examples:\n  pace preview modules/my-module.json\n  pace preview my-modules/ --watch     reload on every save\n\nKeys: a shows or hides the answers; every module is unlocked; the quiz shows its whole pool."
    )]
    Preview {
        /// Module files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Reload when a file changes
        #[arg(long)]
        watch: bool,
    },
    /// Print one learner's progress without opening the trainer
    #[command(after_help = "Examples:\n  pace progress\n  pace progress --learner \"Ana Ruiz\" --format json")]
    Progress {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print or write a certificate for a level the learner holds, or check a verification code
    #[command(
        after_help = "Examples:\n  pace certificate                                       the highest level held, as text\n  pace certificate --level social-ready --out cert.html  a printable page\n  pace certificate --verify PACE-7K2M-Q9TX-4HRB          check a printed code"
    )]
    Certificate {
        /// Level id (default: the highest level the learner holds)
        #[arg(long, value_name = "ID", conflicts_with = "verify")]
        level: Option<String>,
        /// Write to FILE: .html for a printable page, .txt for plain text
        #[arg(long, value_name = "FILE", conflicts_with = "verify")]
        out: Option<PathBuf>,
        /// Check a verification code against this records file
        #[arg(long, value_name = "CODE")]
        verify: Option<String>,
    },
    /// Export the learner's notes, or import a colleague's
    Notes {
        #[command(subcommand)]
        command: notes::NotesCommand,
    },
    /// Every learner in the records file: level, scores, expiry, last active; or, with --questions, item analysis
    #[command(
        after_help = "Examples:\n  pace report\n  pace report --expiring-within 30\n  pace report --format csv > learners.csv\n  pace report --questions --module employee-101-social-media-at-work\n\nWith --questions: per question, how often it was answered in finished quiz attempts,\nits facility (share right), its discrimination (correlation with the rest of the\nattempt's score) and flags: too easy, too hard, negative discrimination, few answers."
    )]
    Report {
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Only learners holding a certification that expires within DAYS days
        #[arg(long, value_name = "DAYS", conflicts_with = "questions")]
        expiring_within: Option<u32>,
        /// Item analysis per question instead of a line per learner
        #[arg(long)]
        questions: bool,
        /// With --questions: only this module's questions
        #[arg(long, value_name = "ID", requires = "questions")]
        module: Option<String>,
    },
    /// Write learning records: CSV for HR, or xAPI statements for an LMS
    #[command(
        after_help = "Examples:\n  pace export --format csv --out records.csv\n  pace export --format xapi --learner \"Ana Ruiz\" --since 2027-01-01"
    )]
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only events on or after DATE (YYYY-MM-DD, or an RFC 3339 time)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
    /// Send the xAPI statements not yet sent to a Learning Record Store
    #[command(
        after_help = "Statements go to URL/statements; each is sent once, and a run cut short\nis finished by the next one.\n\nExamples:\n  pace sync --lrs https://lrs.example.com/xAPI --user pace --password secret\n  PACE_LRS_URL=https://lrs.example.com/xAPI PACE_LRS_USER=pace PACE_LRS_PASSWORD=secret pace sync"
    )]
    Sync {
        /// The LRS's xAPI endpoint
        #[arg(long, env = "PACE_LRS_URL", value_name = "URL")]
        lrs: String,
        /// User for HTTP Basic auth
        #[arg(long, env = "PACE_LRS_USER", value_name = "U")]
        user: Option<String>,
        /// Password for HTTP Basic auth
        #[arg(long, env = "PACE_LRS_PASSWORD", value_name = "P", hide_env_values = true)]
        password: Option<String>,
        /// Statements per request
        #[arg(long, value_name = "N", default_value_t = crate::export::sync::DEFAULT_BATCH, value_parser = batch_size)]
        batch: usize,
    },
    /// Print the JSON Schema of the module format
    #[command(after_help = "Examples:\n  pace schema > module.schema.json\n  pace schema --kind curriculum")]
    Schema {
        #[arg(long, value_enum, default_value_t = SchemaKind::Module)]
        kind: SchemaKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    if let Err(message) = clock::check_env() {
        eprintln!("pace: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    let result = match cli.command {
        Some(Command::Validate { paths, format }) => validate::run(&cli.global, &paths, format),
        Some(Command::Schema { kind }) => print(&schema::json_schema(kind)).map(|_| EXIT_OK),
        Some(Command::Preview { paths, watch }) => preview::run(&cli.global, &paths, watch),
        Some(Command::Progress { format }) => progress::run(&cli.global, format),
        Some(Command::Certificate { level, out, verify }) => {
            certificate::run(&cli.global, level.as_deref(), out.as_deref(), verify.as_deref())
        }
        Some(Command::Notes { command }) => notes::run(&cli.global, &command),
        Some(Command::Report { format, questions: true, module, .. }) => {
            questions::run(&cli.global, format, module.as_deref())
        }
        Some(Command::Report { format, expiring_within, .. }) => report::run(&cli.global, format, expiring_within),
        Some(Command::Export { format, out, since }) => {
            export::run(&cli.global, format, out.as_deref(), since.as_deref())
        }
        Some(Command::Sync { lrs, user, password, batch }) => sync::run(
            &cli.global,
            sync::Args { url: &lrs, user: user.as_deref(), password: password.as_deref(), batch },
        ),
        None => trainer::run(&cli.global),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("pace: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
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

pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`pace schema | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    Ok(())
}

/// The curriculum in use: `--modules DIR` (or PACE_MODULES), else the embedded one.
pub fn curriculum(global: &Global) -> Result<Catalog, Failure> {
    match &global.modules {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Failure::usage(format!(
                    "--modules {}: not a folder; give the folder that holds your module .json files",
                    dir.display()
                )));
            }
            content::load_paths(std::slice::from_ref(dir)).map_err(|e| Failure::data(e.to_string()))
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

/// Opens the records file only if it exists: reading records out of a file
/// that is not there is a mistake (a wrong --db), not a new empty file.
pub(crate) fn open_existing_records(global: &Global) -> Result<Records, Failure> {
    open_existing(&db_path(global)?)
}

/// Opens an existing records file at `path` (upgrading it, with a word on stderr).
pub(crate) fn open_existing(path: &std::path::Path) -> Result<Records, Failure> {
    if !path.exists() {
        return Err(Failure::data(format!(
            "no records file at {}; give the learners' file with --db PATH or PACE_DB",
            content::sanitize::clean(&path.display().to_string())
        )));
    }
    let records = Records::open_existing(path).map_err(|e| Failure::data(e.to_string()))?;
    announce_upgrade(&records);
    Ok(records)
}

/// Opens the records file named by `--db`/PACE_DB, or the default one,
/// creating it if needed (the trainer).
pub fn open_records(global: &Global) -> Result<Records, Failure> {
    let records = Records::open(&db_path(global)?).map_err(|e| Failure::data(e.to_string()))?;
    announce_upgrade(&records);
    Ok(records)
}

/// Says once, when it happens, that a records file was upgraded and where the old one is kept.
fn announce_upgrade(records: &Records) {
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
pub fn pick_learner(records: &Records, name: Option<&str>) -> Result<Learner, Failure> {
    let data = |e: records::RecordsError| Failure::data(e.to_string());
    if let Some(name) = name {
        return records.learner_by_name(name).map_err(data)?.ok_or_else(|| {
            let names = records
                .learners()
                .map(|ls| ls.into_iter().map(|l| l.name).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            Failure::data(format!(
                "no learner named \"{name}\" in {}; learners here: {}",
                records.path(),
                if names.is_empty() { "none" } else { &names }
            ))
        });
    }
    let mut learners = records.learners().map_err(data)?;
    match learners.len() {
        0 => Err(Failure::data(format!("no learners in {} yet; run `pace` to start learning", records.path()))),
        1 => Ok(learners.remove(0)),
        _ => Err(Failure::usage(format!(
            "several learners share {}; say which with --learner NAME ({})",
            records.path(),
            learners.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn batch_size(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("give a number of statements from 1 to 1000".into()),
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
