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

use smm::api::results::wire;
use smm::api::score::{ScoreRequest, ScoreResponse};
use smm::catalog::Catalog;
use smm::domain::Lang;
use smm::service::scoring;

#[path = "../benches/cases/mod.rs"]
mod cases;

fn main() {
    let mut args = std::env::args().skip(1);
    let (case, iterations) = (args.next(), args.next());
    let iterations: usize = iterations.and_then(|n| n.parse().ok()).unwrap_or(100);
    let catalog = Catalog::builtin().unwrap();
    let respondents = cases::respondents(&catalog, 1);
    let body = cases::score_body(&catalog);
    let mut total = 0;
    for _ in 0..iterations {
        total += match case.as_deref() {
            Some("advice") => cases::advise_all(&catalog, black_box(&respondents)),
            Some("request") => {
                let request = serde_json::from_slice::<ScoreRequest>(black_box(&body))
                    .unwrap()
                    .into_request();
                let advice = scoring::score(&catalog, &request).unwrap();
                wire::to_vec(&ScoreResponse::render(&advice, Lang::En))
                    .unwrap()
                    .len()
            }
            _ => panic!("usage: callgrind_loop advice|request <iterations>"),
        };
    }
    println!("{total}");
}
