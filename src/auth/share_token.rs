//! Share-link tokens: 256 random bits in the link's URL, kept only as a SHA-256 hash (as client
//! secrets are, see [`super::secret`]), so a leaked database holds no working link.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;

use super::secret::hash_secret;

/// 32 bytes in unpadded base64url.
const TOKEN_LENGTH: usize = 43;

/// A new token, for the one response that shows it.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The hash a token is stored as; `None` for a string that no token could be, which therefore
/// needs no lookup.
pub fn hash(token: &str) -> Option<String> {
    let well_formed = token.len() == TOKEN_LENGTH
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    well_formed.then(|| hash_secret(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_only_when_well_formed() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_LENGTH);
        assert_eq!(hash(&a).unwrap().len(), 64);
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash("short"), None);
        assert_eq!(hash(&format!("{}=", &a[..42])), None);
    }
}
