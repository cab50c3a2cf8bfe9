//! Operational endpoints for orchestrators and monitoring: liveness, readiness, metrics.

use actix_web::{HttpResponse, get, web};
use prometheus::{Encoder, Registry, TextEncoder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::problems::UnavailableProblem;
use crate::error::ApiError;
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(healthz).service(readyz).service(metrics);
}

#[derive(Serialize, ToSchema)]
pub struct Status {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness.
///
/// 200 while the process can answer requests; checks nothing else, so a database outage never
/// makes an orchestrator restart healthy replicas.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = Status)))]
#[get("/healthz")]
async fn healthz() -> web::Json<Status> {
    web::Json(Status { status: "ok" })
}

/// Readiness.
///
/// 200 when the database answers; 503 otherwise, so the load balancer stops sending traffic until
/// it recovers. The service reconnects by itself.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Ready", body = Status), UnavailableProblem)
)]
#[get("/readyz")]
async fn readyz(store: web::Data<Store>) -> Result<web::Json<Status>, ApiError> {
    store
        .ping()
        .await
        .map_err(|error| ApiError::Unavailable(format!("the database is unreachable: {error}")))?;
    Ok(web::Json(Status { status: "ready" }))
}

/// Metrics.
///
/// Prometheus text format: request counts and latency histograms by route, method and status.
/// Counters are per replica.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus exposition format", body = String,
        content_type = "text/plain; version=0.0.4"))
)]
#[get("/metrics")]
async fn metrics(registry: web::Data<Registry>) -> Result<HttpResponse, ApiError> {
    let encoder = TextEncoder::new();
    let mut buffer = Vec::new();
    encoder
        .encode(&registry.gather(), &mut buffer)
        .map_err(anyhow::Error::from)?;
    Ok(HttpResponse::Ok()
        .content_type(encoder.format_type())
        .body(buffer))
}
