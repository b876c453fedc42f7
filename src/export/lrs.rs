//! One Learning Record Store over HTTP: its address, the POST of a batch of
//! statements, the GET of one statement (to check what the LRS holds), an
//! overall deadline, and what a failure means in words a trainer can act on.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;

use super::xapi::XAPI_VERSION;

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
    /// 200: stored; the statement ids the LRS returned (xAPI's answer to a
    /// POST), which may be fewer than were sent, or none.
    Stored(Vec<String>),
    /// 204: no content; an LRS says so when it already had every statement,
    /// but the answer itself confirms nothing (see `sync`).
    AlreadyStored,
    /// Any other status, with the LRS's message.
    Status { status: u16, message: String },
    /// No HTTP answer at all (refused, timed out, TLS failure...), in words.
    Unreachable(String),
    /// The run's overall deadline (`--timeout`) passed: no request was made.
    OutOfTime,
}

/// What the LRS holds under one statement id.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(Value),
    Missing,
    /// The LRS could not be asked: its answer, as for a POST.
    Failed(Reply),
}

/// One LRS: where it is and how to sign in.
pub struct Lrs {
    endpoint: String,
    /// Host and port, for messages.
    host: String,
    auth: Option<String>,
    agent: ureq::Agent,
    /// When the whole run must be over (`--timeout`), if ever.
    deadline: Option<Instant>,
}

