//! Share links: a link shows the report to anyone holding it, read-only and without a token,
//! until it expires or is revoked; then, and for a tampered or unknown token, a small page and
//! never the report. Creating and revoking are audited; another tenant cannot see or revoke them.

use chrono::{Duration, Utc};
use reqwest::Method;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{
    TestApp, audit_actions, error_fields, header, json_of, problem_of, spawn_app, spawn_app_with,
};
use crate::reports::{HOSTILE_CLIENT, assert_self_contained, submitted_assessment};

pub async fn new_link(app: &TestApp, assessment: &str, language: &str) -> Value {
    let body =
        json!({"expires_at": (Utc::now() + Duration::days(30)).to_rfc3339(), "language": language});
    let response = app
        .request(
            Method::POST,
            &format!("/v1/assessments/{assessment}/share-links"),
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        header(&response, "location")
            .starts_with(&format!("/v1/assessments/{assessment}/share-links/"))
    );
    json_of(response, 201).await
}

/// Opens a shared page as a stranger would: no token. Checks the headers every such page carries.
pub async fn open(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.anonymous(Method::GET, path).send().await.unwrap();
    assert_eq!(
        header(&response, "content-type"),
        "text/html; charset=utf-8"
    );
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert_eq!(header(&response, "referrer-policy"), "no-referrer");
    assert_eq!(header(&response, "x-robots-tag"), "noindex, nofollow");
    let policy = header(&response, "content-security-policy");
    assert!(
        policy.starts_with("default-src 'none'; style-src 'sha256-"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"));
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Moves a link's expiry, as the database owner would: time passing without a sleep.
async fn expire(app: &TestApp, link_id: &str) {
    let db = Database::connect(&app.database_url).await.unwrap();
    let update = Query::update()
        .table(Alias::new("share_links"))
        .value(Alias::new("expires_at"), Utc::now() - Duration::seconds(1))
        .and_where(Expr::col(Alias::new("id")).eq(Uuid::parse_str(link_id).unwrap()))
        .to_owned();
    let statement = db.get_database_backend().build(&update);
    assert_eq!(db.execute_raw(statement).await.unwrap().rows_affected(), 1);
}

fn escaped_client() -> String {
    HOSTILE_CLIENT
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[tokio::test]
async fn a_link_shows_the_report_until_it_expires_or_is_revoked() {
    let app = spawn_app_with(&[("SMM_PUBLIC_URL", "https://reports.example.com")]).await;
    let submitted = submitted_assessment(&app).await;
    let assessment = &submitted.assessment;

    let created = new_link(&app, assessment, "nl").await;
    let path = created["path"].as_str().unwrap().to_owned();
    let token = path.strip_prefix("/shared/").unwrap();
    assert_eq!(token.len(), 43, "256 bits in base64url");
    assert_eq!(created["url"], format!("https://reports.example.com{path}"));
    assert_eq!(created["share_link"]["status"], "active");
    assert_eq!(created["share_link"]["language"], "nl");

    // Anyone with the link reads the report, in the link's language, whatever they prefer.
    let (status, report) = open(&app, &path).await;
    assert_eq!(status, 200);
    assert!(report.starts_with("<!DOCTYPE html><html lang=\"nl\">"));
    assert!(report.contains("Stappenplan"));
    assert!(report.contains(&escaped_client()));
    assert!(!report.contains("<script>alert"));
    assert_self_contained(&report);
    // Whoever the link reaches learns how many answered, not who.
    for (_, label, _) in &submitted.respondents {
        let escaped = label.replace('&', "&amp;").replace('"', "&quot;");
        assert!(!report.contains(&escaped), "{label}");
    }

    // A token changed by one character, cut short, or made up finds nothing.
    let mut tampered = token.to_owned();
    let last = if tampered.ends_with('A') { "B" } else { "A" };
    tampered.replace_range(42.., last);
    for wrong in [
        format!("/shared/{tampered}"),
        format!("/shared/{}", &token[..42]),
        "/shared/x".to_owned(),
    ] {
        let (status, page) = open(&app, &wrong).await;
        assert_eq!(status, 404, "{wrong}");
        assert!(!page.contains(&escaped_client()));
        assert_self_contained(&page);
    }

    // Listing shows the link's state, never its token.
    let list = app
        .get_json_as(
            &app.tenant.token,
            &format!("/v1/assessments/{assessment}/share-links"),
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains(token));

    // Expired: a 410 page, never the report.
    let link_id = created["share_link"]["id"].as_str().unwrap();
    expire(&app, link_id).await;
    let (status, page) = open(&app, &path).await;
    assert_eq!(status, 410);
    assert!(page.contains("Deze link werkt niet meer"));
    assert!(!page.contains(&escaped_client()));
    let list = app
        .get_json_as(
            &app.tenant.token,
            &format!("/v1/assessments/{assessment}/share-links"),
        )
        .await;
    assert_eq!(list["items"][0]["status"], "expired");

    // Revoked: the same, and revoking again changes nothing.
    let second = new_link(&app, assessment, "en").await;
    let second_path = second["path"].as_str().unwrap();
    assert_eq!(open(&app, second_path).await.0, 200);
    let second_id = second["share_link"]["id"].as_str().unwrap();
    let revoke = format!("/v1/assessments/{assessment}/share-links/{second_id}");
    for _ in 0..2 {
        assert_eq!(
            app.request(Method::DELETE, &revoke)
                .send()
                .await
                .unwrap()
                .status(),
            204
        );
    }
    let (status, page) = open(&app, second_path).await;
    assert_eq!(status, 410);
    assert!(page.contains("This link no longer works"));
    let one = app.get_json_as(&app.tenant.token, &revoke).await;
    assert_eq!(
        (one["status"].as_str(), one["id"].as_str()),
        (Some("revoked"), Some(second_id))
    );
    assert!(one["revoked_at"].is_string());
    let list = app
        .get_json_as(
            &app.tenant.token,
            &format!("/v1/assessments/{assessment}/share-links"),
        )
        .await;
    assert_eq!(list["items"][1]["status"], "revoked");

    let events = app.get_json_as(&app.tenant.token, "/v1/audit-events").await;
    let actions = audit_actions(&events);
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "share_link.created")
            .count(),
        2
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "share_link.revoked")
            .count(),
        1
    );
}

#[tokio::test]
async fn links_die_with_their_assessment_and_another_tenant_cannot_touch_them() {
    let app = spawn_app().await;
    let submitted = submitted_assessment(&app).await;
    let created = new_link(&app, &submitted.assessment, "en").await;
    let path = created["path"].as_str().unwrap();
    let link_id = created["share_link"]["id"].as_str().unwrap();

    let other = app.create_tenant("Other agency").await;
    let theirs = format!("/v1/assessments/{}/share-links", submitted.assessment);
    for (method, path) in [
        (Method::GET, theirs.clone()),
        (Method::DELETE, format!("{theirs}/{link_id}")),
    ] {
        let response = app
            .with_token(method, &path, &other.token)
            .send()
            .await
            .unwrap();
        problem_of(response, 404, "/problems/not-found").await;
    }
    assert_eq!(open(&app, path).await.0, 200, "still active");

    let deleted = app
        .request(Method::DELETE, &format!("/v1/clients/{}", submitted.client))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(open(&app, path).await.0, 404);
}

#[tokio::test]
async fn a_link_needs_a_submitted_assessment_an_expiry_within_a_year_and_a_known_language() {
    let app = spawn_app().await;
    let submitted = submitted_assessment(&app).await;
    let path = format!("/v1/assessments/{}/share-links", submitted.assessment);
    let create = |body: Value| app.request(Method::POST, &path).json(&body).send();
    for expires_at in [
        Utc::now() - Duration::minutes(1),
        Utc::now() + Duration::days(366),
    ] {
        let response = create(json!({"expires_at": expires_at.to_rfc3339(), "language": "en"}))
            .await
            .unwrap();
        let problem = problem_of(response, 422, "/problems/validation-error").await;
        assert_eq!(error_fields(&problem), ["expires_at"]);
    }
    let in_a_day = (Utc::now() + Duration::days(1)).to_rfc3339();
    for body in [
        json!({"expires_at": in_a_day, "language": "de"}),
        json!({"expires_at": "tomorrow", "language": "en"}),
        json!({"expires_at": in_a_day, "language": "en", "extra": 1}),
        json!({"language": "en"}),
    ] {
        problem_of(
            create(body).await.unwrap(),
            422,
            "/problems/validation-error",
        )
        .await;
    }
    let open_one = crate::assessments::new_assessment(
        &app,
        &submitted.client,
        &["communicatieroos"],
        json!({}),
    )
    .await;
    let response = app
        .request(
            Method::POST,
            &format!(
                "/v1/assessments/{}/share-links",
                open_one["id"].as_str().unwrap()
            ),
        )
        .json(&json!({"expires_at": in_a_day, "language": "en"}))
        .send()
        .await
        .unwrap();
    problem_of(response, 409, "/problems/conflict").await;
}
