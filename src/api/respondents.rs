//! Respondents of an assessment, their tokens, and their answers.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::access::AssessmentAccess;
use crate::api::json_body::JsonBody;
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::auth::Authenticator;
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::catalog::ids::IndicatorId;
use crate::domain::assessment::Respondent;
use crate::domain::ids::{AssessmentId, RespondentId};
use crate::domain::scoring::{AnswerValue, RespondentAnswers};
use crate::error::ApiError;
use crate::service::respondents;
use crate::service::selection::RawAnswer;
use crate::settings::TokenSettings;
use crate::store::Store;

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
    #[schema(
        example = "Marketing manager",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
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
    #[schema(max_items = 200)]
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
    #[schema(value_type = IndicatorId)]
    pub indicator_id: String,
    /// 0–4, or `null` for "don't know / not applicable".
    pub value: Option<u8>,
}

/// One answer: an indicator and a value on the 0–4 scale, or `null` for "don't know / not
/// applicable".
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    #[schema(value_type = IndicatorId, example = "audience-defined")]
    pub indicator_id: String,
    /// 0 not at all, 1 ad hoc, 2 partly, 3 mostly, 4 fully and structurally; `null`: don't know.
    #[schema(minimum = 0, maximum = 4, example = 3)]
    #[serde(default, deserialize_with = "crate::api::json_body::integral")]
    pub value: Option<i64>,
}

/// The answers as the use cases take them.
pub fn raw_answers(answers: Vec<AnswerInput>) -> Vec<RawAnswer> {
    answers
        .into_iter()
        .map(|a| RawAnswer {
            indicator_id: a.indicator_id,
            value: a.value,
        })
        .collect()
}

impl From<Respondent> for RespondentResponse {
    fn from(r: Respondent) -> Self {
        RespondentResponse {
            id: r.id.0,
            assessment_id: r.assessment_id.0,
            label: r.label,
            created_at: r.created_at,
        }
    }
}

fn answers_response(respondent_id: RespondentId, answers: RespondentAnswers) -> AnswersResponse {
    AnswersResponse {
        respondent_id: respondent_id.0,
        answers: answers
            .into_iter()
            .map(|(indicator_id, value)| AnswerDocument {
                indicator_id,
                value: value.map(AnswerValue::get),
            })
            .collect(),
    }
}

/// Add a respondent.
///
/// Registers someone at the client who will answer, and returns a respondent token for the
/// questionnaire front-end: it can read this assessment's questionnaire and save this
/// respondent's answers, nothing else. An assessment takes at most 500 respondents (409 beyond).
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
    body: JsonBody<CreateRespondentRequest>,
) -> Result<HttpResponse, ApiError> {
    let (respondent, token) = respondents::add(
        &store,
        authenticator.tokens(),
        settings.respondent_ttl_seconds,
        writer.caller().actor(),
        AssessmentId(*id),
        &body.label,
    )
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CreatedRespondent {
            respondent: respondent.into(),
            token: token.token,
            expires_in: token.expires_in,
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
    let tenant = reader.caller().tenant;
    let rows = respondents::list(&store, tenant, AssessmentId(*id), page.keyset()?).await?;
    Ok(web::Json(page.finish(
        rows,
        |r| r.id.0,
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
    respondents::remove(
        &store,
        writer.caller().actor(),
        AssessmentId(assessment_id),
        RespondentId(respondent_id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
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
    access: AssessmentAccess<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    body: JsonBody<SaveAnswersRequest>,
) -> Result<web::Json<AnswersResponse>, ApiError> {
    let respondent_id = respondent_of(&access)?;
    let answers = raw_answers(body.into_inner().answers);
    let all = respondents::save_answers(
        &store,
        &catalog,
        access.caller.tenant,
        access.assessment_id,
        respondent_id,
        &answers,
    )
    .await?;
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
    access: AssessmentAccess<scope::AssessmentsRead>,
    store: web::Data<Store>,
) -> Result<web::Json<AnswersResponse>, ApiError> {
    let respondent_id = respondent_of(&access)?;
    let answers = respondents::answers(
        &store,
        access.caller.tenant,
        access.assessment_id,
        respondent_id,
    )
    .await?;
    Ok(web::Json(answers_response(respondent_id, answers)))
}

fn respondent_of<S: scope::Required>(
    access: &AssessmentAccess<S>,
) -> Result<RespondentId, ApiError> {
    access.respondent_id.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("an answers route without a respondent id"))
    })
}
