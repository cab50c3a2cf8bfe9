//! `POST /v1/oauth/token` (OAuth 2.0 client credentials, RFC 6749 §4.4) and
//! `GET /.well-known/jwks.json` (the public keys that verify the tokens).

use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Authenticator;
use crate::auth::secret::secret_matches;
use crate::auth::tokens::TokenSubject;
use crate::domain::tenancy::{
    ApiClient, AuditAction, ClientId, ClientStatus, Scopes, TenantStatus,
};
use crate::error::{ApiError, OAuthError, Problem};
use crate::rate_limit::RateLimits;
use crate::store::Store;
use crate::store::audit::NewAuditEvent;

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
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Space-separated scopes to ask for; all of the client's scopes when omitted.
    #[schema(example = "models:read reports:read")]
    pub scope: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    #[schema(example = "Bearer")]
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
        (status = 429, description = "Too many failed requests for this client id; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/oauth/token")]
async fn issue_token(
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
        token_type: "Bearer",
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

struct Credentials {
    client_id: String,
    client_secret: String,
    basic: bool,
}

/// The hash unknown client ids are compared against: of no secret anyone holds.
const UNKNOWN_CLIENT_HASH: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

fn refuse(error: OAuthError, description: String, basic: bool) -> ApiError {
    ApiError::TokenRequest {
        error,
        description,
        basic,
    }
}

fn parse_body(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, ApiError> {
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
fn credentials(headers: &HeaderMap, form: &TokenRequest) -> Result<Credentials, ApiError> {
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
async fn authenticate_client(
    store: &Store,
    credentials: &Credentials,
) -> Result<ApiClient, ApiError> {
    let bad = || {
        refuse(
            OAuthError::InvalidClient,
            "unknown client or wrong secret".to_owned(),
            credentials.basic,
        )
    };
    let id = credentials
        .client_id
        .parse()
        .map(ClientId)
        .map_err(|_| bad())?;
    let tx = store.platform_tx().await?;
    let client = tx.find_client_by_id(id).await?;
    tx.commit().await?;
    // Compare against some hash even for an unknown id, so that timing does not tell which
    // client ids exist.
    let stored_hash = client
        .as_ref()
        .map_or(UNKNOWN_CLIENT_HASH, |c| c.secret_hash.as_str());
    let matches = secret_matches(&credentials.client_secret, stored_hash);
    let client = client.filter(|_| matches).ok_or_else(bad)?;
    let tenant = store.find_tenant(client.tenant_id).await?;
    let tenant_exists = tenant.is_some();
    let refusal = match (client.status, tenant.map(|t| t.status)) {
        (ClientStatus::Revoked, _) => Some((
            AuditAction::TokenRefusedRevokedClient,
            "the client has been revoked",
        )),
        (_, Some(TenantStatus::Suspended)) => Some((
            AuditAction::TokenRefusedSuspendedTenant,
            "the tenant is suspended",
        )),
        (_, None) => Some((
            AuditAction::TokenRefusedSuspendedTenant,
            "the tenant no longer exists",
        )),
        _ => None,
    };
    if let Some((action, reason)) = refusal {
        if tenant_exists {
            audit_refusal(store, &client, action).await?;
        }
        return Err(refuse(
            OAuthError::InvalidClient,
            reason.to_owned(),
            credentials.basic,
        ));
    }
    Ok(client)
}

/// Records a refused token request in the client's tenant.
async fn audit_refusal(
    store: &Store,
    client: &ApiClient,
    action: AuditAction,
) -> Result<(), ApiError> {
    let tx = store.tenant_tx(client.tenant_id).await?;
    let event = NewAuditEvent {
        actor: Some(client.id),
        action,
        target_type: "api_client",
        target_id: Some(client.id.to_string()),
        details: serde_json::json!({"at": "token_endpoint"}),
    };
    tx.record(event, Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The requested scopes, if the client holds them all; all of its scopes when none are requested.
fn granted_scopes(client: &ApiClient, requested: Option<&str>) -> Result<Scopes, ApiError> {
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
