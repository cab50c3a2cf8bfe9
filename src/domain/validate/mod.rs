//! Turns catalogue definitions into validated domain values. Every problem is collected, not just
//! the first, and each names the path of the offending field (`stages[1].required_elements[0]`), so
//! whoever edits a model file sees everything that is wrong in one run.

use std::collections::{HashMap, HashSet};
use std::fmt;

mod actions;
mod checker;

pub use actions::parse_action_bank;
use checker::Checker;

use crate::domain::definition::{
    ElementActionDefinition, ElementDefinition, IndicatorDefinition, ModelDefinition,
    StageDefinition,
};
use crate::domain::{
    Action, ActionBank, Element, Indicator, IndicatorBank, Model, Provenance, Stage, Version,
    WeightedIndicator,
};

/// One problem in a definition: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    /// Path of the field inside the file, e.g. `elements[2].indicators[0].indicator_id`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Validates the indicator bank: unique, well-formed ids and complete translations.
pub fn parse_indicator_bank(
    definitions: Vec<IndicatorDefinition>,
) -> Result<IndicatorBank, Vec<DefinitionError>> {
    let mut check = Checker::default();
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut seen = HashSet::new();
    for (i, definition) in definitions.into_iter().enumerate() {
        let path = format!("[{i}]");
        check.id(&format!("{path}.id"), &definition.id);
        let indicator = Indicator {
            text: check.text(&format!("{path}.text"), &definition.text),
            help: check.text(&format!("{path}.help"), &definition.help),
            capability: definition.capability,
            not_for: check.sectors(&format!("{path}.not_for"), &definition.not_for),
            retired: definition.retired,
            id: definition.id,
        };
        if seen.insert(indicator.id.clone()) {
            indicators.push(indicator);
        } else {
            check.fail(
                format!("{path}.id"),
                format!("duplicate indicator id `{}`", indicator.id),
            );
        }
    }
    check.finish(IndicatorBank::new(indicators))
}

/// Validates a model definition against the indicator and action banks it refers to.
pub fn parse_model(
    definition: ModelDefinition,
    bank: &IndicatorBank,
    actions: &ActionBank,
) -> Result<Model, Vec<DefinitionError>> {
    let mut check = Checker::default();
    check.id("id", &definition.id);
    let version = definition
        .version
        .parse::<Version>()
        .unwrap_or_else(|message| {
            check.fail("version", message);
            Version {
                major: 0,
                minor: 0,
                patch: 0,
            }
        });
    if !(definition.threshold > 0.0 && definition.threshold <= 1.0) {
        check.fail("threshold", "must be greater than 0 and at most 1");
    }
    if definition.authors.is_empty() {
        check.fail("authors", "at least one author is required");
    }
    for (i, author) in definition.authors.iter().enumerate() {
        check.non_empty(&format!("authors[{i}]"), author);
    }
    check.non_empty("source", &definition.source);
    let name = check.text("name", &definition.name);
    let description = check.text("description", &definition.description);

    let stages = check_stages(&mut check, &definition, bank);
    let elements = check_elements(&mut check, &definition, bank, actions);
    check_stage_requirements(&mut check, &definition);
    check_companions(&mut check, &definition);
    let focus_choice_action = focus_choice_action(&mut check, &definition, actions);
    if definition.ambition && definition.kind != crate::domain::ModelKind::Layered {
        check.fail("ambition", "only a layered model can be an ambition model");
    }
    let prerequisites = prerequisites(&elements, focus_choice_action.as_ref(), actions);
    let action_slots = Model::action_slots(&elements, focus_choice_action.as_ref(), &prerequisites);

    check.finish(Model {
        id: definition.id,
        version,
        kind: definition.kind,
        name,
        description,
        authors: definition.authors,
        year: definition.year,
        source: definition.source,
        threshold: definition.threshold,
        stages,
        elements,
        focus_choice_action,
        ambition: definition.ambition,
        prerequisites,
        action_slots,
    })
}

