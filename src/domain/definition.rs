//! The shape of the catalogue's files, exactly as written. These are unchecked: a definition becomes
//! a [`crate::domain::Model`] or an [`crate::domain::Indicator`] only through validation, which
//! reports every problem with its path inside the file.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::{Capability, ElementRole, ModelKind, Orientation};

/// Text keyed by language code; validation checks that every language is present and no other.
pub type TextDefinition = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDefinition {
    pub id: String,
    pub text: TextDefinition,
    pub help: TextDefinition,
    pub capability: Capability,
    #[serde(default)]
    pub not_for: Vec<String>,
    #[serde(default)]
    pub retired: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDefinition {
    pub id: String,
    pub version: String,
    pub kind: ModelKind,
    pub name: TextDefinition,
    pub description: TextDefinition,
    pub authors: Vec<String>,
    pub year: Option<u16>,
    pub source: String,
    pub threshold: f64,
    pub stages: Vec<StageDefinition>,
    pub elements: Vec<ElementDefinition>,
    /// Since 1.2.0: the bank action a focus model recommends while no focus is chosen.
    #[serde(default)]
    pub focus_choice_action: Option<String>,
    /// Since 1.2.0: an ambition model (the Ambitie Model).
    #[serde(default)]
    pub ambition: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDefinition {
    pub id: String,
    pub order: u32,
    pub name: TextDefinition,
    pub description: TextDefinition,
    pub required_elements: Vec<String>,
    /// Since 1.2.0: indicators shown beside the stage, outside its score.
    #[serde(default)]
    pub companion_indicators: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementDefinition {
    pub id: String,
    pub name: TextDefinition,
    pub description: TextDefinition,
    pub stage_id: Option<String>,
    pub role: Option<ElementRole>,
    /// Absent in files written before orientation existed (version 1.0.0).
    #[serde(default)]
    pub orientation: Option<Orientation>,
    pub indicators: Vec<WeightedIndicatorDefinition>,
    pub actions: Vec<ElementActionDefinition>,
}

/// An element's action: the id of an action in the bank, or (in files written before the bank
/// existed, version 1.0.0) the action itself.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ElementActionDefinition {
    Bank(String),
    Inline(ActionDefinition),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightedIndicatorDefinition {
    pub indicator_id: String,
    pub weight: f64,
}

/// An action written inside a 1.0.0 model file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDefinition {
    pub id: String,
    pub text: TextDefinition,
}

/// An action of the bank (`actions.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankActionDefinition {
    pub id: String,
    pub text: TextDefinition,
    pub provenance: ProvenanceDefinition,
    /// Required for `seed`, absent or null for `practice`.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// The indicators whose practice the action puts in place.
    #[serde(default)]
    pub establishes: Vec<String>,
    /// `small`, `medium` or `large`.
    pub effort: Option<String>,
    /// The role that usually carries the action.
    pub owner: Option<String>,
    /// Sectors the action does not fit.
    #[serde(default)]
    pub not_for: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceDefinition {
    Seed,
    Practice,
}
