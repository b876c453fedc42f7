//! Loading a modules folder (or files, or the embedded curriculum) into a
//! `Catalog`: every valid module, the curriculum, the organisation profile,
//! and every problem found on the way. A broken file never stops the others.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;

use super::locate::{self, Seg};
use super::model::{Audience, Curriculum, FORMAT_VERSION, Module, Organisation, Track};
use super::patterns;
use super::problem::{Problem, Severity};
use super::validate::{self, Finding};

/// Largest file the loader reads.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// UTF-8's byte order mark, which some Windows editors put first.
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub const CURRICULUM_FILE: &str = "curriculum.json";
pub const ORGANISATION_FILE: &str = "organisation.json";

/// One file's name (as shown in messages) and bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything loaded from one set of sources.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Modules that passed validation, in file-name order.
    pub modules: Vec<Module>,
    /// Which file each loaded module came from.
    pub files: HashMap<String, String>,
    pub curriculum: Curriculum,
    /// True when no curriculum.json was given and tracks were made from audiences.
    pub curriculum_derived: bool,
    pub organisation: Organisation,
    pub problems: Vec<Problem>,
    index: HashMap<String, usize>,
}

impl Catalog {
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.index.get(id).map(|&i| &self.modules[i])
    }

    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    /// After a reload: a module whose file now fails to load stays as it was
    /// in `previous`, so an author mid-edit keeps seeing the last good version.
    pub fn keep_last_good(&mut self, previous: &Catalog) {
        for m in &previous.modules {
            let Some(file) = previous.files.get(&m.id) else { continue };
            let broken = self.problems.iter().any(|p| p.is_error() && &p.path == file);
            if broken && !self.index.contains_key(&m.id) {
                self.index.insert(m.id.clone(), self.modules.len());
                self.files.insert(m.id.clone(), file.clone());
                self.modules.push(m.clone());
            }
        }
        if self.curriculum_derived {
            self.curriculum = derive_curriculum(&self.modules);
        }
    }
}

/// How a set of sources was chosen: a whole folder is held to every
/// cross-file rule; a hand-picked set of files may leave prerequisites out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Folder,
    Files,
}

/// The curriculum compiled into the binary from the repository's modules/.
pub fn embedded() -> Catalog {
    let sources = crate::embedded::FILES
        .iter()
        .map(|(path, bytes)| SourceFile { path: (*path).to_string(), bytes: bytes.to_vec() })
        .collect();
    load_sources(sources, Scope::Folder)
}

/// The organisation profile compiled into the binary.
pub fn embedded_organisation() -> Organisation {
    crate::embedded::FILES
        .iter()
        .find(|(path, _)| file_name(path) == ORGANISATION_FILE)
        .and_then(|(_, bytes)| serde_json::from_slice(bytes).ok())
        .unwrap_or_else(|| Organisation {
            schema: None,
            format: FORMAT_VERSION,
            name: "Your organisation".into(),
            home_page: "https://example.com".into(),
            learner_id: Default::default(),
            fields: Default::default(),
        })
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A source that parsed, with its value.
struct Parsed<'a, T> {
    path: &'a str,
    text: &'a str,
    value: T,
}

impl<'a, T> Parsed<'a, T> {
    /// The file as text, for the line and column of a finding.
    fn text(&self) -> &'a str {
        self.text
    }
}

/// The size and byte-order-mark checks of one source: its bytes, or None
/// with the reason among `problems`. The UTF-8 check comes with the parse
/// (`parse`), so the file is read from the cache by the parser.
fn bytes_of<'a>(source: &'a SourceFile, problems: &mut Vec<Problem>) -> Option<&'a [u8]> {
    if source.bytes.len() as u64 > MAX_FILE_BYTES {
        problems.push(super::read::too_large(&source.path, Some(source.bytes.len() as u64)));
        return None;
    }
    match source.bytes.strip_prefix(BOM) {
        Some(rest) => {
            problems.push(Problem::warning(
                &source.path,
                (1, 1),
                "file starts with a byte order mark (U+FEFF); pace reads it without the mark",
                "save the file as UTF-8 without a byte order mark (\"UTF-8\", not \"UTF-8 with BOM\"); other JSON tools may refuse it",
            ));
            Some(rest)
        }
        None => Some(&source.bytes[..]),
    }
}

