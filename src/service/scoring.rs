//! Scoring answers on models and advising on them: stateless for `POST /v1/score`, and the step of
//! a submission. Advice is every model's outcome, one roadmap across the models and the insights
//! the models show together.

use std::collections::BTreeMap;

use super::Error;
use super::selection::{self, RawAnswer};
use crate::catalog::Catalog;
use crate::domain::scoring::cross_model::{self, CrossInsight};
use crate::domain::scoring::roadmap::{RoadmapEntry, RoadmapItem, roadmap};
use crate::domain::scoring::{Ambition, AnswerSet, ModelOutcome, ModelResult, score_model};
use crate::domain::{FieldError, Model};

/// The most respondents one stateless scoring may aggregate.
pub const MAX_RESPONDENTS: usize = 100;

/// Answers to score on chosen models, as sent.
#[derive(Clone, Debug, Default)]
pub struct ScoreRequest {
    pub model_ids: Vec<String>,
    pub targets: BTreeMap<String, String>,
    pub focus: BTreeMap<String, Vec<String>>,
    /// Leaves out the practices that do not fit the sector; none left out when unknown.
    pub sector: Option<String>,
    pub respondents: Vec<Vec<RawAnswer>>,
}

/// A model's outcome with the model version it was scored at, for rendering.
#[derive(Clone, Debug)]
pub struct Scored<'c> {
    pub model: &'c Model,
    pub outcome: ModelOutcome<'c>,
}

/// Where the organisation stands on every chosen model and what to do next.
#[derive(Clone, Debug)]
pub struct Advice<'c> {
    /// One per model, in the order chosen.
    pub models: Vec<Scored<'c>>,
    pub roadmap: Vec<RoadmapEntry<'c>>,
    pub insights: Vec<CrossInsight<'c>>,
}

impl<'c> Advice<'c> {
    /// Whether the roadmap was drawn up: it holds every model's recommendations, so an empty one
    /// beside some means the results were kept before roadmaps were.
    pub fn has_roadmap(&self) -> bool {
        !self.roadmap.is_empty()
            || self
                .models
                .iter()
                .all(|scored| scored.outcome.recommendations.is_empty())
    }

    /// The action a roadmap entry stands for, in the model version of one of its reasons.
    pub fn action(&self, entry: &RoadmapEntry<'_>) -> Option<&'c crate::domain::Action> {
        entry
            .reasons
            .iter()
            .find_map(|reason| self.model(&reason.model_id)?.action(&entry.action_id))
    }

    /// A chosen model, at the version scored.
    pub fn model(&self, id: &str) -> Option<&'c Model> {
        self.models
            .iter()
            .find(|s| s.model.id == id)
            .map(|s| s.model)
    }
}

/// Places the respondents' aggregated answers on the chosen models (latest versions), storing
/// nothing.
#[tracing::instrument(skip_all, fields(models = request.model_ids.len(), respondents = request.respondents.len()))]
pub fn score<'c>(catalog: &'c Catalog, request: &ScoreRequest) -> Result<Advice<'c>, Error> {
    let mut errors: Vec<FieldError> = Vec::new();
    let selected = selection::models(
        catalog,
        &request.model_ids,
        &request.targets,
        &request.focus,
        &mut errors,
    );
    let sector = selection::sector(request.sector.as_deref(), &mut errors);
    let needed = selection::accepted(catalog, selected.iter().map(|s| s.model));
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
                &mut errors,
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let answers = AnswerSet::aggregate(catalog.indicators(), &respondents);
    advise(
        catalog,
        selected.iter().map(|s| {
            let ambition = Ambition {
                target: s.target.as_deref(),
                focus: s.focus.as_deref(),
                sector,
            };
            (s.model, ambition)
        }),
        &answers,
    )
}

/// Scores every chosen model with its ambition (validated before) and plans across them.
pub(super) fn advise<'c, 'a>(
    catalog: &'c Catalog,
    chosen: impl Iterator<Item = (&'c Model, Ambition<'a>)>,
    answers: &AnswerSet,
) -> Result<Advice<'c>, Error> {
    let results: Vec<ModelResult<'c>> = chosen
        .map(|(model, ambition)| {
            score_model(model, answers, ambition).map_err(|error| {
                Error::Internal(anyhow::anyhow!("ambitions were validated: {error}"))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Advice {
        roadmap: roadmap(&results, catalog.actions())
            .iter()
            .map(RoadmapItem::entry)
            .collect(),
        insights: cross_model::observe(&results),
        models: results
            .iter()
            .map(|result| Scored {
                model: result.model,
                outcome: result.outcome(),
            })
            .collect(),
    })
}

/// Stored advice with the model versions it was scored at.
pub(super) fn resolve<'c>(
    catalog: &'c Catalog,
    outcomes: Vec<ModelOutcome<'c>>,
    roadmap: Vec<RoadmapEntry<'c>>,
    insights: Vec<CrossInsight<'c>>,
) -> Result<Advice<'c>, Error> {
    let models = outcomes
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
        .collect::<Result<_, Error>>()?;
    Ok(Advice {
        models,
        roadmap,
        insights,
    })
}
