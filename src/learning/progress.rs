//! A learner's progress in one value: level, what remains for the next one,
//! per-track completion, recent scores, streak and time spent. The trainer's
//! progress pane and `pace progress` both show this.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::ladder::{self, LevelView, Pass};
use crate::content::Catalog;
use crate::records::{Learner, LessonProgress, Records, Result};

#[derive(Debug, Clone, Serialize)]
pub struct TrackProgress {
    pub id: String,
    pub title: String,
    pub lessons_done: usize,
    pub lessons_total: usize,
    pub quizzes_passed: usize,
    pub modules_total: usize,
    pub percent: u32,
    pub minutes_spent: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub module_id: String,
    pub module_title: String,
    pub score: u32,
    pub passed: bool,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub learner: String,
    pub role: String,
    pub new_hire: bool,
    pub current_level: Option<LevelView>,
    pub next_level: Option<LevelView>,
    pub levels: Vec<LevelView>,
    pub tracks: Vec<TrackProgress>,
    pub modules_passed: usize,
    pub lessons_completed: usize,
    pub recent_scores: Vec<Score>,
    pub streak_days: u32,
    pub last_active: DateTime<Utc>,
}

/// Facts about one learner's lessons and quizzes, read once from records.
pub struct Standing {
    pub lessons: Vec<LessonProgress>,
    pub passes: Vec<Pass>,
    pub scores: Vec<Score>,
    pub grants: Vec<crate::records::Grant>,
    pub active_days: Vec<NaiveDate>,
}

impl Standing {
    /// No lessons, passes or grants (before a learner is chosen).
    pub fn empty() -> Standing {
        Standing {
            lessons: Vec::new(),
            passes: Vec::new(),
            scores: Vec::new(),
            grants: Vec::new(),
            active_days: Vec::new(),
        }
    }

    pub fn read(records: &Records, catalog: &Catalog, learner: i64) -> Result<Standing> {
        let attempts = records.attempts(learner)?;
        let scores = attempts
            .iter()
            .filter_map(|a| {
                Some(Score {
                    module_id: a.module_id.clone(),
                    module_title: catalog.module(&a.module_id).map_or_else(|| a.module_id.clone(), |m| m.title.clone()),
                    score: a.score?,
                    passed: a.passed?,
                    at: a.finished_at?,
                })
            })
            .collect();
        Ok(Standing {
            lessons: records.lesson_progress(learner)?,
            passes: ladder::passes(&attempts),
            scores,
            grants: records.grants(learner)?,
            active_days: records.active_days(learner)?,
        })
    }

    pub fn lesson_done(&self, module: &str, lesson: &str) -> bool {
        self.lessons.iter().any(|l| l.module_id == module && l.lesson_id == lesson && l.completed_at.is_some())
    }

    /// Whether the module's quiz has ever been passed.
    pub fn quiz_passed(&self, module: &str) -> bool {
        self.passes.iter().any(|p| p.module_id == module)
    }

    pub fn levels(&self, catalog: &Catalog, now: DateTime<Utc>) -> Vec<LevelView> {
        let major = |id: &str| catalog.major_version(id);
        ladder::evaluate(&catalog.curriculum.ladder, &major, &self.passes, &self.grants, now)
    }
}

pub fn summary(records: &Records, catalog: &Catalog, learner: &Learner, now: DateTime<Utc>) -> Result<Summary> {
    Ok(summarise(&Standing::read(records, catalog, learner.id)?, catalog, learner, now))
}

