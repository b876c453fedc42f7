//! The one clock: `PACE_NOW` (an RFC 3339 time) replaces the system clock
//! everywhere, for tests and demos.

use chrono::{DateTime, Utc};

pub const ENV: &str = "PACE_NOW";

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// `PACE_NOW` when set and valid, else the system clock.
    pub fn from_env() -> Clock {
        match std::env::var(ENV).ok().and_then(|v| parse(&v)) {
            Some(t) => Clock::Fixed(t),
            None => Clock::System,
        }
    }

    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

/// Now, or the time in `PACE_NOW` when it is set and valid.
pub fn now() -> DateTime<Utc> {
    Clock::from_env().now()
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
