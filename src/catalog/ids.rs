//! The `ModelId` and `IndicatorId` OpenAPI schemas: the ids of the models and indicators this
//! build serves, as enums, so that a generated client types them (an answer's ids feed the next
//! request without a cast) and a request naming something else is invalid by the schema, not
//! only by the service. The catalogue is compiled in, so the lists are fixed per build; a release
//! that adds a model or an indicator adds a value, which the descriptions announce as additive.
//! `TargetStages` and `FocusElements` go one step further for the `targets` and `focus` of a
//! request: per model, the stages or elements that model has.
//! Documentation only: request fields stay strings, checked against the catalogue by the use
//! cases, which name the unknown id in their answer.

use std::borrow::Cow;
use std::sync::LazyLock;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::catalog::Catalog;
use crate::domain::Model;

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

/// A target stage per staged or layered model.
pub struct TargetStages;

/// The pursued elements per focus model.
pub struct FocusElements;

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

/// An object with one optional property per model of the catalogue that `value` describes (none
/// for the others), and no other property.
fn per_model(description: &str, value: impl Fn(&Model) -> Option<RefOr<Schema>>) -> RefOr<Schema> {
    let object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(description))
        .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)));
    let properties = CATALOG
        .latest_models()
        .filter_map(|model| value(model).map(|schema| (model.id.clone(), schema)));
    properties
        .fold(object, |object, (id, schema)| object.property(id, schema))
        .into()
}

impl PartialSchema for TargetStages {
    fn schema() -> RefOr<Schema> {
        per_model(
            "A target stage per staged or layered model, among the model's stages (`GET \
             /v1/models/{model_id}`); the model must be among `model_ids`.",
            |model| {
                let stages = model.stages.iter().map(|stage| stage.id.clone()).collect();
                let described = format!("A stage of `{}`.", model.id);
                model
                    .kind
                    .has_stages()
                    .then(|| string_enum(&described, stages))
            },
        )
    }
}

impl ToSchema for TargetStages {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("TargetStages")
    }
}

impl PartialSchema for FocusElements {
    fn schema() -> RefOr<Schema> {
        per_model(
            "The pursued elements per focus model, at least one each, among the model's elements \
             (`GET /v1/models/{model_id}`); the model must be among `model_ids`.",
            |model| {
                let elements = model.elements.iter().map(|e| e.id.clone()).collect();
                let described = format!("An element of `{}`.", model.id);
                (!model.kind.has_stages()).then(|| {
                    ArrayBuilder::new()
                        .items(string_enum(&described, elements))
                        .min_items(Some(1))
                        .unique_items(true)
                        .into()
                })
            },
        )
    }
}

impl ToSchema for FocusElements {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FocusElements")
    }
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

    fn json(schema: RefOr<Schema>) -> serde_json::Value {
        serde_json::to_value(schema).unwrap()
    }

    #[test]
    fn targets_name_each_staged_model_s_stages_and_focus_each_focus_model_s_elements() {
        let targets = json(TargetStages::schema());
        assert_eq!(targets["additionalProperties"], false);
        let staged: Vec<&String> = targets["properties"].as_object().unwrap().keys().collect();
        assert_eq!(staged.len(), 5, "{staged:?}");
        assert_eq!(
            targets["properties"]["social-media-pyramid"]["enum"],
            serde_json::json!(["monitor", "listen", "respond", "create"])
        );
        let focus = json(FocusElements::schema());
        let focus_models: Vec<&String> = focus["properties"].as_object().unwrap().keys().collect();
        assert_eq!(focus_models, ["communicatieroos", "groundswell-objectives"]);
        let rose = &focus["properties"]["communicatieroos"];
        assert_eq!(rose["minItems"], 1);
        assert_eq!(rose["items"]["enum"][0], "organise");
    }
}
