//! The scoring engine: places an organisation on a model from its (aggregated) answers, exactly as
//! DOMAIN.md's scoring contract states, and explains the placement. Pure: no I/O, no clock.

mod action_state;
pub mod answers;
pub mod cross_model;
mod insights;
pub mod outcome;
mod placement;
mod recommendations;
pub mod result;
pub mod roadmap;

#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod property_tests;

use std::borrow::Cow;

use crate::domain::{Element, ElementRole, Model, Sector, Stage};
pub use action_state::Evidence;
pub use answers::{AnswerSet, AnswerValue, IndicatorAnswers, RespondentAnswers};
pub use outcome::{
    ContributionOutcome, ElementOutcome, ModelOutcome, RecommendationOutcome, StageOutcome,
};
pub use result::{
    Caller, Contribution, ElementResult, Id, IndicatorSpread, Insight, InsightCode, ModelResult,
    Profile, Recommendation, RecommendationKind, ShortList, StageResult,
};

/// Scores within this distance below the threshold still count as in place: means of answers
/// such as 5/3 are not exact in binary floating point. The one tolerance of every comparison.
pub(crate) const EPSILON: f64 = 1e-9;

/// In-place elements scoring below this ("mostly") are worth strengthening.
const STRENGTHEN_BELOW: f64 = 0.75;

/// How many strengthening actions' elements one model recommends at most.
const MAX_STRENGTHEN: usize = 3;

/// An ambition that cannot apply to the model.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("model `{model}` has no stage `{stage}`")]
    UnknownStage { model: String, stage: String },
    #[error("model `{model}` is a focus model: it has no stages to target")]
    TargetOnFocusModel { model: String },
    #[error("model `{model}` has no element `{element}`")]
    UnknownElement { model: String, element: String },
    #[error("model `{model}` has stages: choose a target stage rather than a focus")]
    FocusOnStagedModel { model: String },
}

/// What an organisation aims for on one model: a target stage (staged and layered models) or the
/// elements it pursues (focus models; POST's *Objectives*); and the sector it works in, which
/// leaves out the practices that do not fit it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Ambition<'a> {
    pub target: Option<&'a str>,
    pub focus: Option<&'a [String]>,
    pub sector: Option<Sector>,
}

impl<'a> Ambition<'a> {
    pub fn target(stage_id: Option<&'a str>) -> Ambition<'a> {
        Ambition {
            target: stage_id,
            ..Ambition::default()
        }
    }
}

/// Places the answers on `model`, with the organisation's ambition for it.
pub fn score_model<'m>(
    model: &'m Model,
    answers: &AnswerSet,
    ambition: Ambition<'_>,
) -> Result<ModelResult<'m>, ScoringError> {
    let target = resolve_target(model, ambition.target)?;
    let focus = resolve_focus(model, ambition.focus)?;
    let states = action_state::States::of(model, answers, ambition.sector);
    let elements: Vec<ElementResult<'m>> = model
        .elements
        .iter()
        .map(|element| score_element(model, element, answers, ambition.sector, &states))
        .collect();
    let placement = placement::place(model, &elements);
    let percent_to_target = target.map(|t| {
        if placement.reached >= t.order as usize {
            1.0
        } else {
            placement::percent_to_target(model, &elements, t)
        }
    });
    let profile = (!model.kind.has_stages()).then(|| profile(&elements));
    let recommendations = recommendations::recommend(
        model,
        &elements,
        &recommendations::Situation {
            reached: placement.reached,
            target,
            focus: focus.as_deref(),
            states: &states,
        },
    );
    let insights = insights::observe(model, &elements, &placement, target, profile.as_ref());
    Ok(ModelResult {
        model,
        stage: placement
            .reached
            .checked_sub(1)
            .and_then(|i| model.stages.get(i)),
        progress_to_next: placement.progress,
        coverage: coverage(&elements),
        target,
        focus,
        percent_to_target,
        elements,
        stages: placement.stages,
        profile,
        insights,
        recommendations,
        spread: spread(model, answers, ambition.sector),
    })
}

