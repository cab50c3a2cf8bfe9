//! `/v1/assessments`: assessments of a client on chosen models.

use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{NotFoundProblem, ValidationProblem};
use crate::api::{selection, validation};
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::domain::Model;
use crate::domain::assessment::{Assessment, AssessmentStatus, ChosenModel};
use crate::error::{ApiError, FieldError};
use crate::store::assessments::AssessmentFilter;
use crate::store::{Store, TenantTx};

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_assessment)
        .service(list_assessments)
        .service(get_assessment);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAssessmentRequest {
    pub client_id: Uuid,
    #[schema(example = "Baseline 2026", max_length = 200)]
    pub title: String,
    #[schema(example = json!(["social-media-pyramid", "ambitie-model"]))]
    pub model_ids: Vec<String>,
    /// Optional target stage (ambition) per staged or layered model.
    #[serde(default)]
    #[schema(example = json!({"ambitie-model": "facilitate"}))]
    pub targets: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentResponse {
    pub id: Uuid,
    pub client_id: Uuid,
    pub title: String,
    /// `open` (answers may be saved) or `submitted` (answers frozen, results stored).
    #[schema(example = "open")]
    pub status: &'static str,
    /// The models, each pinned to the version current when the assessment was created.
    pub models: Vec<ChosenModelDocument>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChosenModelDocument {
    pub model_id: String,
    pub version: String,
    pub target: Option<String>,
}

impl From<Assessment> for AssessmentResponse {
    fn from(a: Assessment) -> Self {
        AssessmentResponse {
            id: a.id,
            client_id: a.client_id,
            title: a.title,
            status: a.status.as_str(),
            models: a
                .models
                .into_iter()
                .map(|m| ChosenModelDocument {
                    model_id: m.model_id,
                    version: m.version.to_string(),
                    target: m.target,
                })
                .collect(),
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
    /// `open` or `submitted`.
    pub status: Option<String>,
}

/// Create an assessment.
///
/// Opens an assessment of a client on the chosen models (their latest versions, pinned from now
/// on), with an optional target stage per model.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:write"])),
    request_body = CreateAssessmentRequest,
    responses((status = 201, description = "Created", body = AssessmentResponse), ValidationProblem)
)]
#[post("/assessments")]
async fn create_assessment(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    body: web::Json<CreateAssessmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let title = validation::name("title", &body.title)
        .map_err(|e| errors.push(e))
        .ok();
    let models: Vec<ChosenModel> =
        selection::models(&catalog, &body.model_ids, &body.targets, &mut errors)
            .into_iter()
            .map(|(model, target)| ChosenModel {
                model_id: model.id.clone(),
                version: model.version,
                target,
            })
            .collect();
    let tx = store.tenant_tx(writer.caller().tenant).await?;
    if tx.find_organisation(body.client_id).await?.is_none() {
        errors.push(FieldError::new(
            "client_id",
            format!("there is no client {}", body.client_id),
        ));
    }
    let (Some(title), true) = (title, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let created = tx
        .insert_assessment(body.client_id, &title, &models, Utc::now())
        .await?;
    tx.commit().await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, format!("/v1/assessments/{}", created.id)))
        .json(AssessmentResponse::from(created)))
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
        .map(str::parse::<AssessmentStatus>)
        .transpose()
        .map_err(|message| ApiError::Validation(vec![FieldError::new("status", message)]))?;
    let tx = store.tenant_tx(reader.caller().tenant).await?;
    let rows = tx
        .list_assessments(
            AssessmentFilter {
                client_id: filter.client_id,
                status,
            },
            page.keyset()?,
        )
        .await?;
    tx.commit().await?;
    Ok(web::Json(page.finish(
        rows,
        |a| a.id,
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
    let tx = store.tenant_tx(reader.caller().tenant).await?;
    let assessment = existing(&tx, *id).await?;
    tx.commit().await?;
    Ok(web::Json(assessment.into()))
}

/// The assessment's models at the versions it is pinned to.
pub fn pinned_models<'c>(
    catalog: &'c Catalog,
    assessment: &Assessment,
) -> Result<Vec<(&'c Model, Option<String>)>, ApiError> {
    assessment
        .models
        .iter()
        .map(|chosen| {
            catalog
                .version(&chosen.model_id, chosen.version)
                .map(|model| (model, chosen.target.clone()))
                .ok_or_else(|| {
                    ApiError::Internal(anyhow::anyhow!(
                        "assessment {} is pinned to {} {}, which this build does not have",
                        assessment.id,
                        chosen.model_id,
                        chosen.version
                    ))
                })
        })
        .collect()
}

/// The assessment, or a 404 that looks the same for a foreign one as for a missing one.
pub async fn existing(tx: &TenantTx, id: Uuid) -> Result<Assessment, ApiError> {
    tx.find_assessment(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no assessment {id}")))
}
