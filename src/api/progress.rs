//! `GET /v1/clients/{id}/progress`: per model, where a client stood at each submitted assessment.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::NotFoundProblem;
use crate::api::results::{StageRef, stage_ref};
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::catalog::ids::ModelId;
use crate::domain::Lang;
use crate::domain::ids::OrganisationId;
use crate::error::ApiError;
use crate::service::organisations;
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(get_progress);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressResponse<'a> {
    pub client_id: Uuid,
    /// One series per model assessed at least once, in the catalogue's order.
    pub models: Vec<ModelProgress<'a>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelProgress<'a> {
    #[schema(value_type = ModelId)]
    pub model_id: String,
    /// Oldest submission first.
    pub points: Vec<ProgressPoint<'a>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressPoint<'a> {
    pub assessment_id: Uuid,
    pub title: String,
    pub submitted_at: DateTime<Utc>,
    pub model_version: String,
    /// The stage reached then; `null` below the first stage or for focus models.
    pub stage: Option<StageRef<'a>>,
    pub coverage: f64,
    pub percent_to_target: Option<f64>,
    /// Focus models: the mean element score then.
    pub profile_mean: Option<f64>,
}

/// Get a client's progress.
///
/// Per model, the stage (or profile) at each of the client's submitted assessments (the most
/// recent 100), oldest first.
#[utoipa::path(
    tag = "clients",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Client id"), LanguageHeader),
    responses((status = 200, description = "The progress", body = ProgressResponse), NotFoundProblem)
)]
#[get("/clients/{id}/progress")]
async fn get_progress(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = OrganisationId(*id);
    let progress = organisations::progress(&store, &catalog, reader.caller().tenant, id).await?;
    let models = progress
        .models
        .iter()
        .map(|series| ModelProgress {
            points: series
                .points
                .iter()
                .map(|point| render_point(&catalog, &series.model_id, point, lang))
                .collect(),
            model_id: series.model_id.clone(),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(ProgressResponse {
            client_id: id.0,
            models,
        }))
}

fn render_point<'a>(
    catalog: &'a Catalog,
    model_id: &str,
    point: &'a organisations::ProgressPoint,
    lang: Lang,
) -> ProgressPoint<'a> {
    let model = catalog.version(model_id, point.model_version);
    let stage = point
        .stage_id
        .as_deref()
        .map(|stage_id| stage_ref(model, stage_id, lang));
    ProgressPoint {
        assessment_id: point.assessment_id.0,
        title: point.title.clone(),
        submitted_at: point.submitted_at,
        model_version: point.model_version.to_string(),
        stage,
        coverage: point.coverage,
        percent_to_target: point.percent_to_target,
        profile_mean: point.profile_mean,
    }
}
