//! Peer benchmarks. Clients get a NACE section; tenants opt in to sharing. Each opted-in
//! tenant's client keeps, per model, what it contributes (tenant-owned, under row-level security,
//! so that it can be withdrawn); what is read across tenants is only counts per cell, in tables
//! that carry no tenant or client id.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::security::{APP_ROLE, TENANT_MATCH, tenant_isolation};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns that name a peer cell: the model and version, then industry, size band and
/// country ('' when the organisation has none).
fn cell(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(string_len(Cell::ModelId, 64))
        .col(string_len(Cell::ModelVersion, 32))
        .col(string_len(Cell::Industry, 1))
        .col(string_len(Cell::SizeBand, 16))
        .col(string_len(Cell::Country, 2))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .add_column(string_len_null(Clients::NaceSection, 1))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .add_column(boolean(Tenants::BenchmarkSharing).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                cell(
                    Table::create()
                        .table(BenchmarkContributions::Table)
                        .col(uuid(BenchmarkContributions::TenantId))
                        .col(uuid(BenchmarkContributions::ClientId)),
                )
                .col(integer_null(BenchmarkContributions::StageOrder))
                .col(json_binary(BenchmarkContributions::Elements))
                .col(timestamp_with_time_zone(
                    BenchmarkContributions::SubmittedAt,
                ))
                .primary_key(
                    Index::create()
                        .col(BenchmarkContributions::TenantId)
                        .col(BenchmarkContributions::ClientId)
                        .col(Cell::ModelId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_benchmark_contributions_client")
                        .from(
                            BenchmarkContributions::Table,
                            (
                                BenchmarkContributions::TenantId,
                                BenchmarkContributions::ClientId,
                            ),
                        )
                        .to(Clients::Table, (Clients::TenantId, Clients::Id))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                cell(Table::create().table(BenchmarkGroups::Table))
                    .col(integer(BenchmarkGroups::Organisations))
                    .primary_key(cell_key(&mut Index::create()))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                cell(Table::create().table(BenchmarkStageCells::Table))
                    .col(integer(BenchmarkStageCells::StageOrder))
                    .col(integer(BenchmarkStageCells::Organisations))
                    .primary_key(
                        cell_key(&mut Index::create()).col(BenchmarkStageCells::StageOrder),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                cell(Table::create().table(BenchmarkElementCells::Table))
                    .col(string_len(BenchmarkElementCells::ElementId, 64))
                    .col(small_integer(BenchmarkElementCells::Bucket))
                    .col(boolean(BenchmarkElementCells::InPlace))
                    .col(integer(BenchmarkElementCells::Organisations))
                    .primary_key(
                        cell_key(&mut Index::create())
                            .col(BenchmarkElementCells::ElementId)
                            .col(BenchmarkElementCells::Bucket)
                            .col(BenchmarkElementCells::InPlace),
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            let mut statements = tenant_isolation(
                "benchmark_contributions",
                "SELECT, INSERT, UPDATE, DELETE",
                TENANT_MATCH,
            );
            // Counts only: no tenant's rows, so no row-level security; every tenant's
            // contribution changes them.
            statements.push(format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON benchmark_groups, benchmark_stage_cells, \
                 benchmark_element_cells TO {APP_ROLE}"
            ));
            for statement in statements {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BenchmarkElementCells::Table.into_iden(),
            BenchmarkStageCells::Table.into_iden(),
            BenchmarkGroups::Table.into_iden(),
            BenchmarkContributions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .drop_column(Tenants::BenchmarkSharing)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .drop_column(Clients::NaceSection)
                    .to_owned(),
            )
            .await
    }
}

fn cell_key(index: &mut IndexCreateStatement) -> &mut IndexCreateStatement {
    index
        .col(Cell::ModelId)
        .col(Cell::ModelVersion)
        .col(Cell::Industry)
        .col(Cell::SizeBand)
        .col(Cell::Country)
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
    Id,
    NaceSection,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    BenchmarkSharing,
}

#[derive(DeriveIden)]
enum Cell {
    ModelId,
    ModelVersion,
    Industry,
    SizeBand,
    Country,
}

#[derive(DeriveIden)]
enum BenchmarkContributions {
    Table,
    TenantId,
    ClientId,
    StageOrder,
    Elements,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum BenchmarkGroups {
    Table,
    Organisations,
}

#[derive(DeriveIden)]
enum BenchmarkStageCells {
    Table,
    StageOrder,
    Organisations,
}

#[derive(DeriveIden)]
enum BenchmarkElementCells {
    Table,
    ElementId,
    Bucket,
    InPlace,
    Organisations,
}
