//! Results stored at submission: the rendered documents, so re-reading never changes them.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::{assessment, assessment_result};
use super::{StoreError, TenantTx};
use crate::domain::assessment::{Assessment, AssessmentStatus};

impl TenantTx {
    pub async fn insert_results(
        &self,
        assessment_id: Uuid,
        documents: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        assessment_result::ActiveModel {
            tenant_id: Set(self.tenant.0),
            assessment_id: Set(assessment_id),
            documents: Set(documents),
            created_at: Set(now),
        }
        .insert(&self.txn)
        .await?;
        Ok(())
    }

    pub async fn find_results(
        &self,
        assessment_id: Uuid,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        Ok(assessment_result::Entity::find()
            .filter(assessment_result::Column::TenantId.eq(self.tenant.0))
            .filter(assessment_result::Column::AssessmentId.eq(assessment_id))
            .one(&self.txn)
            .await?
            .map(|row| row.documents))
    }

    /// A client's submitted assessments with their results, oldest submission first; at most
    /// `limit`, the most recent ones.
    pub async fn submitted_results_of_client(
        &self,
        client_id: Uuid,
        limit: u64,
    ) -> Result<Vec<(Assessment, serde_json::Value)>, StoreError> {
        let rows = assessment::Entity::find()
            .filter(assessment::Column::TenantId.eq(self.tenant.0))
            .filter(assessment::Column::ClientId.eq(client_id))
            .filter(assessment::Column::Status.eq(AssessmentStatus::Submitted.as_str()))
            .order_by_desc(assessment::Column::SubmittedAt)
            .limit(limit)
            .all(&self.txn)
            .await?;
        let mut results = Vec::with_capacity(rows.len());
        for row in rows.into_iter().rev() {
            let assessment = Assessment::try_from(row)?;
            if let Some(documents) = self.find_results(assessment.id).await? {
                results.push((assessment, documents));
            }
        }
        Ok(results)
    }
}
