use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub respondent_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub indicator_id: String,
    pub value: Option<i16>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::respondent::Entity",
        from = "(Column::TenantId, Column::RespondentId)",
        to = "(super::respondent::Column::TenantId, super::respondent::Column::Id)"
    )]
    Respondent,
}

impl Related<super::respondent::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Respondent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
