//! The organisations of the transaction's tenant (the API's "clients").

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::organisation;
use super::{Keyset, StoreError, TenantTx};
use crate::domain::assessment::{Organisation, OrganisationFields};
use crate::domain::ids::OrganisationId;

/// The organisations repository of one tenant transaction.
pub struct Organisations<'t>(pub(super) &'t TenantTx);

impl Organisations<'_> {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert(
        &self,
        fields: OrganisationFields,
        now: DateTime<Utc>,
    ) -> Result<Organisation, StoreError> {
        let row = organisation::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(OrganisationId::generate().0),
            name: Set(fields.name.unwrap_or_default()),
            industry: Set(fields.industry.flatten()),
            nace_section: Set(fields.nace_section.flatten().map(|s| s.code().to_owned())),
            size_band: Set(fields.size_band.flatten()),
            country: Set(fields.country.flatten()),
            notes: Set(fields.notes.flatten()),
            sector: Set(fields.sector.flatten().map(|s| s.as_str().to_owned())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.0.txn)
        .await?;
        Organisation::try_from(row)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn find(&self, id: OrganisationId) -> Result<Option<Organisation>, StoreError> {
        self.row(id).await?.map(Organisation::try_from).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list(&self, page: Keyset) -> Result<Vec<Organisation>, StoreError> {
        let mut query =
            organisation::Entity::find().filter(organisation::Column::TenantId.eq(self.0.tenant.0));
        if let Some(after) = page.after {
            query = query.filter(organisation::Column::Id.gt(after));
        }
        query
            .order_by_asc(organisation::Column::Id)
            .limit(page.limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(Organisation::try_from)
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn update(
        &self,
        id: OrganisationId,
        fields: OrganisationFields,
        now: DateTime<Utc>,
    ) -> Result<Option<Organisation>, StoreError> {
        let Some(existing) = self.row(id).await? else {
            return Ok(None);
        };
        let mut row: organisation::ActiveModel = existing.into();
        if let Some(name) = fields.name {
            row.name = Set(name);
        }
        if let Some(industry) = fields.industry {
            row.industry = Set(industry);
        }
        if let Some(section) = fields.nace_section {
            row.nace_section = Set(section.map(|s| s.code().to_owned()));
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
        if let Some(sector) = fields.sector {
            row.sector = Set(sector.map(|s| s.as_str().to_owned()));
        }
        row.updated_at = Set(now);
        Organisation::try_from(row.update(&self.0.txn).await?).map(Some)
    }

    /// Deletes an organisation with its assessments, respondents, answers and results; `false`
    /// when it does not exist.
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn delete(&self, id: OrganisationId) -> Result<bool, StoreError> {
        let deleted = organisation::Entity::delete_many()
            .filter(organisation::Column::TenantId.eq(self.0.tenant.0))
            .filter(organisation::Column::Id.eq(id.0))
            .exec(&self.0.txn)
            .await?;
        Ok(deleted.rows_affected == 1)
    }

    async fn row(&self, id: OrganisationId) -> Result<Option<organisation::Model>, StoreError> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::TenantId.eq(self.0.tenant.0))
            .filter(organisation::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?)
    }
}

impl TryFrom<organisation::Model> for Organisation {
    type Error = StoreError;

    fn try_from(row: organisation::Model) -> Result<Self, Self::Error> {
        Ok(Organisation {
            id: OrganisationId(row.id),
            size_band: row
                .size_band
                .map(|b| b.parse())
                .transpose()
                .map_err(StoreError::Corrupt)?,
            nace_section: row
                .nace_section
                .map(|s| s.parse())
                .transpose()
                .map_err(StoreError::Corrupt)?,
            sector: row
                .sector
                .map(|s| s.parse())
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
