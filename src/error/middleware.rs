//! The middleware that makes every error response a problem document carrying the request id.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use tracing_actix_web::RequestId;

use super::ApiError;

/// The configured request body limit in bytes, for messages about bodies that exceed it.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// Middleware: re-renders every error response as a problem document carrying the request id,
/// and returns that id in the `x-request-id` header of every response.
pub async fn problem_details(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(ToString::to_string);
    let body_limit = request.app_data::<BodyLimit>().map_or(0, |limit| limit.0);
    // Routing and handlers turn their errors into responses carrying the error, so an `Err` here
    // can only come from actix itself. (The request must not be cloned before routing.)
    let response = next.call(request).await?.map_into_boxed_body();
    let mut response = match response.response().error() {
        Some(error) => {
            let rendered = match error.as_error::<ApiError>() {
                Some(api_error) => api_error.render(request_id.clone()),
                None => ApiError::from_foreign(error, body_limit).render(request_id.clone()),
            };
            response.into_response(rendered)
        }
        None => response,
    };
    if let Some(id) = request_id
        && let Ok(value) = header::HeaderValue::from_str(&id)
    {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}
