//! Boots the real application on a random port against a fresh database per test.
//!
//! SQLite by default (a temporary file); PostgreSQL when `TEST_DATABASE_URL` names a server
//! (e.g. `postgres://postgres@127.0.0.1:5432/test`): each test then creates its own database there
//! and drops it afterwards.

use std::collections::HashMap;
use std::path::PathBuf;

use reqwest::{Client, RequestBuilder, Response};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use smm::settings::Settings;
use smm::startup::Application;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub client: Client,
    _database: TestDatabase,
}

/// A fresh, empty database that is removed when dropped.
pub async fn fresh_database() -> TestDatabase {
    TestDatabase::create().await
}

/// Starts the service; panics (failing the test) when it cannot start.
pub async fn spawn_app() -> TestApp {
    let database = TestDatabase::create().await;
    let settings = Settings::from_vars(HashMap::from([
        ("SMM_LISTEN_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        ("SMM_DATABASE_URL".to_owned(), database.url.clone()),
        ("SMM_DATABASE_MAX_CONNECTIONS".to_owned(), "4".to_owned()),
        ("SMM_WORKERS".to_owned(), "1".to_owned()),
        ("SMM_LOG".to_owned(), "warn".to_owned()),
    ]))
    .expect("test settings are valid");
    let application = Application::build(&settings)
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        client: Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _database: database,
    }
}

impl TestApp {
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(format!("{}{path}", self.address))
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }
}

/// The body as JSON, after checking the status; the message shows the body when it differs.
pub async fn json_of(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let text = response.text().await.expect("a readable body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// Asserts that `response` is a problem document with `status` and `type`, carrying the same
/// request id as its `x-request-id` header; returns the document.
pub async fn problem_of(response: Response, status: u16, problem_type: &str) -> Value {
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    let request_id = header(&response, "x-request-id").to_owned();
    let problem = json_of(response, status).await;
    assert_eq!(problem["type"], problem_type, "{problem}");
    assert_eq!(problem["status"], status, "{problem}");
    assert_eq!(problem["request_id"], request_id.as_str(), "{problem}");
    assert!(
        problem["title"].is_string() && problem["detail"].is_string(),
        "{problem}"
    );
    problem
}

enum Backend {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

pub struct TestDatabase {
    pub url: String,
    backend: Backend,
}

impl TestDatabase {
    async fn create() -> TestDatabase {
        let name = format!("smm_test_{}", Uuid::new_v4().simple());
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|url| !url.is_empty())
        {
            Some(admin_url) => {
                let admin = Database::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is unreachable: {e}"));
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("creating the test database");
                TestDatabase {
                    url: with_database(&admin_url, &name),
                    backend: Backend::Postgres { admin_url, name },
                }
            }
            None => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                TestDatabase {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    backend: Backend::Sqlite(path),
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.backend {
            Backend::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Backend::Postgres { admin_url, name } => {
                let (admin_url, database) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot block on itself.
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    runtime.block_on(async {
                        let admin = Database::connect(&admin_url).await?;
                        admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
                            ))
                            .await
                    })
                })
                .join();
                if !matches!(dropped, Ok(Ok(_))) {
                    eprintln!("could not drop test database {name}: {dropped:?}");
                }
            }
        }
    }
}

/// `postgres://user@host:port/db?opts` with the database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

#[test]
fn database_names_are_replaced_in_postgres_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}
