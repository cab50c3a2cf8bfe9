use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{error_fields, header, json_of, problem_of, spawn_app};

fn answers(pairs: &[(&str, Value)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(id, v)| json!({"indicator_id": id, "value": v}))
            .collect(),
    )
}

#[tokio::test]
async fn answers_are_placed_on_every_chosen_model_and_nothing_is_stored() {
    let app = spawn_app().await;
    // Pyramid 1.2.0 (in place at 0.625): monitor 9/12 = 0.75 in place; listen 2/12 not; respond
    // 6/8 = 0.75 in place; create (1 + 0.25 + 0.5 x 1) / 2.5 = 0.7 in place.
    let request = json!({
        "model_ids": ["social-media-pyramid", "communicatieroos"],
        "targets": {"social-media-pyramid": "create"},
        "respondents": [{"answers": answers(&[
            ("alerts-configured", json!(3)), ("own-accounts-monitored", json!(3)), ("name-searches", json!(3)),
            ("conversations-tracked", json!(1)), ("sentiment-tracked", json!(0)), ("audience-behaviour-studied", json!(1)),
            ("questions-answered", json!(4)), ("responses-weighed", json!(2)),
            ("own-content-published", json!(4)), ("content-informed-by-listening", json!(1)), ("content-calendar", json!(4)),
            ("partners-involved", Value::Null),
        ])}]
    });
    let response = app
        .request(Method::POST, "/v1/score")
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "content-language"), "en");
    let body = json_of(response, 200).await;
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let pyramid = &results[0];
    assert_eq!(pyramid["model_id"], "social-media-pyramid");
    assert_eq!(pyramid["model_version"], "1.2.0");
    assert_eq!(
        pyramid["stage"],
        json!({"id": "monitor", "order": 1, "name": "Monitor"})
    );
    assert_eq!(pyramid["target"]["id"], "create");
    // Gaps up to create: listen 0.625 - 1/6; targets 4 x 0.625.
    assert!(
        (pyramid["percent_to_target"].as_f64().unwrap() - (1.0 - (0.625 - 1.0 / 6.0) / 2.5)).abs()
            < 1e-9
    );
    let codes: Vec<&str> = pyramid["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["skipped-foundation", "skipped-foundation"]);
    let recommended: Vec<(&str, &str)> = pyramid["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action_id"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        recommended,
        [
            ("track-conversations", "next"),
            ("track-sentiment", "next"),
            // Observing the audience needs to know who it is: not done, so pulled in first.
            ("define-target-audiences", "prerequisite"),
            ("study-audience-behaviour", "next")
        ]
    );
    assert_eq!(pyramid["recommendations"][0]["provenance"], "seed");
    assert_eq!(pyramid["stages"][2]["blocked_below"], "listen");
    let listen = &pyramid["elements"][1];
    assert_eq!(
        listen["contributions"][1],
        json!({"indicator_id": "sentiment-tracked", "value": 0.0, "weight": 1.0})
    );
    assert_eq!(pyramid["stages"][1]["blocking"], json!(["listen"]));

    let rose = &results[1];
    assert_eq!(
        (rose["kind"].as_str(), &rose["stage"]),
        (Some("focus"), &Value::Null)
    );
    let organise = &rose["elements"][0];
    assert_eq!(
        organise["contributions"][1]["value"],
        Value::Null,
        "don't know is not zero"
    );
    assert!(rose["profile"].is_object());

    let dutch = app
        .request(Method::POST, "/v1/score")
        .header("Accept-Language", "nl")
        .json(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&dutch, "content-language"), "nl");
    let dutch = json_of(dutch, 200).await;
    assert_eq!(dutch["results"][0]["stage"]["name"], "Monitoren");
    assert!(
        dutch["results"][0]["recommendations"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Volg en analyseer")
    );
    // One plan across both models, and the listening gap seen across them.
    let roadmap: Vec<&str> = body["roadmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["action_id"].as_str().unwrap())
        .collect();
    assert!(roadmap.contains(&"track-conversations"), "{roadmap:?}");
    let cross: Vec<&str> = body["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(cross, ["inside-out-before-outside-in"]);

    let events = app.get_json_as(&app.tenant.token, "/v1/audit-events").await;
    assert_eq!(
        events["items"].as_array().unwrap().len(),
        2,
        "scoring writes nothing"
    );
}

#[tokio::test]
async fn invalid_score_requests_are_rejected_field_by_field() {
    let app = spawn_app().await;
    let one = |answers: Value| json!([{"answers": answers}]);
    let cases = [
        (
            json!({"model_ids": [], "respondents": one(json!([]))}),
            vec!["model_ids"],
        ),
        (
            json!({"model_ids": ["nope"], "respondents": one(json!([]))}),
            vec!["model_ids[0]"],
        ),
        (
            json!({"model_ids": ["ambitie-model", "ambitie-model"], "respondents": one(json!([]))}),
            vec!["model_ids[1]"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "targets": {"social-media-pyramid": "create"}, "respondents": one(json!([]))}),
            vec!["targets.social-media-pyramid"],
        ),
        (
            json!({"model_ids": ["communicatieroos"], "targets": {"communicatieroos": "listen"}, "respondents": one(json!([]))}),
            vec!["targets.communicatieroos"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "targets": {"ambitie-model": "orbit"}, "respondents": one(json!([]))}),
            vec!["targets.ambitie-model"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "respondents": []}),
            vec!["respondents"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "respondents": one(answers(&[("no-such", json!(1))]))}),
            vec!["respondents[0].answers[0].indicator_id"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "respondents": one(answers(&[("open-culture", json!(1))]))}),
            vec!["respondents[0].answers[0].indicator_id"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "sector": "government", "respondents": one(json!([]))}),
            vec!["sector"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "respondents": one(answers(&[("competitors-observed", json!(5))]))}),
            vec!["respondents[0].answers[0].value"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "respondents": one(answers(&[("competitors-observed", json!(-1))]))}),
            vec!["respondents[0].answers[0].value"],
        ),
        (
            json!({"model_ids": ["ambitie-model"], "respondents": one(answers(&[("competitors-observed", json!(1)), ("competitors-observed", json!(2))]))}),
            vec!["respondents[0].answers[1].indicator_id"],
        ),
    ];
    for (body, fields) in cases {
        let response = app
            .request(Method::POST, "/v1/score")
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = problem_of(response, 422, "/problems/validation-error").await;
        let reported = error_fields(&problem);
        assert_eq!(reported, fields, "for {body}");
    }
    let fractional = json!({"model_ids": ["ambitie-model"], "respondents": one(answers(&[("competitors-observed", json!(2.5))]))});
    let response = app
        .request(Method::POST, "/v1/score")
        .json(&fractional)
        .send()
        .await
        .unwrap();
    problem_of(response, 422, "/problems/validation-error").await;
}

