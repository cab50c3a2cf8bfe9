//! The catalogue's public documents: a model (full definition), a model summary for lists, and an
//! indicator. Localised to one language each; domain types never appear on the wire directly.

use serde::Serialize;
use utoipa::ToSchema;

use crate::api::value_sets::{EffortValues, OwnerValues, SectorValues};
use crate::catalog::ids::{IndicatorId, ModelId};
use crate::domain::{
    Action, Capability, Element, ElementRole, Indicator, IndicatorBank, Lang, Model, ModelKind,
    Orientation, Provenance, Stage,
};
use crate::domain::{Effort, Owner, Sector};

/// How a model places an organisation: `staged` (cumulative stages), `layered` (layers built on
/// each other) or `focus` (a profile with no order).
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModelKindDocument {
    Staged,
    Layered,
    Focus,
}

impl From<ModelKind> for ModelKindDocument {
    fn from(kind: ModelKind) -> Self {
        match kind {
            ModelKind::Staged => ModelKindDocument::Staged,
            ModelKind::Layered => ModelKindDocument::Layered,
            ModelKind::Focus => ModelKindDocument::Focus,
        }
    }
}

/// A special part an element plays: `foundation` is the basis of every other element.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ElementRoleDocument {
    Foundation,
}

/// Which way an element faces: `outside-in` (monitoring, listening: not visible to the public),
/// `inside-out` (responding, creating: visible) or `foundation` (audience, channels, goals,
/// policy, resources, organising).
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OrientationDocument {
    OutsideIn,
    InsideOut,
    Foundation,
}

impl From<Orientation> for OrientationDocument {
    fn from(orientation: Orientation) -> Self {
        match orientation {
            Orientation::OutsideIn => OrientationDocument::OutsideIn,
            Orientation::InsideOut => OrientationDocument::InsideOut,
            Orientation::Foundation => OrientationDocument::Foundation,
        }
    }
}

/// Where an action comes from: `seed` (the model's source names it; see `source`), `practice`
/// (the service's own professional advice) or `unrecorded` (model versions written before
/// provenance was recorded).
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceDocument {
    Seed,
    Practice,
    Unrecorded,
}

impl From<&Provenance> for ProvenanceDocument {
    fn from(provenance: &Provenance) -> Self {
        match provenance {
            Provenance::Seed { .. } => ProvenanceDocument::Seed,
            Provenance::Practice => ProvenanceDocument::Practice,
            Provenance::Unrecorded => ProvenanceDocument::Unrecorded,
        }
    }
}

/// The capability an indicator is evidence of, for grouping questions.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CapabilityDocument {
    Strategy,
    Organisation,
    Listening,
    Responding,
    Content,
    Community,
    Measurement,
    Innovation,
}

impl From<Capability> for CapabilityDocument {
    fn from(capability: Capability) -> Self {
        match capability {
            Capability::Strategy => CapabilityDocument::Strategy,
            Capability::Organisation => CapabilityDocument::Organisation,
            Capability::Listening => CapabilityDocument::Listening,
            Capability::Responding => CapabilityDocument::Responding,
            Capability::Content => CapabilityDocument::Content,
            Capability::Community => CapabilityDocument::Community,
            Capability::Measurement => CapabilityDocument::Measurement,
            Capability::Innovation => CapabilityDocument::Innovation,
        }
    }
}

/// A model in a list: enough to choose one, without its stages and elements.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelSummary {
    #[schema(value_type = ModelId, example = "social-strategy-cone")]
    pub id: String,
    /// The latest version.
    #[schema(example = "1.0.0")]
    pub version: String,
    /// Every published version, oldest first.
    pub versions: Vec<String>,
    pub kind: ModelKindDocument,
    pub name: String,
    pub description: String,
    pub authors: Vec<String>,
    /// Year of publication, where the source gives one.
    pub year: Option<u16>,
}

