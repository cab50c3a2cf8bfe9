//! The sector a client works in (`public`, `nonprofit`, `business`), and an assessment's own
//! choice of it: questions and steps that do not fit the sector are left out (DOMAIN.md,
//! "Sector"). Both nullable: unknown leaves nothing out, and existing rows stay as they are.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one table and column per statement.
        for table in [Sectored::Clients, Sectored::Assessments] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string_len_null(Sectored::Sector, 16))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Sectored::Clients, Sectored::Assessments] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Sectored::Sector)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// The two tables and their new column.
#[derive(DeriveIden)]
enum Sectored {
    Clients,
    Assessments,
    Sector,
}
