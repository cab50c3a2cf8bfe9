//! Telling every replica that a client's standing changed (PostgreSQL `NOTIFY`), so that none
//! keeps accepting a revoked client's tokens from its cache. SQLite serves one process: there is
//! nobody to tell.

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::{Store, StoreError, TenantTx};
use crate::domain::tenancy::StandingChange;

/// A listener's connection failed: the database is unreachable for it.
fn lost(error: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Unavailable(sea_orm::DbErr::Conn(sea_orm::RuntimeErr::SqlxError(
        std::sync::Arc::new(error),
    )))
}

/// The notification channel.
const CHANNEL: &str = "smm_standing";

impl TenantTx {
    /// Announces a standing change to every replica when (and only if) the transaction commits.
    pub async fn announce(&self, change: StandingChange) -> Result<(), StoreError> {
        if self.txn.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        self.txn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), change.encode().into()],
            ))
            .await?;
        Ok(())
    }
}

/// What a listener heard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    Change(StandingChange),
    /// The connection was lost (and is being made again): changes may have been missed.
    Lost,
}

/// A connection listening for standing changes.
pub struct StandingListener(PgListener);

impl Store {
    /// Starts listening for standing changes; `None` on SQLite.
    pub async fn listen_for_standing_changes(
        &self,
    ) -> Result<Option<StandingListener>, StoreError> {
        if self.db.get_database_backend() != DbBackend::Postgres {
            return Ok(None);
        }
        let pool = self.db.get_postgres_connection_pool();
        let mut listener = PgListener::connect_with(pool).await.map_err(lost)?;
        listener.listen(CHANNEL).await.map_err(lost)?;
        Ok(Some(StandingListener(listener)))
    }
}

impl StandingListener {
    /// The next change, or word that some may have been missed.
    pub async fn next(&mut self) -> Result<Heard, StoreError> {
        loop {
            match self.0.try_recv().await {
                Ok(Some(notification)) => {
                    if let Some(change) = StandingChange::decode(notification.payload()) {
                        return Ok(Heard::Change(change));
                    }
                    tracing::warn!(
                        payload = notification.payload(),
                        "an unreadable standing change"
                    );
                }
                Ok(None) => return Ok(Heard::Lost),
                Err(error) => {
                    return Err(lost(error));
                }
            }
        }
    }
}
