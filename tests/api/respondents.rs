use reqwest::Method;
use serde_json::{Value, json};

use crate::assessments::{new_assessment, new_client};
use crate::helpers::{TestApp, error_fields, json_of, problem_of, spawn_app};

/// A new respondent of `assessment`: (respondent id, respondent token).
pub async fn new_respondent(app: &TestApp, assessment: &str, label: &str) -> (String, String) {
    let response = app
        .request(
            Method::POST,
            &format!("/v1/assessments/{assessment}/respondents"),
        )
        .json(&json!({"label": label}))
        .send()
        .await
        .unwrap();
    let created = json_of(response, 201).await;
    (
        created["respondent"]["id"].as_str().unwrap().to_owned(),
        created["token"].as_str().unwrap().to_owned(),
    )
}

pub fn answers(pairs: &[(&str, Value)]) -> Value {
    json!({"answers": pairs.iter().map(|(id, v)| json!({"indicator_id": id, "value": v})).collect::<Vec<_>>()})
}

#[tokio::test]
async fn a_respondent_answers_in_several_sittings_with_a_token_good_for_nothing_else() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let id = assessment["id"].as_str().unwrap();
    let (respondent, token) = new_respondent(&app, id, "Marketing manager").await;
    let mine = format!("/v1/assessments/{id}/respondents/{respondent}/answers");

    let questionnaire = app
        .get_json_as(&token, &format!("/v1/assessments/{id}/questionnaire"))
        .await;
    assert_eq!(questionnaire["items"].as_array().unwrap().len(), 10);

    let first = app
        .with_token(Method::PUT, &mine, &token)
        .json(&answers(&[
            ("alerts-configured", json!(3)),
            ("name-searches", json!(1)),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(first, 200).await["answers"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let second = app
        .with_token(Method::PUT, &mine, &token)
        .json(&answers(&[
            ("name-searches", json!(2)),
            ("sentiment-tracked", Value::Null),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(second, 200).await["answers"],
        json!([
            {"indicator_id": "alerts-configured", "value": 3},
            {"indicator_id": "name-searches", "value": 2},
            {"indicator_id": "sentiment-tracked", "value": null},
        ])
    );
    assert_eq!(
        app.get_json_as(&token, &mine).await["answers"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let (other_respondent, _) = new_respondent(&app, id, "Director").await;
    let other_assessment =
        new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let other_id = other_assessment["id"].as_str().unwrap();
    let score = json!({"model_ids": ["social-media-pyramid"], "respondents": [{"answers": []}]});
    let forbidden = [
        (Method::GET, "/v1/models".to_owned(), None),
        (Method::GET, format!("/v1/assessments/{id}"), None),
        (
            Method::GET,
            format!("/v1/assessments/{id}/respondents"),
            None,
        ),
        (
            Method::GET,
            format!("/v1/assessments/{other_id}/questionnaire"),
            None,
        ),
        (
            Method::GET,
            format!("/v1/assessments/{id}/respondents/{other_respondent}/answers"),
            None,
        ),
        (
            Method::PUT,
            format!("/v1/assessments/{id}/respondents/{other_respondent}/answers"),
            Some(answers(&[])),
        ),
        (Method::POST, "/v1/score".to_owned(), Some(score)),
    ];
    for (method, path, body) in forbidden {
        let mut request = app.with_token(method.clone(), &path, &token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            403,
            "a respondent token may not {method} {path}"
        );
    }

    // The agency may save answers for any respondent.
    let by_agency = app
        .request(
            Method::PUT,
            &format!("/v1/assessments/{id}/respondents/{other_respondent}/answers"),
        )
        .json(&answers(&[("alerts-configured", json!(4))]))
        .send()
        .await
        .unwrap();
    assert_eq!(by_agency.status(), 200);
    let listed = json_of(
        app.get(&format!("/v1/assessments/{id}/respondents"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn invalid_answers_are_rejected_by_field_and_nothing_is_half_written() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let id = assessment["id"].as_str().unwrap();
    let (respondent, token) = new_respondent(&app, id, "Someone").await;
    let mine = format!("/v1/assessments/{id}/respondents/{respondent}/answers");
    let body = answers(&[
        ("alerts-configured", json!(3)),
        ("no-such-indicator", json!(1)),
        ("open-culture", json!(2)),
        ("name-searches", json!(9)),
        ("sentiment-tracked", json!(1)),
        ("sentiment-tracked", json!(2)),
    ]);
    let response = app
        .with_token(Method::PUT, &mine, &token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let problem = problem_of(response, 422, "/problems/validation-error").await;
    let fields = error_fields(&problem);
    assert_eq!(
        fields,
        [
            "answers[1].indicator_id",
            "answers[2].indicator_id",
            "answers[3].value",
            "answers[5].indicator_id"
        ]
    );
    assert!(
        app.get_json_as(&token, &mine).await["answers"]
            .as_array()
            .unwrap()
            .is_empty(),
        "the valid answer was not saved either"
    );

    let unknown = format!(
        "/v1/assessments/{id}/respondents/{}/answers",
        uuid::Uuid::now_v7()
    );
    let response = app
        .request(Method::PUT, &unknown)
        .json(&answers(&[]))
        .send()
        .await
        .unwrap();
    problem_of(response, 404, "/problems/not-found").await;
}

#[tokio::test]
async fn removing_a_respondent_revokes_their_token() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let id = assessment["id"].as_str().unwrap();
    let (respondent, token) = new_respondent(&app, id, "Leaked link").await;
    let (other, _) = new_respondent(&app, id, "Still here").await;
    let mine = format!("/v1/assessments/{id}/respondents/{respondent}");
    let removed = app.request(Method::DELETE, &mine).send().await.unwrap();
    assert_eq!(removed.status(), 204);

    for (method, path) in [
        (Method::GET, format!("/v1/assessments/{id}/questionnaire")),
        (Method::GET, format!("{mine}/answers")),
        (Method::PUT, format!("{mine}/answers")),
    ] {
        let response = app
            .with_token(method.clone(), &path, &token)
            .json(&answers(&[]))
            .send()
            .await
            .unwrap();
        let problem = problem_of(response, 401, "/problems/unauthorized").await;
        assert_eq!(
            problem["detail"], "the respondent has been removed",
            "{method} {path}"
        );
    }
    problem_of(
        app.get(&format!("{mine}/answers")).send().await.unwrap(),
        404,
        "/problems/not-found",
    )
    .await;
    problem_of(
        app.request(Method::DELETE, &mine).send().await.unwrap(),
        404,
        "/problems/not-found",
    )
    .await;
    let listed = json_of(
        app.get(&format!("/v1/assessments/{id}/respondents"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [other.as_str()]);
}

/// Every report and submission reads all of an assessment's respondents, so their number is
/// bounded. The first 499 are written as the database owner would, to keep the test quick.
#[tokio::test]
async fn an_assessment_takes_at_most_500_respondents() {
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{ConnectionTrait, Database};

    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let id: uuid::Uuid = assessment["id"].as_str().unwrap().parse().unwrap();
    let db = Database::connect(&app.database_url).await.unwrap();
    let mut insert = Query::insert();
    insert.into_table(Alias::new("respondents")).columns([
        Alias::new("tenant_id"),
        Alias::new("id"),
        Alias::new("assessment_id"),
        Alias::new("label"),
        Alias::new("created_at"),
    ]);
    for n in 0..499 {
        insert.values_panic([
            app.tenant.id.into(),
            uuid::Uuid::now_v7().into(),
            id.into(),
            format!("Respondent {n}").into(),
            chrono::Utc::now().into(),
        ]);
    }
    let statement = db.get_database_backend().build(&insert);
    assert_eq!(
        db.execute_raw(statement).await.unwrap().rows_affected(),
        499
    );

    new_respondent(&app, &id.to_string(), "The 500th").await;
    let refused = app
        .request(Method::POST, &format!("/v1/assessments/{id}/respondents"))
        .json(&json!({"label": "One too many"}))
        .send()
        .await
        .unwrap();
    let problem = problem_of(refused, 409, "/problems/conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("500"));
}
