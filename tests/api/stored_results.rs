//! Results kept by a submission: language-free outcomes, rendered per request in the reader's
//! language; results kept in the earlier format (rendered documents per language) still read the
//! same; a stored value that cannot be read is an internal error that leaks nothing.

use reqwest::Method;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::assessments::{new_assessment, new_client};
use crate::helpers::{TestApp, header, json_of, problem_of, spawn_app};
use crate::respondents::{answers, new_respondent};

/// A submitted assessment on a layered model with a target (a skipped foundation and a reached
/// target among its insights) and a focus model; its results in English and Dutch.
async fn submitted(app: &TestApp) -> (String, Value, Value) {
    let client = new_client(app, "Org").await;
    let assessment = new_assessment(
        app,
        &client,
        &["social-media-pyramid", "communicatieroos"],
        json!({"social-media-pyramid": "monitor"}),
    )
    .await;
    let id = assessment["id"].as_str().unwrap().to_owned();
    let (respondent, token) = new_respondent(app, &id, "Someone").await;
    let given = answers(&[
        ("alerts-configured", json!(4)),
        ("own-accounts-monitored", json!(4)),
        ("name-searches", json!(3)),
        ("conversations-tracked", json!(0)),
        ("questions-answered", json!(4)),
        ("responses-weighed", json!(4)),
    ]);
    let saved = app
        .with_token(
            Method::PUT,
            &format!("/v1/assessments/{id}/respondents/{respondent}/answers"),
            &token,
        )
        .json(&given)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let submit = app
        .request(Method::POST, &format!("/v1/assessments/{id}/submit"))
        .send()
        .await
        .unwrap();
    let en = json_of(submit, 200).await;
    let nl = results_in(app, &id, "nl").await;
    (id, en, nl)
}

async fn results_in(app: &TestApp, id: &str, lang: &str) -> Value {
    let response = app
        .get(&format!("/v1/assessments/{id}/results"))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "content-language"), lang);
    json_of(response, 200).await
}

/// Replaces the stored results of an assessment, as the database owner would.
async fn store_results_document(app: &TestApp, assessment_id: &str, document: Value) {
    let db = Database::connect(&app.database_url).await.unwrap();
    let update = Query::update()
        .table(Alias::new("assessment_results"))
        .value(Alias::new("documents"), document)
        .and_where(
            Expr::col(Alias::new("assessment_id")).eq(Uuid::parse_str(assessment_id).unwrap()),
        )
        .to_owned();
    let statement = db.get_database_backend().build(&update);
    let updated = db.execute_raw(statement).await.unwrap();
    assert_eq!(updated.rows_affected(), 1);
    db.close().await.unwrap();
}

#[tokio::test]
async fn results_render_in_the_readers_language_from_one_stored_outcome() {
    let app = spawn_app().await;
    let (id, en, nl) = submitted(&app).await;
    assert_eq!(
        results_in(&app, &id, "en").await,
        en,
        "reading changes nothing"
    );
    let pyramid_en = &en["results"][0];
    let pyramid_nl = &nl["results"][0];
    assert_eq!(pyramid_en["stage"]["id"], pyramid_nl["stage"]["id"]);
    assert_eq!(pyramid_en["stage"]["name"], "Monitor");
    let codes: Vec<&str> = pyramid_en["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"skipped-foundation"), "{codes:?}");
    assert!(codes.contains(&"target-reached"), "{codes:?}");
    assert_ne!(
        pyramid_en["insights"][0]["message"], pyramid_nl["insights"][0]["message"],
        "messages are written in the reader's language"
    );
}

#[tokio::test]
async fn results_stored_in_the_first_format_read_as_they_did() {
    let app = spawn_app().await;
    let (id, en, nl) = submitted(&app).await;
    // The first format kept the rendered documents of every language.
    let format_one = json!({
        "respondents": en["respondents"],
        "submitted_at": en["submitted_at"],
        "en": en["results"],
        "nl": nl["results"],
    });
    store_results_document(&app, &id, format_one).await;
    // Per model, exactly as before; the first format kept no roadmap and no cross-model insights.
    for (lang, before) in [("en", &en), ("nl", &nl)] {
        let read = results_in(&app, &id, lang).await;
        assert_eq!(read["results"], before["results"], "{lang}");
        assert_eq!(read["respondents"], before["respondents"]);
        assert_eq!(read["submitted_at"], before["submitted_at"]);
        assert_eq!(read["roadmap"], json!([]));
        assert_eq!(read["insights"], json!([]));
    }
    let progress = json_of(
        app.get(&format!(
            "/v1/clients/{}/progress",
            en_client(&app, &id).await
        ))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(progress["models"][0]["points"][0]["stage"]["id"], "monitor");
    // The report says the roadmap was not kept rather than that nothing is missing.
    let report =
        crate::reports::report_in(&app, &format!("/v1/assessments/{id}/report"), "en").await;
    assert!(report.contains("submitted before the service drew up one roadmap"));
    assert!(!report.contains("Nothing on the chosen models is missing"));
}

#[tokio::test]
async fn unreadable_stored_results_are_an_internal_error_that_says_nothing_more() {
    let app = spawn_app().await;
    let (id, _, _) = submitted(&app).await;
    store_results_document(&app, &id, json!({"format": 99, "secret": "driver detail"})).await;
    let response = app
        .get(&format!("/v1/assessments/{id}/results"))
        .send()
        .await
        .unwrap();
    let request_id = header(&response, "x-request-id").to_owned();
    let problem = problem_of(response, 500, "/problems/internal-error").await;
    assert_eq!(problem["detail"], "internal error");
    assert_eq!(problem["request_id"], request_id.as_str());
    assert!(!problem.to_string().contains("format"), "{problem}");
}

async fn en_client(app: &TestApp, assessment_id: &str) -> String {
    let assessment = json_of(
        app.get(&format!("/v1/assessments/{assessment_id}"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assessment["client_id"].as_str().unwrap().to_owned()
}
