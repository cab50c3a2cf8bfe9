//! The assessment aggregate of the transaction's tenant: assessments, their respondents and
//! answers ([`respondents`]) and the results stored at submission ([`results`]).

pub mod respondents;
pub mod results;
mod results_format;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::assessment;
use super::{Keyset, StoreError, TenantTx};
use crate::domain::Sector;
use crate::domain::assessment::{Assessment, AssessmentStatus, ChosenModel};
use crate::domain::ids::{AssessmentId, OrganisationId};

/// Which assessments a list shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct AssessmentFilter {
    pub organisation_id: Option<OrganisationId>,
    pub status: Option<AssessmentStatus>,
}

/// The assessments repository of one tenant transaction.
pub struct Assessments<'t>(pub(super) &'t TenantTx);

impl Assessments<'_> {
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn insert(
        &self,
        organisation_id: OrganisationId,
        title: &str,
        models: &[ChosenModel],
        sector: Option<Sector>,
        now: DateTime<Utc>,
    ) -> Result<Assessment, StoreError> {
        let models =
            serde_json::to_value(models).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let row = assessment::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(AssessmentId::generate().0),
            client_id: Set(organisation_id.0),
            title: Set(title.to_owned()),
            models: Set(models),
            sector: Set(sector.map(|s| s.as_str().to_owned())),
            status: Set(AssessmentStatus::Open.as_str().to_owned()),
            created_at: Set(now),
            submitted_at: Set(None),
        }
        .insert(&self.0.txn)
        .await?;
        Assessment::try_from(row)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn find(&self, id: AssessmentId) -> Result<Option<Assessment>, StoreError> {
        assessment::Entity::find()
            .filter(assessment::Column::TenantId.eq(self.0.tenant.0))
            .filter(assessment::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?
            .map(Assessment::try_from)
            .transpose()
    }

    /// The assessment, locked until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite runs
    /// one writer at a time anyway), so that saving answers and submitting cannot interleave.
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn lock(&self, id: AssessmentId) -> Result<Option<Assessment>, StoreError> {
        let mut query = assessment::Entity::find()
            .filter(assessment::Column::TenantId.eq(self.0.tenant.0))
            .filter(assessment::Column::Id.eq(id.0));
        if self.0.txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            query = query.lock_exclusive();
        }
        query
            .one(&self.0.txn)
            .await?
            .map(Assessment::try_from)
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list(
        &self,
        filter: AssessmentFilter,
        page: Keyset,
    ) -> Result<Vec<Assessment>, StoreError> {
        let mut query =
            assessment::Entity::find().filter(assessment::Column::TenantId.eq(self.0.tenant.0));
        if let Some(organisation_id) = filter.organisation_id {
            query = query.filter(assessment::Column::ClientId.eq(organisation_id.0));
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
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(Assessment::try_from)
            .collect()
    }

    /// Marks an open assessment submitted; `false` when it was not open (a concurrent submission
    /// got there first), which the caller must treat as a conflict.
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn mark_submitted(
        &self,
        id: AssessmentId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = assessment::Entity::update_many()
            .col_expr(
                assessment::Column::Status,
                AssessmentStatus::Submitted.as_str().into(),
            )
            .col_expr(assessment::Column::SubmittedAt, Some(now).into())
            .filter(assessment::Column::TenantId.eq(self.0.tenant.0))
            .filter(assessment::Column::Id.eq(id.0))
            .filter(assessment::Column::Status.eq(AssessmentStatus::Open.as_str()))
            .exec(&self.0.txn)
            .await?;
        Ok(result.rows_affected == 1)
    }
}

impl TryFrom<assessment::Model> for Assessment {
    type Error = StoreError;

    fn try_from(row: assessment::Model) -> Result<Self, Self::Error> {
        Ok(Assessment {
            id: AssessmentId(row.id),
            organisation_id: OrganisationId(row.client_id),
            title: row.title,
            models: serde_json::from_value(row.models)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            sector: row
                .sector
                .map(|s| s.parse())
                .transpose()
                .map_err(StoreError::Corrupt)?,
            status: row.status.parse().map_err(StoreError::Corrupt)?,
            created_at: row.created_at,
            submitted_at: row.submitted_at,
        })
    }
}
