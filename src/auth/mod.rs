//! Authentication and authorisation: client secrets, signing keys and the JWKS, access tokens,
//! and the [`Caller`] extractor that every protected handler takes.

pub mod caller;
pub mod keys;
pub mod secret;
pub mod share_token;
pub mod standing_listener;
pub mod tokens;
pub mod verified_cache;
pub mod webhook_signature;

pub use caller::{Authenticator, Caller};
