//! Placements compared: inside-out work before the Learning Curve's Tactical stage (seed 002), and
//! two staged or layered models whose relative positions differ by half the scale or more.

use std::borrow::Cow;

use super::{CrossInsight, CrossInsightCode, ElementRef, element_ref, indicators_of};
use crate::domain::Orientation;
use crate::domain::scoring::{EPSILON, ModelResult};

const PYRAMID: &str = "social-media-pyramid";
const LEARNING_CURVE: &str = "strategy-learning-curve";
const TACTICAL_ORDER: u32 = 2;
/// Relative positions this far apart make placements diverge.
const DIVERGENCE: f64 = 0.5;

pub(super) fn inside_out_before_tactical<'m>(
    results: &[ModelResult<'m>],
) -> Option<CrossInsight<'m>> {
    let pyramid = results.iter().find(|r| r.model.id == PYRAMID)?;
    let curve = results.iter().find(|r| r.model.id == LEARNING_CURVE)?;
    if curve.stage.is_some_and(|s| s.order >= TACTICAL_ORDER) {
        return None;
    }
    let ahead: Vec<ElementRef<'m>> = pyramid
        .elements
        .iter()
        .filter(|e| e.in_place && e.element.orientation == Some(Orientation::InsideOut))
        .map(|e| element_ref(pyramid.model, e))
        .collect();
    if ahead.is_empty() {
        return None;
    }
    let behind = blocking_next(curve);
    Some(CrossInsight {
        code: CrossInsightCode::InsideOutBeforeTactical,
        model_ids: vec![Cow::Borrowed(PYRAMID), Cow::Borrowed(LEARNING_CURVE)],
        indicator_ids: indicators_of(results, &behind),
        ahead,
        behind,
    })
}

/// One insight per pair of placed models far apart: the model ahead with the elements of its
/// reached stage, the model behind with what blocks its next stage.
pub(super) fn diverging<'m>(results: &[ModelResult<'m>]) -> Vec<CrossInsight<'m>> {
    let placed: Vec<(&ModelResult<'m>, f64)> = results
        .iter()
        .filter_map(|r| Some((r, position(r)?)))
        .collect();
    let mut insights = Vec::new();
    for (i, (a, position_a)) in placed.iter().enumerate() {
        for (b, position_b) in &placed[i + 1..] {
            let ((high, top), (low, bottom)) = if position_a >= position_b {
                ((a, position_a), (b, position_b))
            } else {
                ((b, position_b), (a, position_a))
            };
            if top - bottom + EPSILON < DIVERGENCE {
                continue;
            }
            let behind = blocking_next(low);
            insights.push(CrossInsight {
                code: CrossInsightCode::DivergingPlacements,
                model_ids: vec![Cow::Borrowed(&high.model.id), Cow::Borrowed(&low.model.id)],
                indicator_ids: indicators_of(results, &behind),
                ahead: reached_elements(high),
                behind,
            });
        }
    }
    insights
}

/// Where a staged or layered model places the organisation, 0–1: stage order ÷ number of stages
/// (0 below the first). An ambition model counts only with a target, as order ÷ target order:
/// how far to go is the organisation's choice. `None` where there is no position to compare.
pub fn position(result: &ModelResult<'_>) -> Option<f64> {
    if !result.model.kind.has_stages() || result.model.stages.is_empty() {
        return None;
    }
    let order = result.stage.map_or(0.0, |s| f64::from(s.order));
    if result.model.ambition {
        let target = result.target?;
        return Some((order / f64::from(target.order)).min(1.0));
    }
    Some(order / result.model.stages.len() as f64)
}

/// The required elements of the model's next stage that are not in place.
pub(super) fn blocking_next<'m>(result: &ModelResult<'m>) -> Vec<ElementRef<'m>> {
    let reached = result.stage.map_or(0, |s| s.order as usize);
    result
        .stages
        .get(reached)
        .map(|next| {
            next.blocking
                .iter()
                .map(|id| ElementRef {
                    model_id: Cow::Borrowed(&result.model.id),
                    element_id: Cow::Borrowed(*id),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The required elements of the highest stage reached.
fn reached_elements<'m>(result: &ModelResult<'m>) -> Vec<ElementRef<'m>> {
    let Some(stage) = result.stage else {
        return Vec::new();
    };
    stage
        .required_elements
        .iter()
        .map(|id| ElementRef {
            model_id: Cow::Borrowed(&result.model.id),
            element_id: Cow::Borrowed(id.as_str()),
        })
        .collect()
}
