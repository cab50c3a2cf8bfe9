//! A contested blocker: an element that blocks a model's next stage, or a focus model's
//! foundation that is not in place, rests on an indicator where respondents differ by two points
//! or more. The agency confirms it with the client before acting on it. One insight for the whole
//! set of models.

use std::borrow::Cow;

use super::{CrossInsight, CrossInsightCode, ElementRef, models_of};
use crate::domain::scoring::{Id, ModelResult};

pub(super) fn contested_blocker<'m>(results: &[ModelResult<'m>]) -> Option<CrossInsight<'m>> {
    let mut behind: Vec<ElementRef<'m>> = Vec::new();
    let mut indicator_ids: Vec<Id<'m>> = Vec::new();
    for result in results {
        for element in blockers(result) {
            let disputed: Vec<&'m str> = element
                .indicators
                .iter()
                .map(|w| w.indicator_id.as_str())
                .filter(|id| {
                    result
                        .spread
                        .iter()
                        .any(|s| s.disagreement && s.indicator_id == *id)
                })
                .collect();
            if disputed.is_empty() {
                continue;
            }
            behind.push(ElementRef {
                model_id: Cow::Borrowed(&result.model.id),
                element_id: Cow::Borrowed(&element.id),
            });
            for id in disputed {
                if !indicator_ids.iter().any(|known| known == id) {
                    indicator_ids.push(Cow::Borrowed(id));
                }
            }
        }
    }
    (!behind.is_empty()).then(|| CrossInsight {
        code: CrossInsightCode::ContestedBlocker,
        model_ids: models_of(&behind),
        ahead: Vec::new(),
        behind,
        indicator_ids,
    })
}

/// What blocks the model: its next stage's missing elements, or its foundation not in place.
fn blockers<'m>(result: &ModelResult<'m>) -> Vec<&'m crate::domain::Element> {
    if result.model.kind.has_stages() {
        let reached = result.stage.map_or(0, |s| s.order as usize);
        let Some(next) = result.stages.get(reached) else {
            return Vec::new();
        };
        next.blocking
            .iter()
            .filter_map(|id| result.model.element(id))
            .collect()
    } else {
        result
            .elements
            .iter()
            .filter(|e| e.element.is_foundation() && !e.in_place)
            .map(|e| e.element)
            .collect()
    }
}
