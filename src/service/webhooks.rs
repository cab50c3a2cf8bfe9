//! A tenant's webhook endpoints: registering, changing and removing them, rotating their signing
//! secrets, reading their delivery log and sending deliveries again. Events are written by the
//! use cases that make the changes (see [`super::events`]); the workers deliver them (see
//! [`super::webhook_delivery`]).

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::json;

use super::{Actor, Error, audit};
use crate::auth::webhook_signature::generate_secret;
use crate::domain::FieldError;
use crate::domain::ids::{WebhookDeliveryId, WebhookEndpointId};
use crate::domain::tenancy::{AuditAction, AuditTarget, TenantId};
use crate::domain::webhook::endpoint_url::{self, AddressPolicy};
use crate::domain::webhook::{
    self, Delivery, EventType, MAX_DESCRIPTION_CHARS, MAX_ENDPOINTS_PER_TENANT, SECRET_OVERLAP,
    WebhookEndpoint,
};
use crate::store::{Keyset, Store, TenantTx};

/// The most events one replay request sends again.
pub const MAX_REPLAY: u64 = 1000;

/// How far back a replay may reach.
pub const REPLAY_WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(30);

/// An endpoint as asked for; `None` leaves a field as it is (on change) or takes its default.
#[derive(Clone, Debug, Default)]
pub struct EndpointFields {
    pub url: Option<String>,
    pub event_types: Option<Vec<EventType>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

/// An endpoint just registered or given a new secret, with the secret only this answer shows.
#[derive(Debug)]
pub struct WithSecret {
    pub endpoint: WebhookEndpoint,
    pub secret: SecretString,
}

/// What a replay since a time sent again.
#[derive(Debug)]
pub struct Replayed {
    pub deliveries: usize,
    /// Where to continue when more events than [`MAX_REPLAY`] matched.
    pub next_since: Option<DateTime<Utc>>,
}

/// Registers an endpoint with a new signing secret.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant))]
pub async fn create(
    store: &Store,
    actor: Actor,
    fields: EndpointFields,
    policy: AddressPolicy,
) -> Result<WithSecret, Error> {
    let now = Utc::now();
    let missing: Vec<FieldError> = [
        ("url", fields.url.is_none()),
        ("event_types", fields.event_types.is_none()),
    ]
    .into_iter()
    .filter(|(_, absent)| *absent)
    .map(|(field, _)| FieldError::new(field, "is required"))
    .collect();
    if !missing.is_empty() {
        return Err(Error::Invalid(missing));
    }
    let mut endpoint = WebhookEndpoint {
        id: WebhookEndpointId::generate(),
        url: String::new(),
        event_types: Default::default(),
        description: String::new(),
        enabled: true,
        disabled_reason: None,
        failing_since: None,
        created_at: now,
        updated_at: now,
    };
    apply(&mut endpoint, fields, policy, now)?;
    let tx = store.tenant_tx(actor.tenant).await?;
    // Concurrent registrations count one after the other.
    tx.tenant().lock(false).await?;
    if tx.webhook_endpoints().count().await? >= MAX_ENDPOINTS_PER_TENANT as u64 {
        return Err(Error::Conflict(format!(
            "a tenant has at most {MAX_ENDPOINTS_PER_TENANT} webhook endpoints"
        )));
    }
    tx.webhook_endpoints().insert(&endpoint).await?;
    let secret = generate_secret();
    tx.webhook_endpoints()
        .add_secret(endpoint.id, &secret, now)
        .await?;
    let details = json!({"url": endpoint.url, "event_types": type_names(&endpoint)});
    let target = (AuditTarget::WebhookEndpoint, endpoint.id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::WebhookEndpointCreated,
        target,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(WithSecret {
        endpoint,
        secret: secret.into(),
    })
}

#[tracing::instrument(skip_all, fields(%tenant))]
pub async fn list(
    store: &Store,
    tenant: TenantId,
    page: Keyset,
) -> Result<Vec<WebhookEndpoint>, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    let endpoints = tx.webhook_endpoints().list(page).await?;
    tx.commit().await?;
    Ok(endpoints)
}

#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn get(
    store: &Store,
    tenant: TenantId,
    id: WebhookEndpointId,
) -> Result<WebhookEndpoint, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    let endpoint = existing(&tx, id).await?;
    tx.commit().await?;
    Ok(endpoint)
}

