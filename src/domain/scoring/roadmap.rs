//! The roadmap: one plan across the chosen models. Every model's recommended actions, each once,
//! with every model, element and stage that calls for it (its reasons), in an order a consultant
//! can defend:
//! 1. never before an action it depends on (directly or through actions not in the plan);
//! 2. then what a foundation or an outside-in element needs (monitoring, listening), then the
//!    rest, then what an inside-out element needs (responding, creating);
//! 3. then the lowest relative stage position among the reasons (stage order ÷ number of stages;
//!    a focus model has no stages, so its elements sit in the middle, 0.5);
//! 4. then the lowest element score (unknown counts as 0);
//! 5. then the action id.
//!
//! An action is needed by every action that depends on it: it takes the most urgent of their
//! priorities when that is more urgent than its own, so that creating profiles, which monitoring
//! one's own accounts needs, is planned with the monitoring and not after everything else.

use std::cmp::Ordering;

use super::{ModelResult, RecommendationKind};
use crate::domain::{Action, ActionBank, Element, Model, Orientation, Stage};

/// One step of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadmapItem<'m> {
    /// 1 for the first thing to do.
    pub rank: u32,
    pub action: &'m Action,
    /// The most pressing kind among the reasons (`next` before `toward-target` before
    /// `strengthen`).
    pub kind: RecommendationKind,
    pub reasons: Vec<Reason<'m>>,
}

/// A model element that calls for an action.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason<'m> {
    pub model: &'m Model,
    pub element: &'m Element,
    pub stage: Option<&'m Stage>,
    /// The element's score; `None` when unknown.
    pub score: Option<f64>,
}

/// Where a focus model's elements sit among stage positions: they have no stage, so the middle.
const FOCUS_POSITION: f64 = 0.5;

/// What orders an item among those whose dependencies are placed, smallest first.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Priority {
    class: u8,
    position: f64,
    score: f64,
}

/// The plan across `results`, each action once.
pub fn roadmap<'m>(results: &[ModelResult<'m>], bank: &ActionBank) -> Vec<RoadmapItem<'m>> {
    let mut items: Vec<RoadmapItem<'m>> = Vec::new();
    for result in results {
        for recommendation in &result.recommendations {
            let score = result
                .elements
                .iter()
                .find(|e| e.element.id == recommendation.element.id)
                .and_then(|e| e.score);
            let reason = Reason {
                model: result.model,
                element: recommendation.element,
                stage: recommendation.stage,
                score,
            };
            match items
                .iter_mut()
                .find(|item| item.action.id == recommendation.action.id)
            {
                Some(item) => {
                    item.kind = item.kind.min(recommendation.kind);
                    if !item.reasons.contains(&reason) {
                        item.reasons.push(reason);
                    }
                }
                None => items.push(RoadmapItem {
                    rank: 0,
                    action: recommendation.action,
                    kind: recommendation.kind,
                    reasons: vec![reason],
                }),
            }
        }
    }
    order(items, bank)
}

/// Places items one at a time: the best-priority item among those with no unplaced dependency.
fn order<'m>(items: Vec<RoadmapItem<'m>>, bank: &ActionBank) -> Vec<RoadmapItem<'m>> {
    let count = items.len();
    let positions: Vec<Option<usize>> = items
        .iter()
        .map(|item| bank.position(&item.action.id))
        .collect();
    // waiting[i]: how many unplaced items item i depends on; dependents[j]: the items waiting on j.
    let mut waiting = vec![0usize; count];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, a) in positions.iter().enumerate() {
        for (j, b) in positions.iter().enumerate() {
            if let (Some(a), Some(b)) = (a, b)
                && i != j
                && bank.requires(*a, *b)
            {
                waiting[i] += 1;
                dependents[j].push(i);
            }
        }
    }
    let own: Vec<Priority> = items.iter().map(priority).collect();
    // `dependents` is transitive (the bank's closure), so one pass passes urgency down every chain.
    let priorities: Vec<Priority> = (0..count)
        .map(|j| {
            dependents[j]
                .iter()
                .map(|&i| own[i])
                .fold(own[j], |best, other| {
                    if compare(&other, &best).is_lt() {
                        other
                    } else {
                        best
                    }
                })
        })
        .collect();
    let mut slots: Vec<Option<RoadmapItem<'m>>> = items.into_iter().map(Some).collect();
    let mut placed: Vec<RoadmapItem<'m>> = Vec::with_capacity(count);
    while placed.len() < count {
        let best = (0..count)
            .filter(|&i| slots[i].is_some() && waiting[i] == 0)
            .min_by(|&a, &b| {
                compare(&priorities[a], &priorities[b])
                    .then_with(|| action_id(&slots, a).cmp(action_id(&slots, b)))
            })
            // The bank is acyclic, so some item is always ready; take any left otherwise.
            .or_else(|| (0..count).find(|&i| slots[i].is_some()));
        let Some(best) = best else { break };
        for &dependent in &dependents[best] {
            waiting[dependent] = waiting[dependent].saturating_sub(1);
        }
        if let Some(mut item) = slots[best].take() {
            item.rank = u32::try_from(placed.len() + 1).unwrap_or(u32::MAX);
            placed.push(item);
        }
    }
    placed
}

fn action_id<'a>(slots: &'a [Option<RoadmapItem<'_>>], i: usize) -> &'a str {
    slots[i].as_ref().map_or("", |item| item.action.id.as_str())
}

fn compare(a: &Priority, b: &Priority) -> Ordering {
    a.class
        .cmp(&b.class)
        .then(a.position.total_cmp(&b.position))
        .then(a.score.total_cmp(&b.score))
}

fn priority(item: &RoadmapItem<'_>) -> Priority {
    let listening = item.reasons.iter().any(|r| {
        r.element.is_foundation() || r.element.orientation == Some(Orientation::OutsideIn)
    });
    let inside_out = item
        .reasons
        .iter()
        .any(|r| r.element.orientation == Some(Orientation::InsideOut));
    let class = match (listening, inside_out) {
        (true, _) => 0,
        (false, false) => 1,
        (false, true) => 2,
    };
    Priority {
        class,
        position: item
            .reasons
            .iter()
            .map(position)
            .fold(f64::INFINITY, f64::min),
        score: item
            .reasons
            .iter()
            .map(|r| r.score.unwrap_or(0.0))
            .fold(f64::INFINITY, f64::min),
    }
}

/// Where the reason's stage sits in its model, 0–1.
fn position(reason: &Reason<'_>) -> f64 {
    match reason.stage {
        Some(stage) if !reason.model.stages.is_empty() => {
            f64::from(stage.order) / reason.model.stages.len() as f64
        }
        _ => FOCUS_POSITION,
    }
}

/// A roadmap step as plain values, for keeping.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadmapEntry {
    pub rank: u32,
    pub action_id: String,
    pub kind: RecommendationKind,
    pub reasons: Vec<ReasonEntry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReasonEntry {
    pub model_id: String,
    pub element_id: String,
    pub stage_id: Option<String>,
    pub score: Option<f64>,
}

impl RoadmapItem<'_> {
    pub fn entry(&self) -> RoadmapEntry {
        RoadmapEntry {
            rank: self.rank,
            action_id: self.action.id.clone(),
            kind: self.kind,
            reasons: self
                .reasons
                .iter()
                .map(|r| ReasonEntry {
                    model_id: r.model.id.clone(),
                    element_id: r.element.id.clone(),
                    stage_id: r.stage.map(|s| s.id.clone()),
                    score: r.score,
                })
                .collect(),
        }
    }
}
