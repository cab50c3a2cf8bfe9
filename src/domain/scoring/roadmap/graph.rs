//! Which roadmap items wait on which. Only dependencies inside the plan count, and they chain
//! only through items in the plan: a done action's own requirements no longer hold anything back
//! (a firm that has its profiles need not map its market before watching them).

use super::RoadmapItem;
use crate::domain::ActionBank;

pub(super) struct Graph {
    /// How many items each item depends on directly.
    pub waiting: Vec<usize>,
    /// The items that depend on item j directly are `direct[starts[j]..starts[j + 1]]`.
    starts: Vec<usize>,
    direct: Vec<usize>,
    /// Per item, the items that depend on it directly or through other items, as a bit set.
    below: Vec<u64>,
    words: usize,
}

impl Graph {
    pub fn build(items: &[RoadmapItem<'_>], bank: &ActionBank, item_at: &[Option<usize>]) -> Graph {
        let count = items.len();
        // (dependent, requirement) pairs, then grouped by requirement (a counting sort).
        let edges: Vec<(usize, usize)> = (0..count)
            .flat_map(|i| requirements(items, bank, item_at, i).map(move |j| (i, j)))
            .collect();
        let mut waiting = vec![0usize; count];
        let mut starts = vec![0usize; count + 1];
        for &(i, j) in &edges {
            waiting[i] += 1;
            starts[j + 1] += 1;
        }
        for j in 0..count {
            starts[j + 1] += starts[j];
        }
        let mut cursor = starts.clone();
        let mut direct = vec![0usize; edges.len()];
        for &(i, j) in &edges {
            direct[cursor[j]] = i;
            cursor[j] += 1;
        }
        let mut graph = Graph {
            waiting,
            starts,
            direct,
            below: Vec::new(),
            words: count.div_ceil(64),
        };
        graph.below = graph.transitive_dependents();
        graph
    }

    /// The items that depend on item j directly.
    pub fn direct_dependents(&self, j: usize) -> impl Iterator<Item = usize> + '_ {
        self.direct[self.starts[j]..self.starts[j + 1]]
            .iter()
            .copied()
    }

    /// The items that depend on item j, directly or not.
    pub fn dependents(&self, j: usize) -> impl Iterator<Item = usize> + '_ {
        let bits = &self.below[j * self.words..(j + 1) * self.words];
        bits.iter().enumerate().flat_map(|(word, &bits)| {
            let mut rest = bits;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    word * 64 + bit
                })
            })
        })
    }

    pub fn dependent_count(&self, j: usize) -> usize {
        self.below[j * self.words..(j + 1) * self.words]
            .iter()
            .map(|bits| bits.count_ones() as usize)
            .sum()
    }

    /// Each item's dependents, closed transitively: in reverse topological order (Kahn's
    /// algorithm), an item's set is its direct dependents and their sets.
    fn transitive_dependents(&self) -> Vec<u64> {
        let count = self.waiting.len();
        let mut waiting = self.waiting.clone();
        let mut order: Vec<usize> = (0..count).filter(|&i| waiting[i] == 0).collect();
        let mut next = 0;
        while let Some(&j) = order.get(next) {
            next += 1;
            for i in self.direct_dependents(j) {
                waiting[i] -= 1;
                if waiting[i] == 0 {
                    order.push(i);
                }
            }
        }
        let mut below = vec![0u64; count * self.words];
        for &j in order.iter().rev() {
            for i in self.direct_dependents(j) {
                below[j * self.words + i / 64] |= 1 << (i % 64);
                for word in 0..self.words {
                    let bits = below[i * self.words + word];
                    below[j * self.words + word] |= bits;
                }
            }
        }
        below
    }
}

/// The items that item i depends on directly. Bank actions name their dependencies by bank
/// position; the 1.0.0 files' inline actions by id, among the plan's other inline actions.
fn requirements<'a>(
    items: &'a [RoadmapItem<'_>],
    bank: &'a ActionBank,
    item_at: &'a [Option<usize>],
    i: usize,
) -> impl Iterator<Item = usize> + 'a {
    let action = items[i].action;
    let in_bank = action
        .position
        .map_or(&[][..], |position| bank.dependency_positions(position))
        .iter()
        .filter_map(|&position| item_at.get(position).copied().flatten());
    let inline = action
        .position
        .is_none()
        .then(|| {
            action.depends_on.iter().filter_map(|id| {
                items
                    .iter()
                    .position(|item| item.action.position.is_none() && item.action.id == *id)
            })
        })
        .into_iter()
        .flatten();
    in_bank.chain(inline).filter(move |&j| j != i)
}
