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

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use smallvec::SmallVec;

use super::{Evidence, ModelResult, RecommendationKind};
use crate::domain::text_enum::text_enum;
use crate::domain::{Action, ActionBank, Element, Model, Orientation, Stage};

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

/// Where a focus model's elements other than the foundation sit among stage positions.
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
    phase: Phase,
    class: u8,
    /// Negated counts, so that more sorts first.
    models: i32,
    dependents: i32,
    position: f64,
    score: f64,
    listed: usize,
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
                kind: recommendation.kind,
                listed: recommendation.listed,
            };
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
            if !item.reasons.contains(&reason) {
                item.reasons.push(reason);
            }
        }
    }
    order(items, bank, &item_at)
}

/// Which roadmap items depend on which, directly or not: only requirements inside the plan count.
struct Graph {
    /// How many items each item depends on.
    waiting: Vec<usize>,
    /// The items that depend on item j are `flat[starts[j]..starts[j + 1]]`.
    starts: Vec<usize>,
    flat: Vec<usize>,
}

impl Graph {
    fn build(items: &[RoadmapItem<'_>], bank: &ActionBank, item_at: &[Option<usize>]) -> Graph {
        let count = items.len();
        // Mask the bank's (transitive) requirements with what is in the plan, then walk the bits.
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
        Graph {
            waiting,
            starts,
            flat,
        }
    }

    fn dependents(&self, j: usize) -> impl Iterator<Item = usize> + '_ {
        self.flat[self.starts[j]..self.starts[j + 1]]
            .iter()
            .copied()
    }

    fn dependent_count(&self, j: usize) -> usize {
        self.starts[j + 1] - self.starts[j]
    }
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

/// Phases the items, places them, keeps the first [`MAX_NOW`] of `now` there and moves the rest
/// to `next`, where they are placed again among the others.
fn order<'m>(
    mut items: Vec<RoadmapItem<'m>>,
    bank: &ActionBank,
    item_at: &[Option<usize>],
) -> Vec<RoadmapItem<'m>> {
    let graph = Graph::build(&items, bank, item_at);
    // An item takes the earliest phase among its reasons and among the items that need it.
    let base: Vec<Phase> = items.iter().map(base_phase).collect();
    for (j, item) in items.iter_mut().enumerate() {
        item.phase = graph.dependents(j).map(|i| base[i]).fold(base[j], Ord::min);
    }
    let mut placed = place(&items, &graph, bank);
    let now: Vec<usize> = placed
        .iter()
        .copied()
        .filter(|&i| items[i].phase == Phase::Now)
        .collect();
    if now.len() > MAX_NOW {
        for &i in &now[MAX_NOW..] {
            items[i].phase = Phase::Next;
        }
        placed = place(&items, &graph, bank);
    }
    let mut slots: Vec<Option<RoadmapItem<'m>>> = items.into_iter().map(Some).collect();
    placed
        .into_iter()
        .filter_map(|i| slots[i].take())
        .zip(1..)
        .map(|(mut item, rank)| {
            item.rank = rank;
            item
        })
        .collect()
}

