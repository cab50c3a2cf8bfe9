//! The database schema, as an ordered list of migrations (one per file, named
//! `mYYYYMMDD_HHMMSS_verb_noun.rs`). They run at start-up and with `smm migrate`, on SQLite and on
//! PostgreSQL alike; PostgreSQL-only statements (roles, row-level security) are guarded by backend.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_tenancy;
mod m20261122_000002_create_assessments;
mod m20261129_000001_lease_idempotency_keys;
mod m20261129_000002_create_share_links;
mod m20261129_000003_create_benchmarks;
mod m20261129_000004_create_webhooks;
mod m20261204_000001_add_sector;

mod security;

pub use security::APP_ROLE;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_tenancy::Migration),
            Box::new(m20261122_000002_create_assessments::Migration),
            Box::new(m20261129_000001_lease_idempotency_keys::Migration),
            Box::new(m20261129_000002_create_share_links::Migration),
            Box::new(m20261129_000003_create_benchmarks::Migration),
            Box::new(m20261129_000004_create_webhooks::Migration),
            Box::new(m20261204_000001_add_sector::Migration),
        ]
    }
}
