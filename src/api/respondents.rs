//! Respondents of an assessment, their tokens, and their answers.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::assessments::{existing, pinned_models};
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::api::selection::{self, AnswerInput};
use crate::api::validation;
use crate::auth::Authenticator;
use crate::auth::caller::{Authorized, Caller, scope};
use crate::auth::tokens::{RespondentGrant, TokenSubject};
use crate::catalog::Catalog;
use crate::domain::assessment::{AssessmentStatus, Respondent};
use crate::domain::scoring::RespondentAnswers;
use crate::domain::tenancy::{Scope, Scopes};
use crate::error::{ApiError, FieldError};
use crate::settings::TokenSettings;
use crate::store::{Store, TenantTx};

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_respondent)
        .service(list_respondents)
        .service(delete_respondent)
        .service(save_answers)
        .service(get_answers);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRespondentRequest {
    /// Who answers, as the agency wants to recognise them (no personal data needed).
    #[schema(example = "Marketing manager", max_length = 200)]
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RespondentResponse {
    pub id: Uuid,
    pub assessment_id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
}

/// A new respondent with a token for a questionnaire front-end.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedRespondent {
    pub respondent: RespondentResponse,
    /// A bearer token that may only read this assessment's questionnaire and save this
    /// respondent's answers.
    pub token: String,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveAnswersRequest {
    /// Answers to insert or replace; answers not listed stay as they are.
    pub answers: Vec<AnswerInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswersResponse {
    pub respondent_id: Uuid,
    /// Every answer the respondent has given so far, by indicator id.
    pub answers: Vec<AnswerDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerDocument {
    pub indicator_id: String,
    /// 0–4, or `null` for "don't know / not applicable".
    pub value: Option<u8>,
}

impl From<Respondent> for RespondentResponse {
    fn from(r: Respondent) -> Self {
        RespondentResponse {
            id: r.id,
            assessment_id: r.assessment_id,
            label: r.label,
            created_at: r.created_at,
        }
    }
}

fn answers_response(respondent_id: Uuid, answers: RespondentAnswers) -> AnswersResponse {
    AnswersResponse {
        respondent_id,
        answers: answers
            .into_iter()
            .map(|(indicator_id, value)| AnswerDocument {
                indicator_id,
                value: value.map(|v| v.get()),
            })
            .collect(),
    }
}

/// Add a respondent.
///
/// Registers someone at the client who will answer, and returns a respondent token for the
/// questionnaire front-end: it can read this assessment's questionnaire and save this
/// respondent's answers, nothing else.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:write"])),
    params(("id" = Uuid, Path, description = "Assessment id")),
    request_body = CreateRespondentRequest,
    responses(
        (status = 201, description = "Created, with the respondent's token", body = CreatedRespondent),
        NotFoundProblem, ConflictProblem, ValidationProblem,
    )
)]
#[post("/assessments/{id}/respondents")]
async fn create_respondent(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    authenticator: web::Data<Authenticator>,
    settings: web::Data<TokenSettings>,
    id: web::Path<Uuid>,
    body: web::Json<CreateRespondentRequest>,
) -> Result<HttpResponse, ApiError> {
    let label =
        validation::name("label", &body.label).map_err(|e| ApiError::Validation(vec![e]))?;
    let caller = writer.caller();
    let tx = store.tenant_tx(caller.tenant).await?;
    open_assessment(&tx, *id).await?;
    let respondent = tx.insert_respondent(*id, &label, Utc::now()).await?;
    tx.commit().await?;
    let subject = TokenSubject {
        tenant: caller.tenant,
        client: caller.client,
        scopes: Scopes::new([Scope::Respondent]),
        respondent: Some(RespondentGrant {
            assessment_id: *id,
            respondent_id: respondent.id,
        }),
    };
    let token = authenticator
        .tokens()
        .issue_for(&subject, settings.respondent_ttl_seconds)?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CreatedRespondent {
            respondent: respondent.into(),
            token,
            expires_in: settings.respondent_ttl_seconds,
        }))
}

