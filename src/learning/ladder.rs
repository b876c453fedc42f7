//! The certification ladder: when a level is earned, its status over time
//! (active, renewal window, expired) and what remains for the next one.
//!
//! A level is granted when every required module has a passing quiz at or
//! above the level's minimum score, on the module's current major content
//! version, and the previous level is held. A renewal needs those passes to
//! be new: taken since the renewal window opened.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::content::{Ladder, Level, major_of};
use crate::records::{Attempt, Grant};

/// A passed quiz attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pass {
    pub module_id: String,
    pub attempt_id: i64,
    pub score: u32,
    pub at: DateTime<Utc>,
    /// Major content version the quiz was passed on.
    pub major: u32,
}

/// The passes among a learner's attempts.
pub fn passes(attempts: &[Attempt]) -> Vec<Pass> {
    attempts
        .iter()
        .filter(|a| a.passed == Some(true))
        .filter_map(|a| {
            Some(Pass {
                module_id: a.module_id.clone(),
                attempt_id: a.id,
                score: a.score?,
                at: a.finished_at?,
                major: major_of(&a.module_version).unwrap_or(0),
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    NotHeld,
    Active {
        granted_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    },
    /// Still held; recertification is open until it expires.
    Renewal {
        granted_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    },
    Expired {
        expired_at: DateTime<Utc>,
    },
}

impl Status {
    pub fn is_held(self) -> bool {
        matches!(self, Status::Active { .. } | Status::Renewal { .. })
    }
}

fn latest<'g>(grants: &'g [Grant], level: &str) -> Option<&'g Grant> {
    grants.iter().filter(|g| g.level_id == level).max_by_key(|g| (g.granted_at, g.id))
}

/// Status of `level` from its latest grant.
pub fn status(level: &str, grants: &[Grant], window_days: u32, now: DateTime<Utc>) -> Status {
    match latest(grants, level) {
        None => Status::NotHeld,
        Some(g) if now >= g.expires_at => Status::Expired { expired_at: g.expires_at },
        Some(g) if now >= g.expires_at - Duration::days(window_days.into()) => {
            Status::Renewal { granted_at: g.granted_at, expires_at: g.expires_at }
        }
        Some(g) => Status::Active { granted_at: g.granted_at, expires_at: g.expires_at },
    }
}

/// One required module and how the learner stands on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModuleRequirement {
    pub module_id: String,
    /// The pass that satisfies it now, if any.
    pub satisfied_by: Option<Pass>,
    /// The learner's best score on any attempt that counts toward nothing yet, for "72% of 80%".
    pub best_score: Option<u32>,
    /// Why an earlier pass does not count (new major version, or a renewal needs a fresh pass).
    pub stale: Option<String>,
}

/// A level as the learner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelView {
    pub id: String,
    pub rank: u32,
    pub title: String,
    pub status: Status,
    pub min_score: u32,
    pub previous: Option<String>,
    pub previous_held: bool,
    pub modules: Vec<ModuleRequirement>,
}

impl LevelView {
    pub fn remaining(&self) -> usize {
        self.modules.iter().filter(|m| m.satisfied_by.is_none()).count() + usize::from(!self.previous_held)
    }

    pub fn earnable(&self) -> bool {
        self.remaining() == 0
    }
}

/// Everything the ladder says about one learner at `now`. `current_major`
/// gives a module's major content version (None for a module not loaded).
pub fn evaluate(
    ladder: &Ladder,
    current_major: &dyn Fn(&str) -> Option<u32>,
    passes: &[Pass],
    grants: &[Grant],
    now: DateTime<Utc>,
) -> Vec<LevelView> {
    let mut levels: Vec<&Level> = ladder.levels.iter().collect();
    levels.sort_by_key(|l| l.rank);
    let mut views: Vec<LevelView> = Vec::new();
    for level in levels {
        let status = status(&level.id, grants, ladder.renewal_window_days, now);
        // A renewal needs passes from after the window opened.
        let since = latest(grants, &level.id).map(|g| g.expires_at - Duration::days(ladder.renewal_window_days.into()));
        let previous_held = match &level.requires.previous {
            None => true,
            Some(p) => views.iter().find(|v| &v.id == p).is_some_and(|v| v.status.is_held()),
        };
        let modules = level
            .requires
            .modules
            .iter()
            .map(|m| requirement(m, level.requires.min_score, current_major(m), since, passes))
            .collect();
        views.push(LevelView {
            id: level.id.clone(),
            rank: level.rank,
            title: level.title.clone(),
            status,
            min_score: level.requires.min_score,
            previous: level.requires.previous.clone(),
            previous_held,
            modules,
        });
    }
    views
}

