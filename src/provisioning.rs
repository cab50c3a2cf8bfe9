//! Creating tenants and API clients, rotating secrets and revoking clients. Each operation is one
//! transaction that writes the change together with its audit event, so neither exists without
//! the other. Used by the command line and by the HTTP API alike.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::auth::secret::ClientSecret;
use crate::domain::tenancy::{ApiClient, AuditAction, ClientId, Scope, Scopes, Tenant, TenantId};
use crate::store::api_clients::NewApiClient;
use crate::store::audit::NewAuditEvent;
use crate::store::{Store, StoreError, TenantTx};

/// A client together with its secret, which exists in clear only until this value is dropped.
pub struct IssuedCredentials {
    pub client: ApiClient,
    pub secret: ClientSecret,
}

/// A new tenant with a first admin client holding every tenant scope.
pub async fn create_tenant(
    store: &Store,
    name: &str,
    actor: Option<ClientId>,
) -> Result<(Tenant, IssuedCredentials), StoreError> {
    let tx = store.tenant_tx(TenantId(Uuid::now_v7())).await?;
    let now = Utc::now();
    let tenant = tx.insert_tenant(name, now).await?;
    audit(
        &tx,
        actor,
        AuditAction::TenantCreated,
        "tenant",
        tenant.id.to_string(),
        json!({"name": name}),
        now,
    )
    .await?;
    let admin = create_client(&tx, "admin", &Scopes::new(Scope::TENANT), actor, now).await?;
    tx.commit().await?;
    Ok((tenant, admin))
}

/// A platform operator's client (scope `platform:admin`), in the reserved platform tenant.
pub async fn create_platform_client(
    store: &Store,
    name: &str,
) -> Result<IssuedCredentials, StoreError> {
    let tx = store.tenant_tx(TenantId::PLATFORM).await?;
    let now = Utc::now();
    if tx.find_own_tenant().await?.is_none() {
        tx.insert_tenant("platform", now).await?;
    }
    let issued = create_client(&tx, name, &Scopes::new([Scope::PlatformAdmin]), None, now).await?;
    tx.commit().await?;
    Ok(issued)
}

/// A new client of the transaction's tenant.
pub async fn create_client(
    tx: &TenantTx,
    name: &str,
    scopes: &Scopes,
    actor: Option<ClientId>,
    now: DateTime<Utc>,
) -> Result<IssuedCredentials, StoreError> {
    let secret = ClientSecret::generate();
    let new = NewApiClient {
        id: ClientId(Uuid::now_v7()),
        name,
        scopes,
        secret_hash: &secret.hash(),
    };
    let client = tx.insert_client(new, now).await?;
    let details = json!({"name": name, "scopes": scopes.to_string()});
    audit(
        tx,
        actor,
        AuditAction::ClientCreated,
        "api_client",
        client.id.to_string(),
        details,
        now,
    )
    .await?;
    Ok(IssuedCredentials { client, secret })
}

/// A fresh secret for a client; the old one stops working at once. `None`: no such client.
pub async fn rotate_secret(
    tx: &TenantTx,
    id: ClientId,
    actor: Option<ClientId>,
) -> Result<Option<IssuedCredentials>, StoreError> {
    let now = Utc::now();
    let secret = ClientSecret::generate();
    let Some(client) = tx.rotate_client_secret(id, &secret.hash(), now).await? else {
        return Ok(None);
    };
    audit(
        tx,
        actor,
        AuditAction::ClientSecretRotated,
        "api_client",
        id.to_string(),
        json!({}),
        now,
    )
    .await?;
    Ok(Some(IssuedCredentials { client, secret }))
}

/// Revokes a client; its tokens are refused from now on. `None`: no such client.
pub async fn revoke_client(
    tx: &TenantTx,
    id: ClientId,
    actor: Option<ClientId>,
) -> Result<Option<ApiClient>, StoreError> {
    let now = Utc::now();
    let Some(client) = tx.revoke_client(id, now).await? else {
        return Ok(None);
    };
    audit(
        tx,
        actor,
        AuditAction::ClientRevoked,
        "api_client",
        id.to_string(),
        json!({}),
        now,
    )
    .await?;
    Ok(Some(client))
}

async fn audit(
    tx: &TenantTx,
    actor: Option<ClientId>,
    action: AuditAction,
    target_type: &str,
    target_id: String,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let event = NewAuditEvent {
        actor,
        action,
        target_type,
        target_id: Some(target_id),
        details,
    };
    tx.record(event, now).await
}
