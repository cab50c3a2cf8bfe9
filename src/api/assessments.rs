//! `/v1/assessments`: assessments of a client on chosen models.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::idempotency::{IdempotencyHeader, IdempotencyKeyHeader, mark_replayed};
use crate::api::json_body::JsonBody;
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{NotFoundProblem, ValidationProblem};
use crate::api::value_sets::{AssessmentStatusValues, SectorValues};
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::catalog::ids::{FocusElements, ModelId, TargetStages};
use crate::domain::Sector;
use crate::domain::assessment::{Assessment, AssessmentStatus};
use crate::domain::ids::{AssessmentId, OrganisationId};
use crate::error::{ApiError, FieldError};
use crate::service::assessments::{self, AssessmentFilter, NewAssessment};
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_assessment)
        .service(list_assessments)
        .service(get_assessment);
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAssessmentRequest {
    pub client_id: Uuid,
    #[schema(
        example = "Baseline 2026",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub title: String,
    #[schema(value_type = BTreeSet<ModelId>, min_items = 1, example = json!(["social-media-pyramid", "ambitie-model"]))]
    pub model_ids: Vec<String>,
    /// Optional target stage (ambition) per staged or layered model.
    #[serde(default)]
    #[schema(value_type = TargetStages, example = json!({"ambitie-model": "facilitate"}))]
    pub targets: BTreeMap<String, String>,
    /// Optional elements pursued per focus model (POST's Objectives): recommendations then cover
    /// the foundation and these. Without a choice, the Groundswell objectives advise making it
    /// (`choose-objectives`) and the Communicatieroos its two weakest petals.
    #[serde(default)]
    #[schema(value_type = FocusElements, example = json!({"communicatieroos": ["listen", "respond"]}))]
    pub focus: BTreeMap<String, Vec<String>>,
    /// The sector this assessment is for, when it differs from the client's (absent: the
    /// client's). Questions and steps that do not fit it are left out.
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentResponse {
    pub id: Uuid,
    pub client_id: Uuid,
    pub title: String,
    #[schema(value_type = AssessmentStatusValues)]
    pub status: &'static str,
    /// The models, each pinned to the version current when the assessment was created.
    pub models: Vec<ChosenModelDocument>,
    /// The assessment's own sector; `null` when it follows its client's.
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<&'static str>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChosenModelDocument {
    #[schema(value_type = ModelId)]
    pub model_id: String,
    pub version: String,
    pub target: Option<String>,
    /// Focus models: the elements pursued; `null` without a choice.
    pub focus: Option<Vec<String>>,
}

impl From<Assessment> for AssessmentResponse {
    fn from(a: Assessment) -> Self {
        AssessmentResponse {
            id: a.id.0,
            client_id: a.organisation_id.0,
            title: a.title,
            status: a.status.as_str(),
            models: a
                .models
                .into_iter()
                .map(|m| ChosenModelDocument {
                    model_id: m.model_id,
                    version: m.version.to_string(),
                    target: m.target,
                    focus: m.focus,
                })
                .collect(),
            sector: a.sector.map(Sector::as_str),
            created_at: a.created_at,
            submitted_at: a.submitted_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentQuery {
    /// Only this client's assessments.
    pub client_id: Option<Uuid>,
    /// `open` or `submitted`; empty or absent: both.
    #[param(pattern = "^(open|submitted)?$")]
    pub status: Option<String>,
}

/// Create an assessment.
///
/// Opens an assessment of a client on the chosen models (their latest versions, pinned from now
/// on), with an optional target stage per model. Send an `Idempotency-Key` header to retry
/// safely: a retry with the same key and body answers with the assessment the first request
/// created (marked `Idempotent-Replayed: true`).
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:write"])),
    params(IdempotencyKeyHeader),
    request_body = CreateAssessmentRequest,
    responses(
        (status = 201, description = "Created", body = AssessmentResponse),
        (status = 404, description = "A retry whose assessment (created by the first request) has since been deleted",
            body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with the same Idempotency-Key is still being processed",
            body = crate::error::Problem, content_type = "application/problem+json"),
        ValidationProblem,
    )
)]
#[post("/assessments")]
async fn create_assessment(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    idempotency: IdempotencyHeader,
    body: JsonBody<CreateAssessmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency.key_for(&*body)?;
    let body = body.into_inner();
    let new = NewAssessment {
        organisation_id: OrganisationId(body.client_id),
        title: body.title,
        model_ids: body.model_ids,
        targets: body.targets,
        focus: body.focus,
        sector: body.sector,
    };
    let created =
        assessments::create(&store, &catalog, writer.caller().actor(), new, key.as_ref()).await?;
    let mut response = HttpResponse::build(StatusCode::CREATED);
    mark_replayed(&mut response, created.replayed);
    Ok(response
        .insert_header((
            header::LOCATION,
            format!("/v1/assessments/{}", created.value.id),
        ))
        .json(AssessmentResponse::from(created.value)))
}

/// List assessments.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:read"])),
    params(AssessmentQuery, PageQuery),
    responses((status = 200, description = "A page of assessments, oldest first", body = Page<AssessmentResponse>), ValidationProblem)
)]
#[get("/assessments")]
async fn list_assessments(
    reader: Authorized<scope::AssessmentsRead>,
    store: web::Data<Store>,
    filter: web::Query<AssessmentQuery>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<AssessmentResponse>>, ApiError> {
    let page = query.parse()?;
    let status = filter
        .status
        .as_deref()
        .filter(|status| !status.is_empty())
        .map(str::parse::<AssessmentStatus>)
        .transpose()
        .map_err(|message| ApiError::Validation(vec![FieldError::new("status", message)]))?;
    let filter = AssessmentFilter {
        organisation_id: filter.client_id.map(OrganisationId),
        status,
    };
    let rows = assessments::list(&store, reader.caller().tenant, filter, page.keyset()?).await?;
    Ok(web::Json(page.finish(
        rows,
        |a| a.id.0,
        AssessmentResponse::from,
    )))
}

/// Get an assessment.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:read"])),
    params(("id" = Uuid, Path, description = "Assessment id")),
    responses((status = 200, description = "The assessment", body = AssessmentResponse), NotFoundProblem)
)]
#[get("/assessments/{id}")]
async fn get_assessment(
    reader: Authorized<scope::AssessmentsRead>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<web::Json<AssessmentResponse>, ApiError> {
    let assessment = assessments::get(&store, reader.caller().tenant, AssessmentId(*id)).await?;
    Ok(web::Json(assessment.into()))
}
