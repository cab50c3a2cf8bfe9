//! The delivery worker. Every replica may run one: each round it claims due deliveries (leased,
//! so replicas share the work and never make one attempt twice at once), sends them signed, and
//! records the outcomes. The clock is a parameter of a round, so tests drive retries and the
//! disable window without waiting.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::metrics::WebhookMetrics;
use super::payload;
use super::sender::{Request, Sender};
use crate::auth::webhook_signature::signature_header;
use crate::domain::webhook::AttemptOutcome;
use crate::service::Error;
use crate::service::webhook_delivery::{self, Attempt};
use crate::settings::Settings;
use crate::store::Store;
use crate::store::webhooks::Claim;

/// Delivers webhook events; cheap to clone.
#[derive(Clone)]
pub struct Worker(Arc<Inner>);

struct Inner {
    store: Store,
    sender: Sender,
    public_url: Option<String>,
    batch: usize,
    poll_interval: std::time::Duration,
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

    /// One round at `now`: claims the deliveries due then (up to the configured concurrency),
    /// makes their attempts side by side and records the outcomes; how many it claimed.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<usize, Error> {
        let claims = webhook_delivery::claim(&self.0.store, now, self.0.batch as u64).await?;
        let claimed = claims.len();
        let mut attempts = JoinSet::new();
        for claim in claims {
            let worker = self.clone();
            attempts.spawn(async move { worker.attempt(claim, now).await });
        }
        while let Some(joined) = attempts.join_next().await {
            match joined {
                Ok(Ok(())) => {}
                // The lease runs out and another round tries again.
                Ok(Err(error)) => tracing::warn!(%error, "a webhook attempt could not be recorded"),
                Err(error) => tracing::error!(%error, "a webhook attempt panicked"),
            }
        }
        Ok(claimed)
    }

    async fn attempt(&self, claim: Claim, now: DateTime<Utc>) -> Result<(), Error> {
        let store = &self.0.store;
        let Some(attempt) = webhook_delivery::prepare(store, claim, now).await? else {
            return Ok(());
        };
        let (outcome, latency) = self.send(&attempt, now).await;
        let jitter = rand::thread_rng().gen_range(-1.0..=1.0);
        let status = webhook_delivery::record(store, claim, &outcome, latency, now, jitter).await?;
        if let Some(metrics) = &self.0.metrics {
            metrics.attempt(&outcome, status, latency);
        }
        Ok(())
    }

    async fn send(
        &self,
        attempt: &Attempt,
        now: DateTime<Utc>,
    ) -> (AttemptOutcome, std::time::Duration) {
        let failed = |error: String| (AttemptOutcome::Failed { error }, std::time::Duration::ZERO);
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

    /// Runs rounds until `stop` turns true: at once again after a full round (more may be
    /// due), else after the poll interval. A round in progress finishes first.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            let claimed = match self.deliver_due(Utc::now()).await {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::warn!(%error, "claiming webhook deliveries failed");
                    0
                }
            };
            if let Some(metrics) = &self.0.metrics
                && let Ok(depth) = webhook_delivery::queue_depth(&self.0.store).await
            {
                metrics.queue_depth(depth);
            }
            if *stop.borrow() {
                return;
            }
            if claimed < self.0.batch {
                tokio::select! {
                    _ = tokio::time::sleep(self.0.poll_interval) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    }
}
