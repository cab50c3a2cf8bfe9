//! Abuse limits, kept in memory per replica (so a tenant's effective limit is the per-replica
//! limit times the number of replicas):
//! - each tenant has a request budget (GCRA: a steady rate plus a burst); authenticated responses
//!   carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and an exhausted budget
//!   is a 429 with `Retry-After`;
//! - each client id, and each source address, has a small budget of failed token requests; past
//!   it, failures are 429. A correct secret is still accepted, so knowing a client id is not
//!   enough to lock it out;
//! - each source address has a request budget on the endpoints without a token (the token
//!   endpoint, share links), which no tenant budget covers.
//!
//! A source address is an IPv4 address or an IPv6 /64 (see `budget_holder`).

use std::net::{IpAddr, Ipv6Addr};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::domain::tenancy::TenantId;
use crate::error::ApiError;
use crate::settings::LimitSettings;

type TenantLimiter = RateLimiter<
    TenantId,
    DefaultKeyedStateStore<TenantId>,
    DefaultClock,
    StateInformationMiddleware,
>;
type FailureLimiter = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;
type AddressLimiter = RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>;

/// Above this many tracked client ids, forgotten ones are dropped (ids can be made up at will).
const MAX_TRACKED_FAILURES: usize = 10_000;

/// Above this many tracked addresses, those with a full budget again are dropped.
const MAX_TRACKED_ADDRESSES: usize = 100_000;

/// The limits of this replica.
pub struct RateLimits {
    tenants: TenantLimiter,
    failures: FailureLimiter,
    addresses: AddressLimiter,
    address_failures: AddressLimiter,
    tenant_quota: Quota,
}

/// A tenant's budget after a request, for the response headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the budget is full again.
    pub reset: u64,
}

impl RateLimits {
    /// The limits of `settings`: per tenant a steady rate with bursts, failed token requests per
    /// client id and per address, and requests without a token per address.
    pub fn new(settings: &LimitSettings) -> RateLimits {
        let tenant_quota = Quota::per_second(settings.per_second).allow_burst(settings.burst);
        RateLimits {
            tenants: RateLimiter::keyed(tenant_quota)
                .with_middleware::<StateInformationMiddleware>(),
            failures: RateLimiter::keyed(Quota::per_minute(settings.token_failures_per_minute)),
            addresses: RateLimiter::keyed(Quota::per_minute(settings.per_address_per_minute)),
            address_failures: RateLimiter::keyed(Quota::per_minute(
                settings.address_token_failures_per_minute,
            )),
            tenant_quota,
        }
    }

    /// Spends one request of a source address's budget for the endpoints without a token.
    pub fn spend_address(&self, address: IpAddr) -> Result<(), ApiError> {
        spend(&self.addresses, address)
    }

    /// Records a failed token request from `address`; `Err` once its failures exceed the budget.
    pub fn record_address_failure(&self, address: IpAddr) -> Result<(), ApiError> {
        spend(&self.address_failures, address)
    }

    /// Spends one request of the tenant's budget.
    pub fn spend(&self, tenant: TenantId) -> Result<Budget, ApiError> {
        let limit = self.tenant_quota.burst_size().get();
        match self.tenants.check_key(&tenant) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let used = limit.saturating_sub(remaining);
                let reset = self.tenant_quota.replenish_interval() * used;
                Ok(Budget {
                    limit,
                    remaining,
                    reset: ceil_seconds(reset),
                })
            }
            Err(not_until) => Err(ApiError::TooManyRequests {
                retry_after: ceil_seconds(not_until.wait_time_from(self.tenants.clock().now()))
                    .max(1),
            }),
        }
    }

    /// Records a failed token request for `client_id`; `Err` once the failures exceed the budget.
    pub fn record_failure(&self, client_id: &str) -> Result<(), ApiError> {
        if self.failures.len() > MAX_TRACKED_FAILURES {
            self.failures.retain_recent();
        }
        let key: String = client_id.chars().take(64).collect();
        self.failures
            .check_key(&key)
            .map_err(|not_until| ApiError::TooManyRequests {
                retry_after: ceil_seconds(not_until.wait_time_from(self.failures.clock().now()))
                    .max(1),
            })
    }
}

/// One request of an address's budget.
fn spend(limiter: &AddressLimiter, address: IpAddr) -> Result<(), ApiError> {
    if limiter.len() > MAX_TRACKED_ADDRESSES {
        limiter.retain_recent();
    }
    limiter
        .check_key(&budget_holder(address))
        .map_err(|not_until| ApiError::TooManyRequests {
            retry_after: ceil_seconds(not_until.wait_time_from(limiter.clock().now())).max(1),
        })
}

