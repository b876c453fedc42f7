//! The one clock: `PACE_NOW` (an RFC 3339 time) replaces the system clock
//! everywhere, for tests and demos.

use chrono::{DateTime, Utc};

pub const ENV: &str = "PACE_NOW";

/// Now, or the time in `PACE_NOW` when it is set and valid.
pub fn now() -> DateTime<Utc> {
    std::env::var(ENV).ok().and_then(|v| parse(&v)).unwrap_or_else(Utc::now)
}

/// Checks `PACE_NOW` so a typo is reported instead of silently ignored.
pub fn check_env() -> Result<(), String> {
    match std::env::var(ENV) {
        Ok(v) if parse(&v).is_none() => {
            Err(format!("{ENV}={v:?} is not an RFC 3339 time; use e.g. 2027-01-31T09:00:00Z"))
        }
        _ => Ok(()),
    }
}

pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&Utc))
}