/// The full definition of one model version.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelDocument {
    #[schema(value_type = ModelId, example = "social-strategy-cone")]
    pub id: String,
    #[schema(example = "1.0.0")]
    pub version: String,
    pub kind: ModelKindDocument,
    pub name: String,
    pub description: String,
    pub authors: Vec<String>,
    pub year: Option<u16>,
    /// Bibliographic source of the model.
    pub source: String,
    /// Element score (0–1) at or above which an element counts as in place.
    #[schema(example = 0.5)]
    pub threshold: f64,
    /// Lowest first; empty for focus models.
    pub stages: Vec<StageDocument>,
    pub elements: Vec<ElementDocument>,
    /// Focus models where the organisation chooses its focus (POST's Objectives): the action
    /// advised while it has not chosen; `null` otherwise.
    pub focus_choice_action: Option<ActionDocument>,
    /// An ambition model: how far to go is the organisation's choice, so without a target the
    /// layer above what it does is offered as an option.
    pub ambition: bool,
}

/// A stage or layer.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageDocument {
    #[schema(example = "initiation")]
    pub id: String,
    /// 1 for the lowest stage.
    pub order: u32,
    pub name: String,
    pub description: String,
    /// Elements that must be in place for this stage, besides those of lower stages.
    pub required_elements: Vec<String>,
    /// Indicators asked and shown beside the stage, outside its score: they never gate it (the
    /// Listening model's tooling ladder).
    #[schema(value_type = Vec<IndicatorId>)]
    pub companion_indicators: Vec<String>,
}

/// A key element, layer content, petal or objective.
#[derive(Debug, Serialize, ToSchema)]
pub struct ElementDocument {
    #[schema(example = "target-audience")]
    pub id: String,
    pub name: String,
    pub description: String,
    /// The stage the element belongs to; `null` in focus models.
    pub stage_id: Option<String>,
    pub role: Option<ElementRoleDocument>,
    /// `outside-in` or `inside-out` where the model's source says so; `null` otherwise.
    pub orientation: Option<OrientationDocument>,
    pub indicators: Vec<ElementIndicatorDocument>,
    /// Steps that help put the element in place, in the order to take them.
    pub actions: Vec<ActionDocument>,
}

/// An indicator as evidence for an element.
#[derive(Debug, Serialize, ToSchema)]
pub struct ElementIndicatorDocument {
    #[schema(value_type = IndicatorId, example = "audience-defined")]
    pub indicator_id: String,
    /// Weight in the element's score.
    #[schema(example = 1.0)]
    pub weight: f64,
    /// The question, so a front-end needs no second request.
    pub text: String,
}

/// A step of the action bank.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionDocument {
    #[schema(example = "set-up-alerts")]
    pub id: String,
    pub text: String,
    pub provenance: ProvenanceDocument,
    /// For `seed` actions: the source that names the step.
    pub source: Option<String>,
    /// Actions to take before this one.
    pub depends_on: Vec<String>,
    /// The indicators whose practice the action puts in place: it is done, and never
    /// recommended, when all of them score "mostly" (3) or more. Empty for a choice or a means
    /// no question can show done.
    #[schema(value_type = Vec<IndicatorId>)]
    pub establishes: Vec<String>,
    /// `null` for the inline actions of model files that did not record it.
    #[schema(value_type = Option<EffortValues>)]
    pub effort: Option<&'static str>,
    #[schema(value_type = Option<OwnerValues>)]
    pub owner: Option<&'static str>,
    /// Sectors the action does not fit: it is never recommended to them.
    #[schema(value_type = Vec<SectorValues>)]
    pub not_for: Vec<&'static str>,
}

impl ActionDocument {
    pub fn render(action: &Action, lang: Lang) -> ActionDocument {
        ActionDocument {
            id: action.id.clone(),
            text: action.text.get(lang).to_owned(),
            provenance: (&action.provenance).into(),
            source: action.provenance.source().map(str::to_owned),
            depends_on: action.depends_on.clone(),
            establishes: action
                .establishes
                .iter()
                .flatten()
                .map(|e| e.indicator_id.clone())
                .collect(),
            effort: action.effort.map(Effort::as_str),
            owner: action.owner.map(Owner::as_str),
            not_for: action.not_for.iter().map(Sector::as_str).collect(),
        }
    }
}

