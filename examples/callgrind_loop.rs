#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
//! A fixed number of advices or `POST /v1/score` requests (without the network), for counting
//! instructions with callgrind: counts repeat exactly for the same binary and input, where
//! criterion's times on these shared machines swing by half. The per-iteration cost is the
//! difference between two counts (the catalogue's load is in both):
//!
//!     cargo build --release --example callgrind_loop
//!     valgrind --tool=callgrind target/release/examples/callgrind_loop advice 400
//!     valgrind --tool=callgrind target/release/examples/callgrind_loop advice 0
//!
//! `advice` is the case of `cargo bench --bench scoring` (one respondent, top stages as targets);
//! `request` the end-to-end case of `cargo bench --bench score_request`.
use std::hint::black_box;

use smm::api::score::{ScoreRequest, ScoreResponse};
use smm::catalog::Catalog;
use smm::domain::Lang;
use smm::domain::scoring::roadmap::roadmap;
use smm::domain::scoring::{
    Ambition, AnswerSet, AnswerValue, ModelResult, RespondentAnswers, cross_model, score_model,
};
use smm::service::scoring;

fn main() {
    let catalog = Catalog::builtin().unwrap();
    let what = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let respondents: Vec<RespondentAnswers> = vec![
        catalog
            .indicators()
            .iter()
            .enumerate()
            .map(|(i, indicator)| (indicator.id.clone(), AnswerValue::new(((i * 7) % 5) as i64)))
            .collect(),
    ];
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
    let body = serde_json::to_vec(
        &serde_json::json!({"model_ids": models, "respondents": [{"answers": answers}]}),
    )
    .unwrap();
    let mut total = 0;
    for _ in 0..n {
        total += match what.as_str() {
            "advice" => {
                let answers = AnswerSet::aggregate(catalog.indicators(), &respondents);
                let results: Vec<ModelResult<'_>> = catalog
                    .latest_models()
                    .map(|model| {
                        let target = model.stages.last().map(|s| s.id.as_str());
                        score_model(model, &answers, Ambition::target(target)).unwrap()
                    })
                    .collect();
                roadmap(&results, catalog.actions()).len() + cross_model::observe(&results).len()
            }
            "request" => {
                let request = serde_json::from_slice::<ScoreRequest>(black_box(&body))
                    .unwrap()
                    .into_request();
                let advice = scoring::score(&catalog, &request).unwrap();
                serde_json::to_vec(&ScoreResponse::render(&advice, Lang::En))
                    .unwrap()
                    .len()
            }
            _ => panic!(),
        };
    }
    println!("{total}");
}
