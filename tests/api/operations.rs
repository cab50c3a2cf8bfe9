use crate::helpers::{header, json_of, spawn_app};

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let body = json_of(app.get("/healthz").send().await.unwrap(), 200).await;
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn readyz_answers_ready_when_the_database_is_reachable() {
    let app = spawn_app().await;
    let body = json_of(app.get("/readyz").send().await.unwrap(), 200).await;
    assert_eq!(body, serde_json::json!({"status": "ready"}));
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_method_and_status() {
    let app = spawn_app().await;
    app.get("/v1/models/ambitie-model").send().await.unwrap();
    app.get("/v1/models/no-such-model").send().await.unwrap();
    app.get("/some/random/path").send().await.unwrap();
    let response = app.get("/metrics").send().await.unwrap();
    assert!(header(&response, "content-type").starts_with("text/plain"));
    let text = response.text().await.unwrap();
    for expected in [
        r#"smm_http_requests_total{endpoint="/v1/models/{model_id}",method="GET",status="200"} 1"#,
        r#"smm_http_requests_total{endpoint="/v1/models/{model_id}",method="GET",status="404"} 1"#,
        r#"smm_http_requests_total{endpoint="UNMATCHED",method="GET",status="404"} 1"#,
        r#"smm_http_requests_duration_seconds_bucket{endpoint="/v1/models/{model_id}",method="GET",status="200",le="0.005"}"#,
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
    assert!(!text.contains("random"), "raw paths must not become labels");
}

#[tokio::test]
async fn the_interactive_docs_are_served_from_vendored_assets() {
    let app = spawn_app().await;
    let redirect = app.get("/docs").send().await.unwrap();
    assert_eq!(redirect.status(), 308);
    assert_eq!(header(&redirect, "location"), "/docs/");
    let page = app.get("/docs/").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("://cdn") && !html.contains("unpkg.com"),
        "the page must not load from the internet"
    );
    for asset in [
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-ui.css",
        "/docs/swagger-initializer.js",
    ] {
        let response = app.get(asset).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        assert!(
            response.bytes().await.unwrap().len() > 100,
            "{asset} is empty"
        );
    }
    let initializer = app
        .get("/docs/swagger-initializer.js")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("/openapi.json"));
}

#[tokio::test]
async fn the_served_openapi_document_is_the_generated_one() {
    let app = spawn_app().await;
    let served = json_of(app.get("/openapi.json").send().await.unwrap(), 200).await;
    let generated: serde_json::Value =
        serde_json::from_str(&smm::api::openapi_json().unwrap()).unwrap();
    assert_eq!(served, generated);
}

#[tokio::test]
async fn browser_front_ends_on_other_origins_may_call_the_api() {
    let app = spawn_app().await;
    let preflight = app
        .anonymous(
            reqwest::Method::OPTIONS,
            "/v1/assessments/x/respondents/y/answers",
        )
        .header("Origin", "https://survey.example.com")
        .header("Access-Control-Request-Method", "PUT")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    assert_eq!(header(&preflight, "access-control-allow-origin"), "*");
    assert!(header(&preflight, "access-control-allow-methods").contains("PUT"));
    assert!(header(&preflight, "access-control-allow-headers").contains("authorization"));

    let read = app
        .get("/v1/models")
        .header("Origin", "https://survey.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(header(&read, "access-control-allow-origin"), "*");
    let exposed = header(&read, "access-control-expose-headers").to_lowercase();
    for name in [
        "etag",
        "x-request-id",
        "ratelimit-remaining",
        "content-language",
    ] {
        assert!(exposed.contains(name), "{name} is not exposed: {exposed}");
    }
}

#[tokio::test]
async fn cross_origin_access_can_be_limited_to_listed_origins() {
    let app =
        crate::helpers::spawn_app_with(&[("SMM_CORS_ALLOWED_ORIGINS", "https://app.example.com")])
            .await;
    let allowed = app
        .get("/v1/models")
        .header("Origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        "https://app.example.com"
    );
    let other = app
        .get("/v1/models")
        .header("Origin", "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
