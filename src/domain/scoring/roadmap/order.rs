//! The order of the plan (DOMAIN.md, "The roadmap"): phases first, then within a phase the keys
//! the module documentation lists, never an item before one it depends on.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use smallvec::SmallVec;

use super::graph::Graph;
use super::{MAX_NOW, Phase, Reason, RoadmapItem};
use crate::domain::scoring::RecommendationKind;
use crate::domain::{ActionBank, Model, Orientation};

/// Where a focus model's elements other than the foundation sit among stage positions.
const FOCUS_POSITION: f64 = 0.5;

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

/// Phases the items and places them; once [`MAX_NOW`] items of `now` are placed, the rest of
/// `now` moves to `next`, where it is placed among the others.
pub(super) fn order<'m>(
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
    let own: Vec<Priority> = (0..items.len())
        .map(|i| priority(&items[i], &graph, i))
        .collect();
    let placed = place(&items, &graph, bank, own);
    let mut slots: Vec<Option<RoadmapItem<'m>>> = items.into_iter().map(Some).collect();
    placed
        .into_iter()
        .filter_map(|(i, phase)| slots[i].take().map(|item| (item, phase)))
        .zip(1..)
        .map(|((mut item, phase), rank)| {
            item.rank = rank;
            item.phase = phase;
            item
        })
        .collect()
}

/// The placing order, with each item's final phase: repeatedly the best-priority item among
/// those with no unplaced dependency (Kahn's algorithm with a priority queue). When the
/// [`MAX_NOW`]th item of `now` is placed, the unplaced rest of `now` moves to `next` and the
/// queue is ordered again.
fn place(
    items: &[RoadmapItem<'_>],
    graph: &Graph,
    bank: &ActionBank,
    mut own: Vec<Priority>,
) -> Vec<(usize, Phase)> {
    let count = items.len();
    let mut priorities = folded(graph, &own);
    let ready_at = |i: usize, priorities: &[Priority]| Ready {
        priority: priorities[i],
        rank_by_id: items[i].action.position.and_then(|p| bank.rank_by_id(p)),
        id: items[i].action.id.as_str(),
        index: i,
    };
    let mut waiting = graph.waiting.clone();
    let mut ready: BinaryHeap<Ready<'_>> = (0..count)
        .filter(|&i| waiting[i] == 0)
        .map(|i| ready_at(i, &priorities))
        .collect();
    let mut placed: Vec<(usize, Phase)> = Vec::with_capacity(count);
    let mut now = 0;
    while let Some(Ready { index, .. }) = ready.pop() {
        for dependent in graph.direct_dependents(index) {
            waiting[dependent] = waiting[dependent].saturating_sub(1);
            if waiting[dependent] == 0 {
                ready.push(ready_at(dependent, &priorities));
            }
        }
        let phase = own[index].phase;
        placed.push((index, phase));
        if phase != Phase::Now {
            continue;
        }
        now += 1;
        let unplaced_now =
            |i: usize| own[i].phase == Phase::Now && !placed.iter().any(|p| p.0 == i);
        if now == MAX_NOW && (0..count).any(unplaced_now) {
            let demoted: Vec<usize> = (0..count).filter(|&i| unplaced_now(i)).collect();
            for i in demoted {
                own[i].phase = Phase::Next;
            }
            priorities = folded(graph, &own);
            ready = ready
                .into_iter()
                .map(|r| ready_at(r.index, &priorities))
                .collect();
        }
    }
    // The bank is acyclic, so every item was placed; keep anything left rather than lose it.
    placed.extend(
        (0..count)
            .filter(|&i| waiting[i] > 0)
            .map(|i| (i, own[i].phase)),
    );
    placed
}

/// Each item's own priority or, when better, that of an item that needs it.
fn folded(graph: &Graph, own: &[Priority]) -> Vec<Priority> {
    (0..own.len())
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
        .collect()
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