/// The problem for a file that is not UTF-8, at the first byte that is not.
fn not_utf8(path: &str, bytes: &[u8], e: std::str::Utf8Error) -> Problem {
    let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
    Problem::error(
        path,
        locate::line_col(valid, valid.len()),
        "file is not UTF-8 text",
        "save the file as UTF-8 (most editors offer this under \"encoding\")",
    )
}

/// Where each stage's problems go, to be reported stage by stage.
struct Stages {
    files: Vec<Problem>,
    parsing: Vec<Problem>,
}

/// Loads already-read sources. Order matters only for which of two
/// duplicate ids is reported: the later file.
///
/// Each module is parsed, checked and cleaned in one go, while its text is
/// still in the processor's cache; problems are reported in the order of
/// the stages (file checks, parsing, each module's checks, cycles, the
/// curriculum), each stage in file order.
pub fn load_sources(sources: Vec<SourceFile>, scope: Scope) -> Catalog {
    // Stage by stage, each in file order.
    let mut stages = Stages { files: Vec::new(), parsing: Vec::new() };

    // The organisation first: module checks need its placeholders. Its
    // problems are kept aside and reported where its file comes.
    let mut organisation = None;
    let mut org_problems: Vec<(usize, Stages)> = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        if file_name(&source.path) != ORGANISATION_FILE {
            continue;
        }
        let mut stages = Stages { files: Vec::new(), parsing: Vec::new() };
        if let Some(bytes) = bytes_of(source, &mut stages.files)
            && let Some(org) = parse::<Organisation>(&source.path, bytes, &mut stages)
        {
            let findings = validate::check_organisation(&org.value);
            stages.parsing.extend(findings.into_iter().map(|f| to_problem(&source.path, org.text(), f)));
            organisation = Some(org.value);
        }
        org_problems.push((i, stages));
    }
    let mut organisation = organisation.unwrap_or_else(embedded_organisation);
    super::sanitize::organisation(&mut organisation);

    let mut curriculum = None;
    let mut modules: Vec<Parsed<Module>> = Vec::new();
    // What each module's own checks found, by module.
    let mut checked: Vec<Vec<Finding>> = Vec::new();
    let mut org_problems = org_problems.into_iter().peekable();
    for (i, source) in sources.iter().enumerate() {
        if let Some((_, org)) = org_problems.next_if(|(at, _)| *at == i) {
            stages.files.extend(org.files);
            stages.parsing.extend(org.parsing);
            continue;
        }
        let Some(bytes) = bytes_of(source, &mut stages.files) else { continue };
        let path = source.path.as_str();
        if file_name(path) == CURRICULUM_FILE {
            curriculum = parse::<Curriculum>(path, bytes, &mut stages);
            continue;
        }
        let Some(mut module) = parse::<Module>(path, bytes, &mut stages) else { continue };
        let scan = super::scan::scan(bytes, &organisation);
        let findings = validate::check_module_scanned(&module.value, &organisation, scan.may_have_unknown_placeholder);
        // Checked as written, cleaned for the screen; most files need no walk.
        if scan.may_need_cleaning {
            super::sanitize::module(&mut module.value);
        }
        modules.push(module);
        checked.push(findings);
    }
    let mut problems = stages.files;
    problems.append(&mut stages.parsing);

    // The first file of each id keeps it; a later one is a duplicate.
    let mut first_file: HashMap<&str, &str> = HashMap::with_capacity(modules.len());
    for (m, findings) in modules.iter().zip(&mut checked) {
        let id = m.value.id.as_str();
        match first_file.entry(id) {
            std::collections::hash_map::Entry::Occupied(first) => findings.push(Finding::new(
                vec![Seg::Key("id")],
                format!("duplicate module id \"{id}\" (also in {})", first.get()),
                "give each module its own id; this file is skipped",
            )),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(m.path);
            }
        }
    }
    let any_prerequisites = modules.iter().any(|m| !m.value.prerequisites.is_empty());

    // Every id some file declares, valid or not, so references to a broken
    // module are not reported a second time as unknown.
    // (Looked up only when some module names a prerequisite, or for the curriculum.)
    let declared: HashSet<&str> =
        if any_prerequisites || curriculum.is_some() { first_file.keys().copied().collect() } else { HashSet::new() };
    let mut valid: Vec<bool> = Vec::with_capacity(modules.len());
    for (m, findings) in modules.iter().zip(checked) {
        for (i, prereq) in m.value.prerequisites.iter().enumerate() {
            if !declared.contains(prereq.as_str()) {
                let (severity, hint) = match scope {
                    Scope::Folder => (Severity::Error, "name a module id from this folder, or remove it"),
                    Scope::Files => {
                        (Severity::Warning, "it is not among the files given; validate the whole folder to check it")
                    }
                };
                let mut p = to_problem(
                    m.path,
                    m.text(),
                    Finding::new(
                        vec![Seg::Key("prerequisites"), Seg::Index(i)],
                        format!("unknown prerequisite \"{prereq}\""),
                        hint,
                    ),
                );
                p.severity = severity;
                problems.push(p);
            }
        }
        let ok = !findings.iter().any(Finding::is_error);
        problems.extend(findings.into_iter().map(|f| to_problem(m.path, m.text(), f)));
        valid.push(ok);
    }
    // The curriculum's references are checked against the same ids, later.
    let declared: HashSet<String> =
        if curriculum.is_some() { declared.into_iter().map(str::to_string).collect() } else { HashSet::new() };

    let pairs: Vec<(&str, &[String])> = if !any_prerequisites {
        Vec::new()
    } else {
        modules
            .iter()
            .zip(&valid)
            .filter(|(_, ok)| **ok)
            .map(|(m, _)| (m.value.id.as_str(), m.value.prerequisites.as_slice()))
            .collect()
    };
    let mut in_cycle = HashSet::new();
    let cycles = if any_prerequisites { validate::prerequisite_cycles(&pairs) } else { Vec::new() };
    for ring in cycles {
        let Some(m) = modules.iter().find(|m| m.value.id == ring[0]) else { continue };
        let next = ring.get(1).unwrap_or(&ring[0]);
        let at = m.value.prerequisites.iter().position(|p| p == next).unwrap_or(0);
        let mut shown = ring.clone();
        shown.push(ring[0].clone());
        problems.push(to_problem(
            m.path,
            m.text(),
            Finding::new(
                vec![Seg::Key("prerequisites"), Seg::Index(at)],
                format!("prerequisites form a cycle: {}", shown.join(" -> ")),
                "remove one prerequisite so the modules can be unlocked in order; these modules are skipped",
            ),
        ));
        in_cycle.extend(ring);
    }

    let mut catalog = Catalog {
        modules: Vec::new(),
        files: HashMap::with_capacity(modules.len()),
        curriculum: Curriculum::default(),
        curriculum_derived: curriculum.is_none(),
        organisation,
        problems,
        index: HashMap::with_capacity(modules.len()),
    };
    for (m, ok) in modules.into_iter().zip(valid) {
        if ok && !in_cycle.contains(&m.value.id) && !catalog.index.contains_key(&m.value.id) {
            catalog.index.insert(m.value.id.clone(), catalog.modules.len());
            catalog.files.insert(m.value.id.clone(), m.path.to_string());
            catalog.modules.push(m.value);
        }
    }
    catalog.curriculum = match curriculum {
        Some(c) => {
            let pass_mark = |id: &str| catalog.module(id).map(|m| m.quiz.pass_mark);
            let findings = check_curriculum(&c.value, &declared, &pass_mark);
            catalog.problems.extend(findings.into_iter().map(|f| to_problem(c.path, c.text(), f)));
            let mut value = c.value;
            super::sanitize::curriculum(&mut value);
            value
        }
        None => derive_curriculum(&catalog.modules),
    };
    catalog
}

