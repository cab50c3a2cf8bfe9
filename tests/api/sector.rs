//! A client's sector, and an assessment's own choice of it, decide what is asked and advised
//! (DOMAIN.md, "Sector"): a municipality is not asked about share of voice, nor told to measure it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::agency_flow::{model, submit};
use crate::helpers::{TestApp, error_fields, json_of, problem_of, spawn_app};
use crate::respondents::{answers, new_respondent};

async fn client_in(app: &TestApp, sector: Value) -> Value {
    let response = app
        .request(Method::POST, "/v1/clients")
        .json(&json!({"name": "Gemeente Oosterhout", "sector": sector}))
        .send()
        .await
        .unwrap();
    json_of(response, 201).await
}

async fn assessment_of(app: &TestApp, client: &Value, sector: Option<&str>) -> Value {
    let mut body = json!({
        "client_id": client["id"],
        "title": "Nulmeting",
        "model_ids": ["listening-maturity", "social-media-pyramid"],
    });
    if let Some(sector) = sector {
        body["sector"] = json!(sector);
    }
    let response = app
        .request(Method::POST, "/v1/assessments")
        .json(&body)
        .send()
        .await
        .unwrap();
    json_of(response, 201).await
}

async fn questions(app: &TestApp, assessment: &Value) -> (Value, Vec<String>) {
    let path = format!(
        "/v1/assessments/{}/questionnaire",
        assessment["id"].as_str().unwrap()
    );
    let document = json_of(app.get(&path).send().await.unwrap(), 200).await;
    let ids = document["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["indicator_id"].as_str().unwrap().to_owned())
        .collect();
    (document["sector"].clone(), ids)
}

#[tokio::test]
async fn a_public_client_is_not_asked_or_advised_what_does_not_fit_its_sector() {
    let app = spawn_app().await;
    let municipality = client_in(&app, json!("public")).await;
    assert_eq!(municipality["sector"], "public");
    let assessment = assessment_of(&app, &municipality, None).await;
    assert_eq!(assessment["sector"], Value::Null, "it follows its client's");

    let (sector, asked) = questions(&app, &assessment).await;
    assert_eq!(sector, "public");
    assert!(asked.contains(&"conversations-tracked".to_owned()));
    assert!(!asked.contains(&"share-of-voice".to_owned()));

    // The same client assessed as a business (say, its commercial subsidiary) is asked it.
    let as_business = assessment_of(&app, &municipality, Some("business")).await;
    assert_eq!(as_business["sector"], "business");
    let (sector, asked) = questions(&app, &as_business).await;
    assert_eq!(sector, "business");
    assert!(asked.contains(&"share-of-voice".to_owned()));

    // Submitted, the results say which sector they were scored for, leave share of voice out of
    // the score (an answer sent anyway is accepted and ignored) and never advise measuring it.
    let id = assessment["id"].as_str().unwrap();
    let (respondent, token) = new_respondent(&app, id, "Communicatieadviseur").await;
    let body = answers(&[
        ("alerts-configured", json!(4)),
        ("own-accounts-monitored", json!(4)),
        ("risk-procedure", json!(3)),
        ("conversations-tracked", json!(3)),
        ("competitors-observed", json!(3)),
        ("share-of-voice", json!(0)),
    ]);
    let saved = app
        .with_token(
            Method::PUT,
            &format!("/v1/assessments/{id}/respondents/{respondent}/answers"),
            &token,
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let results = json_of(submit(&app, id, None).await, 200).await;
    assert_eq!(results["sector"], "public");
    let listening = model(&results, "listening-maturity");
    // (0.75 + 0.75 · 0.5) / 1.5 = 0.75 without share of voice: social listening is in place.
    assert_eq!(listening["stage"]["id"], "social-listening");
    let steps: Vec<&str> = results["roadmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["action_id"].as_str().unwrap())
        .collect();
    assert!(!steps.contains(&"measure-share-of-voice"), "{steps:?}");
    let stored = json_of(
        app.get(&format!("/v1/assessments/{id}/results"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(stored, results);
}

#[tokio::test]
async fn a_clients_sector_is_set_changed_and_cleared_and_an_unknown_one_is_refused() {
    let app = spawn_app().await;
    let client = client_in(&app, Value::Null).await;
    assert_eq!(client["sector"], Value::Null);
    let path = format!("/v1/clients/{}", client["id"].as_str().unwrap());
    let patch = |body: Value| app.request(Method::PATCH, &path).json(&body).send();

    let changed = json_of(patch(json!({"sector": "nonprofit"})).await.unwrap(), 200).await;
    assert_eq!(changed["sector"], "nonprofit");
    let renamed = json_of(
        patch(json!({"name": "Stichting Welzijn"})).await.unwrap(),
        200,
    )
    .await;
    assert_eq!(renamed["sector"], "nonprofit", "an absent field stays");
    let cleared = json_of(patch(json!({"sector": null})).await.unwrap(), 200).await;
    assert_eq!(cleared["sector"], Value::Null);

    let refused = problem_of(
        patch(json!({"sector": "government"})).await.unwrap(),
        422,
        "/problems/validation-error",
    )
    .await;
    assert_eq!(error_fields(&refused), ["sector"]);
    let response = app
        .request(Method::POST, "/v1/assessments")
        .json(&json!({
            "client_id": client["id"],
            "title": "Nulmeting",
            "model_ids": ["social-media-pyramid"],
            "sector": "charity",
        }))
        .send()
        .await
        .unwrap();
    let refused = problem_of(response, 422, "/problems/validation-error").await;
    assert_eq!(error_fields(&refused), ["sector"]);
}
