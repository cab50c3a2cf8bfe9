//! The append-only audit log of a tenant. There is no update or delete here, and on PostgreSQL the
//! application role is granted neither.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::entities::audit_event;
use super::{Keyset, StoreError, TenantTx};
use crate::domain::tenancy::{ApiClientId, AuditAction, AuditEvent, AuditEventId, AuditTarget};

/// An event to record in the transaction's tenant.
pub struct NewAuditEvent {
    pub actor: Option<ApiClientId>,
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
}

impl NewAuditEvent {
    /// A token request or use refused because of the client's or its tenant's standing; `at`
    /// says where (`token_endpoint` or `api`).
    pub fn token_refused(client: ApiClientId, action: AuditAction, at: &str) -> Self {
        NewAuditEvent {
            actor: Some(client),
            action,
            target_type: AuditTarget::ApiClient,
            target_id: Some(client.to_string()),
            details: serde_json::json!({ "at": at }),
        }
    }
}

/// The audit log of one tenant transaction: append and read, nothing else.
pub struct AuditLog<'t>(pub(super) &'t TenantTx);

impl AuditLog<'_> {
    #[tracing::instrument(level = "debug", skip_all, fields(action = event.action.as_str()))]
    pub async fn record(&self, event: NewAuditEvent, now: DateTime<Utc>) -> Result<(), StoreError> {
        let row = audit_event::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(AuditEventId::generate().0),
            occurred_at: Set(now),
            actor_client_id: Set(event.actor.map(|c| c.0)),
            action: Set(event.action.as_str().to_owned()),
            target_type: Set(event.target_type.as_str().to_owned()),
            target_id: Set(event.target_id),
            details: Set(event.details),
        };
        // Append only: nothing to read back.
        audit_event::Entity::insert(row)
            .exec_without_returning(&self.0.txn)
            .await?;
        Ok(())
    }

    /// The tenant's audit events, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list(&self, page: Keyset) -> Result<Vec<AuditEvent>, StoreError> {
        let mut query =
            audit_event::Entity::find().filter(audit_event::Column::TenantId.eq(self.0.tenant.0));
        if let Some(after) = page.after {
            query = query.filter(audit_event::Column::Id.gt(after));
        }
        query
            .order_by_asc(audit_event::Column::Id)
            .limit(page.limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(|row| {
                Ok(AuditEvent {
                    id: AuditEventId(row.id),
                    occurred_at: row.occurred_at,
                    actor_client_id: row.actor_client_id.map(ApiClientId),
                    action: row.action.parse().map_err(StoreError::Corrupt)?,
                    target_type: row.target_type.parse().map_err(StoreError::Corrupt)?,
                    target_id: row.target_id,
                    details: row.details,
                })
            })
            .collect()
    }
}