fn to_problem(path: &str, text: &str, finding: Finding) -> Problem {
    let mut at = finding.path;
    if let Some(line) = finding.text_line
        && locate::value_starts_with(text, &at, b'[')
    {
        at.push(Seg::Index(line));
    }
    let mut problem = Problem::error(path, locate::position(text, &at), finding.message, finding.hint);
    problem.severity = finding.severity;
    problem
}

/// Parses one file, checking its format version first when parsing fails so
/// a file from a newer pace gets the right message. A file that is not
/// UTF-8 is reported as such among the file checks. (Checking the whole
/// file first and parsing it as text is quicker than serde_json checking
/// each string it reads.)
fn parse<'a, T: DeserializeOwned + HasFormat>(
    path: &'a str,
    bytes: &'a [u8],
    stages: &mut Stages,
) -> Option<Parsed<'a, T>> {
    #[derive(serde::Deserialize)]
    struct Peek {
        format: Option<serde_json::Value>,
    }
    let format_problem = |problems: &mut Vec<Problem>, text: &str, found: &serde_json::Value| {
        problems.push(Problem::error(
            path,
            locate::position(text, &[Seg::Key("format")]),
            format!("format {found} is not supported; this pace reads format {FORMAT_VERSION}"),
            format!("set \"format\": {FORMAT_VERSION} and follow modules/README.md, or use a newer pace"),
        ));
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            stages.files.push(not_utf8(path, bytes, e));
            return None;
        }
    };
    match serde_json::from_str::<T>(text) {
        Ok(value) => {
            let parsed = Parsed { path, text, value };
            if parsed.value.format() != FORMAT_VERSION {
                format_problem(&mut stages.parsing, parsed.text(), &serde_json::Value::from(parsed.value.format()));
                return None;
            }
            Some(parsed)
        }
        Err(err) => {
            if let Ok(Peek { format: Some(found) }) = serde_json::from_str::<Peek>(text)
                && found != FORMAT_VERSION
            {
                format_problem(&mut stages.parsing, text, &found);
                return None;
            }
            stages.parsing.push(json_problem(path, text, &err));
            None
        }
    }
}

