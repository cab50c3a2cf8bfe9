#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Scoring all seven models for one respondent set: aggregating the respondents' answers and
//! placing them on every model, then planning one roadmap and finding the cross-model insights, as
//! `POST /v1/score` and submissions do.
//!
//!     cargo bench --bench scoring

use std::hint::black_box;

use cases::{advise_all, respondents, score_latest};
use criterion::{Criterion, criterion_group, criterion_main};
use smm::catalog::Catalog;
use smm::domain::scoring::roadmap::roadmap;
use smm::domain::scoring::{Ambition, AnswerSet, RespondentAnswers, cross_model, score_model};

mod cases;

fn score_all(catalog: &Catalog, respondents: &[RespondentAnswers]) -> usize {
    let answers = AnswerSet::aggregate(catalog.indicators(), respondents);
    catalog
        .latest_models()
        .map(|model| {
            let target = model.stages.last().map(|s| s.id.as_str());
            score_model(model, &answers, Ambition::target(target))
                .unwrap()
                .recommendations
                .len()
        })
        .sum()
}

/// The steps of advising on their own, to see where the time goes.
fn parts(c: &mut Criterion) {
    let catalog = Catalog::builtin().unwrap();
    let respondents = respondents(&catalog, 1);
    let answers = AnswerSet::aggregate(catalog.indicators(), &respondents);
    let results = score_latest(&catalog, &answers);
    c.bench_function("part: aggregate the answers", |b| {
        b.iter(|| AnswerSet::aggregate(catalog.indicators(), black_box(&respondents)));
    });
    c.bench_function("part: plan the roadmap", |b| {
        b.iter(|| roadmap(black_box(&results), catalog.actions()).len());
    });
    c.bench_function("part: cross-model insights", |b| {
        b.iter(|| cross_model::observe(black_box(&results)).len());
    });
}

fn scoring(c: &mut Criterion) {
    let catalog = Catalog::builtin().unwrap();
    for count in [1, 10] {
        let respondents = respondents(&catalog, count);
        c.bench_function(
            &format!("score all seven models, {count} respondent(s)"),
            |b| b.iter(|| score_all(black_box(&catalog), black_box(&respondents))),
        );
        c.bench_function(
            &format!("advise on all seven models, {count} respondent(s)"),
            |b| b.iter(|| advise_all(black_box(&catalog), black_box(&respondents))),
        );
    }
}

criterion_group!(benches, parts, scoring);
criterion_main!(benches);
