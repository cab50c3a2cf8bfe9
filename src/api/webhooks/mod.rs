//! `/v1/webhook-endpoints`: a tenant admin's endpoints that receive signed events, their secrets,
//! delivery log and replays; and the `webhooks` section of the OpenAPI document, which describes
//! what the endpoints receive.

mod deliveries;
pub mod documentation;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::json_body::JsonBody;
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::auth::caller::{Authorized, scope};
use crate::domain::ids::WebhookEndpointId;
use crate::domain::webhook::endpoint_url::AddressPolicy;
use crate::domain::webhook::{EventType, WebhookEndpoint};
use crate::error::ApiError;
use crate::service::webhooks::{self, EndpointFields, WithSecret};
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_webhook_endpoint)
        .service(list_webhook_endpoints)
        .service(get_webhook_endpoint)
        .service(update_webhook_endpoint)
        .service(delete_webhook_endpoint)
        .service(rotate_webhook_secret)
        .configure(deliveries::routes);
}

/// An event an endpoint can subscribe to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum WebhookEventType {
    #[serde(rename = "assessment.created")]
    AssessmentCreated,
    #[serde(rename = "respondent.answers_saved")]
    RespondentAnswersSaved,
    #[serde(rename = "assessment.submitted")]
    AssessmentSubmitted,
    #[serde(rename = "client.deleted")]
    ClientDeleted,
}

impl From<WebhookEventType> for EventType {
    fn from(event_type: WebhookEventType) -> EventType {
        match event_type {
            WebhookEventType::AssessmentCreated => EventType::AssessmentCreated,
            WebhookEventType::RespondentAnswersSaved => EventType::RespondentAnswersSaved,
            WebhookEventType::AssessmentSubmitted => EventType::AssessmentSubmitted,
            WebhookEventType::ClientDeleted => EventType::ClientDeleted,
        }
    }
}

impl From<EventType> for WebhookEventType {
    fn from(event_type: EventType) -> WebhookEventType {
        match event_type {
            EventType::AssessmentCreated => WebhookEventType::AssessmentCreated,
            EventType::RespondentAnswersSaved => WebhookEventType::RespondentAnswersSaved,
            EventType::AssessmentSubmitted => WebhookEventType::AssessmentSubmitted,
            EventType::ClientDeleted => WebhookEventType::ClientDeleted,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookEndpointRequest {
    /// An `https` URL on a public address (plain `http` and internal addresses only where the
    /// deployment allows them); no credentials, no fragment.
    #[schema(
        example = "https://hooks.example.com/smm",
        max_length = 2048,
        pattern = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000-\\u0020\\u007F/?#@\\\\]+([/?][^\\u0000-\\u0020\\u007F#]*)?$"
    )]
    pub url: String,
    /// The events to receive: at least one, none twice.
    #[schema(min_items = 1, max_items = 4)]
    pub event_types: Vec<WebhookEventType>,
    #[schema(
        example = "CRM sync",
        max_length = 500,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub description: Option<String>,
    /// Defaults to `true`.
    pub enabled: Option<bool>,
}

/// The fields to change; absent ones stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookEndpointRequest {
    #[schema(
        max_length = 2048,
        pattern = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000-\\u0020\\u007F/?#@\\\\]+([/?][^\\u0000-\\u0020\\u007F#]*)?$"
    )]
    pub url: Option<String>,
    #[schema(min_items = 1, max_items = 4)]
    pub event_types: Option<Vec<WebhookEventType>>,
    #[schema(max_length = 500, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")]
    pub description: Option<String>,
    /// `true` re-enables an endpoint (also one the service disabled, whose failure count then
    /// starts afresh); `false` stops deliveries to it.
    pub enabled: Option<bool>,
}

/// Why the service disabled an endpoint.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DisabledReason {
    /// Every attempt failed for five days.
    Failing,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointResponse {
    pub id: Uuid,
    pub url: String,
    pub event_types: Vec<WebhookEventType>,
    pub description: String,
    pub enabled: bool,
    /// Set when the service disabled the endpoint; null when enabled or disabled by the tenant.
    pub disabled_reason: Option<DisabledReason>,
    /// The first failed attempt since the last successful one; the endpoint is disabled five
    /// days after it.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<WebhookEndpoint> for WebhookEndpointResponse {
    fn from(endpoint: WebhookEndpoint) -> Self {
        WebhookEndpointResponse {
            id: endpoint.id.0,
            url: endpoint.url,
            event_types: endpoint.event_types.into_iter().map(Into::into).collect(),
            description: endpoint.description,
            enabled: endpoint.enabled,
            disabled_reason: endpoint.disabled_reason.map(|_| DisabledReason::Failing),
            failing_since: endpoint.failing_since,
            created_at: endpoint.created_at,
            updated_at: endpoint.updated_at,
        }
    }
}

