//! `pace progress`: one learner's progress without the trainer.

use crate::learning::{self, clock};

use super::{EXIT_OK, Failure, Format, Global, curriculum, open_existing_records, pick_learner, print};

pub(super) fn run(global: &Global, format: Format) -> Result<u8, Failure> {
    let catalog = curriculum(global)?;
    let records = open_existing_records(global)?;
    let learner = pick_learner(&records, global)?;
    let now = clock::now();
    let summary =
        learning::progress::summary(&records, &catalog, &learner, now).map_err(|e| Failure::data(e.to_string()))?;
    match format {
        Format::Text => print(&learning::progress::render_text(&summary, &catalog))?,
        Format::Json => print(&crate::content::sanitize::to_json_pretty(&summary).unwrap_or_default())?,
    }
    Ok(EXIT_OK)
}
