//! Tenant isolation: another tenant's objects look exactly like missing ones, and nothing of
//! theirs changes, whatever the caller tries. On PostgreSQL, row-level security is checked too.

use reqwest::Method;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, TransactionTrait};
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{TestApp, json_of, spawn_app, spawn_app_with};

/// The kinds of tenant-owned objects the matrix creates.
#[derive(Clone, Copy, Debug)]
enum Kind {
    ApiClient,
    Client,
    Assessment,
    /// A respondent, addressed with its assessment's id and its own.
    Respondent,
    /// A share link of a submitted assessment, addressed with the assessment's id and its own.
    ShareLink,
    WebhookEndpoint,
    /// A delivery, addressed with its endpoint's id and its own.
    WebhookDelivery,
}

/// The ids that address an object: its own, or for a respondent or share link its assessment's
/// and its own.
#[derive(Clone, Copy, Debug)]
struct Ids {
    id: Uuid,
    /// A respondent's or share link's own id (nil for objects addressed by one id).
    child_id: Uuid,
}

impl Ids {
    fn fill(self, template: &str) -> String {
        template
            .replace("{respondent_id}", &self.child_id.to_string())
            .replace("{link_id}", &self.child_id.to_string())
            .replace("{delivery_id}", &self.child_id.to_string())
            .replace(
                "{since}",
                &(chrono::Utc::now() - chrono::Duration::hours(1))
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string(),
            )
            .replace("{id}", &self.id.to_string())
    }

    fn random() -> Ids {
        Ids {
            id: Uuid::now_v7(),
            child_id: Uuid::now_v7(),
        }
    }
}

/// Every endpoint that addresses one tenant-owned object by id, with the status it answers for
/// the caller's own object. Add each new such endpoint here; `the_matrix_covers_every_tenant_scoped_path`
/// fails until you do.
const TENANT_SCOPED: &[(&str, &str, u16, Kind)] = &[
    ("GET", "/v1/api-clients/{id}", 200, Kind::ApiClient),
    (
        "POST",
        "/v1/api-clients/{id}/rotate-secret",
        200,
        Kind::ApiClient,
    ),
    ("DELETE", "/v1/api-clients/{id}", 200, Kind::ApiClient),
    ("GET", "/v1/clients/{id}", 200, Kind::Client),
    ("PATCH", "/v1/clients/{id}", 200, Kind::Client),
    ("DELETE", "/v1/clients/{id}", 204, Kind::Client),
    ("GET", "/v1/assessments/{id}", 200, Kind::Assessment),
    (
        "GET",
        "/v1/assessments/{id}/questionnaire",
        200,
        Kind::Assessment,
    ),
    (
        "GET",
        "/v1/assessments/{id}/respondents",
        200,
        Kind::Assessment,
    ),
    (
        "POST",
        "/v1/assessments/{id}/respondents",
        201,
        Kind::Assessment,
    ),
    (
        "PUT",
        "/v1/assessments/{id}/respondents/{respondent_id}/answers",
        200,
        Kind::Respondent,
    ),
    (
        "GET",
        "/v1/assessments/{id}/respondents/{respondent_id}/answers",
        200,
        Kind::Respondent,
    ),
    // A fresh assessment has no answers and no results: 409 shows it was found.
    ("POST", "/v1/assessments/{id}/submit", 409, Kind::Assessment),
    ("GET", "/v1/assessments/{id}/results", 409, Kind::Assessment),
    ("GET", "/v1/assessments/{id}/report", 409, Kind::Assessment),
    (
        "GET",
        "/v1/assessments/{id}/report/answers",
        409,
        Kind::Assessment,
    ),
    ("GET", "/v1/clients/{id}/progress", 200, Kind::Client),
    ("GET", "/v1/clients/{id}/report", 200, Kind::Client),
    // The matrix's tenant does not share: 403 shows its own client was found.
    ("GET", "/v1/clients/{id}/benchmark", 403, Kind::Client),
    // A fresh assessment is not submitted: nothing to share yet.
    (
        "POST",
        "/v1/assessments/{id}/share-links",
        409,
        Kind::Assessment,
    ),
    (
        "GET",
        "/v1/assessments/{id}/share-links",
        200,
        Kind::Assessment,
    ),
    (
        "GET",
        "/v1/assessments/{id}/share-links/{link_id}",
        200,
        Kind::ShareLink,
    ),
    (
        "DELETE",
        "/v1/assessments/{id}/share-links/{link_id}",
        204,
        Kind::ShareLink,
    ),
    (
        "DELETE",
        "/v1/assessments/{id}/respondents/{respondent_id}",
        204,
        Kind::Respondent,
    ),
    (
        "GET",
        "/v1/webhook-endpoints/{id}",
        200,
        Kind::WebhookEndpoint,
    ),
    (
        "PATCH",
        "/v1/webhook-endpoints/{id}",
        200,
        Kind::WebhookEndpoint,
    ),
    (
        "POST",
        "/v1/webhook-endpoints/{id}/rotate-secret",
        200,
        Kind::WebhookEndpoint,
    ),
    (
        "GET",
        "/v1/webhook-endpoints/{id}/deliveries",
        200,
        Kind::WebhookEndpoint,
    ),
    (
        "POST",
        "/v1/webhook-endpoints/{id}/replay?since={since}",
        202,
        Kind::WebhookEndpoint,
    ),
    (
        "POST",
        "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/replay",
        202,
        Kind::WebhookDelivery,
    ),
    (
        "DELETE",
        "/v1/webhook-endpoints/{id}",
        204,
        Kind::WebhookEndpoint,
    ),
];

