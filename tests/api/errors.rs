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
