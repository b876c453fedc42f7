//! Rules serde cannot express: ids, counts, answers, references, placeholders.
//!
//! Each check yields a `Finding` with the JSON path of the offending value;
//! the loader turns paths into line and column. Nothing here reads files.

use super::locate::Seg;
use super::model::{Lesson, Module, Organisation, Question, QuestionKind, applies, major_of};
use super::patterns::QuizPatterns;
use super::placeholder;
use super::problem::Severity;
use super::regions::{REGION_HINT, is_country, is_region};
use super::text::Text;

/// A rule broken at a path in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: Vec<Seg>,
    /// For text that may be written as an array of lines: which line holds the problem.
    pub text_line: Option<usize>,
    pub severity: Severity,
    pub message: String,
    pub hint: String,
}

impl Finding {
    pub fn new(path: Vec<Seg>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding { path, text_line: None, severity: Severity::Error, message: message.into(), hint: hint.into() }
    }

    /// Something a learner could exploit, not something that stops the module loading.
    pub fn warning(path: Vec<Seg>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding { severity: Severity::Warning, ..Finding::new(path, message, hint) }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

use Seg::{Index, Key};

const SLUG_HINT: &str = "use lowercase letters, digits and single hyphens, e.g. \"employee-101-basics\"";

pub fn is_slug(id: &str) -> bool {
    let b = id.as_bytes();
    let mut previous = b'-';
    for &c in b {
        if !(c.is_ascii_lowercase() || c.is_ascii_digit() || (c == b'-' && previous != b'-')) {
            return false;
        }
        previous = c;
    }
    !b.is_empty() && previous != b'-'
}

struct Checker<'a> {
    org: &'a Organisation,
    /// False when the file's bytes showed every placeholder known (`scan`).
    check_placeholders: bool,
    out: Vec<Finding>,
}

/// Checks take the path of what they check as a slice on the stack: a
/// `Vec` is made only for a finding, and nearly every check finds nothing.
impl Checker<'_> {
    fn push(&mut self, path: &[Seg], message: impl Into<String>, hint: impl Into<String>) {
        self.out.push(Finding::new(path.to_vec(), message, hint));
    }

    fn slug(&mut self, path: &[Seg], what: &str, id: &str) {
        if !is_slug(id) {
            self.push(path, format!("{what} id \"{id}\" is not a slug"), SLUG_HINT);
        }
    }

    fn not_empty(&mut self, path: &[Seg], what: &str, text: &str) {
        // As `text.trim().is_empty()`, stopping at the first letter.
        if text.chars().all(char::is_whitespace) {
            self.push(path, format!("{what} is empty"), format!("write the {what}; it is shown to learners"));
        }
    }

    /// Unknown placeholders, pointing at the array line that holds them.
    fn placeholders(&mut self, path: &[Seg], text: &str) {
        if !self.check_placeholders {
            return;
        }
        for (at, key) in placeholder::find(text) {
            if !self.org.knows(key) {
                let mut known: Vec<&str> = vec!["company", "home_page"];
                known.extend(self.org.fields.keys().map(String::as_str));
                self.out.push(Finding {
                    text_line: Some(text[..at].matches('\n').count()),
                    ..Finding::new(
                        path.to_vec(),
                        format!("unknown placeholder {{{{{key}}}}}"),
                        format!("use one of: {}; or add \"{key}\" to organisation.json \"fields\"", known.join(", ")),
                    )
                });
            }
        }
    }

    /// Region tags: each one known, none twice.
    fn regions(&mut self, path: &[Seg], regions: &[String]) {
        for (i, region) in regions.iter().enumerate() {
            let mut at = path.to_vec();
            at.push(Index(i));
            if !is_region(region) {
                let hint = match region.as_str() {
                    "gb" => "the United Kingdom's legal region is \"uk\"".to_string(),
                    _ => REGION_HINT.to_string(),
                };
                self.out.push(Finding::new(at, format!("unknown region \"{region}\""), hint));
            } else if regions[..i].contains(region) {
                self.out.push(Finding::new(at, format!("region \"{region}\" is named twice"), "name each region once"));
            }
        }
    }

    fn text(&mut self, path: &[Seg], what: &str, text: &Text) {
        self.not_empty(path, what, text.as_str());
        self.placeholders(path, text.as_str());
    }
}

