//! Persistence. The only module that speaks sea-orm: it connects, migrates, and (from the tenancy
//! work on) offers tenant-scoped repositories. Entities never leave this module.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// A connection pool to the service's database, SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Connects, creating the directory of an SQLite file first so that the embedded default
    /// works on a fresh checkout.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Store> {
        if let Some(directory) = sqlite_directory(url) {
            std::fs::create_dir_all(directory).with_context(|| {
                format!("creating the database directory {}", directory.display())
            })?;
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
        let db = Database::connect(options)
            .await
            .context("connecting to the database")?;
        Ok(Store { db })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        Migrator::up(&self.db, None)
            .await
            .context("applying database migrations")
    }

    /// Names of the migrations applied so far, oldest first.
    pub async fn applied_migrations(&self) -> anyhow::Result<Vec<String>> {
        let applied = Migrator::get_applied_migrations(&self.db)
            .await
            .context("reading the applied migrations")?;
        Ok(applied.iter().map(|m| m.name().to_owned()).collect())
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.db.ping().await
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(self) -> anyhow::Result<()> {
        self.db.close().await.context("closing the database pool")
    }
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
