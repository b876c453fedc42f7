//! `pace sync`: send the xAPI statements not yet sent to a Learning Record
//! Store, and say what happened; exit 1 when anything stays queued.

use std::io::{BufRead, Read};
use std::path::Path;

use crate::content::sanitize;
use crate::export::events::{self, Event};
use crate::export::sync::{self, Lrs};
use crate::export::xapi;
use crate::learning::clock;

use super::export::filter;
use super::{EXIT_OK, EXIT_PROBLEMS, Failure, Global, curriculum, plural, print};
use super::{open_existing_for_writing, open_existing_records};

/// The password, from (in this order) `--password-file`, `--password -` (a
/// prompt on the terminal, else a line of standard input), `--password P`
/// or PACE_LRS_PASSWORD, or a prompt when a user is given without one and
/// pace runs at a terminal. None when there is none to be had.
fn password(args: &Args) -> Result<Option<String>, Failure> {
    use std::io::IsTerminal;
    if let Some(path) = args.password_file {
        return read_password_file(path).map(Some);
    }
    let interactive = std::io::stdin().is_terminal();
    match args.password {
        Some("-") if interactive => prompt(args).map(Some),
        Some("-") => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .take(PASSWORD_FILE_BYTES)
                .read_line(&mut line)
                .map_err(|e| Failure::usage(format!("cannot read the password from standard input: {e}")))?;
            let password = first_line(&line);
            if password.is_empty() {
                return Err(Failure::usage("--password -: standard input held no password"));
            }
            Ok(Some(password))
        }
        Some(p) => Ok(Some(p.to_string())),
        None if args.user.is_some() && interactive => prompt(args).map(Some),
        None => Ok(None),
    }
}

fn prompt(args: &Args) -> Result<String, Failure> {
    let user = args.user.map(|u| format!(" for {}", sanitize::quote(u))).unwrap_or_default();
    let password = rpassword::prompt_password(format!("LRS password{user}: "))
        .map_err(|e| Failure::usage(format!("cannot ask for the password: {e}; use --password-file FILE")))?;
    if password.is_empty() {
        return Err(Failure::usage("no password given"));
    }
    Ok(password)
}

fn read_password_file(path: &Path) -> Result<String, Failure> {
    let shown = sanitize::path(path);
    let cannot = |e: std::io::Error| Failure::usage(format!("--password-file {shown}: cannot read it: {e}"));
    let mut text = String::new();
    std::fs::File::open(path).and_then(|f| f.take(PASSWORD_FILE_BYTES).read_to_string(&mut text)).map_err(cannot)?;
    let password = first_line(&text);
    if password.is_empty() {
        return Err(Failure::usage(format!("--password-file {shown}: the file's first line is empty")));
    }
    Ok(password)
}

/// The first line without its line ending; spaces are part of a password.
fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim_end_matches('\r').to_string()
}

/// Refused statements listed one by one before "and N more".
const LIST_REFUSED: usize = 10;
/// Statements a dry run lists before "and N more".
const DRY_RUN_LIST: usize = 5;

pub(super) struct Args<'a> {
    pub url: &'a str,
    pub user: Option<&'a str>,
    pub password: Option<&'a str>,
    pub password_file: Option<&'a Path>,
    pub batch: usize,
    /// Say what would be sent, send nothing.
    pub dry_run: bool,
    /// The whole run's time limit.
    pub timeout: std::time::Duration,
}

/// Longest password file read; a password is a line.
const PASSWORD_FILE_BYTES: u64 = 64 * 1024;

