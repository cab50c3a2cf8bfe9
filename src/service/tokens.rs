//! Whether a client may get tokens (the token endpoint) and use them (every request): one rule,
//! `domain::tenancy::standing`, and one audit event for refusals by revocation or suspension.

use chrono::Utc;

use super::Error;
use crate::auth::secret::secret_matches;
use crate::domain::tenancy::{ApiClient, ApiClientId, Refusal, TenantId, standing};
use crate::store::audit::NewAuditEvent;
use crate::store::{Store, TenantTx};

/// The hash unknown client ids are compared against: of no secret anyone holds.
const UNKNOWN_CLIENT_HASH: &str =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Why the token endpoint refuses a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientRefusal {
    /// Unknown id or wrong secret: the two look the same to the caller.
    BadCredentials,
    /// The client proved who it is but may not get tokens now.
    Standing(Refusal),
}

/// The client these credentials belong to, if it may get tokens.
#[tracing::instrument(skip_all)]
pub async fn authenticate_client(
    store: &Store,
    client_id: &str,
    secret: &str,
) -> Result<Result<ApiClient, ClientRefusal>, Error> {
    let Ok(id) = client_id.parse().map(ApiClientId) else {
        return Ok(Err(ClientRefusal::BadCredentials));
    };
    let tx = store.platform_tx().await?;
    let client = tx.find_client_by_id(id).await?;
    tx.commit().await?;
    // Compare against some hash even for an unknown id, so that timing does not tell which
    // client ids exist.
    let stored_hash = client
        .as_ref()
        .map_or(UNKNOWN_CLIENT_HASH, |c| c.secret_hash.as_str());
    let matches = secret_matches(secret, stored_hash);
    let Some(client) = client.filter(|_| matches) else {
        return Ok(Err(ClientRefusal::BadCredentials));
    };
    let tenant = store.find_tenant(client.tenant_id).await?;
    if let Err(refusal) = standing(tenant.as_ref(), Some(&client)) {
        // Audited only into a tenant that exists: a refusal for an unknown tenant has no log.
        if tenant.is_some() {
            let tx = store.tenant_tx(client.tenant_id).await?;
            audit_refusal(&tx, client.id, refusal, "token_endpoint").await?;
            tx.commit().await?;
        }
        return Ok(Err(ClientRefusal::Standing(refusal)));
    }
    Ok(Ok(client))
}

/// Whether a client's tokens are honoured now; a refusal by revocation or suspension is audited.
#[tracing::instrument(skip_all, fields(%tenant, %client))]
pub async fn client_standing(
    store: &Store,
    tenant: TenantId,
    client: ApiClientId,
) -> Result<Result<(), Refusal>, Error> {
    let tx = store.tenant_tx(tenant).await?;
    let tenant_row = tx.tenant().find().await?;
    let client_row = tx.api_clients().find(client).await?;
    let standing = standing(tenant_row.as_ref(), client_row.as_ref());
    if let Err(refusal) = standing {
        audit_refusal(&tx, client, refusal, "api").await?;
    }
    tx.commit().await?;
    Ok(standing)
}

async fn audit_refusal(
    tx: &TenantTx,
    client: ApiClientId,
    refusal: Refusal,
    at: &str,
) -> Result<(), Error> {
    if let Some(action) = refusal.audit_action() {
        let event = NewAuditEvent::token_refused(client, action, at);
        tx.audit().record(event, Utc::now()).await?;
    }
    Ok(())
}
