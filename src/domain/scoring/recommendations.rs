//! What to do next, per model (DOMAIN.md, "Recommendations"): for every element not in place on
//! the path — the next stage, or every stage up to the target; for an ambition model without a
//! target, Observe and the layers skipped below what the organisation does, with the layer above
//! as an option; for a focus model its foundation and the chosen elements, or without a choice
//! the choice itself (Groundswell) or the two weakest petals (the Rose) — lowest stage first,
//! then lowest score, the element's actions that are not done, each after the not-done actions it
//! depends on (pulled in as prerequisites), each action once. When nothing on the path is
//! missing, the in-place elements scoring below "mostly" are worth strengthening: a mature client
//! still gets advice.

use super::action_state::{ActionState, States};
use super::{
    Caller, ElementResult, Evidence, MAX_STRENGTHEN, Recommendation, RecommendationKind,
    STRENGTHEN_BELOW, ShortList, is_foundation, score_or_zero,
};
use crate::domain::{Action, Element, Model, Stage};

/// How many petals a focus model without a chosen focus and without a choice to make advises.
const WEAKEST_WITHOUT_CHOICE: usize = 2;

/// An element to act on, and why; `only` narrows it to one action (the choice of a focus).
struct Step<'a, 'm> {
    stage: Option<&'m Stage>,
    element: &'a ElementResult<'m>,
    kind: RecommendationKind,
    only: Option<&'m Action>,
}

type Path<'a, 'm> = ShortList<Step<'a, 'm>>;

/// What the organisation is and aims for on the model, as advice needs it.
pub(super) struct Situation<'s, 'm> {
    pub reached: usize,
    pub target: Option<&'m Stage>,
    pub focus: Option<&'s [&'m Element]>,
    pub states: &'s States<'s>,
}

pub(super) fn recommend<'m>(
    model: &'m Model,
    elements: &[ElementResult<'m>],
    situation: &Situation<'_, 'm>,
) -> Vec<Recommendation<'m>> {
    let mut path: Path<'_, 'm> = if !model.kind.has_stages() {
        focus_path(model, elements, situation.focus)
    } else if model.ambition && situation.target.is_none() {
        ambition_path(model, elements, situation.reached)
    } else {
        staged_path(model, elements, situation.reached, situation.target)
    };
    let missing = path.iter().any(|step| {
        matches!(
            step.kind,
            RecommendationKind::Next | RecommendationKind::TowardTarget
        )
    });
    if !missing {
        path.extend(strengthen(model, elements, situation.focus));
    }
    let mut planner = Planner {
        model,
        situation,
        recommendations: Vec::with_capacity(path.len() * 2),
        listed_at: vec![None; model.action_slots.len()],
    };
    for step in &path {
        let actions = step.only.map_or(
            step.element.element.actions.as_slice(),
            std::slice::from_ref,
        );
        for (listed, action) in actions.iter().enumerate() {
            match planner.state(action) {
                ActionState::Done | ActionState::Unfit => {}
                ActionState::Open(Evidence::Unmeasured)
                    if !unmeasured_allowed(model, step, action, situation.target) => {}
                ActionState::Open(evidence) => {
                    planner.add(action, evidence, step, step.kind, listed, None);
                }
            }
        }
    }
    let mut recommendations = planner.recommendations;
    for (recommendation, rank) in recommendations.iter_mut().zip(1..) {
        recommendation.rank = rank;
    }
    recommendations
}

struct Planner<'s, 'm> {
    model: &'m Model,
    situation: &'s Situation<'s, 'm>,
    recommendations: Vec<Recommendation<'m>>,
    /// Per bank position, where the action is among `recommendations`.
    listed_at: Vec<Option<usize>>,
}

