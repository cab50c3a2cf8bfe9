//! Typed settings from `SMM_*` environment variables. Every setting has a default that runs the
//! service on the embedded SQLite database at 127.0.0.1:8080, so `cargo run` needs no setup.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/smm.db?mode=rwc";

/// Everything the service can be configured with. Passed in, never global.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `SMM_LISTEN_ADDR`: address and port to listen on; port 0 picks a free one.
    pub listen_addr: SocketAddr,
    /// `SMM_DATABASE_URL`: `sqlite://…` or `postgres://…`. May hold a password, so never printed.
    pub database_url: SecretString,
    /// `SMM_DATABASE_MAX_CONNECTIONS`: size of the connection pool.
    pub database_max_connections: u32,
    /// `SMM_LOG_FORMAT`: `pretty` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// `SMM_LOG`: a tracing filter such as `info` or `smm=debug,info`.
    pub log_filter: String,
    /// `SMM_WORKERS`: HTTP worker threads; the number of CPUs when unset.
    pub workers: Option<usize>,
    /// `SMM_SHUTDOWN_TIMEOUT_SECS`: how long in-flight requests may finish after SIGTERM.
    pub shutdown_timeout: Duration,
    /// `SMM_MAX_BODY_BYTES`: the largest request body accepted.
    pub max_body_bytes: usize,
    /// `SMM_CLIENT_REQUEST_TIMEOUT_MS`: how long a client may take to send a request's head
    /// (method, path and headers) before it is answered 408 and disconnected; slow clients
    /// cannot hold a connection open by trickling bytes.
    pub client_request_timeout: Duration,
    /// `SMM_KEEP_ALIVE_SECS`: how long an idle keep-alive connection stays open.
    pub keep_alive: Duration,
    pub tokens: TokenSettings,
    pub limits: LimitSettings,
    /// `SMM_CORS_ALLOWED_ORIGINS`: which browser origins may call the API: `*` (any, the
    /// default: tokens are never sent implicitly, so no origin gains anything), `none`, or a
    /// comma-separated list such as `https://app.example.com,https://survey.example.com`.
    pub cors: CorsOrigins,
    pub public_url: PublicUrl,
    /// `SMM_BENCHMARK_K`: the fewest organisations a published peer group may have (at least 5).
    pub benchmark_k: BenchmarkK,
    /// `SMM_BENCHMARK_CACHE_SECS`: how long a replica reuses benchmark counts (0: never).
    pub benchmark_cache: Duration,
    pub webhooks: WebhookSettings,
    /// `SMM_TRUSTED_PROXIES`: the proxies (addresses or CIDR ranges, comma-separated) whose
    /// `X-Forwarded-For` names the client; none by default, so the header is ignored.
    pub trusted_proxies: TrustedProxies,
}

/// The k of k-anonymous benchmarks: 5 or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BenchmarkK(pub u32);

impl FromStr for BenchmarkK {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().parse::<u32>() {
            Ok(k) if k >= crate::domain::benchmark::MIN_K => Ok(BenchmarkK(k)),
            _ => Err(format!(
                "must be a whole number of at least {}",
                crate::domain::benchmark::MIN_K
            )),
        }
    }
}

/// `SMM_PUBLIC_URL`: the address clients reach the service at (e.g. `https://smm.example.com`),
/// for links the service hands out (share links). Unset, links are built from the request's
/// scheme and host (which a proxy may rewrite).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicUrl(pub Option<String>);

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim_end_matches('/');
        let scheme_ok = trimmed.starts_with("https://") || trimmed.starts_with("http://");
        let host = trimmed.split_once("://").map_or("", |(_, rest)| rest);
        if !scheme_ok || host.is_empty() || host.contains(['/', '?', '#', ' ']) {
            return Err("must be an http(s) origin such as https://smm.example.com".to_owned());
        }
        Ok(PublicUrl(Some(trimmed.to_owned())))
    }
}

