//! Idempotency keys as leases (see `domain::idempotency`). A key is claimed in a transaction of
//! its own, so that a concurrent duplicate sees the claim; it is completed inside the transaction
//! of the change it protects; it is released when its request changed nothing. Expired keys of a
//! tenant are deleted, a bounded number at a time, whenever the tenant claims one.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entities::idempotency_key::{self, Column};
use super::{Store, StoreError, TenantTx};
use crate::domain::idempotency::{IdempotencyKey, KeyedOutcome, lease, retention};
use crate::domain::tenancy::TenantId;

/// How many expired keys one claim deletes at most, so that no request pays for a backlog.
const EXPIRED_PER_CLAIM: u64 = 100;

/// What a key's claim found.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// The key is new (or its previous request died) and is now held by this request.
    Claimed,
    /// Another request with this key holds its lease.
    InProgress,
    /// The key was used with a different request.
    Mismatch,
    /// The key's request completed with this outcome.
    Completed(KeyedOutcome),
}

impl Store {
    /// Claims `key` for this request, or says why not.
    #[tracing::instrument(level = "debug", skip_all, fields(%tenant))]
    pub async fn claim_idempotency_key(
        &self,
        tenant: TenantId,
        key: &IdempotencyKey,
        now: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        let tx = self.tenant_tx(tenant).await?;
        let expired_before = now - retention();
        delete_expired(&tx, expired_before).await?;
        let claim = match find(&tx, key.key()).await? {
            None => insert(&tx, key, now).await,
            Some(row) if row.created_at < expired_before => {
                idempotency_key::Entity::delete_many()
                    .filter(Column::TenantId.eq(tx.tenant.0))
                    .filter(Column::Key.eq(key.key()))
                    .exec(&tx.txn)
                    .await?;
                insert(&tx, key, now).await
            }
            Some(row) if row.request_hash != key.fingerprint() => Ok(Claim::Mismatch),
            Some(row) => match row.outcome {
                Some(outcome) => Ok(Claim::Completed(StoredOutcome::read(outcome)?)),
                None if row.locked_until.is_some_and(|until| until > now) => Ok(Claim::InProgress),
                None => take_over(&tx, &row, now).await,
            },
        };
        match claim {
            // A concurrent request inserted the same key first; PostgreSQL has aborted this
            // transaction, so it is rolled back on drop.
            Err(StoreError::Conflict) => Ok(Claim::InProgress),
            Err(other) => Err(other),
            Ok(claim) => {
                tx.commit().await?;
                Ok(claim)
            }
        }
    }

    /// Frees a claimed key whose request changed nothing, so that it can be retried at once.
    #[tracing::instrument(level = "debug", skip_all, fields(%tenant))]
    pub async fn release_idempotency_key(
        &self,
        tenant: TenantId,
        key: &IdempotencyKey,
    ) -> Result<(), StoreError> {
        let tx = self.tenant_tx(tenant).await?;
        idempotency_key::Entity::delete_many()
            .filter(Column::TenantId.eq(tenant.0))
            .filter(Column::Key.eq(key.key()))
            .filter(Column::Outcome.is_null())
            .exec(&tx.txn)
            .await?;
        tx.commit().await
    }
}

/// The idempotency keys of the transaction's tenant.
pub struct IdempotencyKeys<'t>(pub(super) &'t TenantTx);

impl IdempotencyKeys<'_> {
    /// Records what the key's request did, in the transaction of the change itself. Fails with
    /// `Conflict` when the key is no longer held by this request (its lease was taken over), so
    /// that the change rolls back instead of happening twice.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn complete(
        &self,
        key: &IdempotencyKey,
        outcome: KeyedOutcome,
    ) -> Result<(), StoreError> {
        let tx = self.0;
        let updated = idempotency_key::Entity::update_many()
            .col_expr(Column::Outcome, Expr::value(StoredOutcome::write(outcome)?))
            .col_expr(
                Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(Column::TenantId.eq(tx.tenant.0))
            .filter(Column::Key.eq(key.key()))
            .filter(Column::RequestHash.eq(key.fingerprint()))
            .filter(Column::Outcome.is_null())
            .exec(&tx.txn)
            .await?;
        if updated.rows_affected == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }
}

