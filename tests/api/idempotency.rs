//! Idempotency keys on the POSTs that create something: one change per key, whatever the
//! retries, races, crashes or expiries.

use chrono::{TimeDelta, Utc};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use smm::domain::idempotency::{IdempotencyKey, KeyedOutcome};
use smm::domain::ids::AssessmentId;
use smm::domain::tenancy::TenantId;
use smm::store::idempotency::Claim;

use crate::assessments::{new_assessment, new_client};
use crate::helpers::{TestApp, error_fields, header, json_of, problem_of, spawn_app};
use crate::respondents::{answers, new_respondent};

async fn create_client_with_key(app: &TestApp, key: &str, body: &Value) -> Response {
    app.request(Method::POST, "/v1/clients")
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn client_count(app: &TestApp) -> usize {
    let page = json_of(app.get("/v1/clients?limit=200").send().await.unwrap(), 200).await;
    page["items"].as_array().unwrap().len()
}

/// An open assessment with one answer, ready to submit.
async fn answered_assessment(app: &TestApp) -> String {
    let client = new_client(app, "Org").await;
    let assessment = new_assessment(app, &client, &["social-media-pyramid"], json!({})).await;
    let id = assessment["id"].as_str().unwrap().to_owned();
    let (respondent, token) = new_respondent(app, &id, "Someone").await;
    let saved = app
        .with_token(
            Method::PUT,
            &format!("/v1/assessments/{id}/respondents/{respondent}/answers"),
            &token,
        )
        .json(&answers(&[("alerts-configured", json!(2))]))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    id
}

async fn submit_with_key(app: &TestApp, id: &str, key: &str) -> Response {
    app.request(Method::POST, &format!("/v1/assessments/{id}/submit"))
        .header("Idempotency-Key", key)
        .send()
        .await
        .unwrap()
}

/// The key as the service binds it to `POST path` without a body.
fn bodyless_key(key: &str, path: &str) -> IdempotencyKey {
    IdempotencyKey::parse(key, &[b"POST", path.as_bytes(), b""]).unwrap()
}

#[tokio::test]
async fn a_retried_client_creation_creates_one_client_and_replays_it() {
    let app = spawn_app().await;
    let body = json!({"name": "Bakkerij De Korenbloem", "size_band": "small"});
    let first = create_client_with_key(&app, "create-1", &body).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("Idempotent-Replayed").is_none());
    let location = header(&first, "location").to_owned();
    let created = json_of(first, 201).await;

    let retry = create_client_with_key(&app, "create-1", &body).await;
    assert_eq!(header(&retry, "Idempotent-Replayed"), "true");
    assert_eq!(header(&retry, "location"), location);
    assert_eq!(json_of(retry, 201).await, created);
    assert_eq!(client_count(&app).await, 1);
}

#[tokio::test]
async fn concurrent_client_creations_with_one_key_create_one_client() {
    let app = spawn_app().await;
    let body = json!({"name": "Org"});
    let (a, b, c) = tokio::join!(
        create_client_with_key(&app, "race", &body),
        create_client_with_key(&app, "race", &body),
        create_client_with_key(&app, "race", &body),
    );
    let statuses = [a.status(), b.status(), c.status()].map(|s| s.as_u16());
    assert!(statuses.contains(&201), "{statuses:?}");
    for response in [a, b, c] {
        if response.status() == 409 {
            let problem = problem_of(response, 409, "/problems/conflict").await;
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("Idempotency-Key"),
                "{problem}"
            );
        } else {
            assert_eq!(response.status(), 201);
        }
    }
    assert_eq!(client_count(&app).await, 1, "one key, one client");
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused() {
    let app = spawn_app().await;
    let first = create_client_with_key(&app, "k", &json!({"name": "One"})).await;
    assert_eq!(first.status(), 201);
    let other = create_client_with_key(&app, "k", &json!({"name": "Two"})).await;
    let problem = problem_of(other, 422, "/problems/validation-error").await;
    assert_eq!(error_fields(&problem), ["Idempotency-Key"]);
    let other_path = app
        .request(Method::POST, "/v1/assessments")
        .header("Idempotency-Key", "k")
        .json(
            &json!({"client_id": uuid::Uuid::nil(), "title": "T", "model_ids": ["ambitie-model"]}),
        )
        .send()
        .await
        .unwrap();
    problem_of(other_path, 422, "/problems/validation-error").await;
    assert_eq!(client_count(&app).await, 1);
}