#[tokio::test]
async fn scoring_needs_the_models_read_scope() {
    let app = spawn_app().await;
    let (_, _, reporter) = app.client_with_scopes(&["reports:read"]).await;
    let body = json!({"model_ids": ["ambitie-model"], "respondents": [{"answers": []}]});
    let response = app
        .with_token(Method::POST, "/v1/score", &reporter)
        .json(&body)
        .send()
        .await
        .unwrap();
    problem_of(response, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn a_chosen_focus_decides_what_a_focus_model_recommends() {
    let app = spawn_app().await;
    // Organise in place (0.75); Listen 0.25 is the weakest, Send 0.5.
    let answers = answers(&[
        ("employees-activated", json!(3)),
        ("partners-involved", json!(3)),
        ("own-accounts-monitored", json!(1)),
        ("conversations-tracked", json!(1)),
        ("own-content-published", json!(2)),
        ("employee-posts-followed", json!(2)),
    ]);
    let app = &app;
    let recommended = |focus: Value| {
        let body = json!({"model_ids": ["communicatieroos"], "focus": focus, "respondents": [{"answers": answers.clone()}]});
        async move {
            let response = app
                .request(Method::POST, "/v1/score")
                .json(&body)
                .send()
                .await
                .unwrap();
            let result = json_of(response, 200).await;
            let elements: HashSet<String> = result["results"][0]["recommendations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["element_id"].as_str().unwrap().to_owned())
                .collect();
            (elements, result["results"][0]["focus"].clone())
        }
    };
    let (without, focus) = recommended(json!({})).await;
    assert_eq!(
        without,
        HashSet::from(["respond".to_owned(), "activate".to_owned()]),
        "the two weakest petals, unknown counting 0"
    );
    assert_eq!(focus, Value::Null);
    let (with, focus) = recommended(json!({"communicatieroos": ["send"]})).await;
    assert_eq!(with, HashSet::from(["send".to_owned()]));
    assert_eq!(focus, json!(["send"]));
}
