//! `GET /v1/clients/{id}/progress`: per model, where a client stood at each submitted assessment.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::clients::no_client;
use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::NotFoundProblem;
use crate::api::results::StageRef;
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::store::Store;

/// How many of the most recent submitted assessments progress covers.
pub const MAX_ASSESSMENTS: u64 = 100;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(get_progress);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressResponse {
    pub client_id: Uuid,
    /// One series per model assessed at least once, in the catalogue's order.
    pub models: Vec<ModelProgress>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelProgress {
    pub model_id: String,
    /// Oldest submission first.
    pub points: Vec<ProgressPoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressPoint {
    pub assessment_id: Uuid,
    pub title: String,
    pub submitted_at: DateTime<Utc>,
    pub model_version: String,
    /// The stage reached then; `null` below the first stage or for focus models.
    #[schema(value_type = Option<StageRef>)]
    pub stage: serde_json::Value,
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
    let tx = store.tenant_tx(reader.caller().tenant).await?;
    tx.find_organisation(*id)
        .await?
        .ok_or_else(|| no_client(*id))?;
    let submitted = tx.submitted_results_of_client(*id, MAX_ASSESSMENTS).await?;
    tx.commit().await?;
    let models = catalog
        .latest_models()
        .filter_map(|model| {
            let points: Vec<ProgressPoint> = submitted
                .iter()
                .filter_map(|(assessment, stored)| {
                    let result = stored[lang.code()]
                        .as_array()?
                        .iter()
                        .find(|r| r["model_id"] == model.id.as_str())?;
                    Some(ProgressPoint {
                        assessment_id: assessment.id,
                        title: assessment.title.clone(),
                        submitted_at: assessment.submitted_at?,
                        model_version: result["model_version"].as_str()?.to_owned(),
                        stage: result["stage"].clone(),
                        coverage: result["coverage"].as_f64()?,
                        percent_to_target: result["percent_to_target"].as_f64(),
                        profile_mean: result["profile"]["mean"].as_f64(),
                    })
                })
                .collect();
            (!points.is_empty()).then(|| ModelProgress {
                model_id: model.id.clone(),
                points,
            })
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(ProgressResponse {
            client_id: *id,
            models,
        }))
}
