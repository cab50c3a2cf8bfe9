//! The `ModelId` and `IndicatorId` OpenAPI schemas: the ids of the models and indicators this
//! build serves, as enums, so that a generated client types them (an answer's ids feed the next
//! request without a cast) and a request naming something else is invalid by the schema, not
//! only by the service. The catalogue is compiled in, so the lists are fixed per build; a release
//! that adds a model or an indicator adds a value, which the descriptions announce as additive.
//! Documentation only: request fields stay strings, checked against the catalogue by the use
//! cases, which name the unknown id in their answer.

use std::borrow::Cow;
use std::sync::LazyLock;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::catalog::Catalog;

// The service does not start without its catalogue, so neither does its document.
#[allow(
    clippy::expect_used,
    reason = "a built-in catalogue that does not load is a defect of the build, which the tests catch"
)]
static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::builtin().expect("the built-in catalogue is valid"));

/// The id of a model of the catalogue.
pub struct ModelId;

/// The id of an indicator of the shared bank.
pub struct IndicatorId;

fn model_ids() -> Vec<String> {
    let models = CATALOG.latest_models();
    models.map(|model| model.id.clone()).collect()
}

fn indicator_ids() -> Vec<String> {
    let indicators = CATALOG.indicators().iter();
    indicators.map(|indicator| indicator.id.clone()).collect()
}

/// A string schema that admits `values` only (the first is the example).
pub(crate) fn string_enum(description: &str, values: Vec<String>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .examples(values.first().cloned())
        .enum_values(Some(values))
        .into()
}

impl PartialSchema for ModelId {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "The id of a model of the catalogue (`GET /v1/models`). Later releases may add models: \
             treat an unknown id in an answer as a model this client does not know yet.",
            model_ids(),
        )
    }
}

impl ToSchema for ModelId {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ModelId")
    }
}

impl PartialSchema for IndicatorId {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "The id of an indicator of the shared bank (`GET /v1/indicators`). Later releases may \
             add indicators: treat an unknown id in an answer as one this client does not know yet.",
            indicator_ids(),
        )
    }
}

impl ToSchema for IndicatorId {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IndicatorId")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_model_and_indicator_is_listed() {
        let models = model_ids();
        assert_eq!(models.len(), 7, "{models:?}");
        assert!(models.iter().any(|id| id == "social-media-pyramid"));
        assert!(indicator_ids().iter().any(|id| id == "alerts-configured"));
    }
}
