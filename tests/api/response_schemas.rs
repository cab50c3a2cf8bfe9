//! What the service sends is what the committed document says it sends, field for field: the
//! bodies of a whole agency flow (placements, insights, recommendations, the roadmap, cross-model
//! insights, audit events, credentials; the test checks that the flow produced them) are
//! validated against their operations' response schemas. The document's enums (statuses, kinds, codes) are read from the
//! domain's value lists, and this holds the values actually sent to them; schemathesis checks
//! the same in CI, but rarely reaches a submitted assessment.

use jsonschema::Draft;
use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::assessments::new_client;
use crate::catalog::MODEL_IDS;
use crate::helpers::{TestApp, spawn_app};
use crate::respondents::new_respondent;

const DOCUMENT: &str = include_str!("../../openapi/openapi.json");

/// The committed document.
pub fn document() -> Value {
    serde_json::from_str(DOCUMENT).unwrap()
}

/// Panics, listing the differences, unless `body` is valid against `schema`, a schema of
/// `document` whose references (`#/components/schemas/…`) resolve in it.
pub fn assert_conforms(document: &Value, schema: &Value, body: &Value, what: &str) {
    assert!(schema.is_object(), "{what}: no documented schema");
    // The schema as the root, with the document's components beside it for its references,
    // closed: a field the document does not name is a difference too.
    let mut root = schema.clone();
    root["components"] = document["components"].clone();
    close_objects(&mut root);
    let validator = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} differs from its documented schema:\n{}",
        errors.join("\n")
    );
}

