//! The curriculum as one learner meets it: in which order the modules come
//! (their orientation path first for a new hire, their own track next, then
//! the rest), which are locked and by what, how far each is done, and the
//! next step to take. Both front ends list the catalog from here, so the
//! full-screen catalog and plain mode's numbered menus agree.

use std::collections::HashSet;

use super::progress::Standing;
use crate::content::{Audience, Catalog, Module};

/// A titled group of modules: a path, a track, or the modules in neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    /// The learner's own path or track.
    pub mine: bool,
    /// Ids of modules that loaded, in the section's order.
    pub modules: Vec<String>,
}

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Lesson { module: String, index: usize },
    Quiz { module: String },
}

/// The sections in the order this learner should meet them. Sections with
/// no loaded module are left out; a module may be in several sections.
pub fn sections(catalog: &Catalog, role: Option<Audience>, new_hire: bool) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let path = |p: &crate::content::Path, mine| Section {
        title: format!("Path: {}", p.title),
        mine,
        modules: p.modules.clone(),
    };
    for p in catalog.curriculum.paths.iter().filter(|p| p.new_hire && new_hire) {
        sections.push(path(p, true));
    }
    let mut tracks: Vec<_> = catalog.curriculum.tracks.iter().collect();
    tracks.sort_by_key(|t| Some(t.audience) != role);
    for t in tracks {
        sections.push(Section { title: t.title.clone(), mine: Some(t.audience) == role, modules: t.modules.clone() });
    }
    for p in catalog.curriculum.paths.iter().filter(|p| !(p.new_hire && new_hire)) {
        sections.push(path(p, false));
    }
    let listed: HashSet<&String> = sections.iter().flat_map(|s| s.modules.iter()).collect();
    let others: Vec<String> =
        catalog.modules.iter().filter(|m| !listed.contains(&m.id)).map(|m| m.id.clone()).collect();
    if !others.is_empty() {
        sections.push(Section { title: "Other modules".into(), mine: false, modules: others });
    }
    for s in &mut sections {
        s.modules.retain(|id| catalog.module(id).is_some());
    }
    sections.retain(|s| !s.modules.is_empty());
    sections
}

/// The prerequisites of `m` not passed yet (only those that loaded: a module
/// that failed to load is listed as a problem, not held against the learner).
pub fn missing_prerequisites<'c>(
    m: &Module,
    catalog: &'c Catalog,
    standing: &Standing,
    unlock_all: bool,
) -> Vec<&'c Module> {
    if unlock_all {
        return Vec::new();
    }
    m.prerequisites.iter().filter_map(|p| catalog.module(p)).filter(|p| !standing.quiz_passed(&p.id)).collect()
}

/// Lessons done plus quiz passed, as a percentage of the module.
pub fn module_percent(m: &Module, standing: &Standing) -> u32 {
    let done = m.lessons.iter().filter(|l| standing.lesson_done(&m.id, &l.id)).count()
        + usize::from(standing.quiz_passed(&m.id));
    ((done * 100) / (m.lessons.len() + 1)) as u32
}

/// The first unfinished lesson or unpassed quiz of an open module, in the
/// order the learner should take them: orientation path (new hires), own
/// track, the rest.
pub fn next_step(
    catalog: &Catalog,
    standing: &Standing,
    role: Option<Audience>,
    new_hire: bool,
    unlock_all: bool,
) -> Option<Step> {
    let mut order: Vec<&String> = Vec::new();
    if new_hire {
        order.extend(catalog.curriculum.paths.iter().filter(|p| p.new_hire).flat_map(|p| &p.modules));
    }
    let mut tracks: Vec<_> = catalog.curriculum.tracks.iter().collect();
    tracks.sort_by_key(|t| Some(t.audience) != role);
    order.extend(tracks.iter().flat_map(|t| &t.modules));
    order.extend(catalog.modules.iter().map(|m| &m.id));
    for id in order {
        let Some(m) = catalog.module(id) else { continue };
        if !missing_prerequisites(m, catalog, standing, unlock_all).is_empty() || standing.quiz_passed(id) {
            continue;
        }
        if let Some(index) = m.lessons.iter().position(|l| !standing.lesson_done(id, &l.id)) {
            return Some(Step::Lesson { module: id.clone(), index });
        }
        return Some(Step::Quiz { module: id.clone() });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const M101: &str = "employee-101-social-media-at-work";
    const M201: &str = "employee-201-contacts-and-complaint-triage";

    #[test]
    fn a_new_hire_meets_orientation_first_then_their_track() {
        let catalog = crate::content::embedded();
        let got = sections(&catalog, Some(Audience::Partner), true);
        assert!(got[0].title.starts_with("Path: ") && got[0].mine);
        assert_eq!(got[0].modules, vec![M101.to_string(), M201.to_string()]);
        assert!(got[1].mine && got[1].modules.iter().all(|m| m.starts_with("partner-")));
        assert!(got[2..].iter().all(|s| !s.mine));
        let every: HashSet<&String> = got.iter().flat_map(|s| &s.modules).collect();
        assert_eq!(every.len(), catalog.modules.len(), "every module is listed somewhere");
    }

    #[test]
    fn locks_and_the_next_step_follow_passes() {
        let catalog = crate::content::embedded();
        let standing = Standing::empty();
        let m201 = catalog.module(M201).expect("201");
        let missing = missing_prerequisites(m201, &catalog, &standing, false);
        assert_eq!(missing.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), vec![M101]);
        assert!(missing_prerequisites(m201, &catalog, &standing, true).is_empty());
        assert_eq!(module_percent(m201, &standing), 0);
        assert_eq!(
            next_step(&catalog, &standing, Some(Audience::Employee), true, false),
            Some(Step::Lesson { module: M101.into(), index: 0 })
        );
    }
}
