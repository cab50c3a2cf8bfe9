//! Access tokens: short-lived JWTs signed with the key ring's signing key.
//!
//! Verification trusts nothing in the token's header but the `kid`: the key must be one of ours
//! and the header's `alg` must be the one algorithm bound to that key, which rules out `none`,
//! HS256 signed with a public key and similar confusions. Issuer, audience, expiry, not-before and
//! issue time are required and checked, with a small leeway for clock skew.

use chrono::Utc;
use jsonwebtoken::{Header, Validation, decode, decode_header, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::keys::KeyRing;
use crate::domain::ids::{AssessmentId, RespondentId};
use crate::domain::tenancy::{ApiClientId, Scopes, TenantId};

/// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
pub const LEEWAY_SECONDS: u64 = 30;

/// The claims of an access token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The client id.
    pub sub: String,
    pub tenant_id: Uuid,
    /// Space-separated scopes.
    pub scope: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: Uuid,
    /// Respondent tokens: the one assessment they may answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment_id: Option<Uuid>,
    /// Respondent tokens: whose answers they may write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent_id: Option<Uuid>,
}

/// What a respondent token allows: answering one assessment as one respondent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RespondentGrant {
    pub assessment_id: AssessmentId,
    pub respondent_id: RespondentId,
}

/// Who a verified token speaks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSubject {
    pub tenant: TenantId,
    /// The client the token was issued to (for a respondent token: the client that issued it).
    pub client: ApiClientId,
    pub scopes: Scopes,
    pub respondent: Option<RespondentGrant>,
}

/// A verified token's subject and its expiry (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub subject: TokenSubject,
    pub expires_at: i64,
}

/// Issues and verifies access tokens.
pub struct Tokens {
    keys: KeyRing,
    issuer: String,
    audience: String,
    ttl_seconds: i64,
}

/// Why a token was refused; the message is safe to show to its bearer.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidToken(pub &'static str);

impl Tokens {
    pub fn new(keys: KeyRing, issuer: String, audience: String, ttl_seconds: i64) -> Tokens {
        Tokens {
            keys,
            issuer,
            audience,
            ttl_seconds,
        }
    }

    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    pub fn ttl_seconds(&self) -> i64 {
        self.ttl_seconds
    }

    /// A signed token for `subject`, valid from now for the configured lifetime.
    pub fn issue(&self, subject: &TokenSubject) -> anyhow::Result<String> {
        self.issue_for(subject, self.ttl_seconds)
    }

    /// A signed token for `subject`, valid from now for `ttl_seconds`.
    pub fn issue_for(&self, subject: &TokenSubject, ttl_seconds: i64) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: subject.client.to_string(),
            tenant_id: subject.tenant.0,
            scope: subject.scopes.to_string(),
            iat: now,
            nbf: now,
            exp: now + ttl_seconds,
            jti: Uuid::now_v7(),
            assessment_id: subject.respondent.map(|r| r.assessment_id.0),
            respondent_id: subject.respondent.map(|r| r.respondent_id.0),
        };
        let signing = &self.keys.signing;
        let mut header = Header::new(signing.algorithm);
        header.kid = Some(signing.kid.clone());
        Ok(encode(&header, &claims, &signing.encoding)?)
    }

    /// The subject of a valid token.
    pub fn verify(&self, token: &str) -> Result<Verified, InvalidToken> {
        let header = decode_header(token).map_err(|_| InvalidToken("the token is malformed"))?;
        let kid = header
            .kid
            .ok_or(InvalidToken("the token names no signing key (kid)"))?;
        let key = self
            .keys
            .verification_key(&kid)
            .ok_or(InvalidToken("the token was signed by an unknown key"))?;
        if header.alg != key.algorithm {
            return Err(InvalidToken("the token's algorithm does not match its key"));
        }
        let mut validation = Validation::new(key.algorithm);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        let claims = decode::<Claims>(token, &key.decoding, &validation)
            .map_err(|error| InvalidToken(describe(error.kind())))?
            .claims;
        if claims.iat > Utc::now().timestamp() + LEEWAY_SECONDS as i64 {
            return Err(InvalidToken("the token was issued in the future"));
        }
        let respondent = match (
            claims.assessment_id,
            claims.respondent_id,
            claims.scope.as_str(),
        ) {
            (Some(assessment_id), Some(respondent_id), "respondent") => Some(RespondentGrant {
                assessment_id: AssessmentId(assessment_id),
                respondent_id: RespondentId(respondent_id),
            }),
            (None, None, scope) if !scope.split_whitespace().any(|s| s == "respondent") => None,
            _ => {
                return Err(InvalidToken(
                    "the token's respondent claims are inconsistent",
                ));
            }
        };
        let subject = TokenSubject {
            respondent,
            tenant: TenantId(claims.tenant_id),
            client: ApiClientId(
                claims
                    .sub
                    .parse()
                    .map_err(|_| InvalidToken("the token's subject is not a client id"))?,
            ),
            scopes: claims
                .scope
                .parse()
                .map_err(|_| InvalidToken("the token carries an unknown scope"))?,
        };
        Ok(Verified {
            subject,
            expires_at: claims.exp,
        })
    }
}

fn describe(kind: &jsonwebtoken::errors::ErrorKind) -> &'static str {
    use jsonwebtoken::errors::ErrorKind;
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired",
        ErrorKind::ImmatureSignature => "the token is not valid yet",
        ErrorKind::InvalidIssuer => "the token was issued by someone else",
        ErrorKind::InvalidAudience => "the token is meant for another audience",
        ErrorKind::InvalidSignature => "the token's signature is invalid",
        ErrorKind::MissingRequiredClaim(_) => "the token lacks a required claim",
        _ => "the token is invalid",
    }
}
