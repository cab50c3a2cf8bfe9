//! Error handlers for actix's JSON, query and path extractors, so malformed input gets the same
//! problem document as every other error instead of actix's plain-text defaults.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpRequest, web};

use crate::error::{ApiError, BodyLimit, FieldError};

/// Extractor settings shared by every route; `body_limit` caps JSON bodies in bytes.
pub fn configure(config: &mut web::ServiceConfig, body_limit: usize) {
    config
        .app_data(
            web::JsonConfig::default()
                .limit(body_limit)
                .error_handler(json_error),
        )
        .app_data(web::PayloadConfig::new(body_limit))
        .app_data(BodyLimit(body_limit))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error));
}

fn json_error(error: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    match error {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge { limit },
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
            "the body must be JSON (Content-Type: application/json)".to_owned(),
        ),
        JsonPayloadError::Deserialize(error) if error.is_data() => {
            ApiError::Validation(vec![FieldError::new("body", error.to_string())])
        }
        JsonPayloadError::Deserialize(error) => {
            ApiError::BadRequest(format!("the body is not valid JSON: {error}"))
        }
        other => ApiError::BadRequest(format!("the body could not be read: {other}")),
    }
    .into()
}

fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest(format!("invalid query string: {error}")).into()
}

/// A path segment that does not even parse names nothing that exists.
fn path_error(error: PathError, request: &HttpRequest) -> actix_web::Error {
    tracing::debug!(%error, path = request.path(), "unparseable path parameter");
    ApiError::NotFound(format!("nothing exists at {}", request.path())).into()
}
