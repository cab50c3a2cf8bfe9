//! Webhook delivery: the worker that every replica runs, the HTTP client it sends with (which
//! refuses internal addresses where the connection is made), the signed payloads, and their
//! metrics. It drives the use cases of [`crate::service::webhook_delivery`], as the API drives
//! the others.

pub mod metrics;
pub mod payload;
pub mod sender;
pub mod worker;

pub use worker::Worker;
