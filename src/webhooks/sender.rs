//! The HTTP client of webhook deliveries. Tenants choose the URLs, so every address a delivery
//! would connect to is checked by the resolver that the client connects with: a name that
//! resolves to a public address when the endpoint is registered and to an internal one later
//! (DNS rebinding) is refused at the moment of connecting. Addresses written in the URL itself
//! never reach a resolver and are checked before sending. No proxy, no redirects, a deadline
//! for the whole attempt, and at most [`MAX_RESPONSE_BYTES`] of any answer read.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Host;

use crate::domain::webhook::AttemptOutcome;
use crate::domain::webhook::endpoint_url::AddressPolicy;

/// How much of a receiver's answer is read (and thrown away) before the connection is dropped.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// Sends signed deliveries.
#[derive(Clone, Debug)]
pub struct Sender {
    client: reqwest::Client,
    policy: AddressPolicy,
}

/// One request to send.
pub struct Request<'a> {
    pub url: &'a str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Sender {
    pub fn new(policy: AddressPolicy, timeout: Duration) -> anyhow::Result<Sender> {
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .dns_resolver(Arc::new(GuardedResolver { policy }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("smm-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Sender { client, policy })
    }

    /// Sends one attempt; what it came to and how long it took.
    pub async fn send(&self, request: Request<'_>) -> (AttemptOutcome, Duration) {
        let started = Instant::now();
        let outcome = self.attempt(request).await;
        (outcome, started.elapsed())
    }

    async fn attempt(&self, request: Request<'_>) -> AttemptOutcome {
        let failed = |error: String| AttemptOutcome::Failed { error };
        let url = match url::Url::parse(request.url) {
            Ok(url) => url,
            Err(error) => return failed(format!("the URL does not parse: {error}")),
        };
        let literal = match url.host() {
            Some(Host::Ipv4(ip)) => Some(ip.into()),
            Some(Host::Ipv6(ip)) => Some(ip.into()),
            _ => None,
        };
        if let Some(ip) = literal.filter(|ip| !self.policy.permits(*ip)) {
            return failed(format!("refused: {ip} is not a public address"));
        }
        let mut builder = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        let mut response = match builder.body(request.body).send().await {
            Ok(response) => response,
            Err(error) => return failed(describe(&error)),
        };
        let status = response.status().as_u16();
        // Reading a little lets the connection be reused; a receiver that streams a large or
        // endless answer is cut off.
        let mut read = 0;
        while read < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                Ok(None) | Err(_) => break,
            }
        }
        if response.status().is_success() {
            AttemptOutcome::Delivered { status }
        } else {
            AttemptOutcome::Rejected { status }
        }
    }
}

/// A short, safe account of a failed request: no body, no secret.
fn describe(error: &reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<Refused>() {
            return refused.to_string();
        }
        source = cause.source();
    }
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    // The innermost cause says what went wrong ("Connection refused"); the outer ones name
    // the URL, whose query may carry the receiver's own tokens: never in the log.
    let mut innermost: &(dyn std::error::Error + 'static) = error;
    while let Some(cause) = innermost.source() {
        innermost = cause;
    }
    let cause = innermost.to_string();
    let cause = match error.url() {
        Some(url) => cause.replace(url.as_str(), "the endpoint"),
        None => cause,
    };
    if error.is_connect() {
        format!("could not connect: {cause}")
    } else {
        format!("the request failed: {cause}")
    }
}

/// Resolves names as the system does, then keeps only the addresses the policy permits.
struct GuardedResolver {
    policy: AddressPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let permitted: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|address| policy.permits(address.ip()))
                .collect();
            if permitted.is_empty() {
                return Err(Box::new(Refused(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}

/// A name that resolves to no address a delivery may connect to.
#[derive(Debug, thiserror::Error)]
#[error("refused: {0} resolves to no public address")]
struct Refused(String);

/// TLS with the ring provider and Mozilla's roots, compiled in.
fn tls_config() -> anyhow::Result<rustls::ClientConfig> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