/// Ids in a list (lessons, questions, options), asked for each item's
/// nearest earlier twin. Short lists (nearly all) are compared pair by pair
/// with nothing allocated, which costs less than hashing; long ones are
/// sorted once.
struct Twins<'a, T> {
    items: &'a [T],
    id: fn(&T) -> &str,
    /// For lists over `FEW`: each item's nearest earlier twin.
    sorted: Option<Vec<Option<usize>>>,
}

const FEW: usize = 32;

impl<'a, T> Twins<'a, T> {
    fn new(items: &'a [T], id: fn(&T) -> &str) -> Self {
        let sorted = (items.len() > FEW).then(|| {
            let mut order: Vec<(&str, usize)> = items.iter().enumerate().map(|(i, x)| (id(x), i)).collect();
            order.sort_unstable();
            let mut out = vec![None; items.len()];
            for pair in order.windows(2) {
                if pair[0].0 == pair[1].0 {
                    out[pair[1].1] = Some(pair[0].1);
                }
            }
            out
        });
        Twins { items, id, sorted }
    }

    /// The index of the nearest item before `i` with the same id.
    fn earlier(&self, i: usize) -> Option<usize> {
        match &self.sorted {
            Some(found) => found.get(i).copied().flatten(),
            None => {
                let mine = (self.id)(self.items.get(i)?);
                (0..i).rev().find(|&j| self.items.get(j).is_some_and(|x| (self.id)(x) == mine))
            }
        }
    }
}

/// A resource address as `schema::WEB_ADDRESS` describes it: http(s) with a
/// host, mailto: with an address, or a placeholder filled in later.
pub fn is_web_address(url: &str) -> bool {
    let url = url.trim_start();
    let after = |prefix: &str| url.strip_prefix(prefix).and_then(|rest| rest.chars().next());
    let host = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace() && !matches!(c, '/' | '?' | '#'));
    host(after("https://"))
        || host(after("http://"))
        || after("mailto:").is_some_and(|c| !c.is_whitespace())
        || url.starts_with("{{")
}

/// Whether a resource url that starts with a known placeholder is a web
/// address once filled, and not another placeholder. Whether an address is
/// a web address shows in its first nine characters, so a first value that
/// long decides it without filling the url.
fn filled_is_web_address(url: &str, org: &Organisation) -> bool {
    let first = placeholder::find(url).first().and_then(|(_, key)| org.value(key));
    if let Some(value) = first.map(str::trim_start).filter(|v| v.len() >= 9) {
        return is_web_address(value) && !value.starts_with("{{");
    }
    let filled = placeholder::fill(url, org);
    is_web_address(&filled) && !filled.trim_start().starts_with("{{")
}

