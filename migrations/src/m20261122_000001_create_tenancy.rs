//! Tenancy: tenants, their API clients, the token signing keys of the embedded default, and the
//! append-only audit log. Every tenant-owned table keys on `(tenant_id, id)` and references other
//! tenant-owned rows with `tenant_id` included, so the store can later be distributed by tenant
//! (Citus). On PostgreSQL, row-level security backs up the repositories' tenant filter.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

use crate::security::{APP_ROLE, TENANT_MATCH, tenant_isolation};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .col(uuid(Tenants::Id).primary_key())
                    .col(string_len(Tenants::Name, 200))
                    .col(string_len(Tenants::Status, 16))
                    .col(timestamp_with_time_zone(Tenants::CreatedAt))
                    .col(timestamp_with_time_zone(Tenants::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiClients::Table)
                    .col(uuid(ApiClients::TenantId))
                    .col(uuid(ApiClients::Id))
                    .col(string_len(ApiClients::Name, 200))
                    .col(string_len(ApiClients::Scopes, 500))
                    .col(string_len(ApiClients::SecretHash, 64))
                    .col(string_len(ApiClients::Status, 16))
                    .col(timestamp_with_time_zone(ApiClients::CreatedAt))
                    .col(timestamp_with_time_zone(ApiClients::SecretRotatedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::RevokedAt))
                    .primary_key(
                        Index::create()
                            .col(ApiClients::TenantId)
                            .col(ApiClients::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_clients_tenant")
                            .from(ApiClients::Table, ApiClients::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The token endpoint knows only the client id.
        manager
            .create_index(
                Index::create()
                    .name("ix_api_clients_id")
                    .table(ApiClients::Table)
                    .col(ApiClients::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(uuid(AuditEvents::TenantId))
                    .col(uuid(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(uuid_null(AuditEvents::ActorClientId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::TargetType, 32))
                    .col(string_len_null(AuditEvents::TargetId, 64))
                    .col(json_binary(AuditEvents::Details))
                    .primary_key(
                        Index::create()
                            .col(AuditEvents::TenantId)
                            .col(AuditEvents::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_events_tenant")
                            .from(AuditEvents::Table, AuditEvents::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(string_len(SigningKeys::Kid, 64).primary_key())
                    .col(string_len(SigningKeys::Algorithm, 16))
                    .col(text(SigningKeys::PrivateKeyPem))
                    .col(timestamp_with_time_zone(SigningKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            for statement in postgres_security() {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SigningKeys::Table.into_iden(),
            AuditEvents::Table.into_iden(),
            ApiClients::Table.into_iden(),
            Tenants::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// The application role, its grants, and the tenant isolation policies.
///
/// Roles are cluster-wide, so creating one tolerates its existence (and a concurrent creation by
/// another database's migration). `smm.tenant_id` is set per transaction by the store; unset, it
/// reads as NULL (or '' once used in the session), which matches no row. `smm.platform` is set
/// only by the token endpoint's client lookup, which must find a client before knowing its tenant.
fn postgres_security() -> Vec<String> {
    let role = APP_ROLE;
    let tenant_or_platform =
        format!("{TENANT_MATCH} OR current_setting('smm.platform', true) = 'on'");
    let mut statements = vec![
        format!(
            "DO $$ BEGIN CREATE ROLE {role} NOLOGIN; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        ),
        format!(
            "DO $$ BEGIN GRANT {role} TO CURRENT_USER; \
             EXCEPTION WHEN OTHERS THEN NULL; END $$"
        ),
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, signing_keys TO {role}"),
    ];
    statements.extend(tenant_isolation(
        "api_clients",
        "SELECT, INSERT, UPDATE, DELETE",
        &tenant_or_platform,
    ));
    // Append-only: the service can write audit events but never change or remove them.
    statements.extend(tenant_isolation(
        "audit_events",
        "SELECT, INSERT",
        &tenant_or_platform,
    ));
    statements
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    Name,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    TenantId,
    Id,
    Name,
    Scopes,
    SecretHash,
    Status,
    CreatedAt,
    SecretRotatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    TenantId,
    Id,
    OccurredAt,
    ActorClientId,
    Action,
    TargetType,
    TargetId,
    Details,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Kid,
    Algorithm,
    PrivateKeyPem,
    CreatedAt,
}
