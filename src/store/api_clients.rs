//! API clients: tenant-owned credentials. Every query names the transaction's tenant; on
//! PostgreSQL row-level security enforces the same.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::api_client;
use super::{Keyset, PlatformTx, StoreError, TenantTx};
use crate::domain::tenancy::{ApiClient, ClientId, ClientStatus, Scopes, TenantId};

/// What it takes to create a client; the secret arrives already hashed.
pub struct NewApiClient<'a> {
    pub id: ClientId,
    pub name: &'a str,
    pub scopes: &'a Scopes,
    pub secret_hash: &'a str,
}

impl TenantTx {
    pub async fn insert_client(
        &self,
        new: NewApiClient<'_>,
        now: DateTime<Utc>,
    ) -> Result<ApiClient, StoreError> {
        let row = api_client::ActiveModel {
            tenant_id: Set(self.tenant.0),
            id: Set(new.id.0),
            name: Set(new.name.to_owned()),
            scopes: Set(new.scopes.to_string()),
            secret_hash: Set(new.secret_hash.to_owned()),
            status: Set(ClientStatus::Active.as_str().to_owned()),
            created_at: Set(now),
            secret_rotated_at: Set(now),
            revoked_at: Set(None),
        }
        .insert(&self.txn)
        .await?;
        ApiClient::try_from(row)
    }

    pub async fn find_client(&self, id: ClientId) -> Result<Option<ApiClient>, StoreError> {
        api_client::Entity::find()
            .filter(api_client::Column::TenantId.eq(self.tenant.0))
            .filter(api_client::Column::Id.eq(id.0))
            .one(&self.txn)
            .await?
            .map(ApiClient::try_from)
            .transpose()
    }

    /// The tenant's clients in creation order.
    pub async fn list_clients(&self, page: Keyset) -> Result<Vec<ApiClient>, StoreError> {
        let mut query =
            api_client::Entity::find().filter(api_client::Column::TenantId.eq(self.tenant.0));
        if let Some(after) = page.after {
            query = query.filter(api_client::Column::Id.gt(after));
        }
        query
            .order_by_asc(api_client::Column::Id)
            .limit(page.limit)
            .all(&self.txn)
            .await?
            .into_iter()
            .map(ApiClient::try_from)
            .collect()
    }

    /// Marks a client revoked; `None` when the tenant has no such client.
    pub async fn revoke_client(
        &self,
        id: ClientId,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiClient>, StoreError> {
        self.change_client(id, |row| {
            row.status = Set(ClientStatus::Revoked.as_str().to_owned());
            row.revoked_at = Set(Some(now));
        })
        .await
    }

    /// Replaces a client's secret hash; `None` when the tenant has no such client.
    pub async fn rotate_client_secret(
        &self,
        id: ClientId,
        secret_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiClient>, StoreError> {
        self.change_client(id, |row| {
            row.secret_hash = Set(secret_hash.to_owned());
            row.secret_rotated_at = Set(now);
        })
        .await
    }

    async fn change_client(
        &self,
        id: ClientId,
        change: impl FnOnce(&mut api_client::ActiveModel),
    ) -> Result<Option<ApiClient>, StoreError> {
        let Some(existing) = api_client::Entity::find()
            .filter(api_client::Column::TenantId.eq(self.tenant.0))
            .filter(api_client::Column::Id.eq(id.0))
            .one(&self.txn)
            .await?
        else {
            return Ok(None);
        };
        let mut row: api_client::ActiveModel = existing.into();
        change(&mut row);
        ApiClient::try_from(row.update(&self.txn).await?).map(Some)
    }
}

impl PlatformTx {
    /// A client by id alone, whatever its tenant: the token endpoint's first step.
    pub async fn find_client_by_id(&self, id: ClientId) -> Result<Option<ApiClient>, StoreError> {
        api_client::Entity::find()
            .filter(api_client::Column::Id.eq(id.0))
            .one(&self.txn)
            .await?
            .map(ApiClient::try_from)
            .transpose()
    }
}

impl TryFrom<api_client::Model> for ApiClient {
    type Error = StoreError;

    fn try_from(row: api_client::Model) -> Result<Self, Self::Error> {
        Ok(ApiClient {
            tenant_id: TenantId(row.tenant_id),
            id: ClientId(row.id),
            scopes: row.scopes.parse().map_err(StoreError::Corrupt)?,
            status: row.status.parse().map_err(StoreError::Corrupt)?,
            name: row.name,
            secret_hash: row.secret_hash,
            created_at: row.created_at,
            secret_rotated_at: row.secret_rotated_at,
            revoked_at: row.revoked_at,
        })
    }
}
