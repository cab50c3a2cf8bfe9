//! The JSON request body of every operation, read the way its schema describes it: the body must
//! be a JSON object (serde's derived structs would also take an array, filling fields by
//! position). Fields stay strict as derived (unknown and repeated fields are refused); integer
//! fields that JSON Schema's `integer` allows to be written `2.0` use [`integral`].

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Number;
use serde_json::value::RawValue;

use crate::error::{ApiError, FieldError};

/// A request body that is a JSON object deserialised into `T`. Size limit, content type and
/// syntax errors are those of actix's JSON extractor (configured in [`super::extractors`]).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for JsonBody<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let document = web::Json::<Box<RawValue>>::from_request(request, payload);
        Box::pin(async move {
            let document = document.await?.into_inner();
            decode(document.get()).map(JsonBody).map_err(Into::into)
        })
    }
}

/// `document` is well-formed JSON (the extractor checked its syntax).
fn decode<T: DeserializeOwned>(document: &str) -> Result<T, ApiError> {
    let invalid = |message: String| ApiError::Validation(vec![FieldError::new("body", message)]);
    if !document.trim_start().starts_with('{') {
        return Err(invalid("must be a JSON object".to_owned()));
    }
    serde_json::from_str(document).map_err(|error| invalid(error.to_string()))
}

/// `deserialize_with` for an optional integer that may be written as a float without a fraction
/// (`3.0`), as JSON Schema's `integer` allows; `3.5` is refused.
pub fn integral<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let Some(number) = Option::<Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    // i64::MAX as f64 rounds up to 2^63, which is out of range: compare strictly below it.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    match (number.as_i64(), number.as_f64()) {
        (Some(integer), _) => Ok(Some(integer)),
        (None, Some(float)) if float.fract() == 0.0 && (-I64_END..I64_END).contains(&float) => {
            Ok(Some(float as i64))
        }
        _ => Err(D::Error::custom(format!("{number} is not an integer"))),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Fields {
        #[serde(default, deserialize_with = "integral")]
        count: Option<i64>,
        share: Option<f64>,
    }

    #[test]
    fn objects_decode_and_integral_floats_are_integers() {
        let fields: Fields = decode(r#" {"count": 2.0, "share": 3}"#).unwrap();
        assert_eq!(
            fields,
            Fields {
                count: Some(2),
                share: Some(3.0)
            }
        );
        let fields: Fields = decode(r#"{"count": -0.0, "share": null}"#).unwrap();
        assert_eq!(fields.count, Some(0));
        let fields: Fields = decode(r#"{"count": null}"#).unwrap();
        assert_eq!(fields.count, None);
    }

    #[test]
    fn anything_but_an_object_is_refused() {
        for document in ["[null, null]", "null", "1", "\"x\"", " [ ]"] {
            assert!(
                decode::<Fields>(document).is_err(),
                "{document} was accepted"
            );
        }
    }

    #[test]
    fn fields_stay_strict() {
        for document in [
            r#"{"count": 2.5}"#,
            r#"{"count": 1e19}"#,
            r#"{"count": "2"}"#,
            r#"{"count": 1, "count": 2}"#,
            r#"{"other": 1}"#,
        ] {
            assert!(
                decode::<Fields>(document).is_err(),
                "{document} was accepted"
            );
        }
    }
}
