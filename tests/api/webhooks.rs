//! Webhooks: signed events from a real delivery worker to a real local receiver. Retries, the
//! disable window and secret overlap are driven by calling worker rounds at chosen times (an
//! injected clock), never by waiting.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::assessments::new_assessment;
use crate::helpers::{TestApp, audit_actions, error_fields, json_of, spawn_app_with};
use crate::reports::submitted_assessment;
use crate::response_schemas::{assert_conforms, document};
use crate::webhook_receiver::{Reply, start, verify};

/// Registration and delivery may reach the local receiver.
const LOCAL: &[(&str, &str)] = &[
    ("SMM_WEBHOOK_ALLOW_HTTP", "true"),
    ("SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true"),
];

async fn local_app() -> TestApp {
    spawn_app_with(LOCAL).await
}

/// Registers an endpoint; its id and secret.
async fn register(app: &TestApp, url: &str, event_types: &[&str]) -> (String, String) {
    let response = app
        .request(Method::POST, "/v1/webhook-endpoints")
        .json(&json!({"url": url, "event_types": event_types, "description": "test receiver"}))
        .send()
        .await
        .unwrap();
    let created = json_of(response, 201).await;
    (
        created["endpoint"]["id"].as_str().unwrap().to_owned(),
        created["secret"].as_str().unwrap().to_owned(),
    )
}

