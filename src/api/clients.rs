//! `/v1/clients`: the organisations an agency assesses.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::idempotency::{IdempotencyHeader, IdempotencyKeyHeader, mark_replayed};
use crate::api::json_body::JsonBody;
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{NotFoundProblem, ValidationProblem};
use crate::api::value_sets::{NaceSectionValues, SectorValues, SizeBandValues};
use crate::auth::caller::{Authorized, scope};
use crate::domain::Sector;
use crate::domain::assessment::{Organisation, OrganisationFields, SizeBand};
use crate::domain::benchmark::NaceSection;
use crate::domain::ids::OrganisationId;
use crate::error::{ApiError, FieldError};
use crate::service::{organisations, validation};
use crate::store::Store;

const MAX_INDUSTRY_CHARS: usize = 100;
const MAX_NOTES_CHARS: usize = 4000;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_client)
        .service(list_clients)
        .service(get_client)
        .service(update_client)
        .service(delete_client);
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClientRequest {
    #[schema(
        example = "Bakkerij De Korenbloem",
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub name: String,
    /// A free-text description (a note; peers are grouped by `nace_section`).
    #[schema(
        example = "Food retail",
        max_length = 100,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub industry: Option<String>,
    /// The NACE Rev. 2 section (`A`–`U`) peer benchmarks group the client by.
    #[schema(example = "G", pattern = "^[A-Ua-u]$")]
    pub nace_section: Option<String>,
    /// `micro` (<10 people), `small` (10–49), `medium` (50–249) or `large` (250+).
    #[schema(example = "small", pattern = "^(micro|small|medium|large)$")]
    pub size_band: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "NL", pattern = "^[A-Za-z]{2}$")]
    pub country: Option<String>,
    #[schema(
        max_length = 4000,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub notes: Option<String>,
    /// `public` (government, publicly run services), `nonprofit` (charities, associations,
    /// foundations, housing corporations) or `business`: questions and steps that do not fit
    /// it are left out of its assessments (share of voice for a municipality).
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<String>,
}

/// Changes to a client: an absent field stays as it is, `null` clears it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClientRequest {
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F]*$"
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 100, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub industry: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = "^[A-Ua-u]$")]
    pub nace_section: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = "^(micro|small|medium|large)$")]
    pub size_band: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = "^[A-Za-z]{2}$")]
    pub country: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 4000, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<Option<String>>,
}

/// A field that is present, possibly `null`; absent fields keep their `default` (`None`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientResponse {
    pub id: Uuid,
    pub name: String,
    pub industry: Option<String>,
    /// The NACE Rev. 2 section (`A`–`U`), when set.
    #[schema(value_type = Option<NaceSectionValues>)]
    pub nace_section: Option<&'static str>,
    #[schema(value_type = Option<SizeBandValues>)]
    pub size_band: Option<&'static str>,
    pub country: Option<String>,
    pub notes: Option<String>,
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<&'static str>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Organisation> for ClientResponse {
    fn from(o: Organisation) -> Self {
        ClientResponse {
            id: o.id.0,
            name: o.name,
            industry: o.industry,
            nace_section: o.nace_section.map(NaceSection::code),
            size_band: o.size_band.map(SizeBand::as_str),
            country: o.country,
            notes: o.notes,
            sector: o.sector.map(Sector::as_str),
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// Create a client.
///
/// Send an `Idempotency-Key` header to retry safely: a retry with the same key and body answers
/// with the client the first request created (marked `Idempotent-Replayed: true`), as it is now.
#[utoipa::path(
    tag = "clients",
    security(("oauth2" = ["assessments:write"])),
    params(IdempotencyKeyHeader),
    request_body = CreateClientRequest,
    responses(
        (status = 201, description = "Created", body = ClientResponse),
        (status = 404, description = "A retry whose client (created by the first request) has since been deleted",
            body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with the same Idempotency-Key is still being processed",
            body = crate::error::Problem, content_type = "application/problem+json"),
        ValidationProblem,
    )
)]
#[post("/clients")]
async fn create_client(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    idempotency: IdempotencyHeader,
    body: JsonBody<CreateClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency.key_for(&*body)?;
    let body = body.into_inner();
    let fields = validate(UpdateClientRequest {
        name: Some(body.name),
        industry: Some(body.industry),
        nace_section: Some(body.nace_section),
        size_band: Some(body.size_band),
        country: Some(body.country),
        notes: Some(body.notes),
        sector: Some(body.sector),
    })?;
    let created =
        organisations::create(&store, writer.caller().actor(), fields, key.as_ref()).await?;
    let mut response = HttpResponse::build(StatusCode::CREATED);
    mark_replayed(&mut response, created.replayed);
    Ok(response
        .insert_header((
            header::LOCATION,
            format!("/v1/clients/{}", created.value.id),
        ))
        .json(ClientResponse::from(created.value)))
}

