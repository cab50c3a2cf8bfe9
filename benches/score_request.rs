#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `POST /v1/score` without the network: parse the body, score and plan, render the documents,
//! serialise the response. Each step is measured on its own too, to see where a request's time
//! goes. The body answers every indicator of all seven models, as `bench/load.sh` sends it.
//!
//!     cargo bench --bench score_request

use std::hint::black_box;

use cases::score_body;
use criterion::{Criterion, criterion_group, criterion_main};
use smm::api::results::wire;
use smm::api::score::{ScoreRequest, ScoreResponse};
use smm::catalog::Catalog;
use smm::domain::Lang;
use smm::service::scoring;

mod cases;

fn request(c: &mut Criterion) {
    let catalog = Catalog::builtin().unwrap();
    let body = score_body(&catalog);
    let parse = || serde_json::from_slice::<ScoreRequest>(&body).unwrap();
    let advice = scoring::score(&catalog, &parse().into_request()).unwrap();
    let response = ScoreResponse::render(&advice, Lang::En);
    c.bench_function("score request: end to end", |b| {
        b.iter(|| {
            let request = parse().into_request();
            let advice = scoring::score(black_box(&catalog), &request).unwrap();
            wire::to_vec(&ScoreResponse::render(&advice, Lang::En))
                .unwrap()
                .len()
        });
    });
    c.bench_function("score request: parse the body", |b| {
        b.iter(|| parse().into_request());
    });
    c.bench_function("score request: score and plan", |b| {
        let request = parse().into_request();
        b.iter(|| scoring::score(black_box(&catalog), &request).unwrap());
    });
    c.bench_function("score request: render the documents", |b| {
        b.iter(|| ScoreResponse::render(black_box(&advice), Lang::En));
    });
    c.bench_function("score request: serialise the response", |b| {
        b.iter(|| wire::to_vec(black_box(&response)).unwrap().len());
    });
}

criterion_group!(benches, request);
criterion_main!(benches);
