//! Logs: a tracing subscriber writing JSON for collectors or readable lines for people. Each
//! request runs in a span (from `tracing-actix-web`) that carries its request id; closing it
//! writes one access-log line with the status and the time taken.

use std::io::IsTerminal;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::settings::LogFormat;

/// Installs the global subscriber; a second call (as in tests) is a no-op.
pub fn init(format: LogFormat, filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_span_events(FmtSpan::CLOSE);
    let _ = match format {
        // The span list would repeat the current span's fields on every line.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The request span of every request, as `tracing-actix-web` builds it, except that a share
/// link's path is logged as its route: the token in it opens a report, and the service keeps no
/// copy of it anywhere else (only its hash), so neither do the logs.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        if !request.path().starts_with(SHARED_PREFIX) {
            return tracing_actix_web::root_span!(request);
        }
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        let user_agent = request
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let client_ip = request
            .connection_info()
            .realip_remote_addr()
            .unwrap_or_default()
            .to_owned();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = SHARED_ROUTE,
            http.target = SHARED_ROUTE,
            http.client_ip = %client_ip,
            http.user_agent = %user_agent,
            http.status_code = tracing::field::Empty,
            otel.name = %format!("{} {SHARED_ROUTE}", request.method()),
            otel.kind = "server",
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

const SHARED_PREFIX: &str = "/shared/";
const SHARED_ROUTE: &str = "/shared/{token}";
