//! Respondents of an assessment, their tokens and their answers.

use chrono::Utc;
use serde_json::json;

use super::assessments::{existing, open_for_changes, pinned_models};
use super::selection::{self, RawAnswer};
use super::{Actor, Error, audit, events};
use crate::auth::tokens::{RespondentGrant, TokenSubject, Tokens};
use crate::catalog::Catalog;
use crate::domain::FieldError;
use crate::domain::assessment::Respondent;
use crate::domain::ids::{AssessmentId, RespondentId};
use crate::domain::scoring::RespondentAnswers;
use crate::domain::tenancy::{AuditAction, AuditTarget, Scope, Scopes, TenantId};
use crate::store::{Keyset, Store, TenantTx};

/// The most respondents one assessment may have: every report and submission reads them all.
pub const MAX_RESPONDENTS_PER_ASSESSMENT: u64 = 500;

/// A respondent's token for a questionnaire front-end, and how long it lasts.
#[derive(Debug)]
pub struct RespondentToken {
    pub token: String,
    pub expires_in: i64,
}

/// Adds a respondent to an open assessment and issues their token, which may only read this
/// assessment's questionnaire and save this respondent's answers.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %assessment_id))]
pub async fn add(
    store: &Store,
    tokens: &Tokens,
    ttl_seconds: i64,
    actor: Actor,
    assessment_id: AssessmentId,
    label: &str,
) -> Result<(Respondent, RespondentToken), Error> {
    let label = super::validation::name("label", label).map_err(|e| Error::Invalid(vec![e]))?;
    let Some(issuer) = actor.client else {
        return Err(Error::Internal(anyhow::anyhow!(
            "a respondent token needs an issuing API client"
        )));
    };
    let tx = store.tenant_tx(actor.tenant).await?;
    open_for_changes(&tx, assessment_id).await?;
    // The assessment row is locked: concurrent additions count one after the other.
    if tx.respondents().count(assessment_id).await? >= MAX_RESPONDENTS_PER_ASSESSMENT {
        return Err(Error::Conflict(format!(
            "the assessment already has {MAX_RESPONDENTS_PER_ASSESSMENT} respondents, the most it may have"
        )));
    }
    let respondent = tx
        .respondents()
        .insert(assessment_id, &label, Utc::now())
        .await?;
    let subject = TokenSubject {
        tenant: actor.tenant,
        client: issuer,
        scopes: Scopes::new([Scope::Respondent]),
        respondent: Some(RespondentGrant {
            assessment_id,
            respondent_id: respondent.id,
        }),
    };
    // Issued before the commit: a signing failure leaves no respondent without a token.
    let token = tokens.issue_for(&subject, ttl_seconds)?;
    tx.commit().await?;
    Ok((
        respondent,
        RespondentToken {
            token,
            expires_in: ttl_seconds,
        },
    ))
}

#[tracing::instrument(skip_all, fields(%tenant, %assessment_id))]
pub async fn list(
    store: &Store,
    tenant: TenantId,
    assessment_id: AssessmentId,
    page: Keyset,
) -> Result<Vec<Respondent>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    existing(&tx, assessment_id).await?;
    let rows = tx.respondents().list(assessment_id, page).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Removes a respondent and their answers; their token is refused from then on. Stored results
/// keep what they were scored with.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %assessment_id, %respondent_id))]
pub async fn remove(
    store: &Store,
    actor: Actor,
    assessment_id: AssessmentId,
    respondent_id: RespondentId,
) -> Result<(), Error> {
    let tx = store.tenant_tx(actor.tenant).await?;
    existing(&tx, assessment_id).await?;
    let respondent = respondent_of(&tx, assessment_id, respondent_id).await?;
    tx.respondents()
        .delete(assessment_id, respondent_id)
        .await?;
    let target = (AuditTarget::Respondent, respondent_id.to_string());
    let details = json!({"assessment_id": assessment_id.0, "label": respondent.label});
    audit::record(
        &tx,
        actor,
        AuditAction::RespondentRemoved,
        target,
        details,
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Inserts or replaces some of a respondent's answers while the assessment is open; every answer
/// must be for an indicator the assessment's pinned models ask. Returns all their answers.
#[tracing::instrument(skip_all, fields(%tenant, %assessment_id, %respondent_id))]
pub async fn save_answers(
    store: &Store,
    catalog: &Catalog,
    tenant: TenantId,
    assessment_id: AssessmentId,
    respondent_id: RespondentId,
    answers: &[RawAnswer],
) -> Result<RespondentAnswers, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let assessment = open_for_changes(&tx, assessment_id).await?;
    respondent_of(&tx, assessment_id, respondent_id).await?;
    let models = pinned_models(catalog, &assessment)?;
    let needed = selection::accepted(catalog, models.iter().map(|pinned| pinned.model));
    let mut errors: Vec<FieldError> = Vec::new();
    let answers = selection::answers("answers", answers, &needed, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let now = Utc::now();
    let respondents = tx.respondents();
    respondents
        .save_answers(respondent_id, &answers, now)
        .await?;
    let all = respondents.answers_of(respondent_id).await?;
    events::answers_saved(&tx, assessment_id, respondent_id, all.len(), now).await?;
    tx.commit().await?;
    Ok(all)
}

/// A respondent's answers so far.
#[tracing::instrument(skip_all, fields(%tenant, %assessment_id, %respondent_id))]
pub async fn answers(
    store: &Store,
    tenant: TenantId,
    assessment_id: AssessmentId,
    respondent_id: RespondentId,
) -> Result<RespondentAnswers, Error> {
    let tx = store.tenant_tx(tenant).await?;
    existing(&tx, assessment_id).await?;
    respondent_of(&tx, assessment_id, respondent_id).await?;
    let answers = tx.respondents().answers_of(respondent_id).await?;
    tx.commit().await?;
    Ok(answers)
}

async fn respondent_of(
    tx: &TenantTx,
    assessment_id: AssessmentId,
    id: RespondentId,
) -> Result<Respondent, Error> {
    tx.respondents()
        .find(assessment_id, id)
        .await?
        .ok_or_else(|| {
            Error::NotFound(format!("assessment {assessment_id} has no respondent {id}"))
        })
}
