//! Content negotiation by `Accept-Language`: the caller's most preferred language that the
//! catalogue is written in, English when none is.

use std::future::{Ready, ready};

use actix_web::http::header::{AcceptLanguage, Header, Preference};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use utoipa::IntoParams;

use crate::domain::Lang;

/// The language to answer in, negotiated from `Accept-Language`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Negotiated(pub Lang);

impl FromRequest for Negotiated {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Negotiated(negotiate(request))))
    }
}

/// An unparseable header or one naming only unsupported languages falls back to the default:
/// a readable answer serves the caller better than a 406.
fn negotiate(request: &HttpRequest) -> Lang {
    let Ok(accepted) = AcceptLanguage::parse(request) else {
        return Lang::default();
    };
    accepted
        .ranked()
        .into_iter()
        .find_map(|preference| match preference {
            Preference::Any => Some(Lang::default()),
            Preference::Specific(tag) => Lang::from_tag(tag.primary_language()),
        })
        .unwrap_or_default()
}

/// Documents the `Accept-Language` request header on localised operations.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct LanguageHeader {
    /// Preferred languages (`nl`, `en`); English when none is supported. The answer's
    /// `Content-Language` says which was used.
    #[param(rename = "Accept-Language", example = "nl, en;q=0.5")]
    accept_language: Option<String>,
}
