//! Tenants. The table is the root of tenancy and has no tenant column to isolate on: listing is for
//! platform operators; a tenant's own row is changed inside that tenant's transaction so that the
//! change and its audit event commit together.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::tenant;
use super::{Keyset, Store, StoreError, TenantTx};
use crate::domain::tenancy::{Tenant, TenantId, TenantStatus};

impl Store {
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn find_tenant(&self, id: TenantId) -> Result<Option<Tenant>, StoreError> {
        tenant::Entity::find_by_id(id.0)
            .one(self.global())
            .await?
            .map(Tenant::try_from)
            .transpose()
    }

    /// Tenants in creation order (ids are time-ordered UUIDv7), without the platform tenant.
    #[tracing::instrument(level = "debug", skip_all)]
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

/// The transaction's own tenant row.
pub struct OwnTenant<'t>(pub(super) &'t TenantTx);

impl OwnTenant<'_> {
    /// Creates this transaction's tenant.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert(&self, name: &str, now: DateTime<Utc>) -> Result<Tenant, StoreError> {
        let row = tenant::ActiveModel {
            id: Set(self.0.tenant.0),
            name: Set(name.to_owned()),
            status: Set(TenantStatus::Active.as_str().to_owned()),
            benchmark_sharing: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.0.txn)
        .await?;
        Tenant::try_from(row)
    }

    /// This transaction's tenant.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn find(&self) -> Result<Option<Tenant>, StoreError> {
        tenant::Entity::find_by_id(self.0.tenant.0)
            .one(&self.0.txn)
            .await?
            .map(Tenant::try_from)
            .transpose()
    }

    /// This transaction's tenant, locked until the transaction ends on PostgreSQL: `shared` lets
    /// other shared holders in (submissions reading whether the tenant shares), exclusive does not
    /// (changing whether it shares). SQLite runs one writer at a time anyway.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn lock(&self, shared: bool) -> Result<Option<Tenant>, StoreError> {
        let mut query = tenant::Entity::find_by_id(self.0.tenant.0);
        if self.0.txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            query = if shared {
                query.lock_shared()
            } else {
                query.lock_exclusive()
            };
        }
        query
            .one(&self.0.txn)
            .await?
            .map(Tenant::try_from)
            .transpose()
    }

    /// Changes this transaction's tenant; `None` when it does not exist.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update(
        &self,
        changes: TenantUpdate<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<Tenant>, StoreError> {
        let Some(existing) = tenant::Entity::find_by_id(self.0.tenant.0)
            .one(&self.0.txn)
            .await?
        else {
            return Ok(None);
        };
        let mut row: tenant::ActiveModel = existing.into();
        if let Some(name) = changes.name {
            row.name = Set(name.to_owned());
        }
        if let Some(status) = changes.status {
            row.status = Set(status.as_str().to_owned());
        }
        if let Some(sharing) = changes.benchmark_sharing {
            row.benchmark_sharing = Set(sharing);
        }
        row.updated_at = Set(now);
        Tenant::try_from(row.update(&self.0.txn).await?).map(Some)
    }
}

/// What to change on a tenant; `None` leaves a field as it is.
#[derive(Clone, Copy, Debug, Default)]
pub struct TenantUpdate<'a> {
    pub name: Option<&'a str>,
    pub status: Option<TenantStatus>,
    pub benchmark_sharing: Option<bool>,
}

impl TryFrom<tenant::Model> for Tenant {
    type Error = StoreError;

    fn try_from(row: tenant::Model) -> Result<Self, Self::Error> {
        Ok(Tenant {
            id: TenantId(row.id),
            status: row.status.parse().map_err(StoreError::Corrupt)?,
            name: row.name,
            benchmark_sharing: row.benchmark_sharing,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}