/// The longest one request may take, deadline or not.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

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
        Ok(Lrs {
            endpoint: url.trim_end_matches('/').to_string(),
            host: authority.to_string(),
            auth,
            agent,
            deadline: None,
        })
    }

    /// Every request of this run must be answered within `total` from now;
    /// a request still waiting then is given up, and no other is made.
    pub fn with_deadline(mut self, total: Duration) -> Lrs {
        self.deadline = Some(Instant::now() + total);
        self
    }

    /// The time one request may take now: None once the deadline has passed.
    fn allowance(&self) -> Option<Duration> {
        match self.deadline {
            None => Some(REQUEST_TIMEOUT),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                (!left.is_zero()).then(|| left.min(REQUEST_TIMEOUT))
            }
        }
    }

    /// Why a request got no answer, in words (see `unreachable`); a
    /// request cut off by the deadline says so.
    fn failed(&self, e: &ureq::Error) -> Reply {
        if matches!(e, ureq::Error::Timeout(_)) && self.allowance().is_none() {
            return Reply::OutOfTime;
        }
        Reply::Unreachable(unreachable(e, &self.host))
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
        let Some(allowance) = self.allowance() else { return Reply::OutOfTime };
        let mut request = self
            .agent
            .post(self.statements_url())
            .config()
            .timeout_global(Some(allowance))
            .build()
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json");
        if let Some(auth) = &self.auth {
            request = request.header("Authorization", auth);
        }
        match request.send(body) {
            Err(e) => self.failed(&e),
            Ok(mut response) => {
                let status = response.status();
                match status.as_u16() {
                    200 => {
                        // The ids stored, as xAPI has the LRS answer; a body that
                        // is not that confirms none.
                        let body = response.body_mut().with_config().limit(REPLY_BYTES).read_to_string();
                        let ids: Vec<String> =
                            body.ok().and_then(|b| serde_json::from_str(&b).ok()).unwrap_or_default();
                        Reply::Stored(ids)
                    }
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

/// Asks the LRS for the statement it holds under `id`.
impl Lrs {
    pub fn get(&self, id: &str) -> Lookup {
        let Some(allowance) = self.allowance() else { return Lookup::Failed(Reply::OutOfTime) };
        // A statement id is a UUID: nothing in it needs escaping.
        if !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Lookup::Missing;
        }
        let mut request = self
            .agent
            .get(format!("{}?statementId={id}", self.statements_url()))
            .config()
            .timeout_global(Some(allowance))
            .build()
            .header("X-Experience-API-Version", XAPI_VERSION);
        if let Some(auth) = &self.auth {
            request = request.header("Authorization", auth);
        }
        match request.call() {
            Err(e) => Lookup::Failed(self.failed(&e)),
            Ok(mut response) => match response.status().as_u16() {
                200 => {
                    let body = response.body_mut().with_config().limit(REPLY_BYTES).read_to_string();
                    match body.ok().and_then(|b| serde_json::from_str::<Value>(&b).ok()) {
                        Some(v) if v.get("id").and_then(Value::as_str) == Some(id) => Lookup::Found(v),
                        // An answer that is not the statement asked for holds nothing under the id.
                        _ => Lookup::Missing,
                    }
                }
                404 => Lookup::Missing,
                code => {
                    let body = response.body_mut().read_to_string().unwrap_or_default();
                    let reason = response.status().canonical_reason().unwrap_or("");
                    Lookup::Failed(Reply::Status { status: code, message: lrs_message(reason, &body) })
                }
            },
        }
    }
}

/// Longest reply body read (ids of a batch, one statement).
const REPLY_BYTES: u64 = 4 * 1024 * 1024;

/// Why a request got no answer, in words a trainer can act on. TLS failures
/// are spelled out by `tls::describe`.
pub(crate) fn unreachable(e: &ureq::Error, host: &str) -> String {
    use std::io::ErrorKind;
    let io_kind = match e {
        ureq::Error::Io(io) => Some(io.kind()),
        _ => None,
    };
    match e {
        ureq::Error::Timeout(_) => format!(
            "the LRS at {host} did not answer in time (it may be overloaded, or a firewall may be holding the connection)"
        ),
        _ if e.to_string().contains("failed to lookup address") => {
            format!("the name {host} could not be found; check the address, and that this computer is online")
        }
        ureq::Error::HostNotFound => {
            format!("the name {host} could not be found; check the address, and that this computer is online")
        }
        ureq::Error::ConnectionFailed => {
            format!("nothing answered at {host}; the LRS may be stopped, or the address or port may be wrong")
        }
        _ if io_kind == Some(ErrorKind::ConnectionRefused) => {
            format!("nothing answered at {host}; the LRS may be stopped, or the address or port may be wrong")
        }
        _ if matches!(
            io_kind,
            Some(
                ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::BrokenPipe
                    | ErrorKind::UnexpectedEof
            )
        ) || e.to_string().contains("Peer disconnected") =>
        {
            format!("the LRS at {host} closed the connection before answering")
        }
        ureq::Error::Protocol(_) => format!(
            "the server at {host} did not answer as a web server does; check that the address is the LRS's (and whether it needs https://)"
        ),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            format!("the LRS at {host} sent pace to another address; give that address with --lrs")
        }
        _ => super::tls::describe(e, host),
    }
}

/// Whether the statement the LRS holds is the one pace sent: the same
/// actor, verb, object, result and time (an LRS adds `stored`, `authority`
/// and `version`, and may write numbers and times its own way).
pub fn same_statement(ours: &Value, theirs: &Value) -> bool {
    let actor = |s: &Value| {
        let a = &s["actor"];
        [a.get("mbox"), a.get("mbox_sha1sum"), a.get("openid"), a.get("account")].map(|v| v.cloned())
    };
    let time = |s: &Value| s["timestamp"].as_str().and_then(crate::records::parse_stamp);
    actor(ours) == actor(theirs)
        && ours["verb"]["id"] == theirs["verb"]["id"]
        && ours["object"]["id"] == theirs["object"]["id"]
        && same_json(&ours["result"], &theirs["result"])
        && time(ours) == time(theirs)
}

/// JSON values equal, numbers compared by value (1 and 1.0 are the same).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn a_statement_the_lrs_rewrote_its_own_way_is_still_the_same() {
        let ours = json!({"id": "x", "actor": {"account": {"homePage": "h", "name": "n"}}, "verb": {"id": "v"},
            "object": {"id": "o"}, "result": {"score": {"scaled": 1}}, "timestamp": "2026-12-01T09:00:00Z"});
        let mut theirs = ours.clone();
        theirs["result"]["score"]["scaled"] = json!(1.0);
        theirs["timestamp"] = json!("2026-12-01T09:00:00+00:00");
        theirs["stored"] = json!("2026-12-02T09:00:00Z");
        assert!(same_statement(&ours, &theirs));
        theirs["verb"]["id"] = json!("other");
        assert!(!same_statement(&ours, &theirs));
    }
}
