//! The database becomes unreachable mid-load and comes back, through a TCP proxy the test
//! controls (no cluster is stopped): readiness turns 503 within two seconds, requests get 503
//! problems (never a hang, never a 500 with a driver message), the service recovers without a
//! restart, and no acknowledged write is lost. PostgreSQL only: SQLite has no connection to cut.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use smm::settings::Settings;
use smm::startup::Application;
use smm::store::Store;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::helpers::{fresh_database, test_client, test_settings};

/// Forwards connections to PostgreSQL while up; when cut, drops every open connection and
/// closes new ones at once.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (accepting, open) = (up.clone(), connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                if !accepting.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let target = target.clone();
                open.lock().unwrap().push(tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                }));
            }
        });
        Proxy {
            port,
            up,
            connections,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn the_service_survives_losing_its_database_and_recovers_on_its_own() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("PostgreSQL only (TEST_DATABASE_URL unset): SQLite has no connection to cut");
        return;
    }
    let database = fresh_database().await;
    let direct = Store::connect(&database.url, 2).await.unwrap();
    let (host_port, rest) = database
        .url
        .trim_start_matches("postgres://")
        .split_once('@')
        .map(|(_, rest)| rest.split_once('/').unwrap())
        .unwrap();
    let proxy = Proxy::start(host_port.to_owned()).await;
    let proxied = database.url.replace(
        &format!("{host_port}/{rest}"),
        &format!("127.0.0.1:{}/{rest}", proxy.port),
    );
    let settings = Settings::from_vars(test_settings(
        &proxied,
        &[
            ("SMM_RATE_LIMIT_BURST", "100000"),
            ("SMM_DATABASE_MAX_CONNECTIONS", "4"),
        ],
    ))
    .unwrap();
    let application = Application::build(&settings).await.unwrap();
    let base = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    let (_, admin) = smm::service::tenants::create(&direct, None, "Outage test")
        .await
        .unwrap();
    let client = test_client();
    let issued: Value = client
        .post(format!("{base}/v1/oauth/token"))
        .basic_auth(admin.client.id.0.to_string(), Some(admin.secret.reveal()))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = issued["access_token"].as_str().unwrap().to_owned();

    // A writer creating clients throughout, keeping what was acknowledged.
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let statuses: Arc<Mutex<Vec<u16>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        let (acknowledged, statuses, stop) = (acknowledged.clone(), statuses.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let started = Instant::now();
                let response = client
                    .request(Method::POST, format!("{base}/v1/clients"))
                    .bearer_auth(&token)
                    .json(&json!({"name": format!("client {n}")}))
                    .timeout(Duration::from_secs(15))
                    .send()
                    .await
                    .expect("an answer, never a hang");
                assert!(
                    started.elapsed() < Duration::from_secs(10),
                    "answered in time"
                );
                let status = response.status().as_u16();
                statuses.lock().unwrap().push(status);
                if status == 201 {
                    let body: Value = response.json().await.unwrap();
                    acknowledged
                        .lock()
                        .unwrap()
                        .push(body["id"].as_str().unwrap().to_owned());
                } else {
                    assert_eq!(status, 503, "only 201 or 503");
                    assert!(response.headers().contains_key("retry-after"));
                    let problem: Value = response.json().await.unwrap();
                    assert_eq!(problem["type"], "/problems/unavailable");
                }
                tokio::task::yield_now().await;
            }
        })
    };
    let ready = |client: reqwest::Client, base: String| async move {
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    // Load runs until some writes are acknowledged.
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 20 {
        assert!(!writer.is_finished(), "the writer stopped early");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "writes are acknowledged"
        );
        tokio::task::yield_now().await;
    }

    proxy.cut();
    let cut_at = Instant::now();
    while ready(client.clone(), base.clone()).await != 503 {
        assert!(
            cut_at.elapsed() < Duration::from_secs(2),
            "readiness noticed within 2 s"
        );
    }
    // Requests meanwhile are refused as unavailable, not failed.
    while statuses
        .lock()
        .unwrap()
        .iter()
        .filter(|s| **s == 503)
        .count()
        < 3
    {
        assert!(
            cut_at.elapsed() < Duration::from_secs(30),
            "writes are refused with 503"
        );
        tokio::task::yield_now().await;
    }
    let refused = client
        .get(format!("{base}/v1/clients"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    let problem: Value = refused.json().await.unwrap();
    assert!(
        !problem.to_string().to_lowercase().contains("sqlx"),
        "{problem}"
    );

    proxy.restore();
    let restored_at = Instant::now();
    while ready(client.clone(), base.clone()).await != 200 {
        assert!(
            restored_at.elapsed() < Duration::from_secs(30),
            "ready again without a restart"
        );
        tokio::task::yield_now().await;
    }
    let before = acknowledged.lock().unwrap().len();
    while acknowledged.lock().unwrap().len() < before + 20 {
        assert!(
            restored_at.elapsed() < Duration::from_secs(30),
            "writes succeed again"
        );
        tokio::task::yield_now().await;
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();

    // Every acknowledged client is in the database.
    let acknowledged = acknowledged.lock().unwrap().clone();
    for id in &acknowledged {
        let found = client
            .get(format!("{base}/v1/clients/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(found.status(), 200, "acknowledged {id}");
    }
    let statuses = statuses.lock().unwrap().clone();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 503));
}
