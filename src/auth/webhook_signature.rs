//! Standard Webhooks signatures (<https://www.standardwebhooks.com>): an endpoint's secret is
//! `whsec_` and 32 random bytes in base64; each delivery is signed with HMAC-SHA256 over
//! `{webhook-id}.{webhook-timestamp}.{body}` and the signatures of every secret that signs at the
//! time go in `webhook-signature` as `v1,<base64>`, separated by spaces, so that receivers can
//! roll over to a new secret while the old one still verifies.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret, shown once to the tenant.
pub fn generate_secret() -> String {
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

/// The `webhook-signature` header value for a delivery, signed with each of `secrets`.
pub fn signature_header(
    secrets: &[SecretString],
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, SecretError> {
    let signatures = secrets
        .iter()
        .map(|secret| sign(secret.expose_secret(), id, timestamp, body).map(|s| format!("v1,{s}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(signatures.join(" "))
}

/// The base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under one secret.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, SecretError> {
    let key = secret
        .strip_prefix(SECRET_PREFIX)
        .and_then(|encoded| STANDARD.decode(encoded).ok())
        .ok_or(SecretError)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| SecretError)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(STANDARD.encode(mac.finalize().into_bytes()))
}

/// A stored secret that is not `whsec_` and base64: written by something other than this service.
#[derive(Debug, thiserror::Error)]
#[error("a webhook signing secret is malformed")]
pub struct SecretError;

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn signs_the_standard_webhooks_reference_example() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(signature, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn every_signing_secret_contributes_a_signature() {
        let (a, b) = (generate_secret(), generate_secret());
        assert!(a.starts_with(SECRET_PREFIX) && a != b);
        let secrets = [SecretString::from(a.clone()), SecretString::from(b.clone())];
        let header = signature_header(&secrets, "id", 1, b"{}").unwrap();
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts[0],
            format!("v1,{}", sign(&a, "id", 1, b"{}").unwrap())
        );
        assert!(signature_header(&[SecretString::from("nope")], "id", 1, b"{}").is_err());
    }
}