/// One question of the shared bank, answered on the 0–4 scale (0 not at all, 1 ad hoc, 2 partly,
/// 3 mostly, 4 fully and structurally) or `null` for don't know / not applicable.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorDocument {
    #[schema(value_type = IndicatorId, example = "audience-defined")]
    pub id: String,
    pub text: String,
    /// Guidance for choosing an answer.
    pub help: String,
    pub capability: CapabilityDocument,
    /// The models (latest versions) that ask this question.
    #[schema(value_type = Vec<ModelId>)]
    pub model_ids: Vec<String>,
    /// Sectors the question means nothing to: left out of their questionnaires and scores.
    #[schema(value_type = Vec<SectorValues>)]
    pub not_for: Vec<&'static str>,
    /// Asked only by older model versions: listed with `?include=retired`, and still accepted for
    /// assessments pinned to those versions.
    pub retired: bool,
}

impl ModelSummary {
    pub fn render(versions: &[Model], lang: Lang) -> Option<ModelSummary> {
        let latest = versions.last()?;
        Some(ModelSummary {
            id: latest.id.clone(),
            version: latest.version.to_string(),
            versions: versions.iter().map(|m| m.version.to_string()).collect(),
            kind: latest.kind.into(),
            name: latest.name.get(lang).to_owned(),
            description: latest.description.get(lang).to_owned(),
            authors: latest.authors.clone(),
            year: latest.year,
        })
    }
}

impl ModelDocument {
    pub fn render(model: &Model, bank: &IndicatorBank, lang: Lang) -> ModelDocument {
        ModelDocument {
            id: model.id.clone(),
            version: model.version.to_string(),
            kind: model.kind.into(),
            name: model.name.get(lang).to_owned(),
            description: model.description.get(lang).to_owned(),
            authors: model.authors.clone(),
            year: model.year,
            source: model.source.clone(),
            threshold: model.threshold,
            stages: model.stages.iter().map(|s| render_stage(s, lang)).collect(),
            elements: model
                .elements
                .iter()
                .map(|e| render_element(e, bank, lang))
                .collect(),
            focus_choice_action: model
                .focus_choice_action
                .as_ref()
                .map(|action| ActionDocument::render(action, lang)),
            ambition: model.ambition,
        }
    }
}

fn render_stage(stage: &Stage, lang: Lang) -> StageDocument {
    StageDocument {
        id: stage.id.clone(),
        order: stage.order,
        name: stage.name.get(lang).to_owned(),
        description: stage.description.get(lang).to_owned(),
        required_elements: stage.required_elements.clone(),
        companion_indicators: stage
            .companion_indicators
            .iter()
            .map(|w| w.indicator_id.clone())
            .collect(),
    }
}

fn render_element(element: &Element, bank: &IndicatorBank, lang: Lang) -> ElementDocument {
    ElementDocument {
        id: element.id.clone(),
        name: element.name.get(lang).to_owned(),
        description: element.description.get(lang).to_owned(),
        stage_id: element.stage_id.clone(),
        role: element
            .role
            .map(|ElementRole::Foundation| ElementRoleDocument::Foundation),
        orientation: element.orientation.map(Into::into),
        indicators: element
            .indicators
            .iter()
            .map(|weighted| ElementIndicatorDocument {
                indicator_id: weighted.indicator_id.clone(),
                weight: weighted.weight,
                // Validation guarantees every referenced indicator exists.
                text: bank
                    .get(&weighted.indicator_id)
                    .map(|indicator| indicator.text.get(lang).to_owned())
                    .unwrap_or_default(),
            })
            .collect(),
        actions: element
            .actions
            .iter()
            .map(|action| ActionDocument::render(action, lang))
            .collect(),
    }
}

impl IndicatorDocument {
    pub fn render(indicator: &Indicator, model_ids: Vec<String>, lang: Lang) -> IndicatorDocument {
        IndicatorDocument {
            id: indicator.id.clone(),
            text: indicator.text.get(lang).to_owned(),
            help: indicator.help.get(lang).to_owned(),
            capability: indicator.capability.into(),
            model_ids,
            not_for: indicator.not_for.iter().map(Sector::as_str).collect(),
            retired: indicator.retired,
        }
    }
}