/// Every object schema that lists its properties and says nothing of others admits no others.
/// (The document leaves response objects open, so that clients ignore fields added later; a
/// field the service sends must still be documented.)
fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("unevaluatedProperties".to_owned(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// Checks bodies against the documented response of their operation.
struct Contract {
    document: Value,
    checked: Vec<String>,
}

impl Contract {
    fn new() -> Contract {
        Contract {
            document: document(),
            checked: Vec::new(),
        }
    }

    /// The body of `response`, after checking its status is `status` and the body is what the
    /// document says `method path` answers with that status.
    async fn body(&mut self, method: &str, path: &str, response: Response, status: u16) -> Value {
        assert_eq!(response.status(), status, "{method} {path}");
        let body: Value = response.json().await.unwrap();
        let schema = &self.document["paths"][path][method]["responses"][status.to_string()]["content"]
            ["application/json"]["schema"];
        let what = format!("{method} {path} ({status})");
        assert_conforms(&self.document, schema, &body, &what);
        self.checked.push(format!("{method} {path}"));
        body
    }
}

async fn send(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Response {
    let request = app.request(method, path);
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.unwrap()
}

/// An answer for every question, different per respondent and per question, with gaps, so that
/// models land on different stages and every kind of advice appears.
fn answers_to(questionnaire: &Value, respondent: usize) -> Value {
    let questions = questionnaire["items"].as_array().unwrap();
    let answers: Vec<Value> = questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let value = match (index * (3 + 2 * respondent) + respondent) % 6 {
                5 => Value::Null,
                value => json!(value.min(4)),
            };
            json!({"indicator_id": question["indicator_id"], "value": value})
        })
        .collect();
    json!({ "answers": answers })
}

#[tokio::test]
async fn what_the_service_sends_is_what_its_document_describes() {
    let app = spawn_app().await;
    let mut contract = Contract::new();

    let client = new_client(&app, "Gemeente Zuidvelde").await;
    let update = json!({"nace_section": "O", "size_band": "medium", "country": "NL"});
    let response = send(
        &app,
        Method::PATCH,
        &format!("/v1/clients/{client}"),
        Some(update),
    )
    .await;
    contract
        .body("patch", "/v1/clients/{id}", response, 200)
        .await;

    let assessment = json!({
        "client_id": client,
        "title": "Baseline",
        "model_ids": MODEL_IDS,
        "targets": {"social-media-pyramid": "create", "ambitie-model": "facilitate"},
        "focus": {"groundswell-objectives": ["listening", "talking"]},
    });
    let response = send(&app, Method::POST, "/v1/assessments", Some(assessment)).await;
    let assessment = contract
        .body("post", "/v1/assessments", response, 201)
        .await;
    let id = assessment["id"].as_str().unwrap();

    let path = format!("/v1/assessments/{id}/questionnaire");
    let response = send(&app, Method::GET, &path, None).await;
    let questionnaire = contract
        .body("get", "/v1/assessments/{id}/questionnaire", response, 200)
        .await;
    for (index, label) in ["Communications advisor", "Head of service desk"]
        .iter()
        .enumerate()
    {
        let (respondent, token) = new_respondent(&app, id, label).await;
        let path = format!("/v1/assessments/{id}/respondents/{respondent}/answers");
        let response = app
            .with_token(Method::PUT, &path, &token)
            .json(&answers_to(&questionnaire, index))
            .send()
            .await
            .unwrap();
        let template = "/v1/assessments/{id}/respondents/{respondent_id}/answers";
        contract.body("put", template, response, 200).await;
    }

    let path = format!("/v1/assessments/{id}/submit");
    let response = send(&app, Method::POST, &path, None).await;
    let submitted = contract
        .body("post", "/v1/assessments/{id}/submit", response, 200)
        .await;
    let path = format!("/v1/assessments/{id}/results");
    let response = send(&app, Method::GET, &path, None).await;
    contract
        .body("get", "/v1/assessments/{id}/results", response, 200)
        .await;
    // The answers give the advice something to say, or the check would say little: stages,
    // insights, recommendations toward a target, the roadmap and cross-model insights.
    let kinds: Vec<&str> = submitted["roadmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"next"), "{kinds:?}");
    assert!(kinds.contains(&"toward-target"), "{kinds:?}");
    let results = submitted["results"].as_array().unwrap();
    assert!(results.iter().any(|result| result["stage"].is_object()));
    let insights = results
        .iter()
        .flat_map(|r| r["insights"].as_array().unwrap());
    assert!(insights.count() >= 2);
    assert!(!submitted["insights"].as_array().unwrap().is_empty());

    let score = json!({
        "model_ids": MODEL_IDS,
        "respondents": [answers_to(&questionnaire, 0), answers_to(&questionnaire, 1)],
        "targets": {"strategy-learning-curve": "integrated"},
    });
    let response = send(&app, Method::POST, "/v1/score", Some(score)).await;
    contract.body("post", "/v1/score", response, 200).await;

    for (template, path) in [
        ("/v1/clients/{id}", format!("/v1/clients/{client}")),
        (
            "/v1/clients/{id}/progress",
            format!("/v1/clients/{client}/progress"),
        ),
        ("/v1/assessments/{id}", format!("/v1/assessments/{id}")),
        ("/v1/assessments", "/v1/assessments".to_owned()),
        ("/v1/api-clients", "/v1/api-clients".to_owned()),
        ("/v1/audit-events", "/v1/audit-events".to_owned()),
        ("/v1/nace-sections", "/v1/nace-sections".to_owned()),
    ] {
        let response = send(&app, Method::GET, &path, None).await;
        contract.body("get", template, response, 200).await;
    }

    let response = app
        .request_token(&app.tenant.client_id.to_string(), &app.tenant.client_secret)
        .await;
    contract
        .body("post", "/v1/oauth/token", response, 200)
        .await;
    let (_, _, operator) = app.platform_operator().await;
    let path = format!("/v1/tenants/{}", app.tenant.id);
    let response = app
        .with_token(Method::GET, &path, &operator)
        .send()
        .await
        .unwrap();
    contract
        .body("get", "/v1/tenants/{id}", response, 200)
        .await;

    assert_eq!(contract.checked.len(), 17, "{:?}", contract.checked);
}
