//! Client organisations of the transaction's tenant.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, ModelTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use uuid::Uuid;

use super::entities::organisation;
use super::{Keyset, StoreError, TenantTx};
use crate::domain::assessment::Organisation;

/// The fields of an organisation a caller sets; `None` leaves a field unchanged on update.
#[derive(Clone, Debug, Default)]
pub struct OrganisationFields {
    pub name: Option<String>,
    pub industry: Option<Option<String>>,
    pub size_band: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

impl TenantTx {
    pub async fn insert_organisation(
        &self,
        fields: OrganisationFields,
        now: DateTime<Utc>,
    ) -> Result<Organisation, StoreError> {
        let row = organisation::ActiveModel {
            tenant_id: Set(self.tenant.0),
            id: Set(Uuid::now_v7()),
            name: Set(fields.name.unwrap_or_default()),
            industry: Set(fields.industry.flatten()),
            size_band: Set(fields.size_band.flatten()),
            country: Set(fields.country.flatten()),
            notes: Set(fields.notes.flatten()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.txn)
        .await?;
        Organisation::try_from(row)
    }

    pub async fn find_organisation(&self, id: Uuid) -> Result<Option<Organisation>, StoreError> {
        self.organisation_row(id)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    pub async fn list_organisations(&self, page: Keyset) -> Result<Vec<Organisation>, StoreError> {
        let mut query =
            organisation::Entity::find().filter(organisation::Column::TenantId.eq(self.tenant.0));
        if let Some(after) = page.after {
            query = query.filter(organisation::Column::Id.gt(after));
        }
        query
            .order_by_asc(organisation::Column::Id)
            .limit(page.limit)
            .all(&self.txn)
            .await?
            .into_iter()
            .map(Organisation::try_from)
            .collect()
    }

    pub async fn update_organisation(
        &self,
        id: Uuid,
        fields: OrganisationFields,
        now: DateTime<Utc>,
    ) -> Result<Option<Organisation>, StoreError> {
        let Some(existing) = self.organisation_row(id).await? else {
            return Ok(None);
        };
        let mut row: organisation::ActiveModel = existing.into();
        if let Some(name) = fields.name {
            row.name = Set(name);
        }
        if let Some(industry) = fields.industry {
            row.industry = Set(industry);
        }
        if let Some(size_band) = fields.size_band {
            row.size_band = Set(size_band);
        }
        if let Some(country) = fields.country {
            row.country = Set(country);
        }
        if let Some(notes) = fields.notes {
            row.notes = Set(notes);
        }
        row.updated_at = Set(now);
        Organisation::try_from(row.update(&self.txn).await?).map(Some)
    }

    /// Deletes an organisation with its assessments, respondents, answers and results; `false`
    /// when it does not exist.
    pub async fn delete_organisation(&self, id: Uuid) -> Result<bool, StoreError> {
        let Some(row) = self.organisation_row(id).await? else {
            return Ok(false);
        };
        row.delete(&self.txn).await?;
        Ok(true)
    }

    async fn organisation_row(&self, id: Uuid) -> Result<Option<organisation::Model>, StoreError> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::TenantId.eq(self.tenant.0))
            .filter(organisation::Column::Id.eq(id))
            .one(&self.txn)
            .await?)
    }
}

impl TryFrom<organisation::Model> for Organisation {
    type Error = StoreError;

    fn try_from(row: organisation::Model) -> Result<Self, Self::Error> {
        Ok(Organisation {
            id: row.id,
            size_band: row
                .size_band
                .map(|b| b.parse())
                .transpose()
                .map_err(StoreError::Corrupt)?,
            name: row.name,
            industry: row.industry,
            country: row.country,
            notes: row.notes,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}
