//! Scoring answers on models: stateless for `POST /v1/score`, and the step of a submission.

use std::collections::BTreeMap;

use super::Error;
use super::selection::{self, RawAnswer};
use crate::catalog::Catalog;
use crate::domain::scoring::{AnswerSet, ModelOutcome, score_model};
use crate::domain::{FieldError, Model};

/// The most respondents one stateless scoring may aggregate.
pub const MAX_RESPONDENTS: usize = 100;

/// Answers to score on chosen models, as sent.
#[derive(Clone, Debug, Default)]
pub struct ScoreRequest {
    pub model_ids: Vec<String>,
    pub targets: BTreeMap<String, String>,
    pub respondents: Vec<Vec<RawAnswer>>,
}

/// A model's outcome with the model version it was scored at, for rendering.
#[derive(Clone, Debug)]
pub struct Scored<'c> {
    pub model: &'c Model,
    pub outcome: ModelOutcome,
}

/// Places the respondents' aggregated answers on the chosen models (latest versions), storing
/// nothing.
#[tracing::instrument(skip_all, fields(models = request.model_ids.len(), respondents = request.respondents.len()))]
pub fn score<'c>(catalog: &'c Catalog, request: &ScoreRequest) -> Result<Vec<Scored<'c>>, Error> {
    let mut errors: Vec<FieldError> = Vec::new();
    let models = selection::models(catalog, &request.model_ids, &request.targets, &mut errors);
    let needed = selection::indicators(models.iter().map(|(model, _)| *model));
    if request.respondents.is_empty() || request.respondents.len() > MAX_RESPONDENTS {
        errors.push(FieldError::new(
            "respondents",
            format!("between 1 and {MAX_RESPONDENTS} respondents"),
        ));
    }
    let respondents: Vec<_> = request
        .respondents
        .iter()
        .take(MAX_RESPONDENTS)
        .enumerate()
        .map(|(i, answers)| {
            selection::answers(
                &format!("respondents[{i}].answers"),
                answers,
                &needed,
                catalog,
                &mut errors,
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let answers = AnswerSet::aggregate(&respondents);
    models
        .into_iter()
        .map(|(model, target)| place(model, &answers, target.as_deref()))
        .collect()
}

/// One model's outcome for aggregated answers; the target must have been validated.
pub(super) fn place<'c>(
    model: &'c Model,
    answers: &AnswerSet,
    target: Option<&str>,
) -> Result<Scored<'c>, Error> {
    let result = score_model(model, answers, target)
        .map_err(|error| Error::Internal(anyhow::anyhow!("targets were validated: {error}")))?;
    Ok(Scored {
        model,
        outcome: result.outcome(),
    })
}

/// Stored outcomes with the model versions they were scored at.
pub(super) fn resolve(
    catalog: &Catalog,
    outcomes: Vec<ModelOutcome>,
) -> Result<Vec<Scored<'_>>, Error> {
    outcomes
        .into_iter()
        .map(|outcome| {
            let model = catalog
                .version(&outcome.model_id, outcome.model_version)
                .ok_or_else(|| {
                    Error::Internal(anyhow::anyhow!(
                        "results were scored with {} {}, which this build does not have",
                        outcome.model_id,
                        outcome.model_version
                    ))
                })?;
            Ok(Scored { model, outcome })
        })
        .collect()
}
