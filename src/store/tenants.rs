//! Tenants. The table is the root of tenancy and has no tenant column to isolate on: listing is for
//! platform operators; a tenant's own row is changed inside that tenant's transaction so that the
//! change and its audit event commit together.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::tenant;
use super::{Keyset, Store, StoreError, TenantTx};
use crate::domain::tenancy::{Tenant, TenantId, TenantStatus};

impl Store {
    pub async fn find_tenant(&self, id: TenantId) -> Result<Option<Tenant>, StoreError> {
        tenant::Entity::find_by_id(id.0)
            .one(self.global())
            .await?
            .map(Tenant::try_from)
            .transpose()
    }

    /// Tenants in creation order (ids are time-ordered UUIDv7), without the platform tenant.
    pub async fn list_tenants(&self, page: Keyset) -> Result<Vec<Tenant>, StoreError> {
        let mut query = tenant::Entity::find().filter(tenant::Column::Id.ne(TenantId::PLATFORM.0));
        if let Some(after) = page.after {
            query = query.filter(tenant::Column::Id.gt(after));
        }
        query
            .order_by_asc(tenant::Column::Id)
            .limit(page.limit)
            .all(self.global())
            .await?
            .into_iter()
            .map(Tenant::try_from)
            .collect()
    }
}

impl TenantTx {
    /// Creates this transaction's tenant.
    pub async fn insert_tenant(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Tenant, StoreError> {
        let row = tenant::ActiveModel {
            id: Set(self.tenant.0),
            name: Set(name.to_owned()),
            status: Set(TenantStatus::Active.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.txn)
        .await?;
        Tenant::try_from(row)
    }

    /// This transaction's tenant, locked against concurrent changes until commit.
    pub async fn find_own_tenant(&self) -> Result<Option<Tenant>, StoreError> {
        tenant::Entity::find_by_id(self.tenant.0)
            .one(&self.txn)
            .await?
            .map(Tenant::try_from)
            .transpose()
    }

    /// Changes this transaction's tenant; `None` when it does not exist.
    pub async fn update_tenant(
        &self,
        name: Option<&str>,
        status: Option<TenantStatus>,
        now: DateTime<Utc>,
    ) -> Result<Option<Tenant>, StoreError> {
        let Some(existing) = tenant::Entity::find_by_id(self.tenant.0)
            .one(&self.txn)
            .await?
        else {
            return Ok(None);
        };
        let mut row: tenant::ActiveModel = existing.into();
        if let Some(name) = name {
            row.name = Set(name.to_owned());
        }
        if let Some(status) = status {
            row.status = Set(status.as_str().to_owned());
        }
        row.updated_at = Set(now);
        Tenant::try_from(row.update(&self.txn).await?).map(Some)
    }
}

impl TryFrom<tenant::Model> for Tenant {
    type Error = StoreError;

    fn try_from(row: tenant::Model) -> Result<Self, Self::Error> {
        Ok(Tenant {
            id: TenantId(row.id),
            status: row.status.parse().map_err(StoreError::Corrupt)?,
            name: row.name,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}
