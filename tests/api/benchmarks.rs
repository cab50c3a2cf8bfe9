//! Peer benchmarks across tenants: only sharing tenants' clients count and only sharing tenants
//! read; a reader's own clients never decide what is shown; small groups are suppressed with a
//! broader group offered; differencing and padding attacks find nothing; a client's percentile
//! matches a hand-worked case.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestTenant, json_of, problem_of, spawn_app_with};

const PYRAMID: &str = "social-media-pyramid";

/// k = 5, the least allowed, keeps the set-up small; the rate limit would count the set-up; no
/// cache, so that each read sees the change before it.
async fn app() -> TestApp {
    spawn_app_with(&[
        ("SMM_BENCHMARK_K", "5"),
        ("SMM_RATE_LIMIT_BURST", "100000"),
        ("SMM_BENCHMARK_CACHE_SECS", "0"),
    ])
    .await
}

async fn set_sharing(app: &TestApp, operator: &str, tenant: &TestTenant, sharing: bool) {
    let response = app
        .with_token(
            Method::PATCH,
            &format!("/v1/tenants/{}", tenant.id),
            operator,
        )
        .json(&json!({"benchmark_sharing": sharing}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(response, 200).await["benchmark_sharing"], sharing);
}

/// A client of `tenant` with these attributes whose Pyramid assessment answers the Monitor
/// layer's three questions with `value`: its Monitor score is value / 4.
async fn assessed_client(app: &TestApp, token: &str, attributes: Value, value: u8) -> String {
    let call = |method: Method, path: String, body: Value| {
        app.with_token(method, &path, token).json(&body).send()
    };
    let mut body = json!({"name": "Peer"});
    body.as_object_mut()
        .unwrap()
        .extend(attributes.as_object().unwrap().clone());
    let client = json_of(
        call(Method::POST, "/v1/clients".into(), body)
            .await
            .unwrap(),
        201,
    )
    .await;
    let client = client["id"].as_str().unwrap().to_owned();
    let assessment = json_of(
        call(
            Method::POST,
            "/v1/assessments".into(),
            json!({"client_id": client, "title": "Baseline", "model_ids": [PYRAMID]}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    let id = assessment["id"].as_str().unwrap();
    let respondent = json_of(
        call(
            Method::POST,
            format!("/v1/assessments/{id}/respondents"),
            json!({"label": "x"}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    let respondent = respondent["respondent"]["id"].as_str().unwrap();
    let answers = [
        "alerts-configured",
        "own-accounts-monitored",
        "name-searches",
    ]
    .map(|i| json!({"indicator_id": i, "value": value}));
    let saved = call(
        Method::PUT,
        format!("/v1/assessments/{id}/respondents/{respondent}/answers"),
        json!({"answers": answers}),
    )
    .await
    .unwrap();
    assert_eq!(saved.status(), 200);
    let submitted = call(
        Method::POST,
        format!("/v1/assessments/{id}/submit"),
        Value::Null,
    );
    assert_eq!(submitted.await.unwrap().status(), 200);
    client
}

async fn benchmark(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app
        .with_token(
            Method::GET,
            &format!("/v1/benchmarks?model_id={PYRAMID}&{query}"),
            token,
        )
        .send()
        .await
        .unwrap();
    json_of(response, 200).await["models"][0].clone()
}

fn small_nl() -> Value {
    json!({"nace_section": "G", "size_band": "small", "country": "NL"})
}

#[tokio::test]
async fn only_sharing_tenants_count_and_only_sharing_tenants_read() {
    let app = app().await;
    let (_, _, operator) = app.platform_operator().await;
    let sharing = app.create_tenant("Sharing agency").await;
    let private = app.create_tenant("Private agency").await;
    for value in 0..5 {
        assessed_client(&app, &sharing.token, small_nl(), value).await;
        assessed_client(&app, &private.token, small_nl(), value).await;
    }
    // Nobody shares yet: nobody may read.
    let refused = app
        .with_token(Method::GET, "/v1/benchmarks", &app.tenant.token)
        .send()
        .await
        .unwrap();
    problem_of(refused, 403, "/problems/forbidden").await;

    set_sharing(&app, &operator, &app.tenant, true).await;
    assert_eq!(
        benchmark(&app, &app.tenant.token, "industry=G").await["shown"],
        false,
        "nobody else shares"
    );
    // Opting in contributes every client's latest result at once; opting out withdraws them.
    set_sharing(&app, &operator, &sharing, true).await;
    let shown = benchmark(&app, &app.tenant.token, "industry=G").await;
    assert_eq!(
        shown["organisations"], 5,
        "the private agency's clients do not count"
    );
    // The private agency has not opted in: it may not read, not even the group it is part of.
    let refused = app
        .with_token(Method::GET, "/v1/benchmarks", &private.token)
        .send()
        .await
        .unwrap();
    problem_of(refused, 403, "/problems/forbidden").await;
    // A reader's own clients never make a group: the sharing agency sees nobody else.
    assert_eq!(
        benchmark(&app, &sharing.token, "industry=G").await["shown"],
        false
    );
    set_sharing(&app, &operator, &sharing, false).await;
    assert_eq!(
        benchmark(&app, &app.tenant.token, "industry=G").await["shown"],
        false
    );

    let tenant = app
        .get_json_as(&operator, &format!("/v1/tenants/{}", sharing.id))
        .await;
    assert_eq!(tenant["benchmark_sharing"], false);
    let events = app.get_json_as(&sharing.token, "/v1/audit-events").await;
    let changes = crate::helpers::audit_actions(&events)
        .into_iter()
        .filter(|a| *a == "tenant.benchmark_sharing_changed")
        .count();
    assert_eq!(changes, 2, "opting in and out are audited");
}

/// A reader and a sharing tenant whose clients make the peer group.
async fn reader_and_peers(app: &TestApp) -> (String, TestTenant) {
    let (_, _, operator) = app.platform_operator().await;
    let peers = app.create_tenant("Peers' agency").await;
    set_sharing(app, &operator, &app.tenant, true).await;
    set_sharing(app, &operator, &peers, true).await;
    (operator, peers)
}

#[tokio::test]
async fn the_figures_of_a_shown_group_match_its_members() {
    let app = app().await;
    let (_, peers) = reader_and_peers(&app).await;
    for value in 0..5 {
        assessed_client(&app, &peers.token, small_nl(), value).await;
    }
    let shown = benchmark(
        &app,
        &app.tenant.token,
        "industry=G&size_band=small&country=NL",
    )
    .await;
    assert_eq!(shown["shown"], true);
    assert_eq!(shown["organisations"], 5);
    let element = |id: &str| {
        shown["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["element_id"] == id)
            .unwrap()
            .clone()
    };
    // Monitor scores 0, .25, .5, .75, 1: nearest-rank quartiles at ranks 2, 3, 4.
    let monitor = element("monitor");
    assert_eq!(
        monitor["quartiles"],
        json!({"q1": 0.25, "median": 0.5, "q3": 0.75})
    );
    // In place from 0.625: values 3 and 4, two organisations, published as 0 (nearest five).
    assert_eq!(monitor["in_place"], 0);
    // Nobody answered for Listen: nothing to show.
    assert_eq!(
        (
            element("listen")["quartiles"].clone(),
            element("listen")["in_place"].clone()
        ),
        (Value::Null, Value::Null)
    );
    let stages: Vec<(u64, u64)> = shown["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["order"].as_u64().unwrap(),
                s["organisations"].as_u64().unwrap(),
            )
        })
        .collect();
    // Three below the first layer, two on Monitor: published as 5 and 0.
    assert_eq!(stages, [(0, 5), (1, 0)]);
}

#[tokio::test]
async fn a_small_group_is_not_shown_and_a_broader_one_is_offered() {
    let app = app().await;
    let (_, peers) = reader_and_peers(&app).await;
    for value in 0..3 {
        assessed_client(&app, &peers.token, small_nl(), value).await;
        assessed_client(
            &app,
            &peers.token,
            json!({"nace_section": "G", "size_band": "small", "country": "BE"}),
            value,
        )
        .await;
    }
    let small = benchmark(
        &app,
        &app.tenant.token,
        "industry=G&size_band=small&country=NL",
    )
    .await;
    assert_eq!(small["shown"], false);
    assert_eq!(small["organisations"], Value::Null);
    assert_eq!(small["stages"], json!([]));
    assert_eq!(
        small["broader"],
        json!({"industry": "G", "size_band": "small", "country": null})
    );
    let broader = benchmark(&app, &app.tenant.token, "industry=G&size_band=small").await;
    assert_eq!(
        (broader["shown"].clone(), broader["organisations"].clone()),
        (json!(true), json!(5))
    );
    // Nothing at all in another industry: not shown, and everyone is the broader group.
    let elsewhere = benchmark(&app, &app.tenant.token, "industry=C").await;
    assert_eq!(elsewhere["shown"], false);
    assert_eq!(
        elsewhere["broader"],
        json!({"industry": null, "size_band": null, "country": null})
    );
}

/// Every group an attacker can ask for over these attributes, and the ones it is shown.
async fn shown_groups(app: &TestApp, token: &str) -> Vec<(String, Value)> {
    let mut shown = Vec::new();
    for industry in ["", "industry=G"] {
        for size in ["", "size_band=small", "size_band=medium"] {
            for country in ["", "country=NL", "country=BE"] {
                let query = [industry, size, country]
                    .iter()
                    .filter(|p| !p.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("&");
                let answer = benchmark(app, token, &query).await;
                if answer["shown"] == true {
                    shown.push((query, answer));
                }
            }
        }
    }
    shown
}

/// Figures without the group they are for: what an attacker could subtract.
fn figures(answer: &Value) -> Value {
    let mut figures = answer.clone();
    figures["group"] = Value::Null;
    figures
}

/// The attacker (a sharing tenant) wants the one Belgian organisation's results: it asks for the
/// whole group and for the Dutch part, and for every other pair, to subtract one from the other.
#[tokio::test]
async fn a_differencing_attack_finds_nothing_to_subtract() {
    let app = app().await;
    let (operator, peers) = reader_and_peers(&app).await;
    let victim_tenant = app.create_tenant("Victim's agency").await;
    set_sharing(&app, &operator, &victim_tenant, true).await;
    for value in [0, 1, 2, 3, 4] {
        assessed_client(&app, &peers.token, small_nl(), value).await;
    }
    // Two attributes away from the others, so that only a group two attributes wider holds both.
    let victim = json!({"nace_section": "G", "size_band": "medium", "country": "BE"});
    assessed_client(&app, &victim_tenant.token, victim, 4).await;

    let released = shown_groups(&app, &app.tenant.token).await;
    // Only groups holding all six are shown: the Dutch five and the Belgian one never are, so
    // no two shown groups differ, and there is nothing to subtract.
    assert!(!released.is_empty());
    for (query, answer) in &released {
        assert!(
            !query.contains("country") && !query.contains("size_band"),
            "{query} was shown"
        );
        assert_eq!(
            figures(answer),
            figures(&released[0].1),
            "{query} differs from {}",
            released[0].0
        );
    }
    // And the shown count (six, published as five) does not even say that the victim is there.
    assert_eq!(released[0].1["organisations"], 5);
}

/// The attacker registers clients of its own around one organisation of another tenant, so that
/// the group reaches k and its figures are mostly the attacker's own, known, values.
#[tokio::test]
async fn padding_a_group_with_ones_own_clients_reveals_nothing() {
    let app = app().await;
    let (operator, _) = reader_and_peers(&app).await;
    let victim_tenant = app.create_tenant("Victim's agency").await;
    set_sharing(&app, &operator, &victim_tenant, true).await;
    let belgian = json!({"nace_section": "G", "size_band": "small", "country": "BE"});
    assessed_client(&app, &victim_tenant.token, belgian.clone(), 3).await;
    for _ in 0..4 {
        assessed_client(&app, &app.tenant.token, belgian.clone(), 0).await;
    }
    // Five in the group, but only one that is not the attacker's: nothing is shown.
    assert!(shown_groups(&app, &app.tenant.token).await.is_empty());
}

#[tokio::test]
async fn a_clients_percentile_matches_the_hand_worked_case() {
    let app = app().await;
    let (_, peers) = reader_and_peers(&app).await;
    for value in 0..5 {
        assessed_client(&app, &peers.token, small_nl(), value).await;
    }
    let client = assessed_client(&app, &app.tenant.token, small_nl(), 3).await;
    let position = app
        .get_json_as(
            &app.tenant.token,
            &format!("/v1/clients/{client}/benchmark"),
        )
        .await;
    let pyramid = &position["models"][0];
    assert_eq!(pyramid["model_id"], PYRAMID);
    assert_eq!(
        pyramid["peer_group"],
        json!({"industry": "G", "size_band": "small", "country": "NL"})
    );
    // Six with the client, published as five.
    assert_eq!(pyramid["organisations"], 5);
    let element = |id: &str| {
        pyramid["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["element_id"] == id)
            .unwrap()["percentile"]
            .clone()
    };
    // Monitor 0.75 among 0, .25, .5, .75, .75, 1: three lower, two level (itself included):
    // (3 + 2 · ½) / 6 = 66.7% → 65.
    assert_eq!(element("monitor"), 65);
    // On Monitor with two others, three below it: (3 + 3 · ½) / 6 = 75%.
    assert_eq!(pyramid["stage_percentile"], 75);
    // Unanswered layers have no score, so no percentile.
    assert_eq!(element("listen"), Value::Null);

    // A client whose section changes moves to its new group, which is too small to compare with.
    let moved = app
        .request(Method::PATCH, &format!("/v1/clients/{client}"))
        .json(&json!({"nace_section": "C"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let position = app
        .get_json_as(
            &app.tenant.token,
            &format!("/v1/clients/{client}/benchmark"),
        )
        .await;
    assert_eq!(position["group"]["industry"], "C");
    assert_eq!(
        position["models"][0]["peer_group"],
        json!({"industry": null, "size_band": null, "country": null})
    );

    // A deleted client stops counting: five others before, four (too few to show) after.
    assert_eq!(
        benchmark(&app, &app.tenant.token, "").await["organisations"],
        5
    );
    let clients = app.get_json_as(&peers.token, "/v1/clients").await;
    let first = clients["items"][0]["id"].as_str().unwrap();
    let deleted = app
        .with_token(
            Method::DELETE,
            &format!("/v1/clients/{first}"),
            &peers.token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(benchmark(&app, &app.tenant.token, "").await["shown"], false);
}

#[tokio::test]
async fn benchmark_parameters_are_validated() {
    let app = app().await;
    let (_, _, operator) = app.platform_operator().await;
    set_sharing(&app, &operator, &app.tenant, true).await;
    for query in [
        "industry=V",
        "country=Netherlands",
        "model_id=unknown",
        "size_band=huge",
    ] {
        let response = app
            .get(&format!("/v1/benchmarks?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{query}");
    }
    let unknown = app.get("/v1/benchmarks?colour=red").send().await.unwrap();
    assert_eq!(unknown.status(), 400);
    let sections = app
        .get_json_as(&app.tenant.token, "/v1/nace-sections")
        .await;
    assert_eq!(sections["items"].as_array().unwrap().len(), 21);
}

/// Each replica reuses the counts it read for a while (`SMM_BENCHMARK_CACHE_SECS`).
#[tokio::test]
async fn a_replica_reuses_the_counts_it_read() {
    let app = spawn_app_with(&[
        ("SMM_BENCHMARK_K", "5"),
        ("SMM_RATE_LIMIT_BURST", "100000"),
        ("SMM_BENCHMARK_CACHE_SECS", "3600"),
    ])
    .await;
    let (_, peers) = reader_and_peers(&app).await;
    for value in 0..5 {
        assessed_client(&app, &peers.token, small_nl(), value).await;
    }
    assert_eq!(
        benchmark(&app, &app.tenant.token, "industry=G").await["organisations"],
        5
    );
    for value in 0..5 {
        assessed_client(&app, &peers.token, small_nl(), value).await;
    }
    let cached = benchmark(&app, &app.tenant.token, "industry=G").await;
    assert_eq!(cached["organisations"], 5, "still the counts read before");
    // A group not read before is read now, its figures together.
    let other = benchmark(&app, &app.tenant.token, "industry=G&country=NL").await;
    assert_eq!(other["organisations"], 10);
    let staged: u64 = other["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["organisations"].as_u64().unwrap())
        .sum();
    assert_eq!(staged, 10);
}

/// What is read across tenants carries no tenant or client: only the contributions, which stay
/// with their tenant (under row-level security on PostgreSQL), do.
#[tokio::test]
async fn the_shared_cells_carry_no_tenant_or_client_id() {
    use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

    let app = app().await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let backend = db.get_database_backend();
    for table in [
        "benchmark_groups",
        "benchmark_stage_cells",
        "benchmark_element_cells",
        "benchmark_contributions",
    ] {
        let sql = match backend {
            DbBackend::Postgres => format!(
                "SELECT column_name::text AS name FROM information_schema.columns WHERE table_name = '{table}'"
            ),
            _ => format!("SELECT name FROM pragma_table_info('{table}')"),
        };
        let rows = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap();
        let columns: Vec<String> = rows
            .iter()
            .map(|r| r.try_get("", "name").unwrap())
            .collect();
        assert!(columns.len() > 5, "{table}: {columns:?}");
        let identifying = columns.iter().any(|c| c == "tenant_id" || c == "client_id");
        assert_eq!(
            identifying,
            table == "benchmark_contributions",
            "{table}: {columns:?}"
        );
    }
}