impl<'m> Planner<'_, 'm> {
    fn state(&self, action: &Action) -> ActionState {
        self.situation.states.get(action)
    }

    /// Adds `action` after the not-done actions it depends on, which join as prerequisites with
    /// the reasons of what they unblock; an action already listed takes the new reason, and so do
    /// its own prerequisites, all the way down.
    fn add(
        &mut self,
        action: &'m Action,
        evidence: Evidence,
        step: &Step<'_, 'm>,
        kind: RecommendationKind,
        listed: usize,
        unblocks: Option<&'m str>,
    ) {
        let known = match action.position {
            Some(position) => self.listed_at.get(position).copied().flatten(),
            None => self
                .recommendations
                .iter()
                .position(|r| r.action.id == action.id),
        };
        if let Some(known) = known.map(|i| &mut self.recommendations[i]) {
            let caller = Caller {
                stage: step.stage,
                element: step.element.element,
                kind,
                listed,
            };
            let new_reason = call_again(known, caller);
            if let Some(id) = unblocks.filter(|id| !known.unblocks.contains(id)) {
                known.unblocks.push(id);
            }
            if new_reason {
                let pulled = Caller {
                    kind: RecommendationKind::Prerequisite,
                    ..caller
                };
                self.pass_down(action, pulled);
            }
            return;
        }
        self.pull_in(action, step, listed);
        if let Some(slot) = action.position.and_then(|p| self.listed_at.get_mut(p)) {
            *slot = Some(self.recommendations.len());
        }
        self.recommendations.push(Recommendation {
            rank: 0,
            kind,
            stage: step.stage,
            element: step.element.element,
            action,
            evidence,
            unblocks: unblocks.into_iter().collect(),
            listed,
            also: smallvec::SmallVec::new(),
        });
    }

    /// A new reason of a listed action reaches its prerequisites, which are listed already (they
    /// joined with it): no state to work out, only the reasons to extend.
    fn pass_down(&mut self, action: &'m Action, caller: Caller<'m>) {
        for &position in &action.dependency_positions {
            let Some(index) = self.listed_at.get(position).copied().flatten() else {
                continue;
            };
            let required = &mut self.recommendations[index];
            let dependency = required.action;
            if call_again(required, caller) {
                self.pass_down(dependency, caller);
            }
        }
    }

    /// The not-done actions `action` depends on join (or take `step` as a further reason).
    fn pull_in(&mut self, action: &'m Action, step: &Step<'_, 'm>, listed: usize) {
        let model = self.model;
        let dependencies = action
            .dependency_positions
            .iter()
            .filter_map(|&position| model.action_at(position));
        for required in dependencies {
            // Done work needs no step; a choice or a means is advised only where its rule says.
            if let ActionState::Open(evidence @ (Evidence::Missing | Evidence::Unknown)) =
                self.state(required)
            {
                let prerequisite = RecommendationKind::Prerequisite;
                self.add(
                    required,
                    evidence,
                    step,
                    prerequisite,
                    listed,
                    Some(&action.id),
                );
            }
        }
    }
}

/// Records another element's call for an already recommended action, so that no reason is lost.
/// An element that lists the action itself takes the lead over one it was pulled in for as a
/// prerequisite: the step is shown under its own element.
/// Whether the caller was a new reason.
fn call_again<'m>(known: &mut Recommendation<'m>, caller: Caller<'m>) -> bool {
    known.kind = known.kind.min(caller.kind);
    if std::ptr::eq(known.element, caller.element) {
        known.listed = known.listed.min(caller.listed);
        return false;
    }
    if known
        .also
        .iter()
        .any(|c| std::ptr::eq(c.element, caller.element))
    {
        return false;
    }
    let action = known.action;
    let same = |a: &Action| match (a.position, action.position) {
        (Some(a), Some(b)) => a == b,
        _ => a.id == action.id,
    };
    let lists = |element: &Element| element.actions.iter().any(same);
    if !lists(known.element) && lists(caller.element) {
        let pulled_for = Caller {
            stage: known.stage,
            element: known.element,
            kind: RecommendationKind::Prerequisite,
            listed: known.listed,
        };
        known.stage = caller.stage;
        known.element = caller.element;
        known.listed = caller.listed;
        known.also.push(pulled_for);
    } else {
        known.also.push(caller);
    }
    true
}

/// A choice is advised where its rule says (the focus choice while none is made); a means that
/// no answer can show done (level-5 leadership) only toward a target that includes its stage.
fn unmeasured_allowed(
    model: &Model,
    step: &Step<'_, '_>,
    action: &Action,
    target: Option<&Stage>,
) -> bool {
    if model
        .focus_choice_action
        .as_ref()
        .is_some_and(|choice| choice.id == action.id)
    {
        return step.only.is_some();
    }
    matches!((step.stage, target), (Some(stage), Some(target)) if stage.order <= target.order)
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
    for index in reached..last.min(model.stages.len()) {
        let kind = if index == reached {
            RecommendationKind::Next
        } else {
            RecommendationKind::TowardTarget
        };
        path.extend(missing_in(model, elements, index, kind));
    }
    path
}