/// Browser origins allowed to call the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorsOrigins {
    Any,
    None,
    List(Vec<String>),
}

impl FromStr for CorsOrigins {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "*" => Ok(CorsOrigins::Any),
            "none" => Ok(CorsOrigins::None),
            list => {
                let origins: Vec<String> = list
                    .split(',')
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect();
                match origins
                    .iter()
                    .find(|o| !(o.starts_with("https://") || o.starts_with("http://")))
                {
                    Some(bad) => Err(format!(
                        "`{bad}` is not an origin such as https://app.example.com"
                    )),
                    None if origins.is_empty() => {
                        Err("give `*`, `none` or a list of origins".to_owned())
                    }
                    None => Ok(CorsOrigins::List(origins)),
                }
            }
        }
    }
}

/// Abuse limits, per replica.
#[derive(Clone, Copy, Debug)]
pub struct LimitSettings {
    /// `SMM_RATE_LIMIT_PER_SECOND`: a tenant's sustained requests per second.
    pub per_second: NonZeroU32,
    /// `SMM_RATE_LIMIT_BURST`: how many requests a tenant may make at once.
    pub burst: NonZeroU32,
    /// `SMM_TOKEN_FAILURES_PER_MINUTE`: failed token requests per client id before they are 429.
    pub token_failures_per_minute: NonZeroU32,
    /// `SMM_ADDRESS_TOKEN_FAILURES_PER_MINUTE`: failed token requests per source address (any
    /// client ids; an IPv6 source counts per /64) before they are 429.
    pub address_token_failures_per_minute: NonZeroU32,
    /// `SMM_ADDRESS_RATE_LIMIT_PER_MINUTE`: requests per source address (an IPv6 source counts
    /// per /64) to the endpoints without a token (the token endpoint, share links).
    pub per_address_per_minute: NonZeroU32,
}

/// How access tokens are signed and checked.
#[derive(Clone, Debug)]
pub struct TokenSettings {
    /// `SMM_JWT_ISSUER`: the `iss` of issued tokens, required on presented ones.
    pub issuer: String,
    /// `SMM_JWT_AUDIENCE`: the `aud` of issued tokens, required on presented ones.
    pub audience: String,
    /// `SMM_TOKEN_TTL_SECS`: token lifetime, at most 900 (15 minutes).
    pub ttl_seconds: i64,
    /// `SMM_JWT_SIGNING_KEY_FILE`: PKCS#8 PEM private key; unset, a generated key kept in the
    /// database signs (fine for one deployment, but configure one for production).
    pub signing_key_file: Option<PathBuf>,
    /// `SMM_JWT_SIGNING_KEY`: the same PEM given inline, for platforms that inject secrets as
    /// environment variables; the file wins when both are set.
    pub signing_key_pem: Option<SecretString>,
    /// `SMM_JWT_ALGORITHM`: `EdDSA` (Ed25519) or `ES256` (P-256), the configured key's algorithm.
    pub algorithm: jsonwebtoken::Algorithm,
    /// `SMM_JWT_KEY_ID`: the configured key's `kid`; its JWK thumbprint when unset.
    pub key_id: Option<String>,
    /// `SMM_JWT_VERIFICATION_KEYS_FILE`: a JWKS of further public keys to accept (key rotation).
    pub verification_keys_file: Option<PathBuf>,
    /// `SMM_RESPONDENT_TOKEN_TTL_SECS`: lifetime of respondent tokens, which let someone at the
    /// client answer one assessment over several sittings; at most 90 days.
    pub respondent_ttl_seconds: i64,
    /// `SMM_AUTH_CACHE_SECS`: how long a client's standing (revoked? suspended?) is cached on a
    /// replica that did not make the change itself.
    pub standing_cache: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pretty" => Ok(LogFormat::Pretty),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("`{other}` is neither `pretty` nor `json`")),
        }
    }
}

