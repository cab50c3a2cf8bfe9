//! `/v1/models` and `/v1/indicators`: the read-only catalogue, localised, with strong ETags.

pub mod documents;
pub mod rendered;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::catalog::documents::{
    ActionDocument, IndicatorDocument, ModelDocument, ModelSummary,
};
use crate::api::catalog::rendered::RenderedCatalog;
use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{BadRequestProblem, NotFoundProblem, ValidationProblem};
use crate::api::representation::{Caching, ConditionalHeader, Representation};
use crate::auth::caller::{Authorized, scope};
use crate::domain::{FieldError, Lang, Version};
use crate::error::ApiError;

/// Registers the catalogue's routes (under `/v1`).
pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_models)
        .service(get_model)
        .service(get_model_version)
        .service(list_indicators)
        .service(list_actions);
}

/// List the models.
///
/// The latest version of every model, in the order the models are presented.
#[utoipa::path(
    tag = "models",
    security(("oauth2" = ["models:read"])),
    params(PageQuery, LanguageHeader, ConditionalHeader),
    responses(
        (status = 200, description = "A page of model summaries", body = Page<ModelSummary>,
            headers(("ETag" = String), ("Content-Language" = String))),
        (status = 304, description = "The caller's copy (If-None-Match) is current"),
        BadRequestProblem, ValidationProblem,
    )
)]
#[get("/models")]
async fn list_models(
    _reader: Authorized<scope::ModelsRead>,
    request: HttpRequest,
    catalog: web::Data<RenderedCatalog>,
    Negotiated(lang): Negotiated,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    respond_with_page(&request, lang, &query, catalog.summaries(lang))
}

/// Get a model.
///
/// The full definition of the latest version: stages or layers, elements, the indicators behind
/// each element and the actions that put it in place.
#[utoipa::path(
    tag = "models",
    security(("oauth2" = ["models:read"])),
    params(
        ("model_id" = String, Path, description = "Model id", example = "social-strategy-cone"),
        LanguageHeader, ConditionalHeader,
    ),
    responses(
        (status = 200, description = "The model", body = ModelDocument,
            headers(("ETag" = String), ("Content-Language" = String))),
        (status = 304, description = "The caller's copy (If-None-Match) is current"),
        NotFoundProblem,
    )
)]
#[get("/models/{model_id}")]
async fn get_model(
    _reader: Authorized<scope::ModelsRead>,
    request: HttpRequest,
    catalog: web::Data<RenderedCatalog>,
    Negotiated(lang): Negotiated,
    model_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let document = catalog
        .model(&model_id, None, lang)
        .ok_or_else(|| unknown_model(&model_id))?;
    Ok(document.respond(&request, lang, Caching::Revalidate))
}

/// Get one version of a model.
///
/// A published version never changes, so its answer may be cached for a long time.
#[utoipa::path(
    tag = "models",
    security(("oauth2" = ["models:read"])),
    params(
        ("model_id" = String, Path, description = "Model id", example = "social-strategy-cone"),
        ("version" = String, Path, description = "Version, MAJOR.MINOR.PATCH", example = "1.0.0"),
        LanguageHeader, ConditionalHeader,
    ),
    responses(
        (status = 200, description = "The model at that version", body = ModelDocument,
            headers(("ETag" = String), ("Content-Language" = String))),
        (status = 304, description = "The caller's copy (If-None-Match) is current"),
        NotFoundProblem,
    )
)]
#[get("/models/{model_id}/versions/{version}")]
async fn get_model_version(
    _reader: Authorized<scope::ModelsRead>,
    request: HttpRequest,
    catalog: web::Data<RenderedCatalog>,
    Negotiated(lang): Negotiated,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (model_id, version) = path.into_inner();
    if !catalog.is_known_model(&model_id) {
        return Err(unknown_model(&model_id));
    }
    let no_such_version =
        || ApiError::NotFound(format!("model `{model_id}` has no version `{version}`"));
    let parsed = version.parse::<Version>().map_err(|_| no_such_version())?;
    let document = catalog
        .model(&model_id, Some(parsed), lang)
        .ok_or_else(no_such_version)?;
    Ok(document.respond(&request, lang, Caching::Immutable))
}

/// Which indicators a list includes beyond the served ones.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQuery {
    /// `retired`: also the indicators that only older model versions ask (marked
    /// `retired: true`); absent or empty: the served ones only.
    #[param(pattern = "^(retired)?$")]
    pub include: Option<String>,
}

/// List the indicators.
///
/// The shared bank of assessment questions that every model maps its elements onto, in the bank's
/// curated order (the order questionnaires ask them in). Every indicator listed is accepted
/// wherever answers are taken; retired ones are left out unless `include=retired`.
#[utoipa::path(
    tag = "models",
    security(("oauth2" = ["models:read"])),
    params(PageQuery, IndicatorQuery, LanguageHeader, ConditionalHeader),
    responses(
        (status = 200, description = "A page of indicators", body = Page<IndicatorDocument>,
            headers(("ETag" = String), ("Content-Language" = String))),
        (status = 304, description = "The caller's copy (If-None-Match) is current"),
        BadRequestProblem, ValidationProblem,
    )
)]
#[get("/indicators")]
async fn list_indicators(
    _reader: Authorized<scope::ModelsRead>,
    request: HttpRequest,
    catalog: web::Data<RenderedCatalog>,
    Negotiated(lang): Negotiated,
    query: web::Query<PageQuery>,
    filter: web::Query<IndicatorQuery>,
) -> Result<HttpResponse, ApiError> {
    let include_retired = match filter.include.as_deref() {
        None | Some("") => false,
        Some("retired") => true,
        Some(_) => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "include",
                "must be `retired`, or empty",
            )]));
        }
    };
    respond_with_page(
        &request,
        lang,
        &query,
        catalog.indicators(lang, include_retired),
    )
}

/// List the actions.
///
/// The action bank: every step the service can recommend, each once whichever models call for it,
/// in the bank's curated order, with where it comes from (`seed`: the model's source names it;
/// `practice`: the service's own professional advice) and the actions to take before it.
#[utoipa::path(
    tag = "models",
    security(("oauth2" = ["models:read"])),
    params(PageQuery, LanguageHeader, ConditionalHeader),
    responses(
        (status = 200, description = "A page of actions", body = Page<ActionDocument>,
            headers(("ETag" = String), ("Content-Language" = String))),
        (status = 304, description = "The caller's copy (If-None-Match) is current"),
        BadRequestProblem, ValidationProblem,
    )
)]
#[get("/actions")]
async fn list_actions(
    _reader: Authorized<scope::ModelsRead>,
    request: HttpRequest,
    catalog: web::Data<RenderedCatalog>,
    Negotiated(lang): Negotiated,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    respond_with_page(&request, lang, &query, catalog.actions(lang))
}

/// One page of an in-memory list, rendered with its ETag.
fn respond_with_page<T: serde::Serialize>(
    request: &HttpRequest,
    lang: Lang,
    query: &PageQuery,
    items: &[T],
) -> Result<HttpResponse, ApiError> {
    let (items, next_cursor) = query.parse()?.slice(items);
    let page = Page {
        items: items.iter().collect::<Vec<_>>(),
        next_cursor,
    };
    Ok(Representation::json(&page)?.respond(request, lang, Caching::Revalidate))
}

fn unknown_model(model_id: &str) -> ApiError {
    ApiError::NotFound(format!("there is no model `{model_id}`"))
}
