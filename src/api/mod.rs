//! The HTTP API: thin handlers that read a request, call one use case of [`crate::service`], and
//! answer with a document. Every operation is registered through utoipa-actix-web so that the OpenAPI
//! document is generated from the same registrations that route requests.

pub mod access;
pub mod api_clients;
pub mod assessments;
pub mod audit;
pub mod benchmarks;
pub mod catalog;
pub mod client_address;
pub mod clients;
pub mod extractors;
pub mod fallback;
pub mod idempotency;
pub mod json_body;
pub mod language;
pub mod links;
pub mod oauth;
pub mod operations;
pub mod pagination;
pub mod problems;
pub mod progress;
pub mod questionnaire;
pub mod reports;
pub mod representation;
pub mod respondents;
pub mod results;
pub mod score;
pub mod share_links;
pub mod submission;
pub mod tenants;
pub mod value_sets;
pub mod webhooks;

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes as OpenApiScopes,
    SecurityScheme,
};
use utoipa::openapi::{Content, RefOr, ResponseBuilder};
use utoipa_actix_web::{AppExt, scope, service_config::ServiceConfig};

use crate::error::{FieldErrorDocument, Problem};

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
        (name = "auth", description = "Access tokens (OAuth 2.0 client credentials) and the keys that verify them"),
        (name = "models", description = "The catalogue: models, their versions, and the shared indicator bank"),
        (name = "scoring", description = "Placing answers on the models"),
        (name = "clients", description = "The organisations an agency assesses"),
        (name = "assessments", description = "Assessments of a client on chosen models"),
        (name = "benchmarks", description = "Opt-in, k-anonymous comparisons of a client with its peers"),
        (name = "reports", description = "Reports to hand a client: printable HTML, CSV, read-only share links"),
        (name = "webhooks", description = "Signed notifications of what happened, sent to the tenant's endpoints, with a delivery log and replay (tenant admins)"),
        (name = "api-clients", description = "A tenant's API clients and its audit log (tenant admins)"),
        (name = "tenants", description = "Tenant management (platform operators)"),
        (name = "operations", description = "Health, readiness and metrics")
    ),
    components(schemas(
        Problem,
        FieldErrorDocument,
        // Referenced by a query parameter, which utoipa does not collect on its own.
        reports::ReportFormat,
        crate::webhooks::payload::AssessmentCreatedEvent,
        crate::webhooks::payload::RespondentAnswersSavedEvent,
        crate::webhooks::payload::AssessmentSubmittedEvent,
        crate::webhooks::payload::ClientDeletedEvent,
    ))
)]
struct ApiDoc;

/// Registers every documented route.
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(
            scope::scope("/v1")
                .configure(oauth::routes)
                .configure(catalog::routes)
                .configure(score::routes)
                .configure(clients::routes)
                .configure(assessments::routes)
                .configure(questionnaire::routes)
                .configure(respondents::routes)
                .configure(submission::routes)
                .configure(progress::routes)
                .configure(reports::routes)
                .configure(benchmarks::routes)
                .configure(share_links::routes)
                .configure(webhooks::routes)
                .configure(api_clients::routes)
                .configure(audit::routes)
                .configure(tenants::routes),
        )
        .service(scope::scope("/.well-known").configure(oauth::well_known_routes))
        .configure(share_links::shared_routes)
        .configure(operations::routes);
}

/// The OpenAPI document, generated from the registered handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, document) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts();
    let document = document_client_errors(document_security(document));
    webhooks::documentation::document(links::document(document))
}

/// Every operation of the document, to document something on each.
fn operations_mut(
    document: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    document.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
    })
}

