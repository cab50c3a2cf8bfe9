//! `GET /v1/audit-events`: the tenant's append-only log of security-relevant actions.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::ValidationProblem;
use crate::api::value_sets::{AuditActionValues, AuditTargetValues};
use crate::auth::caller::{Authorized, scope};
use crate::domain::tenancy::AuditEvent;
use crate::error::ApiError;
use crate::service::audit;
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(list_audit_events);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventResponse {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// The client that acted; `null` for an operator at the command line.
    pub actor_client_id: Option<Uuid>,
    /// `client.…` actions concern API clients; `organisation.deleted` a client organisation.
    #[schema(value_type = AuditActionValues)]
    pub action: &'static str,
    #[schema(value_type = AuditTargetValues)]
    pub target_type: &'static str,
    pub target_id: Option<String>,
    /// What changed, by action (e.g. the scopes of a new API client); an object, possibly empty.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<AuditEvent> for AuditEventResponse {
    fn from(event: AuditEvent) -> Self {
        AuditEventResponse {
            id: event.id.0,
            occurred_at: event.occurred_at,
            actor_client_id: event.actor_client_id.map(|c| c.0),
            action: event.action.as_str(),
            target_type: event.target_type.as_str(),
            target_id: event.target_id,
            details: event.details,
        }
    }
}

/// List audit events.
///
/// Oldest first; the log cannot be changed or deleted through the API.
#[utoipa::path(
    tag = "api-clients",
    security(("oauth2" = ["tenant:admin"])),
    params(PageQuery),
    responses((status = 200, description = "A page of events", body = Page<AuditEventResponse>), ValidationProblem)
)]
#[get("/audit-events")]
async fn list_audit_events(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<AuditEventResponse>>, ApiError> {
    let page = query.parse()?;
    let rows = audit::list_events(&store, admin.caller().tenant, page.keyset()?).await?;
    Ok(web::Json(page.finish(
        rows,
        |e| e.id.0,
        AuditEventResponse::from,
    )))
}
