//! The certification ladder over a clock the test controls.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use pace::content::{Ladder, Level, Requirements};
use pace::learning::ladder::{self, Pass, Status};
use pace::records::Grant;

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 1, 12, 0, 0).unwrap() + Duration::days(n)
}

fn ladder() -> Ladder {
    let level = |id: &str, rank, modules: &[&str], previous: Option<&str>| Level {
        id: id.into(),
        rank,
        title: id.to_uppercase(),
        summary: String::new(),
        requires: Requirements {
            modules: modules.iter().map(|m| m.to_string()).collect(),
            min_score: 75,
            previous: previous.map(str::to_string),
        },
        valid_days: 365,
        audiences: Vec::new(),
    };
    Ladder {
        renewal_window_days: 30,
        levels: vec![level("ready", 1, &["a", "b"], None), level("leader", 2, &["c"], Some("ready"))],
    }
}

fn pass(module: &str, id: i64, score: u32, at: DateTime<Utc>, major: u32) -> Pass {
    Pass { module_id: module.into(), attempt_id: id, score, at, major }
}

fn majors(id: &str) -> Option<u32> {
    Some(if id == "b" { BUMPED.with(|b| b.get()) } else { 1 })
}

thread_local! {
    static BUMPED: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

fn record(earned: &[ladder::Earned], at: DateTime<Utc>, grants: &mut Vec<Grant>) {
    for e in earned {
        grants.push(Grant {
            id: grants.len() as i64 + 1,
            level_id: e.level_id.clone(),
            granted_at: at,
            expires_at: e.expires_at,
            attempts: e.attempts.clone(),
            organisation: None,
            uuid: String::new(),
        });
    }
}

#[test]
fn no_grant_until_every_module_is_passed_at_the_minimum_score() {
    let passes = vec![pass("a", 1, 90, day(0), 1), pass("b", 2, 74, day(0), 1)];
    assert!(ladder::newly_earned(&ladder(), &majors, &passes, &[], day(0)).is_empty());
    let views = ladder::evaluate(&ladder(), &majors, &passes, &[], day(0));
    assert_eq!(views[0].remaining(), 1);
    assert_eq!(views[0].modules[1].best_score, Some(74));
}

#[test]
fn grant_records_the_attempts_and_expiry() {
    let passes = vec![pass("a", 1, 90, day(0), 1), pass("b", 2, 80, day(1), 1)];
    let earned = ladder::newly_earned(&ladder(), &majors, &passes, &[], day(1));
    assert_eq!(earned.len(), 1);
    assert_eq!(earned[0].level_id, "ready");
    assert_eq!(earned[0].attempts, vec![1, 2]);
    assert_eq!(earned[0].expires_at, day(1) + Duration::days(365));
}

#[test]
fn chained_levels_are_granted_together_when_both_hold() {
    let passes = vec![pass("a", 1, 90, day(0), 1), pass("b", 2, 80, day(0), 1), pass("c", 3, 100, day(0), 1)];
    let earned = ladder::newly_earned(&ladder(), &majors, &passes, &[], day(0));
    let ids: Vec<&str> = earned.iter().map(|e| e.level_id.as_str()).collect();
    assert_eq!(ids, ["ready", "leader"]);
}

#[test]
fn a_level_needs_its_previous_level() {
    let passes = vec![pass("c", 3, 100, day(0), 1)];
    assert!(ladder::newly_earned(&ladder(), &majors, &passes, &[], day(0)).is_empty());
    let views = ladder::evaluate(&ladder(), &majors, &passes, &[], day(0));
    assert!(!views[1].previous_held);
}

#[test]
fn status_moves_from_active_to_window_to_expired() {
    let passes = vec![pass("a", 1, 90, day(0), 1), pass("b", 2, 80, day(0), 1)];
    let mut grants = Vec::new();
    record(&ladder::newly_earned(&ladder(), &majors, &passes, &[], day(0)), day(0), &mut grants);
    assert!(matches!(ladder::status("ready", &grants, 30, day(334)), Status::Active { .. }));
    assert!(matches!(ladder::status("ready", &grants, 30, day(335)), Status::Renewal { .. }));
    assert!(matches!(ladder::status("ready", &grants, 30, day(365)), Status::Expired { .. }));
    // Old passes do not renew it.
    assert!(ladder::newly_earned(&ladder(), &majors, &passes, &grants, day(340)).is_empty());
}

#[test]
fn retaking_in_the_window_renews_and_keeps_history() {
    let mut passes = vec![pass("a", 1, 90, day(0), 1), pass("b", 2, 80, day(0), 1)];
    let mut grants = Vec::new();
    record(&ladder::newly_earned(&ladder(), &majors, &passes, &[], day(0)), day(0), &mut grants);
    passes.push(pass("a", 3, 85, day(340), 1));
    assert!(
        ladder::newly_earned(&ladder(), &majors, &passes, &grants, day(340)).is_empty(),
        "b still needs a fresh pass"
    );
    passes.push(pass("b", 4, 95, day(341), 1));
    let renewed = ladder::newly_earned(&ladder(), &majors, &passes, &grants, day(341));
    assert_eq!(renewed.len(), 1);
    assert_eq!(renewed[0].attempts, vec![3, 4]);
    record(&renewed, day(341), &mut grants);
    assert_eq!(grants.len(), 2, "the first grant is kept");
    assert!(matches!(ladder::status("ready", &grants, 30, day(400)), Status::Active { .. }));
}

#[test]
fn an_expired_level_is_renewed_by_new_passes() {
    let mut passes = vec![pass("a", 1, 90, day(0), 1), pass("b", 2, 80, day(0), 1)];
    let mut grants = Vec::new();
    record(&ladder::newly_earned(&ladder(), &majors, &passes, &[], day(0)), day(0), &mut grants);
    passes.push(pass("a", 3, 85, day(500), 1));
    passes.push(pass("b", 4, 85, day(500), 1));
    let renewed = ladder::newly_earned(&ladder(), &majors, &passes, &grants, day(500));
    assert_eq!(renewed.len(), 1);
}

#[test]
fn a_new_major_version_asks_for_a_retake() {
    let passes = vec![pass("a", 1, 90, day(0), 1), pass("b", 2, 80, day(0), 1)];
    BUMPED.with(|b| b.set(2));
    let earned = ladder::newly_earned(&ladder(), &majors, &passes, &[], day(0));
    let views = ladder::evaluate(&ladder(), &majors, &passes, &[], day(0));
    BUMPED.with(|b| b.set(1));
    assert!(earned.is_empty());
    assert!(views[0].modules[1].stale.as_deref().unwrap_or("").contains("new major version"));
}