/// The summary from facts already read (the trainer keeps them current).
pub fn summarise(standing: &Standing, catalog: &Catalog, learner: &Learner, now: DateTime<Utc>) -> Summary {
    // The levels of the learner's role, and any other level they hold.
    let levels: Vec<LevelView> = standing
        .levels(catalog, now)
        .into_iter()
        .filter(|v| {
            v.status != ladder::Status::NotHeld
                || catalog.curriculum.ladder.levels.iter().any(|l| l.id == v.id && l.is_for(learner.role))
        })
        .collect();
    let (current, next) = ladder::current_and_next_for(&levels, &catalog.curriculum.ladder, learner.role);
    let (current, next) = (current.cloned(), next.cloned());
    let seconds: HashMap<&str, u64> = standing.lessons.iter().fold(HashMap::new(), |mut acc, l| {
        *acc.entry(l.module_id.as_str()).or_default() += l.seconds_spent;
        acc
    });
    let tracks = catalog
        .curriculum
        .tracks
        .iter()
        .map(|t| {
            let modules: Vec<_> = t.modules.iter().filter_map(|id| catalog.module(id)).collect();
            let lessons_total = modules.iter().map(|m| m.lessons.len()).sum();
            let lessons_done =
                modules.iter().map(|m| m.lessons.iter().filter(|l| standing.lesson_done(&m.id, &l.id)).count()).sum();
            let quizzes_passed = modules.iter().filter(|m| standing.quiz_passed(&m.id)).count();
            let total = lessons_total + modules.len();
            TrackProgress {
                id: t.id.clone(),
                title: t.title.clone(),
                lessons_done,
                lessons_total,
                quizzes_passed,
                modules_total: modules.len(),
                percent: ((lessons_done + quizzes_passed) * 100).checked_div(total).unwrap_or(0) as u32,
                minutes_spent: modules.iter().map(|m| seconds.get(m.id.as_str()).copied().unwrap_or(0)).sum::<u64>()
                    / 60,
            }
        })
        .collect();
    let passed: HashSet<&str> = standing.passes.iter().map(|p| p.module_id.as_str()).collect();
    let mut recent = standing.scores.clone();
    recent.sort_by_key(|s| std::cmp::Reverse(s.at));
    recent.truncate(10);
    Summary {
        // Cleaned: a name stored before names were cleaned prints safely.
        learner: crate::content::sanitize::one_line(&learner.name),
        role: learner.role.label().to_string(),
        new_hire: learner.new_hire,
        current_level: current,
        next_level: next,
        levels,
        tracks,
        modules_passed: passed.len(),
        lessons_completed: standing.lessons.iter().filter(|l| l.completed_at.is_some()).count(),
        recent_scores: recent,
        streak_days: streak(&standing.active_days, now.date_naive()),
        last_active: learner.last_active_at,
    }
}

/// A module's title, or its id when it is not loaded.
pub fn module_title(catalog: &Catalog, id: &str) -> String {
    catalog.module(id).map_or_else(|| id.to_string(), |m| m.title.clone())
}

/// Consecutive active days ending today (or yesterday, so a streak is not
/// lost before the learner had a chance to study today).
pub fn streak(days: &[NaiveDate], today: NaiveDate) -> u32 {
    let set: HashSet<NaiveDate> = days.iter().copied().collect();
    let mut day = if set.contains(&today) { today } else { today - Duration::days(1) };
    let mut n = 0;
    while set.contains(&day) {
        n += 1;
        day -= Duration::days(1);
    }
    n
}

/// "active until 2027-11-27", "renew by 2027-11-27", "expired 2027-11-27".
pub fn status_text(status: ladder::Status) -> String {
    match status {
        ladder::Status::NotHeld => "not held".into(),
        ladder::Status::Active { expires_at, .. } => format!("active until {}", expires_at.format("%Y-%m-%d")),
        ladder::Status::Renewal { expires_at, .. } => format!("recertify by {}", expires_at.format("%Y-%m-%d")),
        ladder::Status::Expired { expired_at } => format!("expired {}", expired_at.format("%Y-%m-%d")),
    }
}

/// One line per unmet requirement of a level; `title` names a module.
pub fn requirement_lines(level: &LevelView, title: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut lines = Vec::new();
    if !level.previous_held
        && let Some(p) = &level.previous
    {
        lines.push(format!("hold level \"{p}\" first"));
    }
    for m in level.modules.iter().filter(|m| m.satisfied_by.is_none()) {
        let detail = match (&m.stale, m.best_score) {
            (Some(why), _) => why.clone(),
            (None, Some(best)) => format!("best {best}%, needs {}%", level.min_score),
            (None, None) => format!("pass its quiz at {}% or more", level.min_score),
        };
        lines.push(format!("{}: {detail}", title(&m.module_id)));
    }
    lines
}
