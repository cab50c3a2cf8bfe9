use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::catalog::MODEL_IDS;
use crate::helpers::{TestApp, error_fields, header, json_of, problem_of, spawn_app};

pub async fn new_client(app: &TestApp, name: &str) -> String {
    let response = app
        .request(Method::POST, "/v1/clients")
        .json(&json!({"name": name}))
        .send()
        .await
        .unwrap();
    json_of(response, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn new_assessment(app: &TestApp, client: &str, models: &[&str], targets: Value) -> Value {
    let body =
        json!({"client_id": client, "title": "Baseline", "model_ids": models, "targets": targets});
    json_of(
        app.request(Method::POST, "/v1/assessments")
            .json(&body)
            .send()
            .await
            .unwrap(),
        201,
    )
    .await
}

#[tokio::test]
async fn an_agency_manages_its_clients() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/v1/clients")
        .json(&json!({"name": " Bakkerij De Korenbloem ", "industry": "Food retail", "size_band": "small", "country": "nl", "notes": "Met Instagram"}))
        .send()
        .await
        .unwrap();
    let location = header(&response, "location").to_owned();
    let created = json_of(response, 201).await;
    assert_eq!(
        location,
        format!("/v1/clients/{}", created["id"].as_str().unwrap())
    );
    assert_eq!(
        (&created["name"], &created["size_band"], &created["country"]),
        (
            &json!("Bakkerij De Korenbloem"),
            &json!("small"),
            &json!("NL")
        )
    );
    assert_eq!(
        json_of(app.get(&location).send().await.unwrap(), 200).await,
        created
    );

    // Absent fields stay; null clears.
    let patched = app
        .request(Method::PATCH, &location)
        .json(&json!({"industry": null, "size_band": "medium"}))
        .send()
        .await
        .unwrap();
    let patched = json_of(patched, 200).await;
    assert_eq!(
        (
            &patched["industry"],
            &patched["size_band"],
            &patched["notes"]
        ),
        (&Value::Null, &json!("medium"), &json!("Met Instagram"))
    );

    let listed = json_of(app.get("/v1/clients").send().await.unwrap(), 200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    let deleted = app.request(Method::DELETE, &location).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    problem_of(
        app.get(&location).send().await.unwrap(),
        404,
        "/problems/not-found",
    )
    .await;
}

#[tokio::test]
async fn invalid_clients_are_rejected_field_by_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({"name": ""}), "name"),
        (json!({"name": "ok", "size_band": "huge"}), "size_band"),
        (json!({"name": "ok", "country": "NLD"}), "country"),
        (
            json!({"name": "ok", "industry": "x".repeat(101)}),
            "industry",
        ),
        (json!({"name": "ok", "notes": "x".repeat(4001)}), "notes"),
        (json!({"name": "ok", "vat": "NL123"}), "body"),
    ];
    for (body, field) in cases {
        let response = app
            .request(Method::POST, "/v1/clients")
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = problem_of(response, 422, "/problems/validation-error").await;
        assert_eq!(problem["errors"][0]["field"], field, "for {body}");
    }
}

