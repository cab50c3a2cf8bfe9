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
use std::collections::BinaryHeap;

use smallvec::SmallVec;

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
}

/// Where a focus model's elements sit among stage positions: they have no stage, so the middle.
const FOCUS_POSITION: f64 = 0.5;

/// The same element of the same model version: identity, not a deep comparison of models.
impl PartialEq for Reason<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.model, other.model)
            && std::ptr::eq(self.element, other.element)
            && self.stage.map(std::ptr::from_ref) == other.stage.map(std::ptr::from_ref)
            && self.score.map(f64::to_bits) == other.score.map(f64::to_bits)
    }
}

/// What orders an item among those whose dependencies are placed, smallest first.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Priority {
    class: u8,
    position: f64,
    score: f64,
}

/// The plan across `results`, each action once.
pub fn roadmap<'m>(results: &[ModelResult<'m>], bank: &ActionBank) -> Vec<RoadmapItem<'m>> {
    let recommended = results.iter().map(|r| r.recommendations.len()).sum();
    let mut items: Vec<RoadmapItem<'m>> = Vec::with_capacity(recommended);
    // Bank actions are found by their bank position; inline (1.0.0) actions by id.
    let mut item_at: Vec<Option<usize>> = vec![None; bank.len()];
    for result in results {
        for recommendation in &result.recommendations {
            let score = result
                .elements
                .iter()
                .find(|e| std::ptr::eq(e.element, recommendation.element))
                .and_then(|e| e.score);
            let reason = Reason {
                model: result.model,
                element: recommendation.element,
                stage: recommendation.stage,
                score,
            };
            let action = recommendation.action;
            let known = match action.position {
                Some(position) => item_at.get(position).copied().flatten(),
                None => items.iter().position(|item| item.action.id == action.id),
            };
            match known {
                Some(index) => {
                    let item = &mut items[index];
                    item.kind = item.kind.min(recommendation.kind);
                    if !item.reasons.contains(&reason) {
                        item.reasons.push(reason);
                    }
                }
                None => {
                    if let Some(slot) = action.position.and_then(|p| item_at.get_mut(p)) {
                        *slot = Some(items.len());
                    }
                    items.push(RoadmapItem {
                        rank: 0,
                        action,
                        kind: recommendation.kind,
                        reasons: smallvec::smallvec![reason],
                    });
                }
            }
        }
    }
    order(items, bank, &item_at)
}

/// An item ready to be placed, ordered by priority and then action id; the heap pops the least.
struct Ready<'a> {
    priority: Priority,
    /// The id's rank in the bank sorted by id; `None` for inline (1.0.0) actions, which compare
    /// by `id` itself.
    rank_by_id: Option<u32>,
    id: &'a str,
    index: usize,
}

impl Ready<'_> {
    fn by_id(&self, other: &Self) -> Ordering {
        match (self.rank_by_id, other.rank_by_id) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.id.cmp(other.id),
        }
    }
}

impl Ord for Ready<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: `BinaryHeap` is a max-heap.
        compare(&other.priority, &self.priority).then_with(|| other.by_id(self))
    }
}

impl PartialOrd for Ready<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ready<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ready<'_> {}

/// Places items one at a time: the best-priority item among those with no unplaced dependency
/// (Kahn's algorithm with a priority queue).
fn order<'m>(
    items: Vec<RoadmapItem<'m>>,
    bank: &ActionBank,
    item_at: &[Option<usize>],
) -> Vec<RoadmapItem<'m>> {
    let count = items.len();
    // waiting[i]: how many unplaced items item i depends on; the items waiting on j are
    // flat[starts[j]..starts[j + 1]], laid out by counting rather than sorting. The bank's
    // requirements are transitive, so these are too.
    // Only the requirements that are in the plan matter: mask them first, then walk the bits.
    let mut present = vec![0u64; bank.len().div_ceil(64)];
    for position in items.iter().filter_map(|item| item.action.position) {
        present[position / 64] |= 1 << (position % 64);
    }
    let required_items = |i: usize| {
        let bits = items[i]
            .action
            .position
            .map_or(&[][..], |position| bank.requirement_bits(position));
        bits.iter()
            .zip(&present)
            .enumerate()
            .flat_map(|(word, (&required, &present))| {
                let mut rest = required & present;
                std::iter::from_fn(move || {
                    (rest != 0).then(|| {
                        let bit = rest.trailing_zeros() as usize;
                        rest &= rest - 1;
                        word * 64 + bit
                    })
                })
            })
            .filter_map(move |required| match item_at.get(required) {
                Some(&Some(j)) if j != i => Some(j),
                _ => None,
            })
    };
    let mut waiting = vec![0usize; count];
    let mut starts = vec![0usize; count + 1];
    for (i, waits) in waiting.iter_mut().enumerate() {
        for j in required_items(i) {
            *waits += 1;
            starts[j + 1] += 1;
        }
    }
    for j in 0..count {
        starts[j + 1] += starts[j];
    }
    let mut cursor = starts.clone();
    let mut flat = vec![0usize; starts[count]];
    for i in 0..count {
        for j in required_items(i) {
            flat[cursor[j]] = i;
            cursor[j] += 1;
        }
    }
    let dependents = |j: usize| flat[starts[j]..starts[j + 1]].iter().copied();
    let own: Vec<Priority> = items.iter().map(priority).collect();
    let priorities: Vec<Priority> = (0..count)
        .map(|j| {
            dependents(j).map(|i| own[i]).fold(own[j], |best, other| {
                if compare(&other, &best).is_lt() {
                    other
                } else {
                    best
                }
            })
        })
        .collect();
    let keys: Vec<(Option<u32>, &str)> = items
        .iter()
        .map(|item| {
            let rank = item.action.position.and_then(|p| bank.rank_by_id(p));
            (rank, item.action.id.as_str())
        })
        .collect();
    let ready_at = |i: usize| Ready {
        priority: priorities[i],
        rank_by_id: keys[i].0,
        id: keys[i].1,
        index: i,
    };
    let mut ready: BinaryHeap<Ready<'_>> = (0..count)
        .filter(|&i| waiting[i] == 0)
        .map(ready_at)
        .collect();
    let mut placed_at: Vec<usize> = Vec::with_capacity(count);
    while let Some(Ready { index, .. }) = ready.pop() {
        for dependent in dependents(index) {
            waiting[dependent] = waiting[dependent].saturating_sub(1);
            if waiting[dependent] == 0 {
                ready.push(ready_at(dependent));
            }
        }
        placed_at.push(index);
    }
    // The bank is acyclic, so every item was placed; keep anything left rather than lose it.
    placed_at.extend((0..count).filter(|&i| waiting[i] > 0));
    let mut slots: Vec<Option<RoadmapItem<'m>>> = items.into_iter().map(Some).collect();
    placed_at
        .into_iter()
        .filter_map(|i| slots[i].take())
        .zip(1..)
        .map(|(mut item, rank)| {
            item.rank = rank;
            item
        })
        .collect()
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
