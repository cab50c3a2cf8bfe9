use reqwest::Method;

use crate::helpers::{header, problem_of, spawn_app_with};

#[tokio::test]
async fn a_tenant_past_its_budget_gets_429_with_retry_after_while_others_continue() {
    let app = spawn_app_with(&[
        ("SMM_RATE_LIMIT_PER_SECOND", "1"),
        ("SMM_RATE_LIMIT_BURST", "3"),
    ])
    .await;
    let other = app.create_tenant("Other agency").await;
    // Getting the default tenant's token spent nothing: the token endpoint is not tenant-limited.
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = app.get("/v1/models").send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "ratelimit-limit"), "3");
        remaining.push(header(&response, "ratelimit-remaining").to_owned());
        assert!(header(&response, "ratelimit-reset").parse::<u64>().unwrap() <= 3);
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let refused = app.get("/v1/models").send().await.unwrap();
    assert_eq!(header(&refused, "retry-after"), "1");
    assert_eq!(header(&refused, "ratelimit-remaining"), "0");
    problem_of(refused, 429, "/problems/too-many-requests").await;

    let others = app
        .with_token(Method::GET, "/v1/models", &other.token)
        .send()
        .await
        .unwrap();
    assert_eq!(others.status(), 200, "another tenant has its own budget");
}

#[tokio::test]
async fn repeated_failed_token_requests_for_a_client_id_get_429_but_its_real_secret_still_works() {
    let app = spawn_app_with(&[("SMM_TOKEN_FAILURES_PER_MINUTE", "2")]).await;
    let id = app.tenant.client_id.to_string();
    let attempt = |secret: &str| {
        app.anonymous(Method::POST, "/v1/oauth/token")
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", id.as_str()),
                ("client_secret", secret),
            ])
            .send()
    };
    for _ in 0..2 {
        assert_eq!(attempt("smm_secret_guess").await.unwrap().status(), 401);
    }
    let throttled = attempt("smm_secret_guess").await.unwrap();
    assert!(header(&throttled, "retry-after").parse::<u64>().unwrap() >= 1);
    problem_of(throttled, 429, "/problems/too-many-requests").await;
    let genuine = attempt(&app.tenant.client_secret).await.unwrap();
    assert_eq!(
        genuine.status(),
        200,
        "an attacker must not be able to lock the client out"
    );
}

#[tokio::test]
async fn the_endpoints_without_a_token_are_limited_per_source_address() {
    // Starting the app took one token request of the four.
    let app = spawn_app_with(&[("SMM_ADDRESS_RATE_LIMIT_PER_MINUTE", "4")]).await;
    let id = app.tenant.client_id.to_string();
    for _ in 0..2 {
        let response = app.request_token(&id, &app.tenant.client_secret).await;
        assert_eq!(response.status(), 200);
    }
    // Share links count against the same address.
    let shared = app
        .anonymous(
            Method::GET,
            "/shared/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(shared.status(), 404);
    // Untrusted, `X-Forwarded-For` changes nothing: the peer is the client.
    let refused = app
        .anonymous(Method::POST, "/v1/oauth/token")
        .header("x-forwarded-for", "203.0.113.77")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id.as_str()),
            ("client_secret", app.tenant.client_secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(header(&refused, "retry-after").parse::<u64>().unwrap() >= 1);
    problem_of(refused, 429, "/problems/too-many-requests").await;
    let link = app
        .anonymous(
            Method::GET,
            "/shared/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), 429);
    // Authenticated requests are the tenant's budget, not the address's.
    assert_eq!(app.get("/v1/models").send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget() {
    let app = spawn_app_with(&[
        ("SMM_ADDRESS_RATE_LIMIT_PER_MINUTE", "2"),
        ("SMM_TRUSTED_PROXIES", "127.0.0.0/8, ::1"),
    ])
    .await;
    let open = |forwarded: &'static str| {
        app.anonymous(
            Method::GET,
            "/shared/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .header("x-forwarded-for", forwarded)
        .send()
    };
    assert_eq!(open("203.0.113.1").await.unwrap().status(), 404);
    // A client cannot escape by writing its own entry first: the proxy's last one counts.
    assert_eq!(
        open("198.51.100.9, 203.0.113.1").await.unwrap().status(),
        404
    );
    assert_eq!(open("203.0.113.1").await.unwrap().status(), 429);
    assert_eq!(open("203.0.113.2").await.unwrap().status(), 404);
}

#[tokio::test]
async fn failed_token_requests_are_limited_per_source_address_across_client_ids() {
    let app = spawn_app_with(&[("SMM_ADDRESS_TOKEN_FAILURES_PER_MINUTE", "3")]).await;
    for _ in 0..3 {
        let made_up = uuid::Uuid::now_v7().to_string();
        let response = app.request_token(&made_up, "wrong").await;
        assert_eq!(response.status(), 401);
    }
    let made_up = uuid::Uuid::now_v7().to_string();
    let refused = app.request_token(&made_up, "wrong").await;
    problem_of(refused, 429, "/problems/too-many-requests").await;
    // A correct secret still works: failures only are counted.
    let id = app.tenant.client_id.to_string();
    let ok = app.request_token(&id, &app.tenant.client_secret).await;
    assert_eq!(ok.status(), 200);
}

/// Clients that trickle a request's head byte by byte hold no worker: a normal request is
/// answered meanwhile, and each slow connection is answered 408 and closed once the request
/// head timeout passes.
#[tokio::test]
async fn slow_clients_cannot_hold_the_service() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(&[
        ("SMM_CLIENT_REQUEST_TIMEOUT_MS", "500"),
        ("SMM_WORKERS", "1"),
    ])
    .await;
    let authority = app.address.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    for _ in 0..32 {
        let authority = authority.clone();
        slow.push(tokio::spawn(async move {
            let connected = std::time::Instant::now();
            let mut stream = tokio::net::TcpStream::connect(&authority).await.unwrap();
            // The attacker's pace, not a wait for the service: one byte every 50 ms.
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: yes" {
                if stream.write_all(&[*byte]).await.is_err() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            let mut answer = Vec::new();
            let _ = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                stream.read_to_end(&mut answer),
            )
            .await
            .expect("the service closes a slow connection");
            // The configured 500 ms, not actix's default 5 s, closed it.
            assert!(connected.elapsed() < std::time::Duration::from_millis(1500));
            String::from_utf8_lossy(&answer).into_owned()
        }));
    }
    let normal = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        app.anonymous(Method::GET, "/healthz").send(),
    )
    .await
    .expect("a normal request is answered while slow clients trickle")
    .unwrap();
    assert_eq!(normal.status(), 200);
    for connection in slow {
        let answer = connection.await.unwrap();
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{answer}"
        );
    }
}