async fn find(tx: &TenantTx, key: &str) -> Result<Option<idempotency_key::Model>, StoreError> {
    Ok(idempotency_key::Entity::find()
        .filter(Column::TenantId.eq(tx.tenant.0))
        .filter(Column::Key.eq(key))
        .one(&tx.txn)
        .await?)
}

async fn insert(
    tx: &TenantTx,
    key: &IdempotencyKey,
    now: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    idempotency_key::ActiveModel {
        tenant_id: Set(tx.tenant.0),
        key: Set(key.key().to_owned()),
        request_hash: Set(key.fingerprint().to_owned()),
        outcome: Set(None),
        created_at: Set(now),
        locked_until: Set(Some(now + lease())),
    }
    .insert(&tx.txn)
    .await?;
    Ok(Claim::Claimed)
}

/// Takes over a key whose request died without an outcome; only one of several concurrent
/// retries wins, because the update requires the lease it saw.
async fn take_over(
    tx: &TenantTx,
    row: &idempotency_key::Model,
    now: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    let mut update = idempotency_key::Entity::update_many()
        .col_expr(Column::LockedUntil, Expr::value(Some(now + lease())))
        .filter(Column::TenantId.eq(tx.tenant.0))
        .filter(Column::Key.eq(row.key.as_str()))
        .filter(Column::Outcome.is_null());
    update = match row.locked_until {
        Some(until) => update.filter(Column::LockedUntil.eq(until)),
        None => update.filter(Column::LockedUntil.is_null()),
    };
    let updated = update.exec(&tx.txn).await?;
    Ok(if updated.rows_affected == 1 {
        Claim::Claimed
    } else {
        Claim::InProgress
    })
}

async fn delete_expired(tx: &TenantTx, before: DateTime<Utc>) -> Result<(), StoreError> {
    let oldest = Query::select()
        .column(Column::Key)
        .from(idempotency_key::Entity)
        .and_where(Column::TenantId.eq(tx.tenant.0))
        .and_where(Column::CreatedAt.lt(before))
        .limit(EXPIRED_PER_CLAIM)
        .to_owned();
    idempotency_key::Entity::delete_many()
        .filter(Column::TenantId.eq(tx.tenant.0))
        .filter(Column::Key.in_subquery(oldest))
        .exec(&tx.txn)
        .await?;
    Ok(())
}

/// The stored form of an outcome: a kind and an id.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
enum StoredOutcome {
    OrganisationCreated(Uuid),
    AssessmentCreated(Uuid),
    AssessmentSubmitted(Uuid),
}

impl StoredOutcome {
    fn write(outcome: KeyedOutcome) -> Result<serde_json::Value, StoreError> {
        let stored = match outcome {
            KeyedOutcome::OrganisationCreated(id) => StoredOutcome::OrganisationCreated(id.0),
            KeyedOutcome::AssessmentCreated(id) => StoredOutcome::AssessmentCreated(id.0),
            KeyedOutcome::AssessmentSubmitted(id) => StoredOutcome::AssessmentSubmitted(id.0),
        };
        serde_json::to_value(stored).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    fn read(value: serde_json::Value) -> Result<KeyedOutcome, StoreError> {
        let stored: StoredOutcome =
            serde_json::from_value(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(match stored {
            StoredOutcome::OrganisationCreated(id) => KeyedOutcome::OrganisationCreated(id.into()),
            StoredOutcome::AssessmentCreated(id) => KeyedOutcome::AssessmentCreated(id.into()),
            StoredOutcome::AssessmentSubmitted(id) => KeyedOutcome::AssessmentSubmitted(id.into()),
        })
    }
}
