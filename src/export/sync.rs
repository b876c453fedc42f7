//! Sending xAPI statements to a Learning Record Store, each exactly once.
//!
//! Statements go in batches to `POST {endpoint}/statements` with HTTP Basic
//! auth and `X-Experience-API-Version: 1.0.3`. Each batch the LRS accepts is
//! written to the sync log in its own transaction before the next is sent,
//! so a run cut short (network gone, LRS stopped, pace killed) loses nothing:
//! what was not logged is sent again next time, and an LRS that already has
//! a statement answers 204 (or 409), which counts as sent. Statement ids are
//! the uuids stored with the events, so a repeat never makes a duplicate.

use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::events::{self, Event, Filter};
use super::xapi::{Builder, XAPI_VERSION};
use crate::records::{Records, RecordsError, Result};

/// Statements per request: small enough for any LRS's body limit, large
/// enough that a few thousand statements take seconds.
pub const DEFAULT_BATCH: usize = 100;

/// Longest LRS message repeated to the user.
const MESSAGE_CHARS: usize = 300;

/// Both variants hold the address as typed with any password in it
/// replaced by `***` (see `redact`): messages never repeat a password.
#[derive(Debug, thiserror::Error)]
pub enum LrsError {
    #[error(
        "LRS address {0} is not an http(s) URL; give the xAPI endpoint, e.g. https://lrs.example.com/xAPI (statements go to its /statements)"
    )]
    BadUrl(String),
    #[error(
        "LRS address {0} holds a user name or password; give the user with --user and the password with --password-file FILE, --password - (asks for it), or PACE_LRS_PASSWORD"
    )]
    CredentialsInUrl(String),
}

/// `url` as a message may show it: any password in it replaced by `***`
/// (`https://alice:***@host/xAPI`), quoted with control characters escaped.
pub fn redact(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    let shown = match url[start..end].rfind('@') {
        Some(at) => {
            let userinfo = &url[start..start + at];
            let user = match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}:***"),
                // A lone user part may itself be a token: hide it all.
                None => "***".to_string(),
            };
            format!("{}{user}{}", &url[..start], &url[start + at..])
        }
        None => url.to_string(),
    };
    crate::content::sanitize::quote(&shown)
}

/// How the LRS answered one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// 200: the statements are stored.
    Stored,
    /// 204: every statement was already there.
    AlreadyStored,
    /// Any other status, with the LRS's message.
    Status { status: u16, message: String },
    /// No HTTP answer at all (refused, timed out, TLS failure...).
    Unreachable(String),
}

/// One LRS: where it is and how to sign in.
pub struct Lrs {
    endpoint: String,
    /// Host and port, for messages.
    host: String,
    auth: Option<String>,
    agent: ureq::Agent,
}

impl Lrs {
    /// `url` is the xAPI endpoint (statements go to `{url}/statements`).
    pub fn new(url: &str, credentials: Option<(&str, &str)>) -> std::result::Result<Lrs, LrsError> {
        let url = url.trim();
        let https = url.starts_with("https://");
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| LrsError::BadUrl(redact(url)))?;
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.is_empty() || url.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(LrsError::BadUrl(redact(url)));
        }
        if authority.contains('@') {
            return Err(LrsError::CredentialsInUrl(redact(url)));
        }
        let auth = credentials.map(|(user, password)| {
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
        });
        let mut config = ureq::Agent::config_builder();
        if https {
            config = config.tls_config(ureq::tls::TlsConfig::builder().root_certs(super::tls::root_certs()).build());
        }
        let agent = config
            // Error statuses are answers to report, not failures to hide.
            .http_status_as_error(false)
            // A redirected POST may silently become a GET: report it instead.
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .new_agent();
        Ok(Lrs { endpoint: url.trim_end_matches('/').to_string(), host: authority.to_string(), auth, agent })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Where statements are posted.
    pub fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint)
    }

    /// Whether a password would cross the network unencrypted (plain http
    /// to anything but this machine).
    pub fn exposes_password(&self) -> bool {
        let Some(rest) = self.endpoint.strip_prefix("http://") else { return false };
        let host = rest.split('/').next().unwrap_or_default();
        let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.contains(']') { host } else { h });
        self.auth.is_some() && !matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    }

    /// Posts statements as one JSON array.
    pub fn post(&self, statements: &[&Value]) -> Reply {
        let body = match serde_json::to_string(statements) {
            Ok(body) => body,
            Err(e) => return Reply::Unreachable(format!("cannot encode the statements: {e}")),
        };
        let mut request = self
            .agent
            .post(self.statements_url())
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json");
        if let Some(auth) = &self.auth {
            request = request.header("Authorization", auth);
        }
        match request.send(body) {
            Err(e) => Reply::Unreachable(super::tls::describe(&e, &self.host)),
            Ok(mut response) => {
                let status = response.status();
                match status.as_u16() {
                    200 => Reply::Stored,
                    204 => Reply::AlreadyStored,
                    code => {
                        let body = response.body_mut().read_to_string().unwrap_or_default();
                        let reason = status.canonical_reason().unwrap_or("");
                        Reply::Status { status: code, message: lrs_message(reason, &body) }
                    }
                }
            }
        }
    }
}

/// The LRS's own words: `detail`, `message` or `error` of a JSON body, else
/// the body as text, on one line and cut short.
fn lrs_message(reason: &str, body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let text = parsed
        .as_ref()
        .and_then(|v| ["detail", "message", "error"].iter().find_map(|k| v.get(*k)))
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_else(|| body.to_string());
    // The LRS's words reach a terminal: cleaned, on one line.
    let text = crate::content::sanitize::one_line(&text);
    let text = if text.chars().count() > MESSAGE_CHARS {
        format!("{}...", text.chars().take(MESSAGE_CHARS).collect::<String>())
    } else {
        text
    };
    match (reason.is_empty(), text.is_empty()) {
        (_, true) => reason.to_string(),
        (true, false) => text,
        (false, false) => format!("{reason}: {text}"),
    }
}

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
    /// Why the run stopped before the end, if it did; the rest stay unsent.
    pub stopped: Option<String>,
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

