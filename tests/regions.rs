//! More than one country: a learner reads the content of their country's
//! legal regions with its contacts, chooses the country at sign-up, and a
//! records file from before countries existed migrates with its learners.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::rc::Rc;

use pace::content::{Audience, Catalog, embedded};
use pace::learning::clock::Clock;
use pace::learning::session::Session;
use pace::records::{LATEST_VERSION, NewLearner, Records};

const MODULE: &str = "employee-101-social-media-at-work";

/// The shipped curriculum with one question for the US only and one for the
/// EU only, and a German crisis contact.
fn tagged() -> (Catalog, String, String) {
    let mut catalog = embedded();
    let germany = catalog.organisation.countries.iter_mut().find(|c| c.id == "de").expect("Germany is shipped");
    germany.contacts.insert("crisis_contact".into(), "the Munich duty lead".into());
    let index = catalog.modules.iter().position(|m| m.id == MODULE).expect("module");
    let questions = &mut catalog.modules[index].quiz.questions;
    questions[0].regions = vec!["us".into()];
    questions[1].regions = vec!["eu".into()];
    let (us, eu) = (questions[0].id.clone(), questions[1].id.clone());
    (catalog, us, eu)
}

fn session(catalog: Catalog, records: Records) -> Session {
    Session::new(Rc::new(catalog), records, Clock::Fixed(common::t0()), Some(7), false)
}

fn pool(session: &Session) -> Vec<String> {
    let module = session.catalog().module(MODULE).expect("module");
    module.quiz.questions.iter().map(|q| q.id.clone()).collect()
}

#[test]
fn a_learner_reads_their_countrys_content_and_contacts_and_can_move() {
    let (catalog, us_only, eu_only) = tagged();
    let mut session = session(catalog, Records::in_memory().expect("records"));
    let new = NewLearner { country: Some("de".into()), ..NewLearner::named("Lena Vogt", Audience::Employee, true) };
    let lena = session.sign_up(&new).expect("sign up");
    session.enter(lena).expect("enter");
    assert_eq!(session.country().map(|c| c.id.as_str()), Some("de"));
    assert!(pool(&session).contains(&eu_only) && !pool(&session).contains(&us_only));
    assert_eq!(session.catalog().organisation.value("crisis_contact"), Some("the Munich duty lead"));
    let attempt = session.open_quiz(MODULE, true).expect("a quiz opens");
    assert!(attempt.draw.iter().all(|d| d.question != us_only), "a German learner never draws the US question");

    session.set_country("us").expect("move to the US");
    assert!(pool(&session).contains(&us_only) && !pool(&session).contains(&eu_only));
    assert_ne!(session.catalog().organisation.value("crisis_contact"), Some("the Munich duty lead"));
    let again = session.learner_by_name("Lena Vogt").expect("read").expect("Lena");
    assert_eq!(again.country.as_deref(), Some("us"), "the move is saved");

    session.leave();
    assert!(pool(&session).contains(&us_only) && pool(&session).contains(&eu_only), "no one in session: all of it");
}

/// A learner who never said where they work reads the first country's content.
#[test]
fn a_learner_with_no_country_reads_the_default_countrys_content() {
    let (catalog, us_only, eu_only) = tagged();
    assert_eq!(catalog.organisation.countries[0].id, "us", "the shipped default");
    let mut session = session(catalog, Records::in_memory().expect("records"));
    let ana = session.sign_up(&NewLearner::named("Ana Ruiz", Audience::Employee, false)).expect("sign up");
    session.enter(ana).expect("enter");
    assert!(pool(&session).contains(&us_only) && !pool(&session).contains(&eu_only));
}

/// A version 2 file (before countries) upgrades behind a backup, its
/// learners kept, with no country until they choose one.
#[test]
fn a_version_two_file_gains_countries_and_keeps_its_learners() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    common::records_with(&db, &[("Ana Ruiz", Audience::Employee, false)]);
    {
        let raw = rusqlite::Connection::open(&db).expect("raw");
        raw.execute_batch("ALTER TABLE learners DROP COLUMN country; ALTER TABLE learners DROP COLUMN language;")
            .expect("as version 2 had it");
        raw.pragma_update(None, "user_version", 2).expect("version 2");
    }
    let records = Records::open(&db).expect("opens");
    let upgrade = records.upgraded().expect("upgraded").clone();
    assert_eq!((upgrade.from, upgrade.to), (2, LATEST_VERSION));
    assert!(upgrade.backup.exists());
    let ana = records.learner_by_name("Ana Ruiz").expect("read").expect("kept");
    assert_eq!((ana.country, ana.language), (None, None));
}

/// The welcome form asks where the learner works when the organisation
/// lists several countries; Enter alone keeps the first.
#[test]
fn the_welcome_form_saves_the_country_chosen_and_enter_keeps_the_first() {
    use ratatui::crossterm::event::KeyCode;
    let dir = tempfile::tempdir().expect("tempdir");
    for (downs, want) in [(0, "us"), (2, "de")] {
        let db = dir.path().join(format!("{want}.sqlite3"));
        let mut app = common::app_with(embedded(), Records::open(&db).expect("records"), None, (80, 24));
        common::type_text(&mut app, "Lena Vogt");
        for _ in 0..3 {
            common::press(&mut app, KeyCode::Tab);
        }
        for _ in 0..downs {
            common::press(&mut app, KeyCode::Down);
        }
        common::press(&mut app, KeyCode::Enter);
        assert_eq!(app.learner().and_then(|l| l.country.as_deref()), Some(want));
        let stored = Records::open(&db).expect("reopen").learner_by_name("Lena Vogt").expect("read").expect("saved");
        assert_eq!(stored.country.as_deref(), Some(want));
    }
}

/// In the full-screen trainer, `w` on the home or progress pane moves the
/// learner to the organisation's next country, saved at once.
#[test]
fn w_on_home_moves_the_learner_to_the_next_country() {
    use ratatui::crossterm::event::KeyCode;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("pace.sqlite3");
    let mut app = common::app_with(embedded(), Records::open(&db).expect("records"), None, (120, 40));
    common::welcome(&mut app, "Lena Vogt", false);
    assert_eq!(app.learner().and_then(|l| l.country.as_deref()), Some("us"));
    common::press(&mut app, KeyCode::Char('w'));
    assert_eq!(app.learner().and_then(|l| l.country.as_deref()), Some("us"), "w in the catalog does nothing");
    common::press(&mut app, KeyCode::Tab);
    common::press(&mut app, KeyCode::Char('w'));
    assert_eq!(app.learner().and_then(|l| l.country.as_deref()), Some("gb"));
    let stored = Records::open(&db).expect("reopen").learner_by_name("Lena Vogt").expect("read").expect("saved");
    assert_eq!(stored.country.as_deref(), Some("gb"));
}
