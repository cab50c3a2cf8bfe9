//! The keys tokens are signed and verified with, and the JWKS that publishes the public halves.
//!
//! A configured key (`SMM_JWT_SIGNING_KEY_FILE` or `SMM_JWT_SIGNING_KEY`, PKCS#8 PEM, EdDSA or
//! ES256) signs; public keys
//! in `SMM_JWT_VERIFICATION_KEYS_FILE` (a JWKS) are accepted too, so a rotated-out key keeps
//! verifying the tokens it signed until they expire. Without a configured key, the service
//! generates an Ed25519 key on first start and keeps it in the database, so every replica and
//! every restart signs with the same key.

use std::collections::HashMap;

use anyhow::{Context, anyhow, bail};
use chrono::Utc;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use rand::rngs::OsRng;
use secrecy::ExposeSecret;

use crate::settings::TokenSettings;
use crate::store::signing_keys::StoredKey;
use crate::store::{Store, StoreError};

/// The key new tokens are signed with.
pub struct SigningKey {
    pub kid: String,
    pub algorithm: Algorithm,
    pub encoding: EncodingKey,
}

/// A key tokens may be verified with; each accepts exactly one algorithm.
pub struct VerificationKey {
    pub algorithm: Algorithm,
    pub decoding: DecodingKey,
}

/// Signing key, verification keys by `kid`, and the published JWKS.
pub struct KeyRing {
    pub signing: SigningKey,
    verification: HashMap<String, VerificationKey>,
    jwks: JwkSet,
}

impl KeyRing {
    /// Keys from the settings, or the database's generated keys when none is configured.
    pub async fn load(settings: &TokenSettings, store: &Store) -> anyhow::Result<KeyRing> {
        let configured =
            match (&settings.signing_key_file, &settings.signing_key_pem) {
                (Some(path), _) => Some(std::fs::read(path).with_context(|| {
                    format!("reading SMM_JWT_SIGNING_KEY_FILE {}", path.display())
                })?),
                (None, Some(pem)) => Some(pem.expose_secret().as_bytes().to_vec()),
                (None, None) => None,
            };
        let mut keys = match configured {
            Some(pem) => vec![private_key(
                &pem,
                settings.algorithm,
                settings.key_id.as_deref(),
            )?],
            None => stored_keys(store).await?,
        };
        let signing = keys.pop().ok_or_else(|| anyhow!("no signing key"))?;
        let mut ring = KeyRing {
            signing: signing.0,
            verification: HashMap::new(),
            jwks: JwkSet { keys: Vec::new() },
        };
        ring.accept(signing.1)?;
        for (_, public) in keys {
            ring.accept(public)?;
        }
        if let Some(path) = &settings.verification_keys_file {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("reading SMM_JWT_VERIFICATION_KEYS_FILE {}", path.display())
            })?;
            let set: JwkSet = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a JWKS", path.display()))?;
            for jwk in set.keys {
                ring.accept(jwk)?;
            }
        }
        Ok(ring)
    }

    /// Adds a public key; it must name its `kid` and algorithm, since tokens are matched on both.
    fn accept(&mut self, jwk: Jwk) -> anyhow::Result<()> {
        let kid = jwk
            .common
            .key_id
            .clone()
            .ok_or_else(|| anyhow!("a verification key has no kid"))?;
        let algorithm = match jwk.common.key_algorithm {
            Some(KeyAlgorithm::EdDSA) => Algorithm::EdDSA,
            Some(KeyAlgorithm::ES256) => Algorithm::ES256,
            other => bail!("key {kid}: algorithm {other:?} is not accepted (EdDSA or ES256)"),
        };
        let decoding = DecodingKey::from_jwk(&jwk).with_context(|| format!("key {kid}"))?;
        if self
            .verification
            .insert(
                kid.clone(),
                VerificationKey {
                    algorithm,
                    decoding,
                },
            )
            .is_some()
        {
            bail!("two verification keys share the kid {kid}");
        }
        self.jwks.keys.push(jwk);
        Ok(())
    }

    pub fn verification_key(&self, kid: &str) -> Option<&VerificationKey> {
        self.verification.get(kid)
    }

    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }
}

/// A private key and its public JWK (with `kid`, `alg` and `use` set).
fn private_key(
    pem: &[u8],
    algorithm: Algorithm,
    kid: Option<&str>,
) -> anyhow::Result<(SigningKey, Jwk)> {
    let encoding = match algorithm {
        Algorithm::EdDSA => ed25519_v1_der(pem).map(|der| EncodingKey::from_ed_der(&der)),
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem).map_err(anyhow::Error::from),
        other => bail!("signing algorithm {other:?} is not supported (EdDSA or ES256)"),
    }
    .context("the signing key is not a PKCS#8 PEM private key of that algorithm")?;
    let mut jwk =
        Jwk::from_encoding_key(&encoding, algorithm).context("deriving the public key")?;
    let kid = match kid {
        Some(kid) => kid.to_owned(),
        None => jwk
            .thumbprint(ThumbprintHash::SHA256)
            .context("computing the key id")?,
    };
    jwk.common.key_id = Some(kid.clone());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    Ok((
        SigningKey {
            kid,
            algorithm,
            encoding,
        },
        jwk,
    ))
}

/// An Ed25519 key as PKCS#8 v1 DER (the private key alone), the form jsonwebtoken derives the
/// public key from; accepts v1 or v2 (with the public key embedded) PEM.
fn ed25519_v1_der(pem: &[u8]) -> anyhow::Result<Vec<u8>> {
    let text = std::str::from_utf8(pem).context("the PEM is not text")?;
    let key = ed25519_dalek::SigningKey::from_pkcs8_pem(text)
        .map_err(|error| anyhow!("not an Ed25519 PKCS#8 key: {error}"))?;
    let v1 = KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    };
    Ok(v1
        .to_pkcs8_der()
        .map_err(|error| anyhow!("encoding the key: {error}"))?
        .as_bytes()
        .to_vec())
}

/// The database's generated keys, oldest first; generates the first one if there is none.
async fn stored_keys(store: &Store) -> anyhow::Result<Vec<(SigningKey, Jwk)>> {
    let mut stored = store.signing_keys().await?;
    if stored.is_empty() {
        let generated = generate_ed25519()?;
        match store.insert_signing_key(&generated).await {
            // Another replica generated one at the same moment: use whatever is stored.
            Ok(()) | Err(StoreError::Conflict) => {}
            Err(other) => return Err(other).context("storing the generated signing key"),
        }
        stored = store.signing_keys().await?;
    }
    stored
        .iter()
        .map(|key| {
            let algorithm = match key.algorithm.as_str() {
                "EdDSA" => Algorithm::EdDSA,
                "ES256" => Algorithm::ES256,
                other => bail!("stored key {} has unsupported algorithm {other}", key.kid),
            };
            private_key(key.private_key_pem.as_bytes(), algorithm, Some(&key.kid))
        })
        .collect()
}

fn generate_ed25519() -> anyhow::Result<StoredKey> {
    let key = ed25519_dalek::SigningKey::generate(&mut OsRng);
    let v1 = KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    };
    let pem = v1
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|error| anyhow!("encoding the generated key: {error}"))?;
    let (_, jwk) = private_key(pem.as_bytes(), Algorithm::EdDSA, None)?;
    Ok(StoredKey {
        kid: jwk.common.key_id.unwrap_or_default(),
        algorithm: "EdDSA".to_owned(),
        private_key_pem: pem.to_string(),
        created_at: Utc::now(),
    })
}
