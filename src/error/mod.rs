//! The one error type of the HTTP edge. Every failure, whether from a handler, an extractor or the
//! router, leaves as an RFC 9457 `application/problem+json` document carrying the request id. A
//! 5xx says only "internal error": its cause chain goes to the log, never to the client.

use actix_web::http::{Method, StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

mod middleware;

pub use middleware::{BodyLimit, problem_details};

pub use crate::domain::FieldError;
use crate::domain::tenancy::Scope;
use crate::store::StoreError;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Everything the API can answer instead of what was asked for.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The thing named in the path does not exist (or belongs to someone else).
    #[error("{0}")]
    NotFound(String),
    /// The path exists but not with this method.
    #[error("method {method} is not allowed here")]
    MethodNotAllowed { method: Method, allow: Vec<Method> },
    /// The request is well-formed but its content is invalid, field by field.
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// The request could not be read (malformed JSON, query or path).
    #[error("{0}")]
    BadRequest(String),
    /// The body exceeds the configured limit.
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// The body is not of a media type the endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// No valid bearer token; `None` when none was presented at all.
    #[error("{}", .0.unwrap_or("this operation needs a bearer token"))]
    Unauthorized(Option<&'static str>),
    /// A valid token that lacks the scope the operation needs.
    #[error("this operation needs the scope `{scope}`")]
    Forbidden { scope: Scope },
    /// The request conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// Not permitted to this caller whatever its scopes; the detail says why.
    #[error("{0}")]
    Refused(String),
    /// Too many requests; retry after the given seconds.
    #[error("too many requests; retry in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    /// A token request refused as RFC 6749 §5.2 describes.
    #[error("{description}")]
    TokenRequest {
        error: OAuthError,
        description: String,
        /// The client authenticated with HTTP Basic, so a 401 must challenge for it.
        basic: bool,
    },
    /// A dependency (the database) cannot be reached; retry later.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an infrastructure failure; details are logged, not returned.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// One invalid field of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorDocument {
    /// Where the field is: a query parameter name or a JSON path such as `answers[2].value`.
    #[schema(example = "limit")]
    pub field: String,
    #[schema(example = "must be between 1 and 200")]
    pub message: String,
}

impl From<&FieldError> for FieldErrorDocument {
    fn from(error: &FieldError) -> Self {
        FieldErrorDocument {
            field: error.field.clone(),
            message: error.message.clone(),
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem; stable, so clients can branch on it.
    #[schema(example = "/problems/not-found")]
    pub r#type: &'static str,
    #[schema(example = "Not Found")]
    pub title: &'static str,
    #[schema(example = 404)]
    pub status: u16,
    /// What went wrong for this request, in English.
    #[schema(example = "there is no model `social-cone`")]
    pub detail: String,
    /// The id also sent in the `x-request-id` header and written to the logs.
    #[schema(example = "0d9c2a8e-8f5e-4a4c-9d3b-7f6b5e3c2a10")]
    pub request_id: Option<String>,
    /// Present on validation problems: every invalid field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldErrorDocument>>,
    /// On token request problems: the RFC 6749 error code, for OAuth client libraries.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "invalid_client")]
    pub error: Option<&'static str>,
    /// On token request problems: the same as `detail`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// The error codes of RFC 6749 §5.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuthError {
    InvalidRequest,
    InvalidClient,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
}

impl OAuthError {
    pub fn code(self) -> &'static str {
        match self {
            OAuthError::InvalidRequest => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::UnauthorizedClient => "unauthorized_client",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidScope => "invalid_scope",
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict => {
                ApiError::Conflict("the request conflicts with an existing record".to_owned())
            }
            StoreError::Unavailable(error) => {
                // The cause goes to the log; the client learns only that it may retry.
                tracing::warn!(%error, "the database is unavailable");
                ApiError::Unavailable("the database is unavailable".to_owned())
            }
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<crate::service::Error> for ApiError {
    fn from(error: crate::service::Error) -> Self {
        use crate::service::Error;
        match error {
            Error::NotFound(detail) => ApiError::NotFound(detail),
            Error::Conflict(detail) => ApiError::Conflict(detail),
            Error::Refused(detail) => ApiError::Refused(detail),
            Error::Invalid(errors) => ApiError::Validation(errors),
            Error::Unauthenticated(reason) => ApiError::Unauthorized(Some(reason)),
            Error::Unavailable => ApiError::Unavailable("the database is unavailable".to_owned()),
            Error::Internal(error) => ApiError::Internal(error),
        }
    }
}

impl ApiError {
    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::NotFound(_) => ("/problems/not-found", "Not Found"),
            ApiError::MethodNotAllowed { .. } => {
                ("/problems/method-not-allowed", "Method Not Allowed")
            }
            ApiError::Validation(_) => ("/problems/validation-error", "Invalid Request"),
            ApiError::BadRequest(_) => ("/problems/bad-request", "Bad Request"),
            ApiError::PayloadTooLarge { .. } => {
                ("/problems/payload-too-large", "Payload Too Large")
            }
            ApiError::UnsupportedMediaType(_) => {
                ("/problems/unsupported-media-type", "Unsupported Media Type")
            }
            ApiError::Unavailable(_) => ("/problems/unavailable", "Service Unavailable"),
            ApiError::Unauthorized(_) => ("/problems/unauthorized", "Unauthorized"),
            ApiError::Forbidden { .. } | ApiError::Refused(_) => {
                ("/problems/forbidden", "Forbidden")
            }
            ApiError::Conflict(_) => ("/problems/conflict", "Conflict"),
            ApiError::TooManyRequests { .. } => {
                ("/problems/too-many-requests", "Too Many Requests")
            }
            ApiError::TokenRequest { .. } => {
                ("/problems/token-request-refused", "Token Request Refused")
            }
            ApiError::Internal(_) => ("/problems/internal-error", "Internal Server Error"),
        }
    }

    /// The problem document for this error, as sent to the client.
    pub fn problem(&self, request_id: Option<String>) -> Problem {
        let (r#type, title) = self.kind();
        let detail = match self {
            ApiError::Internal(_) => "internal error".to_owned(),
            other => other.to_string(),
        };
        Problem {
            r#type,
            title,
            status: self.status_code().as_u16(),
            detail,
            request_id,
            errors: match self {
                ApiError::Validation(errors) => Some(errors.iter().map(Into::into).collect()),
                _ => None,
            },
            error: match self {
                ApiError::TokenRequest { error, .. } => Some(error.code()),
                _ => None,
            },
            error_description: match self {
                ApiError::TokenRequest { description, .. } => Some(description.clone()),
                _ => None,
            },
        }
    }

    /// The complete response, with the request id when it is known.
    pub fn render(&self, request_id: Option<String>) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let ApiError::MethodNotAllowed { allow, .. } = self {
            let allow: Vec<&str> = allow.iter().map(Method::as_str).collect();
            response.insert_header((header::ALLOW, allow.join(", ")));
        }
        match self {
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::TooManyRequests { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unauthorized(None) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"smm\""));
            }
            ApiError::Unauthorized(Some(reason)) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!("Bearer realm=\"smm\", error=\"invalid_token\", error_description=\"{reason}\""),
                ));
            }
            ApiError::Forbidden { scope } => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!(
                        "Bearer realm=\"smm\", error=\"insufficient_scope\", scope=\"{scope}\""
                    ),
                ));
            }
            ApiError::TokenRequest {
                error: OAuthError::InvalidClient,
                basic: true,
                ..
            } => {
                response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"smm\""));
            }
            _ => {}
        }
        if matches!(self, ApiError::TokenRequest { .. }) {
            // RFC 6749 §5.1: token responses, errors included, must not be cached.
            response.insert_header((header::CACHE_CONTROL, "no-store"));
        }
        response.json(self.problem(request_id))
    }

    /// A problem for an error that did not come from our code (actix's own), by its status.
    pub(crate) fn from_foreign(error: &actix_web::Error, body_limit: usize) -> ApiError {
        let status = error.as_response_error().status_code();
        match status {
            StatusCode::NOT_FOUND => ApiError::NotFound("no such resource".to_owned()),
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { limit: body_limit },
            status if status.is_client_error() => ApiError::BadRequest(error.to_string()),
            _ => ApiError::Internal(anyhow::anyhow!("{error}")),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } | ApiError::Refused(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TokenRequest { error, .. } => match error {
                OAuthError::InvalidClient => StatusCode::UNAUTHORIZED,
                _ => StatusCode::BAD_REQUEST,
            },
        }
    }

    /// Called once per failed request: the place to log what the client will not see.
    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(error) => tracing::error!(error = ?error, "request failed"),
            ApiError::Unavailable(reason) => tracing::warn!(%reason, "dependency unavailable"),
            other => tracing::debug!(error = %other, "request rejected"),
        }
        self.render(None)
    }
}
