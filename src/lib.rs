//! smm places client organisations on seven social media strategy and maturity models and
//! recommends what to do next.
//!
//! Layers, with dependencies pointing inwards (`api → domain ← store`):
//! - [`domain`]: pure model definitions and their validation (and, later, scoring); no I/O.
//! - [`catalog`]: the built-in models as embedded data files, turned into domain values.
//! - [`api`]: thin HTTP handlers and their documents; the OpenAPI description is generated from them.
//! - [`store`]: the database; the only module that speaks sea-orm.
//! - [`startup`], [`settings`], [`telemetry`], [`error`]: wiring, configuration, logs and errors.

pub mod api;
pub mod auth;
pub mod catalog;
pub mod domain;
pub mod error;
pub mod rate_limit;
pub mod service;
pub mod settings;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod webhooks;
