//! The workers' work across tenants: claiming due deliveries, leased to one worker at a time,
//! and pruning old events. On
//! PostgreSQL `FOR UPDATE SKIP LOCKED` lets the workers of several replicas claim side by side
//! without waiting for or taking each other's rows; SQLite has one writer at a time anyway.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use crate::domain::ids::{TenantId, WebhookDeliveryId};
use crate::domain::webhook::{Claim, DeliveryStatus};
use crate::store::entities::{webhook_delivery as delivery, webhook_event as event};
use crate::store::{PlatformTx, StoreError};

impl PlatformTx {
    /// Leases up to `limit` due deliveries until `lease_until`, earliest first, counting the
    /// attempt now: a worker that dies mid-attempt leaves the delivery due again once the lease
    /// runs out, and its late outcome (of an older attempt) is then ignored.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claim_due_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Claim>, StoreError> {
        let due = delivery::Entity::find()
            .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .filter(delivery::Column::NextAttemptAt.lte(now))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .limit(limit)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&self.txn)
            .await?;
        let mut claims = Vec::with_capacity(due.len());
        for row in due {
            let attempt = row.attempts + 1;
            delivery::Entity::update_many()
                .col_expr(delivery::Column::Attempts, Expr::value(attempt))
                .col_expr(delivery::Column::NextAttemptAt, Expr::value(lease_until))
                .filter(delivery::Column::TenantId.eq(row.tenant_id))
                .filter(delivery::Column::Id.eq(row.id))
                .exec(&self.txn)
                .await?;
            claims.push(Claim {
                tenant: TenantId(row.tenant_id),
                delivery: WebhookDeliveryId(row.id),
                attempt: u32::try_from(attempt).unwrap_or(u32::MAX),
            });
        }
        Ok(claims)
    }

    /// Deletes the events of every tenant that occurred before `before` and wait for no
    /// attempt, with their deliveries; how many.
    pub async fn prune_webhook_events(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let waiting = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::EventId)
            .filter(delivery::Column::NextAttemptAt.is_not_null())
            .into_query();
        let deleted = event::Entity::delete_many()
            .filter(event::Column::OccurredAt.lt(before))
            .filter(event::Column::Id.not_in_subquery(waiting))
            .exec(&self.txn)
            .await?;
        Ok(deleted.rows_affected)
    }

    /// Deliveries waiting for an attempt, of every tenant. Exactly the pending ones have a next
    /// attempt, and that column is indexed (the status is not).
    pub async fn pending_deliveries(&self) -> Result<u64, StoreError> {
        Ok(delivery::Entity::find()
            .filter(delivery::Column::NextAttemptAt.is_not_null())
            .count(&self.txn)
            .await?)
    }
}
