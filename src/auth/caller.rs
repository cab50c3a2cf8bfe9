//! The authenticated caller of a request, and the guard that demands a scope.
//!
//! A handler that takes `Authorized<scope::ModelsRead>` runs only for a valid bearer token whose
//! client is active, whose tenant is not suspended, and which carries that scope. Standing
//! (revoked? suspended?) is read from the database and cached for a few seconds; revoking a client
//! or suspending a tenant forgets the cached standing at once on the replica that did it, and on
//! PostgreSQL on every other replica too (see [`super::standing_listener`]).

use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};

use crate::auth::tokens::{RespondentGrant, Tokens};
use crate::auth::verified_cache::VerifiedTokens;
use crate::domain::tenancy::{ApiClientId, Refusal, Scopes, StandingChange, TenantId};
use crate::error::ApiError;
use crate::rate_limit::RateLimits;
use crate::service::{self, Actor};
use crate::store::Store;

/// Whom a request acts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub tenant: TenantId,
    pub client: ApiClientId,
    pub scopes: Scopes,
    /// Set for respondent tokens, which may only answer one assessment.
    pub respondent: Option<RespondentGrant>,
}

impl Caller {
    /// Who acts, for use cases and their audit events.
    pub fn actor(&self) -> Actor {
        Actor {
            tenant: self.tenant,
            client: Some(self.client),
        }
    }
}

/// A client's standing as last read: `Ok` when it may use its tokens.
type Standing = Result<(), Refusal>;

/// Verifies tokens and the standing of the clients and tenants behind them.
pub struct Authenticator {
    tokens: Tokens,
    store: Store,
    standing: Mutex<HashMap<(TenantId, ApiClientId), (Standing, Instant)>>,
    /// Counts forgettings: a standing read before one is not cached after it (the read may
    /// predate the change that made it stale).
    forgotten: AtomicU64,
    cache_for: Duration,
    verified: VerifiedTokens,
}

impl Authenticator {
    pub fn new(tokens: Tokens, store: Store, cache_for: Duration) -> Authenticator {
        Authenticator {
            tokens,
            store,
            standing: Mutex::new(HashMap::new()),
            forgotten: AtomicU64::new(0),
            cache_for,
            verified: VerifiedTokens::default(),
        }
    }

    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// The caller behind an `Authorization` header value.
    pub async fn authenticate(&self, authorization: Option<&str>) -> Result<Caller, ApiError> {
        let Some(header) = authorization else {
            return Err(ApiError::Unauthorized(None));
        };
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized(Some("expected a Bearer token")))?;
        let subject = match self.verified.get(token) {
            Some(subject) => subject,
            None => {
                let verified = self
                    .tokens
                    .verify(token)
                    .map_err(|invalid| ApiError::Unauthorized(Some(invalid.0)))?;
                self.verified.insert(token, verified.clone());
                verified.subject
            }
        };
        self.standing(subject.tenant, subject.client)
            .await?
            .map_err(|refusal| ApiError::Unauthorized(Some(refusal.reason())))?;
        Ok(Caller {
            tenant: subject.tenant,
            client: subject.client,
            scopes: subject.scopes,
            respondent: subject.respondent,
        })
    }

    /// Drops the cached standing of one client, after it changed.
    pub fn forget_client(&self, tenant: TenantId, client: ApiClientId) {
        let mut cache = self.cache();
        self.forgotten.fetch_add(1, Ordering::SeqCst);
        cache.remove(&(tenant, client));
    }

    /// Drops the cached standing of every client of a tenant, after the tenant changed.
    pub fn forget_tenant(&self, tenant: TenantId) {
        let mut cache = self.cache();
        self.forgotten.fetch_add(1, Ordering::SeqCst);
        cache.retain(|(cached, _), _| *cached != tenant);
    }

    /// Drops what a standing change (on any replica) makes stale.
    pub fn forget(&self, change: StandingChange) {
        match change {
            StandingChange::Client(tenant, client) => self.forget_client(tenant, client),
            StandingChange::Tenant(tenant) => self.forget_tenant(tenant),
        }
    }

    /// Drops every cached standing: changes may have been missed.
    pub fn forget_all(&self) {
        let mut cache = self.cache();
        self.forgotten.fetch_add(1, Ordering::SeqCst);
        cache.clear();
    }

    fn cache(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(TenantId, ApiClientId), (Standing, Instant)>> {
        // A panic while holding the lock cannot leave the map inconsistent: use it anyway.
        self.standing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn standing(&self, tenant: TenantId, client: ApiClientId) -> Result<Standing, ApiError> {
        if let Some((standing, at)) = self.cache().get(&(tenant, client)).copied()
            && at.elapsed() < self.cache_for
        {
            return Ok(standing);
        }
        let before = self.forgotten.load(Ordering::SeqCst);
        let standing = self.load_standing(tenant, client).await?;
        let mut cache = self.cache();
        // Cached only if nothing was forgotten meanwhile: else this read may be the stale one.
        if self.forgotten.load(Ordering::SeqCst) == before {
            cache.insert((tenant, client), (standing, Instant::now()));
        }
        Ok(standing)
    }

    /// Reads the standing; a refusal for revocation or suspension is audited (at most once per
    /// cache period per client and replica, since refusals are then answered from the cache).
    async fn load_standing(
        &self,
        tenant: TenantId,
        client: ApiClientId,
    ) -> Result<Standing, ApiError> {
        Ok(service::tokens::client_standing(&self.store, tenant, client).await?)
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    /// Authenticates, then spends one request of the tenant's rate-limit budget.
    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let (Some(authenticator), Some(limits)) = (
                request.app_data::<web::Data<Authenticator>>(),
                request.app_data::<web::Data<RateLimits>>(),
            ) else {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "authentication is not configured"
                )));
            };
            let header = request
                .headers()
                .get(AUTHORIZATION)
                .map(|value| value.to_str())
                .transpose()
                .map_err(|_| {
                    ApiError::Unauthorized(Some("the Authorization header is not text"))
                })?;
            let caller = authenticator.authenticate(header).await?;
            let budget = limits.spend(caller.tenant)?;
            request.extensions_mut().insert(budget);
            Ok(caller)
        })
    }
}

/// Scopes as types, so the scope an operation needs is part of its handler's signature.
pub mod scope {
    use crate::domain::tenancy::Scope;

    pub trait Required {
        const SCOPE: Scope;
    }

    macro_rules! scope_marker {
        ($($name:ident),+) => {$(
            #[derive(Debug)]
            pub struct $name;
            impl Required for $name {
                const SCOPE: Scope = Scope::$name;
            }
        )+};
    }

    scope_marker!(
        ModelsRead,
        AssessmentsRead,
        AssessmentsWrite,
        ReportsRead,
        TenantAdmin,
        PlatformAdmin
    );
}

/// A caller holding the scope `S`; 401 without a valid token, 403 without the scope.
#[derive(Debug)]
pub struct Authorized<S: scope::Required>(pub Caller, PhantomData<S>);

impl<S: scope::Required> Authorized<S> {
    pub fn caller(&self) -> &Caller {
        &self.0
    }
}

impl<S: scope::Required + 'static> FromRequest for Authorized<S> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(request, payload);
        Box::pin(async move {
            let caller = caller.await?;
            if !caller.scopes.contains(S::SCOPE) {
                return Err(ApiError::Forbidden { scope: S::SCOPE });
            }
            Ok(Authorized(caller, PhantomData))
        })
    }
}
