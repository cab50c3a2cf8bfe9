//! Tenants (agencies), their API clients, and the scopes that say what a client may do.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::domain::text_enum::text_enum;

pub use crate::domain::ids::{ApiClientId, AuditEventId, TenantId};

/// A permission carried by a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    ModelsRead,
    AssessmentsRead,
    AssessmentsWrite,
    ReportsRead,
    TenantAdmin,
    PlatformAdmin,
    /// Carried only by respondent tokens: answer one assessment as one respondent.
    Respondent,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::ModelsRead,
        Scope::AssessmentsRead,
        Scope::AssessmentsWrite,
        Scope::ReportsRead,
        Scope::TenantAdmin,
        Scope::PlatformAdmin,
        Scope::Respondent,
    ];

    /// Every scope a tenant's client may hold; `platform:admin` is for platform operators only.
    pub const TENANT: [Scope; 5] = [
        Scope::ModelsRead,
        Scope::AssessmentsRead,
        Scope::AssessmentsWrite,
        Scope::ReportsRead,
        Scope::TenantAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ModelsRead => "models:read",
            Scope::AssessmentsRead => "assessments:read",
            Scope::AssessmentsWrite => "assessments:write",
            Scope::ReportsRead => "reports:read",
            Scope::TenantAdmin => "tenant:admin",
            Scope::PlatformAdmin => "platform:admin",
            Scope::Respondent => "respondent",
        }
    }
}

impl FromStr for Scope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| format!("unknown scope `{s}`"))
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of scopes, written as OAuth does: space-separated, here in a fixed order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    pub fn new(scopes: impl IntoIterator<Item = Scope>) -> Scopes {
        Scopes(scopes.into_iter().collect())
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn is_subset(&self, other: &Scopes) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl FromStr for Scopes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(Scopes)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<&str> = self.0.iter().map(|s| s.as_str()).collect();
        f.write_str(&words.join(" "))
    }
}

/// Whether a tenant's tokens are honoured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantStatus {
    Active,
    Suspended,
}

/// Whether a client may get and use tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientStatus {
    Active,
    Revoked,
}

/// An agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub status: TenantStatus,
    /// Whether the tenant's clients count in peer benchmarks (and so the tenant may read them).
    pub benchmark_sharing: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A credential of a tenant. The secret itself is never stored, only its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiClient {
    pub tenant_id: TenantId,
    pub id: ApiClientId,
    pub name: String,
    pub scopes: Scopes,
    pub secret_hash: String,
    pub status: ClientStatus,
    pub created_at: DateTime<Utc>,
    pub secret_rotated_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A security-relevant action, recorded append-only in the tenant's audit log.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub occurred_at: DateTime<Utc>,
    /// The client that acted; `None` for operators acting from the command line.
    pub actor_client_id: Option<ApiClientId>,
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
}

/// What an audit event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    TenantCreated,
    TenantUpdated,
    TenantSuspended,
    TenantReactivated,
    ClientCreated,
    ClientRevoked,
    ClientSecretRotated,
    TokenRefusedRevokedClient,
    TokenRefusedSuspendedTenant,
    /// A client organisation was deleted with all its assessments and results.
    OrganisationDeleted,
    AssessmentSubmitted,
    /// A respondent was removed with their answers; their token stops working.
    RespondentRemoved,
    /// A read-only link to an assessment's report was handed out.
    ShareLinkCreated,
    /// The tenant's clients started or stopped counting in peer benchmarks.
    BenchmarkSharingChanged,
    /// A share link was revoked before it expired.
    ShareLinkRevoked,
    WebhookEndpointCreated,
    WebhookEndpointUpdated,
    WebhookEndpointDeleted,
    WebhookSecretRotated,
    /// The service disabled an endpoint whose deliveries had failed for days.
    WebhookEndpointDisabled,
    /// Deliveries were sent again on request.
    WebhookDeliveriesReplayed,
}

/// A change that may end a client's right to use its tokens, told to every replica so that none
/// keeps answering from a cached standing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StandingChange {
    /// A client was revoked.
    Client(TenantId, ApiClientId),
    /// A tenant was suspended or reactivated: all its clients.
    Tenant(TenantId),
}

impl StandingChange {
    /// The change as a short text (a PostgreSQL notification's payload).
    pub fn encode(self) -> String {
        match self {
            StandingChange::Client(tenant, client) => format!("client {tenant} {client}"),
            StandingChange::Tenant(tenant) => format!("tenant {tenant}"),
        }
    }

    pub fn decode(text: &str) -> Option<StandingChange> {
        let id = |part: &str| part.parse::<uuid::Uuid>().ok();
        match text.split(' ').collect::<Vec<_>>().as_slice() {
            ["client", tenant, client] => Some(StandingChange::Client(
                TenantId(id(tenant)?),
                ApiClientId(id(client)?),
            )),
            ["tenant", tenant] => Some(StandingChange::Tenant(TenantId(id(tenant)?))),
            _ => None,
        }
    }
}

/// Why a client may not get or use tokens now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    TenantUnknown,
    TenantSuspended,
    ClientUnknown,
    ClientRevoked,
}

impl Refusal {
    /// Safe to tell the client: it has already proven who it is.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::TenantUnknown => "the tenant no longer exists",
            Refusal::TenantSuspended => "the tenant is suspended",
            Refusal::ClientUnknown => "the client no longer exists",
            Refusal::ClientRevoked => "the client has been revoked",
        }
    }

    /// The audit event a refusal leaves; none where there is no tenant or client to record it for.
    pub fn audit_action(self) -> Option<AuditAction> {
        match self {
            Refusal::TenantSuspended => Some(AuditAction::TokenRefusedSuspendedTenant),
            Refusal::ClientRevoked => Some(AuditAction::TokenRefusedRevokedClient),
            Refusal::TenantUnknown | Refusal::ClientUnknown => None,
        }
    }
}

