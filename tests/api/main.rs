//! Integration tests: each boots the real service on a random port against its own fresh database
//! and speaks HTTP to it.

mod catalog;
mod cli;
mod errors;
mod helpers;
mod openapi;
mod operations;
