//! Serialised JSON with a strong `ETag`, answered with conditional-request support. Catalogue
//! documents are rendered once at start-up, so a read costs a header comparison and a
//! reference-counted copy of bytes.

use actix_web::http::header::{
    self, CacheControl, CacheDirective, ETag, EntityTag, Header, IfNoneMatch,
};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

use crate::domain::Lang;
use crate::error::ApiError;

/// A rendered JSON document and its entity tag.
#[derive(Clone, Debug)]
pub struct Representation {
    body: Bytes,
    etag: EntityTag,
}

impl Representation {
    /// Serialises `value`; the tag is a digest of the bytes, so equal documents share a tag on
    /// every replica running the same catalogue.
    pub fn json<T: Serialize>(value: &T) -> Result<Representation, ApiError> {
        let body = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
        let digest = Sha256::digest(&body);
        let tag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        Ok(Representation {
            body: Bytes::from(body),
            etag: EntityTag::new_strong(tag),
        })
    }

    /// 304 when the caller already holds this representation, else 200 with the body.
    pub fn respond(&self, request: &HttpRequest, lang: Lang, caching: Caching) -> HttpResponse {
        let fresh = match IfNoneMatch::parse(request) {
            Ok(IfNoneMatch::Any) => true,
            // RFC 9110 §13.1.2: If-None-Match compares weakly.
            Ok(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(&self.etag)),
            Err(_) => false,
        };
        let mut response = if fresh {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header(ETag(self.etag.clone()))
            .insert_header(caching.header())
            .insert_header((header::VARY, "Accept-Language"))
            .insert_header((header::CONTENT_LANGUAGE, lang.code()));
        if fresh {
            response.finish()
        } else {
            response
                .content_type("application/json")
                .body(self.body.clone())
        }
    }
}

/// How long clients may reuse a representation without asking again.
#[derive(Clone, Copy, Debug)]
pub enum Caching {
    /// Content that can change with a new release (the latest version of a model, lists).
    Revalidate,
    /// Content that never changes at this URL (one version of a model).
    Immutable,
}

impl Caching {
    fn header(self) -> CacheControl {
        // `private`: the API is authenticated, so shared caches must not serve one caller's copy
        // to another.
        match self {
            Caching::Revalidate => {
                CacheControl(vec![CacheDirective::Private, CacheDirective::MaxAge(300)])
            }
            Caching::Immutable => CacheControl(vec![
                CacheDirective::Private,
                CacheDirective::MaxAge(86_400),
                CacheDirective::Extension("immutable".to_owned(), None),
            ]),
        }
    }
}

/// Documents the `If-None-Match` request header on cacheable operations.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct ConditionalHeader {
    /// An `ETag` from an earlier answer; if it still matches, the answer is 304 with no body.
    #[param(
        rename = "If-None-Match",
        example = "\"5d41402abc4b2a76b9719d911017c592\""
    )]
    if_none_match: Option<String>,
}
