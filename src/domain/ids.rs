//! Typed identifiers. Every record's id is a UUID, and each kind gets its own type so that an
//! assessment id cannot be passed where a respondent id is expected without a compile error.

use std::fmt;

use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUIDv7), so that ids sort in creation order.
            pub fn generate() -> $name {
                $name(Uuid::now_v7())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> $name {
                $name(id)
            }
        }
    )+};
}

typed_id!(
    /// An agency using the service; every tenant-owned record carries one.
    TenantId,
    /// An API client of a tenant; its id is the OAuth `client_id`.
    ApiClientId,
    /// An organisation an agency assesses (a "client" in the public API).
    OrganisationId,
    /// An assessment of an organisation.
    AssessmentId,
    /// Someone who answers an assessment's questionnaire.
    RespondentId,
    /// An entry in a tenant's audit log.
    AuditEventId,
    /// A read-only link to an assessment's report.
    ShareLinkId,
    /// A URL of a tenant's that receives its webhook events.
    WebhookEndpointId,
    /// One of an endpoint's signing secrets.
    WebhookSecretId,
    /// Something that happened, as announced to webhook endpoints (the `webhook-id` header).
    WebhookEventId,
    /// One event's delivery to one endpoint, with its attempts.
    WebhookDeliveryId,
);

impl TenantId {
    /// The reserved tenant that holds the platform operators' clients; never listed or suspended.
    pub const PLATFORM: TenantId = TenantId(Uuid::nil());
}
