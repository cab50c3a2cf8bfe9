//! The use cases: one function per command or query of the API (and of the command line). Each
//! opens its own tenant transaction, applies the workflow rules, writes its audit events and
//! commits, taking and returning typed domain values. Handlers call exactly one of these; nothing
//! here knows HTTP.

pub mod access;
pub mod api_clients;
pub mod assessments;
pub mod audit;
pub mod benchmarks;
mod events;
pub mod health;
pub mod idempotency;
pub mod organisations;
pub mod reports;
pub mod respondents;
pub mod scoring;
pub mod selection;
pub mod share_links;
pub mod submission;
pub mod tenants;
pub mod tokens;
pub mod ttl_cache;
pub mod validation;
pub mod webhook_delivery;
pub mod webhooks;

use crate::domain::FieldError;
use crate::domain::tenancy::{ApiClientId, TenantId};
use crate::store::StoreError;

/// Who performs a use case: a tenant, and the API client acting for it (`None` for an operator
/// at the command line). Audit events name the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub tenant: TenantId,
    pub client: Option<ApiClientId>,
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked about does not exist (or belongs to another tenant).
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// The input is invalid, field by field.
    #[error("the request has invalid fields")]
    Invalid(Vec<FieldError>),
    /// The caller may not do this, whatever its scopes (e.g. read benchmarks without sharing).
    #[error("{0}")]
    Refused(String),
    /// The caller's credentials no longer stand (e.g. their respondent was removed).
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// The database cannot be reached right now.
    #[error("the database is unavailable")]
    Unavailable,
    /// A bug or an infrastructure failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict => {
                Error::Conflict("the request conflicts with an existing record".to_owned())
            }
            StoreError::Unavailable(error) => {
                // The cause goes to the log; the caller learns only that it may retry.
                tracing::warn!(%error, "the database is unavailable");
                Error::Unavailable
            }
            other => Error::Internal(anyhow::Error::new(other)),
        }
    }
}

/// A result of a keyed (idempotent) command: the value, and whether it is the result of an
/// earlier request with the same key rather than of this one.
#[derive(Debug)]
pub struct Keyed<T> {
    pub value: T,
    pub replayed: bool,
}
