//! The delivery workers' use cases: claiming due deliveries, reading what an attempt needs, and
//! recording what it came to (retry schedule, an endpoint's failure streak, disabling it after
//! [`retry::DISABLE_AFTER`]). The HTTP side is [`crate::webhooks`].

use chrono::{DateTime, TimeDelta, Utc};
use secrecy::SecretString;
use serde_json::json;

use super::{Actor, Error, audit};
use crate::domain::tenancy::{AuditAction, AuditTarget};
use crate::domain::webhook::{AttemptOutcome, Claim, DeliveryStatus, DisabledReason, Event, retry};
use crate::store::Store;
use crate::store::webhooks::AttemptRecord;

/// How long a claimed attempt is leased to its worker: longer than any attempt may take (at most
/// 30 s) plus a margin for waiting on the database and for replicas' clocks to differ. Past it,
/// a worker that died mid-attempt no longer holds the delivery.
pub const LEASE: TimeDelta = TimeDelta::seconds(60);

/// How long delivered events are kept for replays.
pub const RETENTION: TimeDelta = super::webhooks::REPLAY_WINDOW;

/// Everything one attempt needs.
#[derive(Debug)]
pub struct Attempt {
    pub claim: Claim,
    pub url: String,
    /// The secrets that sign at the time, newest first.
    pub secrets: Vec<SecretString>,
    pub event: Event,
}

/// Leases up to `limit` due deliveries of any tenant to the calling worker.
#[tracing::instrument(skip_all)]
pub async fn claim(store: &Store, now: DateTime<Utc>, limit: u64) -> Result<Vec<Claim>, Error> {
    let tx = store.platform_tx().await?;
    let claims = tx.claim_due_deliveries(now, now + LEASE, limit).await?;
    tx.commit().await?;
    Ok(claims)
}

/// What the claimed attempt sends where; `None` when there is nothing to send: the delivery or
/// its endpoint is gone, or the endpoint is disabled (the delivery then fails at once, and a
/// replay can send it once the endpoint is enabled again).
#[tracing::instrument(skip_all, fields(tenant = %claim.tenant, delivery = %claim.delivery))]
pub async fn prepare(
    store: &Store,
    claim: Claim,
    now: DateTime<Utc>,
) -> Result<Option<Attempt>, Error> {
    let tx = store.tenant_read_tx(claim.tenant).await?;
    let Some(delivery) = tx.webhook_deliveries().find(claim.delivery).await? else {
        return Ok(None);
    };
    let endpoint = tx.webhook_endpoints().find(delivery.endpoint_id).await?;
    let event = tx.webhook_events().find(delivery.event_id).await?;
    let secrets = tx
        .webhook_endpoints()
        .signing_secrets(delivery.endpoint_id, now)
        .await?;
    tx.commit().await?;
    let (Some(endpoint), Some(event)) = (endpoint, event) else {
        return Ok(None);
    };
    if !endpoint.enabled {
        let disabled = AttemptOutcome::Failed {
            error: "the endpoint is disabled".to_owned(),
        };
        give_up(store, claim, &disabled, now).await?;
        return Ok(None);
    }
    Ok(Some(Attempt {
        claim,
        url: endpoint.url,
        secrets: secrets.into_iter().map(SecretString::from).collect(),
        event,
    }))
}

/// Records an attempt's outcome: the delivery succeeds, waits for its next attempt, or fails
/// for good; the endpoint's failure streak starts, ends or, after five days, disables it.
/// An outcome that comes after the attempt's lease ran out (another worker has taken the
/// delivery over) changes nothing: then, or when the delivery is gone, `None`.
#[tracing::instrument(skip_all, fields(tenant = %claim.tenant, delivery = %claim.delivery))]
pub async fn record(
    store: &Store,
    claim: Claim,
    outcome: &AttemptOutcome,
    latency: std::time::Duration,
    now: DateTime<Utc>,
    jitter: f64,
) -> Result<Option<DeliveryStatus>, Error> {
    let (status, next_attempt_at) = outcome.next_state(claim.attempt, now, jitter);
    let record = AttemptRecord {
        status,
        next_attempt_at,
        attempted_at: now,
        response_status: outcome.status(),
        latency_ms: Some(u32::try_from(latency.as_millis()).unwrap_or(u32::MAX)),
        error: outcome.error(),
    };
    let tx = store.tenant_tx(claim.tenant).await?;
    let Some(delivery) = tx.webhook_deliveries().find(claim.delivery).await? else {
        return Ok(None);
    };
    let Some(mut endpoint) = tx.webhook_endpoints().lock(delivery.endpoint_id).await? else {
        return Ok(None);
    };
    if !tx
        .webhook_deliveries()
        .record(claim.delivery, claim.attempt, &record)
        .await?
    {
        return Ok(None); // a stale attempt
    }
    let before = endpoint.clone();
    if outcome.succeeded() {
        endpoint.failing_since = None;
    } else {
        let since = *endpoint.failing_since.get_or_insert(now);
        if endpoint.enabled && retry::gives_up(since, now) {
            endpoint.enabled = false;
            endpoint.disabled_reason = Some(DisabledReason::Failing);
            let actor = Actor {
                tenant: claim.tenant,
                client: None,
            };
            let details = json!({"failing_since": since, "last_error": outcome.error()});
            let target = (AuditTarget::WebhookEndpoint, endpoint.id.to_string());
            audit::record(
                &tx,
                actor,
                AuditAction::WebhookEndpointDisabled,
                target,
                details,
                now,
            )
            .await?;
            tracing::warn!(endpoint = %endpoint.id, "disabled a webhook endpoint that kept failing");
        }
    }
    if endpoint != before {
        tx.webhook_endpoints().update(&endpoint).await?;
    }
    tx.commit().await?;
    Ok(Some(status))
}

/// Fails a claimed delivery for good without sending it.
async fn give_up(
    store: &Store,
    claim: Claim,
    outcome: &AttemptOutcome,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let record = AttemptRecord {
        status: DeliveryStatus::Failed,
        next_attempt_at: None,
        attempted_at: now,
        response_status: None,
        latency_ms: None,
        error: outcome.error(),
    };
    let tx = store.tenant_tx(claim.tenant).await?;
    tx.webhook_deliveries()
        .record(claim.delivery, claim.attempt, &record)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes events older than [`RETENTION`] that wait for no attempt, across tenants; how many.
#[tracing::instrument(skip_all)]
pub async fn prune(store: &Store, now: DateTime<Utc>) -> Result<u64, Error> {
    let tx = store.platform_tx().await?;
    let pruned = tx.prune_webhook_events(now - RETENTION).await?;
    tx.commit().await?;
    Ok(pruned)
}

/// Deliveries waiting for an attempt, across tenants (a gauge for operators).
pub async fn queue_depth(store: &Store) -> Result<u64, Error> {
    let tx = store.platform_tx().await?;
    let depth = tx.pending_deliveries().await?;
    tx.commit().await?;
    Ok(depth)
}
