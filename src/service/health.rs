//! Readiness: whether the service can reach its database.

use std::time::Duration;

use crate::store::Store;

/// Why the service is not ready, in words safe to show anyone (no driver messages).
#[derive(Debug, PartialEq, Eq)]
pub enum NotReady {
    DatabaseUnreachable,
    DatabaseTimedOut,
}

/// Pings the database, giving up after `timeout`.
pub async fn ready(store: &Store, timeout: Duration) -> Result<(), NotReady> {
    match tokio::time::timeout(timeout, store.ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness check: the database is unreachable");
            Err(NotReady::DatabaseUnreachable)
        }
        Err(_) => {
            tracing::warn!("readiness check: the database did not answer in time");
            Err(NotReady::DatabaseTimedOut)
        }
    }
}
