//! A tenant's webhook endpoints and their signing secrets. Secrets are kept as they are, not
//! hashed: signing needs the key itself.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::ids::{WebhookEndpointId, WebhookSecretId};
use crate::domain::webhook::{DisabledReason, EventType, WebhookEndpoint};
use crate::store::entities::{webhook_endpoint as endpoint, webhook_secret as secret};
use crate::store::{Keyset, StoreError, TenantTx};

/// The endpoints repository of one tenant transaction.
pub struct Endpoints<'t>(pub(in crate::store) &'t TenantTx);

impl Endpoints<'_> {
    #[tracing::instrument(level = "debug", skip_all, fields(id = %endpoint.id))]
    pub async fn insert(&self, endpoint: &WebhookEndpoint) -> Result<(), StoreError> {
        endpoint::Entity::insert(self.row(endpoint))
            .exec_without_returning(&self.0.txn)
            .await?;
        Ok(())
    }

    /// Writes every field of an endpoint that exists.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %endpoint.id))]
    pub async fn update(&self, endpoint: &WebhookEndpoint) -> Result<(), StoreError> {
        endpoint::Entity::update(self.row(endpoint))
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }

    pub async fn count(&self) -> Result<u64, StoreError> {
        Ok(endpoint::Entity::find()
            .filter(endpoint::Column::TenantId.eq(self.0.tenant.0))
            .count(&self.0.txn)
            .await?)
    }

    /// The tenant's endpoints, oldest first.
    pub async fn list(&self, page: Keyset) -> Result<Vec<WebhookEndpoint>, StoreError> {
        let mut query =
            endpoint::Entity::find().filter(endpoint::Column::TenantId.eq(self.0.tenant.0));
        if let Some(after) = page.after {
            query = query.filter(endpoint::Column::Id.gt(after));
        }
        query
            .order_by_asc(endpoint::Column::Id)
            .limit(page.limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(endpoint_of)
            .collect()
    }

    pub async fn find(&self, id: WebhookEndpointId) -> Result<Option<WebhookEndpoint>, StoreError> {
        self.by_id(id, false).await
    }

    /// The endpoint, locked until the transaction ends (PostgreSQL), so that a delivery's outcome
    /// and a change by the tenant apply one after the other.
    pub async fn lock(&self, id: WebhookEndpointId) -> Result<Option<WebhookEndpoint>, StoreError> {
        self.by_id(id, true).await
    }

    async fn by_id(
        &self,
        id: WebhookEndpointId,
        lock: bool,
    ) -> Result<Option<WebhookEndpoint>, StoreError> {
        let mut query = endpoint::Entity::find()
            .filter(endpoint::Column::TenantId.eq(self.0.tenant.0))
            .filter(endpoint::Column::Id.eq(id.0));
        // NO KEY UPDATE: it does not wait for (or hold up) the outbox's inserts of deliveries,
        // whose foreign key takes a KEY SHARE lock on the endpoint.
        if lock && self.0.txn.get_database_backend() == DbBackend::Postgres {
            query = query.lock(LockType::NoKeyUpdate);
        }
        query.one(&self.0.txn).await?.map(endpoint_of).transpose()
    }

    /// Deletes an endpoint with its secrets and deliveries; whether it existed.
    pub async fn delete(&self, id: WebhookEndpointId) -> Result<bool, StoreError> {
        let deleted = endpoint::Entity::delete_many()
            .filter(endpoint::Column::TenantId.eq(self.0.tenant.0))
            .filter(endpoint::Column::Id.eq(id.0))
            .exec(&self.0.txn)
            .await?;
        Ok(deleted.rows_affected == 1)
    }

    /// The endpoints subscribed to `event_type`, enabled or not.
    pub async fn subscribed(
        &self,
        event_type: EventType,
    ) -> Result<Vec<WebhookEndpoint>, StoreError> {
        let rows = endpoint::Entity::find()
            .filter(endpoint::Column::TenantId.eq(self.0.tenant.0))
            .all(&self.0.txn)
            .await?;
        let mut subscribed = Vec::new();
        for row in rows {
            let endpoint = endpoint_of(row)?;
            if endpoint.event_types.contains(&event_type) {
                subscribed.push(endpoint);
            }
        }
        Ok(subscribed)
    }

    /// Adds a signing secret to an endpoint.
    pub async fn add_secret(
        &self,
        endpoint_id: WebhookEndpointId,
        value: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let row = secret::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(WebhookSecretId::generate().0),
            endpoint_id: Set(endpoint_id.0),
            secret: Set(value.to_owned()),
            created_at: Set(now),
            expires_at: Set(None),
        };
        secret::Entity::insert(row)
            .exec_without_returning(&self.0.txn)
            .await?;
        Ok(())
    }

    /// Retires an endpoint's current secret: it signs until `until`, then no more. Secrets
    /// retired earlier stop at once, so at most two ever sign side by side.
    pub async fn retire_secrets(
        &self,
        endpoint_id: WebhookEndpointId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        secret::Entity::update_many()
            .col_expr(secret::Column::ExpiresAt, Expr::value(now))
            .filter(secret::Column::TenantId.eq(self.0.tenant.0))
            .filter(secret::Column::EndpointId.eq(endpoint_id.0))
            .filter(secret::Column::ExpiresAt.gt(now))
            .exec(&self.0.txn)
            .await?;
        secret::Entity::update_many()
            .col_expr(secret::Column::ExpiresAt, Expr::value(until))
            .filter(secret::Column::TenantId.eq(self.0.tenant.0))
            .filter(secret::Column::EndpointId.eq(endpoint_id.0))
            .filter(secret::Column::ExpiresAt.is_null())
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }

    /// The secrets that sign at `now`, newest first.
    pub async fn signing_secrets(
        &self,
        endpoint_id: WebhookEndpointId,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        Ok(secret::Entity::find()
            .filter(secret::Column::TenantId.eq(self.0.tenant.0))
            .filter(secret::Column::EndpointId.eq(endpoint_id.0))
            .filter(
                Condition::any()
                    .add(secret::Column::ExpiresAt.is_null())
                    .add(secret::Column::ExpiresAt.gt(now)),
            )
            .order_by_desc(secret::Column::Id)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(|row| row.secret)
            .collect())
    }

    fn row(&self, endpoint: &WebhookEndpoint) -> endpoint::ActiveModel {
        let event_types: Vec<&str> = endpoint.event_types.iter().map(|t| t.as_str()).collect();
        endpoint::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(endpoint.id.0),
            url: Set(endpoint.url.clone()),
            event_types: Set(event_types.join(" ")),
            description: Set(endpoint.description.clone()),
            enabled: Set(endpoint.enabled),
            disabled_reason: Set(endpoint.disabled_reason.map(|r| r.as_str().to_owned())),
            failing_since: Set(endpoint.failing_since),
            created_at: Set(endpoint.created_at),
            updated_at: Set(endpoint.updated_at),
        }
    }
}

fn endpoint_of(row: endpoint::Model) -> Result<WebhookEndpoint, StoreError> {
    let event_types = row
        .event_types
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<BTreeSet<EventType>, String>>()
        .map_err(StoreError::Corrupt)?;
    let disabled_reason = match row.disabled_reason.as_deref() {
        None => None,
        Some(reason) => Some(DisabledReason::parse(reason).ok_or_else(|| {
            StoreError::Corrupt(format!("webhook endpoint disabled reason `{reason}`"))
        })?),
    };
    Ok(WebhookEndpoint {
        id: WebhookEndpointId(row.id),
        url: row.url,
        event_types,
        description: row.description,
        enabled: row.enabled,
        disabled_reason,
        failing_since: row.failing_since,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
