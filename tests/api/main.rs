//! Integration tests: each boots the real service on a random port against its own fresh database
//! and speaks HTTP to it.

mod agency_flow;
mod api_clients;
mod assessments;
mod auth;
mod catalog;
mod cli;
mod errors;
mod helpers;
mod isolation;
mod keys;
mod limits;
mod openapi;
mod operations;
mod respondents;
mod score;
mod tenants;