/// Changes the given fields. Enabling an endpoint that the service disabled starts its failure
/// count afresh.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn update(
    store: &Store,
    actor: Actor,
    id: WebhookEndpointId,
    fields: EndpointFields,
    policy: AddressPolicy,
) -> Result<WebhookEndpoint, Error> {
    let now = Utc::now();
    let tx = store.tenant_tx(actor.tenant).await?;
    let mut endpoint = locked(&tx, id).await?;
    let details = json!({
        "url": fields.url,
        "event_types": fields
            .event_types
            .as_ref()
            .map(|types| types.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
        "enabled": fields.enabled,
        "description_changed": fields.description.is_some(),
    });
    apply(&mut endpoint, fields, policy, now)?;
    tx.webhook_endpoints().update(&endpoint).await?;
    let target = (AuditTarget::WebhookEndpoint, id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::WebhookEndpointUpdated,
        target,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(endpoint)
}

/// Removes an endpoint with its secrets and delivery log; its pending deliveries are dropped.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn delete(store: &Store, actor: Actor, id: WebhookEndpointId) -> Result<(), Error> {
    let now = Utc::now();
    let tx = store.tenant_tx(actor.tenant).await?;
    let endpoint = locked(&tx, id).await?;
    tx.webhook_endpoints().delete(id).await?;
    let details = json!({"url": endpoint.url});
    let target = (AuditTarget::WebhookEndpoint, id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::WebhookEndpointDeleted,
        target,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives an endpoint a new secret; the ones it had keep signing beside it for
/// [`SECRET_OVERLAP`], so that the receiver can switch without refusing a delivery.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn rotate_secret(
    store: &Store,
    actor: Actor,
    id: WebhookEndpointId,
) -> Result<WithSecret, Error> {
    let now = Utc::now();
    let tx = store.tenant_tx(actor.tenant).await?;
    let endpoint = locked(&tx, id).await?;
    let retired_until = now + SECRET_OVERLAP;
    tx.webhook_endpoints()
        .retire_secrets(id, now, retired_until)
        .await?;
    let secret = generate_secret();
    tx.webhook_endpoints().add_secret(id, &secret, now).await?;
    let details = json!({"previous_secrets_sign_until": retired_until});
    let target = (AuditTarget::WebhookEndpoint, id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::WebhookSecretRotated,
        target,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(WithSecret {
        endpoint,
        secret: secret.into(),
    })
}

/// An endpoint's deliveries, newest first.
#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn deliveries(
    store: &Store,
    tenant: TenantId,
    id: WebhookEndpointId,
    page: Keyset,
) -> Result<Vec<Delivery>, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    existing(&tx, id).await?;
    let deliveries = tx.webhook_deliveries().list(id, page).await?;
    tx.commit().await?;
    Ok(deliveries)
}

/// Sends one delivery's event to its endpoint again, as a new delivery due now (same event id,
/// so the receiver can tell it has seen it).
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %endpoint_id, %delivery_id))]
pub async fn replay(
    store: &Store,
    actor: Actor,
    endpoint_id: WebhookEndpointId,
    delivery_id: WebhookDeliveryId,
) -> Result<Delivery, Error> {
    let now = Utc::now();
    let tx = store.tenant_tx(actor.tenant).await?;
    let endpoint = locked(&tx, endpoint_id).await?;
    let original = tx
        .webhook_deliveries()
        .find(delivery_id)
        .await?
        .filter(|delivery| delivery.endpoint_id == endpoint_id)
        .ok_or_else(|| Error::NotFound(format!("there is no delivery {delivery_id}")))?;
    must_be_enabled(&endpoint)?;
    if original.attempts == 0 && original.next_attempt_at.is_some_and(|due| due > now) {
        return Err(Error::Conflict(
            "the delivery is not due yet: it is sent when its next attempt is due".to_owned(),
        ));
    }
    let id = tx
        .webhook_events()
        .schedule(
            original.event_id,
            original.event_type,
            endpoint_id,
            now,
            now,
        )
        .await?;
    let details = json!({"deliveries": 1, "event_id": original.event_id});
    let target = (AuditTarget::WebhookEndpoint, endpoint_id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::WebhookDeliveriesReplayed,
        target,
        details,
        now,
    )
    .await?;
    let replayed = tx
        .webhook_deliveries()
        .find(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a delivery just scheduled is missing"))?;
    tx.commit().await?;
    Ok(replayed)
}

/// Sends again every event the endpoint subscribes to that occurred at or after `since` (at most
/// [`MAX_REPLAY`] at a time, oldest first), whether or not it was delivered before.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %endpoint_id))]
pub async fn replay_since(
    store: &Store,
    actor: Actor,
    endpoint_id: WebhookEndpointId,
    since: DateTime<Utc>,
) -> Result<Replayed, Error> {
    let now = Utc::now();
    if since > now {
        return Err(Error::invalid("since", "must not be in the future"));
    }
    if since < now - REPLAY_WINDOW {
        return Err(Error::invalid(
            "since",
            format!("must be within the last {} days", REPLAY_WINDOW.num_days()),
        ));
    }
    let tx = store.tenant_tx(actor.tenant).await?;
    let endpoint = locked(&tx, endpoint_id).await?;
    must_be_enabled(&endpoint)?;
    let types: Vec<_> = endpoint.event_types.iter().copied().collect();
    let events = tx
        .webhook_events()
        .since(&types, since, now, MAX_REPLAY + 1)
        .await?;
    let mut next_since = None;
    let mut deliveries = 0;
    for (index, (event_id, event_type, occurred_at)) in events.into_iter().enumerate() {
        if index as u64 == MAX_REPLAY {
            next_since = Some(occurred_at);
            break;
        }
        tx.webhook_events()
            .schedule(event_id, event_type, endpoint_id, now, now)
            .await?;
        deliveries += 1;
    }
    let details = json!({"deliveries": deliveries, "since": since});
    let target = (AuditTarget::WebhookEndpoint, endpoint_id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::WebhookDeliveriesReplayed,
        target,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Replayed {
        deliveries,
        next_since,
    })
}

async fn existing(tx: &TenantTx, id: WebhookEndpointId) -> Result<WebhookEndpoint, Error> {
    tx.webhook_endpoints()
        .find(id)
        .await?
        .ok_or_else(|| not_found(id))
}

async fn locked(tx: &TenantTx, id: WebhookEndpointId) -> Result<WebhookEndpoint, Error> {
    tx.webhook_endpoints()
        .lock(id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: WebhookEndpointId) -> Error {
    Error::NotFound(format!("there is no webhook endpoint {id}"))
}

fn must_be_enabled(endpoint: &WebhookEndpoint) -> Result<(), Error> {
    if endpoint.enabled {
        Ok(())
    } else {
        Err(Error::Conflict(
            "the endpoint is disabled: enable it before sending deliveries again".to_owned(),
        ))
    }
}

/// Applies the given fields to an endpoint, checking each; all problems at once.
fn apply(
    endpoint: &mut WebhookEndpoint,
    fields: EndpointFields,
    policy: AddressPolicy,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let mut problems = Vec::new();
    if let Some(url) = fields.url {
        match endpoint_url::check(&url, policy) {
            Ok(url) => {
                let url: String = url.into();
                if url != endpoint.url {
                    // Another receiver: the old one's failures say nothing about it.
                    endpoint.failing_since = None;
                    endpoint.url = url;
                }
            }
            Err(message) => problems.push(FieldError::new("url", message)),
        }
    }
    if let Some(names) = fields.event_types {
        match webhook::event_types(&names) {
            Ok(types) => endpoint.event_types = types,
            Err(message) => problems.push(FieldError::new("event_types", message)),
        }
    }
    if let Some(description) = fields.description {
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            let message = format!("at most {MAX_DESCRIPTION_CHARS} characters");
            problems.push(FieldError::new("description", message));
        } else if description.chars().any(char::is_control) {
            let message = "must not contain control characters";
            problems.push(FieldError::new("description", message));
        } else {
            endpoint.description = description;
        }
    }
    if let Some(enabled) = fields.enabled {
        if enabled && !endpoint.enabled {
            endpoint.disabled_reason = None;
            endpoint.failing_since = None;
        }
        endpoint.enabled = enabled;
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    endpoint.updated_at = now;
    Ok(())
}

fn type_names(endpoint: &WebhookEndpoint) -> Vec<&'static str> {
    endpoint.event_types.iter().map(|t| t.as_str()).collect()
}
