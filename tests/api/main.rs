//! Integration tests: each boots the real service on a random port against its own fresh database
//! and speaks HTTP to it.

// Tests panic on purpose when an expectation fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod agency_flow;
mod api_clients;
mod assessments;
mod auth;
mod benchmarks;
mod browser;
mod catalog;
mod cli;
mod crash;
mod documented_patterns;
mod errors;
mod helpers;
mod idempotency;
mod isolation;
mod keys;
mod limits;
mod openapi;
mod operations;
mod outage;
mod replicas;
mod reports;
mod respondents;
mod response_schemas;
mod score;
mod sector;
mod share_links;
mod stored_results;
mod tenants;
mod webhook_receiver;
mod webhooks;
