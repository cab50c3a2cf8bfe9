//! Webhooks: the endpoints a tenant registers, the events they can subscribe to, and the rules of
//! delivery (which addresses may be called, when a failed attempt is retried, when an endpoint
//! that keeps failing is switched off). Pure: the outbox, the worker and the HTTP client live in
//! the store and in [`crate::webhooks`].

pub mod address;
pub mod delivery;
pub mod endpoint_url;
pub mod event;
pub mod retry;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::domain::ids::WebhookEndpointId;

pub use delivery::{AttemptOutcome, Claim, Delivery, DeliveryStatus};
pub use event::{Event, EventData, ModelSummary};

/// What an endpoint can subscribe to. The names are the public `type` of each event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    AssessmentCreated,
    RespondentAnswersSaved,
    AssessmentSubmitted,
    ClientDeleted,
}

impl EventType {
    pub const ALL: [EventType; 4] = [
        EventType::AssessmentCreated,
        EventType::RespondentAnswersSaved,
        EventType::AssessmentSubmitted,
        EventType::ClientDeleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::AssessmentCreated => "assessment.created",
            EventType::RespondentAnswersSaved => "respondent.answers_saved",
            EventType::AssessmentSubmitted => "assessment.submitted",
            EventType::ClientDeleted => "client.deleted",
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown event type `{s}`"))
    }
}

/// Why the service switched an endpoint off (an endpoint the tenant disabled has no reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisabledReason {
    /// Every attempt failed for [`retry::DISABLE_AFTER`].
    Failing,
}

impl DisabledReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DisabledReason::Failing => "failing",
        }
    }

    pub fn parse(s: &str) -> Option<DisabledReason> {
        (s == "failing").then_some(DisabledReason::Failing)
    }
}

/// A URL of the tenant's that receives the events it subscribed to, signed with its secret.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEndpoint {
    pub id: WebhookEndpointId,
    pub url: String,
    pub event_types: BTreeSet<EventType>,
    pub description: String,
    pub enabled: bool,
    pub disabled_reason: Option<DisabledReason>,
    /// The first failed attempt since the last successful one.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl WebhookEndpoint {
    /// Whether an event of this type is delivered to the endpoint now.
    pub fn receives(&self, event_type: EventType) -> bool {
        self.enabled && self.event_types.contains(&event_type)
    }
}

/// The most endpoints a tenant may register: each event is written once per endpoint.
pub const MAX_ENDPOINTS_PER_TENANT: usize = 20;

/// The longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// How long a rotated-out secret keeps signing beside its successor, so that receivers can roll
/// over without missing a delivery.
pub const SECRET_OVERLAP: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The checked event types of a subscription: at least one, none twice.
pub fn event_types(listed: &[EventType]) -> Result<BTreeSet<EventType>, String> {
    if listed.is_empty() {
        return Err("subscribe to at least one event type".to_owned());
    }
    let mut types = BTreeSet::new();
    for event_type in listed {
        if !types.insert(*event_type) {
            return Err(format!("`{event_type}` is listed twice"));
        }
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_round_trip_their_public_names() {
        for event_type in EventType::ALL {
            assert_eq!(event_type.as_str().parse::<EventType>(), Ok(event_type));
        }
        assert!("assessment.deleted".parse::<EventType>().is_err());
    }

    #[test]
    fn a_subscription_names_known_types_once() {
        use EventType::{AssessmentCreated, ClientDeleted};
        assert_eq!(
            event_types(&[ClientDeleted, AssessmentCreated]).unwrap(),
            BTreeSet::from([AssessmentCreated, ClientDeleted])
        );
        assert!(event_types(&[]).is_err());
        assert!(event_types(&[ClientDeleted, ClientDeleted]).is_err());
    }
}
