#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Rendering a report without the network or the database: the HTML report and the CSV tables
//! of an assessment on all seven models answered by two respondents, as `bench/load.sh` sets up.
//!
//!     cargo bench --bench report

use std::hint::black_box;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use smm::api::reports::{csv, html};
use smm::catalog::Catalog;
use smm::domain::Lang;
use smm::domain::assessment::{Assessment, AssessmentStatus, Organisation, Respondent};
use smm::domain::ids::{AssessmentId, OrganisationId, RespondentId};
use smm::domain::scoring::{AnswerValue, RespondentAnswers};
use smm::service::reports::{AnsweredReport, AssessmentReport};
use smm::service::scoring::{self, ScoreRequest};
use smm::service::selection::RawAnswer;
use smm::service::submission::SubmittedResults;

fn report(catalog: &Catalog) -> AnsweredReport<'_> {
    let mut ids: Vec<&str> = Vec::new();
    for model in catalog.latest_models() {
        for id in model.indicator_ids() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let respondents: Vec<RespondentAnswers> = (0..2)
        .map(|r| {
            ids.iter()
                .enumerate()
                .map(|(n, id)| {
                    (
                        (*id).to_owned(),
                        AnswerValue::new(((n * 7 + 2 * r) % 5) as i64),
                    )
                })
                .collect()
        })
        .collect();
    let models: Vec<String> = catalog.latest_models().map(|m| m.id.clone()).collect();
    let request = ScoreRequest {
        model_ids: models,
        targets: Default::default(),
        focus: Default::default(),
        sector: None,
        respondents: respondents
            .iter()
            .map(|answers| {
                answers
                    .iter()
                    .map(|(id, value)| RawAnswer {
                        indicator_id: id.clone(),
                        value: value.map(|v| i64::from(v.get())),
                    })
                    .collect()
            })
            .collect(),
    };
    let advice = scoring::score(catalog, &request).unwrap();
    let now = Utc::now();
    let assessment_id = AssessmentId::generate();
    let report = AssessmentReport {
        organisation: Organisation {
            id: OrganisationId::generate(),
            name: "Benchmark client".to_owned(),
            industry: Some("Bakery".to_owned()),
            nace_section: None,
            size_band: None,
            country: Some("NL".to_owned()),
            notes: None,
            sector: None,
            created_at: now,
            updated_at: now,
        },
        assessment: Assessment {
            id: assessment_id,
            organisation_id: OrganisationId::generate(),
            title: "Baseline".to_owned(),
            models: Vec::new(),
            sector: None,
            status: AssessmentStatus::Submitted,
            created_at: now,
            submitted_at: Some(now),
        },
        results: SubmittedResults {
            assessment_id,
            submitted_at: now,
            respondents: respondents.len(),
            sector: None,
            advice,
        },
        respondents: (0..respondents.len())
            .map(|n| Respondent {
                id: RespondentId::generate(),
                assessment_id,
                label: format!("Respondent {n}"),
                created_at: now,
            })
            .collect(),
    };
    AnsweredReport {
        report,
        answers: respondents,
    }
}

fn rendering(c: &mut Criterion) {
    let catalog = Catalog::builtin().unwrap();
    let answered = report(&catalog);
    let report = &answered.report;
    c.bench_function("report: HTML", |b| {
        b.iter(|| {
            html::assessment_report(
                black_box(report),
                &catalog,
                Lang::Nl,
                html::Audience::Agency,
            )
            .into_string()
            .len()
        });
    });
    c.bench_function("report: scores CSV", |b| {
        b.iter(|| csv::scores(black_box(report), Lang::Nl).unwrap().len());
    });
    c.bench_function("report: answers CSV", |b| {
        b.iter(|| {
            csv::answers(black_box(&answered), &catalog, Lang::Nl)
                .unwrap()
                .len()
        });
    });
}

criterion_group!(benches, rendering);
criterion_main!(benches);
