//! The delivery worker. Every replica may run one: each round it claims due deliveries (leased,
//! so replicas share the work and never make one attempt twice at once), sends them signed, and
//! records the outcomes. The clock is a parameter of a round, so tests drive retries and the
//! disable window without waiting.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::metrics::WebhookMetrics;
use super::payload;
use super::sender::{Request, Sender};
use crate::auth::webhook_signature::signature_header;
use crate::domain::webhook::{AttemptOutcome, Claim};
use crate::service::Error;
use crate::service::webhook_delivery::{self, Attempt, LEASE};
use crate::settings::Settings;
use crate::store::Store;

/// How often a worker counts the deliveries waiting, for its gauge.
const QUEUE_DEPTH_EVERY: Duration = Duration::from_secs(10);

/// How often a worker prunes events past the replay window.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// What an attempt leaves of its lease, at the least, when it ends: room for replicas' clocks
/// to differ.
const LEASE_MARGIN: Duration = Duration::from_secs(15);

/// Delivers webhook events; cheap to clone.
#[derive(Clone)]
pub struct Worker(Arc<Inner>);

struct Inner {
    store: Store,
    sender: Sender,
    public_url: Option<String>,
    batch: usize,
    poll_interval: Duration,
    timeout: Duration,
    metrics: Option<WebhookMetrics>,
}

impl Worker {
    pub fn new(store: Store, settings: &Settings) -> anyhow::Result<Worker> {
        let webhooks = &settings.webhooks;
        Ok(Worker(Arc::new(Inner {
            store,
            sender: Sender::new(webhooks.policy, webhooks.timeout)?,
            public_url: settings.public_url.0.clone(),
            batch: webhooks.concurrency,
            poll_interval: webhooks.poll_interval,
            timeout: webhooks.timeout,
            metrics: None,
        })))
    }

    /// The same worker, counting into `registry`.
    pub fn with_metrics(self, registry: &prometheus::Registry) -> anyhow::Result<Worker> {
        let metrics = WebhookMetrics::register(registry)?;
        let inner = Arc::try_unwrap(self.0)
            .map_err(|_| anyhow::anyhow!("metrics are set before the worker is shared"))?;
        Ok(Worker(Arc::new(Inner {
            metrics: Some(metrics),
            ..inner
        })))
    }

