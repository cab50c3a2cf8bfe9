//! Idempotency keys: a client sends one with a request that creates something, and a retry with
//! the same key gets the first request's result instead of a second one.
//!
//! A key is claimed for a short lease while its request runs; the request's change and its
//! [`KeyedOutcome`] commit in one transaction, so a key is never left completed without its
//! change or the change without its key. A request that dies without an outcome frees the key
//! when its lease ends. Keys are kept for [`retention`] and then forgotten.

use chrono::TimeDelta;
use sha2::{Digest, Sha256};

use crate::domain::ids::{AssessmentId, OrganisationId};

/// The longest key accepted, in characters.
pub const MAX_KEY_LENGTH: usize = 255;

/// How long a claimed key is held for its request before another request may take it over.
pub fn lease() -> TimeDelta {
    TimeDelta::seconds(60)
}

/// How long a key is remembered after its first use.
pub fn retention() -> TimeDelta {
    TimeDelta::days(7)
}

/// A client's key together with a fingerprint of the request it came with, so that the same key
/// on a different request is recognised and refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey {
    key: String,
    fingerprint: String,
}

impl IdempotencyKey {
    /// A key of 1 to 255 visible ASCII characters, for the request made of `parts` (method,
    /// path, canonical body…).
    pub fn parse(key: &str, parts: &[&[u8]]) -> Result<IdempotencyKey, String> {
        let key = key.trim();
        if key.is_empty()
            || key.len() > MAX_KEY_LENGTH
            || !key.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(format!(
                "Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters"
            ));
        }
        let mut hash = Sha256::new();
        for part in parts {
            // Length-prefixed, so that moving bytes between parts changes the fingerprint.
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        let fingerprint = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(IdempotencyKey {
            key: key.to_owned(),
            fingerprint,
        })
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// SHA-256 of the request, hex.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// What a keyed request did: enough to answer a retry with the same result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyedOutcome {
    OrganisationCreated(OrganisationId),
    AssessmentCreated(AssessmentId),
    AssessmentSubmitted(AssessmentId),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_of_bounded_length() {
        for bad in ["", "   ", "tab\there", "é", &"k".repeat(256)] {
            assert!(IdempotencyKey::parse(bad, &[]).is_err(), "{bad:?}");
        }
        assert_eq!(IdempotencyKey::parse(" k-1 ", &[]).unwrap().key(), "k-1");
    }

    #[test]
    fn the_fingerprint_tells_requests_apart() {
        let a = IdempotencyKey::parse("k", &[b"POST", b"/v1/clients", b"{}"]).unwrap();
        let b = IdempotencyKey::parse("k", &[b"POST", b"/v1/clients", b"{}"]).unwrap();
        let c = IdempotencyKey::parse("k", &[b"POST", b"/v1/clients{", b"}"]).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