fn requirement(
    module: &str,
    min: u32,
    major: Option<u32>,
    since: Option<DateTime<Utc>>,
    passes: &[Pass],
) -> ModuleRequirement {
    let mine: Vec<&Pass> = passes.iter().filter(|p| p.module_id == module).collect();
    let counts = |p: &&&Pass| p.score >= min && Some(p.major) == major && since.is_none_or(|s| p.at >= s);
    let satisfied_by = mine.iter().filter(counts).max_by_key(|p| (p.at, p.attempt_id)).map(|p| (*p).clone());
    let stale = if satisfied_by.is_some() {
        None
    } else if mine.iter().any(|p| p.score >= min && Some(p.major) != major) {
        Some("the module has a new major version since your pass; retake its quiz".to_string())
    } else if since.is_some() && mine.iter().any(|p| p.score >= min) {
        Some("renewal needs a pass from the recertification window".to_string())
    } else {
        None
    };
    ModuleRequirement {
        module_id: module.to_string(),
        best_score: mine.iter().map(|p| p.score).max(),
        satisfied_by,
        stale,
    }
}

/// A grant the learner has earned and that should be recorded now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earned {
    pub level_id: String,
    pub attempts: Vec<i64>,
    pub expires_at: DateTime<Utc>,
}

/// Levels whose requirements hold at `now` and that are not already held
/// outside their renewal window. Earlier levels earned in the same call count
/// as held for later ones (a learner can climb two rungs with one pass).
pub fn newly_earned(
    ladder: &Ladder,
    current_major: &dyn Fn(&str) -> Option<u32>,
    passes: &[Pass],
    grants: &[Grant],
    now: DateTime<Utc>,
) -> Vec<Earned> {
    let mut grants = grants.to_vec();
    let mut earned = Vec::new();
    loop {
        let views = evaluate(ladder, current_major, passes, &grants, now);
        let next = views.iter().find(|v| {
            !matches!(v.status, Status::Active { .. })
                && v.earnable()
                && !earned.iter().any(|e: &Earned| e.level_id == v.id)
        });
        let Some(view) = next else { break };
        let Some(level) = ladder.levels.iter().find(|l| l.id == view.id) else { break };
        let attempts: Vec<i64> =
            view.modules.iter().filter_map(|m| m.satisfied_by.as_ref().map(|p| p.attempt_id)).collect();
        let expires_at = now + Duration::days(level.valid_days.into());
        grants.push(Grant {
            id: i64::MAX,
            level_id: level.id.clone(),
            granted_at: now,
            expires_at,
            attempts: attempts.clone(),
            organisation: None,
            uuid: String::new(),
        });
        earned.push(Earned { level_id: level.id.clone(), attempts, expires_at });
    }
    earned
}

/// The highest level held, and the lowest level not held (the next goal).
pub fn current_and_next(views: &[LevelView]) -> (Option<&LevelView>, Option<&LevelView>) {
    let current = views.iter().filter(|v| v.status.is_held()).max_by_key(|v| v.rank);
    let next = views.iter().filter(|v| !v.status.is_held()).min_by_key(|v| v.rank);
    (current, next)
}

/// `current_and_next` for a learner of `role`: the levels meant for the role
/// come first (a partner's level is not an employee's next goal, nor their
/// current level while they hold one of their own).
pub fn current_and_next_for<'v>(
    views: &'v [LevelView],
    ladder: &Ladder,
    role: crate::content::Audience,
) -> (Option<&'v LevelView>, Option<&'v LevelView>) {
    let theirs: Vec<&LevelView> =
        views.iter().filter(|v| ladder.levels.iter().any(|l| l.id == v.id && l.is_for(role))).collect();
    let current = theirs
        .iter()
        .copied()
        .filter(|v| v.status.is_held())
        .max_by_key(|v| v.rank)
        .or_else(|| views.iter().filter(|v| v.status.is_held()).max_by_key(|v| v.rank));
    let next = theirs.iter().copied().filter(|v| !v.status.is_held()).min_by_key(|v| v.rank);
    (current, next)
}
