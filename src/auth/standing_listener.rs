//! Keeps this replica's cached standings true to changes made on other replicas: on PostgreSQL it
//! listens for the notifications that revocations and suspensions send when they commit, and
//! forgets what they make stale. When the connection drops (notifications may be lost) it forgets
//! everything and listens again; the cache period (`SMM_AUTH_CACHE_SECS`) bounds staleness when
//! even that fails. On SQLite there is one process, so nothing to listen for.

use std::time::Duration;

use actix_web::web;
use tokio::sync::watch;

use crate::auth::Authenticator;
use crate::store::Store;
use crate::store::standing::{Heard, StandingListener};

/// How long to wait before listening again after the database refused.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// Listens until `stop` turns true, first on `listening` (made before the service took its
/// first request, so nothing is missed from the start).
pub async fn run(
    store: Store,
    listening: StandingListener,
    authenticator: web::Data<Authenticator>,
    mut stop: watch::Receiver<bool>,
) {
    let mut first = Some(listening);
    loop {
        let mut listener = match first.take() {
            Some(listener) => listener,
            None => match store.listen_for_standing_changes().await {
                Ok(Some(listener)) => {
                    // Whatever changed while nobody listened was not heard.
                    authenticator.forget_all();
                    listener
                }
                Ok(None) => return,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for standing changes; retrying");
                    authenticator.forget_all();
                    tokio::select! {
                        _ = tokio::time::sleep(RETRY_AFTER) => continue,
                        _ = stop.changed() => return,
                    }
                }
            },
        };
        loop {
            tokio::select! {
                heard = listener.next() => match heard {
                    Ok(Heard::Change(change)) => authenticator.forget(change),
                    Ok(Heard::Lost) => {
                        tracing::warn!("the standing listener lost its connection; forgetting cached standings");
                        authenticator.forget_all();
                    }
                    Err(error) => {
                        tracing::warn!(%error, "the standing listener failed; listening again");
                        authenticator.forget_all();
                        break;
                    }
                },
                _ = stop.changed() => return,
            }
        }
    }
}
