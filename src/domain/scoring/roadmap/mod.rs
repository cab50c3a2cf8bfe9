//! The roadmap: one plan across the chosen models (DOMAIN.md, "The roadmap"). Every model's
//! recommended actions, each once, with every model, element and stage that calls for it (its
//! reasons), and the not-done actions they depend on (prerequisites). Each item gets a phase:
//! `now` (the first 90 days: what blocks each staged model's next stage, a focus foundation, the
//! choice of a focus, and what they need; at most five), `next` (the following quarter) or
//! `later` (beyond the next stage, options, strengthening). Phase by phase, items are placed one at
//! a time, never before an action they depend on, the first by these keys:
//! 1. a foundation or outside-in element's action before an inside-out one's;
//! 2. the most models among its reasons (a gap several lenses see is the core gap);
//! 3. the most roadmap items that depend on it, directly or not;
//! 4. the lowest relative stage position among its reasons ((order − 1) ÷ stages; a focus
//!    model's foundation 0, its other elements 0.5);
//! 5. the lowest element score (unknown counts 0);
//! 6. the lowest listed position among its reasons;
//! 7. the action id.
//!
//! An action takes the best keys of itself and of the items that need it, so a prerequisite is
//! placed as early as they want it.

mod graph;
mod order;

use smallvec::SmallVec;

use std::borrow::Cow;

use super::{Caller, Evidence, Id, ModelResult, RecommendationKind};
use crate::domain::text_enum::text_enum;
use crate::domain::{Action, ActionBank, Element, Model, Stage};

/// When to do a roadmap step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// The first 90 days.
    Now,
    /// The following quarter.
    Next,
    /// After that.
    Later,
}

text_enum!(Phase {
    Now => "now",
    Next => "next",
    Later => "later",
});

/// At most this many items are planned for the first 90 days.
pub const MAX_NOW: usize = 5;

/// One step of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadmapItem<'m> {
    /// 1 for the first thing to do.
    pub rank: u32,
    pub phase: Phase,
    pub action: &'m Action,
    /// The most pressing kind among the reasons, in [`RecommendationKind`]'s order.
    pub kind: RecommendationKind,
    pub evidence: Evidence,
    /// For a prerequisite: the roadmap actions it unblocks.
    pub unblocks: SmallVec<[&'m str; 2]>,
    /// Most actions serve one or two elements: those stay inline.
    pub reasons: SmallVec<[Reason<'m>; 2]>,
}

/// A model element that calls for an action.
#[derive(Clone, Debug)]
pub struct Reason<'m> {
    pub model: &'m Model,
    pub element: &'m Element,
    pub stage: Option<&'m Stage>,
    /// The element's score; `None` when unknown.
    pub score: Option<f64>,
    pub kind: RecommendationKind,
    /// Where the action is listed among the element's actions.
    pub listed: usize,
}

/// The same element of the same model version: identity, not a deep comparison of models.
impl PartialEq for Reason<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.model, other.model)
            && std::ptr::eq(self.element, other.element)
            && self.stage.map(std::ptr::from_ref) == other.stage.map(std::ptr::from_ref)
            && self.score.map(f64::to_bits) == other.score.map(f64::to_bits)
    }
}

/// The plan across `results`, each action once.
pub fn roadmap<'m>(results: &[ModelResult<'m>], bank: &ActionBank) -> Vec<RoadmapItem<'m>> {
    let recommended = results.iter().map(|r| r.recommendations.len()).sum();
    let mut items: Vec<RoadmapItem<'m>> = Vec::with_capacity(recommended);
    // Bank actions are found by their bank position; inline (1.0.0) actions by id.
    let mut item_at: Vec<Option<usize>> = vec![None; bank.len()];
    for result in results {
        for recommendation in &result.recommendations {
            let score_of = |element: &Element| {
                result
                    .elements
                    .iter()
                    .find(|e| std::ptr::eq(e.element, element))
                    .and_then(|e| e.score)
            };
            let primary = Caller {
                stage: recommendation.stage,
                element: recommendation.element,
                kind: recommendation.kind,
                listed: recommendation.listed,
            };
            let reasons = std::iter::once(&primary)
                .chain(&recommendation.also)
                .map(|caller| Reason {
                    model: result.model,
                    element: caller.element,
                    stage: caller.stage,
                    score: score_of(caller.element),
                    kind: caller.kind,
                    listed: caller.listed,
                });
            let action = recommendation.action;
            let known = match action.position {
                Some(position) => item_at.get(position).copied().flatten(),
                None => items.iter().position(|item| item.action.id == action.id),
            };
            let item = match known {
                Some(index) => &mut items[index],
                None => {
                    if let Some(slot) = action.position.and_then(|p| item_at.get_mut(p)) {
                        *slot = Some(items.len());
                    }
                    items.push(RoadmapItem {
                        rank: 0,
                        phase: Phase::Later,
                        action,
                        kind: recommendation.kind,
                        evidence: recommendation.evidence,
                        unblocks: SmallVec::new(),
                        reasons: SmallVec::new(),
                    });
                    let last = items.len() - 1;
                    &mut items[last]
                }
            };
            item.kind = item.kind.min(recommendation.kind);
            for id in &recommendation.unblocks {
                if !item.unblocks.contains(id) {
                    item.unblocks.push(id);
                }
            }
            for reason in reasons {
                if !item.reasons.contains(&reason) {
                    item.reasons.push(reason);
                }
            }
        }
    }
    order::order(items, bank, &item_at)
}

/// A roadmap step as plain values, for keeping and rendering; ids borrow the models when
/// planned, and are owned when read back from storage.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadmapEntry<'m> {
    pub rank: u32,
    pub phase: Phase,
    pub action_id: Id<'m>,
    pub kind: RecommendationKind,
    pub evidence: Evidence,
    pub unblocks: Vec<Id<'m>>,
    pub reasons: Vec<ReasonEntry<'m>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReasonEntry<'m> {
    pub model_id: Id<'m>,
    pub element_id: Id<'m>,
    pub stage_id: Option<Id<'m>>,
    pub score: Option<f64>,
}

impl<'m> RoadmapItem<'m> {
    pub fn entry(&self) -> RoadmapEntry<'m> {
        RoadmapEntry {
            rank: self.rank,
            phase: self.phase,
            action_id: Cow::Borrowed(&self.action.id),
            kind: self.kind,
            evidence: self.evidence,
            unblocks: self.unblocks.iter().map(|id| Cow::Borrowed(*id)).collect(),
            reasons: self
                .reasons
                .iter()
                .map(|r| ReasonEntry {
                    model_id: Cow::Borrowed(&r.model.id),
                    element_id: Cow::Borrowed(&r.element.id),
                    stage_id: r.stage.map(|s| Cow::Borrowed(s.id.as_str())),
                    score: r.score,
                })
                .collect(),
        }
    }
}
