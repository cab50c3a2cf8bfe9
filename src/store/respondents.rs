//! Respondents of an assessment and their answers.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::{answer, respondent};
use super::{Keyset, StoreError, TenantTx};
use crate::domain::assessment::Respondent;
use crate::domain::scoring::{AnswerValue, RespondentAnswers};

impl TenantTx {
    pub async fn insert_respondent(
        &self,
        assessment_id: Uuid,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<Respondent, StoreError> {
        let row = respondent::ActiveModel {
            tenant_id: Set(self.tenant.0),
            id: Set(Uuid::now_v7()),
            assessment_id: Set(assessment_id),
            label: Set(label.to_owned()),
            created_at: Set(now),
        }
        .insert(&self.txn)
        .await?;
        Ok(respondent_of(row))
    }

    /// A respondent of the given assessment.
    pub async fn find_respondent(
        &self,
        assessment_id: Uuid,
        id: Uuid,
    ) -> Result<Option<Respondent>, StoreError> {
        Ok(respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id))
            .filter(respondent::Column::Id.eq(id))
            .one(&self.txn)
            .await?
            .map(respondent_of))
    }

    /// Deletes a respondent with its answers; `false` when the assessment has no such respondent.
    pub async fn delete_respondent(
        &self,
        assessment_id: Uuid,
        id: Uuid,
    ) -> Result<bool, StoreError> {
        let deleted = respondent::Entity::delete_many()
            .filter(respondent::Column::TenantId.eq(self.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id))
            .filter(respondent::Column::Id.eq(id))
            .exec(&self.txn)
            .await?;
        Ok(deleted.rows_affected == 1)
    }

    pub async fn list_respondents(
        &self,
        assessment_id: Uuid,
        page: Keyset,
    ) -> Result<Vec<Respondent>, StoreError> {
        let mut query = respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id));
        if let Some(after) = page.after {
            query = query.filter(respondent::Column::Id.gt(after));
        }
        Ok(query
            .order_by_asc(respondent::Column::Id)
            .limit(page.limit)
            .all(&self.txn)
            .await?
            .into_iter()
            .map(respondent_of)
            .collect())
    }

    /// Inserts or replaces a respondent's answers to the given indicators; others stay.
    pub async fn save_answers(
        &self,
        respondent_id: Uuid,
        answers: &RespondentAnswers,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if answers.is_empty() {
            return Ok(());
        }
        let rows = answers
            .iter()
            .map(|(indicator_id, value)| answer::ActiveModel {
                tenant_id: Set(self.tenant.0),
                respondent_id: Set(respondent_id),
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
            .exec(&self.txn)
            .await?;
        Ok(())
    }

    /// A respondent's current answers.
    pub async fn answers_of(&self, respondent_id: Uuid) -> Result<RespondentAnswers, StoreError> {
        answer::Entity::find()
            .filter(answer::Column::TenantId.eq(self.tenant.0))
            .filter(answer::Column::RespondentId.eq(respondent_id))
            .all(&self.txn)
            .await?
            .into_iter()
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

    /// Every respondent's answers for an assessment, respondents in creation order.
    pub async fn answers_of_assessment(
        &self,
        assessment_id: Uuid,
    ) -> Result<Vec<RespondentAnswers>, StoreError> {
        let respondents = respondent::Entity::find()
            .filter(respondent::Column::TenantId.eq(self.tenant.0))
            .filter(respondent::Column::AssessmentId.eq(assessment_id))
            .order_by_asc(respondent::Column::Id)
            .all(&self.txn)
            .await?;
        let mut all = Vec::with_capacity(respondents.len());
        for respondent in respondents {
            all.push(self.answers_of(respondent.id).await?);
        }
        Ok(all)
    }
}

fn respondent_of(row: respondent::Model) -> Respondent {
    Respondent {
        id: row.id,
        assessment_id: row.assessment_id,
        label: row.label,
        created_at: row.created_at,
    }
}
