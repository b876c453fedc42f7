//! curriculum.json's checks (tracks, paths and the ladder against the
//! modules), and the curriculum made from the modules' audiences for a
//! folder that has none.

use std::collections::HashSet;

use super::locate::Seg;
use super::model::{Audience, Curriculum, FORMAT_VERSION, Module, Track};
use super::patterns;
use super::validate::{self, Finding};

pub(super) fn check_curriculum(
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
    // Tracks and paths alike: a unique slug each, naming modules that exist.
    let tracks = c.tracks.iter().map(|t| (&t.id, &t.modules));
    let paths = c.paths.iter().map(|p| (&p.id, &p.modules));
    let groups: [(&'static str, &str, Vec<_>); 2] =
        [("tracks", "track", tracks.collect()), ("paths", "path", paths.collect())];
    for (key, what, entries) in groups {
        let mut seen = HashSet::new();
        for (i, (id, modules)) in entries.into_iter().enumerate() {
            if !validate::is_slug(id) || !seen.insert(id) {
                out.push(Finding::new(
                    vec![Key(key), Index(i), Key("id")],
                    format!("{what} id \"{id}\" is not a unique slug"),
                    "use a unique id of lowercase letters, digits and hyphens",
                ));
            }
            refs(&mut out, vec![Key(key), Index(i), Key("modules")], modules, &format!("{what} \"{id}\""));
        }
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
pub(super) fn derive_curriculum(modules: &[Module]) -> Curriculum {
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
