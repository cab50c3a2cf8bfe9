//! What to do next: for every element not in place on the path to the target (or to the next
//! stage without one), lowest stage first, then lowest score, the model's actions for it.

use super::{ElementResult, Recommendation, is_foundation};
use crate::domain::{Model, Stage};

pub(super) fn recommend<'m>(
    model: &'m Model,
    elements: &[ElementResult<'m>],
    reached: usize,
    target: Option<&'m Stage>,
) -> Vec<Recommendation<'m>> {
    let mut path: Vec<(Option<&'m Stage>, &ElementResult<'m>)> = Vec::new();
    if model.kind.has_stages() {
        // Stages are numbered from 1, so stage index `reached` is the next one.
        let last = target.map_or(reached + 1, |t| t.order as usize);
        for stage in model
            .stages
            .iter()
            .skip(reached)
            .take(last.saturating_sub(reached))
        {
            let mut missing: Vec<&ElementResult<'m>> = elements
                .iter()
                .filter(|e| stage.required_elements.contains(&e.element.id) && !e.in_place)
                .collect();
            missing.sort_by(|a, b| a.score.unwrap_or(0.0).total_cmp(&b.score.unwrap_or(0.0)));
            path.extend(missing.into_iter().map(|e| (Some(stage), e)));
        }
    } else {
        // A focus model's foundation comes first: every other element rests on it.
        let mut missing: Vec<&ElementResult<'m>> =
            elements.iter().filter(|e| !e.in_place).collect();
        missing.sort_by(|a, b| {
            is_foundation(b.element)
                .cmp(&is_foundation(a.element))
                .then(a.score.unwrap_or(0.0).total_cmp(&b.score.unwrap_or(0.0)))
        });
        path.extend(missing.into_iter().map(|e| (None, e)));
    }
    path.into_iter()
        .flat_map(|(stage, e)| {
            e.element
                .actions
                .iter()
                .map(move |action| (stage, e.element, action))
        })
        .zip(1..)
        .map(|((stage, element, action), rank)| Recommendation {
            rank,
            stage,
            element,
            action,
        })
        .collect()
}