/// The answers to malformed requests, wherever they can occur: 400 where an operation reads
/// query or header parameters or a body (a query that does not parse, a malformed header, a body
/// that is not JSON), and 413 and 415 where it reads a body.
fn document_client_errors(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let problem = || {
        Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
            "Problem",
        ))))
    };
    let answer = |description: &str| -> RefOr<utoipa::openapi::Response> {
        ResponseBuilder::new()
            .description(description)
            .content("application/problem+json", problem())
            .into()
    };
    for operation in operations_mut(&mut document) {
        // A path segment that does not parse names nothing: 404, not 400.
        let reads_parameters = operation.parameters.as_ref().is_some_and(|parameters| {
            parameters.iter().any(|parameter| match parameter {
                RefOr::T(parameter) => !matches!(
                    parameter.parameter_in,
                    utoipa::openapi::path::ParameterIn::Path
                ),
                RefOr::Ref(_) => true,
            })
        });
        let reads_body = operation.request_body.is_some();
        let responses = &mut operation.responses.responses;
        if reads_parameters || reads_body {
            responses.entry("400".to_owned()).or_insert_with(|| {
                answer("The request is malformed: a query or header that does not parse, or a body that is not valid JSON")
            });
        }
        if reads_body {
            responses
                .entry("413".to_owned())
                .or_insert_with(|| answer("The body is larger than the service accepts"));
            responses.entry("415".to_owned()).or_insert_with(|| {
                answer("The body's Content-Type is not one this operation reads")
            });
        }
    }
    document
}

/// The OAuth 2.0 scheme, and the 401 and 403 answers of every operation that requires it.
fn document_security(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let scopes = OpenApiScopes::from_iter(
        crate::domain::tenancy::Scope::ALL.map(|scope| (scope.as_str(), scope_description(scope))),
    );
    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "oauth2",
        SecurityScheme::OAuth2(OAuth2::with_description(
            [Flow::ClientCredentials(ClientCredentials::new(
                "/v1/oauth/token",
                scopes,
            ))],
            "A JWT from `POST /v1/oauth/token`, sent as `Authorization: Bearer …`.",
        )),
    );
    components.add_security_scheme(
        "client_basic",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Basic)
                .description(Some(
                    "An API client's id and secret, on the token request only (instead of \
                     `client_id` and `client_secret` in its body).",
                ))
                .build(),
        ),
    );
    let problem = || {
        Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
            "Problem",
        ))))
    };
    for operation in operations_mut(&mut document) {
        // The token request documents its own answers: its credentials are the client's,
        // not a bearer token with scopes.
        let token_request = operation.operation_id.as_deref() == Some("issue_token");
        if operation.security.is_none() || token_request {
            continue;
        }
        let responses = &mut operation.responses.responses;
        responses.entry("401".to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description("No valid bearer token: missing, malformed, expired, or of a revoked client or suspended tenant")
                .content("application/problem+json", problem())
                .into()
        });
        responses.entry("403".to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description("The token lacks the scope this operation needs")
                .content("application/problem+json", problem())
                .into()
        });
        responses.entry("429".to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description(
                    "The tenant's rate limit is exhausted; retry after `Retry-After` seconds",
                )
                .content("application/problem+json", problem())
                .into()
        });
    }
    document
}

fn scope_description(scope: crate::domain::tenancy::Scope) -> &'static str {
    use crate::domain::tenancy::Scope;
    match scope {
        Scope::ModelsRead => "Read the model catalogue",
        Scope::AssessmentsRead => "Read clients and assessments",
        Scope::AssessmentsWrite => "Create and change clients and assessments",
        Scope::ReportsRead => "Read assessment results and progress",
        Scope::TenantAdmin => "Manage the tenant's API clients and read its audit log",
        Scope::PlatformAdmin => "Manage tenants (platform operators)",
        Scope::Respondent => {
            "Respondent tokens only: read one assessment's questionnaire and save one respondent's answers"
        }
    }
}

/// The OpenAPI document as committed in `openapi/openapi.json`: pretty JSON ending in a newline.
pub fn openapi_json() -> anyhow::Result<String> {
    let mut json = openapi().to_pretty_json()?;
    json.push('\n');
    Ok(json)
}
