use serde_json::{Value, json};

use crate::helpers::{header, problem_of, spawn_app};

#[tokio::test]
async fn an_unknown_path_is_a_404_problem_carrying_the_request_id() {
    let app = spawn_app().await;
    for path in ["/nothing-here", "/v1", "/v1/modelz", "/v1/models/a/b/c/d"] {
        let problem = problem_of(
            app.get(path).send().await.unwrap(),
            404,
            "/problems/not-found",
        )
        .await;
        assert_eq!(problem["title"], "Not Found");
    }
}

#[tokio::test]
async fn a_known_path_with_an_undeclared_method_is_a_405_listing_the_allowed_ones() {
    let app = spawn_app().await;
    for (method, path) in [
        (reqwest::Method::POST, "/v1/models"),
        (reqwest::Method::DELETE, "/v1/models/ambitie-model"),
        (reqwest::Method::PUT, "/v1/indicators"),
        (reqwest::Method::PATCH, "/healthz"),
    ] {
        let response = app.anonymous(method.clone(), path).send().await.unwrap();
        assert_eq!(header(&response, "allow"), "GET", "for {method} {path}");
        problem_of(response, 405, "/problems/method-not-allowed").await;
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_each_request_gets_its_own() {
    let app = spawn_app().await;
    let first = app.get("/healthz").send().await.unwrap();
    let second = app.get("/healthz").send().await.unwrap();
    let (a, b) = (
        header(&first, "x-request-id"),
        header(&second, "x-request-id"),
    );
    assert!(!a.is_empty());
    assert_ne!(a, b);
}

/// Bodies an attacker or a broken client might send: each gets a 4xx problem, never a 500 or a
/// hang, on every backend (PostgreSQL refuses NUL in text, so it must never get that far).
#[tokio::test]
async fn hostile_bodies_get_problems_not_failures() {
    let app = crate::helpers::spawn_app_with(&[("SMM_RATE_LIMIT_BURST", "1000")]).await;
    let send = |path: &'static str, body: Vec<u8>| {
        app.request(reqwest::Method::POST, path)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes();
    let cases: Vec<(&str, &'static str, Vec<u8>, u16)> = vec![
        ("a 10 MB body", "/v1/clients", vec![b' '; 10 * 1024 * 1024], 413),
        ("deeply nested JSON", "/v1/clients", nested.clone(), 400),
        ("deeply nested answers", "/v1/score", nested, 400),
        (
            "invalid UTF-8",
            "/v1/clients",
            b"{\"name\": \"\xff\xfe\"}".to_vec(),
            400,
        ),
        ("a huge number", "/v1/clients", br#"{"name": 1e400}"#.to_vec(), 400),
        (
            "a huge answer",
            "/v1/score",
            br#"{"answers": [{"indicator_id": "alerts-configured", "value": 1e308}]}"#.to_vec(),
            422,
        ),
        ("a raw NUL byte", "/v1/clients", b"{\"name\": \"a\0b\"}".to_vec(), 400),
        (
            "an escaped NUL in a name",
            "/v1/clients",
            br#"{"name": "a\u0000b"}"#.to_vec(),
            422,
        ),
        (
            "an escaped NUL in a note",
            "/v1/clients",
            br#"{"name": "Bakery", "industry": "food\u0000"}"#.to_vec(),
            422,
        ),
        (
            "an escaped NUL in a webhook description",
            "/v1/webhook-endpoints",
            br#"{"url": "https://hooks.example.com/", "event_types": ["client.deleted"], "description": "\u0000"}"#.to_vec(),
            422,
        ),
    ];
    for (what, path, body, status) in cases {
        let response = send(path, body).await.unwrap();
        let got = response.status().as_u16();
        // Unparseable bodies are 400; parseable ones with a value out of range may be 422.
        let acceptable = match status {
            400 => [400, 422].contains(&got),
            _ => got == status,
        };
        assert!(acceptable, "{what}: {got}");
        assert_eq!(
            crate::helpers::header(&response, "content-type"),
            "application/problem+json",
            "{what}"
        );
    }
}

#[tokio::test]
async fn bodies_are_read_as_their_schema_describes_them() {
    let app = crate::helpers::spawn_app().await;
    let client = crate::assessments::new_client(&app, "Bakery").await;
    let path = format!("/v1/clients/{client}");
    // Derived deserialisers would fill an all-optional struct from an array by position.
    for body in [json!([null, null]), json!([]), json!("name"), json!(null)] {
        let response = app
            .request(reqwest::Method::PATCH, &path)
            .json(&body)
            .send()
            .await
            .unwrap();
        crate::helpers::problem_of(response, 422, "/problems/validation-error").await;
    }

    // JSON Schema's integers include 3.0; it scores as 3 does.
    let score = |value: Value| {
        app.request(reqwest::Method::POST, "/v1/score")
            .json(&json!({
                "model_ids": ["listening-maturity"],
                "respondents": [{"answers": [{"indicator_id": "alerts-configured", "value": value}]}],
            }))
            .send()
    };
    let integral = crate::helpers::json_of(score(json!(3.0)).await.unwrap(), 200).await;
    let integer = crate::helpers::json_of(score(json!(3)).await.unwrap(), 200).await;
    assert_eq!(integral, integer);
    let fraction = score(json!(2.5)).await.unwrap();
    crate::helpers::problem_of(fraction, 422, "/problems/validation-error").await;
}
