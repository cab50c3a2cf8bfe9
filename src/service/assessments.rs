//! Assessments of an organisation on chosen models: opening one, reading them, and the rules
//! every other use case on an assessment shares (it must exist; answers only while open; the
//! models at their pinned versions).

use std::collections::BTreeMap;

use chrono::Utc;

use super::idempotency::{at_most_once, deleted_since, unexpected};
use super::{Actor, Error, Keyed, events, selection, validation};
use crate::catalog::Catalog;
use crate::domain::assessment::{Assessment, ChosenModel};
use crate::domain::idempotency::{IdempotencyKey, KeyedOutcome};
use crate::domain::ids::{AssessmentId, OrganisationId};
use crate::domain::tenancy::TenantId;
use crate::domain::webhook::EventData;
use crate::domain::{FieldError, Model, Sector};
use crate::store::{Keyset, Store, TenantTx};

/// Which assessments a list shows.
pub use crate::store::assessments::AssessmentFilter;

/// What it takes to open an assessment, as sent.
#[derive(Clone, Debug)]
pub struct NewAssessment {
    pub organisation_id: OrganisationId,
    pub title: String,
    pub model_ids: Vec<String>,
    pub targets: BTreeMap<String, String>,
    pub focus: BTreeMap<String, Vec<String>>,
    /// Overrides the organisation's sector for this assessment.
    pub sector: Option<String>,
}

/// A model of an assessment at its pinned version, with the assessment's target for it.
#[derive(Clone, Debug)]
pub struct PinnedModel<'c> {
    pub model: &'c Model,
    pub target: Option<String>,
    pub focus: Option<Vec<String>>,
}

/// Opens an assessment on the chosen models at their latest versions, pinned from now on; with
/// a key, at most once.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant))]
pub async fn create(
    store: &Store,
    catalog: &Catalog,
    actor: Actor,
    new: NewAssessment,
    key: Option<&IdempotencyKey>,
) -> Result<Keyed<Assessment>, Error> {
    let mut errors: Vec<FieldError> = Vec::new();
    let title = validation::name("title", &new.title)
        .map_err(|e| errors.push(e))
        .ok();
    let models: Vec<ChosenModel> = selection::models(
        catalog,
        &new.model_ids,
        &new.targets,
        &new.focus,
        &mut errors,
    )
    .into_iter()
    .map(|selected| ChosenModel {
        model_id: selected.model.id.clone(),
        version: selected.model.version,
        target: selected.target,
        focus: selected.focus,
    })
    .collect();
    let sector = selection::sector(new.sector.as_deref(), &mut errors);
    at_most_once(
        store,
        actor.tenant,
        key,
        async move || {
            let tx = store.tenant_tx(actor.tenant).await?;
            if tx
                .organisations()
                .find(new.organisation_id)
                .await?
                .is_none()
            {
                errors.push(FieldError::new(
                    "client_id",
                    format!("there is no client {}", new.organisation_id),
                ));
            }
            let (Some(title), true) = (title, errors.is_empty()) else {
                return Err(Error::Invalid(errors));
            };
            let now = Utc::now();
            let created = tx
                .assessments()
                .insert(new.organisation_id, &title, &models, sector, now)
                .await?;
            let data = EventData::AssessmentCreated {
                assessment_id: created.id,
                client_id: created.organisation_id,
                title: created.title.clone(),
                models: created
                    .models
                    .iter()
                    .map(|m| format!("{}@{}", m.model_id, m.version))
                    .collect(),
            };
            events::emit(&tx, data, now).await?;
            if let Some(key) = key {
                let outcome = KeyedOutcome::AssessmentCreated(created.id);
                tx.idempotency().complete(key, outcome).await?;
            }
            tx.commit().await?;
            Ok(created)
        },
        async |outcome| match outcome {
            KeyedOutcome::AssessmentCreated(id) => get(store, actor.tenant, id)
                .await
                .map_err(|e| deleted_since("assessment", e)),
            other => Err(unexpected(other)),
        },
    )
    .await
}

#[tracing::instrument(skip_all, fields(%tenant))]
pub async fn list(
    store: &Store,
    tenant: TenantId,
    filter: AssessmentFilter,
    page: Keyset,
) -> Result<Vec<Assessment>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let rows = tx.assessments().list(filter, page).await?;
    tx.commit().await?;
    Ok(rows)
}

#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn get(store: &Store, tenant: TenantId, id: AssessmentId) -> Result<Assessment, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let assessment = existing(&tx, id).await?;
    tx.commit().await?;
    Ok(assessment)
}

/// What an assessment's questionnaire asks: its models at their pinned versions, for the sector
/// it is for (its own choice, else its organisation's), which leaves out what does not fit.
#[derive(Clone, Debug)]
pub struct Questionnaire<'c> {
    pub assessment: Assessment,
    pub models: Vec<&'c Model>,
    pub sector: Option<Sector>,
}

#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn questionnaire<'c>(
    store: &Store,
    catalog: &'c Catalog,
    tenant: TenantId,
    id: AssessmentId,
) -> Result<Questionnaire<'c>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let assessment = existing(&tx, id).await?;
    let sector = sector_of(&tx, &assessment).await?;
    tx.commit().await?;
    let models = pinned_models(catalog, &assessment)?
        .into_iter()
        .map(|pinned| pinned.model)
        .collect();
    Ok(Questionnaire {
        assessment,
        models,
        sector,
    })
}

/// The sector an assessment is for: its own choice, else its organisation's.
pub(super) async fn sector_of(
    tx: &TenantTx,
    assessment: &Assessment,
) -> Result<Option<Sector>, Error> {
    if assessment.sector.is_some() {
        return Ok(assessment.sector);
    }
    let organisation = super::organisations::existing(tx, assessment.organisation_id).await?;
    Ok(assessment.sector_for(&organisation))
}

/// The assessment's models at the versions it is pinned to. A version this build does not have
/// is a deployment error (a model version was removed), not the caller's.
pub fn pinned_models<'c>(
    catalog: &'c Catalog,
    assessment: &Assessment,
) -> Result<Vec<PinnedModel<'c>>, Error> {
    assessment
        .models
        .iter()
        .map(|chosen| {
            catalog
                .version(&chosen.model_id, chosen.version)
                .map(|model| PinnedModel {
                    model,
                    target: chosen.target.clone(),
                    focus: chosen.focus.clone(),
                })
                .ok_or_else(|| {
                    Error::Internal(anyhow::anyhow!(
                        "assessment {} is pinned to {} {}, which this build does not have",
                        assessment.id,
                        chosen.model_id,
                        chosen.version
                    ))
                })
        })
        .collect()
}

/// The assessment, or a 404 that looks the same for another tenant's as for a missing one.
pub(super) async fn existing(tx: &TenantTx, id: AssessmentId) -> Result<Assessment, Error> {
    tx.assessments()
        .find(id)
        .await?
        .ok_or_else(|| not_found(id))
}

/// The assessment, locked until the transaction ends, if it is still open: 404 when missing,
/// 409 once submitted. Every change to an assessment's answers or respondents goes through here.
pub(super) async fn open_for_changes(tx: &TenantTx, id: AssessmentId) -> Result<Assessment, Error> {
    let assessment = tx
        .assessments()
        .lock(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if !assessment.is_open() {
        return Err(Error::Conflict(
            "the assessment is submitted: its answers are frozen".to_owned(),
        ));
    }
    Ok(assessment)
}

fn not_found(id: AssessmentId) -> Error {
    Error::NotFound(format!("there is no assessment {id}"))
}
