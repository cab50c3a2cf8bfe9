//! Hand-computed cases, on the built-in catalogue. Each answer v counts as v/4; an element
//! scores the weighted mean of its answered indicators (weights as the model gives them) and is
//! in place at the model's threshold.

use super::*;
use crate::catalog::Catalog;
use crate::domain::Version;
use crate::domain::scoring::cross_model::{CrossInsight, CrossInsightCode};
use crate::domain::scoring::roadmap::{Phase, RoadmapItem};

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
        .map(|i| i.element_ids.iter().map(AsRef::as_ref).collect())
        .collect()
}

/// Every model's result on the same answers, the roadmap across them and the cross-model insights.
struct Advice<'c> {
    results: Vec<ModelResult<'c>>,
    roadmap: Vec<RoadmapItem<'c>>,
    insights: Vec<CrossInsight<'c>>,
}

impl<'c> Advice<'c> {
    fn result(&self, model_id: &str) -> &ModelResult<'c> {
        self.results
            .iter()
            .find(|r| r.model.id == model_id)
            .unwrap()
    }

    fn stage(&self, model_id: &str) -> Option<&str> {
        stage_of(self.result(model_id))
    }

    fn plan(&self) -> Vec<&str> {
        self.roadmap.iter().map(|i| i.action.id.as_str()).collect()
    }

    fn phase(&self, phase: Phase) -> Vec<&str> {
        self.roadmap
            .iter()
            .filter(|i| i.phase == phase)
            .map(|i| i.action.id.as_str())
            .collect()
    }

    fn item(&self, action_id: &str) -> &RoadmapItem<'c> {
        self.roadmap
            .iter()
            .find(|i| i.action.id == action_id)
            .unwrap_or_else(|| panic!("{action_id} is not on the roadmap"))
    }

    fn rank(&self, action_id: &str) -> u32 {
        self.item(action_id).rank
    }

    fn insights(&self, code: CrossInsightCode) -> Vec<&CrossInsight<'c>> {
        self.insights.iter().filter(|i| i.code == code).collect()
    }

    fn done(&self, model_id: &str, element_id: &str) -> Vec<&str> {
        self.result(model_id)
            .elements
            .iter()
            .find(|e| e.element.id == element_id)
            .unwrap()
            .done_action_ids
            .to_vec()
    }

    fn insight_codes(&self) -> Vec<CrossInsightCode> {
        self.insights.iter().map(|i| i.code).collect()
    }
}

mod advice;
mod advice_v2;
mod v1_0;
