//! Sending xAPI statements to a Learning Record Store, each exactly once.
//!
//! Statements go in batches to `POST {endpoint}/statements` with HTTP Basic
//! auth and `X-Experience-API-Version: 1.0.3`. Each batch the LRS accepts is
//! written to the sync log in its own transaction before the next is sent,
//! so a run cut short (network gone, LRS stopped, pace killed) loses nothing:
//! what was not logged is sent again next time. Statement ids are the uuids
//! stored with the events, so a repeat never makes a duplicate.
//!
//! What the LRS says is checked before a statement counts as sent: a 200
//! counts for the ids it returns; any other statement of the batch, every
//! statement of a 204 (no content, which confirms nothing), and a 409 (the
//! id is taken) are read back with `GET statements?statementId=`, and count
//! only when the LRS holds the same statement. One it does not hold stays
//! queued; a different statement under the id is a conflict, reported and
//! never marked sent.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{self, Event, Filter};
use super::xapi::Builder;
use crate::records::{Records, RecordsError, Result};

pub use super::lrs::{Lookup, Lrs, LrsError, Reply, redact, same_statement};

/// Statements per request: small enough for any LRS's body limit, large
/// enough that a few thousand statements take seconds.
pub const DEFAULT_BATCH: usize = 100;

/// What one sync run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Statements not yet sent when the run began.
    pub pending: usize,
    /// Of those, now logged as sent (including ones the LRS already had).
    pub sent: usize,
    /// Of the sent, ones the LRS said it already had (204, 409).
    pub already_there: usize,
    /// Requests made, answered or not.
    pub requests: usize,
    /// Requests the LRS accepted (stored, or already had).
    pub accepted_requests: usize,
    /// Statements the LRS refused (uuid, status, message); they stay unsent.
    pub refused: Vec<(String, u16, String)>,
    /// Statements the LRS answered for but does not hold when read back;
    /// they stay unsent.
    pub unconfirmed: Vec<String>,
    /// Why the run stopped before the end, if it did; the rest stay unsent.
    pub stopped: Option<String>,
    /// The answer (or its absence) that stopped the run.
    pub stopped_by: Option<Reply>,
}

impl Outcome {
    /// Statements still waiting for a later run.
    pub fn left(&self) -> usize {
        self.pending - self.sent
    }
}

/// Statuses that are about the statements themselves; a batch answered with
/// one is retried a statement at a time so the others still get through.
fn about_the_statements(status: u16) -> bool {
    matches!(status, 400 | 409 | 413 | 422)
}

/// The events whose statements no LRS has accepted yet, in order: what a
/// sync would send.
pub fn pending<'a>(records: &Records, events: &'a [Event]) -> Result<Vec<&'a Event>> {
    let done = records.synced_uuids()?;
    Ok(events.iter().filter(|e| !done.contains(&e.uuid)).collect())
}

/// Sends the statement of every event the sync log does not hold yet,
/// `batch` per request, logging each accepted batch before sending the next.
/// Statements are built a batch at a time, so a large file that is mostly
/// sent costs little. `after_batch` sees the running outcome after each
/// request (for progress, and for tests that cut the LRS off mid-way).
pub fn sync(
    records: &mut Records,
    events: &[Event],
    builder: &Builder,
    lrs: &Lrs,
    batch: usize,
    now: DateTime<Utc>,
    after_batch: &mut dyn FnMut(&Outcome),
) -> Result<Outcome> {
    let pending = pending(records, events)?;
    let mut outcome = Outcome { pending: pending.len(), ..Outcome::default() };
    for chunk in pending.chunks(batch.max(1)) {
        if !send_batch(records, chunk, builder, lrs, now, &mut outcome, after_batch)? {
            break;
        }
    }
    Ok(outcome)
}

/// `sync` over a records file of any size: the unsent events are streamed
/// from `reader` (a second connection to the same file, so the log written
/// through `records` does not disturb the read) a batch at a time.
#[allow(clippy::too_many_arguments)]
pub fn sync_stream(
    records: &mut Records,
    reader: &Records,
    filter: &Filter,
    builder: &Builder,
    lrs: &Lrs,
    batch: usize,
    now: DateTime<Utc>,
    after_batch: &mut dyn FnMut(&Outcome),
) -> Result<Outcome> {
    enum Flow {
        Stop,
        Records(RecordsError),
    }
    impl From<RecordsError> for Flow {
        fn from(e: RecordsError) -> Flow {
            Flow::Records(e)
        }
    }
    let batch = batch.max(1);
    let mut outcome = Outcome { pending: events::count(reader, filter, true)? as usize, ..Outcome::default() };
    let mut buffer: Vec<Event> = Vec::with_capacity(batch);
    let streamed = events::for_each(reader, filter, true, |event| {
        buffer.push(event);
        if buffer.len() == batch {
            let chunk: Vec<&Event> = buffer.iter().collect();
            let go = send_batch(records, &chunk, builder, lrs, now, &mut outcome, after_batch)?;
            buffer.clear();
            if !go {
                return Err(Flow::Stop);
            }
        }
        Ok(())
    });
    match streamed {
        Ok(()) if !buffer.is_empty() => {
            let chunk: Vec<&Event> = buffer.iter().collect();
            send_batch(records, &chunk, builder, lrs, now, &mut outcome, after_batch)?;
        }
        Ok(()) | Err(Flow::Stop) => {}
        Err(Flow::Records(e)) => return Err(e),
    }
    Ok(outcome)
}

