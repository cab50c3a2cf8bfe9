//! The HTTP API: thin handlers that read a request, call the domain or the store, and answer with
//! a document. Every operation is registered through utoipa-actix-web so that the OpenAPI
//! document is generated from the same registrations that route requests.

pub mod catalog;
pub mod extractors;
pub mod fallback;
pub mod language;
pub mod operations;
pub mod pagination;
pub mod problems;
pub mod representation;

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope, service_config::ServiceConfig};

use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "smm",
        description = "Places client organisations on seven social media strategy and maturity \
            models and recommends what to do next. Errors are RFC 9457 problem documents \
            (`application/problem+json`); lists page with `limit` and an opaque `cursor`; \
            localised content follows `Accept-Language` (`en`, `nl`).",
        license(name = "Proprietary")
    ),
    tags(
        (name = "models", description = "The catalogue: models, their versions, and the shared indicator bank"),
        (name = "operations", description = "Health, readiness and metrics")
    ),
    components(schemas(Problem, FieldError))
)]
struct ApiDoc;

/// Registers every documented route.
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(scope::scope("/v1").configure(catalog::routes))
        .configure(operations::routes);
}

/// The OpenAPI document, generated from the registered handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts();
    document
}

/// The OpenAPI document as committed in `openapi/openapi.json`: pretty JSON ending in a newline.
pub fn openapi_json() -> anyhow::Result<String> {
    let mut json = openapi().to_pretty_json()?;
    json.push('\n');
    Ok(json)
}
