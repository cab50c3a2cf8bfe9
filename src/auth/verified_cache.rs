//! Tokens already verified on this replica, so that a client sending the same token again does
//! not pay for another signature verification (an Ed25519 verification costs more than the rest
//! of a cached model read together).
//!
//! The key is the whole token: a token differing in any byte, a tampered one included, misses and
//! is verified in full. An entry is used only until the token's own expiry (plus the same clock
//! leeway verification allows), so caching never extends a token's life. Revocation and suspension
//! do not depend on this cache: the caller's standing is checked on every request.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::Utc;

use crate::auth::tokens::{LEEWAY_SECONDS, TokenSubject, Verified};

/// At most this many tokens are remembered; past it, expired ones go first, then all.
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub struct VerifiedTokens {
    entries: Mutex<HashMap<String, Verified>>,
}

impl VerifiedTokens {
    /// The subject of a token verified earlier and not yet expired.
    pub fn get(&self, token: &str) -> Option<TokenSubject> {
        let entries = self.lock();
        let verified = entries.get(token)?;
        (Utc::now().timestamp() <= verified.expires_at + LEEWAY_SECONDS as i64)
            .then(|| verified.subject.clone())
    }

    pub fn insert(&self, token: &str, verified: Verified) {
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            let now = Utc::now().timestamp();
            entries.retain(|_, v| now <= v.expires_at + LEEWAY_SECONDS as i64);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(token.to_owned(), verified);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Verified>> {
        // The map stays consistent even if a holder panicked.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tenancy::{ApiClientId, Scopes, TenantId};

    fn verified(expires_at: i64) -> Verified {
        Verified {
            subject: TokenSubject {
                tenant: TenantId(uuid::Uuid::nil()),
                client: ApiClientId(uuid::Uuid::nil()),
                scopes: Scopes::default(),
                respondent: None,
            },
            expires_at,
        }
    }

    #[test]
    fn a_cached_token_is_served_only_until_it_expires() {
        let cache = VerifiedTokens::default();
        let now = Utc::now().timestamp();
        cache.insert("live", verified(now + 60));
        cache.insert("dead", verified(now - LEEWAY_SECONDS as i64 - 1));
        assert!(cache.get("live").is_some());
        assert!(cache.get("dead").is_none());
        assert!(cache.get("live.tampered").is_none());
    }
}
