//! `POST /v1/assessments/{id}/submit` and `GET /v1/assessments/{id}/results`.
//!
//! Submission freezes the answers, scores every chosen model at its pinned version and stores the
//! rendered results in every language, all in one transaction. With an `Idempotency-Key`, a
//! repeated request gets the first one's response, a concurrent one a 409, and the same key on a
//! different request a 422: one submission, one result, however often a client retries.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::assessments::{existing, pinned_models};
use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::api::results::ModelResultDocument;
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::domain::Lang;
use crate::domain::assessment::AssessmentStatus;
use crate::domain::scoring::{AnswerSet, score_model};
use crate::domain::tenancy::TenantId;
use crate::error::{ApiError, FieldError, PROBLEM_JSON};
use crate::store::Store;
use crate::store::idempotency::Claim;

const MAX_KEY_LENGTH: usize = 255;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(submit_assessment).service(get_results);
}

/// A submitted assessment's results, in the requested language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ResultsResponse {
    pub assessment_id: Uuid,
    pub submitted_at: DateTime<Utc>,
    /// How many respondents' answers the results aggregate.
    pub respondents: usize,
    /// One result per model, in the assessment's order, scored with the pinned versions.
    #[schema(value_type = Vec<ModelResultDocument>)]
    pub results: serde_json::Value,
}

/// Submit an assessment.
///
/// Freezes the answers, scores every model and stores the results. Send an `Idempotency-Key`
/// header to retry safely: the same key and request get the same response (marked
/// `Idempotent-Replayed: true`); the same key for another assessment is a 422.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:write"])),
    params(
        ("id" = Uuid, Path, description = "Assessment id"),
        ("Idempotency-Key" = Option<String>, Header, description = "A unique key per submission attempt (at most 255 visible characters), kept at least 24 hours"),
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
    request: HttpRequest,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let tenant = writer.caller().tenant;
    let key = idempotency_key(&request)?;
    if let Some(key) = &key {
        // Submission takes no body: the request is identified by what it submits, its path.
        let hash: String = Sha256::digest(request.path().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        match store.claim_idempotency_key(tenant, key, &hash).await? {
            Claim::Claimed => {}
            Claim::InProgress => {
                return Err(ApiError::Conflict(
                    "a request with this Idempotency-Key is still being processed".to_owned(),
                ));
            }
            Claim::Mismatch => {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "Idempotency-Key",
                    "this key was already used for a different request",
                )]));
            }
            Claim::Completed { status, body } => return Ok(replay(status, body)),
        }
    }
    let outcome = submit(&store, &catalog, tenant, *id, lang).await;
    if let Some(key) = &key {
        remember(&store, tenant, key, &outcome).await?;
    }
    Ok(HttpResponse::Ok().json(outcome?))
}

async fn submit(
    store: &Store,
    catalog: &Catalog,
    tenant: TenantId,
    id: Uuid,
    lang: Lang,
) -> Result<ResultsResponse, ApiError> {
    let tx = store.tenant_tx(tenant).await?;
    let assessment = tx
        .lock_assessment(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no assessment {id}")))?;
    if assessment.status == AssessmentStatus::Submitted {
        return Err(ApiError::Conflict(
            "the assessment is already submitted".to_owned(),
        ));
    }
    let respondents = tx.answers_of_assessment(id).await?;
    if respondents.iter().all(|answers| answers.is_empty()) {
        return Err(ApiError::Conflict(
            "nothing to submit: no respondent has answered yet".to_owned(),
        ));
    }
    let answers = AnswerSet::aggregate(&respondents);
    let (mut en, mut nl) = (Vec::new(), Vec::new());
    for (model, target) in pinned_models(catalog, &assessment)? {
        let result = score_model(model, &answers, target.as_deref()).map_err(|error| {
            ApiError::Internal(anyhow::anyhow!("targets were validated: {error}"))
        })?;
        en.push(ModelResultDocument::render(&result, Lang::En));
        nl.push(ModelResultDocument::render(&result, Lang::Nl));
    }
    let now = Utc::now();
    let stored = serde_json::json!({ "respondents": respondents.len(), "submitted_at": now, "en": en, "nl": nl });
    tx.insert_results(id, stored.clone(), now).await?;
    if !tx.mark_submitted(id, now).await? {
        return Err(ApiError::Conflict(
            "the assessment is already submitted".to_owned(),
        ));
    }
    tx.commit().await?;
    Ok(results_in(id, &stored, lang))
}

/// The stored outcome of a keyed request: client errors are final and replayed like successes;
/// server errors free the key so that a retry can succeed.
async fn remember(
    store: &Store,
    tenant: TenantId,
    key: &str,
    outcome: &Result<ResultsResponse, ApiError>,
) -> Result<(), ApiError> {
    use actix_web::ResponseError;
    match outcome {
        Ok(results) => {
            let body = serde_json::to_value(results).map_err(anyhow::Error::from)?;
            store
                .complete_idempotency_key(tenant, key, 200, body)
                .await?;
        }
        Err(error) if error.status_code().is_client_error() => {
            let body = serde_json::to_value(error.problem(None)).map_err(anyhow::Error::from)?;
            store
                .complete_idempotency_key(tenant, key, error.status_code().as_u16(), body)
                .await?;
        }
        Err(_) => store.release_idempotency_key(tenant, key).await?,
    }
    Ok(())
}

fn replay(status: u16, body: serde_json::Value) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_JSON
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header(("Idempotent-Replayed", "true"))
        .body(body.to_string())
}

fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = request.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = value.to_str().ok().map(str::trim).filter(|k| {
        !k.is_empty() && k.len() <= MAX_KEY_LENGTH && k.bytes().all(|b| b.is_ascii_graphic())
    });
    key.map(|k| Some(k.to_owned())).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters"
        ))
    })
}

/// The stored results in one language.
fn results_in(assessment_id: Uuid, stored: &serde_json::Value, lang: Lang) -> ResultsResponse {
    ResultsResponse {
        assessment_id,
        submitted_at: serde_json::from_value(stored["submitted_at"].clone()).unwrap_or_default(),
        respondents: stored["respondents"].as_u64().unwrap_or_default() as usize,
        results: stored[lang.code()].clone(),
    }
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
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let tx = store.tenant_tx(reader.caller().tenant).await?;
    existing(&tx, *id).await?;
    let stored = tx.find_results(*id).await?;
    tx.commit().await?;
    let stored = stored.ok_or_else(|| {
        ApiError::Conflict("the assessment is not submitted yet: it has no results".to_owned())
    })?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(results_in(*id, &stored, lang)))
}
