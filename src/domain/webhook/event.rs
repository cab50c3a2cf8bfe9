//! Events: what happened, as told to the tenant's webhook endpoints. An event is written in the
//! transaction of the change it reports and keeps the facts as they were then (a submission's
//! summary, a deleted client's id), so every attempt and every replay tells the same story.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::EventType;
use crate::domain::assessment::AssessmentResults;
use crate::domain::ids::{AssessmentId, OrganisationId, RespondentId, WebhookEventId};

/// One event of a tenant's.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Time-ordered (UUIDv7); the `webhook-id` of every delivery of it.
    pub id: WebhookEventId,
    pub occurred_at: DateTime<Utc>,
    pub data: EventData,
}

impl Event {
    pub fn new(data: EventData, occurred_at: DateTime<Utc>) -> Event {
        Event {
            id: WebhookEventId::generate(),
            occurred_at,
            data,
        }
    }

    pub fn event_type(&self) -> EventType {
        self.data.event_type()
    }
}

/// The facts each kind of event carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventData {
    AssessmentCreated {
        assessment_id: AssessmentId,
        client_id: OrganisationId,
        title: String,
        /// `model_id@version` of each chosen model.
        models: Vec<String>,
    },
    /// Coalesced: the latest count of one respondent's answers within a minute.
    RespondentAnswersSaved {
        assessment_id: AssessmentId,
        respondent_id: RespondentId,
        answered: u32,
    },
    AssessmentSubmitted {
        assessment_id: AssessmentId,
        client_id: OrganisationId,
        respondents: u32,
        models: Vec<ModelSummary>,
        roadmap_steps: u32,
    },
    ClientDeleted {
        client_id: OrganisationId,
    },
}

impl EventData {
    pub fn event_type(&self) -> EventType {
        match self {
            EventData::AssessmentCreated { .. } => EventType::AssessmentCreated,
            EventData::RespondentAnswersSaved { .. } => EventType::RespondentAnswersSaved,
            EventData::AssessmentSubmitted { .. } => EventType::AssessmentSubmitted,
            EventData::ClientDeleted { .. } => EventType::ClientDeleted,
        }
    }

    /// What coalescing groups events by: one respondent's saves.
    pub fn subject(&self) -> Option<uuid::Uuid> {
        match self {
            EventData::RespondentAnswersSaved { respondent_id, .. } => Some(respondent_id.0),
            _ => None,
        }
    }

    /// The client organisation the event tells about, whose deletion takes it along (the
    /// deletion's own event excepted).
    pub fn client(&self) -> Option<OrganisationId> {
        match self {
            EventData::AssessmentCreated { client_id, .. }
            | EventData::AssessmentSubmitted { client_id, .. } => Some(*client_id),
            EventData::RespondentAnswersSaved { .. } | EventData::ClientDeleted { .. } => None,
        }
    }

    /// A submission's event: where the organisation stands on each model.
    pub fn submitted(client_id: OrganisationId, results: &AssessmentResults<'_>) -> EventData {
        EventData::AssessmentSubmitted {
            assessment_id: results.assessment_id,
            client_id,
            respondents: u32::try_from(results.respondents).unwrap_or(u32::MAX),
            models: results
                .models
                .iter()
                .map(|outcome| ModelSummary {
                    model_id: outcome.model_id.to_string(),
                    version: outcome.model_version.to_string(),
                    stage_id: outcome.stage_id.as_ref().map(ToString::to_string),
                    target_id: outcome.target_id.as_ref().map(ToString::to_string),
                    coverage: outcome.coverage,
                    percent_to_target: outcome.percent_to_target,
                })
                .collect(),
            roadmap_steps: u32::try_from(results.roadmap.len()).unwrap_or(u32::MAX),
        }
    }
}

/// Where a submission placed the organisation on one model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub model_id: String,
    pub version: String,
    /// The highest stage reached; `None` below the first stage and for focus models.
    pub stage_id: Option<String>,
    pub target_id: Option<String>,
    pub coverage: f64,
    pub percent_to_target: Option<f64>,
}

/// How often one respondent's saves are announced: at most once per window.
pub const COALESCING_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(1);
