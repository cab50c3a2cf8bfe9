//! The whole agency flow of issue 4, end to end over HTTP.

use reqwest::Method;
use serde_json::{Value, json};

use crate::assessments::{new_assessment, new_client};
use crate::helpers::{TestApp, audit_actions, header, json_of, problem_of, spawn_app};
use crate::respondents::{answers, new_respondent};

/// One model's result in a results document.
pub fn model<'a>(results: &'a Value, id: &str) -> &'a Value {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model_id"] == id)
        .unwrap()
}

pub async fn submit(app: &TestApp, assessment: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = app.request(
        Method::POST,
        &format!("/v1/assessments/{assessment}/submit"),
    );
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn an_agency_assesses_a_client_and_follows_its_progress() {
    let app = spawn_app().await;
    let client = new_client(&app, "Bakkerij De Korenbloem").await;
    let first = new_assessment(
        &app,
        &client,
        &["social-media-pyramid", "communicatieroos", "ambitie-model"],
        json!({"ambitie-model": "facilitate"}),
    )
    .await;
    let id = first["id"].as_str().unwrap().to_owned();

    // Two people answer through a front-end, each with a respondent token.
    let (manager, manager_token) = new_respondent(&app, &id, "Marketing manager").await;
    let (director, director_token) = new_respondent(&app, &id, "Director").await;
    let save = |respondent: &str, token: &str, body: Value| {
        app.with_token(
            Method::PUT,
            &format!("/v1/assessments/{id}/respondents/{respondent}/answers"),
            token,
        )
        .json(&body)
        .send()
    };
    // The manager answers in two sittings; the director disagrees on alerts (4 vs 1).
    let sitting = save(
        &manager,
        &manager_token,
        answers(&[
            ("alerts-configured", json!(4)),
            ("own-accounts-monitored", json!(3)),
            ("name-searches", json!(3)),
        ]),
    );
    assert_eq!(sitting.await.unwrap().status(), 200);
    let sitting = save(
        &manager,
        &manager_token,
        answers(&[
            ("conversations-tracked", json!(1)),
            ("sentiment-tracked", json!(0)),
            ("audience-behaviour-studied", json!(1)),
            ("questions-answered", json!(4)),
            ("responses-weighed", json!(2)),
            ("own-content-published", json!(4)),
            ("content-informed-by-listening", json!(0)),
            ("content-calendar", json!(4)),
            ("employees-activated", json!(1)),
            ("partners-involved", json!(0)),
        ]),
    );
    assert_eq!(sitting.await.unwrap().status(), 200);
    let sitting = save(
        &director,
        &director_token,
        answers(&[
            ("alerts-configured", json!(1)),
            ("competitors-observed", json!(2)),
        ]),
    );
    assert_eq!(sitting.await.unwrap().status(), 200);

    // Submitting twice with the same key yields one submission and the same answer.
    let submitted = submit(&app, &id, Some("submit-1")).await;
    let body = json_of(submitted, 200).await;
    let replayed = submit(&app, &id, Some("submit-1")).await;
    assert_eq!(header(&replayed, "idempotent-replayed"), "true");
    assert_eq!(json_of(replayed, 200).await, body);
    problem_of(submit(&app, &id, None).await, 409, "/problems/conflict").await;
    assert_eq!(body["respondents"], 2);

    // The stored results: stage, disagreement, insights, recommendations, in both languages.
    let results = json_of(
        app.get(&format!("/v1/assessments/{id}/results"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(results, body);
    let pyramid = model(&results, "social-media-pyramid");
    // Monitor: alerts (4 + 1) / 2 = 2.5 -> 0.625, own accounts 0.75, names 0.75: in place.
    // Listen: (0.25 + 0 + 0.25) / 3 = 1/6: not in place, while respond and create are.
    assert_eq!(pyramid["stage"]["id"], "monitor");
    let codes: Vec<&str> = pyramid["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"skipped-foundation"), "{codes:?}");
    let alerts = pyramid["spread"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["indicator_id"] == "alerts-configured")
        .unwrap();
    assert_eq!(
        (
            alerts["answered"].as_u64(),
            alerts["disagreement"].as_bool()
        ),
        (Some(2), Some(true))
    );
    assert_eq!(pyramid["recommendations"][0]["element_id"], "listen");
    let rose = model(&results, "communicatieroos");
    assert_eq!(rose["insights"][0]["code"], "foundation-not-in-place");
    let ambition = model(&results, "ambitie-model");
    assert_eq!(ambition["target"]["id"], "facilitate");
    assert!(ambition["percent_to_target"].as_f64().unwrap() < 1.0);
    let dutch = json_of(
        app.get(&format!("/v1/assessments/{id}/results"))
            .header("Accept-Language", "nl")
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        model(&dutch, "social-media-pyramid")["stage"]["name"],
        "Monitoren"
    );

    // Answers are frozen now.
    let late = save(
        &manager,
        &manager_token,
        answers(&[("alerts-configured", json!(0))]),
    )
    .await
    .unwrap();
    problem_of(late, 409, "/problems/conflict").await;

    // A later assessment, after the client started listening.
    let second = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let second_id = second["id"].as_str().unwrap();
    let (respondent, token) = new_respondent(&app, second_id, "Marketing manager").await;
    let better = answers(&[
        ("alerts-configured", json!(4)),
        ("own-accounts-monitored", json!(4)),
        ("name-searches", json!(4)),
        ("conversations-tracked", json!(3)),
        ("sentiment-tracked", json!(3)),
        ("audience-behaviour-studied", json!(3)),
        ("questions-answered", json!(4)),
        ("responses-weighed", json!(3)),
    ]);
    let saved = app
        .with_token(
            Method::PUT,
            &format!("/v1/assessments/{second_id}/respondents/{respondent}/answers"),
            &token,
        )
        .json(&better)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    json_of(submit(&app, second_id, Some("submit-2")).await, 200).await;
    let reused = submit(&app, &id, Some("submit-2")).await;
    problem_of(reused, 422, "/problems/validation-error").await;

    let progress = json_of(
        app.get(&format!("/v1/clients/{client}/progress"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let series: Vec<&str> = progress["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        series,
        ["social-media-pyramid", "communicatieroos", "ambitie-model"]
    );
    let pyramid_points = progress["models"][0]["points"].as_array().unwrap();
    let stages: Vec<&str> = pyramid_points
        .iter()
        .map(|p| p["stage"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        ["monitor", "respond"],
        "the client moved up the Pyramid"
    );
    let submitted = json_of(
        app.get("/v1/assessments?status=submitted")
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(submitted["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn concurrent_submissions_with_one_key_create_one_result() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let id = assessment["id"].as_str().unwrap();
    let (respondent, token) = new_respondent(&app, id, "Someone").await;
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
    let (a, b) = tokio::join!(
        submit(&app, id, Some("same-key")),
        submit(&app, id, Some("same-key"))
    );
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    assert!(statuses.contains(&200), "{statuses:?}");
    let results = json_of(
        app.get(&format!("/v1/assessments/{id}/results"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    for response in [a, b] {
        if response.status() == 409 {
            // Only "still being processed" may refuse a duplicate; "already submitted" would mean
            // the key was not honoured.
            let problem = problem_of(response, 409, "/problems/conflict").await;
            let detail = problem["detail"].as_str().unwrap();
            assert!(detail.contains("Idempotency-Key"), "{detail}");
        } else {
            assert_eq!(
                json_of(response, 200).await,
                results,
                "every answer is the one stored result"
            );
        }
    }
    let retry = submit(&app, id, Some("same-key")).await;
    assert_eq!(header(&retry, "Idempotent-Replayed"), "true");
    assert_eq!(json_of(retry, 200).await, results, "a retry replays it");
}

#[tokio::test]
async fn submitting_needs_answers_and_results_need_a_submission() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &["ambitie-model"], json!({})).await;
    let id = assessment["id"].as_str().unwrap();
    problem_of(submit(&app, id, None).await, 409, "/problems/conflict").await;
    let results = app
        .get(&format!("/v1/assessments/{id}/results"))
        .send()
        .await
        .unwrap();
    problem_of(results, 409, "/problems/conflict").await;
    let bad_key = app
        .request(Method::POST, &format!("/v1/assessments/{id}/submit"))
        .header("Idempotency-Key", "")
        .send()
        .await
        .unwrap();
    problem_of(bad_key, 400, "/problems/bad-request").await;
    let (_, _, writer) = app.client_with_scopes(&["assessments:write"]).await;
    let forbidden = app
        .with_token(
            Method::GET,
            &format!("/v1/assessments/{id}/results"),
            &writer,
        )
        .send()
        .await
        .unwrap();
    problem_of(forbidden, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn submissions_and_deletions_are_audited() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let id = assessment["id"].as_str().unwrap();
    let (leaver, _) = new_respondent(&app, id, "Leaves").await;
    let (respondent, token) = new_respondent(&app, id, "Stays").await;
    let removed = app
        .request(
            Method::DELETE,
            &format!("/v1/assessments/{id}/respondents/{leaver}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let saved = app
        .with_token(
            Method::PUT,
            &format!("/v1/assessments/{id}/respondents/{respondent}/answers"),
            &token,
        )
        .json(&answers(&[("alerts-configured", json!(3))]))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    assert_eq!(submit(&app, id, None).await.status(), 200);
    let deleted = app
        .request(Method::DELETE, &format!("/v1/clients/{client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let events = json_of(app.get("/v1/audit-events").send().await.unwrap(), 200).await;
    let actions = audit_actions(&events);
    assert_eq!(
        actions[actions.len() - 3..],
        [
            "respondent.removed",
            "assessment.submitted",
            "organisation.deleted"
        ]
    );
    let last = events["items"].as_array().unwrap().last().unwrap();
    assert_eq!(last["target_id"], client.as_str());
    assert_eq!(last["actor_client_id"], app.tenant.client_id.to_string());
    assert_eq!(last["details"]["name"], "Org");
}
