//! `POST /v1/assessments/{id}/submit` and `GET /v1/assessments/{id}/results`.
//!
//! Submission freezes the answers, scores every chosen model at its pinned version and keeps the
//! outcomes; results are rendered from them in the reader's language. With an `Idempotency-Key`,
//! a repeated request gets the first one's results, a concurrent one a 409, and the same key on
//! another request a 422: one submission, one result, however often a client retries.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::idempotency::{IdempotencyHeader, IdempotencyKeyHeader, mark_replayed};
use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::api::results::{
    CrossInsightDocument, ModelResultDocument, RoadmapItemDocument, render_advice, wire,
};
use crate::api::value_sets::SectorValues;
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::domain::ids::AssessmentId;
use crate::domain::{Lang, Sector};
use crate::error::ApiError;
use crate::service::submission::{self, SubmittedResults};
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(submit_assessment).service(get_results);
}

/// A submitted assessment's results, in the requested language.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsResponse<'a> {
    pub assessment_id: Uuid,
    pub submitted_at: DateTime<Utc>,
    /// How many respondents' answers the results aggregate.
    pub respondents: usize,
    /// The sector the answers were scored for (the assessment's, else its client's): what does
    /// not fit it is left out of scores and advice. `null` when unknown.
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<&'static str>,
    /// One result per model, in the assessment's order, scored with the pinned versions.
    pub results: Vec<ModelResultDocument<'a>>,
    /// One plan across the models, each action once (empty for results kept before roadmaps).
    pub roadmap: Vec<RoadmapItemDocument<'a>>,
    /// What the models show together (empty for results kept before these existed).
    pub insights: Vec<CrossInsightDocument<'a>>,
}

/// Submit an assessment.
///
/// Freezes the answers, scores every model and stores the results. Send an `Idempotency-Key`
/// header to retry safely: the same key and request get the same results (marked
/// `Idempotent-Replayed: true`); the same key for another request is a 422. Keys are remembered
/// for 7 days; a key whose request failed can be used again at once.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:write"])),
    params(
        ("id" = Uuid, Path, description = "Assessment id"),
        IdempotencyKeyHeader,
        LanguageHeader,
    ),
    responses(
        (status = 200, description = "Submitted; the results", body = ResultsResponse),
        NotFoundProblem,
        (status = 409, description = "Already submitted, no answers yet, or the same key is still being processed",
            body = crate::error::Problem, content_type = "application/problem+json"),
        ValidationProblem,
    )
)]
#[post("/assessments/{id}/submit")]
async fn submit_assessment(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    idempotency: IdempotencyHeader,
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    // Submission takes no body: the request is identified by its method and path.
    let key = idempotency.key()?;
    let actor = writer.caller().actor();
    let submitted =
        submission::submit(&store, &catalog, actor, AssessmentId(*id), key.as_ref()).await?;
    let mut response = HttpResponse::Ok();
    mark_replayed(&mut response, submitted.replayed);
    wire::respond(response, &render(&submitted.value, lang), lang)
}

/// Get the results.
///
/// The results stored when the assessment was submitted: reading them never changes them, even
/// after new model versions are published.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Assessment id"), LanguageHeader),
    responses(
        (status = 200, description = "The results", body = ResultsResponse, headers(("Content-Language" = String))),
        NotFoundProblem, ConflictProblem,
    )
)]
#[get("/assessments/{id}/results")]
async fn get_results(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let tenant = reader.caller().tenant;
    let results = submission::results(&store, &catalog, tenant, AssessmentId(*id)).await?;
    wire::respond(HttpResponse::Ok(), &render(&results, lang), lang)
}

fn render<'a>(submitted: &'a SubmittedResults<'_>, lang: Lang) -> ResultsResponse<'a> {
    let (results, roadmap, insights) = render_advice(&submitted.advice, lang);
    ResultsResponse {
        assessment_id: submitted.assessment_id.0,
        submitted_at: submitted.submitted_at,
        respondents: submitted.respondents,
        sector: submitted.sector.map(Sector::as_str),
        results,
        roadmap,
        insights,
    }
}
