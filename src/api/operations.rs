//! Operational endpoints for orchestrators and monitoring: liveness, readiness, metrics.

use actix_web::{HttpResponse, get, web};
use prometheus::{Encoder, Registry, TextEncoder};
use serde::Serialize;
use utoipa::ToSchema;

use std::time::Duration;

use crate::api::problems::UnavailableProblem;
use crate::error::ApiError;
use crate::service;
use crate::store::Store;

/// How long readiness waits for the database; below the probe timeout in `k8s/deployment.yaml`.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

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
    // Answer within the probe's patience rather than after the pool's acquire timeout.
    service::health::ready(&store, READINESS_TIMEOUT)
        .await
        .map(|()| web::Json(Status { status: "ready" }))
        .map_err(|_| ApiError::Unavailable("the database is unreachable".to_owned()))
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
