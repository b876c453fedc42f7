//! Loading a modules folder (or files, or the embedded curriculum) into a
//! `Catalog`: every valid module, the curriculum, the organisation profile,
//! and every problem found on the way. A broken file never stops the others.

use std::collections::{HashMap, HashSet};

use super::curriculum_file::{check_curriculum, derive_curriculum};
use super::locate::{self, Seg};
use super::model::{Curriculum, FORMAT_VERSION, Module, Organisation};
use super::parse::{Parsed, Stages, bytes_of, parse};
use super::problem::{Problem, Severity};
use super::validate::{self, Finding};

/// Largest file the loader reads.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

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

    /// A module's major version, which a pass counts for (None: no such module).
    pub fn major_version(&self, id: &str) -> Option<u32> {
        self.module(id).map(Module::major_version)
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

/// The curriculum compiled into the binary from the repository's modules/,
/// checked as any folder is (`pace validate` with no path shows this).
pub fn embedded() -> Catalog {
    load(crate::embedded::FILES, Scope::Folder)
}

/// The shipped curriculum as the trainer starts with it: parsed straight
/// from the binary, not checked or cleaned again. It is checked where it is
/// made: tests/curriculum.rs proves `embedded()` finds no problem in it and
/// the sanitiser changes nothing, so this is the same catalog, a third of a
/// millisecond sooner at every start. Should a file not parse (a binary
/// built without its tests), the checked load says why.
pub fn shipped() -> Catalog {
    read_shipped::<Module>(crate::embedded::FILES).unwrap_or_else(embedded)
}

/// The shipped files as a catalog, each module read as `M` (the whole
/// module, or its outline); None if a file does not read.
pub(super) fn read_shipped<M>(files: &[(&str, &[u8])]) -> Option<Catalog>
where
    M: serde::de::DeserializeOwned + Into<Module>,
{
    let mut organisation = None;
    let mut curriculum = None;
    let mut modules = Vec::new();
    let mut paths = HashMap::with_capacity(files.len());
    for (path, bytes) in files {
        let text = std::str::from_utf8(bytes).ok()?;
        match file_name(path) {
            ORGANISATION_FILE => organisation = Some(serde_json::from_str(text).ok()?),
            CURRICULUM_FILE => curriculum = Some(serde_json::from_str(text).ok()?),
            _ => {
                let module: Module = serde_json::from_str::<M>(text).ok()?.into();
                paths.insert(module.id.clone(), path.to_string());
                modules.push(module);
            }
        }
    }
    Some(Catalog::shipped(modules, paths, curriculum, organisation.unwrap_or_else(embedded_organisation)))
}

impl Catalog {
    /// A catalog of the shipped curriculum, which has no problems.
    pub(super) fn shipped(
        modules: Vec<Module>,
        files: HashMap<String, String>,
        curriculum: Option<Curriculum>,
        organisation: Organisation,
    ) -> Catalog {
        let index = modules.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
        Catalog {
            curriculum_derived: curriculum.is_none(),
            curriculum: curriculum.unwrap_or_else(|| derive_curriculum(&modules)),
            modules,
            files,
            organisation,
            problems: Vec::new(),
            index,
        }
    }
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
            countries: Vec::new(),
            credential_issuer: None,
            credential_salt: None,
        })
}

pub(super) fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Loads already-read sources. Order matters only for which of two
/// duplicate ids is reported: the later file.
pub fn load_sources(sources: Vec<SourceFile>, scope: Scope) -> Catalog {
    let files: Vec<(&str, &[u8])> = sources.iter().map(|s| (s.path.as_str(), s.bytes.as_slice())).collect();
    load(&files, scope)
}

/// Loads files given as (shown path, bytes).
///
/// Each module is parsed, checked and cleaned in one go, while its text is
/// still in the processor's cache; problems are reported in the order of
/// the stages (file checks, parsing, each module's checks, cycles, the
/// curriculum), each stage in file order.
fn load(files: &[(&str, &[u8])], scope: Scope) -> Catalog {
    // Stage by stage, each in file order.
    let mut stages = Stages::default();

    // The organisation first: module checks need its placeholders. Its
    // problems are kept aside and reported where its file comes.
    let mut organisation = None;
    let mut org_problems: Vec<(usize, Stages)> = Vec::new();
    for (i, &(path, bytes)) in files.iter().enumerate() {
        if file_name(path) != ORGANISATION_FILE {
            continue;
        }
        let mut stages = Stages::default();
        if let Some(bytes) = bytes_of(path, bytes, &mut stages.files)
            && let Some(org) = parse::<Organisation>(path, bytes, &mut stages)
        {
            let findings = validate::check_organisation(&org.value);
            stages.parsing.extend(findings.into_iter().map(|f| to_problem(path, org.text(), f)));
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
    for (i, &(path, bytes)) in files.iter().enumerate() {
        if let Some((_, org)) = org_problems.next_if(|(at, _)| *at == i) {
            stages.files.extend(org.files);
            stages.parsing.extend(org.parsing);
            continue;
        }
        let Some(bytes) = bytes_of(path, bytes, &mut stages.files) else { continue };
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
    let cycles = if any_prerequisites { super::cycles::prerequisite_cycles(&pairs) } else { Vec::new() };
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