/// The bank action a focus model recommends while no focus is chosen.
fn focus_choice_action(
    check: &mut Checker,
    definition: &ModelDefinition,
    actions: &ActionBank,
) -> Option<Action> {
    let id = definition.focus_choice_action.as_deref()?;
    if definition.kind.has_stages() {
        check.fail(
            "focus_choice_action",
            "only a focus model has a focus to choose",
        );
    }
    let found = actions.get(id).cloned();
    if found.is_none() {
        check.fail(
            "focus_choice_action",
            format!("unknown action `{id}`: it is not in the action bank"),
        );
    }
    found
}

/// Every bank action that the model's actions depend on, directly or not, and no element lists.
fn prerequisites(
    elements: &[Element],
    choice: Option<&Action>,
    actions: &ActionBank,
) -> Vec<Action> {
    let listed: Vec<&Action> = elements
        .iter()
        .flat_map(|e| &e.actions)
        .chain(choice)
        .collect();
    actions
        .iter()
        .filter(|candidate| !listed.iter().any(|a| a.id == candidate.id))
        .filter(|candidate| {
            listed.iter().any(|a| {
                a.position
                    .zip(candidate.position)
                    .is_some_and(|(a, c)| actions.requires(a, c))
            })
        })
        .cloned()
        .collect()
}

/// Companion indicators are shown beside a stage and never score: no element may use them.
fn check_companions(check: &mut Checker, definition: &ModelDefinition) {
    for (i, stage) in definition.stages.iter().enumerate() {
        for (j, id) in stage.companion_indicators.iter().enumerate() {
            if let Some(element) = definition
                .elements
                .iter()
                .find(|e| e.indicators.iter().any(|w| &w.indicator_id == id))
            {
                check.fail(
                    format!("stages[{i}].companion_indicators[{j}]"),
                    format!("`{id}` is scored by element `{}`; a companion indicator is shown beside the stage, outside its score", element.id),
                );
            }
        }
    }
}

fn check_stages(
    check: &mut Checker,
    definition: &ModelDefinition,
    bank: &IndicatorBank,
) -> Vec<Stage> {
    if definition.kind.has_stages() && definition.stages.is_empty() {
        check.fail(
            "stages",
            format!(
                "a {} model needs at least one stage",
                definition.kind.as_str()
            ),
        );
    }
    if !definition.kind.has_stages() && !definition.stages.is_empty() {
        check.fail("stages", "a focus model has no stages");
    }
    let mut seen = HashSet::new();
    let mut stages = Vec::with_capacity(definition.stages.len());
    for (i, stage) in definition.stages.iter().enumerate() {
        let path = format!("stages[{i}]");
        check.id(&format!("{path}.id"), &stage.id);
        if !seen.insert(stage.id.as_str()) {
            check.fail(
                format!("{path}.id"),
                format!("duplicate stage id `{}`", stage.id),
            );
        }
        let expected = i as u32 + 1;
        if stage.order != expected {
            check.fail(
                format!("{path}.order"),
                format!(
                    "stages out of order: expected order {expected}, found {} (list stages lowest first, numbered from 1)",
                    stage.order
                ),
            );
        }
        stages.push(Stage {
            id: stage.id.clone(),
            order: stage.order,
            name: check.text(&format!("{path}.name"), &stage.name),
            description: check.text(&format!("{path}.description"), &stage.description),
            required_elements: stage.required_elements.clone(),
            companion_indicators: stage
                .companion_indicators
                .iter()
                .enumerate()
                .map(|(j, id)| {
                    weighted(
                        check,
                        &format!("{path}.companion_indicators[{j}]"),
                        bank,
                        id,
                        1.0,
                    )
                })
                .collect(),
        });
    }
    stages
}

