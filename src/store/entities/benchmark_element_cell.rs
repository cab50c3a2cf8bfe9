use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "benchmark_element_cells")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub model_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub model_version: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub industry: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub size_band: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub element_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: i16,
    #[sea_orm(primary_key, auto_increment = false)]
    pub in_place: bool,
    pub organisations: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
