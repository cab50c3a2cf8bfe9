//! `/v1/tenants`: platform operators manage the agencies using the service.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::api_clients::ApiClientCredentials;
use crate::api::json_body::JsonBody;
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{NotFoundProblem, ValidationProblem};
use crate::api::value_sets::TenantStatusValues;
use crate::auth::Authenticator;
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::domain::tenancy::{Tenant, TenantId};
use crate::error::ApiError;
use crate::service::tenants::{self, TenantChanges};
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_tenant)
        .service(list_tenants)
        .service(get_tenant)
        .service(update_tenant);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTenantRequest {
    #[schema(
        example = "Agency X",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub name: String,
}

/// Changes to a tenant; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTenantRequest {
    #[schema(
        example = "Agency X",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub name: Option<String>,
    /// `suspended` refuses every token of the tenant at once; `active` lifts that.
    #[schema(example = "suspended", pattern = "^(active|suspended)$")]
    pub status: Option<String>,
    /// Whether the tenant's clients count in peer benchmarks, which only sharing tenants may
    /// read. Turning it on contributes every client's latest result per model at once; turning
    /// it off withdraws them. Audited.
    pub benchmark_sharing: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantResponse {
    pub id: Uuid,
    pub name: String,
    #[schema(value_type = TenantStatusValues)]
    pub status: &'static str,
    /// Whether the tenant's clients count in (and it may read) peer benchmarks.
    pub benchmark_sharing: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new tenant with the credentials of its first admin client, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTenant {
    pub tenant: TenantResponse,
    pub admin_client: ApiClientCredentials,
}

impl From<Tenant> for TenantResponse {
    fn from(tenant: Tenant) -> Self {
        TenantResponse {
            id: tenant.id.0,
            name: tenant.name,
            status: tenant.status.as_str(),
            benchmark_sharing: tenant.benchmark_sharing,
            created_at: tenant.created_at,
            updated_at: tenant.updated_at,
        }
    }
}

/// Create a tenant.
///
/// Creates the tenant and a first admin client holding every tenant scope; its secret is shown
/// only in this response.
#[utoipa::path(
    tag = "tenants",
    security(("oauth2" = ["platform:admin"])),
    request_body = CreateTenantRequest,
    responses((status = 201, description = "Created", body = CreatedTenant), ValidationProblem)
)]
#[post("/tenants")]
async fn create_tenant(
    operator: Authorized<scope::PlatformAdmin>,
    store: web::Data<Store>,
    body: JsonBody<CreateTenantRequest>,
) -> Result<HttpResponse, ApiError> {
    let (tenant, admin) =
        tenants::create(&store, Some(operator.caller().client), &body.name).await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::LOCATION, format!("/v1/tenants/{}", tenant.id)))
        .json(CreatedTenant {
            tenant: tenant.into(),
            admin_client: admin.into(),
        }))
}

/// List tenants.
#[utoipa::path(
    tag = "tenants",
    security(("oauth2" = ["platform:admin"])),
    params(PageQuery),
    responses((status = 200, description = "A page of tenants, oldest first", body = Page<TenantResponse>), ValidationProblem)
)]
#[get("/tenants")]
async fn list_tenants(
    _operator: Authorized<scope::PlatformAdmin>,
    store: web::Data<Store>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<TenantResponse>>, ApiError> {
    let page = query.parse()?;
    let rows = tenants::list(&store, page.keyset()?).await?;
    Ok(web::Json(page.finish(
        rows,
        |t| t.id.0,
        TenantResponse::from,
    )))
}

/// Get a tenant.
#[utoipa::path(
    tag = "tenants",
    security(("oauth2" = ["platform:admin"])),
    params(("id" = Uuid, Path, description = "Tenant id")),
    responses((status = 200, description = "The tenant", body = TenantResponse), NotFoundProblem)
)]
#[get("/tenants/{id}")]
async fn get_tenant(
    _operator: Authorized<scope::PlatformAdmin>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<web::Json<TenantResponse>, ApiError> {
    let tenant = tenants::get(&store, TenantId(*id)).await?;
    Ok(web::Json(tenant.into()))
}

/// Update a tenant.
///
/// Renames it, or suspends it (every token of the tenant is refused at once) or reactivates it.
#[utoipa::path(
    tag = "tenants",
    security(("oauth2" = ["platform:admin"])),
    params(("id" = Uuid, Path, description = "Tenant id")),
    request_body = UpdateTenantRequest,
    responses((status = 200, description = "The updated tenant", body = TenantResponse), NotFoundProblem, ValidationProblem)
)]
#[patch("/tenants/{id}")]
async fn update_tenant(
    operator: Authorized<scope::PlatformAdmin>,
    store: web::Data<Store>,
    authenticator: web::Data<Authenticator>,
    catalog: web::Data<Catalog>,
    id: web::Path<Uuid>,
    body: JsonBody<UpdateTenantRequest>,
) -> Result<web::Json<TenantResponse>, ApiError> {
    let id = TenantId(*id);
    let body = body.into_inner();
    let changes = TenantChanges {
        name: body.name,
        status: body.status,
        benchmark_sharing: body.benchmark_sharing,
    };
    let tenant = tenants::update(&store, &catalog, operator.caller().client, id, &changes).await?;
    authenticator.forget_tenant(id);
    Ok(web::Json(tenant.into()))
}
