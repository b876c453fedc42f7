//! A records file with a known history, made through the library and the
//! real quiz marking and ladder logic at fixed times: lessons completed,
//! every question kind answered right and wrong, a failed and a passed
//! attempt, an unfinished attempt, a review answer and a level granted.

use chrono::{DateTime, Duration, Utc};
use pace::content::{Audience, Catalog, Question, QuestionKind};
use pace::learning::progress::Standing;
use pace::learning::{ladder, quiz};
use pace::records::{Given, Learner, Records};

pub const M101: &str = "employee-101-social-media-at-work";
pub const M201: &str = "employee-201-contacts-and-complaint-triage";
pub const EXEC101: &str = "executive-101-business-goals-first";

/// A name that needs quoting in CSV: a comma and quotes (a name cannot hold a newline).
pub const AWKWARD: &str = "O'Neil, \"Benny\" Jr";

pub struct History {
    pub ana: Learner,
    pub ben: Learner,
    pub chloe: Learner,
    /// Every event recorded, as (learner id, uuid).
    pub events: usize,
    /// When the last event happened.
    pub end: DateTime<Utc>,
}

/// A clock that moves a minute per event.
pub struct Tick(pub DateTime<Utc>);

impl Tick {
    pub fn next(&mut self) -> DateTime<Utc> {
        self.0 += Duration::minutes(1);
        self.0
    }
}

/// The answer a learner gives: right, or a wrong one of the same shape.
pub fn chosen(q: &Question, right: bool) -> Vec<String> {
    let ids = |v: Vec<&str>| v.into_iter().map(str::to_string).collect::<Vec<_>>();
    match q.kind {
        QuestionKind::TrueFalse => {
            let answer = q.answer.unwrap_or(true) == right;
            ids(vec![if answer { "true" } else { "false" }])
        }
        QuestionKind::Ordering => {
            let mut order: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
            if !right {
                order.reverse();
            }
            ids(order)
        }
        _ => ids(q
            .options
            .iter()
            .filter(|o| o.correct == right)
            .map(|o| o.id.as_str())
            .take(if right { 9 } else { 1 })
            .collect()),
    }
}

/// One whole attempt on every question of the pool; returns its id and how many answers.
pub fn attempt(
    records: &mut Records,
    catalog: &Catalog,
    learner: i64,
    module: &str,
    right: bool,
    finish: bool,
    tick: &mut Tick,
) -> (i64, usize) {
    let m = catalog.module(module).expect("module").clone();
    let draw = quiz::whole_pool(&m, &mut fastrand::Rng::with_seed(7));
    let started = tick.next();
    let a = records.start_attempt(learner, module, &m.version, draw.clone(), started).expect("start");
    let questions = if finish { draw.len() } else { 2 };
    for d in draw.iter().take(questions) {
        let q = m.quiz.questions.iter().find(|q| q.id == d.question).expect("question");
        let given = chosen(q, right);
        let ok = quiz::is_correct(q, &given);
        assert_eq!(ok, right, "{}: {:?}", q.id, given);
        records
            .record_answer(learner, a.id, Given { module, question: &q.id, chosen: &given, correct: ok }, tick.next())
            .expect("answer");
    }
    if finish {
        records.finish_attempt(a.id, m.quiz.pass_mark, tick.next()).expect("finish");
    }
    (a.id, questions + usize::from(finish))
}

/// Grants what the ladder says is earned now; returns how many.
pub fn grant_earned(records: &mut Records, catalog: &Catalog, learner: i64, now: DateTime<Utc>) -> usize {
    let standing = Standing::read(records, catalog, learner).expect("standing");
    let major = |id: &str| catalog.module(id).map(|m| m.major_version());
    let earned = ladder::newly_earned(&catalog.curriculum.ladder, &major, &standing.passes, &standing.grants, now);
    for e in &earned {
        let grant = pace::records::NewGrant {
            level: &e.level_id,
            granted_at: now,
            expires_at: e.expires_at,
            attempts: &e.attempts,
            organisation: &catalog.organisation.name,
        };
        records.grant_level(learner, grant).expect("grant");
    }
    earned.len()
}

pub fn record(records: &mut Records, catalog: &Catalog, start: DateTime<Utc>) -> History {
    let mut tick = Tick(start);
    let mut events = 0;
    let ana = records
        .add_learner(&pace::records::NewLearner::named("Ana Ruiz", Audience::Employee, true), tick.next())
        .expect("ana");
    let ben = records
        .add_learner(&pace::records::NewLearner::named(AWKWARD, Audience::Executive, false), tick.next())
        .expect("ben");
    let chloe = records
        .add_learner(&pace::records::NewLearner::named("Chloé Zhang", Audience::Partner, false), tick.next())
        .expect("chloe");

    for module in [M101, M201] {
        let lessons: Vec<String> =
            catalog.module(module).expect("module").lessons.iter().map(|l| l.id.clone()).collect();
        for lesson in &lessons {
            records.open_lesson(ana.id, module, lesson, tick.next()).expect("open");
            assert!(records.complete_lesson(ana.id, module, lesson, tick.next()).expect("complete"));
            events += 1;
        }
    }
    events += attempt(records, catalog, ana.id, M101, true, true, &mut tick).1;
    events += attempt(records, catalog, ana.id, M201, false, true, &mut tick).1;
    events += attempt(records, catalog, ana.id, M201, true, true, &mut tick).1;
    let granted = grant_earned(records, catalog, ana.id, tick.next());
    assert_eq!(granted, 1, "both orientation modules passed earn Social Ready");
    events += granted;
    // A review answer has no attempt.
    let q = &catalog.module(M101).expect("module").quiz.questions[0];
    let given = chosen(q, true);
    records
        .record_review_answer(
            ana.id,
            Given { module: M101, question: &q.id, chosen: &given, correct: true },
            tick.next(),
        )
        .expect("review");
    events += 1;

    let first = catalog.module(EXEC101).expect("module").lessons[0].id.clone();
    records.open_lesson(ben.id, EXEC101, &first, tick.next()).expect("open");
    assert!(records.complete_lesson(ben.id, EXEC101, &first, tick.next()).expect("complete"));
    events += 1;
    // Stopped half-way: its answers are events, its result is not yet.
    events += attempt(records, catalog, ben.id, EXEC101, true, false, &mut tick).1;

    History { ana, ben, chloe, events, end: tick.0 }
}

/// A records file in a temporary folder holding the recorded history.
pub fn recorded() -> (tempfile::TempDir, std::path::PathBuf, History) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut records = pace::records::Records::open(&db).expect("records");
    let h = record(&mut records, &pace::content::embedded(), super::t0());
    (dir, db, h)
}
