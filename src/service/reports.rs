//! What a report shows: a submitted assessment with its client, its results and every
//! respondent's answers, read in one transaction so that the parts agree with one another.

use super::submission::{SubmittedResults, kept, resolved};
use super::{Error, assessments, organisations};
use crate::catalog::Catalog;
use crate::domain::assessment::{Assessment, Organisation, Respondent};
use crate::domain::ids::AssessmentId;
use crate::domain::scoring::RespondentAnswers;
use crate::domain::tenancy::TenantId;
use crate::store::Store;

/// A submitted assessment, everything a report of it presents.
#[derive(Debug)]
pub struct AssessmentReport<'c> {
    pub organisation: Organisation,
    pub assessment: Assessment,
    pub results: SubmittedResults<'c>,
    /// Every respondent with the answers frozen at submission, in the order they were added.
    pub respondents: Vec<(Respondent, RespondentAnswers)>,
}

/// The report of a submitted assessment; a 409 while it is still open.
#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn assessment_report<'c>(
    store: &Store,
    catalog: &'c Catalog,
    tenant: TenantId,
    id: AssessmentId,
) -> Result<AssessmentReport<'c>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let assessment = assessments::existing(&tx, id).await?;
    let stored = kept(&tx, id).await?;
    let organisation = organisations::existing(&tx, assessment.organisation_id).await?;
    let respondents = tx.respondents().with_answers(id).await?;
    tx.commit().await?;
    Ok(AssessmentReport {
        organisation,
        assessment,
        results: resolved(catalog, stored)?,
        respondents,
    })
}
