//! The committed `openapi/openapi.json` is what the code generates: an API change shows up as a
//! reviewed diff of that file. Regenerate with `cargo run -- openapi > openapi/openapi.json`
//! (or run this test alone with `UPDATE_OPENAPI=1`).

use std::path::Path;

use serde_json::Value;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let generated = smm::api::openapi_json().unwrap();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(COMMITTED, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(Path::new(COMMITTED)).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date with the code.\n\
         Regenerate it with `cargo run -- openapi > openapi/openapi.json` \
         (or `UPDATE_OPENAPI=1 cargo nextest run the_committed_openapi`) and review the diff."
    );
}

#[test]
fn every_operation_is_documented_with_a_summary_tag_and_described_responses() {
    let document: Value = serde_json::from_str(&smm::api::openapi_json().unwrap()).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(
        !document["info"]["license"]["name"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() >= 7, "only {} paths", paths.len());
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(operation["summary"].is_string(), "{name} has no summary");
            assert!(
                operation["operationId"].is_string(),
                "{name} has no operationId"
            );
            assert!(
                !operation["tags"].as_array().unwrap().is_empty(),
                "{name} has no tag"
            );
            for (status, response) in operation["responses"].as_object().unwrap() {
                let description = response["description"].as_str().unwrap_or_default();
                assert!(
                    !description.is_empty(),
                    "{name} {status} has no description"
                );
            }
        }
    }
}

#[test]
fn every_reference_resolves() {
    let document = smm::api::openapi_json().unwrap();
    let parsed: Value = serde_json::from_str(&document).unwrap();
    let schemas = parsed["components"]["schemas"].as_object().unwrap();
    let prefix = "\"#/components/schemas/";
    let missing: Vec<&str> = document
        .match_indices(prefix)
        .map(|(at, _)| {
            let name = &document[at + prefix.len()..];
            &name[..name.find('"').unwrap()]
        })
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    assert!(missing.is_empty(), "unresolvable references: {missing:?}");
}
