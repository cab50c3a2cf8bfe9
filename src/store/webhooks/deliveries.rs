//! Deliveries of events to a tenant's endpoints: the delivery log, and recording attempts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::ids::{WebhookDeliveryId, WebhookEndpointId, WebhookEventId};
use crate::domain::webhook::{Delivery, DeliveryStatus};
use crate::store::entities::webhook_delivery as delivery;
use crate::store::{Keyset, StoreError, TenantTx};

/// The deliveries repository of one tenant transaction.
pub struct Deliveries<'t>(pub(in crate::store) &'t TenantTx);

/// What an attempt left behind.
#[derive(Clone, Debug)]
pub struct AttemptRecord {
    pub status: DeliveryStatus,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub attempted_at: DateTime<Utc>,
    pub response_status: Option<u16>,
    pub latency_ms: Option<u32>,
    pub error: Option<String>,
}

impl Deliveries<'_> {
    /// An endpoint's deliveries, newest first.
    pub async fn list(
        &self,
        endpoint_id: WebhookEndpointId,
        page: Keyset,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut query = delivery::Entity::find()
            .filter(delivery::Column::TenantId.eq(self.0.tenant.0))
            .filter(delivery::Column::EndpointId.eq(endpoint_id.0));
        if let Some(after) = page.after {
            query = query.filter(delivery::Column::Id.lt(after));
        }
        query
            .order_by_desc(delivery::Column::Id)
            .limit(page.limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(delivery_of)
            .collect()
    }

    pub async fn find(&self, id: WebhookDeliveryId) -> Result<Option<Delivery>, StoreError> {
        delivery::Entity::find()
            .filter(delivery::Column::TenantId.eq(self.0.tenant.0))
            .filter(delivery::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?
            .map(delivery_of)
            .transpose()
    }

    /// Records the outcome of attempt number `attempt`, unless that attempt is no longer the
    /// delivery's latest (its lease ran out and another worker took it over); whether it did.
    pub async fn record(
        &self,
        id: WebhookDeliveryId,
        attempt: u32,
        record: &AttemptRecord,
    ) -> Result<bool, StoreError> {
        let updated = delivery::Entity::update_many()
            .col_expr(
                delivery::Column::Status,
                Expr::value(record.status.as_str()),
            )
            .col_expr(
                delivery::Column::NextAttemptAt,
                Expr::value(record.next_attempt_at),
            )
            .col_expr(
                delivery::Column::LastAttemptAt,
                Expr::value(record.attempted_at),
            )
            .col_expr(
                delivery::Column::ResponseStatus,
                Expr::value(record.response_status.map(i32::from)),
            )
            .col_expr(
                delivery::Column::LatencyMs,
                Expr::value(
                    record
                        .latency_ms
                        .map(|ms| i32::try_from(ms).unwrap_or(i32::MAX)),
                ),
            )
            .col_expr(
                delivery::Column::LastError,
                Expr::value(record.error.as_deref().map(truncated)),
            )
            .filter(delivery::Column::TenantId.eq(self.0.tenant.0))
            .filter(delivery::Column::Id.eq(id.0))
            .filter(delivery::Column::Attempts.eq(i32::try_from(attempt).unwrap_or(i32::MAX)))
            .filter(delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .exec(&self.0.txn)
            .await?;
        Ok(updated.rows_affected == 1)
    }
}

/// An error message short enough for its column, cut at a character boundary.
fn truncated(message: &str) -> String {
    message.chars().take(300).collect()
}

fn delivery_of(row: delivery::Model) -> Result<Delivery, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("webhook delivery {}: {what}", row.id));
    Ok(Delivery {
        id: WebhookDeliveryId(row.id),
        endpoint_id: WebhookEndpointId(row.endpoint_id),
        event_id: WebhookEventId(row.event_id),
        event_type: row.event_type.parse().map_err(|_| corrupt("event type"))?,
        status: DeliveryStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        attempts: u32::try_from(row.attempts).map_err(|_| corrupt("attempts"))?,
        next_attempt_at: row.next_attempt_at,
        last_attempt_at: row.last_attempt_at,
        response_status: row.response_status.and_then(|s| u16::try_from(s).ok()),
        latency_ms: row.latency_ms.and_then(|ms| u32::try_from(ms).ok()),
        last_error: row.last_error,
        created_at: row.created_at,
    })
}
