//! `pace report --questions`: item analysis for trainers. Per question, how
//! often it was answered in finished quiz attempts, its facility, its
//! discrimination and the flags that say which questions to fix.

use unicode_width::UnicodeWidthStr;

use crate::content::sanitize;
use crate::learning::item_analysis::{self, ItemAnalysis, ItemStats};

use super::report::{ReportFormat, TEXT_WIDTH, fit};
use super::{EXIT_OK, Failure, Global, curriculum, open_existing_records, print};

pub(super) fn run(global: &Global, format: ReportFormat, module: Option<&str>) -> Result<u8, Failure> {
    if global.learner.is_some() {
        return Err(Failure::usage(
            "--learner does not go with --questions: item analysis is over every learner's attempts",
        ));
    }
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let mut analysis = ItemAnalysis::default();
    records.each_item_answer(module, |row| analysis.add(row)).map_err(|e| Failure::data(e.to_string()))?;
    let mut stats = analysis.finish();
    if let Some(id) = module
        && stats.is_empty()
        && catalog.module(id).is_none()
    {
        return Err(Failure::usage(format!(
            "no module \"{}\" in the curriculum in use or in {}; give a module id such as {}",
            sanitize::clean(id),
            records.path(),
            catalog.modules.first().map_or("employee-101-social-media-at-work", |m| m.id.as_str())
        )));
    }
    // Ids come from the records file: clean them before any output.
    for s in &mut stats {
        s.module = sanitize::clean(&s.module).into_owned();
        s.question = sanitize::clean(&s.question).into_owned();
    }
    let text = match format {
        ReportFormat::Text if stats.is_empty() => match module {
            Some(id) => format!("No finished quiz attempts on {} in {} yet.\n", sanitize::clean(id), records.path()),
            None => format!("No finished quiz attempts in {} yet.\n", records.path()),
        },
        ReportFormat::Text => render_text(&stats),
        ReportFormat::Csv => {
            render_csv(&stats).map_err(|e| Failure::data(format!("cannot write the CSV report: {e}")))?
        }
        ReportFormat::Json => format!("{}\n", serde_json::to_string_pretty(&stats).unwrap_or_else(|_| "[]".into())),
    };
    print(&text)?;
    Ok(EXIT_OK)
}

fn flags(s: &ItemStats) -> String {
    s.flags.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ")
}

fn discrimination(s: &ItemStats, places: usize) -> Option<String> {
    s.discrimination.map(|r| format!("{r:.places$}"))
}

const HEADS: [&str; 5] = ["Question", "Answered", "Facility", "Discrim.", "Flags"];
const INDENT: &str = "  ";
const GAP: &str = "  ";

/// One block per module: its questions in a table that fits 100 columns.
pub fn render_text(stats: &[ItemStats]) -> String {
    let longest_flags = "too easy, negative discrimination".len();
    let numbers: usize = HEADS[1..4].iter().map(|h| h.len() + GAP.len()).sum();
    let room = TEXT_WIDTH - INDENT.len() - numbers - GAP.len() - longest_flags;
    let question_width = stats.iter().map(|s| s.question.width()).chain([HEADS[0].len()]).max().unwrap_or(0).min(room);
    let line = |cells: [&str; 5]| {
        let question = fit(cells[0], question_width);
        let pad = question_width.saturating_sub(question.width());
        let mut out = format!("{INDENT}{question}{}", " ".repeat(pad));
        for (cell, head) in cells[1..4].iter().zip(&HEADS[1..4]) {
            out.push_str(&format!("{GAP}{cell:>width$}", width = head.len()));
        }
        out.push_str(GAP);
        out.push_str(cells[4]);
        format!("{}\n", out.trim_end())
    };
    let mut out = String::new();
    let mut module: Option<&str> = None;
    for s in stats {
        if module != Some(s.module.as_str()) {
            if module.is_some() {
                out.push('\n');
            }
            out.push_str(&fit(&s.module, TEXT_WIDTH));
            out.push('\n');
            out.push_str(&line(HEADS));
            module = Some(&s.module);
        }
        let answered = s.answered.to_string();
        let facility = format!("{:.2}", s.facility);
        let r = discrimination(s, 2).unwrap_or_else(|| "-".into());
        out.push_str(&line([&s.question, &answered, &facility, &r, &flags(s)]));
    }
    out.push_str(&format!(
        "\n{} question{} answered in finished quiz attempts (review answers are not counted).\n\
         Facility: share of answers that were right. Discrim.: correlation of the question with the rest of\n\
         the attempt's score, -1 to 1 (below 0: learners who do well elsewhere miss it more; - when it\n\
         cannot vary). Judged from {} answers: too easy at 0.90 or more, too hard at 0.20 or less.\n",
        stats.len(),
        super::plural(stats.len()),
        item_analysis::MIN_ANSWERS
    ));
    out
}

pub fn render_csv(stats: &[ItemStats]) -> Result<String, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(["module", "question", "answered", "correct", "facility", "discrimination", "flags"])?;
    for s in stats {
        writer.write_record([
            crate::export::csv::cell(&s.module),
            crate::export::csv::cell(&s.question),
            s.answered.to_string(),
            s.correct.to_string(),
            format!("{:.3}", s.facility),
            discrimination(s, 3).unwrap_or_default(),
            s.flags.iter().map(|f| f.label()).collect::<Vec<_>>().join("; "),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::item_analysis::Flag;

    fn stats(module: &str, question: &str, flags: Vec<Flag>) -> ItemStats {
        ItemStats {
            module: module.into(),
            question: question.into(),
            answered: 42,
            correct: 40,
            facility: 40.0 / 42.0,
            discrimination: Some(-0.125),
            flags,
        }
    }

    #[test]
    fn text_groups_by_module_and_fits_100_columns() {
        let long = "a-question-id-far-longer-than-any-author-would-write-in-a-module";
        let rows = [
            stats("m1", "first", vec![Flag::TooEasy, Flag::NegativeDiscrimination]),
            stats("m1", long, vec![]),
            stats("m2", "other", vec![Flag::FewAnswers]),
        ];
        let text = render_text(&rows);
        for line in text.lines() {
            assert!(line.width() <= TEXT_WIDTH, "{line}");
        }
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "m1");
        assert!(lines[1].starts_with("  Question "), "{}", lines[1]);
        let first: Vec<&str> = lines[2].split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        assert_eq!(first, ["first", "42", "0.95", "-0.12", "too easy, negative discrimination"]);
        assert!(lines[3].contains('…'), "a long id is cut: {}", lines[3]);
        assert_eq!(lines[5], "m2");
    }

    #[test]
    fn csv_has_a_row_per_question() {
        let csv = render_csv(&[stats("m1", "first", vec![Flag::TooEasy, Flag::NegativeDiscrimination])]).expect("csv");
        assert_eq!(
            csv,
            "module,question,answered,correct,facility,discrimination,flags\r\n\
             m1,first,42,40,0.952,-0.125,too easy; negative discrimination\r\n"
        );
    }
}