/// A setting that could not be read; names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct SettingsError {
    pub variable: &'static str,
    pub message: String,
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Settings, SettingsError> {
        Settings::from_vars(std::env::vars().collect())
    }

    /// Reads settings from the given variables; unset ones take their defaults.
    pub fn from_vars(vars: HashMap<String, String>) -> Result<Settings, SettingsError> {
        let vars = Vars(vars);
        Ok(Settings {
            listen_addr: vars.parse("SMM_LISTEN_ADDR", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            database_url: SecretString::from(
                vars.get("SMM_DATABASE_URL")
                    .unwrap_or(DEFAULT_DATABASE_URL)
                    .to_owned(),
            ),
            database_max_connections: vars.parse("SMM_DATABASE_MAX_CONNECTIONS", 10)?,
            log_format: vars.parse("SMM_LOG_FORMAT", LogFormat::Pretty)?,
            log_filter: vars.get("SMM_LOG").unwrap_or("info").to_owned(),
            workers: vars.parse_optional("SMM_WORKERS")?,
            shutdown_timeout: Duration::from_secs(vars.parse("SMM_SHUTDOWN_TIMEOUT_SECS", 30)?),
            max_body_bytes: vars.parse("SMM_MAX_BODY_BYTES", 256 * 1024)?,
            client_request_timeout: Duration::from_millis(
                vars.parse("SMM_CLIENT_REQUEST_TIMEOUT_MS", 5000)?,
            ),
            keep_alive: Duration::from_secs(vars.parse("SMM_KEEP_ALIVE_SECS", 5)?),
            tokens: TokenSettings::from_vars(&vars)?,
            limits: LimitSettings {
                per_second: vars.parse("SMM_RATE_LIMIT_PER_SECOND", non_zero(20))?,
                burst: vars.parse("SMM_RATE_LIMIT_BURST", non_zero(100))?,
                token_failures_per_minute: vars
                    .parse("SMM_TOKEN_FAILURES_PER_MINUTE", non_zero(10))?,
                address_token_failures_per_minute: vars
                    .parse("SMM_ADDRESS_TOKEN_FAILURES_PER_MINUTE", non_zero(30))?,
                per_address_per_minute: vars
                    .parse("SMM_ADDRESS_RATE_LIMIT_PER_MINUTE", non_zero(120))?,
            },
            cors: vars.parse("SMM_CORS_ALLOWED_ORIGINS", CorsOrigins::Any)?,
            public_url: vars.parse("SMM_PUBLIC_URL", PublicUrl::default())?,
            benchmark_k: vars.parse("SMM_BENCHMARK_K", BenchmarkK(10))?,
            benchmark_cache: Duration::from_secs(vars.parse("SMM_BENCHMARK_CACHE_SECS", 60)?),
            webhooks: WebhookSettings::from_vars(&vars)?,
            trusted_proxies: vars.parse("SMM_TRUSTED_PROXIES", TrustedProxies::default())?,
        })
    }

    /// The database URL, for the one place that connects.
    pub fn database_url(&self) -> &str {
        self.database_url.expose_secret()
    }
}

/// Proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<ipnet::IpNet>);

