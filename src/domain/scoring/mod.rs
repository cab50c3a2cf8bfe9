//! The scoring engine: places an organisation on a model from its (aggregated) answers, exactly as
//! DOMAIN.md's scoring contract states, and explains the placement. Pure: no I/O, no clock.

pub mod answers;
mod insights;
pub mod outcome;
mod placement;
mod recommendations;
pub mod result;

#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod property_tests;

use crate::domain::{Element, ElementRole, Model, Stage};
pub use answers::{AnswerSet, AnswerValue, IndicatorAnswers, RespondentAnswers};
pub use outcome::{
    ContributionOutcome, ElementOutcome, ModelOutcome, RecommendationOutcome, StageOutcome,
};
pub use result::{
    Contribution, ElementResult, IndicatorSpread, Insight, InsightCode, ModelResult, Profile,
    Recommendation, StageResult,
};

/// Scores within this distance below the threshold still count as in place: means of answers
/// such as 5/3 are not exact in binary floating point.
const EPSILON: f64 = 1e-9;

/// A target that cannot apply to the model.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("model `{model}` has no stage `{stage}`")]
    UnknownStage { model: String, stage: String },
    #[error("model `{model}` is a focus model: it has no stages to target")]
    TargetOnFocusModel { model: String },
}

/// Places the answers on `model`, with an optional target stage (the ambition).
pub fn score_model<'m>(
    model: &'m Model,
    answers: &AnswerSet,
    target: Option<&str>,
) -> Result<ModelResult<'m>, ScoringError> {
    let target = resolve_target(model, target)?;
    let elements: Vec<ElementResult<'m>> = model
        .elements
        .iter()
        .map(|element| score_element(model, element, answers))
        .collect();
    let placement = placement::place(model, &elements);
    let percent_to_target = target.map(|t| placement::percent_to_target(model, &elements, t));
    let profile = (!model.kind.has_stages()).then(|| profile(&elements));
    let recommendations = recommendations::recommend(model, &elements, placement.reached, target);
    let insights = insights::observe(model, &elements, &placement, target, profile.as_ref());
    Ok(ModelResult {
        model,
        stage: placement.reached.checked_sub(1).map(|i| &model.stages[i]),
        progress_to_next: placement.progress,
        coverage: coverage(&elements),
        target,
        percent_to_target,
        elements,
        stages: placement.stages,
        profile,
        insights,
        recommendations,
        spread: spread(model, answers),
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

/// Weighted mean of the normalised answers of the element's answered indicators.
fn score_element<'m>(
    model: &'m Model,
    element: &'m Element,
    answers: &AnswerSet,
) -> ElementResult<'m> {
    let (mut weighted, mut answered_weight, mut total_weight) = (0.0, 0.0, 0.0);
    let contributions = element
        .indicators
        .iter()
        .map(|indicator| {
            let value = answers.mean(&indicator.indicator_id);
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

fn profile(elements: &[ElementResult<'_>]) -> Profile {
    let scored: Vec<(&str, f64)> = elements
        .iter()
        .filter_map(|e| Some((e.element.id.as_str(), e.score?)))
        .collect();
    let mean = (!scored.is_empty())
        .then(|| scored.iter().map(|(_, s)| s).sum::<f64>() / scored.len() as f64);
    let lowest = scored.iter().map(|(_, s)| *s).fold(f64::INFINITY, f64::min);
    let weakest = scored
        .iter()
        .filter(|(_, s)| *s <= lowest + EPSILON)
        .map(|(id, _)| (*id).to_owned())
        .collect();
    Profile { mean, weakest }
}

fn spread(model: &Model, answers: &AnswerSet) -> Vec<IndicatorSpread> {
    model
        .indicator_ids()
        .filter_map(|id| {
            let a = answers.get(id)?;
            Some(IndicatorSpread {
                indicator_id: id.to_owned(),
                mean: a.mean,
                min: a.min,
                max: a.max,
                answered: a.answered,
                disagreement: a.disagreement(),
            })
        })
        .collect()
}

fn is_foundation(element: &Element) -> bool {
    element.role == Some(ElementRole::Foundation)
}
