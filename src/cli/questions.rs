//! `pace report --questions`: item analysis for trainers. Per question, how
//! often it was answered in finished quiz attempts, its facility, its
//! discrimination and the flags that say which questions to fix.

use std::collections::HashSet;

use crate::content::{Catalog, sanitize};
use crate::export::csv::{Reader, cell};
use crate::learning::item_analysis::{self, ItemAnalysis, ItemStats};
use crate::records::Records;

use super::report::ReportFormat;
use super::table::{Column, Table, fit, fit_lines, output_width};
use super::{EXIT_OK, Failure, Global, curriculum, open_existing_records, print};

/// `scope`: only one module's questions, only one country's learners.
pub(super) fn run(
    global: &Global,
    format: ReportFormat,
    (module, country): (Option<&str>, Option<&str>),
    excel: bool,
) -> Result<u8, Failure> {
    if global.learner.is_some() {
        return Err(Failure::usage(
            "--learner does not go with --questions: item analysis is over every learner's attempts",
        ));
    }
    if global.db.len() > 1 {
        return Err(Failure::usage("--questions reads one records file; give --db once"));
    }
    if excel && format != ReportFormat::Csv {
        return Err(Failure::usage("--excel is for CSV: use it with --format csv"));
    }
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let learners = match country {
        Some(id) => Some(country_learners(&catalog, &records, id)?),
        None => None,
    };
    let mut analysis = ItemAnalysis::default();
    records
        .each_item_answer(module, |row| {
            if learners.as_ref().is_none_or(|l| l.contains(&row.learner)) {
                analysis.add(row);
            }
        })
        .map_err(|e| Failure::data(e.to_string()))?;
    records.still_as_read()?;
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
        ReportFormat::Text => render_text(&stats, output_width()),
        ReportFormat::Csv => {
            let reader = if excel { Reader::Spreadsheet } else { Reader::Tools };
            render_csv(&stats, reader).map_err(|e| Failure::data(format!("cannot write the CSV report: {e}")))?
        }
        ReportFormat::Json => sanitize::to_json_pretty(&stats).unwrap_or_else(|_| "[]\n".into()),
    };
    print(&text)?;
    Ok(EXIT_OK)
}

/// The learners who work in `country`, as the trainer places them: their
/// recorded country, or the organisation's first for one not listed.
fn country_learners(catalog: &Catalog, records: &Records, country: &str) -> Result<HashSet<i64>, Failure> {
    if catalog.organisation.country(country).is_none() {
        let known: Vec<&str> = catalog.organisation.countries.iter().map(|c| c.id.as_str()).collect();
        return Err(Failure::usage(if known.is_empty() {
            "--country: organisation.json lists no countries, so every learner is in one; leave --country out"
                .to_string()
        } else {
            format!(
                "--country: no country \"{}\" in organisation.json; give one of {}",
                sanitize::clean(country),
                known.join(", ")
            )
        }));
    }
    let learners = records.learners().map_err(|e| Failure::data(e.to_string()))?;
    Ok(learners.iter().filter(|l| catalog.country_of(l.country.as_deref()) == Some(country)).map(|l| l.id).collect())
}

fn flags(s: &ItemStats, separator: &str) -> String {
    s.flags.iter().map(|f| f.label()).collect::<Vec<_>>().join(separator)
}

fn discrimination(s: &ItemStats, places: usize) -> Option<String> {
    s.discrimination.map(|r| format!("{r:.places$}"))
}

const COLUMNS: [Column; 5] = [
    Column::left("Question").shrinks_to(12),
    Column::right("Answered"),
    Column::right("Facility"),
    Column::right("Discrim."),
    Column::left("Flags"),
];

/// One block per module: its questions in a table within `width` columns,
/// then what the columns mean.
pub fn render_text(stats: &[ItemStats], width: usize) -> String {
    let mut out = String::new();
    for (i, block) in stats.chunk_by(|a, b| a.module == b.module).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&fit(&block[0].module, width));
        out.push('\n');
        let mut table = Table::new(&COLUMNS).indent(2);
        for s in block {
            table.row([
                s.question.clone(),
                s.answered.to_string(),
                format!("{:.2}", s.facility),
                discrimination(s, 2).unwrap_or_else(|| "-".into()),
                flags(s, ", "),
            ]);
        }
        out.push_str(&table.render(width));
    }
    let notes = format!(
        "\n{} question{} answered in finished quiz attempts (review answers are not counted).\n\
         Facility: share of answers that were right. Discrim.: correlation of the question with the rest of\n\
         the attempt's score, -1 to 1 (below 0: learners who do well elsewhere miss it more; - when it\n\
         cannot vary). Judged from {} answers: too easy at 0.90 or more, too hard at 0.20 or less.\n",
        stats.len(),
        super::plural(stats.len()),
        item_analysis::MIN_ANSWERS
    );
    out.push_str(&fit_lines(&notes, width));
    out
}

pub fn render_csv(stats: &[ItemStats], reader: Reader) -> Result<String, ::csv::Error> {
    let mut writer = crate::export::csv::writer(Vec::new(), reader)?;
    writer.write_record(["module", "question", "answered", "correct", "facility", "discrimination", "flags"])?;
    for s in stats {
        writer.write_record([
            cell(&s.module),
            cell(&s.question),
            s.answered.to_string(),
            s.correct.to_string(),
            format!("{:.3}", s.facility),
            discrimination(s, 3).unwrap_or_default(),
            flags(s, "; "),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::item_analysis::Flag;
    use unicode_width::UnicodeWidthStr;

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
        let text = render_text(&rows, 100);
        for line in text.lines() {
            assert!(line.width() <= 100, "{line}");
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
        let csv = render_csv(&[stats("m1", "first", vec![Flag::TooEasy, Flag::NegativeDiscrimination])], Reader::Tools)
            .expect("csv");
        assert_eq!(
            csv,
            "module,question,answered,correct,facility,discrimination,flags\r\n\
             m1,first,42,40,0.952,-0.125,too easy; negative discrimination\r\n"
        );
    }
}
