//! The action bank: every concrete step the service can advise, each once, whichever models call
//! for it. An action says where it comes from (a model's source, or the service's own
//! professional practice) and which actions must come before it; the dependencies form an acyclic
//! graph, checked when the bank is loaded.

use foldhash::HashMap;

use crate::domain::text_enum::text_enum;
use crate::domain::{Sectors, Text};

/// How much work an action is (the service's practice): `small` takes days, `medium` weeks,
/// `large` a quarter or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effort {
    Small,
    Medium,
    Large,
}

text_enum!(Effort {
    Small => "small",
    Medium => "medium",
    Large => "large",
});

/// The role that usually carries an action (the service's practice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    Leadership,
    Communications,
    Webcare,
    Analytics,
    Hr,
    Product,
}

text_enum!(Owner {
    Leadership => "leadership",
    Communications => "communications",
    Webcare => "webcare",
    Analytics => "analytics",
    Hr => "hr",
    Product => "product",
});

/// An indicator whose practice an action puts in place, resolved against the bank.
#[derive(Clone, Debug, PartialEq)]
pub struct Established {
    pub indicator_id: String,
    /// The indicator's position in the bank, so that advice reads answers by index.
    pub position: usize,
    /// The sectors the indicator does not fit: for them the action does not establish it.
    pub not_for: Sectors,
}

/// Where an action comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// The model's source names this step; `source` says which (author, model, part, seed).
    Seed { source: String },
    /// The service's own professional advice, labelled as such.
    Practice,
    /// Written before provenance was recorded (the inline actions of the 1.0.0 model files).
    Unrecorded,
}

impl Provenance {
    pub fn as_str(&self) -> &'static str {
        match self {
            Provenance::Seed { .. } => "seed",
            Provenance::Practice => "practice",
            Provenance::Unrecorded => "unrecorded",
        }
    }

    /// The source a seed action comes from.
    pub fn source(&self) -> Option<&str> {
        match self {
            Provenance::Seed { source } => Some(source),
            Provenance::Practice | Provenance::Unrecorded => None,
        }
    }
}

/// A concrete step that helps put an element in place.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub id: String,
    pub text: Text,
    pub provenance: Provenance,
    /// Actions that must come first.
    pub depends_on: Vec<String>,
    /// Where the action sits in the bank (set by the bank; `None` for the 1.0.0 files' inline
    /// actions), so that planning needs no lookup by id.
    pub position: Option<usize>,
    /// The bank positions of `depends_on` (set by the bank; empty for inline actions), so that
    /// advice follows dependencies without comparing ids.
    pub dependency_positions: Vec<usize>,
    /// The indicators whose practice the action puts in place: it is done when all of them
    /// score "mostly" or more. Empty for a choice or an unobservable means (never done); `None`
    /// for the 1.0.0 files' inline actions, which did not record it.
    pub establishes: Option<Vec<Established>>,
    pub effort: Option<Effort>,
    pub owner: Option<Owner>,
    /// The sectors the action does not fit: it is never recommended to them.
    pub not_for: Sectors,
}

/// The validated action bank, in its curated order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActionBank {
    actions: Vec<Action>,
    index: HashMap<String, usize>,
    /// Per action, every action it depends on directly or transitively, as a bit set over
    /// positions in `actions`.
    requires: Vec<Vec<u64>>,
    /// Per action, its rank when the bank is sorted by id: plans break ties by id, and comparing
    /// ranks is cheaper than comparing ids.
    by_id: Vec<u32>,
}

impl ActionBank {
    /// A bank of actions already checked for unique ids, known dependencies and no cycles.
    pub(crate) fn new(mut actions: Vec<Action>) -> ActionBank {
        for (position, action) in actions.iter_mut().enumerate() {
            action.position = Some(position);
        }
        let index: HashMap<String, usize> = actions
            .iter()
            .enumerate()
            .map(|(i, action)| (action.id.clone(), i))
            .collect();
        let requires = transitive_dependencies(&actions, &index);
        for action in &mut actions {
            action.dependency_positions = action
                .depends_on
                .iter()
                .filter_map(|id| index.get(id).copied())
                .collect();
        }
        let mut sorted: Vec<usize> = (0..actions.len()).collect();
        sorted.sort_by(|&a, &b| actions[a].id.cmp(&actions[b].id));
        let mut by_id = vec![0u32; actions.len()];
        for (rank, &position) in sorted.iter().enumerate() {
            by_id[position] = u32::try_from(rank).unwrap_or(u32::MAX);
        }
        ActionBank {
            actions,
            index,
            requires,
            by_id,
        }
    }

    /// The action's rank among the bank's actions sorted by id.
    pub fn rank_by_id(&self, position: usize) -> Option<u32> {
        self.by_id.get(position).copied()
    }

    /// The action's position in the bank.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Whether the action at position `action` depends on the one at `other`, directly or
    /// through other actions.
    pub fn requires(&self, action: usize, other: usize) -> bool {
        self.requires
            .get(action)
            .and_then(|words| words.get(other / 64))
            .is_some_and(|word| word & (1 << (other % 64)) != 0)
    }

    pub fn get(&self, id: &str) -> Option<&Action> {
        self.index.get(id).map(|&i| &self.actions[i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter()
    }

    pub fn len(&self) -> usize {
        self.actions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// The positions of the actions that the action at `position` depends on directly; empty
    /// for an unknown position.
    pub fn dependency_positions(&self, position: usize) -> &[usize] {
        self.actions
            .get(position)
            .map_or(&[], |action| action.dependency_positions.as_slice())
    }

    /// Whether `action` depends on `other`, directly or through other actions.
    pub fn depends_on(&self, action: &str, other: &str) -> bool {
        match (self.position(action), self.position(other)) {
            (Some(action), Some(other)) => self.requires(action, other),
            _ => false,
        }
    }
}

/// Each action's transitive dependencies as bit sets. Unknown ids are ignored and a cycle (which
/// validation reports) only leaves sets incomplete, so this never loops.
fn transitive_dependencies(actions: &[Action], index: &HashMap<String, usize>) -> Vec<Vec<u64>> {
    let words = actions.len().div_ceil(64);
    let mut requires = vec![vec![0u64; words]; actions.len()];
    let mut done = vec![false; actions.len()];
    for start in 0..actions.len() {
        // Post-order depth-first walk, so a dependency's set is complete before it is merged.
        let mut stack: Vec<(usize, bool)> = vec![(start, false)];
        let mut open = vec![false; actions.len()];
        while let Some((node, expanded)) = stack.pop() {
            if done[node] {
                continue;
            }
            let dependencies = actions[node]
                .depends_on
                .iter()
                .filter_map(|id| index.get(id).copied());
            if expanded {
                for dependency in dependencies.filter(|&d| d != node) {
                    let (target, source) = if node < dependency {
                        let (left, right) = requires.split_at_mut(dependency);
                        (&mut left[node], &right[0])
                    } else {
                        let (left, right) = requires.split_at_mut(node);
                        (&mut right[0], &left[dependency])
                    };
                    for (word, bits) in target.iter_mut().zip(source) {
                        *word |= bits;
                    }
                    target[dependency / 64] |= 1 << (dependency % 64);
                }
                done[node] = true;
            } else if !open[node] {
                open[node] = true;
                stack.push((node, true));
                stack.extend(
                    dependencies
                        .filter(|&d| !done[d] && !open[d])
                        .map(|d| (d, false)),
                );
            }
        }
    }
    requires
}
