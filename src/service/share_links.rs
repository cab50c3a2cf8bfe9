//! Share links: handing out, listing and revoking read-only links to an assessment's report, and
//! opening one (the only use case that starts without a tenant: the link's token names it).

use chrono::{DateTime, Utc};
use serde_json::json;

use super::reports::{AssessmentReport, assessment_report};
use super::{Actor, Error, assessments, audit};
use crate::auth::share_token;
use crate::catalog::Catalog;
use crate::domain::Lang;
use crate::domain::ids::{AssessmentId, ShareLinkId};
use crate::domain::share_link::{ShareLink, ShareLinkState, check_expiry};
use crate::domain::tenancy::{AuditAction, AuditTarget, TenantId, TenantStatus};
use crate::store::{Keyset, Store, TenantTx};

/// A link just created, with the token that only this answer shows.
#[derive(Debug)]
pub struct CreatedLink {
    pub link: ShareLink,
    pub token: String,
}

/// Hands out a link to a submitted assessment's report, valid until `expires_at`.
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %assessment_id))]
pub async fn create(
    store: &Store,
    actor: Actor,
    assessment_id: AssessmentId,
    expires_at: DateTime<Utc>,
    language: Lang,
) -> Result<CreatedLink, Error> {
    let now = Utc::now();
    check_expiry(expires_at, now).map_err(|message| Error::invalid("expires_at", message))?;
    let tx = store.tenant_tx(actor.tenant).await?;
    let assessment = assessments::existing(&tx, assessment_id).await?;
    if assessment.is_open() {
        return Err(Error::Conflict(
            "the assessment is not submitted yet: it has no report to share".to_owned(),
        ));
    }
    let token = share_token::generate();
    let token_hash = share_token::hash(&token)
        .ok_or_else(|| anyhow::anyhow!("a generated share token is malformed"))?;
    let link = ShareLink {
        id: ShareLinkId::generate(),
        assessment_id,
        language,
        expires_at,
        created_at: now,
        created_by: actor.client,
        revoked_at: None,
    };
    tx.share_links().insert(&link, &token_hash).await?;
    let details = json!({
        "assessment_id": assessment_id.0,
        "expires_at": expires_at,
        "language": language.code(),
    });
    let target = (AuditTarget::ShareLink, link.id.to_string());
    audit::record(
        &tx,
        actor,
        AuditAction::ShareLinkCreated,
        target,
        details,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedLink { link, token })
}

/// An assessment's links, oldest first (tokens are never shown again).
#[tracing::instrument(skip_all, fields(%tenant, %assessment_id))]
pub async fn list(
    store: &Store,
    tenant: TenantId,
    assessment_id: AssessmentId,
    page: Keyset,
) -> Result<Vec<ShareLink>, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    assessments::existing(&tx, assessment_id).await?;
    let links = tx.share_links().list(assessment_id, page).await?;
    tx.commit().await?;
    Ok(links)
}

/// One link of an assessment (its token is never shown again).
#[tracing::instrument(skip_all, fields(%tenant, %assessment_id, %id))]
pub async fn get(
    store: &Store,
    tenant: TenantId,
    assessment_id: AssessmentId,
    id: ShareLinkId,
) -> Result<ShareLink, Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    let link = existing(&tx, assessment_id, id).await?;
    tx.commit().await?;
    Ok(link)
}

/// Revokes a link; revoking a revoked link changes nothing (and records nothing).
#[tracing::instrument(skip_all, fields(tenant = %actor.tenant, %assessment_id, %id))]
pub async fn revoke(
    store: &Store,
    actor: Actor,
    assessment_id: AssessmentId,
    id: ShareLinkId,
) -> Result<(), Error> {
    let now = Utc::now();
    let tx = store.tenant_tx(actor.tenant).await?;
    existing(&tx, assessment_id, id).await?;
    if tx.share_links().revoke(id, now).await? {
        let details = json!({"assessment_id": assessment_id.0});
        let target = (AuditTarget::ShareLink, id.to_string());
        audit::record(
            &tx,
            actor,
            AuditAction::ShareLinkRevoked,
            target,
            details,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The link, or a 404 that looks the same for another tenant's as for a missing one.
async fn existing(
    tx: &TenantTx,
    assessment_id: AssessmentId,
    id: ShareLinkId,
) -> Result<ShareLink, Error> {
    tx.share_links()
        .find(assessment_id, id)
        .await?
        .ok_or_else(|| {
            Error::NotFound(format!("assessment {assessment_id} has no share link {id}"))
        })
}

/// What opening a link shows.
#[derive(Debug)]
pub enum Shared<'c> {
    /// The report, in the link's language.
    Report(Box<AssessmentReport<'c>>, Lang),
    /// The link existed but shows nothing any more: expired, revoked, or its agency suspended.
    Gone(Lang),
    /// No link has this token (or the string is no token at all).
    Unknown,
}

/// Opens a link by its token: the report while the link is active.
#[tracing::instrument(skip_all)]
pub async fn open<'c>(
    store: &Store,
    catalog: &'c Catalog,
    token: &str,
) -> Result<Shared<'c>, Error> {
    let Some(hash) = share_token::hash(token) else {
        return Ok(Shared::Unknown);
    };
    let tx = store.platform_tx().await?;
    let found = tx.find_share_link(&hash).await?;
    tx.commit().await?;
    let Some((tenant, link)) = found else {
        return Ok(Shared::Unknown);
    };
    let standing = store.find_tenant(tenant).await?;
    let suspended = standing.is_none_or(|t| t.status == TenantStatus::Suspended);
    if suspended || link.state(Utc::now()) != ShareLinkState::Active {
        return Ok(Shared::Gone(link.language));
    }
    match assessment_report(store, catalog, tenant, link.assessment_id).await {
        Ok(report) => Ok(Shared::Report(Box::new(report), link.language)),
        // Deleted since (with its client): the link died with it.
        Err(Error::NotFound(_)) => Ok(Shared::Unknown),
        Err(other) => Err(other),
    }
}
