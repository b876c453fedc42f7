//! The command line's shape: clap definitions only. Each subcommand carries
//! the options that apply to it, so its `--help` lists nothing else; the
//! trainer's options may still come before a subcommand (`pace --db F report`)
//! and apply where they make sense.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::badge::BadgeCommand;
use super::export::ExportFormat;
use super::help_text as long;
use super::notes::NotesCommand;
use super::report::ReportFormat;
use crate::content::schema::SchemaKind;

use crate::tui::theme::ThemeName;

#[derive(Debug, Parser)]
#[command(
    name = "pace",
    version,
    about = "An offline, self-paced trainer for the terminal",
    long_about = long::TRAINER,
    after_help = long::TRAINER_EXAMPLES,
    after_long_help = long::TRAINER_AFTER
)]
pub struct Cli {
    #[command(flatten)]
    pub trainer: TrainerOptions,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The trainer's options (`pace` with no subcommand).
#[derive(Debug, Clone, Args)]
pub struct TrainerOptions {
    /// Records file (default: pace.sqlite3 in your data directory)
    #[arg(long, env = "PACE_DB", value_name = "PATH", long_help = long::DB)]
    pub db: Option<PathBuf>,
    /// Use the modules in DIR instead of the shipped curriculum
    #[arg(long, env = "PACE_MODULES", value_name = "DIR")]
    pub modules: Option<PathBuf>,
    /// Learner name (skips the learner picker)
    #[arg(long, value_name = "NAME")]
    pub learner: Option<String>,
    /// Colour theme of the trainer (NO_COLOR turns colour off in any theme)
    #[arg(long, value_enum, default_value_t = ThemeName::Default)]
    pub theme: ThemeName,
    /// The trainer as plain text, line by line: for screen readers, braille displays and scripts (also when TERM=dumb)
    #[arg(long, env = "PACE_PLAIN", long_help = long::PLAIN, action = clap::ArgAction::SetTrue, value_parser = clap::builder::FalseyValueParser::new())]
    pub plain: bool,
}

// The environment variables are read once, by the trainer's options, so a
// flag after the subcommand still beats a variable: the help says so.

/// Options of the commands that read a learner's records.
#[derive(Debug, Clone, Default, Args)]
pub struct RecordsOptions {
    /// Records file (default: PACE_DB, else pace.sqlite3 in your data directory); `pace report` reads several
    #[arg(long, value_name = "PATH", action = clap::ArgAction::Append)]
    pub db: Vec<PathBuf>,
    /// Use the modules in DIR instead of the shipped curriculum (default: PACE_MODULES)
    #[arg(long, value_name = "DIR")]
    pub modules: Option<PathBuf>,
    /// Learner name: needed when several share the records file; report, export and sync keep only that learner
    #[arg(long, value_name = "NAME")]
    pub learner: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check modules and report every problem as path:line:column
    #[command(
        long_about = long::VALIDATE,
        after_help = "Examples:\n  pace validate                 check the curriculum in use\n  pace validate modules/        check a folder (exit 1 on errors)\n  pace validate a.json b.json --format json"
    )]
    Validate {
        /// Module files or folders (default: the curriculum in use)
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The curriculum to check when no PATH is given (default: PACE_MODULES, else the shipped one)
        #[arg(long, value_name = "DIR")]
        modules: Option<PathBuf>,
    },
    /// Preview modules exactly as learners see them; nothing is recorded
    #[command(
        long_about = long::PREVIEW,
        after_help = "Examples:\n  pace preview modules/my-module.json\n  pace preview my-modules/ --watch     reload on every save\n\nKeys: a shows or hides the answers; every module is unlocked; the quiz shows its whole pool."
    )]
    Preview {
        /// Module files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Reload when a file changes
        #[arg(long)]
        watch: bool,
        /// Colour theme [default: default] (NO_COLOR turns colour off in any theme)
        #[arg(long, value_enum)]
        theme: Option<ThemeName>,
    },
    /// Print one learner's progress without opening the trainer
    #[command(after_help = "Examples:\n  pace progress\n  pace progress --learner \"Ana Ruiz\" --format json")]
    Progress {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        records: RecordsOptions,
    },
    /// Print or write a certificate for a level the learner holds, or check a verification code
    #[command(
        long_about = long::CERTIFICATE,
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
        /// Also sign an Open Badges credential with KEY, written beside --out as NAME.credential.json
        #[arg(long, value_name = "KEY", requires = "out", conflicts_with = "verify")]
        badge_key: Option<PathBuf>,
        #[command(flatten)]
        records: RecordsOptions,
    },
    /// Open Badges 3.0 credentials signed by the organisation: keygen, issue, verify
    #[command(long_about = long::BADGE)]
    Badge {
        #[command(subcommand)]
        command: BadgeCommand,
    },
    /// Export the learner's notes, or import a colleague's
    Notes {
        #[command(subcommand)]
        command: NotesCommand,
    },
    /// Every learner in the records file: level, scores, expiry, last active; or, with --questions, item analysis
    #[command(
        long_about = long::REPORT,
        after_help = "Examples:\n  pace report\n  pace report --expiring-within 30\n  pace report --db a.sqlite3 --db b.sqlite3      one report over two workstations\n  pace report --format csv --excel > learners.csv\n  pace report --questions --module employee-101-social-media-at-work"
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
        /// With --questions: only the answers of learners who work in this country (an id from organisation.json)
        #[arg(long, value_name = "ID", requires = "questions")]
        country: Option<String>,
        /// CSV for spreadsheets: starts with a UTF-8 byte order mark so Excel reads accents right
        #[arg(long)]
        excel: bool,
        #[command(flatten)]
        records: RecordsOptions,
    },
    /// Write learning records: CSV for HR, or xAPI statements for an LMS
    #[command(
        long_about = long::EXPORT,
        after_help = "Examples:\n  pace export --format csv --out records.csv\n  pace export --format csv --excel --out records.csv   opens right in Excel\n  pace export --format xapi --learner \"Ana Ruiz\" --since 2027-01-01"
    )]
    Export {
        #[arg(long, value_enum, long_help = long::EXPORT_FORMAT)]
        format: ExportFormat,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only events on or after DATE (YYYY-MM-DD, or an RFC 3339 time)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// CSV for spreadsheets: starts with a UTF-8 byte order mark so Excel reads accents right
        #[arg(long)]
        excel: bool,
        /// xAPI as JSON Lines: one statement per line, the form LRS bulk loaders read
        #[arg(long)]
        lines: bool,
        /// No progress bar and no closing message on standard error
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        records: RecordsOptions,
    },
    /// Send the xAPI statements not yet sent to a Learning Record Store
    #[command(
        long_about = long::SYNC,
        after_help = "Statements go to URL/statements; each is sent once, and a run cut short\nis finished by the next one.\n\nExamples:\n  pace sync --lrs https://lrs.example.com/xAPI --user pace --password secret\n  pace sync --lrs https://lrs.example.com/xAPI --dry-run     what would be sent\n  PACE_LRS_URL=https://lrs.example.com/xAPI PACE_LRS_USER=pace PACE_LRS_PASSWORD=secret pace sync"
    )]
    Sync {
        /// The LRS's xAPI endpoint
        #[arg(long, env = "PACE_LRS_URL", value_name = "URL")]
        lrs: String,
        /// User for HTTP Basic auth
        #[arg(long, env = "PACE_LRS_USER", value_name = "U")]
        user: Option<String>,
        /// Password for HTTP Basic auth; - asks for it (or reads a line of standard input)
        #[arg(long, env = "PACE_LRS_PASSWORD", value_name = "P", hide_env_values = true)]
        password: Option<String>,
        /// Read the password from the first line of FILE
        #[arg(long, value_name = "FILE", conflicts_with = "password")]
        password_file: Option<PathBuf>,
        /// Statements per request
        #[arg(long, value_name = "N", default_value_t = crate::export::sync::DEFAULT_BATCH, value_parser = batch_size)]
        batch: usize,
        /// Say what would be sent (how many, where, the first ids) and send nothing
        #[arg(long)]
        dry_run: bool,
        /// Longest the whole sync may take, in seconds; what is not sent by then stays queued
        #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        #[command(flatten)]
        records: RecordsOptions,
    },
    /// Check the records file and say what is wrong; back it up, or repair it
    #[command(
        long_about = long::DOCTOR,
        after_help = "Exit status: 0 when the file is healthy, 1 when a problem is found.\nThe file is only read, never changed, unless --repair is given.\n\nExamples:\n  pace doctor                                 check the records file in use\n  pace doctor --db /srv/pace/pace.sqlite3     check another one\n  pace doctor --backup pace-copy.sqlite3      a consistent copy, while learners keep learning\n  pace doctor --repair                        rebuild indexes and drop orphan rows, after a backup\n  pace doctor --upgrade                       upgrade a file from an older pace, keeping a copy"
    )]
    Doctor {
        /// Records file (default: PACE_DB, else pace.sqlite3 in your data directory)
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Write a consistent copy of the records file to FILE, even while pace is writing it (checks the copy, not the file)
        #[arg(long, value_name = "FILE", conflicts_with = "repair")]
        backup: Option<PathBuf>,
        /// Rebuild broken indexes and drop rows whose learner or attempt is gone, after writing a backup beside the file
        #[arg(long)]
        repair: bool,
        /// Upgrade a file from an older pace to this one, keeping a copy of it as it was (as the trainer does)
        #[arg(long, conflicts_with_all = ["repair", "backup"])]
        upgrade: bool,
    },
    /// Print the JSON Schema of a file kind (module, curriculum.json, organisation.json)
    #[command(
        long_about = long::SCHEMA,
        after_help = "Examples:\n  pace schema > module.schema.json\n  pace schema --kind curriculum"
    )]
    Schema {
        #[arg(long, value_enum, default_value_t = SchemaFile::Module)]
        kind: SchemaFile,
    },
    /// Print a shell completion script
    #[command(
        long_about = long::COMPLETIONS,
        after_help = "Examples:\n  mkdir -p ~/.local/share/bash-completion/completions\n  pace completions bash > ~/.local/share/bash-completion/completions/pace\n  mkdir -p ~/.zfunc && pace completions zsh > ~/.zfunc/_pace\n  mkdir -p ~/.config/fish/completions && pace completions fish > ~/.config/fish/completions/pace.fish"
    )]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder
    #[command(
        long_about = long::MAN,
        after_help = "Examples:\n  pace man | man -l -\n  pace man --out-dir ~/.cargo/share/man/man1     pace.1 and pace-<command>.1; then: man pace"
    )]
    Man {
        /// Write pace.1 and a page per command into DIR instead of printing pace.1
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

fn batch_size(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("give a number of statements from 1 to 1000".into()),
    }
}

impl Command {
    /// The `--learner` given after the command's name, if any.
    pub fn learner(&self) -> Option<&str> {
        match self {
            Command::Progress { records, .. }
            | Command::Certificate { records, .. }
            | Command::Report { records, .. }
            | Command::Export { records, .. }
            | Command::Sync { records, .. } => records.learner.as_deref(),
            Command::Notes { command } => command.records().learner.as_deref(),
            Command::Badge { command: BadgeCommand::Issue { records, .. } } => records.learner.as_deref(),
            _ => None,
        }
    }
}

/// `--kind` of `pace schema`: the command line's name for a schema kind (the
/// content library knows nothing of clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFile {
    Module,
    Curriculum,
    Organisation,
}

impl From<SchemaFile> for SchemaKind {
    fn from(kind: SchemaFile) -> SchemaKind {
        match kind {
            SchemaFile::Module => SchemaKind::Module,
            SchemaFile::Curriculum => SchemaKind::Curriculum,
            SchemaFile::Organisation => SchemaKind::Organisation,
        }
    }
}