fn check_elements(
    check: &mut Checker,
    definition: &ModelDefinition,
    bank: &IndicatorBank,
    actions: &ActionBank,
) -> Vec<Element> {
    if definition.elements.is_empty() {
        check.fail("elements", "at least one element is required");
    }
    let stage_ids: HashSet<&str> = definition.stages.iter().map(|s| s.id.as_str()).collect();
    let mut element_ids = HashSet::new();
    let mut inline_action_ids = HashSet::new();
    let mut indicator_users: HashMap<&str, &str> = HashMap::new();
    let mut elements = Vec::with_capacity(definition.elements.len());
    for (i, element) in definition.elements.iter().enumerate() {
        let path = format!("elements[{i}]");
        check.id(&format!("{path}.id"), &element.id);
        if !element_ids.insert(element.id.as_str()) {
            check.fail(
                format!("{path}.id"),
                format!("duplicate element id `{}`", element.id),
            );
        }
        check_element_placement(check, definition, element, &path, &stage_ids);
        if element.indicators.is_empty() {
            check.fail(
                format!("{path}.indicators"),
                "at least one indicator is required",
            );
        }
        for (j, weighted) in element.indicators.iter().enumerate() {
            let path = format!("{path}.indicators[{j}]");
            let id = weighted.indicator_id.as_str();
            if !bank.contains(id) {
                check.fail(
                    format!("{path}.indicator_id"),
                    format!("unknown indicator `{id}`: it is not in the indicator bank"),
                );
            }
            if let Some(user) = indicator_users.insert(id, element.id.as_str()) {
                check.fail(
                    format!("{path}.indicator_id"),
                    format!("indicator `{id}` is already used by element `{user}`; a model asks each question once"),
                );
            }
            if !(weighted.weight.is_finite() && weighted.weight > 0.0) {
                check.fail(format!("{path}.weight"), "must be a positive number");
            }
        }
        if element.actions.is_empty() {
            check.fail(format!("{path}.actions"), "at least one action is required");
        }
        let element_actions =
            check_element_actions(check, element, &path, actions, &mut inline_action_ids);
        elements.push(build_element(check, element, &path, bank, element_actions));
    }
    elements
}

fn check_element_placement(
    check: &mut Checker,
    definition: &ModelDefinition,
    element: &ElementDefinition,
    path: &str,
    stage_ids: &HashSet<&str>,
) {
    match (&element.stage_id, definition.kind.has_stages()) {
        (None, true) => check.fail(
            format!("{path}.stage_id"),
            "every element of a staged or layered model belongs to a stage",
        ),
        (Some(_), false) => check.fail(
            format!("{path}.stage_id"),
            "elements of a focus model belong to no stage (use null)",
        ),
        (Some(stage_id), true) if !stage_ids.contains(stage_id.as_str()) => check.fail(
            format!("{path}.stage_id"),
            format!("unknown stage `{stage_id}`"),
        ),
        _ => {}
    }
    if element.role.is_some() && definition.kind.has_stages() {
        check.fail(format!("{path}.role"), "roles exist only in focus models");
    }
}

/// An element's actions: bank actions by id (each known, each once, dependencies first), or, in
/// 1.0.0 files, inline actions with ids unique in the model.
fn check_element_actions<'d>(
    check: &mut Checker,
    element: &'d ElementDefinition,
    path: &str,
    bank: &ActionBank,
    inline_ids: &mut HashSet<&'d str>,
) -> Vec<Action> {
    let mut resolved: Vec<Action> = Vec::with_capacity(element.actions.len());
    for (j, action) in element.actions.iter().enumerate() {
        match action {
            ElementActionDefinition::Bank(id) => {
                let path = format!("{path}.actions[{j}]");
                let Some(found) = bank.get(id) else {
                    check.fail(
                        path,
                        format!("unknown action `{id}`: it is not in the action bank"),
                    );
                    continue;
                };
                if resolved.iter().any(|earlier| &earlier.id == id) {
                    check.fail(path, format!("`{id}` is listed twice"));
                    continue;
                }
                if let Some(later) = element.actions[j + 1..].iter().find_map(|a| match a {
                    ElementActionDefinition::Bank(later) if bank.depends_on(id, later) => {
                        Some(later)
                    }
                    _ => None,
                }) {
                    check.fail(
                        path,
                        format!("`{id}` depends on `{later}`, which is listed after it"),
                    );
                }
                resolved.push(found.clone());
            }
            ElementActionDefinition::Inline(inline) => {
                let id_path = format!("{path}.actions[{j}].id");
                check.id(&id_path, &inline.id);
                if !inline_ids.insert(inline.id.as_str()) {
                    check.fail(id_path, format!("duplicate action id `{}`", inline.id));
                }
                resolved.push(Action {
                    id: inline.id.clone(),
                    text: check.text(&format!("{path}.actions[{j}].text"), &inline.text),
                    provenance: Provenance::Unrecorded,
                    depends_on: Vec::new(),
                    position: None,
                    dependency_positions: Vec::new(),
                    establishes: None,
                    effort: None,
                    owner: None,
                    not_for: crate::domain::Sectors::NONE,
                });
            }
        }
    }
    resolved
}

