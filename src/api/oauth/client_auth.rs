//! Client authentication at the token endpoint (RFC 6749 §2.3): reading the request, checking
//! the client's secret and standing, and granting scopes.

use actix_web::http::header::{self, HeaderMap};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::TokenRequest;
use crate::domain::tenancy::{ApiClient, Scopes};
use crate::error::{ApiError, OAuthError};
use crate::service::{self, tokens::ClientRefusal};
use crate::store::Store;

pub(super) struct Credentials {
    pub client_id: String,
    pub client_secret: String,
    pub basic: bool,
}

pub(super) fn refuse(error: OAuthError, description: String, basic: bool) -> ApiError {
    ApiError::TokenRequest {
        error,
        description,
        basic,
    }
}

pub(super) fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, ApiError> {
    if body.is_empty() {
        return Ok(TokenRequest::default());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    let parsed = match content_type.as_deref() {
        Some("application/x-www-form-urlencoded") => {
            serde_urlencoded::from_bytes(body).map_err(|e| e.to_string())
        }
        Some("application/json") => serde_json::from_slice(body).map_err(|e| e.to_string()),
        _ => {
            return Err(ApiError::UnsupportedMediaType(
                "send the token request as application/x-www-form-urlencoded or application/json"
                    .to_owned(),
            ));
        }
    };
    parsed.map_err(|error| {
        refuse(
            OAuthError::InvalidRequest,
            format!("the body cannot be read: {error}"),
            false,
        )
    })
}

/// The client's id and secret, from HTTP Basic or from the body, but not both (RFC 6749 §2.3.1).
pub(super) fn credentials(
    headers: &HeaderMap,
    form: &TokenRequest,
) -> Result<Credentials, ApiError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        });
    let in_body = form.client_id.is_some() || form.client_secret.is_some();
    match (basic, in_body) {
        (Some(_), true) => Err(refuse(
            OAuthError::InvalidRequest,
            "send the client credentials either with HTTP Basic or in the body, not both"
                .to_owned(),
            false,
        )),
        (Some(encoded), false) => {
            // Ids are UUIDs and secrets URL-safe base64: form-encoding leaves both unchanged.
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .and_then(|text| {
                    text.split_once(':')
                        .map(|(id, secret)| (id.to_owned(), secret.to_owned()))
                });
            let (client_id, client_secret) = decoded.ok_or_else(|| {
                refuse(
                    OAuthError::InvalidClient,
                    "the Basic credentials are malformed".to_owned(),
                    true,
                )
            })?;
            Ok(Credentials {
                client_id,
                client_secret,
                basic: true,
            })
        }
        (None, _) => match (&form.client_id, &form.client_secret) {
            (Some(id), Some(secret)) => Ok(Credentials {
                client_id: id.clone(),
                client_secret: secret.clone(),
                basic: false,
            }),
            _ => Err(refuse(
                OAuthError::InvalidClient,
                "client authentication is required: client_id and client_secret, or HTTP Basic"
                    .to_owned(),
                false,
            )),
        },
    }
}

/// The active client these credentials belong to. Every failure looks the same to the caller
/// until the secret has been proven, so ids cannot be probed.
pub(super) async fn authenticate_client(
    store: &Store,
    credentials: &Credentials,
) -> Result<ApiClient, ApiError> {
    let outcome = service::tokens::authenticate_client(
        store,
        &credentials.client_id,
        &credentials.client_secret,
    )
    .await?;
    outcome.map_err(|refusal| {
        let description = match refusal {
            ClientRefusal::BadCredentials => "unknown client or wrong secret",
            ClientRefusal::Standing(refusal) => refusal.reason(),
        };
        refuse(
            OAuthError::InvalidClient,
            description.to_owned(),
            credentials.basic,
        )
    })
}

/// The requested scopes, if the client holds them all; all of its scopes when none are requested.
pub(super) fn granted_scopes(
    client: &ApiClient,
    requested: Option<&str>,
) -> Result<Scopes, ApiError> {
    let Some(requested) = requested.filter(|s| !s.trim().is_empty()) else {
        return Ok(client.scopes.clone());
    };
    let requested: Scopes = requested
        .parse()
        .map_err(|error| refuse(OAuthError::InvalidScope, error, false))?;
    if !requested.is_subset(&client.scopes) {
        return Err(refuse(
            OAuthError::InvalidScope,
            format!("the client may ask only for: {}", client.scopes),
            false,
        ));
    }
    Ok(requested)
}
