//! Idempotency keys become leases that expire: a key records what its request did (a typed
//! outcome, written in the same transaction as the change) rather than a response document, holds
//! a lease so that a key whose request died can be retried, and is deleted after its retention.
//! Keys written by the previous format cannot be replayed, so they are dropped.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(IdempotencyKeys::Table)
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        for column in [IdempotencyKeys::StatusCode, IdempotencyKeys::Response] {
            manager
                .alter_table(
                    Table::alter()
                        .table(IdempotencyKeys::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            json_binary_null(IdempotencyKeys::Outcome),
            timestamp_with_time_zone_null(IdempotencyKeys::LockedUntil),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(IdempotencyKeys::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_expiry")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::TenantId)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_idempotency_keys_expiry")
                    .table(IdempotencyKeys::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(IdempotencyKeys::Table)
                    .to_owned(),
            )
            .await?;
        for column in [IdempotencyKeys::Outcome, IdempotencyKeys::LockedUntil] {
            manager
                .alter_table(
                    Table::alter()
                        .table(IdempotencyKeys::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            integer_null(IdempotencyKeys::StatusCode),
            json_binary_null(IdempotencyKeys::Response),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(IdempotencyKeys::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    TenantId,
    StatusCode,
    Response,
    Outcome,
    LockedUntil,
    CreatedAt,
}