pub(super) fn run(global: &Global, args: Args) -> Result<u8, Failure> {
    // The address is checked before any password is asked for.
    Lrs::new(args.url, None).map_err(|e| Failure::usage(e.to_string()))?;
    let password = password(&args)?;
    let credentials = match (args.user, password.as_deref()) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(Failure::usage(
                "--user needs a password too: --password-file FILE, --password - (asks for it), or PACE_LRS_PASSWORD",
            ));
        }
        (None, Some(_)) => return Err(Failure::usage("a password needs a user too: --user U or PACE_LRS_USER")),
    };
    let lrs = Lrs::new(args.url, credentials).map_err(|e| Failure::usage(e.to_string()))?.with_deadline(args.timeout);
    if lrs.exposes_password() {
        eprintln!(
            "pace: warning: {} is plain http, so the password crosses the network unencrypted; use an https address",
            lrs.endpoint()
        );
    }
    let catalog = curriculum(global)?;
    // A dry run only reads: the file is opened read-only and left as it was.
    if args.dry_run {
        let reader = open_existing_records(global)?;
        let filter = filter(&reader, global, None)?;
        let all = events::count(&reader, &filter, false)? as usize;
        // Built even for a dry run: a profile the statements cannot be made
        // from fails the same way with or without --dry-run.
        xapi::Builder::new(&catalog)?;
        if all == 0 {
            print("Nothing to send: no learning recorded yet.\n")?;
            return Ok(EXIT_OK);
        }
        let n = events::count(&reader, &filter, true)? as usize;
        let mut first = Vec::new();
        let listed = events::for_each(&reader, &filter, true, |e| {
            first.push(e);
            if first.len() < DRY_RUN_LIST { Ok(()) } else { Err(ListEnough::Enough) }
        });
        if let Err(ListEnough::Records(e)) = listed {
            return Err(Failure::data(e.to_string()));
        }
        reader.still_as_read()?;
        print(&dry_run(&first, n, all, &lrs, args.batch))?;
        return Ok(EXIT_OK);
    }
    let mut records = open_existing_for_writing(global)?;
    // A second connection streams the events while the first logs what was sent.
    let reader = open_existing_for_writing(global)?;
    let filter = filter(&records, global, None)?;
    let all = events::count(&reader, &filter, false)? as usize;
    let builder = xapi::Builder::new(&catalog)?;
    if all == 0 {
        print("Nothing to send: no learning recorded yet.\n")?;
        return Ok(EXIT_OK);
    }
    let outcome =
        sync::sync_stream(&mut records, &reader, &filter, &builder, &lrs, args.batch, clock::now(), &mut |_| {})?;

    if outcome.pending == 0 {
        print(&nothing_pending(all))?;
    } else if outcome.sent > 0 || outcome.stopped.is_none() {
        let mut out = format!(
            "Sent {} of {} statement{} to {} in {} request{}",
            outcome.sent,
            outcome.pending,
            plural(outcome.pending),
            lrs.endpoint(),
            outcome.accepted_requests,
            plural(outcome.accepted_requests)
        );
        if outcome.already_there > 0 {
            out.push_str(&format!(" ({} the LRS already had)", outcome.already_there));
        }
        out.push_str(".\n");
        print(&out)?;
    }
    if !outcome.refused.is_empty() {
        let n = outcome.refused.len();
        let mut lines = format!(
            "the LRS refused {n} statement{}; {} for the next `pace sync`:",
            plural(n),
            if n == 1 { "it stays queued" } else { "they stay queued" }
        );
        for (uuid, status, message) in outcome.refused.iter().take(LIST_REFUSED) {
            lines.push_str(&format!("\n  {uuid}: {status} {}", sanitize::clean(message)));
        }
        if n > LIST_REFUSED {
            lines.push_str(&format!("\n  and {} more", n - LIST_REFUSED));
        }
        eprintln!("pace: {lines}");
    }
    if !outcome.unconfirmed.is_empty() {
        let n = outcome.unconfirmed.len();
        let mut lines = format!(
            "the LRS answered for {n} statement{} it does not hold when read back (it may have lost {}); {} for the next `pace sync`, and its administrator should know:",
            plural(n),
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it stays queued" } else { "they stay queued" }
        );
        for uuid in outcome.unconfirmed.iter().take(LIST_REFUSED) {
            lines.push_str(&format!("\n  {}", sanitize::clean(uuid)));
        }
        if n > LIST_REFUSED {
            lines.push_str(&format!("\n  and {} more", n - LIST_REFUSED));
        }
        eprintln!("pace: {lines}");
    }
    if let Some(why) = &outcome.stopped {
        let queued = outcome.left() - outcome.refused.len() - outcome.unconfirmed.len();
        return Err(Failure::data(format!(
            "sync stopped: {}. {} {}{}",
            sanitize::clean(why),
            what_was_sent(outcome.sent),
            if outcome.sent == 0 { all_queued(queued) } else { still_queued(queued) },
            what_to_do(outcome.stopped_by.as_ref(), args.timeout)
        )));
    }
    Ok(if outcome.refused.is_empty() && outcome.unconfirmed.is_empty() { EXIT_OK } else { EXIT_PROBLEMS })
}

