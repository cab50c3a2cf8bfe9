//! The `Idempotency-Key` request header, for any POST that creates something: the key is bound
//! to the request's method, path and body, so reusing it for another request is recognised.
//! Responses to a retry are marked `Idempotent-Replayed: true`.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, HttpResponseBuilder, dev::Payload};
use serde::Serialize;
use utoipa::IntoParams;

use crate::domain::idempotency::IdempotencyKey;
use crate::error::ApiError;

/// The header's name.
pub const HEADER: &str = "Idempotency-Key";

/// Documents the `Idempotency-Key` request header on the operations that take it.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyKeyHeader {
    /// A unique key per request, remembered for 7 days: a retry with the same key (and body)
    /// answers the first request's outcome instead of doing it again, marked
    /// `Idempotent-Replayed: true`; the same key on a different request is refused (422).
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[\\x21-\\x7E]{1,255}$"
    )]
    idempotency_key: Option<String>,
}

/// The header of this request, not yet bound to its body.
#[derive(Debug)]
pub struct IdempotencyHeader {
    key: Option<String>,
    method: String,
    path: String,
}

impl FromRequest for IdempotencyHeader {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = request
            .headers()
            .get(HEADER)
            .map(|value| {
                value.to_str().map(str::to_owned).map_err(|_| {
                    ApiError::BadRequest(format!("{HEADER} must be visible ASCII characters"))
                })
            })
            .transpose();
        ready(key.map(|key| IdempotencyHeader {
            key,
            method: request.method().to_string(),
            path: request.path().to_owned(),
        }))
    }
}

impl IdempotencyHeader {
    /// The key for a request without a body.
    pub fn key(&self) -> Result<Option<IdempotencyKey>, ApiError> {
        self.bind(&[])
    }

    /// The key for a request with this (parsed) body: semantically equal bodies match, whatever
    /// their whitespace.
    pub fn key_for(&self, body: &impl Serialize) -> Result<Option<IdempotencyKey>, ApiError> {
        let body = serde_json::to_vec(body).map_err(anyhow::Error::from)?;
        self.bind(&body)
    }

    fn bind(&self, body: &[u8]) -> Result<Option<IdempotencyKey>, ApiError> {
        self.key
            .as_deref()
            .map(|key| {
                IdempotencyKey::parse(key, &[self.method.as_bytes(), self.path.as_bytes(), body])
                    .map_err(ApiError::BadRequest)
            })
            .transpose()
    }
}

/// Marks the response to a retry that was answered from the first request's outcome.
pub fn mark_replayed(response: &mut HttpResponseBuilder, replayed: bool) {
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
}
