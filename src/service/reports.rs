//! What a report shows: a submitted assessment with its client, its results and who answered,
//! read in one transaction so that the parts agree with one another; for the answers table, every
//! respondent's answers too.

use super::submission::{SubmittedResults, kept, resolved};
use super::{Error, assessments, organisations};
use crate::catalog::Catalog;
use crate::domain::assessment::{Assessment, Organisation, Respondent};
use crate::domain::ids::AssessmentId;
use crate::domain::scoring::RespondentAnswers;
use crate::domain::tenancy::TenantId;
use crate::store::{Store, TenantTx};

/// A submitted assessment, everything a report of it presents.
#[derive(Debug)]
pub struct AssessmentReport<'c> {
    pub organisation: Organisation,
    pub assessment: Assessment,
    pub results: SubmittedResults<'c>,
    /// The respondents registered now, in the order they were added. One removed after the
    /// submission is gone from here (with their answers), while the results keep what they gave.
    pub respondents: Vec<Respondent>,
}

/// A report with every respondent's answers, for the answers table.
#[derive(Debug)]
pub struct AnsweredReport<'c> {
    pub report: AssessmentReport<'c>,
    /// Each respondent's answers, in the order of `report.respondents`.
    pub answers: Vec<RespondentAnswers>,
}

/// The report of a submitted assessment; a 409 while it is still open.
#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn assessment_report<'c>(
    store: &Store,
    catalog: &'c Catalog,
    tenant: TenantId,
    id: AssessmentId,
) -> Result<AssessmentReport<'c>, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    let (organisation, assessment, stored) = submitted(&tx, id).await?;
    let respondents = tx.respondents().all_of(id).await?;
    tx.commit().await?;
    Ok(AssessmentReport {
        organisation,
        assessment,
        results: resolved(catalog, stored)?,
        respondents,
    })
}

/// The report with every respondent's answers; a 409 while the assessment is still open.
#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn answered_report<'c>(
    store: &Store,
    catalog: &'c Catalog,
    tenant: TenantId,
    id: AssessmentId,
) -> Result<AnsweredReport<'c>, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    let (organisation, assessment, stored) = submitted(&tx, id).await?;
    let (respondents, answers) = tx.respondents().with_answers(id).await?.into_iter().unzip();
    tx.commit().await?;
    Ok(AnsweredReport {
        report: AssessmentReport {
            organisation,
            assessment,
            results: resolved(catalog, stored)?,
            respondents,
        },
        answers,
    })
}

/// A submitted assessment with its client and stored results.
async fn submitted(
    tx: &TenantTx,
    id: AssessmentId,
) -> Result<
    (
        Organisation,
        Assessment,
        crate::domain::assessment::AssessmentResults<'static>,
    ),
    Error,
> {
    let assessment = assessments::existing(tx, id).await?;
    let stored = kept(tx, id).await?;
    let organisation = organisations::existing(tx, assessment.organisation_id).await?;
    Ok((organisation, assessment, stored))
}