    /// One round at `now`, for tests and tools that set the clock: claims the deliveries due
    /// then (up to the configured concurrency), makes their attempts side by side and records the
    /// outcomes; how many it claimed.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<usize, Error> {
        let claimed_at = Instant::now();
        let claims = webhook_delivery::claim(&self.0.store, now, self.0.batch as u64).await?;
        let claimed = claims.len();
        let mut attempts = JoinSet::new();
        for claim in claims {
            let worker = self.clone();
            attempts.spawn(async move { worker.attempt(claim, now, claimed_at).await });
        }
        while let Some(joined) = attempts.join_next().await {
            report(joined);
        }
        Ok(claimed)
    }

    /// One attempt of a delivery claimed at `now` (`claimed_at` on this replica's monotonic
    /// clock). An attempt that could no longer end inside its lease is not made: another worker
    /// may take the delivery over when the lease ends, and one attempt must never be made twice
    /// at once.
    async fn attempt(
        &self,
        claim: Claim,
        now: DateTime<Utc>,
        claimed_at: Instant,
    ) -> Result<(), Error> {
        let store = &self.0.store;
        let Some(attempt) = webhook_delivery::prepare(store, claim, now).await? else {
            return Ok(());
        };
        let lease = LEASE.to_std().unwrap_or_default();
        if claimed_at.elapsed() + self.0.timeout + LEASE_MARGIN > lease {
            tracing::warn!(delivery = %claim.delivery, "a webhook attempt waited too long to be made in its lease");
            return Ok(());
        }
        // Signed when sent: a round's clock may be set ahead (tests), never behind.
        let (outcome, latency) = self.send(&attempt, now.max(Utc::now())).await;
        let jitter = rand::thread_rng().gen_range(-1.0..=1.0);
        // Retries count from when the attempt ended (a timeout takes its full time).
        let ended = now + chrono::TimeDelta::from_std(latency).unwrap_or_default();
        let status =
            webhook_delivery::record(store, claim, &outcome, latency, ended, jitter).await?;
        if let (Some(metrics), Some(status)) = (&self.0.metrics, status) {
            metrics.attempt(&outcome, status, latency);
        }
        Ok(())
    }

    async fn send(&self, attempt: &Attempt, now: DateTime<Utc>) -> (AttemptOutcome, Duration) {
        let failed = |error: String| (AttemptOutcome::Failed { error }, Duration::ZERO);
        let body = match payload::render(&attempt.event, self.0.public_url.as_deref()) {
            Ok(body) => body,
            Err(error) => return failed(format!("rendering the payload: {error}")),
        };
        let id = attempt.event.id.to_string();
        let timestamp = now.timestamp();
        let signature = match signature_header(&attempt.secrets, &id, timestamp, &body) {
            Ok(signature) => signature,
            Err(error) => return failed(error.to_string()),
        };
        let request = Request {
            url: &attempt.url,
            headers: vec![
                ("webhook-id", id),
                ("webhook-timestamp", timestamp.to_string()),
                ("webhook-signature", signature),
            ],
            body,
        };
        self.0.sender.send(request).await
    }

    /// Delivers until `stop` turns true. Up to the configured concurrency of attempts run at
    /// once, and a slot that frees up is filled at once, so one slow receiver holds one slot, not
    /// a round. Attempts in flight finish before it returns.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut in_flight = JoinSet::new();
        let mut depth_read: Option<Instant> = None;
        let mut pruned: Option<Instant> = None;
        loop {
            while let Some(joined) = in_flight.try_join_next() {
                report(joined);
            }
            let free = self.0.batch - in_flight.len();
            let mut claimed = 0;
            if free > 0 && !*stop.borrow() {
                let now = Utc::now();
                let claimed_at = Instant::now();
                match webhook_delivery::claim(&self.0.store, now, free as u64).await {
                    Ok(claims) => {
                        claimed = claims.len();
                        for claim in claims {
                            let worker = self.clone();
                            in_flight
                                .spawn(async move { worker.attempt(claim, now, claimed_at).await });
                        }
                    }
                    Err(error) => tracing::warn!(%error, "claiming webhook deliveries failed"),
                }
            }
            // A count across tenants: often enough for a gauge, not every round.
            if let Some(metrics) = &self.0.metrics
                && depth_read.is_none_or(|read| read.elapsed() >= QUEUE_DEPTH_EVERY)
                && let Ok(depth) = webhook_delivery::queue_depth(&self.0.store).await
            {
                metrics.queue_depth(depth);
                depth_read = Some(Instant::now());
            }
            if pruned.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                match webhook_delivery::prune(&self.0.store, Utc::now()).await {
                    Ok(0) => {}
                    Ok(count) => {
                        tracing::info!(count, "pruned webhook events past the replay window");
                    }
                    Err(error) => tracing::warn!(%error, "pruning webhook events failed"),
                }
                pruned = Some(Instant::now());
            }
            if *stop.borrow() {
                while let Some(joined) = in_flight.join_next().await {
                    report(joined);
                }
                return;
            }
            if claimed > 0 && claimed == free {
                continue; // more may be due
            }
            tokio::select! {
                _ = tokio::time::sleep(self.0.poll_interval) => {}
                Some(joined) = in_flight.join_next(), if !in_flight.is_empty() => report(joined),
                _ = stop.changed() => {}
            }
        }
    }
}

/// Logs what an attempt's task came to; an attempt that could not be recorded is tried again
/// when its lease runs out.
fn report(joined: Result<Result<(), Error>, tokio::task::JoinError>) {
    match joined {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "a webhook attempt could not be recorded"),
        Err(error) => tracing::error!(%error, "a webhook attempt panicked"),
    }
}
