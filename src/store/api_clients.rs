//! API clients: tenant-owned credentials. Every query names the transaction's tenant; on
//! PostgreSQL row-level security enforces the same.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::api_client;
use super::{Keyset, PlatformTx, StoreError, TenantTx};
use crate::domain::tenancy::{ApiClient, ApiClientId, ClientStatus, Scopes, TenantId};

/// What it takes to create a client; the secret arrives already hashed.
pub struct NewApiClient<'a> {
    pub id: ApiClientId,
    pub name: &'a str,
    pub scopes: &'a Scopes,
    pub secret_hash: &'a str,
}

/// The API clients repository of one tenant transaction.
pub struct ApiClients<'t>(pub(super) &'t TenantTx);

impl ApiClients<'_> {
    #[tracing::instrument(level = "debug", skip_all, fields(id = %new.id))]
    pub async fn insert(
        &self,
        new: NewApiClient<'_>,
        now: DateTime<Utc>,
    ) -> Result<ApiClient, StoreError> {
        let row = api_client::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(new.id.0),
            name: Set(new.name.to_owned()),
            scopes: Set(new.scopes.to_string()),
            secret_hash: Set(new.secret_hash.to_owned()),
            status: Set(ClientStatus::Active.as_str().to_owned()),
            created_at: Set(now),
            secret_rotated_at: Set(now),
            revoked_at: Set(None),
        }
        .insert(&self.0.txn)
        .await?;
        ApiClient::try_from(row)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn find(&self, id: ApiClientId) -> Result<Option<ApiClient>, StoreError> {
        api_client::Entity::find()
            .filter(api_client::Column::TenantId.eq(self.0.tenant.0))
            .filter(api_client::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?
            .map(ApiClient::try_from)
            .transpose()
    }

    /// The tenant's clients in creation order.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list(&self, page: Keyset) -> Result<Vec<ApiClient>, StoreError> {
        let mut query =
            api_client::Entity::find().filter(api_client::Column::TenantId.eq(self.0.tenant.0));
        if let Some(after) = page.after {
            query = query.filter(api_client::Column::Id.gt(after));
        }
        query
            .order_by_asc(api_client::Column::Id)
            .limit(page.limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(ApiClient::try_from)
            .collect()
    }

    /// Marks a client revoked; `None` when the tenant has no such client.
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn revoke(
        &self,
        id: ApiClientId,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiClient>, StoreError> {
        self.change(id, |row| {
            row.status = Set(ClientStatus::Revoked.as_str().to_owned());
            row.revoked_at = Set(Some(now));
        })
        .await
    }

    /// Replaces a client's secret hash; `None` when the tenant has no such client.
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn rotate_secret(
        &self,
        id: ApiClientId,
        secret_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiClient>, StoreError> {
        self.change(id, |row| {
            row.secret_hash = Set(secret_hash.to_owned());
            row.secret_rotated_at = Set(now);
        })
        .await
    }

    async fn change(
        &self,
        id: ApiClientId,
        change: impl FnOnce(&mut api_client::ActiveModel),
    ) -> Result<Option<ApiClient>, StoreError> {
        let Some(existing) = api_client::Entity::find()
            .filter(api_client::Column::TenantId.eq(self.0.tenant.0))
            .filter(api_client::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?
        else {
            return Ok(None);
        };
        let mut row: api_client::ActiveModel = existing.into();
        change(&mut row);
        ApiClient::try_from(row.update(&self.0.txn).await?).map(Some)
    }
}

impl PlatformTx {
    /// A client by id alone, whatever its tenant: the token endpoint's first step.
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn find_client_by_id(
        &self,
        id: ApiClientId,
    ) -> Result<Option<ApiClient>, StoreError> {
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
            id: ApiClientId(row.id),
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