/// The message and hint for a serde_json error, at its line and column.
fn json_problem(path: &str, text: &str, err: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let full = err.to_string();
    let message = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]).replace('`', "\"");
    let message = ["u16", "u32", "u64", "usize"]
        .iter()
        .fold(message, |m, t| m.replace(&format!("expected {t}"), "expected a whole number"));
    let at = (err.line().max(1), err.column().max(1));
    if err.classify() == Category::Syntax
        && (message.contains("surrogate") || message == "unexpected end of hex escape")
        && let Some((column, escape)) = lone_surrogate(text, at)
    {
        return Problem::error(
            path,
            (at.0, column),
            format!("\"{escape}\" is half of a UTF-16 surrogate pair, and the other half is missing"),
            "write the character itself (the file is UTF-8), or both halves of the pair, e.g. \\ud83d\\ude00",
        );
    }
    let hint = match err.classify() {
        Category::Syntax if message.starts_with("number out of range") => {
            "the number is too large to read: give the value the field takes (modules/README.md has an example of every field)"
        }
        Category::Syntax => {
            "this is not valid JSON here: look for a missing comma, quote or bracket, or a comma before } or ]"
        }
        Category::Eof => "the file ends too early: close every { and [ and finish the last value",
        Category::Io => "the file could not be read",
        Category::Data if message.starts_with("unknown field") => {
            "remove the field or correct its spelling (modules/README.md lists every field)"
        }
        Category::Data if message.starts_with("missing field") => "add the field; modules/README.md says what it holds",
        Category::Data if message.starts_with("unknown variant") => "use one of the values listed",
        Category::Data => "give the value the type shown (modules/README.md has an example of every field)",
    };
    let message =
        if message.starts_with("missing field") { format!("{message} in the object that ends here") } else { message };
    Problem::error(path, at, message, hint)
}

