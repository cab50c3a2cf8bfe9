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
use smm::store::Store;
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub client: Client,
    /// The store of the running app, for setting up data the API cannot create.
    pub store: Store,
    /// A tenant created at start, whose admin token `get` and `request` send.
    pub tenant: TestTenant,
    pub database_url: String,
    _database: TestDatabase,
}

/// A tenant with its first admin client and a token for it.
pub struct TestTenant {
    pub id: Uuid,
    pub client_id: Uuid,
    pub client_secret: String,
    pub token: String,
}

/// A fresh, empty database that is removed when dropped.
pub async fn fresh_database() -> TestDatabase {
    TestDatabase::create().await
}

/// An HTTP client for tests: no redirects followed. The service's webhook client brings rustls
/// without a default crypto provider into the build, so the tests' client needs one installed.
/// The port a `smm serve` started with `SMM_LOG_FORMAT=json` and `SMM_LISTEN_ADDR=…:0` listens
/// on, read from its log; `lines` goes on after the line that named it.
pub fn listening_port(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> u16 {
    let port = lines
        .map_while(Result::ok)
        .find_map(|line| {
            let event: Value = serde_json::from_str(&line).ok()?;
            (event["fields"]["message"] == "smm is listening")
                .then(|| event["fields"]["port"].as_u64())
                .flatten()
        })
        .expect("the service logs the port it listens on");
    u16::try_from(port).unwrap()
}

pub fn test_client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The settings of a test instance on `database_url`, with extra `SMM_*` settings.
pub fn test_settings(database_url: &str, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars = HashMap::from([
        ("SMM_LISTEN_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        ("SMM_DATABASE_URL".to_owned(), database_url.to_owned()),
        ("SMM_DATABASE_MAX_CONNECTIONS".to_owned(), "4".to_owned()),
        ("SMM_WORKERS".to_owned(), "1".to_owned()),
        ("SMM_LOG".to_owned(), "warn".to_owned()),
        // Webhook tests drive delivery rounds themselves (see `TestApp::webhook_worker`), at the
        // times they choose; a test that wants the background worker turns it on.
        ("SMM_WEBHOOK_WORKER".to_owned(), "false".to_owned()),
        // Every test speaks from 127.0.0.1: the per-address limits have their own tests.
        (
            "SMM_ADDRESS_RATE_LIMIT_PER_MINUTE".to_owned(),
            "100000".to_owned(),
        ),
        (
            "SMM_ADDRESS_TOKEN_FAILURES_PER_MINUTE".to_owned(),
            "100000".to_owned(),
        ),
    ]);
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    vars
}

/// Starts the service; panics (failing the test) when it cannot start.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the service with extra `SMM_*` settings.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let database = TestDatabase::create().await;
    let vars = test_settings(&database.url, extra);
    let settings = Settings::from_vars(vars).expect("test settings are valid");
    let application = Application::build(&settings)
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run_until_stopped());
    let store = Store::connect(&database.url, 2)
        .await
        .expect("a store for the test");
    let client = test_client();
    let mut app = TestApp {
        address,
        client,
        store,
        tenant: TestTenant {
            id: Uuid::nil(),
            client_id: Uuid::nil(),
            client_secret: String::new(),
            token: String::new(),
        },
        database_url: database.url.clone(),
        _database: database,
    };
    app.tenant = app.create_tenant("Default agency").await;
    app
}

impl TestApp {
    /// A second instance of the service on the app's database (another replica), with extra
    /// `SMM_*` settings; its address.
    pub async fn spawn_replica(&self, extra: &[(&str, &str)]) -> String {
        let vars = test_settings(&self.database_url, extra);
        let settings = Settings::from_vars(vars).expect("replica settings are valid");
        let replica = Application::build(&settings)
            .await
            .expect("the replica starts");
        let address = format!("http://127.0.0.1:{}", replica.port());
        tokio::spawn(replica.run_until_stopped());
        address
    }