/// An ambition model without a target: Observe when it is not reached and every layer below the
/// highest one whose element is in place, as next steps; the layer above those as an option.
fn ambition_path<'a, 'm>(
    model: &'m Model,
    elements: &'a [ElementResult<'m>],
    reached: usize,
) -> Path<'a, 'm> {
    let highest_in_place = elements
        .iter()
        .filter(|e| e.in_place)
        .filter_map(|e| model.stage(e.element.stage_id.as_deref()?))
        .map(|stage| stage.order as usize)
        .max()
        .unwrap_or(0);
    let top = highest_in_place.max(reached).max(1);
    let mut path = Path::new();
    for index in reached..top.min(model.stages.len()) {
        path.extend(missing_in(model, elements, index, RecommendationKind::Next));
    }
    if top < model.stages.len() {
        path.extend(missing_in(model, elements, top, RecommendationKind::Option));
    }
    path
}

/// The required elements of the stage at `index` that are not in place, weakest first.
fn missing_in<'a, 'm>(
    model: &'m Model,
    elements: &'a [ElementResult<'m>],
    index: usize,
    kind: RecommendationKind,
) -> impl Iterator<Item = Step<'a, 'm>> {
    let stage = &model.stages[index];
    let mut missing: ShortList<&'a ElementResult<'m>> = elements
        .iter()
        .filter(|e| stage.required_elements.contains(&e.element.id) && !e.in_place)
        .collect();
    missing.sort_by(|a, b| score_or_zero(a).total_cmp(&score_or_zero(b)));
    missing.into_iter().map(move |element| Step {
        stage: Some(stage),
        element,
        kind,
        only: None,
    })
}

/// The foundation when it is not in place; then the chosen elements not in place, weakest first;
/// without a choice, the choice itself where the model asks for one, or else the two weakest
/// elements not in place (unknown counts 0, ties in listed order).
fn focus_path<'a, 'm>(
    model: &'m Model,
    elements: &'a [ElementResult<'m>],
    focus: Option<&[&'m Element]>,
) -> Path<'a, 'm> {
    let step = |element, only| Step {
        stage: None,
        element,
        kind: RecommendationKind::Next,
        only,
    };
    let foundation = elements.iter().find(|e| is_foundation(e.element));
    let mut path: Path<'a, 'm> = foundation
        .filter(|e| !e.in_place)
        .map(|e| step(e, None))
        .into_iter()
        .collect();
    let mut missing: ShortList<&'a ElementResult<'m>> = elements
        .iter()
        .filter(|e| !e.in_place && !is_foundation(e.element))
        .filter(|e| focus.is_none_or(|chosen| chosen.iter().any(|c| c.id == e.element.id)))
        .collect();
    missing.sort_by(|a, b| score_or_zero(a).total_cmp(&score_or_zero(b)));
    match (focus, &model.focus_choice_action) {
        (Some(_), _) => path.extend(missing.into_iter().map(|e| step(e, None))),
        (None, Some(choice)) => {
            if let Some(anchor) = foundation.or(elements.first()) {
                path.push(step(anchor, Some(choice)));
            }
        }
        (None, None) => path.extend(
            missing
                .into_iter()
                .take(WEAKEST_WITHOUT_CHOICE)
                .map(|e| step(e, None)),
        ),
    }
    path
}

/// In-place elements below "mostly", weakest first, at most [`MAX_STRENGTHEN`]; in a focus
/// model where the organisation chooses its focus, only the foundation and the chosen elements:
/// objectives nobody chose are never advised.
fn strengthen<'a, 'm>(
    model: &'m Model,
    elements: &'a [ElementResult<'m>],
    focus: Option<&[&'m Element]>,
) -> Path<'a, 'm> {
    let pursued = |element: &Element| {
        is_foundation(element)
            || match focus {
                Some(chosen) => chosen.iter().any(|c| c.id == element.id),
                None => model.focus_choice_action.is_none(),
            }
    };
    let mut weak: ShortList<&ElementResult<'m>> = elements
        .iter()
        .filter(|e| e.in_place && e.score.is_some_and(|s| s < STRENGTHEN_BELOW))
        .filter(|e| model.kind.has_stages() || pursued(e.element))
        .collect();
    weak.sort_by(|a, b| score_or_zero(a).total_cmp(&score_or_zero(b)));
    weak.into_iter()
        .take(MAX_STRENGTHEN)
        .map(|e| Step {
            stage: e.element.stage_id.as_deref().and_then(|id| model.stage(id)),
            element: e,
            kind: RecommendationKind::Strengthen,
            only: None,
        })
        .collect()
}