/// The unpaired `\\uD800`-`\\uDFFF` escape on the error's line, before its
/// column: its column and its text. serde_json reports these as an
/// "unexpected end of hex escape" or a "lone leading surrogate", even for a
/// trailing half.
fn lone_surrogate(text: &str, (line, column): (usize, usize)) -> Option<(usize, String)> {
    let line_text = text.lines().nth(line - 1)?;
    let upto: String = line_text.chars().take(column).collect();
    let escapes: Vec<(usize, u16)> = upto
        .match_indices("\\u")
        .filter_map(|(i, _)| {
            let hex = upto.get(i + 2..i + 6)?;
            let value = u16::from_str_radix(hex, 16).ok()?;
            Some((i, value))
        })
        .collect();
    let high = |v: u16| (0xD800..0xDC00).contains(&v);
    let low = |v: u16| (0xDC00..0xE000).contains(&v);
    let lone = escapes.iter().enumerate().rev().find(|(k, (i, v))| {
        let next = escapes.get(k + 1).filter(|(j, _)| *j == i + 6);
        let prev = k.checked_sub(1).and_then(|p| escapes.get(p)).filter(|(j, _)| j + 6 == *i);
        (high(*v) && !next.is_some_and(|(_, n)| low(*n))) || (low(*v) && !prev.is_some_and(|(_, p)| high(*p)))
    })?;
    let (i, _) = lone.1;
    Some((upto[..*i].chars().count() + 1, upto[*i..*i + 6].to_string()))
}

trait HasFormat {
    fn format(&self) -> u32;
}

impl HasFormat for Module {
    fn format(&self) -> u32 {
        self.format
    }
}

impl HasFormat for Curriculum {
    fn format(&self) -> u32 {
        self.format
    }
}

impl HasFormat for Organisation {
    fn format(&self) -> u32 {
        self.format
    }
}

