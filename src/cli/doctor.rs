//! `pace doctor`: checks the records file and says what it found in words;
//! `--backup FILE` copies it while pace may be running; `--repair` mends
//! what can be mended, after a backup. The checks live in
//! `records::doctor`; this file only words them.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::sanitize::{self, quote};
use crate::learning::clock;
use crate::records::LATEST_VERSION;
use crate::records::doctor::{self, Checkup, Finding, Problem, Repaired};

use super::{EXIT_OK, EXIT_PROBLEMS, Failure, Global, db_path, plural};

/// Prints a report; every line escaped once more, so a value from the file
/// that a line forgot to quote still reaches the terminal without a control
/// character (quoted values are already escaped and pass unchanged).
fn print(text: &str) -> Result<(), Failure> {
    let lines: Vec<Cow<'_, str>> = text.lines().map(sanitize::escape).collect();
    super::print(&format!("{}\n", lines.join("\n")))
}

pub(super) fn run(global: &Global, backup: Option<&Path>, repair: bool, upgrade: bool) -> Result<u8, Failure> {
    let path = db_path(global)?;
    if !path.exists() {
        return Err(Failure::data(format!(
            "no records file at {}; give the learners' file with --db PATH or PACE_DB",
            sanitize::path(&path)
        )));
    }
    let data = |e: doctor::DoctorError| Failure::data(e.to_string());
    if upgrade {
        return upgraded(&path);
    }
    if let Some(to) = backup {
        if to.exists() {
            return Err(Failure::usage(format!(
                "--backup {}: a file is already there; give a new file name",
                sanitize::path(to)
            )));
        }
        return match doctor::backup(&path, to) {
            Ok(problems) => copied(&path, to, &problems),
            // SQLite cannot copy the file page by page (a damaged table
            // list): every row it can still read goes to the copy instead.
            Err(doctor::DoctorError::Copy { detail, .. }) => {
                let saved = doctor::salvage(&path, to).map_err(data)?;
                salvaged(&path, to, &saved, Some(&detail))
            }
            Err(e) => Err(data(e)),
        };
    }
    if repair {
        let outcome = doctor::repair(&path, &repair_backup_name(&path)).map_err(data)?;
        return repaired(&path, outcome);
    }
    // Every module and question id is checked against the curriculum in use.
    let known = known_ids(&super::curriculum(global)?);
    let checkup = doctor::check_with(&path, Some(&known)).map_err(data)?;
    print(&describe(&checkup, &path))?;
    Ok(if checkup.healthy() { EXIT_OK } else { EXIT_PROBLEMS })
}

/// Each module of the curriculum and its question ids.
fn known_ids(catalog: &crate::content::Catalog) -> doctor::KnownIds {
    doctor::KnownIds {
        modules: catalog
            .modules
            .iter()
            .map(|m| (m.id.clone(), m.quiz.questions.iter().map(|q| q.id.clone()).collect()))
            .collect(),
    }
}

/// `--upgrade`: opens the file for writing, as the trainer does, which
/// migrates an older file after copying it to `FILE.vN.bak`, and rebuilds a
/// missing `-shm` index and merges the write-ahead log into the file.
fn upgraded(path: &Path) -> Result<u8, Failure> {
    let records = crate::records::Records::open_existing(path)?;
    let out = match records.upgraded() {
        Some(u) => format!(
            "Upgraded {} from records version {} to {}; the file as it was is kept at {}.\n",
            sanitize::path(path),
            u.from,
            u.to,
            sanitize::path(&u.backup)
        ),
        None => format!(
            "{} is already at records version {LATEST_VERSION}: nothing to upgrade; its write-ahead log, if any, is merged into it.\n",
            sanitize::path(path)
        ),
    };
    drop(records);
    print(&out)?;
    Ok(EXIT_OK)
}

/// `FILE.before-repair-YYYYMMDD-HHMMSS.bak` beside the file, never one that exists.
fn repair_backup_name(path: &Path) -> PathBuf {
    let stamp = clock::now().format("%Y%m%d-%H%M%S");
    let base = format!("{}.before-repair-{stamp}", path.display());
    let mut name = PathBuf::from(format!("{base}.bak"));
    let mut n = 2;
    while name.exists() {
        name = PathBuf::from(format!("{base}-{n}.bak"));
        n += 1;
    }
    name
}

