//! The outbox. An event is inserted in the transaction of the change it reports, together with
//! one pending delivery per endpoint subscribed at that moment, so that a change is never without
//! its event nor an event without its change.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::ids::{OrganisationId, WebhookDeliveryId, WebhookEndpointId, WebhookEventId};
use crate::domain::webhook::{DeliveryStatus, Event, EventData, EventType, WebhookEndpoint};
use crate::store::entities::{webhook_delivery as delivery, webhook_event as event};
use crate::store::{StoreError, TenantTx};

/// The outbox of one tenant transaction.
pub struct Events<'t>(pub(in crate::store) &'t TenantTx);

/// The last event about one subject, for coalescing.
#[derive(Clone, Copy, Debug)]
pub struct Latest {
    pub id: WebhookEventId,
    pub scheduled_at: DateTime<Utc>,
}

impl Events<'_> {
    /// Writes an event and a delivery of it, due at `scheduled_at`, to each enabled endpoint
    /// subscribed to its type; the number of deliveries. The event is kept when any endpoint,
    /// even a disabled one, subscribes to it, so that a replay can send it later.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %event.id, event_type = %event.event_type()))]
    pub async fn emit(
        &self,
        event: &Event,
        scheduled_at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let endpoints = self
            .0
            .webhook_endpoints()
            .subscribed(event.event_type())
            .await?;
        self.emit_to(event, scheduled_at, &endpoints).await
    }

    /// [`Events::emit`] for the endpoints already read as subscribed to the event's type.
    pub async fn emit_to(
        &self,
        event: &Event,
        scheduled_at: DateTime<Utc>,
        endpoints: &[WebhookEndpoint],
    ) -> Result<usize, StoreError> {
        if endpoints.is_empty() {
            return Ok(0); // nobody listens: nothing to keep
        }
        let receiving: Vec<WebhookEndpointId> = endpoints
            .iter()
            .filter(|endpoint| endpoint.enabled)
            .map(|endpoint| endpoint.id)
            .collect();
        let data = serde_json::to_value(&event.data)
            .map_err(|error| StoreError::Corrupt(format!("event data: {error}")))?;
        let row = event::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(event.id.0),
            event_type: Set(event.event_type().as_str().to_owned()),
            subject_id: Set(event.data.subject()),
            client_id: Set(event.data.client().map(|c| c.0)),
            occurred_at: Set(event.occurred_at),
            scheduled_at: Set(scheduled_at),
            data: Set(data),
        };
        event::Entity::insert(row)
            .exec_without_returning(&self.0.txn)
            .await?;
        for endpoint in &receiving {
            self.schedule(
                event.id,
                event.event_type(),
                *endpoint,
                scheduled_at,
                event.occurred_at,
            )
            .await?;
        }
        Ok(receiving.len())
    }

    /// A new pending delivery of a stored event to an endpoint.
    pub async fn schedule(
        &self,
        event_id: WebhookEventId,
        event_type: EventType,
        endpoint_id: WebhookEndpointId,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<WebhookDeliveryId, StoreError> {
        let id = WebhookDeliveryId::generate();
        let row = delivery::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(id.0),
            endpoint_id: Set(endpoint_id.0),
            event_id: Set(event_id.0),
            event_type: Set(event_type.as_str().to_owned()),
            status: Set(DeliveryStatus::Pending.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(Some(due)),
            last_attempt_at: Set(None),
            response_status: Set(None),
            latency_ms: Set(None),
            last_error: Set(None),
            created_at: Set(now),
        };
        delivery::Entity::insert(row)
            .exec_without_returning(&self.0.txn)
            .await?;
        Ok(id)
    }

    /// The most recently scheduled event of a type about a subject.
    pub async fn latest_about(
        &self,
        event_type: EventType,
        subject: uuid::Uuid,
    ) -> Result<Option<Latest>, StoreError> {
        Ok(event::Entity::find()
            .filter(event::Column::TenantId.eq(self.0.tenant.0))
            .filter(event::Column::EventType.eq(event_type.as_str()))
            .filter(event::Column::SubjectId.eq(subject))
            .order_by_desc(event::Column::ScheduledAt)
            .one(&self.0.txn)
            .await?
            .map(|row| Latest {
                id: WebhookEventId(row.id),
                scheduled_at: row.scheduled_at,
            }))
    }

    /// Replaces the facts of an event that no delivery has attempted yet (coalescing).
    pub async fn replace(
        &self,
        id: WebhookEventId,
        data: &EventData,
        occurred_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let data = serde_json::to_value(data)
            .map_err(|error| StoreError::Corrupt(format!("event data: {error}")))?;
        event::Entity::update_many()
            .col_expr(event::Column::Data, Expr::value(data))
            .col_expr(event::Column::OccurredAt, Expr::value(occurred_at))
            .filter(event::Column::TenantId.eq(self.0.tenant.0))
            .filter(event::Column::Id.eq(id.0))
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }

    /// Deletes the events about a client, with their deliveries (also those not yet made): once
    /// a client is deleted, nothing about it is sent or replayed.
    pub async fn forget_client(&self, client: OrganisationId) -> Result<(), StoreError> {
        event::Entity::delete_many()
            .filter(event::Column::TenantId.eq(self.0.tenant.0))
            .filter(event::Column::ClientId.eq(client.0))
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }

    pub async fn find(&self, id: WebhookEventId) -> Result<Option<Event>, StoreError> {
        event::Entity::find()
            .filter(event::Column::TenantId.eq(self.0.tenant.0))
            .filter(event::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?
            .map(event_of)
            .transpose()
    }

    /// Events of the given types that occurred at or after `since` and are due by `now` (a
    /// gathered event waiting for its window to end is not), oldest first, at most `limit`.
    pub async fn since(
        &self,
        event_types: &[EventType],
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<(WebhookEventId, EventType, DateTime<Utc>)>, StoreError> {
        let names: Vec<&str> = event_types.iter().map(|t| t.as_str()).collect();
        event::Entity::find()
            .filter(event::Column::TenantId.eq(self.0.tenant.0))
            .filter(event::Column::EventType.is_in(names))
            .filter(event::Column::OccurredAt.gte(since))
            .filter(event::Column::ScheduledAt.lte(now))
            .order_by_asc(event::Column::OccurredAt)
            .order_by_asc(event::Column::Id)
            .limit(limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(|row| {
                let event_type = row.event_type.parse().map_err(StoreError::Corrupt)?;
                Ok((WebhookEventId(row.id), event_type, row.occurred_at))
            })
            .collect()
    }
}

fn event_of(row: event::Model) -> Result<Event, StoreError> {
    let data: EventData = serde_json::from_value(row.data)
        .map_err(|error| StoreError::Corrupt(format!("event {}: {error}", row.id)))?;
    Ok(Event {
        id: WebhookEventId(row.id),
        occurred_at: row.occurred_at,
        data,
    })
}
