//! The tenant's audit log: reading it, and the one way use cases append to it.

use chrono::{DateTime, Utc};

use super::{Actor, Error};
use crate::domain::tenancy::{AuditAction, AuditEvent, AuditTarget, TenantId};
use crate::store::audit::NewAuditEvent;
use crate::store::{Keyset, Store, TenantTx};

/// A page of the tenant's audit events, oldest first.
#[tracing::instrument(skip_all, fields(%tenant))]
pub async fn list_events(
    store: &Store,
    tenant: TenantId,
    page: Keyset,
) -> Result<Vec<AuditEvent>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let events = tx.audit().list(page).await?;
    tx.commit().await?;
    Ok(events)
}

/// Appends an event about `target` to the log, in the transaction of the change it records.
pub(super) async fn record(
    tx: &TenantTx,
    actor: Actor,
    action: AuditAction,
    target: (AuditTarget, String),
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let (target_type, target_id) = target;
    let event = NewAuditEvent {
        actor: actor.client,
        action,
        target_type,
        target_id: Some(target_id),
        details,
    };
    Ok(tx.audit().record(event, now).await?)
}
