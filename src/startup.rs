//! Builds the running service from its settings: catalogue, database, migrations, listener and
//! the route table with its middleware. Tests build it the same way on port 0.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer, web};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use anyhow::{Context, anyhow};
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::catalog::rendered::RenderedCatalog;
use crate::api::fallback::{RouteTable, fallback};
use crate::api::{self, extractors};
use crate::auth::Authenticator;
use crate::auth::keys::KeyRing;
use crate::auth::tokens::Tokens;
use crate::catalog::Catalog;
use crate::error::problem_details;
use crate::rate_limit::{RateLimits, budget_headers};
use crate::settings::{CorsOrigins, Settings};
use crate::store::Store;
use crate::store::standing::StandingListener;
use crate::webhooks::Worker;

/// The service, bound to its port and ready to run.
pub struct Application {
    port: u16,
    server: Server,
    store: Store,
    authenticator: web::Data<Authenticator>,
    standing: Option<StandingListener>,
    worker: Option<Worker>,
}

impl Application {
    /// Loads and validates the catalogue, connects to and migrates the database, and binds the
    /// listener. Fails fast, before accepting traffic, when any of these is wrong.
    pub async fn build(settings: &Settings) -> anyhow::Result<Application> {
        let catalog = Catalog::builtin()?;
        let rendered = RenderedCatalog::new(&catalog)
            .map_err(|error| anyhow!("rendering the catalogue: {error}"))?;
        Store::migrate(settings.database_url()).await?;
        let store =
            Store::connect(settings.database_url(), settings.database_max_connections).await?;
        let keys = KeyRing::load(&settings.tokens, &store).await?;
        let tokens = Tokens::new(
            keys,
            settings.tokens.issuer.clone(),
            settings.tokens.audience.clone(),
            settings.tokens.ttl_seconds,
        );
        let authenticator = web::Data::new(Authenticator::new(
            tokens,
            store.clone(),
            settings.tokens.standing_cache,
        ));
        let shared_authenticator = authenticator.clone();
        // Listening before the first request: no revocation on another replica goes unheard.
        let standing = store
            .listen_for_standing_changes()
            .await
            .context("listening for other replicas' revocations")?;
        let listener = TcpListener::bind(settings.listen_addr)
            .with_context(|| format!("binding {}", settings.listen_addr))?;
        let port = listener.local_addr()?.port();
        let state = State {
            rendered: web::Data::new(rendered),
            catalog: web::Data::new(catalog),
            store: web::Data::new(store.clone()),
            authenticator,
            limits: web::Data::new(RateLimits::new(&settings.limits)),
            trusted_proxies: web::Data::new(settings.trusted_proxies.clone()),
            token_settings: web::Data::new(settings.tokens.clone()),
            public_url: web::Data::new(settings.public_url.clone()),
            benchmarks: web::Data::new(crate::service::benchmarks::Benchmarks::new(
                crate::domain::benchmark::Anonymity::new(settings.benchmark_k.0),
                settings.benchmark_cache,
            )),
            webhook_policy: web::Data::new(settings.webhooks.policy),
            cors: settings.cors.clone(),
            metrics: request_metrics()?,
            openapi: api::openapi(),
            max_body_bytes: settings.max_body_bytes,
        };
        let worker = match settings.webhooks.worker {
            true => {
                Some(Worker::new(store.clone(), settings)?.with_metrics(&state.metrics.registry)?)
            }
            false => None,
        };
        let mut server = HttpServer::new(move || app(state.clone()))
            .listen(listener)?
            .client_request_timeout(settings.client_request_timeout)
            .keep_alive(settings.keep_alive)
            .shutdown_timeout(settings.shutdown_timeout.as_secs());
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Application {
            port,
            server: server.run(),
            store,
            authenticator: shared_authenticator,
            standing,
            worker,
        })
    }

    /// The port actually bound (useful when the settings asked for port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves (and delivers webhooks, unless `SMM_WEBHOOK_WORKER=false`, and on PostgreSQL
    /// listens for other replicas' revocations) until SIGINT or SIGTERM, then lets in-flight
    /// requests and attempts finish (up to the shutdown timeout) and closes the database pool.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let worker = self
            .worker
            .map(|worker| tokio::spawn(worker.run(stopped.clone())));
        let listener = self.standing.map(|listening| {
            tokio::spawn(crate::auth::standing_listener::run(
                self.store.clone(),
                listening,
                self.authenticator,
                stopped,
            ))
        });
        let served = self.server.await.context("running the HTTP server");
        let _ = stop.send(true);
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        if let Some(listener) = listener {
            let _ = listener.await;
        }
        served?;
        self.store.close().await
    }
}