#[tokio::test]
async fn an_assessment_pins_its_model_versions_and_targets() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(
        &app,
        &client,
        &["ambitie-model", "communicatieroos"],
        json!({"ambitie-model": "facilitate"}),
    )
    .await;
    assert_eq!(assessment["status"], "open");
    assert_eq!(assessment["client_id"], client);
    assert_eq!(
        assessment["models"],
        json!([
            {"model_id": "ambitie-model", "version": "1.2.0", "target": "facilitate", "focus": null},
            {"model_id": "communicatieroos", "version": "1.2.0", "target": null, "focus": null},
        ])
    );
    let id = assessment["id"].as_str().unwrap();
    assert_eq!(
        json_of(
            app.get(&format!("/v1/assessments/{id}"))
                .send()
                .await
                .unwrap(),
            200
        )
        .await,
        assessment
    );

    let other_client = new_client(&app, "Other org").await;
    new_assessment(&app, &other_client, &["social-media-pyramid"], json!({})).await;
    let mine = json_of(
        app.get(&format!("/v1/assessments?client_id={client}"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let open = json_of(
        app.get("/v1/assessments?status=open").send().await.unwrap(),
        200,
    )
    .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 2);
    let submitted = json_of(
        app.get("/v1/assessments?status=submitted")
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(submitted["items"].as_array().unwrap().is_empty());
    let bad = app
        .get("/v1/assessments?status=closed")
        .send()
        .await
        .unwrap();
    problem_of(bad, 422, "/problems/validation-error").await;
}

#[tokio::test]
async fn invalid_assessments_are_rejected_field_by_field() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let unknown_client = uuid::Uuid::new_v4().to_string();
    let cases = [
        (
            json!({"client_id": unknown_client, "title": "t", "model_ids": ["ambitie-model"]}),
            vec!["client_id"],
        ),
        (
            json!({"client_id": client, "title": "", "model_ids": ["ambitie-model"]}),
            vec!["title"],
        ),
        (
            json!({"client_id": client, "title": "t", "model_ids": []}),
            vec!["model_ids"],
        ),
        (
            json!({"client_id": client, "title": "t", "model_ids": ["nope"]}),
            vec!["model_ids[0]"],
        ),
        (
            json!({"client_id": client, "title": "t", "model_ids": ["communicatieroos"], "targets": {"communicatieroos": "listen"}}),
            vec!["targets.communicatieroos"],
        ),
    ];
    for (body, fields) in cases {
        let response = app
            .request(Method::POST, "/v1/assessments")
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = problem_of(response, 422, "/problems/validation-error").await;
        let reported = error_fields(&problem);
        assert_eq!(reported, fields, "for {body}");
    }
}

#[tokio::test]
async fn the_questionnaire_asks_each_needed_indicator_once_grouped_by_capability() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let assessment = new_assessment(&app, &client, &MODEL_IDS, json!({})).await;
    let path = format!(
        "/v1/assessments/{}/questionnaire",
        assessment["id"].as_str().unwrap()
    );
    let questionnaire = json_of(app.get(&path).send().await.unwrap(), 200).await;
    let items = questionnaire["items"].as_array().unwrap();
    let ids: HashSet<&str> = items
        .iter()
        .map(|i| i["indicator_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), items.len(), "each indicator once");
    let mappings: usize = {
        let mut total = 0;
        for model in MODEL_IDS {
            let document = json_of(
                app.get(&format!("/v1/models/{model}"))
                    .send()
                    .await
                    .unwrap(),
                200,
            )
            .await;
            total += document["elements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["indicators"].as_array().unwrap().len())
                .sum::<usize>();
        }
        total
    };
    assert!(
        items.len() * 3 < mappings * 2,
        "{} questions for {mappings} mappings",
        items.len()
    );
    let capabilities: Vec<&str> = items
        .iter()
        .map(|i| i["capability"].as_str().unwrap())
        .collect();
    let order = [
        "strategy",
        "organisation",
        "listening",
        "responding",
        "content",
        "community",
        "measurement",
        "innovation",
    ];
    let ranks: Vec<usize> = capabilities
        .iter()
        .map(|c| order.iter().position(|o| o == c).unwrap())
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "grouped by capability: {capabilities:?}"
    );
    let shared = items
        .iter()
        .find(|i| i["indicator_id"] == "conversations-tracked")
        .unwrap();
    assert!(shared["model_ids"].as_array().unwrap().len() >= 4);
    assert_eq!(questionnaire["scale"].as_array().unwrap().len(), 6);

    let pyramid_only = new_assessment(&app, &client, &["social-media-pyramid"], json!({})).await;
    let path = format!(
        "/v1/assessments/{}/questionnaire",
        pyramid_only["id"].as_str().unwrap()
    );
    let dutch = app
        .get(&path)
        .header("Accept-Language", "nl")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&dutch, "content-language"), "nl");
    let dutch = json_of(dutch, 200).await;
    assert_eq!(
        dutch["items"].as_array().unwrap().len(),
        10,
        "the Pyramid asks 10 questions"
    );
    assert_eq!(dutch["scale"][4]["label"], "Volledig en structureel");
}

#[tokio::test]
async fn a_focus_chooses_a_focus_models_elements_and_is_validated_like_targets() {
    let app = spawn_app().await;
    let client = new_client(&app, "Org").await;
    let create = |focus: Value| {
        let body = json!({
            "client_id": client,
            "title": "Baseline",
            "model_ids": ["communicatieroos", "social-media-pyramid"],
            "focus": focus,
        });
        app.request(Method::POST, "/v1/assessments")
            .json(&body)
            .send()
    };
    let created = json_of(
        create(json!({"communicatieroos": ["listen", "send"]}))
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(created["models"][0]["focus"], json!(["listen", "send"]));
    assert_eq!(created["models"][1]["focus"], Value::Null);
    for (focus, field) in [
        (
            json!({"social-media-pyramid": ["monitor"]}),
            "focus.social-media-pyramid",
        ),
        (
            json!({"communicatieroos": ["petal"]}),
            "focus.communicatieroos[0]",
        ),
        (
            json!({"communicatieroos": ["listen", "listen"]}),
            "focus.communicatieroos[1]",
        ),
        (json!({"communicatieroos": []}), "focus.communicatieroos"),
        (json!({"ambitie-model": ["observe"]}), "focus.ambitie-model"),
    ] {
        let problem = problem_of(
            create(focus.clone()).await.unwrap(),
            422,
            "/problems/validation-error",
        )
        .await;
        assert_eq!(error_fields(&problem), [field], "{focus}");
    }
}
