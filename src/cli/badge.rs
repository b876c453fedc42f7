//! `pace badge`: the organisation's signing key, Open Badges 3.0 credentials
//! for held levels, and checking one. The work is in `crate::badge`.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::badge::verify::{self, Expected};
use crate::badge::{self, BadgeError, Issued, Pin, SigningKey, key};
use crate::content::sanitize::{self, one_line};
use crate::learning::clock;

use super::args::RecordsOptions;
use super::{EXIT_OK, EXIT_PROBLEMS, Failure, Global, curriculum, open_existing_records, pick_learner, print};

#[derive(Debug, Subcommand)]
pub enum BadgeCommand {
    /// Make the organisation's signing key (Ed25519) and print its did:key
    #[command(
        long_about = super::help_text::BADGE_KEYGEN,
        after_help = "Examples:\n  pace badge keygen --out ~/keys/pace-issuer.pem"
    )]
    Keygen {
        /// Where to write the private key (PKCS#8 PEM, mode 0600); never overwritten
        #[arg(long, value_name = "KEY")]
        out: PathBuf,
    },
    /// Write a signed Open Badges 3.0 credential for a level a learner holds
    #[command(
        long_about = super::help_text::BADGE_ISSUE,
        after_help = "Examples:\n  pace badge issue --key issuer.pem --learner \"Ana Ruiz\" --out ana.json\n  pace badge issue --key issuer.pem --learner \"Ana Ruiz\" --level social-ready --out ana.json\n  pace badge issue --key issuer.pem --all --out-dir credentials/ --db company.sqlite3"
    )]
    Issue {
        /// The organisation's private key (from `pace badge keygen`)
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// Level id (default: the highest level the learner holds)
        #[arg(long, value_name = "ID", conflicts_with = "all")]
        level: Option<String>,
        /// Write the credential (JSON) to FILE
        #[arg(long, value_name = "FILE", required_unless_present = "all", conflicts_with = "all")]
        out: Option<PathBuf>,
        /// A credential for every level every learner in the records file holds
        #[arg(long, requires = "out_dir")]
        all: bool,
        /// With --all: write <learner uuid>-<level>.json files into DIR (made if missing)
        #[arg(long, value_name = "DIR", requires = "all")]
        out_dir: Option<PathBuf>,
        #[command(flatten)]
        records: RecordsOptions,
    },
    /// Check a credential: its signature, its issuer and its dates
    #[command(
        long_about = super::help_text::BADGE_VERIFY,
        after_help = "Examples:\n  pace badge verify ana.json\n  pace badge verify ana.json --issuer did:key:z6Mk..."
    )]
    Verify {
        /// The credential (JSON)
        file: PathBuf,
        /// The issuer to expect (default: credential_issuer in organisation.json)
        #[arg(long, value_name = "DID")]
        issuer: Option<String>,
        /// Read organisation.json from DIR (default: PACE_MODULES, else the shipped one)
        #[arg(long, value_name = "DIR")]
        modules: Option<PathBuf>,
    },
}

impl BadgeCommand {
    pub(crate) fn records(&self) -> RecordsOptions {
        match self {
            BadgeCommand::Issue { records, .. } => records.clone(),
            BadgeCommand::Verify { modules, .. } => RecordsOptions { modules: modules.clone(), ..Default::default() },
            BadgeCommand::Keygen { .. } => RecordsOptions::default(),
        }
    }
}

pub(super) fn run(global: &Global, command: &BadgeCommand) -> Result<u8, Failure> {
    match command {
        BadgeCommand::Keygen { out } => keygen(out),
        BadgeCommand::Issue { key, level, out, out_dir, .. } => {
            issue(global, key, level.as_deref(), out.as_deref(), out_dir.as_deref())
        }
        BadgeCommand::Verify { file, issuer, .. } => check(global, file, issuer.as_deref()),
    }
}

fn keygen(out: &Path) -> Result<u8, Failure> {
    let did = key::write_new(out).map_err(|e| Failure::data(e.to_string()))?;
    print(&format!(
        "Wrote the organisation's signing key to {} (Ed25519, PKCS#8 PEM, readable only by you).\n\
         Keep it secret and backed up: whoever holds it can issue credentials in the organisation's name.\n\
         Pin its issuer in organisation.json, so every verifier knows the key is the organisation's:\n  \"credential_issuer\": \"{did}\"\n{did}\n",
        sanitize::path(out)
    ))?;
    Ok(EXIT_OK)
}

fn failure(e: BadgeError) -> Failure {
    if e.is_usage() { Failure::usage(e.to_string()) } else { Failure::data(e.to_string()) }
}