impl TrustedProxies {
    pub fn contains(&self, address: std::net::IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<ipnet::IpNet>()
                    .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| format!("`{item}` is not an address or a CIDR range"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

/// Webhook delivery.
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// `SMM_WEBHOOK_ALLOW_HTTP` and `SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES` (both `false` unless
    /// set to `true`): plain-http URLs, and loopback, private and link-local addresses, for
    /// local development and tests only.
    pub policy: crate::domain::webhook::endpoint_url::AddressPolicy,
    /// `SMM_WEBHOOK_WORKER`: whether this replica delivers (default `true`); every replica may.
    pub worker: bool,
    /// `SMM_WEBHOOK_POLL_MS`: how often an idle worker looks for due deliveries (default 1000).
    pub poll_interval: Duration,
    /// `SMM_WEBHOOK_CONCURRENCY`: attempts a worker makes at once (default 16).
    pub concurrency: usize,
    /// `SMM_WEBHOOK_TIMEOUT_SECS`: how long an attempt may take in all, 1 to 30 (default 10).
    pub timeout: Duration,
}

impl WebhookSettings {
    fn from_vars(vars: &Vars) -> Result<WebhookSettings, SettingsError> {
        let timeout: u64 = vars.parse("SMM_WEBHOOK_TIMEOUT_SECS", 10)?;
        if !(1..=30).contains(&timeout) {
            return Err(SettingsError {
                variable: "SMM_WEBHOOK_TIMEOUT_SECS",
                message: format!("{timeout} is not between 1 and 30 seconds"),
            });
        }
        let concurrency: usize = vars.parse("SMM_WEBHOOK_CONCURRENCY", 16)?;
        if !(1..=256).contains(&concurrency) {
            return Err(SettingsError {
                variable: "SMM_WEBHOOK_CONCURRENCY",
                message: format!("{concurrency} is not between 1 and 256"),
            });
        }
        let poll_ms: u64 = vars.parse("SMM_WEBHOOK_POLL_MS", 1000)?;
        if !(10..=60_000).contains(&poll_ms) {
            return Err(SettingsError {
                variable: "SMM_WEBHOOK_POLL_MS",
                message: format!("{poll_ms} is not between 10 and 60000 milliseconds"),
            });
        }
        Ok(WebhookSettings {
            policy: crate::domain::webhook::endpoint_url::AddressPolicy {
                allow_http: vars.parse("SMM_WEBHOOK_ALLOW_HTTP", false)?,
                allow_private: vars.parse("SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", false)?,
            },
            worker: vars.parse("SMM_WEBHOOK_WORKER", true)?,
            poll_interval: Duration::from_millis(poll_ms),
            concurrency,
            timeout: Duration::from_secs(timeout),
        })
    }
}

impl TokenSettings {
    fn from_vars(vars: &Vars) -> Result<TokenSettings, SettingsError> {
        let ttl_seconds = vars.parse("SMM_TOKEN_TTL_SECS", 900)?;
        if !(1..=900).contains(&ttl_seconds) {
            return Err(SettingsError {
                variable: "SMM_TOKEN_TTL_SECS",
                message: format!("{ttl_seconds} is not between 1 and 900 seconds"),
            });
        }
        let algorithm = vars.parse("SMM_JWT_ALGORITHM", jsonwebtoken::Algorithm::EdDSA)?;
        if !matches!(
            algorithm,
            jsonwebtoken::Algorithm::EdDSA | jsonwebtoken::Algorithm::ES256
        ) {
            return Err(SettingsError {
                variable: "SMM_JWT_ALGORITHM",
                message: format!("{algorithm:?} is not EdDSA or ES256"),
            });
        }
        let respondent_ttl_seconds = vars.parse("SMM_RESPONDENT_TOKEN_TTL_SECS", 14 * 24 * 3600)?;
        if !(60..=90 * 24 * 3600).contains(&respondent_ttl_seconds) {
            return Err(SettingsError {
                variable: "SMM_RESPONDENT_TOKEN_TTL_SECS",
                message: format!("{respondent_ttl_seconds} is not between 60 seconds and 90 days"),
            });
        }
        Ok(TokenSettings {
            respondent_ttl_seconds,
            issuer: vars.get("SMM_JWT_ISSUER").unwrap_or("smm").to_owned(),
            audience: vars.get("SMM_JWT_AUDIENCE").unwrap_or("smm-api").to_owned(),
            ttl_seconds,
            signing_key_file: vars.get("SMM_JWT_SIGNING_KEY_FILE").map(PathBuf::from),
            signing_key_pem: vars
                .get("SMM_JWT_SIGNING_KEY")
                .map(|pem| SecretString::from(pem.to_owned())),
            algorithm,
            key_id: vars.get("SMM_JWT_KEY_ID").map(str::to_owned),
            verification_keys_file: vars
                .get("SMM_JWT_VERIFICATION_KEYS_FILE")
                .map(PathBuf::from),
            standing_cache: Duration::from_secs(vars.parse("SMM_AUTH_CACHE_SECS", 5)?),
        })
    }
}

struct Vars(HashMap<String, String>);

impl Vars {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn parse<T: FromStr>(&self, name: &'static str, default: T) -> Result<T, SettingsError>
    where
        T::Err: fmt::Display,
    {
        Ok(self.parse_optional(name)?.unwrap_or(default))
    }

    fn parse_optional<T: FromStr>(&self, name: &'static str) -> Result<Option<T>, SettingsError>
    where
        T::Err: fmt::Display,
    {
        self.get(name)
            .map(|value| {
                value.parse().map_err(|error| SettingsError {
                    variable: name,
                    message: format!("cannot use `{value}`: {error}"),
                })
            })
            .transpose()
    }
}

/// A default that is not zero (a zero would fall back to the smallest limit, not panic).
fn non_zero(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).unwrap_or(NonZeroU32::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn benchmark_k_defaults_to_ten_and_never_goes_below_five() {
        let k = |value: &str| Settings::from_vars(vars(&[("SMM_BENCHMARK_K", value)]));
        assert_eq!(
            Settings::from_vars(HashMap::new()).unwrap().benchmark_k,
            BenchmarkK(10)
        );
        assert_eq!(k("5").unwrap().benchmark_k, BenchmarkK(5));
        assert_eq!(k("4").unwrap_err().variable, "SMM_BENCHMARK_K");
    }

    #[test]
    fn the_public_url_is_an_http_origin_without_a_trailing_slash() {
        let url = |value: &str| Settings::from_vars(vars(&[("SMM_PUBLIC_URL", value)]));
        assert_eq!(
            url("https://smm.example.com/").unwrap().public_url,
            PublicUrl(Some("https://smm.example.com".to_owned()))
        );
        for wrong in ["smm.example.com", "ftp://x", "https://", "https://x/path"] {
            assert_eq!(
                url(wrong).unwrap_err().variable,
                "SMM_PUBLIC_URL",
                "{wrong}"
            );
        }
        assert_eq!(
            Settings::from_vars(HashMap::new()).unwrap().public_url,
            PublicUrl(None)
        );
    }

    #[test]
    fn defaults_run_on_embedded_sqlite_on_localhost_8080() {
        let settings = Settings::from_vars(HashMap::new()).unwrap();
        assert_eq!(settings.listen_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database_url(), DEFAULT_DATABASE_URL);
        assert_eq!(settings.log_format, LogFormat::Pretty);
    }

    #[test]
    fn the_database_url_never_appears_in_debug_output() {
        let settings =
            Settings::from_vars(vars(&[("SMM_DATABASE_URL", "postgres://u:hunter2@db/smm")]))
                .unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"));
    }

    #[test]
    fn an_unreadable_value_names_the_variable() {
        let error = Settings::from_vars(vars(&[("SMM_LOG_FORMAT", "xml")])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "SMM_LOG_FORMAT: cannot use `xml`: `xml` is neither `pretty` nor `json`"
        );
        let error = Settings::from_vars(vars(&[("SMM_LISTEN_ADDR", "nowhere")])).unwrap_err();
        assert_eq!(error.variable, "SMM_LISTEN_ADDR");
        let error = Settings::from_vars(vars(&[("SMM_TOKEN_TTL_SECS", "3600")])).unwrap_err();
        assert_eq!(error.variable, "SMM_TOKEN_TTL_SECS");
        let error =
            Settings::from_vars(vars(&[("SMM_CORS_ALLOWED_ORIGINS", "example.com")])).unwrap_err();
        assert_eq!(error.variable, "SMM_CORS_ALLOWED_ORIGINS");
        let error = Settings::from_vars(vars(&[("SMM_JWT_ALGORITHM", "HS256")])).unwrap_err();
        assert_eq!(error.variable, "SMM_JWT_ALGORITHM");
    }
}
