use std::process::Command;

use crate::helpers::fresh_database;

fn smm() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_smm"));
    command
        .env_remove("SMM_DATABASE_URL")
        .env("SMM_LOG", "warn");
    command
}

#[tokio::test]
async fn migrate_applies_the_migrations_to_a_fresh_database_and_can_run_again() {
    let database = fresh_database().await;
    for run in 1..=2 {
        let output = smm()
            .arg("migrate")
            .env("SMM_DATABASE_URL", &database.url)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "run {run} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn openapi_prints_the_committed_document() {
    let output = smm().arg("openapi").output().unwrap();
    assert!(output.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap();
    assert!(
        String::from_utf8(output.stdout).unwrap() == committed,
        "`smm openapi` differs from openapi/openapi.json"
    );
}

#[test]
fn an_invalid_setting_stops_the_service_naming_the_variable() {
    let output = smm().env("SMM_LISTEN_ADDR", "nowhere").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SMM_LISTEN_ADDR"), "{stderr}");
}

/// The real binary serving on port 0 with JSON logs at info level, and the log it writes.
struct Served {
    child: std::process::Child,
    port: u16,
    /// Every log line after the one that names the port, once the process has ended.
    log: std::thread::JoinHandle<Vec<String>>,
    _database: crate::helpers::TestDatabase,
}

async fn serve_with_json_log() -> Served {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let database = fresh_database().await;
    let mut child = smm()
        .arg("serve")
        .env("SMM_LISTEN_ADDR", "127.0.0.1:0")
        .env("SMM_DATABASE_URL", &database.url)
        .env("SMM_LOG_FORMAT", "json")
        .env("SMM_LOG", "info")
        .env("SMM_WORKERS", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = crate::helpers::listening_port(&mut lines);
    // Keep draining the log so the child never blocks on a full pipe.
    let log = std::thread::spawn(move || lines.map_while(Result::ok).collect());
    Served {
        child,
        port,
        log,
        _database: database,
    }
}

impl Served {
    /// Sends SIGTERM; expects a clean exit; returns the log.
    fn stop(mut self) -> Vec<String> {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "exit after SIGTERM: {status}");
        self.log.join().unwrap()
    }
}

/// Runs `smm serve` on port 0, reads the bound port from its JSON log, checks it answers, then
/// sends SIGTERM and expects a clean exit.
#[tokio::test]
async fn sigterm_stops_the_service_gracefully() {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    let served = serve_with_json_log().await;
    let port = served.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port as u16)).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    served.stop();
}

/// A share link's token opens a report; it is kept only as a hash, so the access log must not
/// hold it either. Runs the real binary with JSON logs and reads them.
#[tokio::test]
async fn share_link_tokens_never_reach_the_log() {
    let served = serve_with_json_log().await;
    let port = served.port;

    // A well-formed token that opens nothing is logged exactly as a working one would be.
    let token = "Zm9yZ2VkLXRva2VuLXRoYXQtb3BlbnMtbm90aGluZy0";
    assert_eq!(token.len(), 43);
    let response = crate::helpers::test_client()
        .get(format!("http://127.0.0.1:{port}/shared/{token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    let log = served.stop();
    assert!(log.iter().all(|line| !line.contains(token)), "{log:#?}");
    assert!(
        log.iter()
            .any(|line| line.contains("\"http.target\":\"/shared/{token}\"")),
        "the request is logged by its route: {log:#?}"
    );
}