/// A body each writing endpoint accepts, so that only authority decides the answer.
fn body_for(method: &Method, template: &str) -> Option<Value> {
    match (method.as_str(), template.rsplit('/').next()) {
        ("PATCH", _) => Some(serde_json::json!({})),
        ("POST", Some("respondents")) => Some(serde_json::json!({"label": "x"})),
        ("PUT", Some("answers")) => Some(serde_json::json!({"answers": []})),
        ("POST", Some("share-links")) => {
            Some(serde_json::json!({"expires_at": chrono_in_a_day(), "language": "en"}))
        }
        _ => None,
    }
}

fn chrono_in_a_day() -> String {
    (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339()
}

/// Creates an object of `kind` with `token`'s tenant; returns the ids that address it.
async fn create(app: &TestApp, token: &str, kind: Kind) -> Ids {
    let post = |path: String, body: Value| {
        app.with_token(Method::POST, &path, token)
            .json(&body)
            .send()
    };
    let id_of = |body: &Value, pointer: &str| {
        body.pointer(pointer)
            .unwrap()
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let only = |id: Uuid| Ids {
        id,
        child_id: Uuid::nil(),
    };
    match kind {
        Kind::ApiClient => only(new_client(app, token).await.0),
        Kind::Client => only(id_of(
            &json_of(
                post("/v1/clients".into(), serde_json::json!({"name": "Org"}))
                    .await
                    .unwrap(),
                201,
            )
            .await,
            "/id",
        )),
        Kind::Assessment => {
            let client = Box::pin(create(app, token, Kind::Client)).await.id;
            let body = serde_json::json!({"client_id": client, "title": "Baseline", "model_ids": ["social-media-pyramid"]});
            only(id_of(
                &json_of(post("/v1/assessments".into(), body).await.unwrap(), 201).await,
                "/id",
            ))
        }
        Kind::Respondent => {
            let assessment = Box::pin(create(app, token, Kind::Assessment)).await.id;
            let path = format!("/v1/assessments/{assessment}/respondents");
            let created = json_of(
                post(path, serde_json::json!({"label": "x"})).await.unwrap(),
                201,
            )
            .await;
            Ids {
                id: assessment,
                child_id: id_of(&created, "/respondent/id"),
            }
        }
        Kind::ShareLink => {
            let respondent = Box::pin(create(app, token, Kind::Respondent)).await;
            let assessment = respondent.id;
            let saved = app
                .with_token(Method::PUT, &respondent.fill("/v1/assessments/{id}/respondents/{respondent_id}/answers"), token)
                .json(&serde_json::json!({"answers": [{"indicator_id": "alerts-configured", "value": 3}]}))
                .send()
                .await
                .unwrap();
            assert_eq!(saved.status(), 200);
            let submitted = post(format!("/v1/assessments/{assessment}/submit"), Value::Null);
            assert_eq!(submitted.await.unwrap().status(), 200);
            let body = serde_json::json!({"expires_at": chrono_in_a_day(), "language": "nl"});
            let created = json_of(
                post(format!("/v1/assessments/{assessment}/share-links"), body)
                    .await
                    .unwrap(),
                201,
            )
            .await;
            Ids {
                id: assessment,
                child_id: id_of(&created, "/share_link/id"),
            }
        }
        Kind::WebhookEndpoint => {
            let body = serde_json::json!({"url": "http://127.0.0.1:9/hook", "event_types": ["assessment.created"]});
            only(id_of(
                &json_of(
                    post("/v1/webhook-endpoints".into(), body).await.unwrap(),
                    201,
                )
                .await,
                "/endpoint/id",
            ))
        }
        Kind::WebhookDelivery => {
            let endpoint = Box::pin(create(app, token, Kind::WebhookEndpoint)).await.id;
            // Opening an assessment is an event the endpoint receives: one delivery.
            Box::pin(create(app, token, Kind::Assessment)).await;
            let log = app
                .get_json_as(
                    token,
                    &format!("/v1/webhook-endpoints/{endpoint}/deliveries"),
                )
                .await;
            Ids {
                id: endpoint,
                child_id: id_of(&log, "/items/0/id"),
            }
        }
    }
}

/// How another tenant's object of `kind` looks to its owner.
async fn owner_view(app: &TestApp, token: &str, kind: Kind, ids: Ids) -> Value {
    let template = match kind {
        Kind::ApiClient => "/v1/api-clients/{id}",
        Kind::Client => "/v1/clients/{id}",
        Kind::Assessment => "/v1/assessments/{id}",
        Kind::Respondent => "/v1/assessments/{id}/respondents/{respondent_id}/answers",
        Kind::ShareLink => "/v1/assessments/{id}/share-links",
        Kind::WebhookEndpoint => "/v1/webhook-endpoints/{id}",
        Kind::WebhookDelivery => "/v1/webhook-endpoints/{id}/deliveries",
    };
    app.get_json_as(token, &ids.fill(template)).await
}

/// Paths with an id that are not tenant-owned objects (the catalogue, and tenants themselves,
/// which only platform operators manage).
const NOT_TENANT_SCOPED: &[&str] = &[
    "/v1/models/{model_id}",
    "/v1/models/{model_id}/versions/{version}",
    "/v1/tenants/{id}",
];

async fn new_client(app: &TestApp, token: &str) -> (Uuid, String) {
    let response = app
        .with_token(Method::POST, "/v1/api-clients", token)
        .json(&serde_json::json!({"name": "object", "scopes": ["models:read"]}))
        .send()
        .await
        .unwrap();
    let created = json_of(response, 201).await;
    (
        created["client_id"].as_str().unwrap().parse().unwrap(),
        created["client_secret"].as_str().unwrap().to_owned(),
    )
}

/// A 404 body with what legitimately differs between two requests taken out.
fn normalised(mut problem: Value, ids: Ids) -> Value {
    problem["request_id"] = Value::Null;
    let detail = problem["detail"]
        .as_str()
        .unwrap()
        .replace(&ids.id.to_string(), "{id}")
        .replace(&ids.child_id.to_string(), "{child_id}");
    problem["detail"] = Value::String(detail);
    problem
}

#[tokio::test]
async fn another_tenants_objects_look_missing_and_stay_untouched() {
    // Three calls per path and the set-up of every kind exceed the default burst: this test is
    // about isolation, not rate limits.
    let app = spawn_app_with(&[
        ("SMM_RATE_LIMIT_BURST", "1000"),
        ("SMM_WEBHOOK_ALLOW_HTTP", "true"),
        ("SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true"),
    ])
    .await;
    let other = app.create_tenant("Other agency").await;
    let mut foreign = Vec::new();
    for kind in [
        Kind::ApiClient,
        Kind::Client,
        Kind::Assessment,
        Kind::Respondent,
        Kind::ShareLink,
        Kind::WebhookEndpoint,
        Kind::WebhookDelivery,
    ] {
        let ids = create(&app, &other.token, kind).await;
        foreign.push((kind, ids, owner_view(&app, &other.token, kind, ids).await));
    }
    let other_events_before = app.get_json_as(&other.token, "/v1/audit-events").await;

    for &(method, template, own_status, kind) in TENANT_SCOPED {
        let method: Method = method.parse().unwrap();
        let call = |ids: Ids| {
            let request = app.request(method.clone(), &ids.fill(template));
            match body_for(&method, template) {
                Some(body) => request.json(&body),
                None => request,
            }
            .send()
        };
        let foreign_ids = foreign
            .iter()
            .find(|(k, _, _)| std::mem::discriminant(k) == std::mem::discriminant(&kind))
            .unwrap()
            .1;
        let random = Ids::random();
        let missing = call(random).await.unwrap();
        assert_eq!(
            missing.status(),
            404,
            "{method} {template} with a random id"
        );
        let missing = normalised(missing.json().await.unwrap(), random);
        let foreign_answer = call(foreign_ids).await.unwrap();
        assert_eq!(
            foreign_answer.status(),
            404,
            "{method} {template} with another tenant's object"
        );
        let foreign_answer = normalised(foreign_answer.json().await.unwrap(), foreign_ids);
        assert_eq!(
            foreign_answer, missing,
            "{method} {template}: a foreign object must look missing"
        );
        let own = create(&app, &app.tenant.token, kind).await;
        assert_eq!(
            call(own).await.unwrap().status(),
            own_status,
            "{method} {template} with the caller's own object"
        );
    }

    for (kind, id, before) in &foreign {
        assert_eq!(
            &owner_view(&app, &other.token, *kind, *id).await,
            before,
            "the other tenant's {kind:?} changed"
        );
    }
    let other_events_after = app.get_json_as(&other.token, "/v1/audit-events").await;
    assert_eq!(
        other_events_after, other_events_before,
        "the other tenant's audit log changed"
    );
}

#[tokio::test]
async fn lists_show_only_the_callers_tenant() {
    let app = spawn_app().await;
    let other = app.create_tenant("Other agency").await;
    let (foreign, _) = new_client(&app, &other.token).await;
    let clients = json_of(app.get("/v1/api-clients").send().await.unwrap(), 200).await;
    let ids: Vec<&str> = clients["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [app.tenant.client_id.to_string()]);
    let events = json_of(app.get("/v1/audit-events").send().await.unwrap(), 200).await;
    assert!(!events.to_string().contains(&foreign.to_string()));
    assert!(!events.to_string().contains(&other.client_id.to_string()));
    assert_eq!(events["items"].as_array().unwrap().len(), 2, "{events}");
}

#[test]
fn the_matrix_covers_every_tenant_scoped_path() {
    let document: Value = serde_json::from_str(&smm::api::openapi_json().unwrap()).unwrap();
    for (path, item) in document["paths"].as_object().unwrap() {
        if !path.starts_with("/v1/")
            || !path.contains('{')
            || NOT_TENANT_SCOPED.contains(&path.as_str())
        {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            let listed = TENANT_SCOPED.iter().any(|(m, p, _, _)| {
                m.eq_ignore_ascii_case(method) && p.split('?').next() == Some(path.as_str())
            });
            assert!(
                listed,
                "{} {path} is missing from the cross-tenant matrix",
                method.to_uppercase()
            );
        }
    }
}

/// PostgreSQL only: the application role sees no tenant-owned row unless the transaction names
/// the tenant, and cannot write another tenant's rows or change the audit log.
#[tokio::test]
async fn row_level_security_hides_rows_without_the_tenant_setting() {
    let app = spawn_app().await;
    if !app.database_url.starts_with("postgres") {
        eprintln!("row-level security exists on PostgreSQL only; run with TEST_DATABASE_URL");
        return;
    }
    let other = app.create_tenant("Other agency").await;
    for kind in [Kind::Client, Kind::Respondent] {
        create(&app, &app.tenant.token, kind).await;
    }
    let db = Database::connect(&app.database_url).await.unwrap();
    for table in [
        "api_clients",
        "audit_events",
        "clients",
        "assessments",
        "respondents",
    ] {
        assert_eq!(
            rows_seen_by_app(&db, table, None).await,
            0,
            "{table} without a tenant"
        );
        assert!(
            rows_seen_by_app(&db, table, Some(app.tenant.id)).await > 0,
            "{table} of the tenant"
        );
    }
    assert_eq!(
        rows_seen_by_app(&db, "api_clients", Some(app.tenant.id)).await,
        1,
        "exactly the tenant's own admin client"
    );

    let txn = db.begin().await.unwrap();
    txn.execute_unprepared("SET LOCAL ROLE smm_app")
        .await
        .unwrap();
    txn.execute_unprepared(&format!(
        "SELECT set_config('smm.tenant_id', '{}', true)",
        app.tenant.id
    ))
    .await
    .unwrap();
    let foreign_insert = format!(
        "INSERT INTO api_clients (tenant_id, id, name, scopes, secret_hash, status, created_at, secret_rotated_at) \
         VALUES ('{}', '{}', 'x', 'models:read', 'x', 'active', now(), now())",
        other.id,
        Uuid::now_v7()
    );
    let refused = txn.execute_unprepared(&foreign_insert).await;
    assert!(refused.is_err(), "a row of another tenant was written");
    txn.rollback().await.unwrap();

    let txn = db.begin().await.unwrap();
    txn.execute_unprepared("SET LOCAL ROLE smm_app")
        .await
        .unwrap();
    let tampering = txn.execute_unprepared("DELETE FROM audit_events").await;
    assert!(
        tampering.is_err(),
        "the application role may not delete audit events"
    );
    txn.rollback().await.unwrap();
}

/// Rows of `table` visible to the application role, with or without a tenant set.
async fn rows_seen_by_app(
    db: &sea_orm::DatabaseConnection,
    table: &str,
    tenant: Option<Uuid>,
) -> i64 {
    let txn = db.begin().await.unwrap();
    txn.execute_unprepared("SET LOCAL ROLE smm_app")
        .await
        .unwrap();
    if let Some(tenant) = tenant {
        txn.execute_unprepared(&format!(
            "SELECT set_config('smm.tenant_id', '{tenant}', true)"
        ))
        .await
        .unwrap();
    }
    let sql = format!("SELECT count(*) AS n FROM {table}");
    let row = txn
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    txn.rollback().await.unwrap();
    row.try_get("", "n").unwrap()
}
