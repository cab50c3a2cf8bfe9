//! An endpoint's delivery log and replays: `GET …/{id}/deliveries`,
//! `POST …/{id}/deliveries/{delivery_id}/replay` and `POST …/{id}/replay?since=`.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::WebhookEventType;
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::auth::caller::{Authorized, scope};
use crate::domain::ids::{WebhookDeliveryId, WebhookEndpointId};
use crate::domain::webhook::{Delivery, DeliveryStatus};
use crate::error::ApiError;
use crate::service::webhooks;
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_webhook_deliveries)
        .service(replay_webhook_delivery)
        .service(replay_webhook_events);
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// A 2xx answered.
    Succeeded,
    /// Every attempt failed (about three days of retries), or the endpoint was disabled.
    Failed,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeliveryResponse {
    pub id: Uuid,
    /// The event's id, sent as `webhook-id` (the same on every attempt and replay).
    pub event_id: Uuid,
    pub event_type: WebhookEventType,
    pub status: WebhookDeliveryStatus,
    /// Attempts made so far (at most 12).
    pub attempts: u32,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The HTTP status the receiver last answered, if it answered.
    pub response_status: Option<u16>,
    /// How long the last attempt took, in milliseconds.
    pub latency_ms: Option<u32>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Delivery> for WebhookDeliveryResponse {
    fn from(delivery: Delivery) -> Self {
        WebhookDeliveryResponse {
            id: delivery.id.0,
            event_id: delivery.event_id.0,
            event_type: delivery.event_type.into(),
            status: match delivery.status {
                DeliveryStatus::Pending => WebhookDeliveryStatus::Pending,
                DeliveryStatus::Succeeded => WebhookDeliveryStatus::Succeeded,
                DeliveryStatus::Failed => WebhookDeliveryStatus::Failed,
            },
            attempts: delivery.attempts,
            next_attempt_at: delivery.next_attempt_at,
            last_attempt_at: delivery.last_attempt_at,
            response_status: delivery.response_status,
            latency_ms: delivery.latency_ms,
            last_error: delivery.last_error,
            created_at: delivery.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReplayQuery {
    /// Send again every subscribed event that occurred at or after this time (at most 30 days
    /// ago).
    pub since: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayResponse {
    /// How many deliveries were scheduled, at most 1000.
    pub deliveries: usize,
    /// When more than 1000 events matched: replay again from here.
    pub next_since: Option<DateTime<Utc>>,
}

/// List an endpoint's deliveries.
///
/// Newest first: each event's delivery with its status, attempts, the receiver's last answer
/// and latency, and when the next attempt is due.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Endpoint id"), PageQuery),
    responses((status = 200, description = "A page of deliveries, newest first", body = Page<WebhookDeliveryResponse>), NotFoundProblem, ValidationProblem)
)]
#[get("/webhook-endpoints/{id}/deliveries")]
async fn list_webhook_deliveries(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<WebhookDeliveryResponse>>, ApiError> {
    let page = query.parse()?;
    let tenant = admin.caller().tenant;
    let deliveries =
        webhooks::deliveries(&store, tenant, WebhookEndpointId(*id), page.keyset()?).await?;
    Ok(web::Json(page.finish(deliveries, |d| d.id.0, Into::into)))
}

/// Send a delivery again.
///
/// A new delivery of the same event (same `webhook-id`, so the receiver can tell it has seen
/// it), due now, with a fresh set of retries. The endpoint must be enabled. Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Endpoint id"), ("delivery_id" = Uuid, Path, description = "Delivery id")),
    responses((status = 202, description = "Scheduled", body = WebhookDeliveryResponse), NotFoundProblem, ConflictProblem)
)]
#[post("/webhook-endpoints/{id}/deliveries/{delivery_id}/replay")]
async fn replay_webhook_delivery(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (endpoint_id, delivery_id) = path.into_inner();
    let actor = admin.caller().actor();
    let delivery = webhooks::replay(
        &store,
        actor,
        WebhookEndpointId(endpoint_id),
        WebhookDeliveryId(delivery_id),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(WebhookDeliveryResponse::from(delivery)))
}

/// Send events again since a time.
///
/// Schedules a new delivery of every event the endpoint subscribes to that occurred at or after
/// `since`, oldest first, whether or not it was delivered before — for instance after the
/// endpoint was disabled, or the receiver lost data. At most 1000 per request. The endpoint must
/// be enabled. Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Endpoint id"), ReplayQuery),
    responses((status = 202, description = "Scheduled", body = ReplayResponse), NotFoundProblem, ConflictProblem, ValidationProblem)
)]
#[post("/webhook-endpoints/{id}/replay")]
async fn replay_webhook_events(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
    query: web::Query<ReplayQuery>,
) -> Result<HttpResponse, ApiError> {
    let actor = admin.caller().actor();
    let replayed =
        webhooks::replay_since(&store, actor, WebhookEndpointId(*id), query.since).await?;
    Ok(HttpResponse::Accepted().json(ReplayResponse {
        deliveries: replayed.deliveries,
        next_since: replayed.next_since,
    }))
}