/// The one rule for whether a client may get or use tokens: its tenant must exist and not be
/// suspended, and the client must exist and not be revoked, checked in that order.
pub fn standing(tenant: Option<&Tenant>, client: Option<&ApiClient>) -> Result<(), Refusal> {
    match (tenant, client) {
        (None, _) => Err(Refusal::TenantUnknown),
        (Some(t), _) if t.status == TenantStatus::Suspended => Err(Refusal::TenantSuspended),
        (_, None) => Err(Refusal::ClientUnknown),
        (_, Some(c)) if c.status == ClientStatus::Revoked => Err(Refusal::ClientRevoked),
        _ => Ok(()),
    }
}

/// What an audit event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditTarget {
    Tenant,
    /// An API client.
    ApiClient,
    /// A client organisation.
    Organisation,
    Assessment,
    Respondent,
    ShareLink,
    WebhookEndpoint,
}

text_enum!(AuditTarget {
    Tenant => "tenant",
    ApiClient => "api_client",
    Organisation => "organisation",
    Assessment => "assessment",
    Respondent => "respondent",
    ShareLink => "share_link",
    WebhookEndpoint => "webhook_endpoint",
});

text_enum!(TenantStatus { Active => "active", Suspended => "suspended" });
text_enum!(ClientStatus { Active => "active", Revoked => "revoked" });
text_enum!(AuditAction {
    TenantCreated => "tenant.created",
    TenantUpdated => "tenant.updated",
    TenantSuspended => "tenant.suspended",
    TenantReactivated => "tenant.reactivated",
    ClientCreated => "client.created",
    ClientRevoked => "client.revoked",
    ClientSecretRotated => "client.secret_rotated",
    TokenRefusedRevokedClient => "token.refused_revoked_client",
    TokenRefusedSuspendedTenant => "token.refused_suspended_tenant",
    OrganisationDeleted => "organisation.deleted",
    AssessmentSubmitted => "assessment.submitted",
    RespondentRemoved => "respondent.removed",
    ShareLinkCreated => "share_link.created",
    BenchmarkSharingChanged => "tenant.benchmark_sharing_changed",
    ShareLinkRevoked => "share_link.revoked",
    WebhookEndpointCreated => "webhook_endpoint.created",
    WebhookEndpointUpdated => "webhook_endpoint.updated",
    WebhookEndpointDeleted => "webhook_endpoint.deleted",
    WebhookSecretRotated => "webhook_endpoint.secret_rotated",
    WebhookEndpointDisabled => "webhook_endpoint.disabled",
    WebhookDeliveriesReplayed => "webhook_endpoint.replayed",
});

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn standing_changes_survive_their_text_form() {
        let tenant = TenantId(Uuid::now_v7());
        let client = ApiClientId(Uuid::now_v7());
        for change in [
            StandingChange::Client(tenant, client),
            StandingChange::Tenant(tenant),
        ] {
            assert_eq!(StandingChange::decode(&change.encode()), Some(change));
        }
        assert_eq!(StandingChange::decode("tenant not-a-uuid"), None);
        assert_eq!(StandingChange::decode(""), None);
    }

    #[test]
    fn scopes_parse_from_and_print_to_oauth_form_in_a_fixed_order() {
        let scopes: Scopes = "tenant:admin  models:read".parse().unwrap();
        assert!(scopes.contains(Scope::ModelsRead));
        assert!(!scopes.contains(Scope::ReportsRead));
        assert_eq!(scopes.to_string(), "models:read tenant:admin");
        assert_eq!("".parse::<Scopes>().unwrap(), Scopes::default());
        assert_eq!(
            "models:write".parse::<Scopes>().unwrap_err(),
            "unknown scope `models:write`"
        );
    }

    #[test]
    fn standing_checks_the_tenant_before_the_client() {
        let now = chrono::Utc::now();
        let tenant = |status| Tenant {
            id: TenantId(Uuid::nil()),
            name: "t".into(),
            status,
            benchmark_sharing: false,
            created_at: now,
            updated_at: now,
        };
        let client = |status| ApiClient {
            tenant_id: TenantId(Uuid::nil()),
            id: ApiClientId(Uuid::nil()),
            name: "c".into(),
            scopes: Scopes::default(),
            secret_hash: String::new(),
            status,
            created_at: now,
            secret_rotated_at: now,
            revoked_at: None,
        };
        let (active, suspended) = (
            tenant(TenantStatus::Active),
            tenant(TenantStatus::Suspended),
        );
        let (live, revoked) = (client(ClientStatus::Active), client(ClientStatus::Revoked));
        assert_eq!(standing(Some(&active), Some(&live)), Ok(()));
        assert_eq!(
            standing(Some(&suspended), Some(&revoked)),
            Err(Refusal::TenantSuspended)
        );
        assert_eq!(
            standing(Some(&active), Some(&revoked)),
            Err(Refusal::ClientRevoked)
        );
        assert_eq!(standing(None, Some(&live)), Err(Refusal::TenantUnknown));
        assert_eq!(standing(Some(&active), None), Err(Refusal::ClientUnknown));
        assert_eq!(
            Refusal::TenantUnknown.audit_action(),
            None,
            "no tenant to record it in"
        );
    }

    #[test]
    fn tenant_scopes_exclude_platform_administration() {
        assert!(!Scopes::new(Scope::TENANT).contains(Scope::PlatformAdmin));
        assert!(Scopes::new([Scope::ModelsRead]).is_subset(&Scopes::new(Scope::TENANT)));
    }
}