fn copied(path: &Path, to: &Path, problems: &[String]) -> Result<u8, Failure> {
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    let mut out = format!(
        "Copied {} to {} ({size} bytes): the records as they were at one moment, every finished write included.\n",
        sanitize::path(path),
        sanitize::path(to)
    );
    match problems.first() {
        None => {
            out.push_str("The copy passes SQLite's integrity check.\n");
            print(&out)?;
            Ok(EXIT_OK)
        }
        Some(first) => {
            let _ = writeln!(
                out,
                "The copy fails SQLite's integrity check as the file does ({} message{}, the first: {}): it is the file as it is now. Run `pace doctor --db {}` to see what can be saved.",
                problems.len(),
                plural(problems.len()),
                quote(first),
                sanitize::path(path)
            );
            print(&out)?;
            Ok(EXIT_PROBLEMS)
        }
    }
}

/// What a salvage saved, table by table, and what to do with the new file.
fn salvaged(path: &Path, to: &Path, saved: &[doctor::TableSaved], why: Option<&str>) -> Result<u8, Failure> {
    let mut out = String::new();
    if let Some(why) = why {
        let _ = writeln!(out, "SQLite cannot copy {} as it is ({}).", sanitize::path(path), sanitize::escape(why));
    }
    let _ = writeln!(out, "Wrote every row SQLite could read to a new records file, {}:", sanitize::path(to));
    let (mut kept, mut lost, mut unknown) = (0u64, 0u64, false);
    for t in saved {
        let (_, many) = noun(&t.table);
        kept += t.saved;
        let _ = match (t.whole, t.lost) {
            (true, _) if t.saved == 0 => writeln!(out, "  {many}: none in the file"),
            (true, _) => writeln!(out, "  {many}: all {} saved", t.saved),
            (false, Some(n)) => {
                lost += n;
                writeln!(out, "  {many}: {} saved, {n} lost", t.saved)
            }
            (false, None) => {
                unknown = true;
                writeln!(out, "  {many}: {} saved; the rest could not be read or counted", t.saved)
            }
        };
    }
    let _ = writeln!(
        out,
        "{kept} row{} saved{}. {} was only read, not changed. Check the new file with `pace doctor --db {}`; then use it with --db, or put it in place of the damaged file (keep the damaged one until you are sure).",
        plural(kept as usize),
        match (lost, unknown) {
            (0, false) => ", none lost".to_string(),
            (n, false) => format!(", {n} lost"),
            (0, true) => ", some rows of the tables above lost".to_string(),
            (n, true) => format!(", at least {n} lost"),
        },
        sanitize::path(path),
        sanitize::path(to)
    );
    print(&out)?;
    Ok(if lost == 0 && !unknown { EXIT_OK } else { EXIT_PROBLEMS })
}

/// `FILE.salvaged-YYYYMMDD-HHMMSS.sqlite3` beside the file, never one that exists.
fn salvage_name(path: &Path) -> PathBuf {
    let stamp = clock::now().format("%Y%m%d-%H%M%S");
    let base = format!("{}.salvaged-{stamp}", path.display());
    let mut name = PathBuf::from(format!("{base}.sqlite3"));
    let mut n = 2;
    while name.exists() {
        name = PathBuf::from(format!("{base}-{n}.sqlite3"));
        n += 1;
    }
    name
}