fn check_curriculum(
    c: &Curriculum,
    declared: &HashSet<String>,
    pass_mark: &dyn Fn(&str) -> Option<u32>,
) -> Vec<Finding> {
    use Seg::{Index, Key};
    let mut out = Vec::new();
    let refs = |out: &mut Vec<Finding>, base: Vec<Seg>, ids: &[String], owner: &str| {
        for (i, id) in ids.iter().enumerate() {
            if !declared.contains(id) {
                let mut path = base.clone();
                path.push(Index(i));
                out.push(Finding::new(
                    path,
                    format!("{owner} names unknown module \"{id}\""),
                    "use the id of a module in this folder",
                ));
            }
        }
    };
    let mut seen = HashSet::new();
    for (i, t) in c.tracks.iter().enumerate() {
        if !validate::is_slug(&t.id) || !seen.insert(&t.id) {
            out.push(Finding::new(
                vec![Key("tracks"), Index(i), Key("id")],
                format!("track id \"{}\" is not a unique slug", t.id),
                "use a unique id of lowercase letters, digits and hyphens",
            ));
        }
        refs(&mut out, vec![Key("tracks"), Index(i), Key("modules")], &t.modules, &format!("track \"{}\"", t.id));
    }
    let mut seen = HashSet::new();
    for (i, p) in c.paths.iter().enumerate() {
        if !validate::is_slug(&p.id) || !seen.insert(&p.id) {
            out.push(Finding::new(
                vec![Key("paths"), Index(i), Key("id")],
                format!("path id \"{}\" is not a unique slug", p.id),
                "use a unique id of lowercase letters, digits and hyphens",
            ));
        }
        refs(&mut out, vec![Key("paths"), Index(i), Key("modules")], &p.modules, &format!("path \"{}\"", p.id));
    }
    let levels = &c.ladder.levels;
    for (i, level) in levels.iter().enumerate() {
        let at = |k: &'static str| vec![Key("ladder"), Key("levels"), Index(i), Key(k)];
        if !validate::is_slug(&level.id) || levels[..i].iter().any(|l| l.id == level.id) {
            out.push(Finding::new(
                at("id"),
                format!("level id \"{}\" is not a unique slug", level.id),
                "use a unique id of lowercase letters, digits and hyphens",
            ));
        }
        if let Some(other) = levels[..i].iter().find(|l| l.rank == level.rank) {
            out.push(Finding::new(
                at("rank"),
                format!("rank {} is also the rank of level \"{}\"", level.rank, other.id),
                "give each level its own rank",
            ));
        }
        if level.valid_days == 0 {
            out.push(Finding::new(at("valid_days"), "valid_days is 0", "give the days a grant stays valid, e.g. 365"));
        }
        let req = vec![Key("ladder"), Key("levels"), Index(i), Key("requires")];
        let mut modules_path = req.clone();
        modules_path.push(Key("modules"));
        refs(&mut out, modules_path, &level.requires.modules, &format!("level \"{}\"", level.id));
        if level.requires.min_score > 100 {
            let mut p = req.clone();
            p.push(Key("min_score"));
            out.push(Finding::new(
                p,
                format!("min_score {} is above 100", level.requires.min_score),
                "give a percentage from 0 to 100",
            ));
        }
        let marks = level.requires.modules.iter().map(|id| pass_mark(id));
        if let Some(highest) = patterns::ineffective_min_score(level.requires.min_score, marks) {
            out.push(Finding::warning(
                patterns::min_score_path(i),
                format!(
                    "level \"{}\" min_score {} is at or below the pass mark of every module it requires, so it changes nothing",
                    level.id, level.requires.min_score
                ),
                format!("raise min_score above the highest pass mark ({highest}), or remove it"),
            ));
        }
        if let Some(prev) = &level.requires.previous {
            let mut p = req.clone();
            p.push(Key("previous"));
            match levels.iter().find(|l| &l.id == prev) {
                None => out.push(Finding::new(
                    p,
                    format!("level \"{}\" requires unknown level \"{prev}\"", level.id),
                    format!(
                        "use one of: {}",
                        levels
                            .iter()
                            .filter(|l| l.rank < level.rank)
                            .map(|l| l.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                Some(l) if l.rank >= level.rank => out.push(Finding::new(
                    p,
                    format!("level \"{}\" (rank {}) requires \"{prev}\" of rank {}", level.id, level.rank, l.rank),
                    "a level can only require a level of lower rank",
                )),
                Some(_) => {}
            }
        }
    }
    out
}

/// One track per audience, for a folder without curriculum.json.
fn derive_curriculum(modules: &[Module]) -> Curriculum {
    let tracks = Audience::ALL
        .iter()
        .filter_map(|&audience| {
            let mut ms: Vec<&Module> = modules.iter().filter(|m| m.audiences.contains(&audience)).collect();
            ms.sort_by(|a, b| (a.level, &a.id).cmp(&(b.level, &b.id)));
            (!ms.is_empty()).then(|| Track {
                id: audience.id().to_string(),
                title: audience.label().to_string(),
                audience,
                summary: String::new(),
                modules: ms.iter().map(|m| m.id.clone()).collect(),
            })
        })
        .collect();
    Curriculum { format: FORMAT_VERSION, tracks, ..Curriculum::default() }
}
