//! The bodies of webhook deliveries: a versioned, documented envelope per event type
//! (`{id, type, timestamp, version, data}`, as Standard Webhooks recommends), rendered from the
//! stored event. Rendering is deterministic, so every attempt and replay of an event carries the
//! same body. Additive changes keep `version` 1; anything else is a new version.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};
use uuid::Uuid;

use crate::catalog::ids::{ModelId, string_enum};
use crate::domain::webhook::{Event, EventData, EventType, ModelSummary};

/// The payload format's version; receivers should ignore fields they do not know.
pub const VERSION: u32 = 1;

macro_rules! envelope {
    ($($(#[$doc:meta])* $name:ident($data:ident, $type_schema:ident = $event_type:expr)),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            /// The event's id, also sent as `webhook-id`; the same on every attempt and replay,
            /// so that a receiver can ignore what it has already seen.
            pub id: Uuid,
            #[serde(rename = "type")]
            #[schema(value_type = $type_schema, inline)]
            pub event_type: &'static str,
            /// When it happened.
            pub timestamp: DateTime<Utc>,
            /// The payload format's version (1).
            #[schema(example = 1)]
            pub version: u32,
            pub data: $data,
        }

        /// The envelope's `type`, its only value, so that a receiver's generated types can
        /// tell the envelopes apart by it.
        pub struct $type_schema;

        impl PartialSchema for $type_schema {
            fn schema() -> RefOr<Schema> {
                string_enum("The event type.", vec![$event_type.as_str().to_owned()])
            }
        }

        impl ToSchema for $type_schema {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($type_schema))
            }
        }
    )+};
}

envelope!(
    /// `assessment.created`: an assessment was opened.
    AssessmentCreatedEvent(AssessmentCreatedData, AssessmentCreatedType = EventType::AssessmentCreated),
    /// `respondent.answers_saved`: a respondent saved answers (at most one event per respondent
    /// per minute, carrying the latest count).
    RespondentAnswersSavedEvent(
        RespondentAnswersSavedData,
        RespondentAnswersSavedType = EventType::RespondentAnswersSaved
    ),
    /// `assessment.submitted`: an assessment was submitted and scored.
    AssessmentSubmittedEvent(AssessmentSubmittedData, AssessmentSubmittedType = EventType::AssessmentSubmitted),
    /// `client.deleted`: a client organisation was deleted with its assessments and results.
    ClientDeletedEvent(ClientDeletedData, ClientDeletedType = EventType::ClientDeleted),
);

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentCreatedData {
    pub assessment_id: Uuid,
    pub client_id: Uuid,
    pub title: String,
    /// The chosen models as `model_id@version`.
    #[schema(example = json!(["social-strategy-cone@1.0.0"]))]
    pub models: Vec<String>,
    /// The assessment's resource.
    pub assessment_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RespondentAnswersSavedData {
    pub assessment_id: Uuid,
    pub respondent_id: Uuid,
    /// How many questions the respondent has answered so far.
    pub answered: u32,
    /// The respondent's answers.
    pub answers_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentSubmittedData {
    pub assessment_id: Uuid,
    pub client_id: Uuid,
    pub respondents: u32,
    /// Where the organisation stands on each model.
    pub models: Vec<ModelPlacement>,
    /// How many steps the recommended roadmap has.
    pub roadmap_steps: u32,
    /// The full results (JSON).
    pub results_url: String,
    /// The printable report (HTML).
    pub report_url: String,
}

/// A submission's placement on one model.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelPlacement {
    #[schema(value_type = ModelId)]
    pub model_id: String,
    pub version: String,
    /// The highest stage reached; null below the first stage and for focus models.
    pub stage_id: Option<String>,
    /// The stage aimed for, if one was set.
    pub target_id: Option<String>,
    /// The share of the model's questions answered, 0 to 1.
    pub coverage: f64,
    /// Progress from the start towards the target, 0 to 1, when there is a target.
    pub percent_to_target: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientDeletedData {
    pub client_id: Uuid,
}

/// The body of every delivery of `event`. Links are absolute on `public_url` (`SMM_PUBLIC_URL`),
/// else paths.
pub fn render(event: &Event, public_url: Option<&str>) -> Result<Vec<u8>, serde_json::Error> {
    let base = public_url.unwrap_or("");
    let id = event.id.0;
    let timestamp = event.occurred_at;
    let event_type = event.event_type().as_str();
    match &event.data {
        EventData::AssessmentCreated {
            assessment_id,
            client_id,
            title,
            models,
        } => serde_json::to_vec(&AssessmentCreatedEvent {
            id,
            event_type,
            timestamp,
            version: VERSION,
            data: AssessmentCreatedData {
                assessment_id: assessment_id.0,
                client_id: client_id.0,
                title: title.clone(),
                models: models.clone(),
                assessment_url: format!("{base}/v1/assessments/{assessment_id}"),
            },
        }),
        EventData::RespondentAnswersSaved {
            assessment_id,
            respondent_id,
            answered,
        } => serde_json::to_vec(&RespondentAnswersSavedEvent {
            id,
            event_type,
            timestamp,
            version: VERSION,
            data: RespondentAnswersSavedData {
                assessment_id: assessment_id.0,
                respondent_id: respondent_id.0,
                answered: *answered,
                answers_url: format!(
                    "{base}/v1/assessments/{assessment_id}/respondents/{respondent_id}/answers"
                ),
            },
        }),
        EventData::AssessmentSubmitted {
            assessment_id,
            client_id,
            respondents,
            models,
            roadmap_steps,
        } => serde_json::to_vec(&AssessmentSubmittedEvent {
            id,
            event_type,
            timestamp,
            version: VERSION,
            data: AssessmentSubmittedData {
                assessment_id: assessment_id.0,
                client_id: client_id.0,
                respondents: *respondents,
                models: models.iter().map(placement).collect(),
                roadmap_steps: *roadmap_steps,
                results_url: format!("{base}/v1/assessments/{assessment_id}/results"),
                report_url: format!("{base}/v1/assessments/{assessment_id}/report"),
            },
        }),
        EventData::ClientDeleted { client_id } => serde_json::to_vec(&ClientDeletedEvent {
            id,
            event_type,
            timestamp,
            version: VERSION,
            data: ClientDeletedData {
                client_id: client_id.0,
            },
        }),
    }
}

fn placement(summary: &ModelSummary) -> ModelPlacement {
    ModelPlacement {
        model_id: summary.model_id.clone(),
        version: summary.version.clone(),
        stage_id: summary.stage_id.clone(),
        target_id: summary.target_id.clone(),
        coverage: summary.coverage,
        percent_to_target: summary.percent_to_target,
    }
}

/// Each event type with the name of its payload's schema, for the OpenAPI `webhooks` section.
pub const SCHEMAS: [(EventType, &str); 4] = [
    (EventType::AssessmentCreated, "AssessmentCreatedEvent"),
    (
        EventType::RespondentAnswersSaved,
        "RespondentAnswersSavedEvent",
    ),
    (EventType::AssessmentSubmitted, "AssessmentSubmittedEvent"),
    (EventType::ClientDeleted, "ClientDeletedEvent"),
];
