//! Delivery metrics, on the service's `/metrics`: attempts by result, their latency, and the
//! number of deliveries waiting.

use prometheus::{Histogram, HistogramOpts, IntCounterVec, IntGauge, Opts, Registry};

use crate::domain::webhook::{AttemptOutcome, DeliveryStatus};

#[derive(Clone, Debug)]
pub struct WebhookMetrics {
    attempts: IntCounterVec,
    latency: Histogram,
    queue_depth: IntGauge,
}

impl WebhookMetrics {
    pub fn register(registry: &Registry) -> prometheus::Result<WebhookMetrics> {
        let attempts = IntCounterVec::new(
            Opts::new(
                "smm_webhook_attempts_total",
                "Webhook delivery attempts by result: delivered (2xx), rejected (other status), \
                 failed (no answer), and what became of the delivery: succeeded, retrying, failed",
            ),
            &["result", "delivery"],
        )?;
        let latency = Histogram::with_opts(
            HistogramOpts::new(
                "smm_webhook_attempt_duration_seconds",
                "Time from connecting to the receiver's answer",
            )
            .buckets(vec![0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]),
        )?;
        let queue_depth = IntGauge::new(
            "smm_webhook_queue_depth",
            "Webhook deliveries waiting for an attempt, as last seen by this replica",
        )?;
        registry.register(Box::new(attempts.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(queue_depth.clone()))?;
        Ok(WebhookMetrics {
            attempts,
            latency,
            queue_depth,
        })
    }

    pub fn attempt(
        &self,
        outcome: &AttemptOutcome,
        delivery: DeliveryStatus,
        latency: std::time::Duration,
    ) {
        let result = match outcome {
            AttemptOutcome::Delivered { .. } => "delivered",
            AttemptOutcome::Rejected { .. } => "rejected",
            AttemptOutcome::Failed { .. } => "failed",
        };
        let delivery = match delivery {
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Pending => "retrying",
            DeliveryStatus::Failed => "failed",
        };
        self.attempts.with_label_values(&[result, delivery]).inc();
        self.latency.observe(latency.as_secs_f64());
    }

    pub fn queue_depth(&self, depth: u64) {
        self.queue_depth
            .set(i64::try_from(depth).unwrap_or(i64::MAX));
    }
}