/// Whose budget an address spends: an IPv4 address (`::ffff:a.b.c.d` counts as `a.b.c.d`), or
/// an IPv6 address's /64. A /64 is the smallest block a network is given (RFC 4291), and a host
/// on it picks new addresses at will (temporary addresses, RFC 8981), so keying by the full
/// address would give it 2^64 budgets. A site holding a /56 or a /48 still has 256 or 65,536.
fn budget_holder(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

fn ceil_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// Middleware: copies the tenant's budget, recorded by authentication, onto the response.
pub async fn budget_headers(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(request).await?;
    let budget = response.request().extensions().get::<Budget>().copied();
    let exhausted = response.status() == actix_web::http::StatusCode::TOO_MANY_REQUESTS;
    let headers = response.headers_mut();
    if let Some(budget) = budget {
        for (name, value) in [
            ("ratelimit-limit", budget.limit.to_string()),
            ("ratelimit-remaining", budget.remaining.to_string()),
            ("ratelimit-reset", budget.reset.to_string()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
    } else if exhausted {
        headers.insert(
            HeaderName::from_static("ratelimit-remaining"),
            HeaderValue::from_static("0"),
        );
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;

    fn limits(per_second: u32, burst: u32, failures: u32) -> RateLimits {
        let n = |v| NonZeroU32::new(v).unwrap();
        RateLimits::new(&LimitSettings {
            per_second: n(per_second),
            burst: n(burst),
            token_failures_per_minute: n(failures),
            address_token_failures_per_minute: n(failures),
            per_address_per_minute: n(2),
        })
    }

    #[test]
    fn a_tenant_spends_its_burst_then_is_told_when_to_retry() {
        let limits = limits(1, 3, 5);
        let tenant = TenantId(uuid::Uuid::nil());
        let remaining: Vec<u32> = (0..3)
            .map(|_| limits.spend(tenant).unwrap().remaining)
            .collect();
        assert_eq!(remaining, [2, 1, 0]);
        match limits.spend(tenant) {
            Err(ApiError::TooManyRequests { retry_after }) => assert_eq!(retry_after, 1),
            other => panic!("expected 429, got {other:?}"),
        }
        let other = TenantId(uuid::Uuid::from_u128(1));
        assert_eq!(
            limits.spend(other).unwrap().remaining,
            2,
            "tenants have separate budgets"
        );
    }

    #[test]
    fn failures_are_counted_per_client_id() {
        let limits = limits(1, 1, 2);
        assert!(limits.record_failure("a").is_ok());
        assert!(limits.record_failure("a").is_ok());
        assert!(limits.record_failure("a").is_err());
        assert!(limits.record_failure("b").is_ok());
    }

    #[test]
    fn addresses_have_their_own_budgets_whatever_their_notation() {
        let limits = limits(1, 1, 1);
        let v4: IpAddr = "203.0.113.9".parse().unwrap();
        let mapped: IpAddr = "::ffff:203.0.113.9".parse().unwrap();
        assert!(limits.spend_address(v4).is_ok());
        assert!(limits.spend_address(mapped).is_ok());
        assert!(
            limits.spend_address(v4).is_err(),
            "one address in two notations"
        );
        assert!(
            limits
                .spend_address("203.0.113.10".parse().unwrap())
                .is_ok()
        );
        assert!(limits.record_address_failure(v4).is_ok());
        assert!(
            limits.record_address_failure(v4).is_err(),
            "failures have their own budget"
        );
    }

    #[test]
    fn an_ipv6_host_spends_its_64_s_budget_whichever_address_it_takes() {
        // Two requests a minute per address.
        let limits = limits(1, 1, 1);
        let address = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(limits.spend_address(address("2001:db8:1:2::1")).is_ok());
        assert!(limits.spend_address(address("2001:db8:1:2::2")).is_ok());
        assert!(
            limits
                .spend_address(address("2001:db8:1:2:ffff:ffff:ffff:ffff"))
                .is_err(),
            "the same /64"
        );
        assert!(
            limits.spend_address(address("2001:db8:1:3::1")).is_ok(),
            "the next /64 is another network"
        );
    }

    #[test]
    fn ipv4_addresses_written_as_ipv6_keep_their_own_budgets() {
        let limits = limits(1, 1, 1);
        let address = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(limits.spend_address(address("::ffff:203.0.113.9")).is_ok());
        assert!(limits.spend_address(address("::ffff:203.0.113.9")).is_ok());
        assert!(
            limits.spend_address(address("::ffff:198.51.100.7")).is_ok(),
            "not one /64 for every IPv4 address"
        );
    }
}
