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
    assert_eq!(String::from_utf8(output.stdout).unwrap(), committed);
}

#[test]
fn an_invalid_setting_stops_the_service_naming_the_variable() {
    let output = smm().env("SMM_LISTEN_ADDR", "nowhere").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SMM_LISTEN_ADDR"), "{stderr}");
}
