//! Webhooks. A tenant's endpoints and their signing secrets; the outbox of events, written in the
//! transaction of the change each reports; and one delivery per event and subscribed endpoint,
//! which the delivery workers of every replica claim when due. All four are tenant-owned; on
//! PostgreSQL the workers (across tenants, before a tenant is known) may read and update
//! deliveries to claim them, and read and delete events to prune them, and nothing else.

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
                    .table(WebhookEndpoints::Table)
                    .col(uuid(WebhookEndpoints::TenantId))
                    .col(uuid(WebhookEndpoints::Id))
                    .col(string_len(WebhookEndpoints::Url, 2048))
                    .col(string_len(WebhookEndpoints::EventTypes, 512))
                    .col(string_len(WebhookEndpoints::Description, 500))
                    .col(boolean(WebhookEndpoints::Enabled))
                    .col(string_len_null(WebhookEndpoints::DisabledReason, 32))
                    .col(timestamp_with_time_zone_null(
                        WebhookEndpoints::FailingSince,
                    ))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(WebhookEndpoints::TenantId)
                            .col(WebhookEndpoints::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookSecrets::Table)
                    .col(uuid(WebhookSecrets::TenantId))
                    .col(uuid(WebhookSecrets::Id))
                    .col(uuid(WebhookSecrets::EndpointId))
                    .col(string_len(WebhookSecrets::Secret, 128))
                    .col(timestamp_with_time_zone(WebhookSecrets::CreatedAt))
                    .col(timestamp_with_time_zone_null(WebhookSecrets::ExpiresAt))
                    .primary_key(
                        Index::create()
                            .col(WebhookSecrets::TenantId)
                            .col(WebhookSecrets::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_secrets_endpoint")
                            .from(
                                WebhookSecrets::Table,
                                (WebhookSecrets::TenantId, WebhookSecrets::EndpointId),
                            )
                            .to(
                                WebhookEndpoints::Table,
                                (WebhookEndpoints::TenantId, WebhookEndpoints::Id),
                            )
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_secrets_endpoint")
                    .table(WebhookSecrets::Table)
                    .col(WebhookSecrets::TenantId)
                    .col(WebhookSecrets::EndpointId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvents::Table)
                    .col(uuid(WebhookEvents::TenantId))
                    .col(uuid(WebhookEvents::Id))
                    .col(string_len(WebhookEvents::EventType, 64))
                    .col(uuid_null(WebhookEvents::SubjectId))
                    .col(uuid_null(WebhookEvents::ClientId))
                    .col(timestamp_with_time_zone(WebhookEvents::OccurredAt))
                    .col(timestamp_with_time_zone(WebhookEvents::ScheduledAt))
                    .col(json_binary(WebhookEvents::Data))
                    .primary_key(
                        Index::create()
                            .col(WebhookEvents::TenantId)
                            .col(WebhookEvents::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_events_subject")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::TenantId)
                    .col(WebhookEvents::EventType)
                    .col(WebhookEvents::SubjectId)
                    .col(WebhookEvents::ScheduledAt)
                    .to_owned(),
            )
            .await?;
        // Forgetting a deleted client's events.
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_events_client")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::TenantId)
                    .col(WebhookEvents::ClientId)
                    .to_owned(),
            )
            .await?;
        // Pruning old events.
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_events_occurred")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::OccurredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(uuid(WebhookDeliveries::TenantId))
                    .col(uuid(WebhookDeliveries::Id))
                    .col(uuid(WebhookDeliveries::EndpointId))
                    .col(uuid(WebhookDeliveries::EventId))
                    .col(string_len(WebhookDeliveries::EventType, 64))
                    .col(string_len(WebhookDeliveries::Status, 16))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::NextAttemptAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::LastAttemptAt,
                    ))
                    .col(integer_null(WebhookDeliveries::ResponseStatus))
                    .col(integer_null(WebhookDeliveries::LatencyMs))
                    .col(string_len_null(WebhookDeliveries::LastError, 300))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(WebhookDeliveries::TenantId)
                            .col(WebhookDeliveries::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_endpoint")
                            .from(
                                WebhookDeliveries::Table,
                                (WebhookDeliveries::TenantId, WebhookDeliveries::EndpointId),
                            )
                            .to(
                                WebhookEndpoints::Table,
                                (WebhookEndpoints::TenantId, WebhookEndpoints::Id),
                            )
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_webhook_deliveries_event")
                            .from(
                                WebhookDeliveries::Table,
                                (WebhookDeliveries::TenantId, WebhookDeliveries::EventId),
                            )
                            .to(
                                WebhookEvents::Table,
                                (WebhookEvents::TenantId, WebhookEvents::Id),
                            )
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The workers' claim: due deliveries, earliest first.
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_due")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        // An endpoint's delivery log, newest first, and the events a replay re-sends.
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_endpoint")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::TenantId)
                    .col(WebhookDeliveries::EndpointId)
                    .col(WebhookDeliveries::Id)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            let mut statements = Vec::new();
            for table in [
                "webhook_endpoints",
                "webhook_secrets",
                "webhook_events",
                "webhook_deliveries",
            ] {
                statements.extend(tenant_isolation(
                    table,
                    "SELECT, INSERT, UPDATE, DELETE",
                    TENANT_MATCH,
                ));
            }
            // The workers find due deliveries of every tenant and lease them (an UPDATE; and
            // `FOR UPDATE SKIP LOCKED` needs the UPDATE policy too). Everything else a delivery
            // needs is read in a transaction of its own tenant.
            statements.push(
                "CREATE POLICY platform_claim_read ON webhook_deliveries FOR SELECT \
                 USING (current_setting('smm.platform', true) = 'on')"
                    .to_owned(),
            );
            statements.push(
                "CREATE POLICY platform_claim_lease ON webhook_deliveries FOR UPDATE \
                 USING (current_setting('smm.platform', true) = 'on') \
                 WITH CHECK (current_setting('smm.platform', true) = 'on')"
                    .to_owned(),
            );
            // The workers prune events past the replay window (their deliveries go with them).
            statements.push(
                "CREATE POLICY platform_prune_read ON webhook_events FOR SELECT \
                 USING (current_setting('smm.platform', true) = 'on')"
                    .to_owned(),
            );
            statements.push(
                "CREATE POLICY platform_prune ON webhook_events FOR DELETE \
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
        for table in [
            WebhookDeliveries::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            WebhookSecrets::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    TenantId,
    Id,
    Url,
    EventTypes,
    Description,
    Enabled,
    DisabledReason,
    FailingSince,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookSecrets {
    Table,
    TenantId,
    Id,
    EndpointId,
    Secret,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    TenantId,
    Id,
    EventType,
    SubjectId,
    ClientId,
    OccurredAt,
    ScheduledAt,
    Data,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    TenantId,
    Id,
    EndpointId,
    EventId,
    EventType,
    Status,
    Attempts,
    NextAttemptAt,
    LastAttemptAt,
    ResponseStatus,
    LatencyMs,
    LastError,
    CreatedAt,
}
