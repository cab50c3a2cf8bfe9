//! Results stored at submission, as language-free outcomes (see [`super::results_format`]).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::results_format;
use crate::domain::assessment::{Assessment, AssessmentResults, AssessmentStatus};
use crate::domain::ids::{AssessmentId, OrganisationId};
use crate::store::entities::{assessment, assessment_result};
use crate::store::{StoreError, TenantTx};

/// The results repository of one tenant transaction.
pub struct Results<'t>(pub(in crate::store) &'t TenantTx);

impl Results<'_> {
    #[tracing::instrument(level = "debug", skip_all, fields(assessment_id = %results.assessment_id))]
    pub async fn insert(&self, results: &AssessmentResults<'_>) -> Result<(), StoreError> {
        let row = assessment_result::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            assessment_id: Set(results.assessment_id.0),
            documents: Set(results_format::write(results)?),
            created_at: Set(results.submitted_at),
        };
        // Without RETURNING: reading back the document just written would only cost a parse.
        assessment_result::Entity::insert(row)
            .exec_without_returning(&self.0.txn)
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn find(
        &self,
        assessment_id: AssessmentId,
    ) -> Result<Option<AssessmentResults<'static>>, StoreError> {
        assessment_result::Entity::find()
            .filter(assessment_result::Column::TenantId.eq(self.0.tenant.0))
            .filter(assessment_result::Column::AssessmentId.eq(assessment_id.0))
            .one(&self.0.txn)
            .await?
            .map(|row| results_format::read(assessment_id, row.documents))
            .transpose()
    }

    /// An organisation's submitted assessments with their results, oldest submission first; at
    /// most `limit`, the most recent ones. One query.
    #[tracing::instrument(level = "debug", skip_all, fields(%organisation_id))]
    pub async fn of_organisation(
        &self,
        organisation_id: OrganisationId,
        limit: u64,
    ) -> Result<Vec<(Assessment, AssessmentResults<'static>)>, StoreError> {
        let rows = assessment::Entity::find()
            .filter(assessment::Column::TenantId.eq(self.0.tenant.0))
            .filter(assessment::Column::ClientId.eq(organisation_id.0))
            .filter(assessment::Column::Status.eq(AssessmentStatus::Submitted.as_str()))
            .order_by_desc(assessment::Column::SubmittedAt)
            .limit(limit)
            .find_also_related(assessment_result::Entity)
            .all(&self.0.txn)
            .await?;
        let mut submitted = Vec::with_capacity(rows.len());
        for (row, result) in rows.into_iter().rev() {
            let assessment = Assessment::try_from(row)?;
            if let Some(result) = result {
                let results = results_format::read(assessment.id, result.documents)?;
                submitted.push((assessment, results));
            }
        }
        Ok(submitted)
    }
}
