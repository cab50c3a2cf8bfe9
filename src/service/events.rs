//! Writing webhook events from the use cases that make the changes, inside their transactions
//! (the transactional outbox): an event exists if and only if its change was committed.

use chrono::{DateTime, Utc};

use super::Error;
use crate::domain::ids::{AssessmentId, RespondentId};
use crate::domain::webhook::event::COALESCING_WINDOW;
use crate::domain::webhook::{Event, EventData, EventType};
use crate::store::TenantTx;

/// Writes an event, due for delivery at once.
pub(super) async fn emit(tx: &TenantTx, data: EventData, now: DateTime<Utc>) -> Result<(), Error> {
    tx.webhook_events()
        .emit(&Event::new(data, now), now)
        .await?;
    Ok(())
}

/// Announces a respondent's saved answers, at most once per [`COALESCING_WINDOW`]: saves within
/// a window after an announcement are gathered into one event, sent when the window ends and
/// carrying the latest count, so the last save is always announced.
pub(super) async fn answers_saved(
    tx: &TenantTx,
    assessment_id: AssessmentId,
    respondent_id: RespondentId,
    answered: usize,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let data = EventData::RespondentAnswersSaved {
        assessment_id,
        respondent_id,
        answered: u32::try_from(answered).unwrap_or(u32::MAX),
    };
    // Saves are frequent: a tenant without a subscriber pays one query, not the coalescing too.
    let endpoints = tx
        .webhook_endpoints()
        .subscribed(EventType::RespondentAnswersSaved)
        .await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    // The save locked the assessment, so one respondent's saves coalesce one at a time.
    let events = tx.webhook_events();
    let latest = events
        .latest_about(EventType::RespondentAnswersSaved, respondent_id.0)
        .await?;
    let due = match latest {
        // Not sent yet: it tells the newest count instead.
        Some(latest) if latest.scheduled_at > now => {
            events.replace(latest.id, &data, now).await?;
            return Ok(());
        }
        // Sent within the window: the next one waits for the window's end.
        Some(latest) if now < latest.scheduled_at + COALESCING_WINDOW => {
            latest.scheduled_at + COALESCING_WINDOW
        }
        _ => now,
    };
    events
        .emit_to(&Event::new(data, now), due, &endpoints)
        .await?;
    Ok(())
}
