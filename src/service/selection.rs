//! Validation shared by everything that scores: which models, which targets, which answers.
//! Every problem is reported with its field path, all at once.

use std::collections::{BTreeMap, HashSet};

use crate::catalog::Catalog;
use crate::domain::FieldError;
use crate::domain::scoring::{AnswerValue, RespondentAnswers};
use crate::domain::{Model, Sector};

/// The most answers one respondent may send in one request: the bank is smaller than this.
pub const MAX_ANSWERS: usize = 200;

/// One answer as sent, not yet checked: an indicator and a value that should be on the 0–4
/// scale, or `None` for "don't know / not applicable".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawAnswer {
    pub indicator_id: String,
    pub value: Option<i64>,
}

/// A chosen model at its latest version, with the organisation's ambition for it.
#[derive(Clone, Debug)]
pub struct Selected<'c> {
    pub model: &'c Model,
    /// Staged and layered models: the target stage.
    pub target: Option<String>,
    /// Focus models: the elements pursued.
    pub focus: Option<Vec<String>>,
}

/// The chosen models, latest versions, in the order given, each with its target stage (staged and
/// layered models) or pursued elements (focus models).
pub fn models<'c>(
    catalog: &'c Catalog,
    model_ids: &[String],
    targets: &BTreeMap<String, String>,
    focus: &BTreeMap<String, Vec<String>>,
    errors: &mut Vec<FieldError>,
) -> Vec<Selected<'c>> {
    if model_ids.is_empty() {
        errors.push(FieldError::new("model_ids", "choose at least one model"));
    }
    let mut seen = HashSet::new();
    let mut chosen = Vec::new();
    for (i, id) in model_ids.iter().enumerate() {
        let field = format!("model_ids[{i}]");
        if !seen.insert(id.as_str()) {
            errors.push(FieldError::new(field, format!("`{id}` is chosen twice")));
            continue;
        }
        match catalog.latest(id) {
            Some(model) => chosen.push(Selected {
                model,
                target: targets.get(id).cloned(),
                focus: focus.get(id).cloned(),
            }),
            None => errors.push(FieldError::new(field, format!("there is no model `{id}`"))),
        }
    }
    for (model_id, stage_id) in targets {
        let field = format!("targets.{model_id}");
        match catalog.latest(model_id) {
            _ if !seen.contains(model_id.as_str()) => errors.push(FieldError::new(
                field,
                "a target needs its model among model_ids",
            )),
            Some(model) if !model.kind.has_stages() => errors.push(FieldError::new(
                field,
                format!("`{model_id}` is a focus model: it has no stages to target"),
            )),
            Some(model) if model.stage(stage_id).is_none() => errors.push(FieldError::new(
                field,
                format!("`{model_id}` has no stage `{stage_id}`"),
            )),
            _ => {}
        }
    }
    check_focus(catalog, &seen, focus, errors);
    chosen
}

/// Each pursued element must be an element of a chosen focus model, listed once.
fn check_focus(
    catalog: &Catalog,
    chosen: &HashSet<&str>,
    focus: &BTreeMap<String, Vec<String>>,
    errors: &mut Vec<FieldError>,
) {
    for (model_id, element_ids) in focus {
        let field = format!("focus.{model_id}");
        let model = match catalog.latest(model_id) {
            _ if !chosen.contains(model_id.as_str()) => {
                errors.push(FieldError::new(
                    field,
                    "a focus needs its model among model_ids",
                ));
                continue;
            }
            Some(model) if model.kind.has_stages() => {
                errors.push(FieldError::new(
                    field,
                    format!("`{model_id}` has stages: choose a target stage instead"),
                ));
                continue;
            }
            Some(model) => model,
            None => continue,
        };
        if element_ids.is_empty() {
            errors.push(FieldError::new(
                field.clone(),
                "choose at least one element, or leave the model out of focus",
            ));
        }
        let mut seen = HashSet::new();
        for (i, element_id) in element_ids.iter().enumerate() {
            let field = format!("{field}[{i}]");
            if model.element(element_id).is_none() {
                errors.push(FieldError::new(
                    field,
                    format!("`{model_id}` has no element `{element_id}`"),
                ));
            } else if !seen.insert(element_id.as_str()) {
                errors.push(FieldError::new(
                    field,
                    format!("`{element_id}` is chosen twice"),
                ));
            }
        }
    }
}

/// The indicators answers are taken for: every one the bank serves (an answer counts for the
/// actions that establish it even where no chosen model's element asks it), and the retired ones
/// that the chosen model versions still ask.
pub struct Accepted<'c> {
    catalog: &'c Catalog,
    /// Usually none: only models pinned to an older version still ask a retired indicator.
    retired_asked: Vec<&'c str>,
}

impl Accepted<'_> {
    /// `Err` says why an answer to `id` is refused.
    fn check(&self, id: &str) -> Result<(), String> {
        match self.catalog.indicators().get(id) {
            None => Err(format!("there is no indicator `{id}`")),
            Some(indicator) if indicator.retired && !self.retired_asked.contains(&id) => Err(
                format!("`{id}` is retired: the chosen model versions do not ask it"),
            ),
            Some(_) => Ok(()),
        }
    }
}

pub fn accepted<'c>(
    catalog: &'c Catalog,
    models: impl IntoIterator<Item = &'c Model>,
) -> Accepted<'c> {
    let mut retired_asked: Vec<&str> = models
        .into_iter()
        .flat_map(Model::indicator_ids)
        .filter(|id| catalog.indicators().get(id).is_some_and(|i| i.retired))
        .collect();
    retired_asked.sort_unstable();
    retired_asked.dedup();
    Accepted {
        catalog,
        retired_asked,
    }
}

/// The indicators the chosen models ask: their questionnaire.
pub fn asked<'c>(models: impl IntoIterator<Item = &'c Model>) -> HashSet<&'c str> {
    models.into_iter().flat_map(Model::indicator_ids).collect()
}

/// The sector, when one is given.
pub fn sector(sector: Option<&str>, errors: &mut Vec<FieldError>) -> Option<Sector> {
    sector?
        .parse()
        .map_err(|message: String| errors.push(FieldError::new("sector", message)))
        .ok()
}

/// One respondent's answers, each for an indicator the models ask about, each at most once.
pub fn answers(
    path: &str,
    answers: &[RawAnswer],
    accepted: &Accepted<'_>,
    errors: &mut Vec<FieldError>,
) -> RespondentAnswers {
    if answers.len() > MAX_ANSWERS {
        errors.push(FieldError::new(
            path,
            format!("at most {MAX_ANSWERS} answers per request"),
        ));
        return RespondentAnswers::new();
    }
    let mut valid = RespondentAnswers::new();
    // Field paths are written only for answers that fail: most requests have none.
    let field = |i: usize, name: &str| format!("{path}[{i}].{name}");
    for (i, answer) in answers.iter().enumerate() {
        let id = &answer.indicator_id;
        if let Err(message) = accepted.check(id) {
            errors.push(FieldError::new(field(i, "indicator_id"), message));
            continue;
        }
        let value = match answer.value {
            None => None,
            Some(v) => match AnswerValue::new(v) {
                Some(value) => Some(value),
                None => {
                    errors.push(FieldError::new(
                        field(i, "value"),
                        "must be 0 to 4, or null for don't know",
                    ));
                    continue;
                }
            },
        };
        if valid.insert(id.clone(), value).is_some() {
            errors.push(FieldError::new(
                field(i, "indicator_id"),
                format!("`{id}` is answered twice"),
            ));
        }
    }
    valid
}