/// The placing order: repeatedly the best-priority item among those with no unplaced dependency
/// (Kahn's algorithm with a priority queue).
fn place(items: &[RoadmapItem<'_>], graph: &Graph, bank: &ActionBank) -> Vec<usize> {
    let count = items.len();
    let own: Vec<Priority> = (0..count).map(|i| priority(&items[i], graph, i)).collect();
    let priorities: Vec<Priority> = (0..count)
        .map(|j| {
            graph
                .dependents(j)
                .map(|i| own[i])
                .fold(own[j], |best, other| {
                    if compare(&other, &best).is_lt() {
                        other
                    } else {
                        best
                    }
                })
        })
        .collect();
    let ready_at = |i: usize| Ready {
        priority: priorities[i],
        rank_by_id: items[i].action.position.and_then(|p| bank.rank_by_id(p)),
        id: items[i].action.id.as_str(),
        index: i,
    };
    let mut waiting = graph.waiting.clone();
    let mut ready: BinaryHeap<Ready<'_>> = (0..count)
        .filter(|&i| waiting[i] == 0)
        .map(ready_at)
        .collect();
    let mut placed: Vec<usize> = Vec::with_capacity(count);
    while let Some(Ready { index, .. }) = ready.pop() {
        for dependent in graph.dependents(index) {
            waiting[dependent] = waiting[dependent].saturating_sub(1);
            if waiting[dependent] == 0 {
                ready.push(ready_at(dependent));
            }
        }
        placed.push(index);
    }
    // The bank is acyclic, so every item was placed; keep anything left rather than lose it.
    placed.extend((0..count).filter(|&i| waiting[i] > 0));
    placed
}

fn compare(a: &Priority, b: &Priority) -> Ordering {
    a.phase
        .cmp(&b.phase)
        .then(a.class.cmp(&b.class))
        .then(a.models.cmp(&b.models))
        .then(a.dependents.cmp(&b.dependents))
        .then(a.position.total_cmp(&b.position))
        .then(a.score.total_cmp(&b.score))
        .then(a.listed.cmp(&b.listed))
}

/// `now` for what blocks a staged model's next stage, a focus foundation and the choice of a
/// focus; `next` for a focus model's other elements; `later` for the rest. A prerequisite starts
/// `later` and takes the phase of the items that need it.
fn base_phase(item: &RoadmapItem<'_>) -> Phase {
    item.reasons
        .iter()
        .map(|reason| match reason.kind {
            RecommendationKind::Next
                if reason.model.kind.has_stages() || reason.element.is_foundation() =>
            {
                Phase::Now
            }
            RecommendationKind::Next => Phase::Next,
            _ => Phase::Later,
        })
        .min()
        .unwrap_or(Phase::Later)
}

fn priority(item: &RoadmapItem<'_>, graph: &Graph, index: usize) -> Priority {
    let facing = |r: &Reason<'_>| match (r.element.is_foundation(), r.element.orientation) {
        (true, _) | (_, Some(Orientation::Foundation | Orientation::OutsideIn)) => 0,
        (false, None) => 1,
        (false, Some(Orientation::InsideOut)) => 2,
    };
    let mut models: SmallVec<[&Model; 4]> = SmallVec::new();
    for reason in &item.reasons {
        if !models.iter().any(|m| std::ptr::eq(*m, reason.model)) {
            models.push(reason.model);
        }
    }
    let least = |values: &mut dyn Iterator<Item = f64>| values.fold(f64::INFINITY, f64::min);
    Priority {
        phase: item.phase,
        class: item.reasons.iter().map(facing).min().unwrap_or(1),
        models: -(models.len() as i32),
        dependents: -(graph.dependent_count(index) as i32),
        position: least(&mut item.reasons.iter().map(position)),
        score: least(&mut item.reasons.iter().map(|r| r.score.unwrap_or(0.0))),
        listed: item.reasons.iter().map(|r| r.listed).min().unwrap_or(0),
    }
}

/// Where the reason sits in its model, 0–1: (stage order − 1) ÷ stages; a focus model's
/// foundation 0, its other elements [`FOCUS_POSITION`].
fn position(reason: &Reason<'_>) -> f64 {
    match reason.stage {
        Some(stage) if !reason.model.stages.is_empty() => {
            f64::from(stage.order - 1) / reason.model.stages.len() as f64
        }
        _ if reason.element.is_foundation() => 0.0,
        _ => FOCUS_POSITION,
    }
}

/// A roadmap step as plain values, for keeping.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadmapEntry {
    pub rank: u32,
    pub phase: Phase,
    pub action_id: String,
    pub kind: RecommendationKind,
    pub evidence: Evidence,
    pub unblocks: Vec<String>,
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
            phase: self.phase,
            action_id: self.action.id.clone(),
            kind: self.kind,
            evidence: self.evidence,
            unblocks: self.unblocks.iter().map(|id| (*id).to_owned()).collect(),
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