fn build_element(
    check: &mut Checker,
    element: &ElementDefinition,
    path: &str,
    bank: &IndicatorBank,
    actions: Vec<Action>,
) -> Element {
    Element {
        id: element.id.clone(),
        name: check.text(&format!("{path}.name"), &element.name),
        description: check.text(&format!("{path}.description"), &element.description),
        stage_id: element.stage_id.clone(),
        role: element.role,
        orientation: element.orientation,
        indicators: element
            .indicators
            .iter()
            .map(|weighted| WeightedIndicator {
                indicator_id: weighted.indicator_id.clone(),
                weight: weighted.weight,
                // An unknown indicator is reported; its position then matches no answer.
                position: bank.position(&weighted.indicator_id).unwrap_or(usize::MAX),
                not_for: bank
                    .get(&weighted.indicator_id)
                    .map(|i| i.not_for)
                    .unwrap_or_default(),
            })
            .collect(),
        actions,
    }
}

/// A bank indicator shown with a stage (reported when unknown).
fn weighted(
    check: &mut Checker,
    path: &str,
    bank: &IndicatorBank,
    id: &str,
    weight: f64,
) -> WeightedIndicator {
    let indicator = bank.get(id);
    if indicator.is_none() {
        check.fail(
            path,
            format!("unknown indicator `{id}`: it is not in the indicator bank"),
        );
    }
    WeightedIndicator {
        indicator_id: id.to_owned(),
        weight,
        position: bank.position(id).unwrap_or(usize::MAX),
        not_for: indicator.map(|i| i.not_for).unwrap_or_default(),
    }
}

/// A stage may require only elements of its own or a lower stage, and must require every element
/// that belongs to it: otherwise gating would silently ignore that element.
fn check_stage_requirements(check: &mut Checker, definition: &ModelDefinition) {
    let order_of: HashMap<&str, u32> = definition
        .stages
        .iter()
        .map(|stage| (stage.id.as_str(), stage.order))
        .collect();
    // A duplicated element id is reported once, where it is defined; later uses resolve to the
    // first definition so that the duplicate does not cascade into further errors.
    let mut stage_of: HashMap<&str, &str> = HashMap::new();
    for element in &definition.elements {
        if let Some(stage_id) = element.stage_id.as_deref() {
            stage_of.entry(element.id.as_str()).or_insert(stage_id);
        }
    }
    for (i, stage) in definition.stages.iter().enumerate() {
        let mut seen = HashSet::new();
        for (j, required) in stage.required_elements.iter().enumerate() {
            let path = format!("stages[{i}].required_elements[{j}]");
            if !seen.insert(required.as_str()) {
                check.fail(path.clone(), format!("`{required}` is listed twice"));
            }
            let Some(owner) = stage_of.get(required.as_str()) else {
                if !definition.elements.iter().any(|e| &e.id == required) {
                    check.fail(path, format!("unknown element `{required}`"));
                }
                continue;
            };
            let owner_order = order_of.get(owner).copied().unwrap_or(0);
            if owner_order > stage.order {
                check.fail(
                    path,
                    format!(
                        "stage `{}` (order {}) requires `{required}`, which belongs to the higher stage `{owner}` (order {owner_order})",
                        stage.id, stage.order
                    ),
                );
            }
        }
        check_stage_owns_its_elements(check, definition, i, stage);
    }
}

fn check_stage_owns_its_elements(
    check: &mut Checker,
    definition: &ModelDefinition,
    index: usize,
    stage: &StageDefinition,
) {
    for element in &definition.elements {
        let belongs = element.stage_id.as_deref() == Some(stage.id.as_str());
        if belongs && !stage.required_elements.contains(&element.id) {
            check.fail(
                format!("stages[{index}].required_elements"),
                format!(
                    "element `{}` belongs to stage `{}` but is not among its required elements",
                    element.id, stage.id
                ),
            );
        }
    }
}
