//! kill -9 of the real binary under write load, twenty times, on the test's backend: every
//! acknowledged write is there afterwards, none is there twice, and no idempotency key is left
//! locked beyond its lease.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::helpers::{fresh_database, listening_port, test_client};

const ROUNDS: usize = 20;
const WRITERS: usize = 4;
/// Acknowledged writes a round waits for before it kills the service.
const WRITES_BEFORE_KILL: usize = 12;

/// The real binary serving on port 0; its port, read from its JSON log. Killed when dropped, so
/// a failing test leaves no process behind.
struct Running {
    child: Child,
    port: u16,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(database_url: &str) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smm"))
        .arg("serve")
        .env("SMM_LISTEN_ADDR", "127.0.0.1:0")
        .env("SMM_DATABASE_URL", database_url)
        .env("SMM_LOG_FORMAT", "json")
        .env("SMM_LOG", "info")
        .env("SMM_WEBHOOK_WORKER", "false")
        .env("SMM_RATE_LIMIT_BURST", "100000")
        .env("SMM_RATE_LIMIT_PER_SECOND", "100000")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = listening_port(&mut lines);
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Running { child, port }
}

/// What the writers learnt: per key, the id of an acknowledged creation, or `None` when the
/// answer never came (the request was in flight at the kill).
type Outcomes = Arc<Mutex<HashMap<String, Option<String>>>>;

#[tokio::test]
async fn twenty_kills_under_write_load_lose_no_acknowledged_write() {
    let database = fresh_database().await;
    let created = Command::new(env!("CARGO_BIN_EXE_smm"))
        .args(["tenant", "create", "--name", "Crash test"])
        .env("SMM_DATABASE_URL", &database.url)
        .env("SMM_LOG", "warn")
        .output()
        .unwrap();
    assert!(created.status.success());
    let credentials: Value = serde_json::from_slice(&created.stdout).unwrap();
    let client = test_client();
    let outcomes: Outcomes = Arc::default();
    let mut token = String::new();

    for round in 0..ROUNDS {
        let mut running = start(&database.url);
        let base = format!("http://127.0.0.1:{}", running.port);
        if token.is_empty() {
            let issued = client
                .post(format!("{base}/v1/oauth/token"))
                .basic_auth(
                    credentials["client_id"].as_str().unwrap(),
                    credentials["client_secret"].as_str(),
                )
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .unwrap();
            let issued: Value = issued.json().await.unwrap();
            token = issued["access_token"].as_str().unwrap().to_owned();
        }
        let acknowledged = Arc::new(AtomicUsize::new(0));
        let enough = Arc::new(tokio::sync::Notify::new());
        let mut writers = Vec::new();
        for writer in 0..WRITERS {
            let (client, base, token) = (client.clone(), base.clone(), token.clone());
            let (outcomes, acknowledged, enough) =
                (outcomes.clone(), acknowledged.clone(), enough.clone());
            writers.push(tokio::spawn(async move {
                for n in 0.. {
                    let key = format!("r{round}-w{writer}-n{n}");
                    outcomes.lock().unwrap().insert(key.clone(), None);
                    let answer = client
                        .post(format!("{base}/v1/clients"))
                        .bearer_auth(&token)
                        .header("idempotency-key", &key)
                        .json(&json!({"name": key}))
                        .timeout(Duration::from_secs(5))
                        .send()
                        .await;
                    let Ok(answer) = answer else { return };
                    assert_eq!(answer.status(), 201, "{key}");
                    let Ok(body) = answer.json::<Value>().await else {
                        return;
                    };
                    let id = body["id"].as_str().unwrap().to_owned();
                    outcomes.lock().unwrap().insert(key, Some(id));
                    if acknowledged.fetch_add(1, Ordering::SeqCst) + 1 == WRITES_BEFORE_KILL {
                        enough.notify_one();
                    }
                }
            }));
        }
        tokio::time::timeout(Duration::from_secs(60), enough.notified())
            .await
            .expect("enough writes are acknowledged before the kill");
        running.child.kill().unwrap(); // SIGKILL
        running.child.wait().unwrap();
        for writer in writers {
            writer.await.unwrap();
        }
    }

    // After the last kill: every acknowledged client is there, no name twice, and each request
    // that died in flight either happened (its key replays it) or left nothing behind.
    let running = start(&database.url);
    let base = format!("http://127.0.0.1:{}", running.port);
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/v1/clients?limit=200");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for item in page["items"].as_array().unwrap() {
            names.push((
                item["name"].as_str().unwrap().to_owned(),
                item["id"].as_str().unwrap().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let stored: HashMap<String, String> = names.iter().cloned().collect();
    assert_eq!(stored.len(), names.len(), "no client was created twice");
    let outcomes = outcomes.lock().unwrap().clone();
    let acknowledged: Vec<_> = outcomes
        .iter()
        .filter_map(|(k, id)| Some((k, id.as_ref()?)))
        .collect();
    assert!(acknowledged.len() >= ROUNDS * WRITES_BEFORE_KILL);
    for (key, id) in &acknowledged {
        assert_eq!(stored.get(*key), Some(*id), "acknowledged {key} survived");
    }
    let in_flight: HashSet<&String> = outcomes
        .iter()
        .filter(|(_, id)| id.is_none())
        .map(|(k, _)| k)
        .collect();
    for name in stored.keys() {
        assert!(outcomes.contains_key(name), "{name} was never sent");
    }

    // No key is locked beyond its 60-second lease; a retry of each either replays what happened
    // or (within the lease) says the first request is still running.
    let db = Database::connect(&database.url).await.unwrap();
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT key, locked_until FROM idempotency_keys WHERE outcome IS NULL",
        ))
        .await
        .unwrap();
    let now = Utc::now();
    for row in rows {
        let key: String = row.try_get("", "key").unwrap();
        let locked_until: Option<DateTime<Utc>> = row.try_get("", "locked_until").unwrap();
        assert!(
            in_flight.contains(&key),
            "{key} is unfinished but was acknowledged"
        );
        if let Some(until) = locked_until {
            assert!(
                until <= now + chrono::Duration::seconds(60),
                "{key} locked until {until}"
            );
        }
    }
    for key in in_flight {
        let retried = client
            .post(format!("{base}/v1/clients"))
            .bearer_auth(&token)
            .header("idempotency-key", key.as_str())
            .json(&json!({"name": key}))
            .send()
            .await
            .unwrap();
        let status = retried.status().as_u16();
        assert!(status == 201 || status == 409, "{key}: {status}");
        if status == 201
            && let Some(id) = stored.get(key)
        {
            let body: Value = retried.json().await.unwrap();
            assert_eq!(
                body["id"].as_str(),
                Some(id.as_str()),
                "{key} replays the client it made"
            );
        }
    }
    let mut running = running;
    running.child.kill().unwrap();
    running.child.wait().unwrap();
}
