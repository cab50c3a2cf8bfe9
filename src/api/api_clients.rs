//! `/v1/api-clients`: a tenant admin's credentials for the tenant's integrations.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::json_body::JsonBody;
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::api::value_sets::{ApiClientStatusValues, TenantScopeValues};
use crate::auth::Authenticator;
use crate::auth::caller::{Authorized, scope};
use crate::domain::tenancy::{ApiClient, ApiClientId};
use crate::error::ApiError;
use crate::service::api_clients::{self, IssuedCredentials};
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_api_client)
        .service(list_api_clients)
        .service(get_api_client)
        .service(revoke_api_client)
        .service(rotate_api_client_secret);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClientRequest {
    /// What the client is for, e.g. the integration's name.
    #[schema(
        example = "Reporting dashboard",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub name: String,
    /// At least one of `models:read`, `assessments:read`, `assessments:write`, `reports:read`,
    /// `tenant:admin`.
    #[schema(example = json!(["models:read", "reports:read"]), value_type = Vec<TenantScopeValues>, min_items = 1)]
    pub scopes: Vec<String>,
}

/// An API client, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientResponse {
    /// The OAuth `client_id`.
    pub id: Uuid,
    pub name: String,
    #[schema(value_type = Vec<TenantScopeValues>)]
    pub scopes: Vec<String>,
    #[schema(value_type = ApiClientStatusValues)]
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
    pub secret_rotated_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A client with its secret, shown this once: store it now, it cannot be read again.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientCredentials {
    pub client_id: Uuid,
    pub client_secret: String,
    pub client: ApiClientResponse,
}

impl From<ApiClient> for ApiClientResponse {
    fn from(client: ApiClient) -> Self {
        ApiClientResponse {
            id: client.id.0,
            name: client.name,
            scopes: client
                .scopes
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            status: client.status.as_str(),
            created_at: client.created_at,
            secret_rotated_at: client.secret_rotated_at,
            revoked_at: client.revoked_at,
        }
    }
}

impl From<IssuedCredentials> for ApiClientCredentials {
    fn from(issued: IssuedCredentials) -> Self {
        ApiClientCredentials {
            client_id: issued.client.id.0,
            client_secret: issued.secret.reveal().to_owned(),
            client: issued.client.into(),
        }
    }
}

fn credentials_response(
    status: actix_web::http::StatusCode,
    issued: IssuedCredentials,
) -> HttpResponse {
    let location = format!("/v1/api-clients/{}", issued.client.id);
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::LOCATION, location))
        .json(ApiClientCredentials::from(issued))
}

/// Create an API client.
///
/// Returns the new client's id and secret; the secret is shown only in this response.
#[utoipa::path(
    tag = "api-clients",
    security(("oauth2" = ["tenant:admin"])),
    request_body = CreateApiClientRequest,
    responses(
        (status = 201, description = "Created; the secret is in this response only", body = ApiClientCredentials),
        ValidationProblem,
    )
)]
#[post("/api-clients")]
async fn create_api_client(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    body: JsonBody<CreateApiClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let issued =
        api_clients::create(&store, admin.caller().actor(), &body.name, &body.scopes).await?;
    Ok(credentials_response(
        actix_web::http::StatusCode::CREATED,
        issued,
    ))
}

/// List API clients.
///
/// The tenant's clients, revoked ones included, oldest first.
#[utoipa::path(
    tag = "api-clients",
    security(("oauth2" = ["tenant:admin"])),
    params(PageQuery),
    responses((status = 200, description = "A page of clients", body = Page<ApiClientResponse>), ValidationProblem)
)]
#[get("/api-clients")]
async fn list_api_clients(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<ApiClientResponse>>, ApiError> {
    let page = query.parse()?;
    let rows = api_clients::list(&store, admin.caller().tenant, page.keyset()?).await?;
    Ok(web::Json(page.finish(
        rows,
        |c| c.id.0,
        ApiClientResponse::from,
    )))
}

/// Get an API client.
#[utoipa::path(
    tag = "api-clients",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses((status = 200, description = "The client", body = ApiClientResponse), NotFoundProblem)
)]
#[get("/api-clients/{id}")]
async fn get_api_client(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiClientResponse>, ApiError> {
    let client = api_clients::get(&store, admin.caller().tenant, ApiClientId(*id)).await?;
    Ok(web::Json(client.into()))
}

/// Revoke an API client.
///
/// Its secret and every token it holds are refused from now on. Revoking a revoked client
/// changes nothing. A client cannot revoke itself.
#[utoipa::path(
    tag = "api-clients",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses((status = 200, description = "The revoked client", body = ApiClientResponse), NotFoundProblem, ConflictProblem)
)]
#[delete("/api-clients/{id}")]
async fn revoke_api_client(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    authenticator: web::Data<Authenticator>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiClientResponse>, ApiError> {
    let caller = admin.caller();
    let id = ApiClientId(*id);
    let client = api_clients::revoke(&store, caller.actor(), id).await?;
    authenticator.forget_client(caller.tenant, id);
    Ok(web::Json(client.into()))
}

/// Rotate an API client's secret.
///
/// Issues a new secret, shown only in this response; the old secret stops working at once.
/// Tokens already issued stay valid until they expire (at most 15 minutes).
#[utoipa::path(
    tag = "api-clients",
    security(("oauth2" = ["tenant:admin"])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client with its new secret", body = ApiClientCredentials),
        NotFoundProblem, ConflictProblem,
    )
)]
#[post("/api-clients/{id}/rotate-secret")]
async fn rotate_api_client_secret(
    admin: Authorized<scope::TenantAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let issued =
        api_clients::rotate_secret(&store, admin.caller().actor(), ApiClientId(*id)).await?;
    Ok(credentials_response(
        actix_web::http::StatusCode::OK,
        issued,
    ))
}
