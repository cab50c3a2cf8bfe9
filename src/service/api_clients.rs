//! A tenant's API clients: creating them, rotating their secrets, revoking them. Each change and
//! its audit event commit together.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Actor, Error, audit, validation};
use crate::auth::secret::ClientSecret;
use crate::domain::FieldError;
use crate::domain::tenancy::{
    ApiClient, ApiClientId, AuditAction, AuditTarget, Scope, Scopes, StandingChange, TenantId,
};
use crate::store::api_clients::NewApiClient;
use crate::store::{Keyset, Store, TenantTx};

/// A client together with its secret, which exists in clear only until this value is dropped.
pub struct IssuedCredentials {
    pub client: ApiClient,
    pub secret: ClientSecret,
}

/// Creates a client of the actor's tenant with `scopes` (tenant scopes only).
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant))]
pub async fn create(
    store: &Store,
    actor: Actor,
    name: &str,
    scopes: &[String],
) -> Result<IssuedCredentials, Error> {
    let (name, scopes) = validate(name, scopes)?;
    let tx = store.tenant_tx(actor.tenant).await?;
    let issued = insert(&tx, actor, &name, &scopes, Utc::now()).await?;
    tx.commit().await?;
    Ok(issued)
}

#[tracing::instrument(skip_all, fields(%tenant))]
pub async fn list(store: &Store, tenant: TenantId, page: Keyset) -> Result<Vec<ApiClient>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let rows = tx.api_clients().list(page).await?;
    tx.commit().await?;
    Ok(rows)
}

#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn get(store: &Store, tenant: TenantId, id: ApiClientId) -> Result<ApiClient, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let client = tx.api_clients().find(id).await?;
    tx.commit().await?;
    client.ok_or_else(|| not_found(id))
}

/// Revokes a client: its secret and tokens are refused from now on. Revoking a revoked client
/// changes nothing; a client cannot revoke itself.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn revoke(store: &Store, actor: Actor, id: ApiClientId) -> Result<ApiClient, Error> {
    if actor.client == Some(id) {
        return Err(Error::Conflict(
            "a client cannot revoke itself; use another admin client".to_owned(),
        ));
    }
    let tx = store.tenant_tx(actor.tenant).await?;
    let client = match tx.api_clients().find(id).await? {
        None => return Err(not_found(id)),
        Some(revoked) if revoked.revoked_at.is_some() => revoked,
        Some(_) => {
            let now = Utc::now();
            let revoked = tx
                .api_clients()
                .revoke(id, now)
                .await?
                .ok_or_else(|| not_found(id))?;
            tx.announce(StandingChange::Client(actor.tenant, id))
                .await?;
            let target = (AuditTarget::ApiClient, id.to_string());
            audit::record(
                &tx,
                actor,
                AuditAction::ClientRevoked,
                target,
                json!({}),
                now,
            )
            .await?;
            revoked
        }
    };
    tx.commit().await?;
    Ok(client)
}

/// Issues a new secret; the old one stops working at once. Tokens already issued stay valid until
/// they expire.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn rotate_secret(
    store: &Store,
    actor: Actor,
    id: ApiClientId,
) -> Result<IssuedCredentials, Error> {
    let tx = store.tenant_tx(actor.tenant).await?;
    match tx.api_clients().find(id).await? {
        None => return Err(not_found(id)),
        Some(client) if client.revoked_at.is_some() => {
            return Err(Error::Conflict(
                "a revoked client cannot get a new secret".to_owned(),
            ));
        }
        Some(_) => {}
    }
    let now = Utc::now();
    let secret = ClientSecret::generate();
    let client = tx
        .api_clients()
        .rotate_secret(id, &secret.hash(), now)
        .await?
        .ok_or_else(|| not_found(id))?;
    let target = (AuditTarget::ApiClient, id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::ClientSecretRotated,
        target,
        json!({}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedCredentials { client, secret })
}

/// A new client of the transaction's tenant, with its audit event.
pub(super) async fn insert(
    tx: &TenantTx,
    actor: Actor,
    name: &str,
    scopes: &Scopes,
    now: DateTime<Utc>,
) -> Result<IssuedCredentials, Error> {
    let secret = ClientSecret::generate();
    let new = NewApiClient {
        id: ApiClientId::generate(),
        name,
        scopes,
        secret_hash: &secret.hash(),
    };
    let client = tx.api_clients().insert(new, now).await?;
    let details = json!({"name": name, "scopes": scopes.to_string()});
    let target = (AuditTarget::ApiClient, client.id.to_string());
    audit::record(tx, actor, AuditAction::ClientCreated, target, details, now).await?;
    Ok(IssuedCredentials { client, secret })
}

fn validate(name: &str, scopes: &[String]) -> Result<(String, Scopes), Error> {
    let mut errors: Vec<FieldError> = Vec::new();
    let name = validation::name("name", name)
        .map_err(|e| errors.push(e))
        .ok();
    let mut valid = Vec::new();
    if scopes.is_empty() {
        errors.push(FieldError::new("scopes", "at least one scope is required"));
    }
    for (i, text) in scopes.iter().enumerate() {
        match text.parse::<Scope>() {
            Ok(scope) if Scope::TENANT.contains(&scope) => valid.push(scope),
            Ok(scope) => errors.push(FieldError::new(
                format!("scopes[{i}]"),
                format!("`{scope}` cannot be given to a tenant's client"),
            )),
            Err(message) => errors.push(FieldError::new(format!("scopes[{i}]"), message)),
        }
    }
    match name {
        Some(name) if errors.is_empty() => Ok((name, Scopes::new(valid))),
        _ => Err(Error::Invalid(errors)),
    }
}

fn not_found(id: ApiClientId) -> Error {
    Error::NotFound(format!("there is no API client {id}"))
}
