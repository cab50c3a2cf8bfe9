//! Two replicas on one PostgreSQL database: a revocation or a suspension made on one is refused by
//! the other at once (LISTEN/NOTIFY), although its cached standings would last an hour.
//! PostgreSQL only: SQLite serves one process.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with};

fn on_postgres() -> bool {
    let on = std::env::var("TEST_DATABASE_URL").is_ok();
    if !on {
        eprintln!("PostgreSQL only (TEST_DATABASE_URL unset): nothing to check on SQLite");
    }
    on
}

/// The status the replica answers a token with.
async fn status_on(app: &TestApp, replica: &str, token: &str) -> u16 {
    app.client
        .get(format!("{replica}/v1/models"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Whether the replica refuses the token within five seconds (a notification travels through
/// the database, so "at once" is "as soon as it arrives"; asked again and again, never waited).
async fn refused_soon(app: &TestApp, replica: &str, token: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if status_on(app, replica, token).await == 401 {
            return true;
        }
        tokio::task::yield_now().await;
    }
    false
}

#[tokio::test]
async fn revocations_and_suspensions_reach_every_replica_at_once() {
    if !on_postgres() {
        return;
    }
    // A long cache (only a notification can explain a refusal) and a budget the polling below
    // cannot exhaust.
    let an_hour = [
        ("SMM_AUTH_CACHE_SECS", "3600"),
        ("SMM_RATE_LIMIT_BURST", "1000000"),
    ];
    let app = spawn_app_with(&an_hour).await;
    let replica = app.spawn_replica(&an_hour).await;

    let (client, _, token) = app.client_with_scopes(&["models:read"]).await;
    assert_eq!(
        status_on(&app, &replica, &token).await,
        200,
        "standing now cached"
    );
    let revoked = app
        .request(Method::DELETE, &format!("/v1/api-clients/{client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert!(
        refused_soon(&app, &replica, &token).await,
        "revocation reached the replica"
    );

    let other = app.create_tenant("Other agency").await;
    assert_eq!(status_on(&app, &replica, &other.token).await, 200);
    let (_, _, operator) = app.platform_operator().await;
    let suspended = app
        .with_token(
            Method::PATCH,
            &format!("/v1/tenants/{}", other.id),
            &operator,
        )
        .json(&json!({"status": "suspended"}))
        .send()
        .await
        .unwrap();
    assert_eq!(suspended.status(), 200);
    assert!(
        refused_soon(&app, &replica, &other.token).await,
        "suspension reached the replica"
    );

    // The default tenant's own token is untouched by either.
    assert_eq!(status_on(&app, &replica, &app.tenant.token).await, 200);
}
