//! The trainer's report: one row per person over one or several records
//! files (collected from orientation workstations). Facts are read with a
//! few set-based queries per file and folded per person as they stream by;
//! a person recorded on two machines with the same work email or employee
//! id (or the same UUID, after a copy) is one row.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ladder::{self, LevelView, Pass, Status};
use crate::content::{Catalog, major_of};
use crate::records::{Grant, Learner, Records, Result};

/// One person's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Row id in the (first) records file that holds the person.
    pub learner_id: i64,
    pub learner_uuid: String,
    pub learner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    pub role: String,
    pub new_hire: bool,
    /// Modules whose quiz the learner has passed.
    pub modules_completed: usize,
    /// Passing quiz attempts, retakes and recertifications included.
    pub quizzes_passed: usize,
    /// Mean score of every finished quiz attempt, in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_score: Option<u32>,
    /// The highest level held now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_title: Option<String>,
    /// The soonest expiry among the levels held now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    pub last_active: DateTime<Utc>,
    /// Every level held or expired, with its status.
    pub certifications: Vec<Certification>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Certification {
    pub level: String,
    pub title: String,
    #[serde(flatten)]
    pub status: Status,
}

/// What the report knows of one person, folded from every file read.
struct Person {
    learner: Learner,
    passes: Vec<CompactPass>,
    score_sum: u64,
    scores: u64,
    grants: Vec<Grant>,
}

/// A pass as the report keeps it: a few words, not four strings, so 10,000
/// learners' histories fit in little memory.
#[derive(Clone, Copy)]
struct CompactPass {
    module: u32,
    attempt_id: i64,
    score: u32,
    major: u32,
    at: DateTime<Utc>,
}

/// People gathered from records files, merged by identity.
#[derive(Default)]
pub struct People {
    index: HashMap<String, usize>,
    people: Vec<Person>,
    /// Module ids seen, once each.
    modules: Vec<String>,
    module_index: HashMap<String, u32>,
}

/// What makes two learners the same person across files.
pub fn identity_key(l: &Learner) -> String {
    match (&l.email, &l.employee_id) {
        (Some(email), _) => format!("email:{}", email.to_lowercase()),
        (None, Some(id)) => format!("employee-id:{id}"),
        (None, None) => format!("uuid:{}", l.uuid),
    }
}

impl People {
    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Reads one records file in (all learners, or only `only`).
    pub fn gather(&mut self, records: &Records, only: Option<i64>) -> Result<()> {
        let mut here: HashMap<i64, usize> = HashMap::new();
        for learner in records.learners()? {
            if only.is_some_and(|id| id != learner.id) {
                continue;
            }
            let key = identity_key(&learner);
            let at = match self.index.get(&key) {
                Some(&at) => {
                    // The most recently active record names the person.
                    let person = &mut self.people[at];
                    if learner.last_active_at > person.learner.last_active_at {
                        person.learner = Learner { id: person.learner.id, ..learner.clone() };
                    }
                    at
                }
                None => {
                    self.people.push(Person {
                        learner: learner.clone(),
                        passes: Vec::new(),
                        score_sum: 0,
                        scores: 0,
                        grants: Vec::new(),
                    });
                    self.index.insert(key, self.people.len() - 1);
                    self.people.len() - 1
                }
            };
            here.insert(learner.id, at);
        }
        let (people, modules, module_index) = (&mut self.people, &mut self.modules, &mut self.module_index);
        records.for_each_finished_attempt(|learner, a| {
            let Some(&at) = here.get(&learner) else { return };
            let person = &mut people[at];
            person.score_sum += u64::from(a.score);
            person.scores += 1;
            if a.passed {
                let module = match module_index.get(&a.module_id) {
                    Some(&i) => i,
                    None => {
                        modules.push(a.module_id.clone());
                        let i = (modules.len() - 1) as u32;
                        module_index.insert(a.module_id, i);
                        i
                    }
                };
                person.passes.push(CompactPass {
                    module,
                    attempt_id: a.id,
                    score: a.score,
                    at: a.finished_at,
                    major: major_of(&a.module_version).unwrap_or(0),
                });
            }
        })?;
        records.for_each_grant(|learner, g| {
            if let Some(&at) = here.get(&learner) {
                people[at].grants.push(g);
            }
        })?;
        Ok(())
    }

    /// One row per person, sorted by name.
    pub fn rows(&self, catalog: &Catalog, now: DateTime<Utc>) -> Vec<Row> {
        let mut rows: Vec<Row> = self.people.iter().map(|p| row(p, &self.modules, catalog, now)).collect();
        rows.sort_by_key(|r| (r.learner.to_lowercase(), r.learner_id));
        rows
    }
}

fn row(p: &Person, modules: &[String], catalog: &Catalog, now: DateTime<Utc>) -> Row {
    let major = |id: &str| catalog.major_version(id);
    let mut passes: Vec<Pass> = p
        .passes
        .iter()
        .map(|x| Pass {
            module_id: modules.get(x.module as usize).cloned().unwrap_or_default(),
            attempt_id: x.attempt_id,
            score: x.score,
            at: x.at,
            major: x.major,
        })
        .collect();
    passes.sort_by_key(|x| (x.at, x.attempt_id));
    let mut grants = p.grants.clone();
    grants.sort_by_key(|g| g.granted_at);
    let levels: Vec<LevelView> = ladder::evaluate(&catalog.curriculum.ladder, &major, &passes, &grants, now)
        .into_iter()
        .filter(|v| {
            v.status != Status::NotHeld
                || catalog.curriculum.ladder.levels.iter().any(|l| l.id == v.id && l.is_for(p.learner.role))
        })
        .collect();
    let (current, _) = ladder::current_and_next_for(&levels, &catalog.curriculum.ladder, p.learner.role);
    let mut modules: Vec<&str> = passes.iter().map(|x| x.module_id.as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    let average = (p.scores > 0).then(|| ((p.score_sum + p.scores / 2) / p.scores) as u32);
    let expires_at = levels
        .iter()
        .filter_map(|l| match l.status {
            Status::Active { expires_at, .. } | Status::Renewal { expires_at, .. } => Some(expires_at),
            _ => None,
        })
        .min();
    let l = &p.learner;
    Row {
        learner_id: l.id,
        learner_uuid: l.uuid.clone(),
        learner: crate::content::sanitize::clean(&l.name).into_owned(),
        email: l.email.clone(),
        employee_id: l.employee_id.clone(),
        role: l.role.id().to_string(),
        new_hire: l.new_hire,
        modules_completed: modules.len(),
        quizzes_passed: passes.len(),
        average_score: average,
        level: current.map(|l| l.id.clone()),
        level_title: current.map(|l| l.title.clone()),
        expires_at,
        last_active: l.last_active_at,
        certifications: levels
            .iter()
            .filter(|l| l.status != Status::NotHeld)
            .map(|l| Certification { level: l.id.clone(), title: l.title.clone(), status: l.status })
            .collect(),
    }
}