fn resolve_target<'m>(
    model: &'m Model,
    target: Option<&str>,
) -> Result<Option<&'m Stage>, ScoringError> {
    let Some(stage_id) = target else {
        return Ok(None);
    };
    if !model.kind.has_stages() {
        return Err(ScoringError::TargetOnFocusModel {
            model: model.id.clone(),
        });
    }
    model
        .stage(stage_id)
        .map(Some)
        .ok_or_else(|| ScoringError::UnknownStage {
            model: model.id.clone(),
            stage: stage_id.to_owned(),
        })
}

fn resolve_focus<'m>(
    model: &'m Model,
    focus: Option<&[String]>,
) -> Result<Option<Vec<&'m Element>>, ScoringError> {
    let Some(ids) = focus else {
        return Ok(None);
    };
    if model.kind.has_stages() {
        return Err(ScoringError::FocusOnStagedModel {
            model: model.id.clone(),
        });
    }
    ids.iter()
        .map(|id| {
            model
                .element(id)
                .ok_or_else(|| ScoringError::UnknownElement {
                    model: model.id.clone(),
                    element: id.clone(),
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Weighted mean of the normalised answers of the element's answered indicators; an indicator
/// that does not fit the sector is left out, not counted as unknown.
fn score_element<'m>(
    model: &'m Model,
    element: &'m Element,
    answers: &AnswerSet,
    sector: Option<Sector>,
    states: &action_state::States<'_>,
) -> ElementResult<'m> {
    let (mut weighted, mut answered_weight, mut total_weight) = (0.0, 0.0, 0.0);
    let contributions = element
        .indicators
        .iter()
        .filter(|indicator| !indicator.not_for.excludes(sector))
        .map(|indicator| {
            let value = answers.mean_at(indicator.position);
            total_weight += indicator.weight;
            if let Some(value) = value {
                weighted += indicator.weight * value / f64::from(AnswerValue::MAX);
                answered_weight += indicator.weight;
            }
            Contribution {
                indicator_id: &indicator.indicator_id,
                value,
                weight: indicator.weight,
            }
        })
        .collect();
    let score = (answered_weight > 0.0).then(|| weighted / answered_weight);
    ElementResult {
        element,
        score,
        in_place: score.is_some_and(|s| s + EPSILON >= model.threshold),
        coverage: if total_weight > 0.0 {
            answered_weight / total_weight
        } else {
            0.0
        },
        contributions,
        done_action_ids: element
            .actions
            .iter()
            .filter(|action| states.get(action) == action_state::ActionState::Done)
            .map(|action| action.id.as_str())
            .collect(),
    }
}

/// Answered indicator weight over all indicator weight of the model.
fn coverage(elements: &[ElementResult<'_>]) -> f64 {
    let (answered, total) =
        elements
            .iter()
            .flat_map(|e| &e.contributions)
            .fold((0.0, 0.0), |(answered, total), c| {
                (
                    answered + if c.value.is_some() { c.weight } else { 0.0 },
                    total + c.weight,
                )
            });
    if total > 0.0 { answered / total } else { 0.0 }
}

fn profile<'m>(elements: &[ElementResult<'m>]) -> Profile<'m> {
    Profile::of(elements.iter().map(|e| (e.element.id.as_str(), e.score)))
}

/// What respondents said about each indicator the model asks (companions included), except those
/// that do not fit the sector.
fn spread<'m>(
    model: &'m Model,
    answers: &AnswerSet,
    sector: Option<Sector>,
) -> Vec<IndicatorSpread<'m>> {
    let asked = model
        .asked_indicators()
        .filter(|weighted| !weighted.not_for.excludes(sector));
    let mut spread = Vec::with_capacity(model.weighted_indicators().count());
    spread.extend(asked.filter_map(|weighted| {
        let a = answers.at(weighted.position)?;
        Some(IndicatorSpread {
            indicator_id: Cow::Borrowed(weighted.indicator_id.as_str()),
            mean: a.mean,
            min: a.min,
            max: a.max,
            answered: a.answered,
            unknown: a.unknown,
            disagreement: a.disagreement(),
        })
    }));
    spread
}

fn is_foundation(element: &Element) -> bool {
    element.role == Some(ElementRole::Foundation)
}

/// An element's score for ordering advice: unknown counts as 0.
fn score_or_zero(element: &ElementResult<'_>) -> f64 {
    element.score.unwrap_or(0.0)
}
