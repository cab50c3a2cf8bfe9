use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{audit_actions, json_of, problem_of, spawn_app};

#[tokio::test]
async fn platform_operators_create_list_get_and_rename_tenants() {
    let app = spawn_app().await;
    let (_, _, operator) = app.platform_operator().await;
    let response = app
        .with_token(Method::POST, "/v1/tenants", &operator)
        .json(&json!({"name": "Agency Z"}))
        .send()
        .await
        .unwrap();
    let created = json_of(response, 201).await;
    let id = created["tenant"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["tenant"]["name"], "Agency Z");
    assert_eq!(created["tenant"]["status"], "active");
    let admin = &created["admin_client"];
    assert_eq!(
        admin["client"]["scopes"],
        json!([
            "models:read",
            "assessments:read",
            "assessments:write",
            "reports:read",
            "tenant:admin"
        ])
    );
    let admin_token = app
        .token(
            admin["client_id"].as_str().unwrap().parse().unwrap(),
            admin["client_secret"].as_str().unwrap(),
            None,
        )
        .await;

    let listed = app.get_json_as(&operator, "/v1/tenants").await;
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [app.tenant.id.to_string().as_str(), id.as_str()],
        "oldest first, no platform tenant"
    );

    let path = format!("/v1/tenants/{id}");
    let fetched = app.get_json_as(&operator, &path).await;
    assert_eq!(fetched, created["tenant"]);
    let renamed = app
        .with_token(Method::PATCH, &path, &operator)
        .json(&json!({"name": "Agency Zed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(renamed, 200).await["name"], "Agency Zed");

    let events = app.get_json_as(&admin_token, "/v1/audit-events").await;
    assert_eq!(
        audit_actions(&events),
        ["tenant.created", "client.created", "tenant.updated"]
    );
    assert_eq!(
        events["items"][2]["details"],
        json!({"name": {"from": "Agency Z", "to": "Agency Zed"}})
    );
}

#[tokio::test]
async fn a_suspended_tenants_tokens_are_refused_until_it_is_reactivated() {
    let app = spawn_app().await;
    let (_, _, operator) = app.platform_operator().await;
    let path = format!("/v1/tenants/{}", app.tenant.id);
    let suspended = app
        .with_token(Method::PATCH, &path, &operator)
        .json(&json!({"status": "suspended"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(suspended, 200).await["status"], "suspended");

    let refused = app.get("/v1/models").send().await.unwrap();
    let problem = problem_of(refused, 401, "/problems/unauthorized").await;
    assert_eq!(problem["detail"], "the tenant is suspended");
    let token_request = app
        .anonymous(Method::POST, "/v1/oauth/token")
        .basic_auth(app.tenant.client_id, Some(&app.tenant.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let problem = problem_of(token_request, 401, "/problems/token-request-refused").await;
    assert_eq!(problem["error_description"], "the tenant is suspended");

    let reactivated = app
        .with_token(Method::PATCH, &path, &operator)
        .json(&json!({"status": "active"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(reactivated, 200).await["status"], "active");
    assert_eq!(app.get("/v1/models").send().await.unwrap().status(), 200);
    let events = json_of(app.get("/v1/audit-events").send().await.unwrap(), 200).await;
    assert_eq!(
        audit_actions(&events),
        [
            "tenant.created",
            "client.created",
            "tenant.suspended",
            "token.refused_suspended_tenant",
            "token.refused_suspended_tenant",
            "tenant.reactivated"
        ]
    );
}

#[tokio::test]
async fn the_platform_tenant_and_unknown_tenants_are_not_found() {
    let app = spawn_app().await;
    let (_, _, operator) = app.platform_operator().await;
    for id in [
        Uuid::nil().to_string(),
        Uuid::new_v4().to_string(),
        "not-a-uuid".to_owned(),
    ] {
        let path = format!("/v1/tenants/{id}");
        let response = app
            .with_token(Method::GET, &path, &operator)
            .send()
            .await
            .unwrap();
        problem_of(response, 404, "/problems/not-found").await;
        let response = app
            .with_token(Method::PATCH, &path, &operator)
            .json(&json!({"status": "suspended"}))
            .send()
            .await
            .unwrap();
        problem_of(response, 404, "/problems/not-found").await;
    }
}

#[tokio::test]
async fn invalid_tenant_input_is_rejected_field_by_field() {
    let app = spawn_app().await;
    let (_, _, operator) = app.platform_operator().await;
    let path = format!("/v1/tenants/{}", app.tenant.id);
    let cases = [
        (
            Method::POST,
            "/v1/tenants".to_owned(),
            json!({"name": "   "}),
            "name",
        ),
        (
            Method::POST,
            "/v1/tenants".to_owned(),
            json!({"name": "x".repeat(201)}),
            "name",
        ),
        (
            Method::PATCH,
            path.clone(),
            json!({"status": "deleted"}),
            "status",
        ),
        (Method::PATCH, path.clone(), json!({"name": ""}), "name"),
        (
            Method::PATCH,
            path.clone(),
            json!({"name": "ok", "plan": "gold"}),
            "body",
        ),
    ];
    for (method, path, body, field) in cases {
        let response = app
            .with_token(method, &path, &operator)
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = problem_of(response, 422, "/problems/validation-error").await;
        assert_eq!(problem["errors"][0]["field"], field, "for {body}");
    }
}
