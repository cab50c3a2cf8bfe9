//! A validated model definition: stages (or layers), elements, the indicators behind each element
//! and the actions that put an element in place. Built only by [`crate::domain::parse_model`].

use crate::domain::{Action, Sectors, Text, Version};

/// How a model places an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// Cumulative stages: a stage counts once its elements and those of every lower stage are in place.
    Staged,
    /// Sequential layers, each built on the ones below; gated like stages, and a higher layer in
    /// place on a missing lower one is reported as a skipped foundation.
    Layered,
    /// A profile of elements with no order among them.
    Focus,
}

impl ModelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Staged => "staged",
            ModelKind::Layered => "layered",
            ModelKind::Focus => "focus",
        }
    }

    /// Whether the model orders its elements into stages or layers.
    pub fn has_stages(self) -> bool {
        !matches!(self, ModelKind::Focus)
    }
}

/// A special part an element plays in a focus model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElementRole {
    /// The basis of every other element (the Communication Rose's centre, Organise; POST's
    /// People under the Groundswell objectives).
    Foundation,
}

/// Which way an element faces (seed 002): outside-in practices (monitoring, listening) are not
/// visible to the public; inside-out ones (responding, creating) are; the foundation (audience,
/// channels, goals, policy, resources, organising) is neither. One orientation per practice, the
/// same in every model; used to order the roadmap and to spot inside-out work without its
/// listening foundation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Orientation {
    OutsideIn,
    InsideOut,
    Foundation,
}

impl Orientation {
    pub fn as_str(self) -> &'static str {
        match self {
            Orientation::OutsideIn => "outside-in",
            Orientation::InsideOut => "inside-out",
            Orientation::Foundation => "foundation",
        }
    }
}

/// One published model at one version.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub id: String,
    pub version: Version,
    pub kind: ModelKind,
    pub name: Text,
    pub description: Text,
    pub authors: Vec<String>,
    pub year: Option<u16>,
    pub source: String,
    /// Element score at or above which an element is in place.
    pub threshold: f64,
    /// Ordered by `order`, lowest first; empty for focus models.
    pub stages: Vec<Stage>,
    pub elements: Vec<Element>,
    /// Focus models where the organisation chooses what to pursue (POST's Objectives): the
    /// action recommended while it has not chosen. Without one, the weakest elements are advised.
    pub focus_choice_action: Option<Action>,
    /// An ambition model (the Ambitie Model): how far to go is the organisation's choice, so
    /// without a target the layer above what it does is an option, not the next step.
    pub ambition: bool,
    /// Every bank action the elements' actions depend on, directly or not, that no element
    /// lists: the prerequisites advice may pull in.
    pub prerequisites: Vec<Action>,
    /// Where each bank action the model holds sits in it, by bank position: advice looks actions
    /// up many times per request. Built by [`Model::action_slots`].
    pub(crate) action_slots: Vec<Option<ActionSlot>>,
}

/// Where a bank action sits in a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ActionSlot {
    /// Element `.0`'s action `.1`.
    Element(usize, usize),
    Choice,
    Prerequisite(usize),
}

impl Model {
    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements.iter().find(|element| element.id == id)
    }

    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|stage| stage.id == id)
    }

    /// The model's bank action at bank position `position`: an element's, the focus choice, or a
    /// prerequisite.
    pub fn action_at(&self, position: usize) -> Option<&Action> {
        match self.action_slots.get(position).copied().flatten()? {
            ActionSlot::Element(element, action) => self.elements.get(element)?.actions.get(action),
            ActionSlot::Choice => self.focus_choice_action.as_ref(),
            ActionSlot::Prerequisite(i) => self.prerequisites.get(i),
        }
    }

    /// The index behind [`Model::action_at`]: the first place each bank action appears.
    pub(crate) fn action_slots(
        elements: &[Element],
        choice: Option<&Action>,
        prerequisites: &[Action],
    ) -> Vec<Option<ActionSlot>> {
        let placed = elements
            .iter()
            .enumerate()
            .flat_map(|(e, element)| {
                element
                    .actions
                    .iter()
                    .enumerate()
                    .map(move |(a, action)| (action, ActionSlot::Element(e, a)))
            })
            .chain(choice.map(|action| (action, ActionSlot::Choice)))
            .chain(
                prerequisites
                    .iter()
                    .enumerate()
                    .map(|(i, action)| (action, ActionSlot::Prerequisite(i))),
            );
        let mut slots: Vec<Option<ActionSlot>> = Vec::new();
        for (action, slot) in placed {
            let Some(position) = action.position else {
                continue;
            };
            if slots.len() <= position {
                slots.resize(position + 1, None);
            }
            slots[position].get_or_insert(slot);
        }
        slots
    }

    /// An action of the model by id: an element's, the focus choice, or a prerequisite.
    pub fn action(&self, id: &str) -> Option<&Action> {
        self.elements
            .iter()
            .flat_map(|element| &element.actions)
            .chain(&self.focus_choice_action)
            .chain(&self.prerequisites)
            .find(|action| action.id == id)
    }

    /// Every indicator the model asks about, in element order, each once, then the stages'
    /// companion indicators.
    pub fn indicator_ids(&self) -> impl Iterator<Item = &str> {
        self.asked_indicators()
            .map(|weighted| weighted.indicator_id.as_str())
    }

    /// The scored indicators, then the companions shown beside the stages (outside the scores).
    pub fn asked_indicators(&self) -> impl Iterator<Item = &WeightedIndicator> {
        self.weighted_indicators().chain(
            self.stages
                .iter()
                .flat_map(|stage| stage.companion_indicators.iter()),
        )
    }

    /// Every indicator the model asks about, with its weight and bank position.
    pub fn weighted_indicators(&self) -> impl Iterator<Item = &WeightedIndicator> {
        self.elements
            .iter()
            .flat_map(|element| element.indicators.iter())
    }
}

/// A stage (staged models) or layer (layered models).
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub id: String,
    /// 1 for the lowest stage, consecutive upwards.
    pub order: u32,
    pub name: Text,
    pub description: Text,
    /// Elements that must be in place for this stage, besides those of the lower stages.
    pub required_elements: Vec<String>,
    /// Indicators asked and shown beside the stage, outside its score, so they never gate it
    /// (the Listening model's tooling ladder).
    pub companion_indicators: Vec<WeightedIndicator>,
}

/// A key element, layer content, petal or objective of a model.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub id: String,
    pub name: Text,
    pub description: Text,
    /// The stage the element belongs to; `None` in focus models.
    pub stage_id: Option<String>,
    pub role: Option<ElementRole>,
    pub orientation: Option<Orientation>,
    pub indicators: Vec<WeightedIndicator>,
    /// What an organisation can do to put this element in place, in the order to do it.
    pub actions: Vec<Action>,
}

/// An indicator of the bank as evidence for an element, with its weight in the element score.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedIndicator {
    pub indicator_id: String,
    pub weight: f64,
    /// The indicator's position in the bank, so that scoring reads answers by index.
    pub position: usize,
    /// The sectors the indicator does not fit: left out of their scores and coverage.
    pub not_for: Sectors,
}

impl Element {
    pub fn is_foundation(&self) -> bool {
        self.role == Some(ElementRole::Foundation)
    }
}
