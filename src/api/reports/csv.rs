//! Reports as CSV (RFC 4180: comma-separated, double-quoted where needed, CRLF line ends, UTF-8):
//! the element scores and the answers, for spreadsheets. A header row names the columns; the
//! columns below are part of the API and only ever gain new ones at the end.

use crate::catalog::Catalog;
use crate::domain::Lang;
use crate::service::reports::{AnsweredReport, AssessmentReport};

/// Columns of the scores table: one row per model × element.
pub const SCORE_COLUMNS: [&str; 13] = [
    "assessment_id",
    "model_id",
    "model_version",
    "model_name",
    "model_stage_id",
    "model_coverage",
    "element_id",
    "element_name",
    "element_stage_id",
    "score",
    "in_place",
    "coverage",
    "disagreement",
];

/// Columns of the answers table: one row per respondent × indicator answered.
pub const ANSWER_COLUMNS: [&str; 6] = [
    "respondent_id",
    "respondent_label",
    "indicator_id",
    "question",
    "value",
    "dont_know",
];

/// The element scores of every model of the report.
pub fn scores(report: &AssessmentReport<'_>, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let mut table = Table::new(&SCORE_COLUMNS)?;
    let assessment_id = report.assessment.id.to_string();
    for scored in &report.results.advice.models {
        let (model, outcome) = (scored.model, &scored.outcome);
        let version = outcome.model_version.to_string();
        for element in &outcome.elements {
            let definition = model.element(&element.element_id);
            let disagreement = definition.is_some_and(|e| outcome.disagreement_on(e));
            table.row([
                assessment_id.as_str(),
                &outcome.model_id,
                &version,
                model.name.get(lang),
                outcome.stage_id.as_deref().unwrap_or_default(),
                &number(Some(outcome.coverage)),
                &element.element_id,
                definition.map_or(element.element_id.as_ref(), |e| e.name.get(lang)),
                definition
                    .and_then(|e| e.stage_id.as_deref())
                    .unwrap_or_default(),
                &number(element.score),
                boolean(element.in_place),
                &number(Some(element.coverage)),
                boolean(disagreement),
            ])?;
        }
    }
    table.finish()
}

/// One row per respondent and question the assessment's models ask, respondents in the order they
/// were added, questions in the bank's order: `value` 0–4, or empty with `dont_know` true for
/// "don't know", or empty with `dont_know` false when not answered. Labels are written as given
/// (neutralised only where a spreadsheet would read them as a formula).
pub fn answers(
    answered: &AnsweredReport<'_>,
    catalog: &Catalog,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let report = &answered.report;
    let asked: std::collections::HashSet<&str> = report
        .results
        .advice
        .models
        .iter()
        .flat_map(|scored| scored.model.indicator_ids())
        .collect();
    let questions: Vec<_> = catalog
        .indicators()
        .iter()
        .filter(|i| asked.contains(i.id.as_str()))
        .collect();
    let mut table = Table::new(&ANSWER_COLUMNS)?;
    for (respondent, answers) in report.respondents.iter().zip(&answered.answers) {
        let respondent_id = respondent.id.to_string();
        for indicator in &questions {
            let answer = answers.get(&indicator.id);
            let value = answer.copied().flatten();
            table.row([
                respondent_id.as_str(),
                &respondent.label,
                &indicator.id,
                indicator.text.get(lang),
                &value.map_or(String::new(), |v| v.get().to_string()),
                boolean(answer.is_some_and(Option::is_none)),
            ])?;
        }
    }
    table.finish()
}

struct Table(csv::Writer<Vec<u8>>);

impl Table {
    fn new(columns: &[&str]) -> anyhow::Result<Table> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer.write_record(columns)?;
        Ok(Table(writer))
    }

    fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> anyhow::Result<()> {
        for cell in cells {
            self.0.write_field(neutralise(cell).as_bytes())?;
        }
        // An empty record after the fields ends the row.
        self.0.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn finish(self) -> anyhow::Result<Vec<u8>> {
        Ok(self.0.into_inner()?)
    }
}

/// Characters a spreadsheet may read as the start of a formula: OWASP's list (`=`, `+`, `-`, `@`,
/// tab, carriage return), a line feed, and the full-width forms some spreadsheets normalise.
const FORMULA_STARTS: [char; 11] = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe, as OWASP advises;
/// other cells are written as they are.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A number as JSON writes it (shortest round-trip form); empty when unknown.
fn number(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

fn boolean(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_and_other_cells_kept() {
        for formula in [
            "=1+1", "+31 6", "-2", "@SUM(A1)", "\tx", "\rx", "\nx", "＝1+1",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        for plain in ["Alice", "0.5", "", "a=b", "'quoted"] {
            assert_eq!(neutralise(plain), plain);
        }
    }
}