/// List clients.
#[utoipa::path(
    tag = "clients",
    security(("oauth2" = ["assessments:read"])),
    params(PageQuery),
    responses((status = 200, description = "A page of clients, oldest first", body = Page<ClientResponse>), ValidationProblem)
)]
#[get("/clients")]
async fn list_clients(
    reader: Authorized<scope::AssessmentsRead>,
    store: web::Data<Store>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<ClientResponse>>, ApiError> {
    let page = query.parse()?;
    let rows = organisations::list(&store, reader.caller().tenant, page.keyset()?).await?;
    Ok(web::Json(page.finish(
        rows,
        |o| o.id.0,
        ClientResponse::from,
    )))
}

/// Get a client.
#[utoipa::path(
    tag = "clients",
    security(("oauth2" = ["assessments:read"])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses((status = 200, description = "The client", body = ClientResponse), NotFoundProblem)
)]
#[get("/clients/{id}")]
async fn get_client(
    reader: Authorized<scope::AssessmentsRead>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<web::Json<ClientResponse>, ApiError> {
    let id = OrganisationId(*id);
    let found = organisations::get(&store, reader.caller().tenant, id).await?;
    Ok(web::Json(found.into()))
}

/// Update a client.
#[utoipa::path(
    tag = "clients",
    security(("oauth2" = ["assessments:write"])),
    params(("id" = Uuid, Path, description = "Client id")),
    request_body = UpdateClientRequest,
    responses((status = 200, description = "The updated client", body = ClientResponse), NotFoundProblem, ValidationProblem)
)]
#[patch("/clients/{id}")]
async fn update_client(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
    body: JsonBody<UpdateClientRequest>,
) -> Result<web::Json<ClientResponse>, ApiError> {
    let fields = validate(body.into_inner())?;
    let id = OrganisationId(*id);
    let updated = organisations::update(&store, writer.caller().actor(), id, fields).await?;
    Ok(web::Json(updated.into()))
}

/// Delete a client.
///
/// Deletes the client together with all its assessments, respondents, answers and results.
#[utoipa::path(
    tag = "clients",
    security(("oauth2" = ["assessments:write"])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses((status = 204, description = "Deleted"), NotFoundProblem)
)]
#[delete("/clients/{id}")]
async fn delete_client(
    writer: Authorized<scope::AssessmentsWrite>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    organisations::delete(&store, writer.caller().actor(), OrganisationId(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn validate(request: UpdateClientRequest) -> Result<OrganisationFields, ApiError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let name = request
        .name
        .map(|n| validation::name("name", &n))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let industry = request
        .industry
        .map(|i| bounded("industry", i, MAX_INDUSTRY_CHARS, &mut errors));
    let notes = request
        .notes
        .map(|n| bounded("notes", n, MAX_NOTES_CHARS, &mut errors));
    let size_band = request.size_band.map(|band| {
        band.and_then(|b| match b.parse::<SizeBand>() {
            Ok(band) => Some(band.as_str().to_owned()),
            Err(message) => {
                errors.push(FieldError::new("size_band", message));
                None
            }
        })
    });
    let nace_section = request.nace_section.map(|section| {
        section.and_then(|s| match s.parse::<NaceSection>() {
            Ok(section) => Some(section),
            Err(message) => {
                errors.push(FieldError::new("nace_section", message));
                None
            }
        })
    });
    let country = request.country.map(|country| {
        country.and_then(|c| {
            validation::country("country", &c)
                .map_err(|e| errors.push(e))
                .ok()
        })
    });
    let sector = request.sector.map(|sector| {
        sector.and_then(|s| {
            s.parse::<Sector>()
                .map_err(|message| errors.push(FieldError::new("sector", message)))
                .ok()
        })
    });
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(OrganisationFields {
        name,
        industry,
        nace_section,
        size_band,
        country,
        notes,
        sector,
    })
}

/// `value` checked as [`validation::note`]; `None` (and an error noted) when it fails.
fn bounded(
    field: &str,
    value: Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    validation::note(field, &value?, max)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
}
