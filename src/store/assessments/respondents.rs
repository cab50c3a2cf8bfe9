//! Respondents of the tenant's assessments and their answers.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::assessment::Respondent;
use crate::domain::ids::{AssessmentId, RespondentId};
use crate::domain::scoring::{AnswerValue, RespondentAnswers};
use crate::store::entities::{answer, respondent};
use crate::store::{Keyset, StoreError, TenantTx};

/// The respondents (and answers) repository of one tenant transaction.
pub struct Respondents<'t>(pub(in crate::store) &'t TenantTx);

impl Respondents<'_> {
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn insert(
        &self,
        assessment_id: AssessmentId,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<Respondent, StoreError> {
        let row = respondent::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(RespondentId::generate().0),
            assessment_id: Set(assessment_id.0),
            label: Set(label.to_owned()),
            created_at: Set(now),
        }
        .insert(&self.0.txn)
        .await?;
        Ok(respondent_of(row))
    }

    /// A respondent of the given assessment.
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id, %id))]
    pub async fn find(
        &self,
        assessment_id: AssessmentId,
        id: RespondentId,
    ) -> Result<Option<Respondent>, StoreError> {
        Ok(respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.0.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id.0))
            .filter(respondent::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?
            .map(respondent_of))
    }

    /// Deletes a respondent with its answers; `false` when the assessment has no such respondent.
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id, %id))]
    pub async fn delete(
        &self,
        assessment_id: AssessmentId,
        id: RespondentId,
    ) -> Result<bool, StoreError> {
        let deleted = respondent::Entity::delete_many()
            .filter(respondent::Column::TenantId.eq(self.0.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id.0))
            .filter(respondent::Column::Id.eq(id.0))
            .exec(&self.0.txn)
            .await?;
        Ok(deleted.rows_affected == 1)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn list(
        &self,
        assessment_id: AssessmentId,
        page: Keyset,
    ) -> Result<Vec<Respondent>, StoreError> {
        let mut query = respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.0.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id.0));
        if let Some(after) = page.after {
            query = query.filter(respondent::Column::Id.gt(after));
        }
        Ok(query
            .order_by_asc(respondent::Column::Id)
            .limit(page.limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(respondent_of)
            .collect())
    }

    /// Inserts or replaces a respondent's answers to the given indicators; others stay.
    #[tracing::instrument(level = "debug", skip_all, fields(%respondent_id, answers = answers.len()))]
    pub async fn save_answers(
        &self,
        respondent_id: RespondentId,
        answers: &RespondentAnswers,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if answers.is_empty() {
            return Ok(());
        }
        let rows = answers
            .iter()
            .map(|(indicator_id, value)| answer::ActiveModel {
                tenant_id: Set(self.0.tenant.0),
                respondent_id: Set(respondent_id.0),
                indicator_id: Set(indicator_id.clone()),
                value: Set(value.map(|v| i16::from(v.get()))),
                updated_at: Set(now),
            });
        answer::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    answer::Column::TenantId,
                    answer::Column::RespondentId,
                    answer::Column::IndicatorId,
                ])
                .update_columns([answer::Column::Value, answer::Column::UpdatedAt])
                .to_owned(),
            )
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }

    /// A respondent's current answers.
    #[tracing::instrument(level = "debug", skip_all, fields(%respondent_id))]
    pub async fn answers_of(
        &self,
        respondent_id: RespondentId,
    ) -> Result<RespondentAnswers, StoreError> {
        let rows = answer::Entity::find()
            .filter(answer::Column::TenantId.eq(self.0.tenant.0))
            .filter(answer::Column::RespondentId.eq(respondent_id.0))
            .all(&self.0.txn)
            .await?;
        answers_from(rows)
    }

    /// Every respondent's answers for an assessment, respondents in creation order (those who
    /// have not answered yet included), in one query.
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn answers_of_assessment(
        &self,
        assessment_id: AssessmentId,
    ) -> Result<Vec<RespondentAnswers>, StoreError> {
        Ok(self
            .with_answers(assessment_id)
            .await?
            .into_iter()
            .map(|(_, answers)| answers)
            .collect())
    }

    /// How many respondents an assessment has.
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn count(&self, assessment_id: AssessmentId) -> Result<u64, StoreError> {
        Ok(respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.0.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id.0))
            .count(&self.0.txn)
            .await?)
    }

    /// Every respondent of an assessment, in creation order.
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn all_of(&self, assessment_id: AssessmentId) -> Result<Vec<Respondent>, StoreError> {
        Ok(respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.0.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id.0))
            .order_by_asc(respondent::Column::Id)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(respondent_of)
            .collect())
    }

    /// Every respondent of an assessment with their answers, in creation order, in one query.
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn with_answers(
        &self,
        assessment_id: AssessmentId,
    ) -> Result<Vec<(Respondent, RespondentAnswers)>, StoreError> {
        respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.0.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id.0))
            .order_by_asc(respondent::Column::Id)
            .find_with_related(answer::Entity)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(|(row, answers)| Ok((respondent_of(row), answers_from(answers)?)))
            .collect()
    }
}

fn answers_from(rows: Vec<answer::Model>) -> Result<RespondentAnswers, StoreError> {
    rows.into_iter()
        .map(|row| {
            let value = match row.value {
                None => None,
                Some(v) => Some(
                    AnswerValue::new(i64::from(v))
                        .ok_or_else(|| StoreError::Corrupt(format!("answer value {v}")))?,
                ),
            };
            Ok((row.indicator_id, value))
        })
        .collect()
}

fn respondent_of(row: respondent::Model) -> Respondent {
    Respondent {
        id: RespondentId(row.id),
        assessment_id: AssessmentId(row.assessment_id),
        label: row.label,
        created_at: row.created_at,
    }
}
