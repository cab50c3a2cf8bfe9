//! One event's delivery to one endpoint: its state, and what an attempt's outcome makes of it.

use chrono::{DateTime, Utc};

use super::{EventType, retry};
use crate::domain::ids::{TenantId, WebhookDeliveryId, WebhookEndpointId, WebhookEventId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// A 2xx answered an attempt.
    Succeeded,
    /// Every attempt failed, or the endpoint was disabled; a replay may send it again.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Succeeded,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub id: WebhookDeliveryId,
    pub endpoint_id: WebhookEndpointId,
    pub event_id: WebhookEventId,
    pub event_type: EventType,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The HTTP status of the last attempt's answer, if one came.
    pub response_status: Option<u16>,
    pub latency_ms: Option<u32>,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A delivery leased to one worker for one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    pub tenant: TenantId,
    pub delivery: WebhookDeliveryId,
    /// The attempt's number: its outcome counts only while it is the delivery's latest.
    pub attempt: u32,
}

/// What one attempt came to.
#[derive(Clone, Debug, PartialEq)]
pub enum AttemptOutcome {
    /// The receiver answered 2xx.
    Delivered { status: u16 },
    /// The receiver answered something else (redirects are not followed).
    Rejected { status: u16 },
    /// No answer: refused address, connection error, timeout.
    Failed { error: String },
}

impl AttemptOutcome {
    pub fn succeeded(&self) -> bool {
        matches!(self, AttemptOutcome::Delivered { .. })
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            AttemptOutcome::Delivered { status } | AttemptOutcome::Rejected { status } => {
                Some(*status)
            }
            AttemptOutcome::Failed { .. } => None,
        }
    }

    pub fn error(&self) -> Option<String> {
        match self {
            AttemptOutcome::Delivered { .. } => None,
            AttemptOutcome::Rejected { status } => Some(format!("the receiver answered {status}")),
            AttemptOutcome::Failed { error } => Some(error.clone()),
        }
    }

    /// The delivery's state after its `attempts`-th attempt came to this at `now`.
    pub fn next_state(
        &self,
        attempts: u32,
        now: DateTime<Utc>,
        jitter: f64,
    ) -> (DeliveryStatus, Option<DateTime<Utc>>) {
        if self.succeeded() {
            return (DeliveryStatus::Succeeded, None);
        }
        match retry::next_attempt(attempts, now, jitter) {
            Some(next) => (DeliveryStatus::Pending, Some(next)),
            None => (DeliveryStatus::Failed, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_ends_a_delivery_and_failure_schedules_the_next_attempt() {
        let now = Utc::now();
        let delivered = AttemptOutcome::Delivered { status: 204 };
        assert_eq!(
            delivered.next_state(1, now, 0.0),
            (DeliveryStatus::Succeeded, None)
        );
        let rejected = AttemptOutcome::Rejected { status: 500 };
        let (status, next) = rejected.next_state(1, now, 0.0);
        assert_eq!(status, DeliveryStatus::Pending);
        assert_eq!(next, Some(now + chrono::TimeDelta::seconds(5)));
        let timed_out = AttemptOutcome::Failed {
            error: "timed out".to_owned(),
        };
        assert_eq!(
            timed_out.next_state(retry::MAX_ATTEMPTS, now, 0.0),
            (DeliveryStatus::Failed, None)
        );
    }
}
