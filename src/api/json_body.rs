//! The JSON request body of every operation, read the way its schema describes it: the body must
//! be a JSON object (serde's derived structs would also take an array, filling fields by
//! position), and a number JSON Schema calls an integer (`2.0`) is one, though serde's integers
//! refuse a fraction-free float.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

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
        let document = web::Json::<Value>::from_request(request, payload);
        Box::pin(async move {
            let document = document.await?.into_inner();
            decode(document).map(JsonBody).map_err(Into::into)
        })
    }
}

fn decode<T: DeserializeOwned>(document: Value) -> Result<T, ApiError> {
    let invalid = |message: String| ApiError::Validation(vec![FieldError::new("body", message)]);
    if !document.is_object() {
        return Err(invalid("must be a JSON object".to_owned()));
    }
    serde_json::from_value(with_integral_floats_as_integers(document))
        .map_err(|error| invalid(error.to_string()))
}

/// Rewrites every float without a fractional part that fits an `i64` as that integer; a field
/// typed as a float takes an integer just as well, so nothing else changes.
fn with_integral_floats_as_integers(value: Value) -> Value {
    // i64::MAX as f64 rounds up to 2^63, which is out of range: compare strictly below it.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    match value {
        Value::Number(number) => match number.as_f64() {
            Some(float)
                if number.is_f64()
                    && float.fract() == 0.0
                    && (-I64_END..I64_END).contains(&float) =>
            {
                Value::Number(Number::from(float as i64))
            }
            _ => Value::Number(number),
        },
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(with_integral_floats_as_integers)
                .collect(),
        ),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, value)| (name, with_integral_floats_as_integers(value)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Fields {
        count: Option<u32>,
        share: Option<f64>,
    }

    #[test]
    fn objects_decode_and_integral_floats_are_integers() {
        let fields: Fields = decode(json!({"count": 2.0, "share": 3.0})).unwrap();
        assert_eq!(
            fields,
            Fields {
                count: Some(2),
                share: Some(3.0)
            }
        );
        let fields: Fields = decode(json!({"count": -0.0})).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.count, Some(0));
    }

    #[test]
    fn anything_but_an_object_is_refused() {
        for document in [json!([null, null]), json!(null), json!(1), json!("x")] {
            assert!(
                decode::<Fields>(document.clone()).is_err(),
                "{document} was accepted"
            );
        }
    }

    #[test]
    fn fractions_and_out_of_range_numbers_stay_floats() {
        assert!(decode::<Fields>(json!({"count": 2.5})).is_err());
        assert!(decode::<Fields>(json!({"count": 1e19})).is_err());
        let nested = with_integral_floats_as_integers(json!({"a": [1.0, {"b": 2.5}]}));
        assert_eq!(nested, json!({"a": [1, {"b": 2.5}]}));
    }
}
