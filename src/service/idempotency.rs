//! Running a command at most once per idempotency key (see `domain::idempotency`).
//!
//! The key is claimed before the command runs; the command records its outcome with
//! [`crate::store::idempotency::IdempotencyKeys::complete`] inside its own transaction, so the
//! change and the outcome commit together or not at all. A command that fails changed nothing,
//! so its key is released at once and a corrected retry may use it again.

use chrono::Utc;

use super::{Error, Keyed};
use crate::domain::idempotency::{IdempotencyKey, KeyedOutcome};
use crate::domain::tenancy::TenantId;
use crate::store::Store;
use crate::store::idempotency::Claim;

/// Runs `command` unless `key` was used before: then `replay` answers with the first run's
/// outcome. Without a key, `command` simply runs.
pub async fn at_most_once<T>(
    store: &Store,
    tenant: TenantId,
    key: Option<&IdempotencyKey>,
    command: impl AsyncFnOnce() -> Result<T, Error>,
    replay: impl AsyncFnOnce(KeyedOutcome) -> Result<T, Error>,
) -> Result<Keyed<T>, Error> {
    let Some(key) = key else {
        return command().await.map(fresh);
    };
    match store.claim_idempotency_key(tenant, key, Utc::now()).await? {
        Claim::Claimed => {}
        Claim::InProgress => {
            return Err(Error::Conflict(
                "a request with this Idempotency-Key is still being processed".to_owned(),
            ));
        }
        Claim::Mismatch => {
            return Err(Error::invalid(
                "Idempotency-Key",
                "this key was already used for a different request",
            ));
        }
        Claim::Completed(outcome) => {
            return replay(outcome).await.map(|value| Keyed {
                value,
                replayed: true,
            });
        }
    }
    match command().await {
        Ok(value) => Ok(fresh(value)),
        Err(error) => {
            // If freeing the key fails too, its lease frees it shortly.
            if let Err(release) = store.release_idempotency_key(tenant, key).await {
                tracing::warn!(error = %release, "could not release an idempotency key");
            }
            Err(error)
        }
    }
}

/// The error for an outcome of another kind than the command records: the key's fingerprint
/// covers method and path, so this means stored data this build did not write.
pub fn unexpected(outcome: KeyedOutcome) -> Error {
    Error::Internal(anyhow::anyhow!(
        "an idempotency key of this request recorded {outcome:?}"
    ))
}

/// A retry whose first request created something that has since been deleted: still not found,
/// but saying why, since the client did nothing wrong with this request.
pub fn deleted_since(what: &str, error: Error) -> Error {
    match error {
        Error::NotFound(_) => Error::NotFound(format!(
            "the {what} this Idempotency-Key created has since been deleted"
        )),
        other => other,
    }
}

fn fresh<T>(value: T) -> Keyed<T> {
    Keyed {
        value,
        replayed: false,
    }
}
