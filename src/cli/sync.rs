//! `pace sync`: send the xAPI statements not yet sent to a Learning Record
//! Store, and say what happened; exit 1 when anything stays queued.

use crate::export::sync::{self, Lrs};
use crate::export::{events, xapi};
use crate::learning::clock;

use super::export::filter;
use super::open_existing_records;
use super::{EXIT_OK, EXIT_PROBLEMS, Failure, Global, curriculum, plural, print};

/// Refused statements listed one by one before "and N more".
const LIST_REFUSED: usize = 10;

pub(super) struct Args<'a> {
    pub url: &'a str,
    pub user: Option<&'a str>,
    pub password: Option<&'a str>,
    pub batch: usize,
}

pub(super) fn run(global: &Global, args: Args) -> Result<u8, Failure> {
    let credentials = match (args.user, args.password) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(Failure::usage("--user needs a password too: --password P or PACE_LRS_PASSWORD"));
        }
        (None, Some(_)) => return Err(Failure::usage("--password needs a user too: --user U or PACE_LRS_USER")),
    };
    let lrs = Lrs::new(args.url, credentials).map_err(|e| Failure::usage(e.to_string()))?;
    if lrs.exposes_password() {
        eprintln!(
            "pace: warning: {} is plain http, so the password crosses the network unencrypted; use an https address",
            lrs.endpoint()
        );
    }
    let catalog = curriculum(global)?;
    let mut records = open_existing_records(global)?;
    // A second connection streams the events while the first logs what was sent.
    let reader = open_existing_records(global)?;
    let filter = filter(&records, global, None)?;
    let all = events::count(&reader, &filter, false).map_err(|e| Failure::data(e.to_string()))? as usize;
    let builder = xapi::Builder::new(&catalog).map_err(|e| Failure::data(e.to_string()))?;
    let outcome =
        sync::sync_stream(&mut records, &reader, &filter, &builder, &lrs, args.batch, clock::now(), &mut |_| {})
            .map_err(|e| Failure::data(e.to_string()))?;

    let mut out = String::new();
    if all == 0 {
        out.push_str("Nothing to send: no learning recorded yet.\n");
    } else if outcome.pending == 0 {
        out.push_str(&format!("Nothing to send: all {all} statement{} went to an LRS before.\n", plural(all)));
    } else {
        out.push_str(&format!(
            "Sent {} of {} statement{} to {} in {} request{}",
            outcome.sent,
            outcome.pending,
            plural(outcome.pending),
            lrs.endpoint(),
            outcome.requests,
            plural(outcome.requests)
        ));
        if outcome.already_there > 0 {
            out.push_str(&format!(" ({} the LRS already had)", outcome.already_there));
        }
        out.push_str(".\n");
    }
    print(&out)?;
    if !outcome.refused.is_empty() {
        let mut lines = format!(
            "the LRS refused {} statement{}; they stay queued for the next `pace sync`:",
            outcome.refused.len(),
            plural(outcome.refused.len())
        );
        for (uuid, status, message) in outcome.refused.iter().take(LIST_REFUSED) {
            lines.push_str(&format!("\n  {uuid}: {status} {message}"));
        }
        if outcome.refused.len() > LIST_REFUSED {
            lines.push_str(&format!("\n  and {} more", outcome.refused.len() - LIST_REFUSED));
        }
        eprintln!("pace: {lines}");
    }
    if let Some(why) = &outcome.stopped {
        return Err(Failure::data(format!(
            "sync stopped: {why}. The other {} statement{} stay queued for the next `pace sync`.",
            outcome.left() - outcome.refused.len(),
            plural(outcome.left() - outcome.refused.len())
        )));
    }
    Ok(if outcome.refused.is_empty() { EXIT_OK } else { EXIT_PROBLEMS })
}