/// The organisation's home page without a trailing slash, when it is an
/// http(s) address that paths can be appended to (xAPI activity ids and
/// accounts are built on it). `schema::HOME_PAGE` says the same to editors.
pub fn home_page_base(home: &str) -> Option<String> {
    let home = home.trim();
    let rest = home.strip_prefix("https://").or_else(|| home.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>' | '\\');
    if host.is_empty() || home.chars().any(bad) {
        return None;
    }
    Some(home.trim_end_matches('/').to_string())
}

/// Checks the organisation profile for what lessons, certificates and the
/// exports need of it.
pub fn check_organisation(org: &Organisation) -> Vec<Finding> {
    let mut out = Vec::new();
    if org.name.trim().is_empty() {
        out.push(Finding::new(
            vec![Key("name")],
            "name is empty",
            "write the company's name; lessons ({{company}}) and certificates show it",
        ));
    }
    if home_page_base(&org.home_page).is_none() {
        out.push(Finding::new(
            vec![Key("home_page")],
            format!("home_page \"{}\" is not an http(s) address", org.home_page),
            "write the full address, e.g. \"https://example.com\"; xAPI exports name learners and activities under it",
        ));
    }
    let mut c = Checker { org, check_placeholders: false, out };
    for (i, country) in org.countries.iter().enumerate() {
        let at = |k: &'static str| [Key("countries"), Index(i), Key(k)];
        if !is_country(&country.id) {
            c.push(
                &at("id"),
                format!("country \"{}\" is not an ISO 3166-1 alpha-2 code", country.id),
                "use the two-letter code in lowercase, e.g. \"us\", \"gb\", \"de\", \"es\"",
            );
        } else if org.countries[..i].iter().any(|o| o.id == country.id) {
            c.push(&at("id"), format!("country \"{}\" is listed twice", country.id), "list each country once");
        }
        c.not_empty(&at("name"), "country name", &country.name);
        if country.regions.is_empty() {
            c.push(
                &at("regions"),
                format!("country \"{}\" has no regions", country.id),
                "name its legal regions, e.g. [\"eu\", \"de\"]",
            );
        }
        c.regions(&at("regions"), &country.regions);
    }
    c.out
}

/// Checks one module on its own.
pub fn check_module(m: &Module, org: &Organisation) -> Vec<Finding> {
    check_module_scanned(m, org, true)
}

/// `check_module`, leaving out the placeholder checks when the module's
/// file showed every placeholder known (`scan::Scan`).
pub fn check_module_scanned(m: &Module, org: &Organisation, check_placeholders: bool) -> Vec<Finding> {
    let mut c = Checker { org, check_placeholders, out: Vec::new() };
    c.slug(&[Key("id")], "module", &m.id);
    if major_of(&m.version).is_none() {
        c.push(
            &[Key("version")],
            format!("version \"{}\" is not MAJOR.MINOR or MAJOR.MINOR.PATCH", m.version),
            "write a version such as \"1.0\"; raise MAJOR when passes should be retaken",
        );
    }
    c.not_empty(&[Key("title")], "title", &m.title);
    c.placeholders(&[Key("title")], &m.title);
    c.not_empty(&[Key("summary")], "summary", &m.summary);
    c.placeholders(&[Key("summary")], &m.summary);
    if m.audiences.is_empty() {
        c.push(
            &[Key("audiences")],
            "audiences is empty",
            "name at least one of: executive, coe, business-unit, employee, partner",
        );
    }
    if ![101, 201, 301].contains(&m.level) {
        c.push(
            &[Key("level")],
            format!("level {} is not 101, 201 or 301", m.level),
            "use 101 (foundation), 201 (practitioner) or 301 (advanced)",
        );
    }
    if m.minutes == 0 {
        c.push(&[Key("minutes")], "minutes is 0", "estimate lessons plus quiz: about 200 words a minute");
    }
    if let Some(reviewed) = &m.reviewed
        && chrono::NaiveDate::parse_from_str(reviewed, "%Y-%m-%d").is_err()
    {
        c.push(
            &[Key("reviewed")],
            format!("reviewed \"{reviewed}\" is not a date"),
            "write the day its content was last reviewed as YYYY-MM-DD, e.g. \"2026-12-01\"",
        );
    }
    for (i, p) in m.prerequisites.iter().enumerate() {
        if p == &m.id {
            c.push(
                &[Key("prerequisites"), Index(i)],
                format!("module \"{}\" lists itself as a prerequisite", m.id),
                "remove it",
            );
        }
    }
    if m.lessons.is_empty() {
        c.push(&[Key("lessons")], "module has no lessons", "add at least one lesson");
    }
    let lesson_twins = Twins::new(&m.lessons, |l| &l.id);
    for (li, lesson) in m.lessons.iter().enumerate() {
        let at = |k: &'static str| [Key("lessons"), Index(li), Key(k)];
        c.slug(&at("id"), "lesson", &lesson.id);
        if let Some(first) = lesson_twins.earlier(li) {
            c.push(
                &at("id"),
                format!("duplicate lesson id \"{}\" (also lesson {} of this module)", lesson.id, first + 1),
                "give each lesson its own id",
            );
        }
        c.not_empty(&at("title"), "lesson title", &lesson.title);
        c.placeholders(&at("title"), &lesson.title);
        c.text(&at("body"), "lesson body", &lesson.body);
        c.regions(&at("regions"), &lesson.regions);
        for (ci, callout) in lesson.callouts.iter().enumerate() {
            let path = |k| [Key("lessons"), Index(li), Key("callouts"), Index(ci), Key(k)];
            c.text(&path("text"), "callout text", &callout.text);
            c.regions(&path("regions"), &callout.regions);
        }
        for (ri, res) in lesson.resources.iter().enumerate() {
            let path = |k| [Key("lessons"), Index(li), Key("resources"), Index(ri), Key(k)];
            c.not_empty(&path("title"), "resource title", &res.title);
            if !is_web_address(&res.url) {
                c.push(
                    &path("url"),
                    format!("resource url \"{}\" is not a web address", res.url),
                    "use an http(s):// or mailto: address, or a placeholder such as {{library_url}}",
                );
            } else if res.url.trim_start().starts_with("{{")
                && placeholder::find(&res.url).iter().all(|(_, key)| c.org.value(key).is_some())
                && !filled_is_web_address(&res.url, c.org)
            {
                let filled = placeholder::fill(&res.url, c.org);
                c.push(
                    &path("url"),
                    format!("resource url \"{}\" becomes \"{filled}\", which is not a web address", res.url),
                    "set that key in organisation.json to an http(s):// or mailto: address",
                );
            }
            c.placeholders(&path("url"), &res.url);
        }
    }
    check_quiz(&mut c, m, &lesson_twins);
    c.out
}

fn check_quiz(c: &mut Checker, m: &Module, lesson_twins: &Twins<Lesson>) {
    let quiz = &m.quiz;
    if quiz.pass_mark > 100 {
        c.push(
            &[Key("quiz"), Key("pass_mark")],
            format!("pass_mark {} is outside 0-100", quiz.pass_mark),
            "give the percentage needed to pass, e.g. 75",
        );
    }
    let pool = quiz.questions.len();
    if pool == 0 {
        c.push(&[Key("quiz"), Key("questions")], "quiz has no questions", "add questions to the pool");
    } else if quiz.draw == 0 || quiz.draw > pool {
        c.push(
            &[Key("quiz"), Key("draw")],
            format!("draw {} is not between 1 and the pool size {pool}", quiz.draw),
            format!("draw at most {pool} questions, or add questions to the pool"),
        );
    }
    let countries = &c.org.countries;
    let first_of_its_id = |&(i, k): &(usize, &crate::content::Country)| !countries[..i].iter().any(|o| o.id == k.id);
    for (_, country) in countries.iter().enumerate().filter(first_of_its_id) {
        let seen = quiz.questions.iter().filter(|q| applies(&q.regions, Some(&country.regions))).count();
        if quiz.draw <= pool && seen < quiz.draw {
            c.push(
                &[Key("quiz"), Key("draw")],
                format!(
                    "a learner in {} ({}) sees {seen} of the pool's questions, fewer than draw {}",
                    country.name, country.id, quiz.draw
                ),
                "add questions for everywhere or for that country's regions, or draw fewer",
            );
        }
    }
    let question_twins = Twins::new(&quiz.questions, |q| &q.id);
    let mut patterns = QuizPatterns::default();
    for (qi, q) in quiz.questions.iter().enumerate() {
        patterns.count(q);
        let at = |k: &'static str| [Key("quiz"), Key("questions"), Index(qi), Key(k)];
        c.slug(&at("id"), "question", &q.id);
        if let Some(first) = question_twins.earlier(qi) {
            c.push(
                &at("id"),
                format!("duplicate question id \"{}\" (also question {} of this quiz)", q.id, first + 1),
                "give each question its own id",
            );
        }
        c.text(&at("prompt"), "question prompt", &q.prompt);
        c.regions(&at("regions"), &q.regions);
        c.text(&at("explanation"), "explanation", &q.explanation);
        if let Some(scenario) = &q.scenario {
            c.text(&at("scenario"), "scenario", scenario);
        } else if q.kind == QuestionKind::Scenario {
            c.push(
                &[Key("quiz"), Key("questions"), Index(qi)],
                format!("scenario question \"{}\" has no \"scenario\"", q.id),
                "add \"scenario\": the situation the learner reads first",
            );
        }
        if let Some(lesson) = &q.lesson
            && !m.lessons.iter().any(|l| l.id == *lesson)
        {
            c.push(
                &at("lesson"),
                format!("question \"{}\" names unknown lesson \"{lesson}\"", q.id),
                format!("use a lesson id of this module: {}", lesson_list(m, lesson_twins)),
            );
        }
        if let Some(feedback) = &q.feedback {
            c.placeholders(&at("feedback"), feedback);
        }
        check_answers(c, qi, q);
    }
    patterns.warnings(quiz, &mut c.out);
}

/// The module's lesson ids, each once, ordered by where it last appears.
fn lesson_list(m: &Module, lesson_twins: &Twins<Lesson>) -> String {
    let mut last: Vec<(usize, &str)> = Vec::new();
    for (i, l) in m.lessons.iter().enumerate() {
        match lesson_twins.earlier(i).and_then(|j| last.iter().position(|(k, _)| *k == j)) {
            Some(at) => last[at].0 = i,
            None => last.push((i, l.id.as_str())),
        }
    }
    last.sort_by_key(|(i, _)| *i);
    last.into_iter().map(|(_, id)| id).collect::<Vec<_>>().join(", ")
}

fn check_answers(c: &mut Checker, qi: usize, q: &Question) {
    let at = |k: &'static str| [Key("quiz"), Key("questions"), Index(qi), Key(k)];
    let whole = [Key("quiz"), Key("questions"), Index(qi)];
    let correct = q.options.iter().filter(|o| o.correct).count();
    match q.kind {
        QuestionKind::TrueFalse => {
            if !q.options.is_empty() {
                c.push(
                    &at("options"),
                    format!("true-false question \"{}\" has options", q.id),
                    "remove \"options\"; write \"answer\": true or false",
                );
            }
            if q.answer.is_none() {
                c.push(
                    &whole,
                    format!("true-false question \"{}\" has no correct answer", q.id),
                    "add \"answer\": true or false",
                );
            }
        }
        kind => {
            if q.answer.is_some() {
                c.push(
                    &at("answer"),
                    format!("\"answer\" is only for true-false questions (\"{}\" is {})", q.id, kind_name(kind)),
                    "mark options with \"correct\": true instead",
                );
            }
            if q.feedback.is_some() {
                c.push(
                    &at("feedback"),
                    "question-level \"feedback\" is only for true-false questions",
                    "put feedback on each option instead",
                );
            }
            let choice = matches!(kind, QuestionKind::Single | QuestionKind::Scenario | QuestionKind::Multiple);
            if choice && q.options.len() < 2 {
                c.push(
                    &at("options"),
                    format!("question \"{}\" has fewer than two options", q.id),
                    "offer at least two options",
                );
            } else if choice && correct == 0 {
                let hint = if kind == QuestionKind::Multiple {
                    "mark one or more options with \"correct\": true"
                } else {
                    "mark exactly one option with \"correct\": true"
                };
                c.push(&at("options"), format!("quiz question \"{}\" has no correct answer", q.id), hint);
            } else if correct > 1 && matches!(kind, QuestionKind::Single | QuestionKind::Scenario) {
                c.push(
                    &at("options"),
                    format!(
                        "{} question \"{}\" has {correct} correct options; it needs exactly one",
                        kind_name(kind),
                        q.id
                    ),
                    "mark one option correct, or make it a \"multiple\" question",
                );
            }
            if kind == QuestionKind::Ordering {
                if q.options.len() < 2 {
                    c.push(
                        &at("options"),
                        format!(
                            "ordering question \"{}\" has {} item(s); it needs at least two",
                            q.id,
                            q.options.len()
                        ),
                        "list two or more items in their correct order",
                    );
                }
                if correct > 0 {
                    c.push(
                        &at("options"),
                        format!("ordering question \"{}\" marks options correct", q.id),
                        "remove \"correct\": the order of the options is the answer",
                    );
                }
            }
        }
    }
    let option_twins = Twins::new(&q.options, |o| &o.id);
    for (oi, o) in q.options.iter().enumerate() {
        let path = |k| [Key("quiz"), Key("questions"), Index(qi), Key("options"), Index(oi), Key(k)];
        c.slug(&path("id"), "option", &o.id);
        if option_twins.earlier(oi).is_some() {
            c.push(
                &path("id"),
                format!("duplicate option id \"{}\" in question \"{}\"", o.id, q.id),
                "give each option of a question its own id",
            );
        }
        c.not_empty(&path("text"), "option text", &o.text);
        c.placeholders(&path("text"), &o.text);
        if let Some(f) = &o.feedback {
            c.placeholders(&path("feedback"), f);
        }
    }
}

pub fn kind_name(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "single",
        QuestionKind::Multiple => "multiple",
        QuestionKind::TrueFalse => "true-false",
        QuestionKind::Ordering => "ordering",
        QuestionKind::Scenario => "scenario",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("employee-101-basics"));
        for bad in ["", "Upper", "a--b", "-a", "a-", "a_b", "a b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn home_pages_must_be_http() {
        assert_eq!(home_page_base("https://example.com/").as_deref(), Some("https://example.com"));
        assert_eq!(home_page_base("http://intranet.local/learning").as_deref(), Some("http://intranet.local/learning"));
        assert_eq!(home_page_base("example.com"), None);
        assert_eq!(home_page_base("https://"), None);
        assert_eq!(home_page_base("https://example.com/?a=b"), None);
        assert_eq!(home_page_base("https://exa mple.com"), None);
    }

    #[test]
    fn web_addresses_need_a_host_or_an_address() {
        for ok in ["https://example.com", " http://x", "mailto:a@b", "{{policy_url}}", "{{library_url}}/page"] {
            assert!(is_web_address(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", "https://", "http:///path", "mailto:", "example.com", "ftp://x"] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}
