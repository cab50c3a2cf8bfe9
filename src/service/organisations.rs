//! The organisations a tenant assesses (the API's "clients") and their progress over time.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::idempotency::{at_most_once, deleted_since, unexpected};
use super::{Actor, Error, Keyed, audit, events};
use crate::catalog::Catalog;
use crate::domain::Version;
use crate::domain::assessment::{Assessment, AssessmentResults, Organisation, OrganisationFields};
use crate::domain::idempotency::{IdempotencyKey, KeyedOutcome};
use crate::domain::ids::{AssessmentId, OrganisationId};
use crate::domain::tenancy::{AuditAction, AuditTarget, TenantId};
use crate::domain::webhook::EventData;
use crate::store::{Keyset, Store, TenantTx};

/// How many of the most recent submitted assessments progress covers.
pub const MAX_PROGRESS_ASSESSMENTS: u64 = 100;

/// Creates an organisation; with a key, at most once.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant))]
pub async fn create(
    store: &Store,
    actor: Actor,
    fields: OrganisationFields,
    key: Option<&IdempotencyKey>,
) -> Result<Keyed<Organisation>, Error> {
    at_most_once(
        store,
        actor.tenant,
        key,
        async || {
            let tx = store.tenant_tx(actor.tenant).await?;
            let created = tx.organisations().insert(fields, Utc::now()).await?;
            if let Some(key) = key {
                let outcome = KeyedOutcome::OrganisationCreated(created.id);
                tx.idempotency().complete(key, outcome).await?;
            }
            tx.commit().await?;
            Ok(created)
        },
        async |outcome| match outcome {
            KeyedOutcome::OrganisationCreated(id) => get(store, actor.tenant, id)
                .await
                .map_err(|e| deleted_since("client", e)),
            other => Err(unexpected(other)),
        },
    )
    .await
}

#[tracing::instrument(skip_all, fields(%tenant))]
pub async fn list(
    store: &Store,
    tenant: TenantId,
    page: Keyset,
) -> Result<Vec<Organisation>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let rows = tx.organisations().list(page).await?;
    tx.commit().await?;
    Ok(rows)
}

#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn get(
    store: &Store,
    tenant: TenantId,
    id: OrganisationId,
) -> Result<Organisation, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let found = existing(&tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn update(
    store: &Store,
    actor: Actor,
    id: OrganisationId,
    fields: OrganisationFields,
) -> Result<Organisation, Error> {
    let tx = store.tenant_tx(actor.tenant).await?;
    let before = existing(&tx, id).await?;
    let updated = tx
        .organisations()
        .update(id, fields, Utc::now())
        .await?
        .ok_or_else(|| not_found(id))?;
    // Its peers follow its industry, size and country.
    if updated.peer_group() != before.peer_group() {
        tx.benchmark_contributions()
            .regroup(id, &updated.peer_group())
            .await?;
    }
    tx.commit().await?;
    Ok(updated)
}

/// Deletes an organisation with all its assessments, respondents, answers and results.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %id))]
pub async fn delete(store: &Store, actor: Actor, id: OrganisationId) -> Result<(), Error> {
    let tx = store.tenant_tx(actor.tenant).await?;
    let organisation = existing(&tx, id).await?;
    // Uncounted before the rows go: the cells carry no client id to find them by later.
    tx.benchmark_contributions().lock_client(id).await?;
    tx.benchmark_contributions().withdraw(id).await?;
    tx.organisations().delete(id).await?;
    let now = Utc::now();
    tx.webhook_events().forget_client(id).await?;
    events::emit(&tx, EventData::ClientDeleted { client_id: id }, now).await?;
    let target = (AuditTarget::Organisation, id.to_string());
    let details = json!({"name": organisation.name});
    audit::record(
        &tx,
        actor,
        AuditAction::OrganisationDeleted,
        target,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where an organisation stood on one model at one submitted assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgressPoint {
    pub assessment_id: AssessmentId,
    pub title: String,
    pub submitted_at: DateTime<Utc>,
    pub model_version: Version,
    pub stage_id: Option<String>,
    pub coverage: f64,
    pub percent_to_target: Option<f64>,
    pub profile_mean: Option<f64>,
}

/// One model's points, oldest submission first.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelProgress {
    pub model_id: String,
    pub points: Vec<ProgressPoint>,
}

/// An organisation and its placements over time.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub organisation: Organisation,
    /// One series per model assessed at least once, in the catalogue's order.
    pub models: Vec<ModelProgress>,
}

/// Per model assessed at least once (in the catalogue's order), the organisation's placement at
/// each of its most recent submitted assessments.
#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn progress(
    store: &Store,
    catalog: &Catalog,
    tenant: TenantId,
    id: OrganisationId,
) -> Result<Progress, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    let organisation = existing(&tx, id).await?;
    let submitted = tx
        .results()
        .of_organisation(id, MAX_PROGRESS_ASSESSMENTS)
        .await?;
    tx.commit().await?;
    let models = catalog
        .latest_models()
        .map(|model| series(&model.id, &submitted))
        .filter(|series| !series.points.is_empty())
        .collect();
    Ok(Progress {
        organisation,
        models,
    })
}

fn series(model_id: &str, submitted: &[(Assessment, AssessmentResults<'_>)]) -> ModelProgress {
    let points = submitted
        .iter()
        .filter_map(|(assessment, results)| {
            let outcome = results.models.iter().find(|m| m.model_id == model_id)?;
            Some(ProgressPoint {
                assessment_id: assessment.id,
                title: assessment.title.clone(),
                submitted_at: results.submitted_at,
                model_version: outcome.model_version,
                stage_id: outcome.stage_id.as_ref().map(ToString::to_string),
                coverage: outcome.coverage,
                percent_to_target: outcome.percent_to_target,
                profile_mean: outcome.profile.as_ref().and_then(|p| p.mean),
            })
        })
        .collect();
    ModelProgress {
        model_id: model_id.to_owned(),
        points,
    }
}

/// The organisation, or a 404 that looks the same for another tenant's as for a missing one.
pub(super) async fn existing(tx: &TenantTx, id: OrganisationId) -> Result<Organisation, Error> {
    tx.organisations()
        .find(id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn not_found(id: OrganisationId) -> Error {
    Error::NotFound(format!("there is no client {id}"))
}