fn repaired(path: &Path, outcome: doctor::Repair) -> Result<u8, Failure> {
    if !outcome.before.safe_to_repair() {
        // A damaged file is never written: what it still holds goes to a new one.
        let mut out = describe_findings(&outcome.before);
        out.push_str("--repair does not write to a damaged file; it saves what the file still holds to a new one.\n");
        print(&out)?;
        let to = salvage_name(path);
        let saved = doctor::salvage(path, &to).map_err(|e| Failure::data(e.to_string()))?;
        salvaged(path, &to, &saved, None)?;
        return Ok(EXIT_PROBLEMS);
    }
    let Some(done) = outcome.done else {
        let mut out = describe(&outcome.before, path);
        if !outcome.before.healthy() {
            out.push_str(if outcome.before.safe_to_repair() {
                "Nothing was changed: --repair rebuilds indexes and drops orphan rows, and none of the problems above is of that kind.\n"
            } else {
                "Nothing was changed: --repair does not write to a damaged file.\n"
            });
        }
        print(&out)?;
        return Ok(if outcome.before.healthy() { EXIT_OK } else { EXIT_PROBLEMS });
    };
    let mut out = describe_findings(&outcome.before);
    out.push_str(&what_was_done(&done));
    match &outcome.after {
        Some(after) if after.healthy() => {
            out.push_str("Checked again: no problems found.\n");
            print(&out)?;
            Ok(EXIT_OK)
        }
        Some(after) => {
            out.push_str("Checked again:\n");
            out.push_str(&describe(after, path));
            print(&out)?;
            Ok(EXIT_PROBLEMS)
        }
        None => {
            print(&out)?;
            Ok(EXIT_OK)
        }
    }
}

fn what_was_done(done: &Repaired) -> String {
    let mut out = format!("Wrote a backup of the file as it was to {}.\n", sanitize::path(&done.backup));
    if done.reindexed {
        out.push_str("Rebuilt every index from its table.\n");
    }
    for (table, n) in &done.dropped {
        let (one, many) = noun(table);
        let _ = writeln!(out, "Dropped {n} {} that named a row no longer there.", if *n == 1 { one } else { many });
    }
    out
}

/// The whole report: the file, each finding, and what to do.
pub(crate) fn describe(c: &Checkup, path: &Path) -> String {
    let mut out = describe_findings(c);
    if c.healthy() {
        out.push_str(
            "No problems found: SQLite's integrity and foreign key checks pass, every score adds up and pace can read every value.\n",
        );
        return out;
    }
    let n = c.findings.len();
    let _ = writeln!(out, "{n} problem{} found.", plural(n));
    out.push_str(&advice(c, path));
    out
}

/// The heading and one line per finding.
fn describe_findings(c: &Checkup) -> String {
    let mut out = format!("Checked {}", sanitize::escape(&c.path));
    match c.version {
        Some(v) => {
            let _ = write!(out, ": records version {v}");
            if let Some(l) = c.learners {
                let _ = write!(out, ", {l} learner{}", plural(l as usize));
            }
            if let Some(a) = c.answers {
                let _ = write!(out, ", {a} answer{}", plural(a as usize));
            }
            out.push_str(".\n");
            if v < LATEST_VERSION {
                let _ = writeln!(
                    out,
                    "This pace writes records version {LATEST_VERSION}; the trainer upgrades the file, after a backup, the next time it opens it."
                );
            }
        }
        None => out.push_str(".\n"),
    }
    if c.wal_pages > 0 {
        let _ = writeln!(
            out,
            "The write-ahead log holds {} page{} of recent writes not yet merged into the file: normal while pace is open, merged when the last pace window closes.",
            c.wal_pages,
            plural(c.wal_pages as usize)
        );
    }
    for f in &c.findings {
        let _ = writeln!(out, "  problem: {}", line(f));
    }
    let damaged = c.findings.iter().any(|f| matches!(f.problem, Problem::Damaged { .. }));
    if damaged && c.salvage.is_empty() {
        out.push_str("SQLite cannot read the file's list of tables, even with the table list pace knows, so nothing in it can be read.\n");
    }
    if !c.salvage.is_empty() {
        out.push_str("What can still be read (with the table list pace knows, where the file's own is damaged):\n");
        for t in &c.salvage {
            let (_, many) = noun(&t.table);
            let rows = count(t.rows, ("row", "rows"));
            let _ = match (t.whole, t.rows, t.lost) {
                (true, 0, _) => writeln!(out, "  {many}: empty"),
                (true, _, _) => writeln!(out, "  {many}: all {rows}"),
                (false, _, Some(lost)) => writeln!(out, "  {many}: {rows}, {lost} lost"),
                (false, _, None) => writeln!(out, "  {many}: {rows}, then the damage"),
            };
        }
    }
    out
}

