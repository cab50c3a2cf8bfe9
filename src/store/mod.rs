//! Persistence. The only module that speaks sea-orm: it connects, migrates, and offers
//! repositories. Tenant-owned data is reached only through a [`TenantTx`], a transaction bound to
//! one tenant: on PostgreSQL it also sets `smm.tenant_id`, so row-level security filters every
//! statement even if a query forgot its tenant condition. Entities never leave this module.

pub mod api_clients;
pub mod assessments;
pub mod audit;
pub mod benchmarks;
mod entities;
pub mod idempotency;
pub mod organisations;
pub mod share_links;
pub mod signing_keys;
pub mod standing;
pub mod tenants;
pub mod webhooks;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use migration::{APP_ROLE, Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{Executor, postgres::PgPoolOptions};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::domain::tenancy::TenantId;

/// The statement that makes a PostgreSQL connection act as the application role.
static SET_APP_ROLE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("SET ROLE {APP_ROLE}"));

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique key or constraint refused the write.
    #[error("the record conflicts with an existing one")]
    Conflict,
    /// The database cannot be reached right now.
    #[error("the database is unavailable: {0}")]
    Unavailable(DbErr),
    /// A stored value does not parse: data written by something other than this service.
    #[error("a stored value is invalid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        if matches!(
            error.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ) {
            return StoreError::Conflict;
        }
        match error {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => StoreError::Unavailable(error),
            other => StoreError::Database(other),
        }
    }
}

/// A connection pool to the service's database, SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Applies every pending migration over a connection of the URL's own user, who owns the
    /// schema; returns the names of all applied migrations.
    pub async fn migrate(url: &str) -> anyhow::Result<Vec<String>> {
        let owner = Database::connect(connect_options(url, 1))
            .await
            .context("connecting to the database to migrate it")?;
        Migrator::up(&owner, None)
            .await
            .context("applying database migrations")?;
        let applied = Migrator::get_applied_migrations(&owner)
            .await
            .context("reading the applied migrations")?;
        owner
            .close()
            .await
            .context("closing the migration connection")?;
        Ok(applied.iter().map(|m| m.name().to_owned()).collect())
    }

    /// Opens the service's pool. On PostgreSQL every connection switches to the application role,
    /// which owns no table, so row-level security applies to it.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Store> {
        let mut options = connect_options(url, max_connections);
        options.map_sqlx_postgres_pool_opts(|pool: PgPoolOptions| {
            pool.after_connect(|connection, _| {
                Box::pin(async move {
                    connection.execute(SET_APP_ROLE.as_str()).await?;
                    Ok(())
                })
            })
        });
        let db = Database::connect(options)
            .await
            .context("connecting to the database")?;
        Ok(Store { db })
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.db.ping().await
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(self) -> anyhow::Result<()> {
        self.db.close().await.context("closing the database pool")
    }

    /// Starts a transaction that sees and writes only `tenant`'s rows.
    pub async fn tenant_tx(&self, tenant: TenantId) -> Result<TenantTx, StoreError> {
        let txn = self.begin().await?;
        set_local(&txn, "smm.tenant_id", &tenant.to_string()).await?;
        Ok(TenantTx { txn, tenant })
    }

    /// Starts a transaction that only reads `tenant`'s rows. On SQLite it takes no write lock
    /// (DEFERRED), so such reads run beside the writer instead of waiting for their turn; a
    /// write in it would fail, not wait.
    pub async fn tenant_read_tx(&self, tenant: TenantId) -> Result<TenantTx, StoreError> {
        let txn = self
            .db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Deferred),
                // SQLite has no access modes (sea-orm warns on every one); a deferred
                // transaction that only reads is read-only in effect.
                access_mode: (self.db.get_database_backend() == DbBackend::Postgres)
                    .then_some(AccessMode::ReadOnly),
                ..TransactionOptions::default()
            })
            .await?;
        set_local(&txn, "smm.tenant_id", &tenant.to_string()).await?;
        Ok(TenantTx { txn, tenant })
    }

    /// Starts a transaction across tenants. Only for finding an API client by its id alone (the
    /// token endpoint) or a share link by its token, before the tenant is known, and for the
    /// webhook workers' claims and pruning.
    pub async fn platform_tx(&self) -> Result<PlatformTx, StoreError> {
        let txn = self.begin().await?;
        set_local(&txn, "smm.platform", "on").await?;
        Ok(PlatformTx { txn })
    }

    /// SQLite transactions take the write lock at `BEGIN` (IMMEDIATE): a deferred one that reads
    /// and then writes fails at once with "database is locked" when another connection wrote in
    /// between, whereas an immediate one waits its turn (busy timeout). PostgreSQL ignores this.
    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await
    }

    /// The connection for tables that belong to no tenant (tenants, signing keys).
    fn global(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// A transaction bound to one tenant; repositories of tenant-owned data take one.
pub struct TenantTx {
    txn: DatabaseTransaction,
    tenant: TenantId,
}

impl TenantTx {
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.txn.commit().await?)
    }

    /// The tenant's own row.
    pub fn tenant(&self) -> tenants::OwnTenant<'_> {
        tenants::OwnTenant(self)
    }

    pub fn api_clients(&self) -> api_clients::ApiClients<'_> {
        api_clients::ApiClients(self)
    }

    pub fn audit(&self) -> audit::AuditLog<'_> {
        audit::AuditLog(self)
    }

    /// The organisations the tenant assesses.
    pub fn organisations(&self) -> organisations::Organisations<'_> {
        organisations::Organisations(self)
    }

    pub fn assessments(&self) -> assessments::Assessments<'_> {
        assessments::Assessments(self)
    }

    /// Respondents of assessments, with their answers.
    pub fn respondents(&self) -> assessments::respondents::Respondents<'_> {
        assessments::respondents::Respondents(self)
    }

    /// Results stored at submission.
    pub fn results(&self) -> assessments::results::Results<'_> {
        assessments::results::Results(self)
    }

    /// What the tenant's clients contribute to peer benchmarks.
    pub fn benchmark_contributions(&self) -> benchmarks::Contributions<'_> {
        benchmarks::Contributions(self)
    }

    /// Read-only links to assessments' reports.
    pub fn share_links(&self) -> share_links::ShareLinks<'_> {
        share_links::ShareLinks(self)
    }

    /// Webhook endpoints and their signing secrets.
    pub fn webhook_endpoints(&self) -> webhooks::Endpoints<'_> {
        webhooks::Endpoints(self)
    }

    /// The outbox: events, written in the transaction of the change they report.
    pub fn webhook_events(&self) -> webhooks::Events<'_> {
        webhooks::Events(self)
    }

    /// Deliveries of events to endpoints, with their attempts.
    pub fn webhook_deliveries(&self) -> webhooks::Deliveries<'_> {
        webhooks::Deliveries(self)
    }

    pub fn idempotency(&self) -> idempotency::IdempotencyKeys<'_> {
        idempotency::IdempotencyKeys(self)
    }
}

