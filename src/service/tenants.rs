//! Tenants (agencies), managed by platform operators, and the platform operators' own clients.

use chrono::Utc;
use serde_json::json;

use super::api_clients::{IssuedCredentials, insert};
use super::{Actor, Error, audit, benchmarks, validation};
use crate::catalog::Catalog;
use crate::domain::FieldError;
use crate::domain::tenancy::{
    ApiClientId, AuditAction, AuditTarget, Scope, Scopes, StandingChange, Tenant, TenantId,
    TenantStatus,
};
use crate::store::tenants::TenantUpdate;
use crate::store::{Keyset, Store};

/// Changes to a tenant, as sent; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct TenantChanges {
    pub name: Option<String>,
    pub status: Option<String>,
    /// Whether the tenant's clients count in peer benchmarks (and it may read them).
    pub benchmark_sharing: Option<bool>,
}

/// A new tenant with a first admin client holding every tenant scope. `operator` is the platform
/// client acting, `None` at the command line.
#[tracing::instrument(skip_all)]
pub async fn create(
    store: &Store,
    operator: Option<ApiClientId>,
    name: &str,
) -> Result<(Tenant, IssuedCredentials), Error> {
    let name = validation::name("name", name).map_err(|e| Error::Invalid(vec![e]))?;
    let actor = Actor {
        tenant: TenantId::generate(),
        client: operator,
    };
    let tx = store.tenant_tx(actor.tenant).await?;
    let now = Utc::now();
    let tenant = tx.tenant().insert(&name, now).await?;
    let target = (AuditTarget::Tenant, tenant.id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::TenantCreated,
        target,
        json!({"name": name}),
        now,
    )
    .await?;
    let admin = insert(&tx, actor, "admin", &Scopes::new(Scope::TENANT), now).await?;
    tx.commit().await?;
    Ok((tenant, admin))
}

/// A platform operator's client (scope `platform:admin`), in the reserved platform tenant.
#[tracing::instrument(skip_all)]
pub async fn create_platform_client(store: &Store, name: &str) -> Result<IssuedCredentials, Error> {
    let name = validation::name("name", name).map_err(|e| Error::Invalid(vec![e]))?;
    let actor = Actor {
        tenant: TenantId::PLATFORM,
        client: None,
    };
    let tx = store.tenant_tx(actor.tenant).await?;
    let now = Utc::now();
    if tx.tenant().find().await?.is_none() {
        tx.tenant().insert("platform", now).await?;
    }
    let issued = insert(&tx, actor, &name, &Scopes::new([Scope::PlatformAdmin]), now).await?;
    tx.commit().await?;
    Ok(issued)
}

/// Tenants in creation order, without the platform tenant.
#[tracing::instrument(skip_all)]
pub async fn list(store: &Store, page: Keyset) -> Result<Vec<Tenant>, Error> {
    Ok(store.list_tenants(page).await?)
}

#[tracing::instrument(skip_all, fields(%id))]
pub async fn get(store: &Store, id: TenantId) -> Result<Tenant, Error> {
    let id = managed(id)?;
    store.find_tenant(id).await?.ok_or_else(|| not_found(id))
}

/// Renames a tenant, or suspends it (every token of the tenant is refused at once) or
/// reactivates it; each change is audited in the tenant's own log.
#[tracing::instrument(skip_all, fields(%id))]
pub async fn update(
    store: &Store,
    catalog: &Catalog,
    operator: ApiClientId,
    id: TenantId,
    changes: &TenantChanges,
) -> Result<Tenant, Error> {
    let id = managed(id)?;
    let (name, status) = validate(changes)?;
    let actor = Actor {
        tenant: id,
        client: Some(operator),
    };
    let tx = store.tenant_tx(id).await?;
    // Locked: a concurrent change, or a submission deciding whether to contribute, waits.
    let before = tx
        .tenant()
        .lock(false)
        .await?
        .ok_or_else(|| not_found(id))?;
    let now = Utc::now();
    let after = tx
        .tenant()
        .update(
            TenantUpdate {
                name: name.as_deref(),
                status,
                benchmark_sharing: changes.benchmark_sharing,
            },
            now,
        )
        .await?
        .ok_or_else(|| not_found(id))?;
    if before.status != after.status {
        tx.announce(StandingChange::Tenant(id)).await?;
    }
    for (action, details) in changes_between(&before, &after) {
        audit::record(
            &tx,
            actor,
            action,
            (AuditTarget::Tenant, id.to_string()),
            details,
            now,
        )
        .await?;
    }
    // In the same transaction as the choice: no moment when the choice and the counts disagree.
    match (before.benchmark_sharing, after.benchmark_sharing) {
        (false, true) => benchmarks::contribute_all(&tx, catalog).await?,
        (true, false) => tx.benchmark_contributions().withdraw_all().await?,
        _ => {}
    }
    tx.commit().await?;
    Ok(after)
}

fn validate(changes: &TenantChanges) -> Result<(Option<String>, Option<TenantStatus>), Error> {
    let mut errors = Vec::new();
    let name = changes
        .name
        .as_deref()
        .map(|n| validation::name("name", n))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let status = changes
        .status
        .as_deref()
        .map(str::parse::<TenantStatus>)
        .transpose()
        .map_err(|_| errors.push(FieldError::new("status", "must be `active` or `suspended`")))
        .ok()
        .flatten();
    if errors.is_empty() {
        Ok((name, status))
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The audit events a change calls for.
fn changes_between(before: &Tenant, after: &Tenant) -> Vec<(AuditAction, serde_json::Value)> {
    let mut events = Vec::new();
    if before.name != after.name {
        events.push((
            AuditAction::TenantUpdated,
            json!({"name": {"from": before.name, "to": after.name}}),
        ));
    }
    if before.benchmark_sharing != after.benchmark_sharing {
        events.push((
            AuditAction::BenchmarkSharingChanged,
            json!({"benchmark_sharing": after.benchmark_sharing}),
        ));
    }
    match (before.status, after.status) {
        (TenantStatus::Active, TenantStatus::Suspended) => {
            events.push((AuditAction::TenantSuspended, json!({})));
        }
        (TenantStatus::Suspended, TenantStatus::Active) => {
            events.push((AuditAction::TenantReactivated, json!({})));
        }
        _ => {}
    }
    events
}

/// The platform tenant is not managed through this API: it looks like any missing tenant.
fn managed(id: TenantId) -> Result<TenantId, Error> {
    if id == TenantId::PLATFORM {
        Err(not_found(id))
    } else {
        Ok(id)
    }
}

fn not_found(id: TenantId) -> Error {
    Error::NotFound(format!("there is no tenant {id}"))
}