/// A table's rows in words: (one, many). A table pace does not know is
/// named as the file spells it, escaped.
fn noun(table: &str) -> (Cow<'_, str>, Cow<'_, str>) {
    let (one, many) = match table {
        "learners" => ("learner", "learners"),
        "lesson_progress" => ("lesson progress row", "lesson progress rows"),
        "lesson_views" => ("lesson view", "lesson views"),
        "quiz_attempts" => ("quiz attempt", "quiz attempts"),
        "answers" => ("answer", "answers"),
        "certifications" => ("certification grant", "certification grants"),
        "notes" => ("note", "notes"),
        "review_items" => ("review item", "review items"),
        "locations" => ("saved place", "saved places"),
        "sync_log" => ("sync log entry", "sync log entries"),
        other => return (sanitize::escape(other), sanitize::escape(other)),
    };
    (Cow::Borrowed(one), Cow::Borrowed(many))
}

/// `n thing` or `n things`.
fn count<S: AsRef<str>>(n: u64, (one, many): (S, S)) -> String {
    format!("{n} {}", if n == 1 { one.as_ref() } else { many.as_ref() })
}

/// One finding: what, how many, and the first example.
fn line(f: &Finding) -> String {
    let n = f.count;
    let attempts = ("quiz attempt", "quiz attempts");
    match &f.problem {
        Problem::Damaged { detail } => format!("the file is damaged: {}", sanitize::escape(detail)),
        Problem::MissingTable { table } => format!("SQLite finds no table {} in the file", sanitize::escape(table)),
        Problem::Integrity { first, indexes_only } => format!(
            "{}{n} message{} from SQLite's integrity check{} (the first: {})",
            if n >= 100 { "at least " } else { "" },
            plural(n as usize),
            if *indexes_only { ", all about indexes that disagree with their tables" } else { "" },
            quote(first)
        ),
        Problem::Orphans { table, column, parent, row, missing } => {
            let (parent_one, _) = noun(parent);
            let key = if missing.parse::<i64>().is_ok() { missing.clone() } else { quote(missing) };
            format!(
                "{} whose {parent_one} is gone ({} row {row} names {parent_one} {key} in its {} column)",
                count(n, noun(table)),
                sanitize::escape(table),
                sanitize::escape(column)
            )
        }
        Problem::ImpossibleScore { attempt, correct, total, score } => format!(
            "{} with an impossible score (attempt {attempt}: {} right out of {}, score {})",
            count(n, attempts),
            or_none(*correct),
            or_none(*total),
            or_none(*score)
        ),
        Problem::ScoreMismatch { attempt, correct, total, score } => format!(
            "{} whose score is not their share of right answers (attempt {attempt}: {correct} of {total} right is {}%, but {score}% is stored)",
            count(n, attempts),
            if *total == 0 { 0 } else { correct * 100 / total }
        ),
        Problem::CountMismatch { attempt, stored, counted } => format!(
            "{} whose count of right answers differs from the answers recorded (attempt {attempt}: {stored} stored, {counted} recorded right)",
            count(n, ("finished quiz attempt", "finished quiz attempts"))
        ),
        Problem::PassMismatch { attempt, score, pass_mark, passed } => format!(
            "{} marked passed or failed against their pass mark (attempt {attempt}: {score}% with a pass mark of {pass_mark}%, marked {})",
            count(n, attempts),
            if *passed { "passed" } else { "failed" }
        ),
        Problem::Unreadable(bad) => format!(
            "{} pace cannot read in {}.{} (row {}: {} is not {})",
            count(n, ("value", "values")),
            bad.table,
            bad.column,
            bad.row,
            quote(&bad.value),
            bad.what
        ),
        Problem::NoUuid { learner, name, uuid } => format!(
            "{} without a UUID (learner {learner}, {}{})",
            count(n, ("learner", "learners")),
            quote(name),
            uuid.as_deref().map(|u| format!(", has {}", quote(u))).unwrap_or_default()
        ),
        Problem::DuplicateAnswers { attempt, question } => format!(
            "{} to a question already answered in the same attempt (attempt {attempt}, question {})",
            count(n, ("extra answer", "extra answers")),
            quote(question)
        ),
        Problem::BrokenGrant { grant, level, attempt } => format!(
            "{} naming a quiz attempt the file does not hold as scored, so `pace certificate` cannot print them (grant {grant} of {} names attempt {attempt})",
            count(n, ("certification grant", "certification grants")),
            quote(level)
        ),
        Problem::BadStatementId { table, column, row, value } => format!(
            "{} in {}.{} that {} not a UUID, so an LRS refuses {} statement{} and `pace sync` can never send {} ({} row {row}: {})",
            count(n, ("statement id", "statement ids")),
            sanitize::escape(table),
            sanitize::escape(column),
            if n == 1 { "is" } else { "are" },
            if n == 1 { "its" } else { "their" },
            plural(n as usize),
            if n == 1 { "it" } else { "them" },
            sanitize::escape(table),
            value.as_deref().map_or_else(|| "none".to_string(), quote)
        ),
        Problem::UnknownId { place, row, id, module } => format!(
            "{} of {place} not in the curriculum in use ({}row {row}: {}{}): renamed or removed from the modules, or changed outside pace",
            count(n, ("id", "ids")),
            if module.is_some() { "question, " } else { "module, " },
            quote(id),
            module.as_deref().map(|m| format!(" of module {}", quote(m))).unwrap_or_default()
        ),
    }
}

