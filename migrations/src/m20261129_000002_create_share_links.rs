//! Share links: read-only access to one assessment's report for whoever holds the link. Only a
//! hash of the link's token is kept. A link is found by that hash before its tenant is known, so
//! on PostgreSQL the platform lookup may read its rows (and only read them); its tenant owns them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::security::{TENANT_MATCH, tenant_isolation};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ShareLinks::Table)
                    .col(uuid(ShareLinks::TenantId))
                    .col(uuid(ShareLinks::Id))
                    .col(uuid(ShareLinks::AssessmentId))
                    .col(string_len(ShareLinks::TokenHash, 64))
                    .col(string_len(ShareLinks::Language, 8))
                    .col(timestamp_with_time_zone(ShareLinks::ExpiresAt))
                    .col(timestamp_with_time_zone(ShareLinks::CreatedAt))
                    .col(uuid_null(ShareLinks::CreatedBy))
                    .col(timestamp_with_time_zone_null(ShareLinks::RevokedAt))
                    .primary_key(
                        Index::create()
                            .col(ShareLinks::TenantId)
                            .col(ShareLinks::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_share_links_assessment")
                            .from(
                                ShareLinks::Table,
                                (ShareLinks::TenantId, ShareLinks::AssessmentId),
                            )
                            .to(Assessments::Table, (Assessments::TenantId, Assessments::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_share_links_token_hash")
                    .table(ShareLinks::Table)
                    .col(ShareLinks::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_share_links_assessment")
                    .table(ShareLinks::Table)
                    .col(ShareLinks::TenantId)
                    .col(ShareLinks::AssessmentId)
                    .col(ShareLinks::Id)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            let mut statements = tenant_isolation(
                "share_links",
                "SELECT, INSERT, UPDATE, DELETE",
                TENANT_MATCH,
            );
            // The lookup across tenants reads; only the link's own tenant writes.
            statements.push(
                "CREATE POLICY platform_lookup ON share_links FOR SELECT \
                 USING (current_setting('smm.platform', true) = 'on')"
                    .to_owned(),
            );
            for statement in statements {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ShareLinks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ShareLinks {
    Table,
    TenantId,
    Id,
    AssessmentId,
    TokenHash,
    Language,
    ExpiresAt,
    CreatedAt,
    CreatedBy,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    TenantId,
    Id,
}