/// Sends one batch and logs what the LRS accepted; false when the run must stop.
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
        Reply::Stored => log(records, lrs, chunk, now, outcome, false).map(|()| true)?,
        Reply::AlreadyStored => log(records, lrs, chunk, now, outcome, true).map(|()| true)?,
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
        Reply::Status { status: 409, .. } => log(records, lrs, chunk, now, outcome, true).map(|()| true)?,
        Reply::Status { status, message } if about_the_statements(status) => {
            outcome
                .refused
                .extend(chunk.iter().map(|s| (id(s).unwrap_or_default().to_string(), status, message.clone())));
            true
        }
        Reply::Status { status, message } => {
            outcome.stopped = Some(format!("the LRS answered {status} {message}"));
            false
        }
        Reply::Unreachable(why) => {
            outcome.stopped = Some(format!("no answer from the LRS: {why}"));
            false
        }
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
    match lrs.post(single) {
        Reply::Stored => log(records, lrs, single, now, outcome, false)?,
        // 409: the LRS holds another statement under this id; sending it
        // again can never succeed, and the event is on record there.
        Reply::AlreadyStored | Reply::Status { status: 409, .. } => log(records, lrs, single, now, outcome, true)?,
        Reply::Status { status, message } if about_the_statements(status) => {
            outcome.refused.push((id(one).unwrap_or_default().to_string(), status, message));
        }
        Reply::Status { status, message } => {
            outcome.stopped = Some(format!("the LRS answered {status} {message}"));
            return Ok(false);
        }
        Reply::Unreachable(why) => {
            outcome.stopped = Some(format!("no answer from the LRS: {why}"));
            return Ok(false);
        }
    }
    Ok(true)
}

fn log(
    records: &mut Records,
    lrs: &Lrs,
    chunk: &[&Value],
    now: DateTime<Utc>,
    outcome: &mut Outcome,
    already: bool,
) -> Result<()> {
    let ids: Vec<&str> = chunk.iter().filter_map(|s| id(s)).collect();
    records.mark_synced(&ids, lrs.endpoint(), now)?;
    outcome.accepted_requests += 1;
    outcome.sent += ids.len();
    if already {
        outcome.already_there += ids.len();
    }
    Ok(())
}

fn id(statement: &Value) -> Option<&str> {
    statement.get("id").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert!(
            Lrs::new("http://127.0.0.1:8100/xAPI/", None).is_ok_and(|l| l.endpoint() == "http://127.0.0.1:8100/xAPI")
        );
        assert!(matches!(Lrs::new("127.0.0.1:8100", None), Err(LrsError::BadUrl(_))));
        assert!(matches!(Lrs::new("ftp://lrs.example.com", None), Err(LrsError::BadUrl(_))));
        assert!(matches!(Lrs::new("https://lrs.example.com/xAPI?x=1", None), Err(LrsError::BadUrl(_))));
        assert!(matches!(Lrs::new("https://u:p@lrs.example.com/xAPI", None), Err(LrsError::CredentialsInUrl(_))));
    }

    #[test]
    fn plain_http_passwords_are_noticed() {
        let creds = Some(("u", "p"));
        assert!(Lrs::new("http://lrs.example.com/xAPI", creds).is_ok_and(|l| l.exposes_password()));
        assert!(Lrs::new("http://127.0.0.1:8100/xAPI", creds).is_ok_and(|l| !l.exposes_password()));
        assert!(Lrs::new("http://localhost/xAPI", creds).is_ok_and(|l| !l.exposes_password()));
        assert!(Lrs::new("https://lrs.example.com/xAPI", creds).is_ok_and(|l| !l.exposes_password()));
        assert!(Lrs::new("http://lrs.example.com/xAPI", None).is_ok_and(|l| !l.exposes_password()));
    }

    #[test]
    fn lrs_messages_are_short_and_plain() {
        assert_eq!(lrs_message("Bad Request", r#"{"detail": "Invalid JSON body"}"#), "Bad Request: Invalid JSON body");
        assert_eq!(lrs_message("Unauthorized", ""), "Unauthorized");
        assert_eq!(lrs_message("", "down\nfor maintenance"), "down for maintenance");
        assert!(lrs_message("Error", &"x".repeat(1000)).len() < 320);
        assert_eq!(
            lrs_message("Bad Request", "{\"error\": \"no\\u001b]0;PWNED\\u0007 way\\u009b2J\"}"),
            "Bad Request: no way2J"
        );
    }

    #[test]
    fn passwords_in_addresses_are_never_repeated() {
        assert_eq!(redact("https://alice:S3cret@lrs.example.com/xAPI"), "\"https://alice:***@lrs.example.com/xAPI\"");
        assert_eq!(redact("https://t0ken@lrs.example.com/xAPI"), "\"https://***@lrs.example.com/xAPI\"");
        assert_eq!(redact("lrs.example.com:S3cret@x"), "\"lrs.example.com:***@x\"");
        assert_eq!(redact("https://lrs.example.com/a@b"), "\"https://lrs.example.com/a@b\"");
        for url in
            ["https://alice:S3cret@lrs.example.com/xAPI", "ftp://alice:S3cret@host/x", "https://alice:S3cret@host/x y"]
        {
            let message = Lrs::new(url, None).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains("alice:***@") && !message.contains("S3cret"), "{message}");
        }
    }
}
