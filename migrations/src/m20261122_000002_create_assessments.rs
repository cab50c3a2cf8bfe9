//! Assessments: the client organisations an agency assesses, assessments of them on chosen models,
//! respondents and their answers, the results stored at submission, and idempotency keys.
//! Tenant-owned throughout: `(tenant_id, …)` keys, foreign keys that include `tenant_id`, and on
//! PostgreSQL the same row-level security as the tenancy tables.

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
                    .table(Clients::Table)
                    .col(uuid(Clients::TenantId))
                    .col(uuid(Clients::Id))
                    .col(string_len(Clients::Name, 200))
                    .col(string_len_null(Clients::Industry, 100))
                    .col(string_len_null(Clients::SizeBand, 16))
                    .col(string_len_null(Clients::Country, 2))
                    .col(text_null(Clients::Notes))
                    .col(timestamp_with_time_zone(Clients::CreatedAt))
                    .col(timestamp_with_time_zone(Clients::UpdatedAt))
                    .primary_key(Index::create().col(Clients::TenantId).col(Clients::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_clients_tenant")
                            .from(Clients::Table, Clients::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Assessments::Table)
                    .col(uuid(Assessments::TenantId))
                    .col(uuid(Assessments::Id))
                    .col(uuid(Assessments::ClientId))
                    .col(string_len(Assessments::Title, 200))
                    .col(json_binary(Assessments::Models))
                    .col(string_len(Assessments::Status, 16))
                    .col(timestamp_with_time_zone(Assessments::CreatedAt))
                    .col(timestamp_with_time_zone_null(Assessments::SubmittedAt))
                    .primary_key(
                        Index::create()
                            .col(Assessments::TenantId)
                            .col(Assessments::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_assessments_client")
                            .from(
                                Assessments::Table,
                                (Assessments::TenantId, Assessments::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_assessments_client")
                    .table(Assessments::Table)
                    .col(Assessments::TenantId)
                    .col(Assessments::ClientId)
                    .col(Assessments::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Respondents::Table)
                    .col(uuid(Respondents::TenantId))
                    .col(uuid(Respondents::Id))
                    .col(uuid(Respondents::AssessmentId))
                    .col(string_len(Respondents::Label, 200))
                    .col(timestamp_with_time_zone(Respondents::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(Respondents::TenantId)
                            .col(Respondents::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_respondents_assessment")
                            .from(
                                Respondents::Table,
                                (Respondents::TenantId, Respondents::AssessmentId),
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
                    .name("ix_respondents_assessment")
                    .table(Respondents::Table)
                    .col(Respondents::TenantId)
                    .col(Respondents::AssessmentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Answers::Table)
                    .col(uuid(Answers::TenantId))
                    .col(uuid(Answers::RespondentId))
                    .col(string_len(Answers::IndicatorId, 64))
                    .col(small_integer_null(Answers::Value))
                    .col(timestamp_with_time_zone(Answers::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Answers::TenantId)
                            .col(Answers::RespondentId)
                            .col(Answers::IndicatorId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answers_respondent")
                            .from(Answers::Table, (Answers::TenantId, Answers::RespondentId))
                            .to(Respondents::Table, (Respondents::TenantId, Respondents::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssessmentResults::Table)
                    .col(uuid(AssessmentResults::TenantId))
                    .col(uuid(AssessmentResults::AssessmentId))
                    .col(json_binary(AssessmentResults::Documents))
                    .col(timestamp_with_time_zone(AssessmentResults::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(AssessmentResults::TenantId)
                            .col(AssessmentResults::AssessmentId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_results_assessment")
                            .from(
                                AssessmentResults::Table,
                                (AssessmentResults::TenantId, AssessmentResults::AssessmentId),
                            )
                            .to(Assessments::Table, (Assessments::TenantId, Assessments::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(uuid(IdempotencyKeys::TenantId))
                    .col(string_len(IdempotencyKeys::Key, 255))
                    .col(string_len(IdempotencyKeys::RequestHash, 64))
                    .col(integer_null(IdempotencyKeys::StatusCode))
                    .col(json_binary_null(IdempotencyKeys::Response))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::TenantId)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            let tables = [
                "clients",
                "assessments",
                "respondents",
                "answers",
                "assessment_results",
                "idempotency_keys",
            ];
            for table in tables {
                for statement in
                    tenant_isolation(table, "SELECT, INSERT, UPDATE, DELETE", TENANT_MATCH)
                {
                    db.execute_unprepared(&statement).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKeys::Table.into_iden(),
            AssessmentResults::Table.into_iden(),
            Answers::Table.into_iden(),
            Respondents::Table.into_iden(),
            Assessments::Table.into_iden(),
            Clients::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
    Id,
    Name,
    Industry,
    SizeBand,
    Country,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    TenantId,
    Id,
    ClientId,
    Title,
    /// `[{model_id, version, target}]`: the models and the versions they are pinned to.
    Models,
    Status,
    CreatedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Respondents {
    Table,
    TenantId,
    Id,
    AssessmentId,
    Label,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Answers {
    Table,
    TenantId,
    RespondentId,
    IndicatorId,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AssessmentResults {
    Table,
    TenantId,
    AssessmentId,
    /// The rendered result documents per language: `{"en": [...], "nl": [...]}`.
    Documents,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    TenantId,
    Key,
    RequestHash,
    StatusCode,
    Response,
    CreatedAt,
}
