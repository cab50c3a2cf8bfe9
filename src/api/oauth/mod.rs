//! `POST /v1/oauth/token` (OAuth 2.0 client credentials, RFC 6749 §4.4) and
//! `GET /.well-known/jwks.json` (the public keys that verify the tokens).

mod client_auth;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::client_address::LimitedAddress;
use crate::api::value_sets::TokenTypeValues;
use crate::auth::Authenticator;
use crate::auth::tokens::TokenSubject;
use crate::error::{ApiError, OAuthError, Problem};
use crate::rate_limit::RateLimits;
use crate::store::Store;
use client_auth::{authenticate_client, credentials, granted_scopes, parse_body, refuse};

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(issue_token);
}

pub fn well_known_routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(jwks);
}

/// A client-credentials token request, form-encoded or JSON. The client may authenticate with
/// HTTP Basic instead of `client_id` and `client_secret`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Required (a request without it is refused with `invalid_request`).
    #[schema(value_type = GrantType, required = true)]
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Space-separated scopes to ask for; all of the client's scopes when omitted.
    #[schema(example = "models:read reports:read")]
    pub scope: Option<String>,
}

/// The one grant type served; documentation only (the request's field is read as text so that
/// another value gets RFC 6749's `unsupported_grant_type`).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum GrantType {
    ClientCredentials,
}

/// The only kind of token issued (RFC 6750 bearer tokens).
pub const TOKEN_TYPE: &str = "Bearer";

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    #[schema(value_type = TokenTypeValues)]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// The scopes granted.
    #[schema(example = "models:read reports:read")]
    pub scope: String,
}

/// Get an access token.
///
/// Exchanges an API client's id and secret for a short-lived JWT (client credentials grant).
/// Errors carry RFC 6749's `error` and `error_description` besides the problem fields.
#[utoipa::path(
    tag = "auth",
    security((), ("client_basic" = [])),
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "A token", body = TokenResponse),
        (status = 400, description = "invalid_request, unsupported_grant_type or invalid_scope",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "invalid_client: unknown client, wrong secret, revoked client or suspended tenant",
            body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is neither form-encoded nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address, or too many failed requests for this client id or from this address; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/oauth/token")]
async fn issue_token(
    LimitedAddress(address): LimitedAddress,
    request: HttpRequest,
    body: web::Bytes,
    store: web::Data<Store>,
    authenticator: web::Data<Authenticator>,
    limits: web::Data<RateLimits>,
) -> Result<HttpResponse, ApiError> {
    let form = parse_body(request.headers(), &body)?;
    let credentials = credentials(request.headers(), &form)?;
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(refuse(
                OAuthError::UnsupportedGrantType,
                format!("grant type `{other}` is not supported; use client_credentials"),
                false,
            ));
        }
        None => {
            return Err(refuse(
                OAuthError::InvalidRequest,
                "grant_type is required".to_owned(),
                false,
            ));
        }
    }
    let client = match authenticate_client(&store, &credentials).await {
        Err(
            refused @ ApiError::TokenRequest {
                error: OAuthError::InvalidClient,
                ..
            },
        ) => {
            limits.record_failure(&credentials.client_id)?;
            limits.record_address_failure(address)?;
            return Err(refused);
        }
        other => other?,
    };
    let scopes = granted_scopes(&client, form.scope.as_deref())?;
    let subject = TokenSubject {
        tenant: client.tenant_id,
        client: client.id,
        scopes,
        respondent: None,
    };
    let tokens = authenticator.tokens();
    let response = TokenResponse {
        access_token: tokens.issue(&subject)?,
        token_type: TOKEN_TYPE,
        expires_in: tokens.ttl_seconds(),
        scope: subject.scopes.to_string(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(response))
}

/// Signing keys.
///
/// The public keys that verify access tokens (JWKS, RFC 7517), by `kid`. During a key rotation
/// both the new and the previous key are listed.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The key set", body = Object,
        example = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "…", "kid": "…", "alg": "EdDSA", "use": "sig"}]})))
)]
#[get("/jwks.json")]
async fn jwks(authenticator: web::Data<Authenticator>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(authenticator.tokens().keys().jwks())
}
