//! Idempotency keys: the first request with a key claims it; a repeat with the same request gets
//! the stored response; a concurrent repeat sees the claim still open; a different request with
//! the same key is refused. Keys are per tenant and kept (at least 24 hours; currently forever).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, ModelTrait, QueryFilter, Set};

use super::entities::idempotency_key;
use super::{Store, StoreError};
use crate::domain::tenancy::TenantId;

/// What a key's claim found.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// The key is new and now claimed by this request.
    Claimed,
    /// Another request with this key is still being processed.
    InProgress,
    /// The key was used with a different request.
    Mismatch,
    /// The key's request completed with this response.
    Completed {
        status: u16,
        body: serde_json::Value,
    },
}

impl Store {
    /// Claims `key` for a request whose content hashes to `request_hash`, in its own transaction
    /// so that a concurrent duplicate sees the claim.
    pub async fn claim_idempotency_key(
        &self,
        tenant: TenantId,
        key: &str,
        request_hash: &str,
    ) -> Result<Claim, StoreError> {
        let tx = self.tenant_tx(tenant).await?;
        let inserted = idempotency_key::ActiveModel {
            tenant_id: Set(tenant.0),
            key: Set(key.to_owned()),
            request_hash: Set(request_hash.to_owned()),
            status_code: Set(None),
            response: Set(None),
            created_at: Set(Utc::now()),
        }
        .insert(&tx.txn)
        .await;
        match inserted.map_err(StoreError::from) {
            Ok(_) => {
                tx.commit().await?;
                return Ok(Claim::Claimed);
            }
            Err(StoreError::Conflict) => {}
            Err(other) => return Err(other),
        }
        drop(tx);
        let tx = self.tenant_tx(tenant).await?;
        let row = find(&tx.txn, tenant, key).await?;
        tx.commit().await?;
        Ok(match row {
            None => Claim::InProgress,
            Some(row) if row.request_hash != request_hash => Claim::Mismatch,
            Some(row) => match (row.status_code, row.response) {
                (Some(status), Some(body)) => Claim::Completed {
                    status: status as u16,
                    body,
                },
                _ => Claim::InProgress,
            },
        })
    }

    /// Stores the response of a claimed key's request.
    pub async fn complete_idempotency_key(
        &self,
        tenant: TenantId,
        key: &str,
        status: u16,
        body: serde_json::Value,
    ) -> Result<(), StoreError> {
        let tx = self.tenant_tx(tenant).await?;
        if let Some(row) = find(&tx.txn, tenant, key).await? {
            let mut row: idempotency_key::ActiveModel = row.into();
            row.status_code = Set(Some(i32::from(status)));
            row.response = Set(Some(body));
            row.update(&tx.txn).await?;
        }
        tx.commit().await
    }

    /// Gives a claimed key up (the request failed in a way worth retrying).
    pub async fn release_idempotency_key(
        &self,
        tenant: TenantId,
        key: &str,
    ) -> Result<(), StoreError> {
        let tx = self.tenant_tx(tenant).await?;
        if let Some(row) = find(&tx.txn, tenant, key).await? {
            row.delete(&tx.txn).await?;
        }
        tx.commit().await
    }
}

async fn find(
    txn: &sea_orm::DatabaseTransaction,
    tenant: TenantId,
    key: &str,
) -> Result<Option<idempotency_key::Model>, StoreError> {
    Ok(idempotency_key::Entity::find()
        .filter(idempotency_key::Column::TenantId.eq(tenant.0))
        .filter(idempotency_key::Column::Key.eq(key))
        .one(txn)
        .await?)
}
