//! The problem responses operations share, declared once for the OpenAPI document.
#![allow(dead_code)] // These types exist to be named in `#[utoipa::path(responses(...))]`.

use utoipa::IntoResponses;

use crate::error::Problem;

/// The request could not be read: malformed JSON, query string or header.
#[derive(IntoResponses)]
#[response(status = 400, content_type = "application/problem+json")]
pub struct BadRequestProblem(Problem);

/// Nothing exists at this path (or it belongs to another tenant).
#[derive(IntoResponses)]
#[response(status = 404, content_type = "application/problem+json")]
pub struct NotFoundProblem(Problem);

/// Fields of the request are invalid; `errors` lists each one.
#[derive(IntoResponses)]
#[response(status = 422, content_type = "application/problem+json")]
pub struct ValidationProblem(Problem);

/// The database cannot be reached; retry after the `Retry-After` seconds.
#[derive(IntoResponses)]
#[response(
    status = 503,
    content_type = "application/problem+json",
    headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))
)]
pub struct UnavailableProblem(Problem);

/// The request conflicts with the current state of the resource.
#[derive(IntoResponses)]
#[response(status = 409, content_type = "application/problem+json")]
pub struct ConflictProblem(Problem);