/// What a conflict is called: the LRS holds another statement under the id.
pub const CONFLICT: &str = "the LRS holds a different statement under this id, so this one was not stored; pace does not overwrite it. Ask the LRS's administrator which one is right";

/// What stops a run, in words: what happened.
fn stopped(reply: &Reply) -> String {
    match reply {
        Reply::Status { status, message } => format!("the LRS answered {status} {message}"),
        Reply::Unreachable(why) => format!("no answer from the LRS: {why}"),
        Reply::OutOfTime => "the run reached its time limit (--timeout) before the LRS had answered everything".into(),
        Reply::Stored(_) | Reply::AlreadyStored => String::new(),
    }
}

/// Sends one batch and logs what the LRS holds of it; false when the run must stop.
fn send_batch(
    records: &mut Records,
    events: &[&Event],
    builder: &Builder,
    lrs: &Lrs,
    now: DateTime<Utc>,
    outcome: &mut Outcome,
    after_batch: &mut dyn FnMut(&Outcome),
) -> Result<bool> {
    let statements: Vec<Value> = events.iter().map(|e| builder.statement(e)).collect();
    let chunk: Vec<&Value> = statements.iter().collect();
    let chunk = chunk.as_slice();
    outcome.requests += 1;
    let go = match lrs.post(chunk) {
        Reply::Status { status, .. } if about_the_statements(status) && chunk.len() > 1 => {
            let mut go = true;
            for one in chunk {
                outcome.requests += 1;
                if !settle_one(records, lrs, one, now, outcome)? {
                    go = false;
                    break;
                }
            }
            go
        }
        reply => settle(records, lrs, chunk, reply, now, outcome)?,
    };
    after_batch(outcome);
    Ok(go)
}

/// Sends one statement; false when the run must stop.
fn settle_one(
    records: &mut Records,
    lrs: &Lrs,
    one: &Value,
    now: DateTime<Utc>,
    outcome: &mut Outcome,
) -> Result<bool> {
    let single = std::slice::from_ref(&one);
    let reply = lrs.post(single);
    settle(records, lrs, single, reply, now, outcome)
}

/// Logs what the LRS's answer to `chunk` shows it holds, reading back what
/// the answer does not confirm; false when the run must stop.
fn settle(
    records: &mut Records,
    lrs: &Lrs,
    chunk: &[&Value],
    reply: Reply,
    now: DateTime<Utc>,
    outcome: &mut Outcome,
) -> Result<bool> {
    let (confirmed, already): (Vec<String>, bool) = match reply {
        Reply::Stored(ids) => (ids, false),
        Reply::AlreadyStored => (Vec::new(), true),
        Reply::Status { status: 409, .. } => (Vec::new(), true),
        Reply::Status { status, message } if about_the_statements(status) => {
            outcome
                .refused
                .extend(chunk.iter().map(|s| (id(s).unwrap_or_default().to_string(), status, message.clone())));
            return Ok(true);
        }
        other => {
            outcome.stopped = Some(stopped(&other));
            outcome.stopped_by = Some(other);
            return Ok(false);
        }
    };
    let mut held = Vec::new();
    let mut go = true;
    for statement in chunk {
        let Some(uuid) = id(statement) else { continue };
        if confirmed.iter().any(|c| c == uuid) {
            held.push(uuid);
            continue;
        }
        if !go {
            continue;
        }
        outcome.requests += 1;
        match lrs.get(uuid) {
            Lookup::Found(theirs) if same_statement(statement, &theirs) => held.push(uuid),
            Lookup::Found(_) => outcome.refused.push((uuid.to_string(), 409, CONFLICT.to_string())),
            Lookup::Missing => outcome.unconfirmed.push(uuid.to_string()),
            Lookup::Failed(why) => {
                outcome.stopped = Some(stopped(&why));
                outcome.stopped_by = Some(why);
                go = false;
            }
        }
    }
    if !held.is_empty() {
        records.mark_synced(&held, lrs.endpoint(), now)?;
        outcome.accepted_requests += 1;
        outcome.sent += held.len();
        if already {
            outcome.already_there += held.len();
        }
    }
    Ok(go)
}

fn id(statement: &Value) -> Option<&str> {
    statement.get("id").and_then(Value::as_str)
}