/// An endpoint with a signing secret that only this answer shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointWithSecret {
    pub endpoint: WebhookEndpointResponse,
    /// The Standard Webhooks signing secret: `whsec_` and the base64 key.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

impl From<WithSecret> for WebhookEndpointWithSecret {
    fn from(with: WithSecret) -> Self {
        WebhookEndpointWithSecret {
            endpoint: with.endpoint.into(),
            secret: with.secret.expose_secret().to_owned(),
        }
    }
}

/// Register a webhook endpoint.
///
/// The endpoint receives the chosen events as signed `POST` requests (Standard Webhooks:
/// `webhook-id`, `webhook-timestamp`, `webhook-signature`; see the `webhooks` section for the
/// payloads). The signing secret is shown only in this answer. At most 20 endpoints per tenant.
/// Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    request_body = CreateWebhookEndpointRequest,
    responses(
        (status = 201, description = "Registered; the secret is in this answer only", body = WebhookEndpointWithSecret,
            headers(("Location" = String, description = "The endpoint's resource"))),
        ConflictProblem, ValidationProblem,
    )
)]
#[post("/webhook-endpoints")]
async fn create_webhook_endpoint(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    policy: web::Data<AddressPolicy>,
    body: JsonBody<CreateWebhookEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let fields = EndpointFields {
        url: Some(body.url),
        event_types: Some(body.event_types.into_iter().map(Into::into).collect()),
        description: body.description,
        enabled: body.enabled,
    };
    let created = webhooks::create(&store, admin.caller().actor(), fields, **policy).await?;
    let location = format!("/v1/webhook-endpoints/{}", created.endpoint.id);
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(WebhookEndpointWithSecret::from(created)))
}

/// List webhook endpoints.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(PageQuery),
    responses((status = 200, description = "A page of endpoints, oldest first", body = Page<WebhookEndpointResponse>), ValidationProblem)
)]
#[get("/webhook-endpoints")]
async fn list_webhook_endpoints(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<WebhookEndpointResponse>>, ApiError> {
    let page = query.parse()?;
    let endpoints = webhooks::list(&store, admin.caller().tenant, page.keyset()?).await?;
    Ok(web::Json(page.finish(endpoints, |e| e.id.0, Into::into)))
}

/// Get a webhook endpoint.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Endpoint id")),
    responses((status = 200, description = "The endpoint (without its secret)", body = WebhookEndpointResponse), NotFoundProblem)
)]
#[get("/webhook-endpoints/{id}")]
async fn get_webhook_endpoint(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let endpoint = webhooks::get(&store, admin.caller().tenant, WebhookEndpointId(*id)).await?;
    Ok(web::Json(endpoint.into()))
}

/// Change a webhook endpoint.
///
/// Changes the given fields. Enabling an endpoint resumes deliveries of new events; events
/// missed meanwhile can be sent with `POST …/replay?since=`. Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Endpoint id")),
    request_body = UpdateWebhookEndpointRequest,
    responses((status = 200, description = "The changed endpoint", body = WebhookEndpointResponse), NotFoundProblem, ValidationProblem)
)]
#[patch("/webhook-endpoints/{id}")]
async fn update_webhook_endpoint(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    policy: web::Data<AddressPolicy>,
    id: web::Path<Uuid>,
    body: JsonBody<UpdateWebhookEndpointRequest>,
) -> Result<web::Json<WebhookEndpointResponse>, ApiError> {
    let body = body.into_inner();
    let fields = EndpointFields {
        url: body.url,
        event_types: body
            .event_types
            .map(|types| types.into_iter().map(Into::into).collect()),
        description: body.description,
        enabled: body.enabled,
    };
    let actor = admin.caller().actor();
    let endpoint =
        webhooks::update(&store, actor, WebhookEndpointId(*id), fields, **policy).await?;
    Ok(web::Json(endpoint.into()))
}

/// Delete a webhook endpoint.
///
/// With its secrets and delivery log; deliveries not yet made are dropped. Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Endpoint id")),
    responses((status = 204, description = "Deleted"), NotFoundProblem)
)]
#[delete("/webhook-endpoints/{id}")]
async fn delete_webhook_endpoint(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    webhooks::delete(&store, admin.caller().actor(), WebhookEndpointId(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate an endpoint's signing secret.
///
/// A new secret signs every delivery from now on; the previous ones keep signing beside it for
/// 24 hours (`webhook-signature` then holds one signature per secret), so the receiver can
/// switch without refusing a delivery. The new secret is shown only in this answer. Audited.
#[utoipa::path(
    tag = "webhooks",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Endpoint id")),
    responses((status = 200, description = "The new secret, in this answer only", body = WebhookEndpointWithSecret), NotFoundProblem)
)]
#[post("/webhook-endpoints/{id}/rotate-secret")]
async fn rotate_webhook_secret(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let rotated =
        webhooks::rotate_secret(&store, admin.caller().actor(), WebhookEndpointId(*id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(WebhookEndpointWithSecret::from(rotated)))
}
