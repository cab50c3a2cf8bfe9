//! Client secrets: high-entropy random strings, shown once, stored only as a hash.
//!
//! SHA-256 rather than a password hash (argon2): a secret carries 256 bits of randomness, so there
//! is nothing for a slow hash to protect against guessing, while a slow hash on the token endpoint
//! would hand attackers a cheap way to burn CPU.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Prefix that makes a leaked secret recognisable to secret scanners.
const PREFIX: &str = "smm_secret_";

/// A freshly generated client secret.
pub struct ClientSecret(SecretString);

impl ClientSecret {
    pub fn generate() -> ClientSecret {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        ClientSecret(SecretString::from(format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(bytes)
        )))
    }

    /// The secret itself, for the one response that shows it.
    pub fn reveal(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn hash(&self) -> String {
        hash_secret(self.reveal())
    }
}

/// Hex SHA-256 of a presented secret.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `presented` is the secret whose hash is `stored`, in constant time.
pub fn secret_matches(presented: &str, stored: &str) -> bool {
    hash_secret(presented)
        .as_bytes()
        .ct_eq(stored.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_matches_its_hash_and_nothing_else() {
        let secret = ClientSecret::generate();
        assert!(secret.reveal().starts_with(PREFIX));
        assert!(secret.reveal().len() > 50);
        assert!(secret_matches(secret.reveal(), &secret.hash()));
        assert!(!secret_matches("smm_secret_guess", &secret.hash()));
        assert_ne!(ClientSecret::generate().reveal(), secret.reveal());
    }
}