fn issue(
    global: &Global,
    key_path: &Path,
    level: Option<&str>,
    out: Option<&Path>,
    out_dir: Option<&Path>,
) -> Result<u8, Failure> {
    let catalog = curriculum(global)?;
    let key = SigningKey::read(key_path).map_err(|e| Failure::data(e.to_string()))?;
    warn_if_others_can_read(key_path);
    let pin = badge::check_pin(&catalog, &key).map_err(failure)?;
    let records = open_existing_records(global)?;
    let now = clock::now();
    let issued: Vec<Issued> = match out_dir {
        Some(_) => badge::issue_all(&records, &catalog, &key, now).map_err(failure)?,
        None => {
            let learner = pick_learner(&records, global)?;
            vec![badge::issue(&records, &catalog, &learner, level, &key, now).map_err(failure)?]
        }
    };
    // Everything is signed before anything is written: an error leaves no file.
    match (out, out_dir) {
        (Some(path), _) => {
            for one in &issued {
                write_credential(path, one)?;
                print(&format!(
                    "Wrote the Open Badges credential of {} for {} to {}, signed by {}.\n",
                    one_line(&one.learner),
                    one_line(&one.level_title),
                    sanitize::path(path),
                    key.did()
                ))?;
            }
        }
        (None, Some(dir)) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::data(format!("cannot make the folder {}: {e}", sanitize::path(dir))))?;
            for one in &issued {
                write_credential(&dir.join(one.file_name()), one)?;
            }
            print(&format!(
                "Wrote {} credential{} into {}, signed by {}.\n",
                issued.len(),
                super::plural(issued.len()),
                sanitize::path(dir),
                key.did()
            ))?;
        }
        (None, None) => return Err(Failure::usage("give --out FILE, or --all with --out-dir DIR")),
    }
    if pin == Pin::Unpinned {
        eprintln!(
            "pace: note: organisation.json pins no credential issuer, so a verifier cannot tell this key is the organisation's. Add\n  \"credential_issuer\": \"{}\"\nto organisation.json (in the folder --modules names).",
            key.did()
        );
    }
    Ok(EXIT_OK)
}

fn write_credential(path: &Path, issued: &Issued) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(&issued.credential)
        .map_err(|e| Failure::data(format!("cannot write the credential: {e}")))?;
    text.push('\n');
    super::write_file(path, |out| out.write_all(text.as_bytes()))
}

fn check(global: &Global, file: &Path, issuer: Option<&str>) -> Result<u8, Failure> {
    if let Some(did) = issuer
        && key::public_key_of(did).is_none()
    {
        return Err(Failure::usage(format!(
            "--issuer {}: give the issuer's Ed25519 did:key, as `pace badge keygen` printed it (did:key:z6Mk...)",
            sanitize::quote(did)
        )));
    }
    let shown = sanitize::path(file);
    let text = std::fs::read_to_string(file).map_err(|e| Failure::data(format!("cannot read {shown}: {e}")))?;
    let catalog = curriculum(global)?;
    let pinned = catalog.organisation.credential_issuer.clone();
    let expected = match (issuer, pinned.as_deref().map(str::trim).filter(|p| !p.is_empty())) {
        (Some(did), _) => Expected::Given(did),
        (None, Some(did)) => Expected::Pinned(did),
        (None, None) => Expected::Nobody,
    };
    match verify::verify(&text, expected, clock::now()) {
        Ok(v) => {
            print(&format!("{shown}: valid. {}\n", v.summary))?;
            if expected == Expected::Nobody {
                eprintln!(
                    "pace: note: no issuer was expected (none given with --issuer, none pinned in organisation.json), so this shows the credential is intact and signed by {}, not that the key is the organisation's.",
                    one_line(&v.issuer)
                );
            }
            Ok(EXIT_OK)
        }
        Err(e) => {
            // The reason may quote the file's own text: escaped for the terminal.
            eprintln!("pace: {shown} does not verify: {}.", sanitize::escape(&e.to_string()));
            Ok(EXIT_PROBLEMS)
        }
    }
}

/// A private key others can read is no longer the organisation's alone: say so (as ssh does).
#[cfg(unix)]
pub(super) fn warn_if_others_can_read(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "pace: warning: {} can be read by others (mode {:o}); anyone who copied it can sign in the organisation's name. chmod 600 it, and make a new key if it may have been copied.",
            sanitize::path(path),
            meta.permissions().mode() & 0o777
        );
    }
}

#[cfg(not(unix))]
pub(super) fn warn_if_others_can_read(_path: &Path) {}
