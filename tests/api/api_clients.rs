use reqwest::Method;
use serde_json::json;

use crate::helpers::{audit_actions, error_fields, header, json_of, problem_of, spawn_app};

#[tokio::test]
async fn a_tenant_admin_creates_a_narrower_client_whose_secret_is_shown_once() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/v1/api-clients")
        .json(&json!({"name": "  Dashboard  ", "scopes": ["reports:read", "models:read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "cache-control"), "no-store");
    let location = header(&response, "location").to_owned();
    let created = json_of(response, 201).await;
    let id = created["client_id"].as_str().unwrap();
    assert_eq!(location, format!("/v1/api-clients/{id}"));
    assert!(
        created["client_secret"]
            .as_str()
            .unwrap()
            .starts_with("smm_secret_")
    );
    assert_eq!(created["client"]["name"], "Dashboard");
    assert_eq!(
        created["client"]["scopes"],
        json!(["models:read", "reports:read"])
    );
    assert_eq!(created["client"]["status"], "active");

    let fetched = json_of(app.get(&location).send().await.unwrap(), 200).await;
    assert_eq!(fetched, created["client"]);
    assert!(fetched.get("client_secret").is_none() && !fetched.to_string().contains("smm_secret_"));
    let listed = json_of(app.get("/v1/api-clients").send().await.unwrap(), 200).await;
    assert!(
        !listed.to_string().contains("smm_secret_"),
        "a list must never show a secret"
    );
}

#[tokio::test]
async fn a_revoked_clients_tokens_and_secret_are_refused_at_once_and_audited() {
    let app = spawn_app().await;
    let (id, secret, token) = app.client_with_scopes(&["models:read"]).await;
    assert_eq!(
        app.with_token(Method::GET, "/v1/models", &token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let revoked = json_of(
        app.request(Method::DELETE, &format!("/v1/api-clients/{id}"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(revoked["status"], "revoked");
    assert!(revoked["revoked_at"].is_string());

    let refused = app
        .with_token(Method::GET, "/v1/models", &token)
        .send()
        .await
        .unwrap();
    let problem = problem_of(refused, 401, "/problems/unauthorized").await;
    assert_eq!(problem["detail"], "the client has been revoked");
    let token_request = app.request_token(&id.to_string(), &secret).await;
    let problem = problem_of(token_request, 401, "/problems/token-request-refused").await;
    assert_eq!(problem["error"], "invalid_client");

    // Revoking again changes nothing.
    let again = json_of(
        app.request(Method::DELETE, &format!("/v1/api-clients/{id}"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(again["revoked_at"], revoked["revoked_at"]);

    let events = json_of(app.get("/v1/audit-events").send().await.unwrap(), 200).await;
    assert_eq!(
        audit_actions(&events),
        [
            "tenant.created",
            "client.created",
            "client.created",
            "client.revoked",
            "token.refused_revoked_client",
            "token.refused_revoked_client"
        ]
    );
    let revocation = &events["items"][3];
    assert_eq!(revocation["target_id"], id.to_string());
    assert_eq!(
        revocation["actor_client_id"],
        app.tenant.client_id.to_string()
    );
}

#[tokio::test]
async fn a_rotated_secret_replaces_the_old_one_at_once() {
    let app = spawn_app().await;
    let (id, old_secret, _) = app.client_with_scopes(&["models:read"]).await;
    let rotated = app
        .request(Method::POST, &format!("/v1/api-clients/{id}/rotate-secret"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&rotated, "cache-control"), "no-store");
    let rotated = json_of(rotated, 200).await;
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, old_secret);
    let old = app.request_token(&id.to_string(), &old_secret).await;
    assert_eq!(old.status(), 401);
    app.token(id, new_secret, None).await;
    let events = json_of(app.get("/v1/audit-events").send().await.unwrap(), 200).await;
    assert_eq!(
        audit_actions(&events).last(),
        Some(&"client.secret_rotated")
    );
}

#[tokio::test]
async fn a_client_cannot_revoke_itself_and_a_revoked_client_gets_no_new_secret() {
    let app = spawn_app().await;
    let own = format!("/v1/api-clients/{}", app.tenant.client_id);
    problem_of(
        app.request(Method::DELETE, &own).send().await.unwrap(),
        409,
        "/problems/conflict",
    )
    .await;
    let (id, _, _) = app.client_with_scopes(&["models:read"]).await;
    app.request(Method::DELETE, &format!("/v1/api-clients/{id}"))
        .send()
        .await
        .unwrap();
    let response = app
        .request(Method::POST, &format!("/v1/api-clients/{id}/rotate-secret"))
        .send()
        .await
        .unwrap();
    problem_of(response, 409, "/problems/conflict").await;
}

#[tokio::test]
async fn invalid_client_definitions_are_rejected_field_by_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({"name": "", "scopes": ["models:read"]}), vec!["name"]),
        (
            json!({"name": "x".repeat(201), "scopes": ["models:read"]}),
            vec!["name"],
        ),
        (json!({"name": "ok", "scopes": []}), vec!["scopes"]),
        (
            json!({"name": "ok", "scopes": ["models:read", "models:write"]}),
            vec!["scopes[1]"],
        ),
        (
            json!({"name": "ok", "scopes": ["platform:admin"]}),
            vec!["scopes[0]"],
        ),
        (
            json!({"name": " ", "scopes": ["nope"]}),
            vec!["name", "scopes[0]"],
        ),
    ];
    for (body, fields) in cases {
        let response = app
            .request(Method::POST, "/v1/api-clients")
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
async fn malformed_bodies_get_the_same_problem_shape_as_everything_else() {
    let app = spawn_app().await;
    let post = || app.request(Method::POST, "/v1/api-clients");
    let cases = [
        (
            post()
                .header("content-type", "application/json")
                .body("{\"name\": "),
            400,
            "/problems/bad-request",
        ),
        (
            post().json(&json!({"name": 5, "scopes": ["models:read"]})),
            422,
            "/problems/validation-error",
        ),
        (
            post().json(&json!({"name": "a", "scopes": ["models:read"], "admin": true})),
            422,
            "/problems/validation-error",
        ),
        (
            post().header("content-type", "text/plain").body("name=a"),
            415,
            "/problems/unsupported-media-type",
        ),
        (
            post().json(&json!({"name": "a".repeat(300 * 1024), "scopes": []})),
            413,
            "/problems/payload-too-large",
        ),
    ];
    for (request, status, problem_type) in cases {
        problem_of(request.send().await.unwrap(), status, problem_type).await;
    }
}

#[tokio::test]
async fn clients_and_audit_events_page_with_cursors() {
    let app = spawn_app().await;
    for _ in 0..4 {
        app.client_with_scopes(&["models:read"]).await;
    }
    for list in ["/v1/api-clients", "/v1/audit-events"] {
        let mut seen = Vec::new();
        let mut path = format!("{list}?limit=2");
        loop {
            let page = json_of(app.get(&path).send().await.unwrap(), 200).await;
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 2);
            seen.extend(items.iter().map(|i| i["id"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("{list}?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen, sorted, "{list}: every item once, oldest first");
        assert!(seen.len() >= 5, "{list}: {seen:?}");
    }
    let response = app
        .get("/v1/api-clients?cursor=djE6bm90LWEtdXVpZA")
        .send()
        .await
        .unwrap();
    let problem = problem_of(response, 422, "/problems/validation-error").await;
    assert_eq!(problem["errors"][0]["field"], "cursor");
}