/// A transaction that may read any tenant's API clients.
pub struct PlatformTx {
    txn: DatabaseTransaction,
}

impl PlatformTx {
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.txn.commit().await?)
    }
}

/// `SET LOCAL` for a custom setting; PostgreSQL only (SQLite has no row-level security).
async fn set_local(txn: &DatabaseTransaction, name: &str, value: &str) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT set_config($1, $2, true)",
        [name.into(), value.into()],
    ))
    .await
    .map(|_| ())
}

fn connect_options(url: &str, max_connections: u32) -> ConnectOptions {
    if let Some(directory) = sqlite_directory(url) {
        // Connecting reports a missing directory as an opaque I/O error; create it instead.
        let _ = std::fs::create_dir_all(directory);
    }
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        // WAL lets readers run beside the writer; NORMAL sync in WAL mode survives a process
        // crash (kill -9) without losing acknowledged writes.
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    options
}

/// The directory an SQLite URL's file lives in, when it is a file with a directory.
fn sqlite_directory(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

/// Keyset paging: at most `limit` rows after a key, and whether more follow.
#[derive(Clone, Copy, Debug)]
pub struct Keyset {
    pub after: Option<uuid::Uuid>,
    pub limit: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_yield_the_directory_to_create() {
        assert_eq!(
            sqlite_directory("sqlite://data/smm.db?mode=rwc"),
            Some(Path::new("data"))
        );
        assert_eq!(
            sqlite_directory("sqlite:/tmp/x/smm.db"),
            Some(Path::new("/tmp/x"))
        );
        assert_eq!(sqlite_directory("sqlite://smm.db"), None);
        assert_eq!(sqlite_directory("sqlite::memory:"), None);
        assert_eq!(sqlite_directory("postgres://localhost/smm"), None);
    }
}
