//! Stage gating for staged and layered models: which stages are reached, what blocks the next
//! one, how far along it is, and how far the target is.

use super::{ElementResult, ShortList, StageResult};
use crate::domain::{Model, Stage};

pub(super) struct Placement<'m> {
    pub stages: Vec<StageResult<'m>>,
    /// How many stages, counted from the lowest, are reached.
    pub reached: usize,
    pub progress: Option<f64>,
}

/// A stage is reached when its required elements and those of every lower stage are in place.
pub(super) fn place<'m>(model: &'m Model, elements: &[ElementResult<'m>]) -> Placement<'m> {
    let mut first_blocked: Option<&'m Stage> = None;
    let stages: Vec<StageResult<'m>> = model
        .stages
        .iter()
        .map(|stage| {
            let (mut in_place, mut blocking) = (ShortList::new(), ShortList::new());
            for id in &stage.required_elements {
                if element(elements, id).is_some_and(|e| e.in_place) {
                    in_place.push(id.as_str());
                } else {
                    blocking.push(id.as_str());
                }
            }
            let blocked_below = first_blocked;
            if first_blocked.is_none() && !blocking.is_empty() {
                first_blocked = Some(stage);
            }
            StageResult {
                stage,
                reached: first_blocked.is_none(),
                in_place,
                blocking,
                blocked_below,
            }
        })
        .collect();
    let reached = stages.iter().take_while(|s| s.reached).count();
    let progress = model
        .stages
        .get(reached)
        .map(|next| mean_score(next, elements));
    Placement {
        stages,
        reached,
        progress,
    }
}

/// Mean score of a stage's required elements, an unanswered one counting as 0; 1 when it
/// requires nothing.
fn mean_score(stage: &Stage, elements: &[ElementResult<'_>]) -> f64 {
    if stage.required_elements.is_empty() {
        return 1.0;
    }
    let total: f64 = stage
        .required_elements
        .iter()
        .map(|id| score(elements, id))
        .sum();
    total / stage.required_elements.len() as f64
}

/// 1 − Σ max(0, threshold − score) / Σ threshold over the elements required up to the target
/// stage; an unanswered element scores 0, and a surplus on one element never offsets a gap on
/// another.
pub(super) fn percent_to_target(
    model: &Model,
    elements: &[ElementResult<'_>],
    target: &Stage,
) -> f64 {
    let required: Vec<&str> = model
        .stages
        .iter()
        .filter(|s| s.order <= target.order)
        .flat_map(|s| s.required_elements.iter().map(String::as_str))
        .collect();
    if required.is_empty() {
        return 1.0;
    }
    let threshold = model.threshold;
    let gaps: f64 = required
        .iter()
        .map(|id| (threshold - score(elements, id)).max(0.0))
        .sum();
    (1.0 - gaps / (threshold * required.len() as f64)).clamp(0.0, 1.0)
}

/// The element result for an element id; validation makes stages require only the model's own
/// elements, so `None` never happens for a validated model.
fn element<'a, 'm>(elements: &'a [ElementResult<'m>], id: &str) -> Option<&'a ElementResult<'m>> {
    elements.iter().find(|e| e.element.id == id)
}

/// An element's score, an unanswered (or unknown) one counting as 0.
fn score(elements: &[ElementResult<'_>], id: &str) -> f64 {
    element(elements, id).and_then(|e| e.score).unwrap_or(0.0)
}
