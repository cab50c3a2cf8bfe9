//! Assessments of the transaction's tenant.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::assessment;
use super::{Keyset, StoreError, TenantTx};
use crate::domain::assessment::{Assessment, AssessmentStatus, ChosenModel};

/// Which assessments a list shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct AssessmentFilter {
    pub client_id: Option<Uuid>,
    pub status: Option<AssessmentStatus>,
}

impl TenantTx {
    pub async fn insert_assessment(
        &self,
        client_id: Uuid,
        title: &str,
        models: &[ChosenModel],
        now: DateTime<Utc>,
    ) -> Result<Assessment, StoreError> {
        let models =
            serde_json::to_value(models).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let row = assessment::ActiveModel {
            tenant_id: Set(self.tenant.0),
            id: Set(Uuid::now_v7()),
            client_id: Set(client_id),
            title: Set(title.to_owned()),
            models: Set(models),
            status: Set(AssessmentStatus::Open.as_str().to_owned()),
            created_at: Set(now),
            submitted_at: Set(None),
        }
        .insert(&self.txn)
        .await?;
        Assessment::try_from(row)
    }

    pub async fn find_assessment(&self, id: Uuid) -> Result<Option<Assessment>, StoreError> {
        assessment::Entity::find()
            .filter(assessment::Column::TenantId.eq(self.tenant.0))
            .filter(assessment::Column::Id.eq(id))
            .one(&self.txn)
            .await?
            .map(Assessment::try_from)
            .transpose()
    }

    /// The assessment, locked until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite runs
    /// one writer at a time anyway), so that saving answers and submitting cannot interleave.
    pub async fn lock_assessment(&self, id: Uuid) -> Result<Option<Assessment>, StoreError> {
        let mut query = assessment::Entity::find()
            .filter(assessment::Column::TenantId.eq(self.tenant.0))
            .filter(assessment::Column::Id.eq(id));
        if self.txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            query = query.lock_exclusive();
        }
        query
            .one(&self.txn)
            .await?
            .map(Assessment::try_from)
            .transpose()
    }

    pub async fn list_assessments(
        &self,
        filter: AssessmentFilter,
        page: Keyset,
    ) -> Result<Vec<Assessment>, StoreError> {
        let mut query =
            assessment::Entity::find().filter(assessment::Column::TenantId.eq(self.tenant.0));
        if let Some(client_id) = filter.client_id {
            query = query.filter(assessment::Column::ClientId.eq(client_id));
        }
        if let Some(status) = filter.status {
            query = query.filter(assessment::Column::Status.eq(status.as_str()));
        }
        if let Some(after) = page.after {
            query = query.filter(assessment::Column::Id.gt(after));
        }
        query
            .order_by_asc(assessment::Column::Id)
            .limit(page.limit)
            .all(&self.txn)
            .await?
            .into_iter()
            .map(Assessment::try_from)
            .collect()
    }

    /// Marks an open assessment submitted; `false` when it was not open (a concurrent submission
    /// got there first), which the caller must treat as a conflict.
    pub async fn mark_submitted(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let result = assessment::Entity::update_many()
            .col_expr(
                assessment::Column::Status,
                AssessmentStatus::Submitted.as_str().into(),
            )
            .col_expr(assessment::Column::SubmittedAt, Some(now).into())
            .filter(assessment::Column::TenantId.eq(self.tenant.0))
            .filter(assessment::Column::Id.eq(id))
            .filter(assessment::Column::Status.eq(AssessmentStatus::Open.as_str()))
            .exec(&self.txn)
            .await?;
        Ok(result.rows_affected == 1)
    }
}

impl TryFrom<assessment::Model> for Assessment {
    type Error = StoreError;

    fn try_from(row: assessment::Model) -> Result<Self, Self::Error> {
        Ok(Assessment {
            id: row.id,
            client_id: row.client_id,
            title: row.title,
            models: serde_json::from_value(row.models)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            status: row.status.parse().map_err(StoreError::Corrupt)?,
            created_at: row.created_at,
            submitted_at: row.submitted_at,
        })
    }
}