    /// A webhook delivery worker on the app's database, as a replica runs it, with extra
    /// `SMM_*` settings (e.g. its address policy). Tests call its rounds with the clock they
    /// choose.
    pub async fn webhook_worker(&self, extra: &[(&str, &str)]) -> smm::webhooks::Worker {
        let mut vars = HashMap::from([
            ("SMM_DATABASE_URL".to_owned(), self.database_url.clone()),
            ("SMM_WEBHOOK_TIMEOUT_SECS".to_owned(), "1".to_owned()),
        ]);
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let settings = Settings::from_vars(vars).expect("worker settings are valid");
        let store = Store::connect(&self.database_url, 4)
            .await
            .expect("a store for the worker");
        smm::webhooks::Worker::new(store, &settings).expect("a webhook worker")
    }

    /// A request carrying the default tenant admin's token.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(reqwest::Method::GET, path)
    }

    /// A request carrying the default tenant admin's token.
    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.anonymous(method, path).bearer_auth(&self.tenant.token)
    }

    /// A request without credentials.
    pub fn anonymous(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }

    /// A request with the given bearer token.
    pub fn with_token(&self, method: reqwest::Method, path: &str, token: &str) -> RequestBuilder {
        self.anonymous(method, path).bearer_auth(token)
    }

    /// A new tenant, as `smm tenant create` makes it, with a token for its admin client.
    pub async fn create_tenant(&self, name: &str) -> TestTenant {
        let (tenant, admin) = smm::service::tenants::create(&self.store, None, name)
            .await
            .expect("creating a tenant");
        let client_secret = admin.secret.reveal().to_owned();
        let token = self.token(admin.client.id.0, &client_secret, None).await;
        TestTenant {
            id: tenant.id.0,
            client_id: admin.client.id.0,
            client_secret,
            token,
        }
    }

    /// A platform operator's client id, secret and token.
    pub async fn platform_operator(&self) -> (Uuid, String, String) {
        let issued = smm::service::tenants::create_platform_client(&self.store, "ops")
            .await
            .expect("creating a platform client");
        let secret = issued.secret.reveal().to_owned();
        let token = self.token(issued.client.id.0, &secret, None).await;
        (issued.client.id.0, secret, token)
    }

    /// A token for a client, from the token endpoint; panics unless one is issued.
    pub async fn token(&self, client_id: Uuid, secret: &str, scope: Option<&str>) -> String {
        let mut form = vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", client_id.to_string()),
            ("client_secret", secret.to_owned()),
        ];
        if let Some(scope) = scope {
            form.push(("scope", scope.to_owned()));
        }
        let response = self
            .anonymous(reqwest::Method::POST, "/v1/oauth/token")
            .form(&form)
            .send()
            .await
            .unwrap();
        let body = json_of(response, 200).await;
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// The JSON of a successful GET made with `token`.
    pub async fn get_json_as(&self, token: &str, path: &str) -> Value {
        json_of(
            self.with_token(reqwest::Method::GET, path, token)
                .send()
                .await
                .unwrap(),
            200,
        )
        .await
    }

    /// The answer of the token endpoint to a form-encoded client-credentials request.
    pub async fn request_token(&self, client_id: &str, secret: &str) -> Response {
        self.anonymous(reqwest::Method::POST, "/v1/oauth/token")
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
            ])
            .send()
            .await
            .unwrap()
    }

    /// A new client of the default tenant with the given scopes: (id, secret, token).
    pub async fn client_with_scopes(&self, scopes: &[&str]) -> (Uuid, String, String) {
        let response = self
            .request(reqwest::Method::POST, "/v1/api-clients")
            .json(&serde_json::json!({"name": "test client", "scopes": scopes}))
            .send()
            .await
            .unwrap();
        let created = json_of(response, 201).await;
        let id: Uuid = created["client_id"].as_str().unwrap().parse().unwrap();
        let secret = created["client_secret"].as_str().unwrap().to_owned();
        let token = self.token(id, &secret, None).await;
        (id, secret, token)
    }
}

/// The `field` of every error of a validation problem, in order.
pub fn error_fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

/// The `action` of every event in a page of audit events.
pub fn audit_actions(events: &Value) -> Vec<&str> {
    events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
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
