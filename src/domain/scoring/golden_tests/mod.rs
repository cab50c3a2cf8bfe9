//! Hand-computed cases, on the built-in catalogue. Each answer v counts as v/4; an element
//! scores the weighted mean of its answered indicators (weights as the model gives them) and is
//! in place at the model's threshold.

use super::*;
use crate::catalog::Catalog;
use crate::domain::Version;

fn catalog() -> Catalog {
    Catalog::builtin().expect("the built-in catalogue is valid")
}

/// The built-in indicator bank, for aggregating answers.
static BANK: std::sync::LazyLock<crate::domain::IndicatorBank> =
    std::sync::LazyLock::new(|| catalog().indicators().clone());

fn aggregate(respondents: &[RespondentAnswers]) -> AnswerSet {
    AnswerSet::aggregate(&BANK, respondents)
}

/// A model at one version of the built-in catalogue.
fn model<'c>(catalog: &'c Catalog, id: &str, version: &str) -> &'c Model {
    let version: Version = version.parse().unwrap();
    catalog.version(id, version).unwrap()
}

fn respondent(answers: &[(&str, Option<i64>)]) -> RespondentAnswers {
    answers
        .iter()
        .map(|(id, v)| (id.to_string(), v.map(|v| AnswerValue::new(v).unwrap())))
        .collect()
}

fn one(answers: &[(&str, i64)]) -> AnswerSet {
    let answers: Vec<(&str, Option<i64>)> = answers.iter().map(|(id, v)| (*id, Some(*v))).collect();
    aggregate(&[respondent(&answers)])
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-12
}

macro_rules! assert_close {
    ($actual:expr, $expected:expr) => {
        let (actual, expected): (f64, f64) = ($actual, $expected);
        assert!(
            close(actual, expected),
            "{} = {actual}, expected {expected}",
            stringify!($actual)
        );
    };
}

fn score_of(result: &ModelResult<'_>, id: &str) -> Option<f64> {
    result
        .elements
        .iter()
        .find(|e| e.element.id == id)
        .unwrap()
        .score
}

fn stage_of<'m>(result: &ModelResult<'m>) -> Option<&'m str> {
    result.stage.map(|s| s.id.as_str())
}

fn actions<'m>(result: &ModelResult<'m>) -> Vec<(u32, &'m str, &'m str)> {
    result
        .recommendations
        .iter()
        .map(|r| (r.rank, r.element.id.as_str(), r.action.id.as_str()))
        .collect()
}

fn insight_ids<'a>(result: &'a ModelResult<'_>, code: InsightCode) -> Vec<Vec<&'a str>> {
    result
        .insights
        .iter()
        .filter(|i| i.code == code)
        .map(|i| i.element_ids.iter().map(String::as_str).collect())
        .collect()
}

mod advice;
mod advice_v2;
mod v1_0;