/// "The statement stays queued", "All 12 statements stay queued".
fn all_queued(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "The statement stays queued for the next `pace sync`.".into(),
        n => format!("All {n} statements stay queued for the next `pace sync`."),
    }
}

/// Whether anything went, in a stopped run.
fn what_was_sent(sent: usize) -> String {
    match sent {
        0 => "Nothing was marked as sent.".into(),
        1 => "The one statement the LRS holds is marked as sent.".into(),
        n => format!("The {n} statements the LRS holds are marked as sent."),
    }
}

/// What to do after a stopped run, by what stopped it.
fn what_to_do(by: Option<&sync::Reply>, timeout: std::time::Duration) -> String {
    let again = "sending a statement again never makes a duplicate";
    match by {
        Some(sync::Reply::OutOfTime) => format!(
            " Run `pace sync` again to continue where this run stopped, or allow it more than {} seconds with --timeout SECONDS ({again}).",
            timeout.as_secs()
        ),
        Some(sync::Reply::Unreachable(_)) => format!(
            " Run `pace sync` again once the LRS answers: what this run could not confirm is sent again ({again})."
        ),
        Some(sync::Reply::Status { status: 401 | 403, .. }) => {
            " Check the user (--user) and the password with the LRS's administrator, then run `pace sync` again.".into()
        }
        Some(sync::Reply::Status { status, .. }) if *status >= 500 => {
            " The LRS has a problem of its own: run `pace sync` again later, or tell its administrator.".into()
        }
        _ => " Check the LRS address (--lrs) with its administrator, then run `pace sync` again.".into(),
    }
}

fn nothing_pending(total: usize) -> String {
    match total {
        1 => "Nothing to send: the one statement went to an LRS before.\n".into(),
        n => format!("Nothing to send: all {n} statements went to an LRS before.\n"),
    }
}

/// "The other statement stays queued", "The other 12 statements stay queued".
fn still_queued(n: usize) -> String {
    match n {
        0 => "Nothing else is queued.".into(),
        1 => "The other statement stays queued for the next `pace sync`.".into(),
        n => format!("The other {n} statements stay queued for the next `pace sync`."),
    }
}

/// What `--dry-run` prints: how many statements, where, in how many
/// requests, and the first few, one a line.
fn dry_run(pending: &[Event], n: usize, total: usize, lrs: &Lrs, batch: usize) -> String {
    if n == 0 {
        return nothing_pending(total);
    }
    let requests = n.div_ceil(batch);
    let mut out = format!(
        "Dry run: would send {n} statement{} to {} in {requests} request{} of up to {batch}; nothing was sent.\n",
        plural(n),
        lrs.statements_url(),
        plural(requests)
    );
    if n < total {
        out.push_str(&format!("{} earlier statement{} went to an LRS before.\n", total - n, plural(total - n)));
    }
    out.push_str(if n > DRY_RUN_LIST { "The first ones:\n" } else { "Statements:\n" });
    for event in pending.iter().take(DRY_RUN_LIST) {
        let what = [event.what.name(), event.what.module().unwrap_or_default()].join(" ");
        out.push_str(&format!(
            "  {}  {}  {}\n",
            sanitize::clean(&event.uuid),
            sanitize::clean(&event.learner.name),
            sanitize::clean(what.trim())
        ));
    }
    if n > DRY_RUN_LIST {
        out.push_str(&format!("  and {} more\n", n - DRY_RUN_LIST));
    }
    out
}

/// Listing the first statements of a dry run stops once it has enough.
enum ListEnough {
    Enough,
    Records(crate::records::RecordsError),
}

impl From<crate::records::RecordsError> for ListEnough {
    fn from(e: crate::records::RecordsError) -> ListEnough {
        ListEnough::Records(e)
    }
}
