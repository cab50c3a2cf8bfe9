//! The cases the benchmarks measure, shared by `benches/scoring.rs`, `benches/score_request.rs`
//! and `examples/callgrind_loop.rs` so that timings and instruction counts measure the same work.
// Each benchmark uses only some of the cases.
#![allow(dead_code, clippy::unwrap_used)]

use smm::catalog::Catalog;
use smm::domain::scoring::roadmap::roadmap;
use smm::domain::scoring::{
    Ambition, AnswerSet, AnswerValue, ModelResult, RespondentAnswers, cross_model, score_model,
};

/// Every indicator of the bank answered, with values that vary by respondent and indicator so that
/// the models land on different stages.
pub fn respondents(catalog: &Catalog, count: usize) -> Vec<RespondentAnswers> {
    (0..count)
        .map(|r| {
            catalog
                .indicators()
                .iter()
                .enumerate()
                .map(|(i, indicator)| {
                    let value = ((i * 7 + r * 3) % 5) as i64;
                    (indicator.id.clone(), AnswerValue::new(value))
                })
                .collect()
        })
        .collect()
}

/// Every latest model placed, with its top stage as the target.
pub fn score_latest<'c>(catalog: &'c Catalog, answers: &AnswerSet) -> Vec<ModelResult<'c>> {
    catalog
        .latest_models()
        .map(|model| {
            let target = model.stages.last().map(|s| s.id.as_str());
            score_model(model, answers, Ambition::target(target)).unwrap()
        })
        .collect()
}

/// The whole advice: every model placed, one roadmap, the cross-model insights.
pub fn advise_all(catalog: &Catalog, respondents: &[RespondentAnswers]) -> usize {
    let answers = AnswerSet::aggregate(catalog.indicators(), respondents);
    let results = score_latest(catalog, &answers);
    let plan = roadmap(&results, catalog.actions());
    let insights = cross_model::observe(&results);
    plan.len() + insights.len()
}

/// A `POST /v1/score` body as `bench/load.sh` sends it: one respondent answering every indicator
/// of all seven models.
pub fn score_body(catalog: &Catalog) -> Vec<u8> {
    let mut ids: Vec<&str> = Vec::new();
    for model in catalog.latest_models() {
        for id in model.indicator_ids() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let answers: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| serde_json::json!({"indicator_id": id, "value": (n * 7) % 5}))
        .collect();
    let models: Vec<&str> = catalog.latest_models().map(|m| m.id.as_str()).collect();
    serde_json::to_vec(&serde_json::json!({
        "model_ids": models,
        "respondents": [{"answers": answers}],
    }))
    .unwrap()
}