fn or_none(v: Option<i64>) -> String {
    v.map_or_else(|| "none".into(), |v| v.to_string())
}

/// What to do about the findings.
fn advice(c: &Checkup, path: &Path) -> String {
    let db = format!(" --db {}", sanitize::path(path));
    let mut out = String::new();
    let backups = if c.backups.is_empty() {
        "no backup found beside the file".to_string()
    } else {
        let names: Vec<String> = c
            .backups
            .iter()
            .map(|b| sanitize::escape(&b.file_name().unwrap_or_default().to_string_lossy()).into_owned())
            .collect();
        format!("backups beside the file: {}", names.join(", "))
    };
    if !c.safe_to_repair() {
        let _ = writeln!(
            out,
            "What to do: the file is damaged and SQLite cannot read all of it; pace will not write to it. Restore a backup ({backups}), or save every row that can still be read to a new file with `pace doctor{db} --backup NEW_FILE` (or `--repair`, which names the new file itself)."
        );
        return out;
    }
    let mendable: Vec<&Finding> = c.findings.iter().filter(|f| f.problem.repairable()).collect();
    if !mendable.is_empty() {
        let rows: u64 = mendable.iter().filter(|f| matches!(f.problem, Problem::Orphans { .. })).map(|f| f.count).sum();
        let mut what = Vec::new();
        if mendable.iter().any(|f| matches!(f.problem, Problem::Integrity { .. })) {
            what.push("rebuilds the indexes".to_string());
        }
        if rows > 0 {
            what.push(
                "drops the rows whose learner or attempt is gone (no screen, report or export shows them)".to_string(),
            );
        }
        let _ = writeln!(
            out,
            "What to do: `pace doctor --repair{db}` {}, after writing a backup of the file beside it.",
            what.join(" and ")
        );
    }
    if !c.all_repairable() {
        let upgrade_mends = c.version == Some(1)
            && c.findings.iter().all(|f| {
                f.problem.repairable()
                    || matches!(f.problem, Problem::DuplicateAnswers { .. } | Problem::ImpossibleScore { .. })
            });
        if upgrade_mends {
            let _ = writeln!(
                out,
                "{}open the file with this pace: its upgrade to records version {LATEST_VERSION} (after a backup) keeps the first answer to each question of an attempt and counts impossible scores again from those answers.",
                if mendable.is_empty() { "What to do: " } else { "Then " }
            );
            return out;
        }
        let _ = writeln!(
            out,
            "{}pace does not change {} itself: they come from an edit outside pace or an older pace's mistake, and pace keeps what the records say. Restore a backup from before they appeared ({backups}), or correct the rows with the sqlite3 tool after `pace doctor --backup FILE{db}`.",
            if mendable.is_empty() { "What to do: " } else { "" },
            if mendable.is_empty() { "these" } else { "the other problems" }
        );
    }
    out
}
