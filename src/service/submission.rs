//! Submitting an assessment (freeze the answers, score every chosen model at its pinned version,
//! keep the outcomes) and reading what a submission kept.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::assessments::{existing, pinned_models, sector_of};
use super::idempotency::{at_most_once, unexpected};
use super::scoring::{Advice, advise, resolve};
use super::{Actor, Error, Keyed, audit, benchmarks, events};
use crate::catalog::Catalog;
use crate::domain::Sector;
use crate::domain::assessment::AssessmentResults;
use crate::domain::idempotency::{IdempotencyKey, KeyedOutcome};
use crate::domain::ids::AssessmentId;
use crate::domain::scoring::{Ambition, AnswerSet};
use crate::domain::tenancy::{AuditAction, AuditTarget, TenantId};
use crate::domain::webhook::EventData;
use crate::store::{Store, TenantTx};

/// A submission's results, each outcome with the model version it was scored at.
#[derive(Debug)]
pub struct SubmittedResults<'c> {
    pub assessment_id: AssessmentId,
    pub submitted_at: DateTime<Utc>,
    pub respondents: usize,
    /// The sector the answers were scored for.
    pub sector: Option<Sector>,
    pub advice: Advice<'c>,
}

/// Submits an open assessment with at least one answer, in one transaction with its results (and
/// with its idempotency key's outcome, when it has one).
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn submit<'c>(
    store: &Store,
    catalog: &'c Catalog,
    actor: Actor,
    id: AssessmentId,
    key: Option<&IdempotencyKey>,
) -> Result<Keyed<SubmittedResults<'c>>, Error> {
    at_most_once(
        store,
        actor.tenant,
        key,
        async || {
            let tx = store.tenant_tx(actor.tenant).await?;
            let assessment = tx
                .assessments()
                .lock(id)
                .await?
                .ok_or_else(|| Error::NotFound(format!("there is no assessment {id}")))?;
            if !assessment.is_open() {
                return Err(already_submitted());
            }
            let respondents = tx.respondents().answers_of_assessment(id).await?;
            if respondents.iter().all(std::collections::BTreeMap::is_empty) {
                return Err(Error::Conflict(
                    "nothing to submit: no respondent has answered yet".to_owned(),
                ));
            }
            let answers = AnswerSet::aggregate(catalog.indicators(), &respondents);
            let sector = sector_of(&tx, &assessment).await?;
            let pinned = pinned_models(catalog, &assessment)?;
            let advice = advise(
                catalog,
                pinned.iter().map(|p| {
                    let ambition = Ambition {
                        target: p.target.as_deref(),
                        focus: p.focus.as_deref(),
                        sector,
                    };
                    (p.model, ambition)
                }),
                &answers,
            )?;
            let now = Utc::now();
            let results = AssessmentResults {
                assessment_id: id,
                submitted_at: now,
                respondents: respondents.len(),
                sector,
                models: advice.models.iter().map(|s| s.outcome.clone()).collect(),
                roadmap: advice.roadmap.clone(),
                insights: advice.insights.clone(),
            };
            tx.results().insert(&results).await?;
            benchmarks::contribute(&tx, catalog, assessment.organisation_id, &results).await?;
            if !tx.assessments().mark_submitted(id, now).await? {
                return Err(already_submitted());
            }
            let event = EventData::submitted(assessment.organisation_id, &results);
            events::emit(&tx, event, now).await?;
            let details = json!({"respondents": results.respondents});
            let target = (AuditTarget::Assessment, id.to_string());
            audit::record(
                &tx,
                actor,
                AuditAction::AssessmentSubmitted,
                target,
                details,
                now,
            )
            .await?;
            if let Some(key) = key {
                let outcome = KeyedOutcome::AssessmentSubmitted(id);
                tx.idempotency().complete(key, outcome).await?;
            }
            tx.commit().await?;
            Ok(SubmittedResults {
                assessment_id: id,
                submitted_at: now,
                respondents: results.respondents,
                sector,
                advice,
            })
        },
        async |outcome| match outcome {
            KeyedOutcome::AssessmentSubmitted(submitted) if submitted == id => {
                results(store, catalog, actor.tenant, id).await
            }
            other => Err(unexpected(other)),
        },
    )
    .await
}

/// The results a submission kept; reading them never changes them, whatever model versions were
/// published since.
#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn results<'c>(
    store: &Store,
    catalog: &'c Catalog,
    tenant: TenantId,
    id: AssessmentId,
) -> Result<SubmittedResults<'c>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    existing(&tx, id).await?;
    let stored = kept(&tx, id).await?;
    tx.commit().await?;
    resolved(catalog, stored)
}

/// The results kept for an assessment that exists, or a 409 while it is not submitted.
pub(super) async fn kept(
    tx: &TenantTx,
    id: AssessmentId,
) -> Result<AssessmentResults<'static>, Error> {
    tx.results().find(id).await?.ok_or_else(|| {
        Error::Conflict("the assessment is not submitted yet: it has no results".to_owned())
    })
}

/// Kept results with the model versions they were scored at.
pub(super) fn resolved<'c>(
    catalog: &'c Catalog,
    stored: AssessmentResults<'static>,
) -> Result<SubmittedResults<'c>, Error> {
    Ok(SubmittedResults {
        assessment_id: stored.assessment_id,
        submitted_at: stored.submitted_at,
        respondents: stored.respondents,
        sector: stored.sector,
        advice: resolve(catalog, stored.models, stored.roadmap, stored.insights)?,
    })
}

fn already_submitted() -> Error {
    Error::Conflict("the assessment is already submitted".to_owned())
}