async fn deliveries(app: &TestApp, endpoint: &str) -> Vec<Value> {
    let page = json_of(
        app.get(&format!("/v1/webhook-endpoints/{endpoint}/deliveries"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

async fn new_client(app: &TestApp) -> String {
    let response = app
        .request(Method::POST, "/v1/clients")
        .json(&json!({"name": "Bakery Jansen"}))
        .send()
        .await
        .unwrap();
    json_of(response, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Opens an assessment (an `assessment.created` event); its id.
async fn open_assessment(app: &TestApp, client: &str) -> String {
    new_assessment(app, client, &["social-media-pyramid"], json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn at(time: &Value) -> DateTime<Utc> {
    time.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_submission_reaches_the_receiver_signed_with_its_summary() {
    let mut extra = LOCAL.to_vec();
    extra.extend([
        ("SMM_WEBHOOK_WORKER", "true"),
        ("SMM_WEBHOOK_POLL_MS", "20"),
    ]);
    let app = spawn_app_with(&extra).await;
    let mut receiver = start(&[]).await;
    let url = format!("{}/hooks/smm", receiver.url);
    let (endpoint, secret) = register(&app, &url, &["assessment.submitted"]).await;

    let submitted = submitted_assessment(&app).await;
    let request = receiver.next().await;

    // Signed as Standard Webhooks says, and verified by a separate implementation.
    let id = request.header("webhook-id").to_owned();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7);
    let timestamp: i64 = request.header("webhook-timestamp").parse().unwrap();
    assert!((Utc::now().timestamp() - timestamp).abs() < 60);
    assert_eq!(request.header("content-type"), "application/json");
    assert!(request.verifies_with(&secret));
    let mut tampered = request.body.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 1;
    let signature = request.header("webhook-signature");
    assert!(!verify(
        &secret,
        &id,
        &timestamp.to_string(),
        &tampered,
        signature
    ));
    assert!(!verify(
        &secret,
        &id,
        &(timestamp + 1).to_string(),
        &request.body,
        signature
    ));
    assert!(!request.verifies_with("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

    // The payload: its envelope, and the submission's summary with links, as documented.
    let event = request.json();
    let document = document();
    let schema = &document["webhooks"]["assessment.submitted"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_conforms(
        &document,
        schema,
        &event,
        "the assessment.submitted payload",
    );
    assert_eq!(event["id"], id.as_str());
    assert_eq!(event["type"], "assessment.submitted");
    assert_eq!(event["version"], 1);
    let data = &event["data"];
    assert_eq!(data["assessment_id"], submitted.assessment.as_str());
    assert_eq!(data["client_id"], submitted.client.as_str());
    assert_eq!(data["respondents"], 2);
    let models = data["models"].as_array().unwrap();
    assert_eq!(models.len(), 7);
    let results = submitted.results["results"].as_array().unwrap();
    for model in models {
        let result = results
            .iter()
            .find(|r| r["model_id"] == model["model_id"])
            .unwrap();
        assert_eq!(model["version"], result["model_version"], "{model}");
        assert_eq!(
            model["stage_id"],
            result["stage"].get("id").cloned().unwrap_or(Value::Null)
        );
    }
    assert_eq!(
        data["results_url"],
        format!("/v1/assessments/{}/results", submitted.assessment)
    );
    assert_eq!(
        data["roadmap_steps"].as_u64().unwrap() as usize,
        submitted.results["roadmap"].as_array().unwrap().len()
    );

    // Exactly one event per submission, and the log says it was delivered.
    let log = deliveries(&app, &endpoint).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["event_id"], id.as_str());
    assert_eq!(log[0]["event_type"], "assessment.submitted");
    assert_eq!(log[0]["attempts"], 1);
    // The worker records the outcome after the receiver answered: read until it has.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut delivered = log[0].clone();
    while delivered["status"] != "succeeded" && std::time::Instant::now() < deadline {
        tokio::task::yield_now().await;
        delivered = deliveries(&app, &endpoint).await[0].clone();
    }
    assert_eq!(delivered["status"], "succeeded");
    assert_eq!(delivered["response_status"], 200);
    assert!(delivered["latency_ms"].as_u64().is_some());
    assert!(receiver.drain().is_empty(), "no second delivery");

    // Counted right after the outcome is recorded: read until it is.
    let counted = "smm_webhook_attempts_total{delivery=\"succeeded\",result=\"delivered\"} 1";
    let mut metrics = String::new();
    while !metrics.contains(counted) && std::time::Instant::now() < deadline {
        tokio::task::yield_now().await;
        let response = app.anonymous(Method::GET, "/metrics").send().await.unwrap();
        metrics = response.text().await.unwrap();
    }
    assert!(metrics.contains(counted), "{metrics}");
    assert!(metrics.contains("smm_webhook_queue_depth"));
}

#[tokio::test]
async fn failed_attempts_are_retried_on_the_backoff_schedule() {
    let app = local_app().await;
    let worker = app.webhook_worker(LOCAL).await;
    let mut receiver = start(&[Reply::Status(500), Reply::Hang, Reply::Status(204)]).await;
    let (endpoint, _) = register(&app, &receiver.url, &["assessment.created"]).await;
    let client = new_client(&app).await;
    open_assessment(&app, &client).await;
    let t0 = Utc::now();

    // Attempt 1: the receiver answers 500.
    assert_eq!(worker.deliver_due(t0).await.unwrap(), 1);
    // The retry counts from when the attempt ended: t0 plus its latency, which is before now.
    let attempt_ended_by = Utc::now();
    let first = receiver.next().await;
    let delivery = deliveries(&app, &endpoint).await[0].clone();
    assert_eq!(delivery["status"], "pending");
    assert_eq!(delivery["attempts"], 1);
    assert_eq!(delivery["response_status"], 500);
    assert_eq!(delivery["last_error"], "the receiver answered 500");
    let next = at(&delivery["next_attempt_at"]);
    assert!(
        next >= t0 + Duration::milliseconds(4500)
            && next <= attempt_ended_by + Duration::milliseconds(5500),
        "{next} is not 5 s ± 10 % after the attempt"
    );

    // Not before it is due (5 s, give or take a tenth).
    assert_eq!(
        worker.deliver_due(t0 + Duration::seconds(4)).await.unwrap(),
        0
    );
    // Attempt 2: the receiver does not answer within the timeout.
    let t2 = t0 + Duration::seconds(6);
    assert_eq!(worker.deliver_due(t2).await.unwrap(), 1);
    let second = receiver.next().await;
    let delivery = deliveries(&app, &endpoint).await[0].clone();
    assert_eq!(delivery["attempts"], 2);
    assert_eq!(delivery["last_error"], "timed out");
    assert_eq!(delivery["response_status"], Value::Null);
    let next = at(&delivery["next_attempt_at"]);
    // Counted from when the attempt ended: the timeout (1 s here) later.
    assert!(next >= t2 + Duration::seconds(271) && next <= t2 + Duration::seconds(332));

    // Attempt 3, five minutes later: delivered.
    assert_eq!(
        worker
            .deliver_due(t2 + Duration::seconds(269))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        worker
            .deliver_due(t2 + Duration::seconds(331))
            .await
            .unwrap(),
        1
    );
    let third = receiver.next().await;
    let delivery = deliveries(&app, &endpoint).await[0].clone();
    assert_eq!(delivery["status"], "succeeded");
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["response_status"], 204);
    assert_eq!(delivery["next_attempt_at"], Value::Null);

    // Every attempt carried the same event and body, each signed at its own time.
    assert_eq!(first.header("webhook-id"), third.header("webhook-id"));
    assert_eq!(first.body, second.body);
    assert_eq!(second.body, third.body);
    assert_ne!(
        first.header("webhook-timestamp"),
        third.header("webhook-timestamp")
    );
    assert_eq!(worker.deliver_due(t2 + Duration::days(4)).await.unwrap(), 0);
}

#[tokio::test]
async fn an_endpoint_that_fails_for_five_days_is_disabled_and_can_catch_up_by_replay() {
    let app = local_app().await;
    let worker = app.webhook_worker(LOCAL).await;
    let mut receiver = start(&[Reply::Status(503); 64]).await;
    let (endpoint, _) = register(&app, &receiver.url, &["assessment.created"]).await;
    let client = new_client(&app).await;
    open_assessment(&app, &client).await;

    // Follow the schedule: each attempt at the time the last one set.
    let started = Utc::now();
    let mut now = started;
    let mut attempts = 0;
    loop {
        assert_eq!(worker.deliver_due(now).await.unwrap(), 1);
        attempts += 1;
        let delivery = deliveries(&app, &endpoint).await[0].clone();
        match delivery["next_attempt_at"].as_str() {
            Some(next) => now = next.parse().unwrap(),
            None => {
                assert_eq!(delivery["status"], "failed");
                break;
            }
        }
    }
    assert_eq!(attempts, 12);
    let gave_up_after = now - started;
    // 67.6 hours of waits, ±10 % jitter.
    assert!(gave_up_after > Duration::hours(60) && gave_up_after < Duration::hours(75));
    assert_eq!(receiver.drain().len(), 12);
    let state = app
        .get_json_as(
            &app.tenant.token,
            &format!("/v1/webhook-endpoints/{endpoint}"),
        )
        .await;
    assert_eq!(
        state["enabled"], true,
        "three days of failure do not disable it"
    );
    // The first failure, when that attempt ended.
    let failing_since = at(&state["failing_since"]);
    assert!(failing_since >= started && failing_since < started + Duration::seconds(2));

    // New events keep failing; once the first failure is five days old, the endpoint is off.
    open_assessment(&app, &client).await;
    now = started + Duration::days(4);
    loop {
        assert_eq!(worker.deliver_due(now).await.unwrap(), 1);
        let state = app
            .get_json_as(
                &app.tenant.token,
                &format!("/v1/webhook-endpoints/{endpoint}"),
            )
            .await;
        if state["enabled"] == false {
            assert_eq!(state["disabled_reason"], "failing");
            assert!(now + Duration::seconds(2) >= failing_since + Duration::days(5));
            break;
        }
        assert!(now < failing_since + Duration::days(5));
        let delivery = deliveries(&app, &endpoint).await[0].clone();
        now = at(&delivery["next_attempt_at"]);
    }
    let events = app
        .get_json_as(&app.tenant.token, "/v1/audit-events?limit=200")
        .await;
    assert!(audit_actions(&events).contains(&"webhook_endpoint.disabled"));

    // Disabled: new events are kept but not sent, and replays are refused until it is enabled.
    receiver.drain();
    let missed = open_assessment(&app, &client).await;
    let since = (Utc::now() - Duration::minutes(5)).timestamp();
    let replay = |app: &TestApp| {
        let since = DateTime::from_timestamp(since, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ");
        app.request(
            Method::POST,
            &format!("/v1/webhook-endpoints/{endpoint}/replay?since={since}"),
        )
        .send()
    };
    assert_eq!(replay(&app).await.unwrap().status(), 409);
    let enabled = app
        .request(Method::PATCH, &format!("/v1/webhook-endpoints/{endpoint}"))
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    let enabled = json_of(enabled, 200).await;
    assert_eq!(enabled["failing_since"], Value::Null);
    assert_eq!(enabled["disabled_reason"], Value::Null);
    let replayed = json_of(replay(&app).await.unwrap(), 202).await;
    assert_eq!(
        replayed["deliveries"], 3,
        "the three events of the last five minutes"
    );
    receiver.then(&[Reply::Status(200); 8]);
    let mut sent = 0;
    while sent < 3 {
        sent += worker.deliver_due(Utc::now()).await.unwrap();
    }
    let received: Vec<Value> = receiver.drain().into_iter().map(|r| r.json()).collect();
    assert!(
        received
            .iter()
            .any(|event| event["data"]["assessment_id"] == missed.as_str())
    );
}

#[tokio::test]
async fn a_replay_sends_the_same_event_again() {
    let app = local_app().await;
    let worker = app.webhook_worker(LOCAL).await;
    let mut receiver = start(&[]).await;
    let (endpoint, secret) = register(&app, &receiver.url, &["client.deleted"]).await;
    let client = new_client(&app).await;
    let deleted = app
        .request(Method::DELETE, &format!("/v1/clients/{client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    worker.deliver_due(Utc::now()).await.unwrap();
    let original = receiver.next().await;
    assert_eq!(original.json()["data"], json!({"client_id": client}));

    let delivery = deliveries(&app, &endpoint).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .request(
            Method::POST,
            &format!("/v1/webhook-endpoints/{endpoint}/deliveries/{delivery}/replay"),
        )
        .send()
        .await
        .unwrap();
    let replayed = json_of(response, 202).await;
    assert_eq!(replayed["status"], "pending");
    assert_eq!(replayed["attempts"], 0);
    assert_ne!(replayed["id"], delivery.as_str());
    assert_eq!(worker.deliver_due(Utc::now()).await.unwrap(), 1);
    let again = receiver.next().await;
    assert_eq!(again.header("webhook-id"), original.header("webhook-id"));
    assert_eq!(again.body, original.body);
    assert!(again.verifies_with(&secret));
    assert_eq!(deliveries(&app, &endpoint).await.len(), 2);

    // Someone else's delivery id, or one of another endpoint, is not found.
    let (other, _) = register(&app, &receiver.url, &["client.deleted"]).await;
    let response = app
        .request(
            Method::POST,
            &format!("/v1/webhook-endpoints/{other}/deliveries/{delivery}/replay"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn after_a_rotation_both_secrets_sign_for_a_day() {
    let app = local_app().await;
    let worker = app.webhook_worker(LOCAL).await;
    let mut receiver = start(&[]).await;
    let (endpoint, old) = register(&app, &receiver.url, &["assessment.created"]).await;
    let rotated = app
        .request(
            Method::POST,
            &format!("/v1/webhook-endpoints/{endpoint}/rotate-secret"),
        )
        .send()
        .await
        .unwrap();
    let new = json_of(rotated, 200).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new, old);
    let client = new_client(&app).await;

    open_assessment(&app, &client).await;
    worker
        .deliver_due(Utc::now() + Duration::hours(23))
        .await
        .unwrap();
    let within = receiver.next().await;
    assert_eq!(within.header("webhook-signature").split(' ').count(), 2);
    assert!(within.verifies_with(&old) && within.verifies_with(&new));

    open_assessment(&app, &client).await;
    worker
        .deliver_due(Utc::now() + Duration::hours(25))
        .await
        .unwrap();
    let after = receiver.next().await;
    assert_eq!(after.header("webhook-signature").split(' ').count(), 1);
    assert!(after.verifies_with(&new));
    assert!(!after.verifies_with(&old));

    // Rotating again within the day retires the first secret at once: never more than two sign.
    let rotate = format!("/v1/webhook-endpoints/{endpoint}/rotate-secret");
    let rotated = app.request(Method::POST, &rotate).send().await.unwrap();
    let newer = json_of(rotated, 200).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    open_assessment(&app, &client).await;
    worker.deliver_due(Utc::now()).await.unwrap();
    let twice = receiver.next().await;
    assert_eq!(twice.header("webhook-signature").split(' ').count(), 2);
    assert!(twice.verifies_with(&newer) && twice.verifies_with(&new));
    assert!(!twice.verifies_with(&old));
    let events = app
        .get_json_as(&app.tenant.token, "/v1/audit-events?limit=200")
        .await;
    let rotations = audit_actions(&events)
        .into_iter()
        .filter(|action| *action == "webhook_endpoint.secret_rotated")
        .count();
    assert_eq!(rotations, 2);
}

#[tokio::test]
async fn a_deleted_clients_events_are_forgotten_and_old_events_pruned() {
    let app = local_app().await;
    let worker = app.webhook_worker(LOCAL).await;
    let mut receiver = start(&[]).await;
    let (endpoint, _) = register(
        &app,
        &receiver.url,
        &["assessment.created", "client.deleted"],
    )
    .await;
    let kept = new_client(&app).await;
    let kept_assessment = open_assessment(&app, &kept).await;
    let deleted = new_client(&app).await;
    open_assessment(&app, &deleted).await;
    app.request(Method::DELETE, &format!("/v1/clients/{deleted}"))
        .send()
        .await
        .unwrap();

    // The deleted client's assessment is not announced (nor replayable): only its deletion is.
    assert_eq!(worker.deliver_due(Utc::now()).await.unwrap(), 2);
    let sent: Vec<Value> = receiver
        .drain()
        .iter()
        .map(crate::webhook_receiver::Received::json)
        .collect();
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .any(|e| e["data"]["assessment_id"] == kept_assessment.as_str())
    );
    assert!(
        sent.iter()
            .any(|e| e["type"] == "client.deleted" && e["data"]["client_id"] == deleted.as_str())
    );
    assert!(
        !sent.iter().any(
            |e| e["type"] == "assessment.created" && e["data"]["client_id"] == deleted.as_str()
        )
    );

    // Past the replay window, delivered events go, with their log.
    let none = smm::service::webhook_delivery::prune(&app.store, Utc::now())
        .await
        .unwrap();
    assert_eq!(none, 0);
    let later = Utc::now() + Duration::days(31);
    let pruned = smm::service::webhook_delivery::prune(&app.store, later)
        .await
        .unwrap();
    assert_eq!(pruned, 2);
    assert!(deliveries(&app, &endpoint).await.is_empty());
}

#[tokio::test]
async fn a_submission_that_fails_emits_nothing() {
    let app = local_app().await;
    let worker = app.webhook_worker(LOCAL).await;
    let mut receiver = start(&[]).await;
    let (endpoint, _) = register(&app, &receiver.url, &["assessment.submitted"]).await;
    // The submission's last write fails after its event was written: the audit event.
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let backend = db.get_database_backend();
    let statements: Vec<&str> = match backend {
        sea_orm::DbBackend::Postgres => vec![
            "CREATE FUNCTION fail_submission() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
            "CREATE TRIGGER fail_submission BEFORE INSERT ON audit_events FOR EACH ROW \
             WHEN (NEW.action = 'assessment.submitted') EXECUTE FUNCTION fail_submission()",
        ],
        _ => vec![
            "CREATE TRIGGER fail_submission BEFORE INSERT ON audit_events \
             WHEN NEW.action = 'assessment.submitted' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ],
    };
    use sea_orm::ConnectionTrait;
    for statement in &statements {
        db.execute_unprepared(statement).await.unwrap();
    }
    let client = new_client(&app).await;
    let assessment = open_assessment(&app, &client).await;
    let (respondent, token) =
        crate::respondents::new_respondent(&app, &assessment, "Marketing lead").await;
    let saved = app
        .with_token(
            Method::PUT,
            &format!("/v1/assessments/{assessment}/respondents/{respondent}/answers"),
            &token,
        )
        .json(&json!({"answers": [{"indicator_id": "alerts-configured", "value": 3}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let submit = format!("/v1/assessments/{assessment}/submit");
    let failed = app.request(Method::POST, &submit).send().await.unwrap();
    assert_eq!(failed.status(), 500);
    assert_eq!(worker.deliver_due(Utc::now()).await.unwrap(), 0);
    assert!(deliveries(&app, &endpoint).await.is_empty());
    let assessment_now = app
        .get_json_as(&app.tenant.token, &format!("/v1/assessments/{assessment}"))
        .await;
    assert_eq!(
        assessment_now["status"], "open",
        "nothing of the submission stayed"
    );

    // Without the fault, the same submission emits exactly one event.
    let drop = match backend {
        sea_orm::DbBackend::Postgres => "DROP TRIGGER fail_submission ON audit_events",
        _ => "DROP TRIGGER fail_submission",
    };
    db.execute_unprepared(drop).await.unwrap();
    let ok = app.request(Method::POST, &submit).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(
        app.request(Method::POST, &submit)
            .send()
            .await
            .unwrap()
            .status(),
        409
    );
    assert_eq!(worker.deliver_due(Utc::now()).await.unwrap(), 1);
    assert_eq!(
        receiver.next().await.json()["data"]["assessment_id"],
        assessment.as_str()
    );
    assert_eq!(deliveries(&app, &endpoint).await.len(), 1);
}

#[tokio::test]
async fn a_respondents_saves_are_announced_at_most_once_a_minute_with_the_latest_count() {
    let app = local_app().await;
    let worker = app.webhook_worker(LOCAL).await;
    let mut receiver = start(&[]).await;
    let (endpoint, _) = register(&app, &receiver.url, &["respondent.answers_saved"]).await;
    let client = new_client(&app).await;
    let assessment = open_assessment(&app, &client).await;
    let (respondent, token) =
        crate::respondents::new_respondent(&app, &assessment, "Marketing lead").await;
    let questionnaire = app
        .get_json_as(
            &app.tenant.token,
            &format!("/v1/assessments/{assessment}/questionnaire"),
        )
        .await;
    let indicators: Vec<&str> = questionnaire["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["indicator_id"].as_str().unwrap())
        .collect();
    for indicator in &indicators[..3] {
        let saved = app
            .with_token(
                Method::PUT,
                &format!("/v1/assessments/{assessment}/respondents/{respondent}/answers"),
                &token,
            )
            .json(&json!({"answers": [{"indicator_id": indicator, "value": 2}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);
    }
    // The gathered event waits for its window: it cannot be sent ahead by a replay.
    let waiting = deliveries(&app, &endpoint).await[0].clone();
    assert_eq!(waiting["attempts"], 0);
    assert!(at(&waiting["next_attempt_at"]) > Utc::now());
    let replay = format!(
        "/v1/webhook-endpoints/{endpoint}/deliveries/{}/replay",
        waiting["id"].as_str().unwrap()
    );
    assert_eq!(
        app.request(Method::POST, &replay)
            .send()
            .await
            .unwrap()
            .status(),
        409
    );

    let now = Utc::now();
    assert_eq!(worker.deliver_due(now).await.unwrap(), 1);
    assert_eq!(receiver.next().await.json()["data"]["answered"], 1);
    assert_eq!(
        worker
            .deliver_due(now + Duration::seconds(30))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        worker
            .deliver_due(now + Duration::seconds(61))
            .await
            .unwrap(),
        1
    );
    let gathered = receiver.next().await.json();
    assert_eq!(gathered["type"], "respondent.answers_saved");
    assert_eq!(gathered["data"]["answered"], 3, "the latest count");
    assert_eq!(gathered["data"]["respondent_id"], respondent.as_str());
    assert!(receiver.drain().is_empty());
}

#[tokio::test]
async fn internal_addresses_are_refused_at_registration_and_where_the_connection_is_made() {
    // A production deployment: https only, public addresses only.
    let strict = spawn_app_with(&[]).await;
    for url in [
        "http://hooks.example.com/",
        "https://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1/",
        "https://[::1]/",
        "https://10.0.0.1/",
        "https://localhost/",
        "https://user:secret@hooks.example.com/",
    ] {
        let response = strict
            .request(Method::POST, "/v1/webhook-endpoints")
            .json(&json!({"url": url, "event_types": ["client.deleted"]}))
            .send()
            .await
            .unwrap();
        let problem = json_of(response, 422).await;
        assert_eq!(error_fields(&problem), ["url"], "{url}");
    }

    // Registered where the deployment allowed it, then delivered by a worker that does not
    // allow internal addresses: a name that now resolves to loopback (as DNS rebinding would
    // make it) is refused as the connection is made, and no request leaves.
    let app = local_app().await;
    let mut receiver = start(&[]).await;
    let port = receiver.url.rsplit(':').next().unwrap().to_owned();
    let mut endpoints = Vec::new();
    for url in [
        format!("http://localhost:{port}/"),
        format!("http://127.0.0.1:{port}/"),
        format!("http://[::1]:{port}/"),
        "http://10.0.0.1/".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://[::ffff:127.0.0.1]/".to_owned(),
    ] {
        endpoints.push((register(&app, &url, &["client.deleted"]).await.0, url));
    }
    let client = new_client(&app).await;
    app.request(Method::DELETE, &format!("/v1/clients/{client}"))
        .send()
        .await
        .unwrap();
    let worker = app
        .webhook_worker(&[("SMM_WEBHOOK_ALLOW_HTTP", "true")])
        .await;
    assert_eq!(
        worker.deliver_due(Utc::now()).await.unwrap(),
        endpoints.len()
    );
    for (endpoint, url) in &endpoints {
        let delivery = deliveries(&app, endpoint).await[0].clone();
        assert_eq!(delivery["status"], "pending", "{url}");
        let error = delivery["last_error"].as_str().unwrap();
        assert!(error.starts_with("refused: "), "{url}: {error}");
    }
    assert!(receiver.drain().is_empty(), "nothing reached the receiver");
}

#[tokio::test]
async fn endpoints_are_checked_listed_changed_and_deleted_by_tenant_admins() {
    let app = local_app().await;
    let receiver = start(&[]).await;
    let invalid = app
        .request(Method::POST, "/v1/webhook-endpoints")
        .json(&json!({"url": "not a url", "event_types": [], "description": "x".repeat(501)}))
        .send()
        .await
        .unwrap();
    let problem = json_of(invalid, 422).await;
    assert_eq!(
        error_fields(&problem),
        ["url", "event_types", "description"]
    );
    let unknown = app
        .request(Method::POST, "/v1/webhook-endpoints")
        .json(&json!({"url": receiver.url, "event_types": ["assessment.deleted"]}))
        .send()
        .await
        .unwrap();
    assert!(unknown.status().is_client_error());

    let (endpoint, _) = register(&app, &receiver.url, &["client.deleted"]).await;
    let path = format!("/v1/webhook-endpoints/{endpoint}");
    let changed = app
        .request(Method::PATCH, &path)
        .json(&json!({"event_types": ["assessment.created", "assessment.submitted"], "enabled": false}))
        .send()
        .await
        .unwrap();
    let changed = json_of(changed, 200).await;
    assert_eq!(
        changed["event_types"],
        json!(["assessment.created", "assessment.submitted"])
    );
    assert_eq!(changed["enabled"], false);
    assert_eq!(changed["description"], "test receiver");
    assert!(changed.get("secret").is_none());
    let listed = app
        .get_json_as(&app.tenant.token, "/v1/webhook-endpoints")
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    // Webhooks are a tenant admin's: a client without `tenant:admin` is refused.
    let (_, _, reader) = app
        .client_with_scopes(&["assessments:write", "reports:read"])
        .await;
    let refused = app
        .with_token(Method::GET, "/v1/webhook-endpoints", &reader)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    assert_eq!(
        app.request(Method::DELETE, &path)
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(app.get(&path).send().await.unwrap().status(), 404);
    let events = app
        .get_json_as(&app.tenant.token, "/v1/audit-events?limit=200")
        .await;
    let actions = audit_actions(&events);
    for action in [
        "webhook_endpoint.created",
        "webhook_endpoint.updated",
        "webhook_endpoint.deleted",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }

    // At most twenty per tenant.
    for _ in 0..20 {
        register(&app, &receiver.url, &["client.deleted"]).await;
    }
    let one_more = app
        .request(Method::POST, "/v1/webhook-endpoints")
        .json(&json!({"url": receiver.url, "event_types": ["client.deleted"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(one_more.status(), 409);
}

#[tokio::test]
async fn two_workers_never_deliver_the_same_attempt_twice() {
    // Meaningful on PostgreSQL (`FOR UPDATE SKIP LOCKED` between pools); on SQLite the single
    // writer serialises the claims.
    let app = spawn_app_with(&[
        ("SMM_WEBHOOK_ALLOW_HTTP", "true"),
        ("SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true"),
        ("SMM_RATE_LIMIT_BURST", "1000"),
    ])
    .await;
    let mut receiver = start(&[]).await;
    let (endpoint, _) = register(&app, &receiver.url, &["assessment.created"]).await;
    let client = new_client(&app).await;
    const EVENTS: usize = 40;
    for _ in 0..EVENTS {
        open_assessment(&app, &client).await;
    }
    let settings = [
        ("SMM_WEBHOOK_ALLOW_HTTP", "true"),
        ("SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "true"),
        ("SMM_WEBHOOK_CONCURRENCY", "4"),
    ];
    let (one, two) = (
        app.webhook_worker(&settings).await,
        app.webhook_worker(&settings).await,
    );
    let now = Utc::now();
    let drain = |worker: smm::webhooks::Worker| async move {
        let mut claimed = 0;
        loop {
            match worker.deliver_due(now).await.unwrap() {
                0 => return claimed,
                n => claimed += n,
            }
        }
    };
    let (a, b) = tokio::join!(drain(one), drain(two));
    assert_eq!(a + b, EVENTS, "every delivery claimed once ({a} + {b})");
    let mut ids: Vec<String> = receiver
        .drain()
        .into_iter()
        .map(|request| request.header("webhook-id").to_owned())
        .collect();
    assert_eq!(ids.len(), EVENTS, "as many requests as events");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), EVENTS, "each event once");
    let log = json_of(
        app.get(&format!(
            "/v1/webhook-endpoints/{endpoint}/deliveries?limit=200"
        ))
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    for delivery in log["items"].as_array().unwrap() {
        assert_eq!(delivery["status"], "succeeded");
        assert_eq!(delivery["attempts"], 1);
    }
}