/// List respondents.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:read"])),
    params(("id" = Uuid, Path, description = "Assessment id"), PageQuery),
    responses((status = 200, description = "A page of respondents", body = Page<RespondentResponse>), NotFoundProblem, ValidationProblem)
)]
#[get("/assessments/{id}/respondents")]
async fn list_respondents(
    reader: Authorized<scope::AssessmentsRead>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<RespondentResponse>>, ApiError> {
    let page = query.parse()?;
    let tx = store.tenant_tx(reader.caller().tenant).await?;
    existing(&tx, *id).await?;
    let rows = tx.list_respondents(*id, page.keyset()?).await?;
    tx.commit().await?;
    Ok(web::Json(page.finish(
        rows,
        |r| r.id,
        RespondentResponse::from,
    )))
}

/// Remove a respondent.
///
/// Deletes the respondent and their answers; their token is refused from then on. Results
/// already stored by a submission keep what they were scored with.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:write"])),
    params(("id" = Uuid, Path, description = "Assessment id"), ("respondent_id" = Uuid, Path, description = "Respondent id")),
    responses((status = 204, description = "Removed"), NotFoundProblem)
)]
#[delete("/assessments/{id}/respondents/{respondent_id}")]
async fn delete_respondent(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (assessment_id, respondent_id) = path.into_inner();
    let tx = store.tenant_tx(writer.caller().tenant).await?;
    existing(&tx, assessment_id).await?;
    if !tx.delete_respondent(assessment_id, respondent_id).await? {
        return Err(ApiError::NotFound(format!(
            "assessment {assessment_id} has no respondent {respondent_id}"
        )));
    }
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A respondent token whose respondent was removed is refused, like a revoked client's token.
pub async fn ensure_respondent_exists(tx: &TenantTx, caller: &Caller) -> Result<(), ApiError> {
    match caller.respondent {
        Some(grant)
            if tx
                .find_respondent(grant.assessment_id, grant.respondent_id)
                .await?
                .is_none() =>
        {
            Err(ApiError::Unauthorized(Some(
                "the respondent has been removed",
            )))
        }
        _ => Ok(()),
    }
}

/// Save answers.
///
/// Inserts or replaces the given answers of one respondent, in one transaction: partial saves
/// over several sittings are expected. Refused once the assessment is submitted.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:write"]), ("oauth2" = ["respondent"])),
    params(("id" = Uuid, Path, description = "Assessment id"), ("respondent_id" = Uuid, Path, description = "Respondent id")),
    request_body = SaveAnswersRequest,
    responses(
        (status = 200, description = "All the respondent's answers after the save", body = AnswersResponse),
        NotFoundProblem, ConflictProblem, ValidationProblem,
    )
)]
#[put("/assessments/{id}/respondents/{respondent_id}/answers")]
async fn save_answers(
    caller: Caller,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<SaveAnswersRequest>,
) -> Result<web::Json<AnswersResponse>, ApiError> {
    let (assessment_id, respondent_id) = path.into_inner();
    caller.may_answer(assessment_id, respondent_id)?;
    let tx = store.tenant_tx(caller.tenant).await?;
    ensure_respondent_exists(&tx, &caller).await?;
    let assessment = open_assessment(&tx, assessment_id).await?;
    respondent_of(&tx, assessment_id, respondent_id).await?;
    let models = pinned_models(&catalog, &assessment)?;
    let needed = selection::indicators(&models);
    let mut errors: Vec<FieldError> = Vec::new();
    let answers = selection::answers("answers", &body.answers, &needed, &catalog, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    tx.save_answers(respondent_id, &answers, Utc::now()).await?;
    let all = tx.answers_of(respondent_id).await?;
    tx.commit().await?;
    Ok(web::Json(answers_response(respondent_id, all)))
}

/// Get answers.
///
/// One respondent's answers so far.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:read"]), ("oauth2" = ["respondent"])),
    params(("id" = Uuid, Path, description = "Assessment id"), ("respondent_id" = Uuid, Path, description = "Respondent id")),
    responses((status = 200, description = "The respondent's answers", body = AnswersResponse), NotFoundProblem)
)]
#[get("/assessments/{id}/respondents/{respondent_id}/answers")]
async fn get_answers(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<AnswersResponse>, ApiError> {
    let (assessment_id, respondent_id) = path.into_inner();
    let own = caller
        .respondent
        .is_some_and(|r| r.respondent_id == respondent_id);
    if caller.respondent.is_some() && !own {
        return Err(ApiError::Forbidden {
            scope: Scope::AssessmentsRead,
        });
    }
    caller.may_read_assessment(assessment_id)?;
    let tx = store.tenant_tx(caller.tenant).await?;
    ensure_respondent_exists(&tx, &caller).await?;
    existing(&tx, assessment_id).await?;
    respondent_of(&tx, assessment_id, respondent_id).await?;
    let answers = tx.answers_of(respondent_id).await?;
    tx.commit().await?;
    Ok(web::Json(answers_response(respondent_id, answers)))
}

/// The assessment, locked, if it still takes answers: 404 when missing, 409 when submitted.
async fn open_assessment(
    tx: &TenantTx,
    id: Uuid,
) -> Result<crate::domain::assessment::Assessment, ApiError> {
    let assessment = tx
        .lock_assessment(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no assessment {id}")))?;
    if assessment.status == AssessmentStatus::Submitted {
        return Err(ApiError::Conflict(
            "the assessment is submitted: its answers are frozen".to_owned(),
        ));
    }
    Ok(assessment)
}

async fn respondent_of(
    tx: &TenantTx,
    assessment_id: Uuid,
    id: Uuid,
) -> Result<Respondent, ApiError> {
    tx.find_respondent(assessment_id, id).await?.ok_or_else(|| {
        ApiError::NotFound(format!("assessment {assessment_id} has no respondent {id}"))
    })
}
