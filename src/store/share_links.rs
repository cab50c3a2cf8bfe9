//! Share links of the tenant's assessments, and the one lookup across tenants: by token hash,
//! when someone opens a link.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::entities::share_link;
use super::{Keyset, PlatformTx, StoreError, TenantTx};
use crate::domain::Lang;
use crate::domain::ids::{ApiClientId, AssessmentId, ShareLinkId, TenantId};
use crate::domain::share_link::ShareLink;

/// The share links repository of one tenant transaction.
pub struct ShareLinks<'t>(pub(super) &'t TenantTx);

impl ShareLinks<'_> {
    /// Keeps a new link with the hash of its token.
    #[tracing::instrument(level = "debug", skip_all, fields(id = %link.id))]
    pub async fn insert(&self, link: &ShareLink, token_hash: &str) -> Result<(), StoreError> {
        let row = share_link::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            id: Set(link.id.0),
            assessment_id: Set(link.assessment_id.0),
            token_hash: Set(token_hash.to_owned()),
            language: Set(link.language.code().to_owned()),
            expires_at: Set(link.expires_at),
            created_at: Set(link.created_at),
            created_by: Set(link.created_by.map(|c| c.0)),
            revoked_at: Set(link.revoked_at),
        };
        share_link::Entity::insert(row)
            .exec_without_returning(&self.0.txn)
            .await?;
        Ok(())
    }

    /// An assessment's links, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id))]
    pub async fn list(
        &self,
        assessment_id: AssessmentId,
        page: Keyset,
    ) -> Result<Vec<ShareLink>, StoreError> {
        let mut query = share_link::Entity::find()
            .filter(share_link::Column::TenantId.eq(self.0.tenant.0))
            .filter(share_link::Column::AssessmentId.eq(assessment_id.0));
        if let Some(after) = page.after {
            query = query.filter(share_link::Column::Id.gt(after));
        }
        query
            .order_by_asc(share_link::Column::Id)
            .limit(page.limit)
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(link_of)
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(%assessment_id, %id))]
    pub async fn find(
        &self,
        assessment_id: AssessmentId,
        id: ShareLinkId,
    ) -> Result<Option<ShareLink>, StoreError> {
        share_link::Entity::find()
            .filter(share_link::Column::TenantId.eq(self.0.tenant.0))
            .filter(share_link::Column::AssessmentId.eq(assessment_id.0))
            .filter(share_link::Column::Id.eq(id.0))
            .one(&self.0.txn)
            .await?
            .map(link_of)
            .transpose()
    }

    /// Revokes a link not yet revoked; whether it did.
    #[tracing::instrument(level = "debug", skip_all, fields(%id))]
    pub async fn revoke(&self, id: ShareLinkId, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let updated = share_link::Entity::update_many()
            .col_expr(share_link::Column::RevokedAt, Expr::value(now))
            .filter(share_link::Column::TenantId.eq(self.0.tenant.0))
            .filter(share_link::Column::Id.eq(id.0))
            .filter(share_link::Column::RevokedAt.is_null())
            .exec(&self.0.txn)
            .await?;
        Ok(updated.rows_affected == 1)
    }
}

impl PlatformTx {
    /// The link whose token has this hash, whatever its tenant: the first step of opening one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn find_share_link(
        &self,
        token_hash: &str,
    ) -> Result<Option<(TenantId, ShareLink)>, StoreError> {
        share_link::Entity::find()
            .filter(share_link::Column::TokenHash.eq(token_hash))
            .one(&self.txn)
            .await?
            .map(|row| Ok((TenantId(row.tenant_id), link_of(row)?)))
            .transpose()
    }
}

fn link_of(row: share_link::Model) -> Result<ShareLink, StoreError> {
    let language = Lang::from_tag(&row.language)
        .ok_or_else(|| StoreError::Corrupt(format!("share link language `{}`", row.language)))?;
    Ok(ShareLink {
        id: ShareLinkId(row.id),
        assessment_id: AssessmentId(row.assessment_id),
        language,
        expires_at: row.expires_at,
        created_at: row.created_at,
        created_by: row.created_by.map(ApiClientId),
        revoked_at: row.revoked_at,
    })
}
