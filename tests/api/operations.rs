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
