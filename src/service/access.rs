//! Whether a respondent token still stands: its respondent may have been removed since it was
//! issued, and then the token is refused like a revoked client's.

use super::Error;
use crate::auth::tokens::RespondentGrant;
use crate::domain::tenancy::TenantId;
use crate::store::Store;

/// `Ok` while the grant's respondent exists; `Unauthenticated` once they have been removed.
#[tracing::instrument(skip_all, fields(%tenant, assessment_id = %grant.assessment_id))]
pub async fn respondent_stands(
    store: &Store,
    tenant: TenantId,
    grant: RespondentGrant,
) -> Result<(), Error> {
    let tx = store.tenant_tx(tenant).await?;
    let respondent = tx
        .respondents()
        .find(grant.assessment_id, grant.respondent_id)
        .await?;
    tx.commit().await?;
    match respondent {
        Some(_) => Ok(()),
        None => Err(Error::Unauthenticated("the respondent has been removed")),
    }
}
