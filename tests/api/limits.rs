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