/// What every worker's application shares.
#[derive(Clone)]
struct State {
    rendered: web::Data<RenderedCatalog>,
    catalog: web::Data<Catalog>,
    store: web::Data<Store>,
    authenticator: web::Data<Authenticator>,
    limits: web::Data<RateLimits>,
    token_settings: web::Data<crate::settings::TokenSettings>,
    public_url: web::Data<crate::settings::PublicUrl>,
    benchmarks: web::Data<crate::service::benchmarks::Benchmarks>,
    webhook_policy: web::Data<crate::domain::webhook::endpoint_url::AddressPolicy>,
    trusted_proxies: web::Data<crate::settings::TrustedProxies>,
    cors: CorsOrigins,
    metrics: PrometheusMetrics,
    openapi: utoipa::openapi::OpenApi,
    max_body_bytes: usize,
}

/// One worker's application: routes, shared state and middleware.
fn app(
    state: State,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let max_body_bytes = state.max_body_bytes;
    App::new()
        .into_utoipa_app()
        .configure(api::configure)
        .into_app()
        .app_data(state.rendered.clone())
        .app_data(state.catalog.clone())
        .app_data(state.store.clone())
        .app_data(state.authenticator.clone())
        .app_data(state.limits.clone())
        .app_data(state.token_settings.clone())
        .app_data(state.public_url.clone())
        .app_data(state.benchmarks.clone())
        .app_data(state.webhook_policy.clone())
        .app_data(state.trusted_proxies.clone())
        .app_data(web::Data::new(state.metrics.registry.clone()))
        .app_data(web::Data::new(RouteTable::from_openapi(&state.openapi)))
        .configure(|config| extractors::configure(config, max_body_bytes))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", state.openapi.clone()))
        .route(
            "/docs",
            web::get().to(|| async { web::Redirect::to("/docs/").permanent() }),
        )
        .default_service(web::to(fallback))
        // Last wrapped runs first: the tracing span (and request id) exists before metrics
        // and problem rendering run inside it.
        .wrap(from_fn(problem_details))
        // Outside problem rendering, which replaces error responses and so their headers.
        .wrap(from_fn(budget_headers))
        // Preflight requests are answered here, before routing, which knows no OPTIONS.
        .wrap(Condition::new(
            state.cors != CorsOrigins::None,
            cors(&state.cors),
        ))
        .wrap(state.metrics.clone())
        .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
}

/// Cross-origin access for browser front-ends. No credentials mode: the API authenticates with
/// bearer tokens that a browser never attaches on its own.
fn cors(origins: &CorsOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::CONTENT_LANGUAGE,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("ratelimit-limit"),
            header::HeaderName::from_static("ratelimit-remaining"),
            header::HeaderName::from_static("ratelimit-reset"),
            header::HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(3600)
        .block_on_origin_mismatch(false);
    match origins {
        // With `*` the answer does not depend on the origin, so caches need no `Vary: Origin`.
        CorsOrigins::Any | CorsOrigins::None => cors
            .allow_any_origin()
            .send_wildcard()
            .disable_vary_header(),
        CorsOrigins::List(list) => list
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin)),
    }
}

/// Request counters and latency histograms by route pattern; unmatched paths share one label so
/// that scanners cannot blow up the metric's cardinality.
fn request_metrics() -> anyhow::Result<PrometheusMetrics> {
    PrometheusMetricsBuilder::new("smm")
        .mask_unmatched_patterns("UNMATCHED")
        .exclude_regex("^/docs")
        .build()
        .map_err(|error| anyhow!("setting up metrics: {error}"))
}
