//! What to do next, per model: for every element not in place on the path — the next stage, or
//! every stage up to the target; for a focus model its foundation and the pursued elements (or,
//! without a choice, the single weakest one) — lowest stage first, then lowest score, the
//! element's actions in dependency order, each action once. When nothing on the path is missing,
//! the in-place elements scoring below "mostly" are worth strengthening: a mature client still
//! gets advice.

use super::{
    ElementResult, MAX_STRENGTHEN, Recommendation, RecommendationKind, STRENGTHEN_BELOW, ShortList,
    is_foundation, score_or_zero,
};
use crate::domain::{Element, Model, Stage};

type Step<'a, 'm> = (Option<&'m Stage>, &'a ElementResult<'m>, RecommendationKind);

/// The elements to act on, in order; short in every model.
type Path<'a, 'm> = ShortList<Step<'a, 'm>>;

pub(super) fn recommend<'m>(
    model: &'m Model,
    elements: &[ElementResult<'m>],
    reached: usize,
    target: Option<&'m Stage>,
    focus: Option<&[&'m Element]>,
) -> Vec<Recommendation<'m>> {
    let mut path: Path<'_, 'm> = if model.kind.has_stages() {
        staged_path(model, elements, reached, target)
    } else {
        focus_path(elements, focus)
    };
    if path.is_empty() {
        path = strengthen(model, elements);
    }
    let actions = path.iter().map(|(_, e, _)| e.element.actions.len()).sum();
    let mut recommendations: Vec<Recommendation<'m>> = Vec::with_capacity(actions);
    for (stage, element, kind) in path {
        for action in &element.element.actions {
            if recommendations.iter().any(|r| r.action.id == action.id) {
                continue;
            }
            recommendations.push(Recommendation {
                rank: 0,
                kind,
                stage,
                element: element.element,
                action,
            });
        }
    }
    for (recommendation, rank) in recommendations.iter_mut().zip(1..) {
        recommendation.rank = rank;
    }
    recommendations
}

/// The elements missing from the next stage up to the target (or the next stage only).
fn staged_path<'a, 'm>(
    model: &'m Model,
    elements: &'a [ElementResult<'m>],
    reached: usize,
    target: Option<&'m Stage>,
) -> Path<'a, 'm> {
    // Stages are numbered from 1, so stage index `reached` is the next one.
    let last = target.map_or(reached + 1, |t| t.order as usize);
    let mut path = Path::new();
    for (index, stage) in model
        .stages
        .iter()
        .enumerate()
        .skip(reached)
        .take(last.saturating_sub(reached))
    {
        let kind = if index == reached {
            RecommendationKind::Next
        } else {
            RecommendationKind::TowardTarget
        };
        let mut missing: ShortList<&ElementResult<'m>> = elements
            .iter()
            .filter(|e| stage.required_elements.contains(&e.element.id) && !e.in_place)
            .collect();
        missing.sort_by(|a, b| score_or_zero(a).total_cmp(&score_or_zero(b)));
        path.extend(missing.into_iter().map(|e| (Some(stage), e, kind)));
    }
    path
}

/// The foundation when it is not in place, then the pursued elements not in place, weakest first;
/// without a choice, only the single weakest element (a scored one when there is one).
fn focus_path<'a, 'm>(
    elements: &'a [ElementResult<'m>],
    focus: Option<&[&'m Element]>,
) -> Path<'a, 'm> {
    let next = RecommendationKind::Next;
    let foundation = elements
        .iter()
        .find(|e| is_foundation(e.element) && !e.in_place);
    let mut path: Path<'a, 'm> = foundation.map(|e| (None, e, next)).into_iter().collect();
    let missing = |e: &&ElementResult<'m>| !e.in_place && !is_foundation(e.element);
    match focus {
        Some(chosen) => {
            let mut pursued: ShortList<&ElementResult<'m>> = elements
                .iter()
                .filter(missing)
                .filter(|e| chosen.iter().any(|c| c.id == e.element.id))
                .collect();
            pursued.sort_by(|a, b| score_or_zero(a).total_cmp(&score_or_zero(b)));
            path.extend(pursued.into_iter().map(|e| (None, e, next)));
        }
        None if foundation.is_none() => {
            let weakest = |scored: bool| {
                elements
                    .iter()
                    .filter(missing)
                    .filter(|e| e.score.is_some() == scored)
                    .min_by(|a, b| score_or_zero(a).total_cmp(&score_or_zero(b)))
            };
            if let Some(e) = weakest(true).or_else(|| weakest(false)) {
                path.push((None, e, next));
            }
        }
        None => {}
    }
    path
}

/// In-place elements below "mostly", weakest first, at most [`MAX_STRENGTHEN`].
fn strengthen<'a, 'm>(model: &'m Model, elements: &'a [ElementResult<'m>]) -> Path<'a, 'm> {
    let mut weak: Vec<&ElementResult<'m>> = elements
        .iter()
        .filter(|e| e.in_place && e.score.is_some_and(|s| s < STRENGTHEN_BELOW))
        .collect();
    weak.sort_by(|a, b| score_or_zero(a).total_cmp(&score_or_zero(b)));
    weak.into_iter()
        .take(MAX_STRENGTHEN)
        .map(|e| {
            let stage = e.element.stage_id.as_deref().and_then(|id| model.stage(id));
            (stage, e, RecommendationKind::Strengthen)
        })
        .collect()
}