#[tokio::test]
async fn a_refused_request_frees_its_key_for_a_corrected_retry() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let missing = uuid::Uuid::now_v7();
    let body = |client_id: &str| json!({"client_id": client_id, "title": "Baseline", "model_ids": ["ambitie-model"]});
    // The key is bound to the body: a corrected retry needs a new key, and the refused one holds
    // nothing, so it can be sent again as it was.
    for _ in 0..2 {
        let refused = app
            .request(Method::POST, "/v1/assessments")
            .header("Idempotency-Key", "open-1")
            .json(&body(&missing.to_string()))
            .send()
            .await
            .unwrap();
        let problem = problem_of(refused, 422, "/problems/validation-error").await;
        assert_eq!(error_fields(&problem), ["client_id"]);
    }
    let created = app
        .request(Method::POST, "/v1/assessments")
        .header("Idempotency-Key", "open-2")
        .json(&body(&client))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

#[tokio::test]
async fn a_submission_whose_request_died_can_be_retried_once_its_lease_ends() {
    let app = spawn_app().await;
    let id = answered_assessment(&app).await;
    let path = format!("/v1/assessments/{id}/submit");
    let tenant = TenantId(app.tenant.id);

    // A request claimed the key and died before its transaction committed: the claim is all
    // that is left. While its lease runs, a retry is told to wait.
    let key = bodyless_key("died", &path);
    let claim = app
        .store
        .claim_idempotency_key(tenant, &key, Utc::now())
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    let waiting = submit_with_key(&app, &id, "died").await;
    problem_of(waiting, 409, "/problems/conflict").await;
    let still_open = json_of(
        app.get(&format!("/v1/assessments/{id}"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(still_open["status"], "open");

    // A claim whose lease has ended is taken over by the retry, which submits.
    let stale = bodyless_key("died-long-ago", &path);
    let long_ago = Utc::now() - TimeDelta::minutes(10);
    let claim = app
        .store
        .claim_idempotency_key(tenant, &stale, long_ago)
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    let retried = submit_with_key(&app, &id, "died-long-ago").await;
    assert_eq!(retried.status(), 200);
    assert!(retried.headers().get("Idempotent-Replayed").is_none());
    let again = submit_with_key(&app, &id, "died-long-ago").await;
    assert_eq!(header(&again, "Idempotent-Replayed"), "true");
}

#[tokio::test]
async fn keys_are_forgotten_after_seven_days() {
    let app = spawn_app().await;
    let id = answered_assessment(&app).await;
    let other = answered_assessment(&app).await;
    let tenant = TenantId(app.tenant.id);
    // Eight days ago, "old" submitted another assessment.
    let old = bodyless_key("old", &format!("/v1/assessments/{id}/submit"));
    let eight_days_ago = Utc::now() - TimeDelta::days(8);
    let claim = app
        .store
        .claim_idempotency_key(tenant, &old, eight_days_ago)
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    let tx = app.store.tenant_tx(tenant).await.unwrap();
    tx.idempotency()
        .complete(
            &old,
            KeyedOutcome::AssessmentSubmitted(AssessmentId(uuid::Uuid::now_v7())),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Today the same key submits a different assessment: no longer a reuse.
    let fresh = submit_with_key(&app, &other, "old").await;
    assert_eq!(fresh.status(), 200);
    assert!(fresh.headers().get("Idempotent-Replayed").is_none());
}

#[tokio::test]
async fn malformed_keys_are_bad_requests() {
    let app = spawn_app().await;
    for key in ["", " ", &"k".repeat(256)] {
        let response = create_client_with_key(&app, key, &json!({"name": "Org"})).await;
        problem_of(response, 400, "/problems/bad-request").await;
    }
    assert_eq!(client_count(&app).await, 0);
}

#[tokio::test]
async fn a_retry_after_its_client_was_deleted_says_so() {
    let app = spawn_app().await;
    let body = json!({"name": "Bakkerij De Korenbloem"});
    let created = json_of(create_client_with_key(&app, "gone-1", &body).await, 201).await;
    let path = format!("/v1/clients/{}", created["id"].as_str().unwrap());
    let deleted = app.request(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(deleted.status(), 204);

    // The key still names the first request's outcome: no second client, and a reason.
    let retry = create_client_with_key(&app, "gone-1", &body).await;
    let problem = problem_of(retry, 404, "/problems/not-found").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("since been deleted"),
        "{problem}"
    );
    assert_eq!(client_count(&app).await, 0);
}
