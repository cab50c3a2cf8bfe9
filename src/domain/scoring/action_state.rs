//! Whether an action is already done (DOMAIN.md, "Done actions"): done when every indicator it
//! establishes scores "mostly" or more; unknown when one is unanswered and none is below; a choice
//! or an unobservable means (it establishes nothing) is never done. An action that does not fit
//! the sector is never advised.

use super::{AnswerSet, AnswerValue, EPSILON};
use crate::domain::text_enum::text_enum;
use crate::domain::{Action, Model, Sector};

/// From this normalised score ("mostly") a practice an action establishes counts as done.
pub(super) const DONE_FROM: f64 = 0.75;

/// What the answers say about a recommended action's practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// An indicator it establishes scores below "mostly".
    Missing,
    /// An indicator it establishes is unanswered and none is below "mostly": check before
    /// planning it.
    Unknown,
    /// It establishes nothing the questionnaire asks (a choice, or a means no trait is rated for).
    Unmeasured,
}

text_enum!(Evidence {
    Missing => "missing",
    Unknown => "unknown",
    Unmeasured => "unmeasured",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ActionState {
    Done,
    Open(Evidence),
    /// Does not fit the sector: never recommended.
    Unfit,
}

pub(super) fn state(action: &Action, answers: &AnswerSet, sector: Option<Sector>) -> ActionState {
    if action.not_for.excludes(sector) {
        return ActionState::Unfit;
    }
    // 1.0.0's inline actions recorded no practice: they are advised as before.
    let Some(establishes) = &action.establishes else {
        return ActionState::Open(Evidence::Missing);
    };
    if establishes.is_empty() {
        return ActionState::Open(Evidence::Unmeasured);
    }
    let (mut fitting, mut unknown) = (0, false);
    for established in establishes.iter().filter(|e| !e.not_for.excludes(sector)) {
        fitting += 1;
        match answers.mean_at(established.position) {
            Some(mean) if mean / f64::from(AnswerValue::MAX) + EPSILON < DONE_FROM => {
                return ActionState::Open(Evidence::Missing);
            }
            Some(_) => {}
            None => unknown = true,
        }
    }
    match (fitting, unknown) {
        // Everything it establishes is left out for this sector: the action does not fit it.
        (0, _) => ActionState::Unfit,
        (_, true) => ActionState::Open(Evidence::Unknown),
        (_, false) => ActionState::Done,
    }
}

/// The state of every bank action a model holds, by bank position: worked out once per model,
/// because an action recurs across elements, prerequisites and the done lists.
pub(super) struct States<'s> {
    by_position: Vec<Option<ActionState>>,
    answers: &'s AnswerSet,
    sector: Option<Sector>,
}

impl<'s> States<'s> {
    pub fn of(model: &Model, answers: &'s AnswerSet, sector: Option<Sector>) -> States<'s> {
        let by_position = (0..model.action_slots.len())
            .map(|position| {
                model
                    .action_at(position)
                    .map(|action| state(action, answers, sector))
            })
            .collect();
        States {
            by_position,
            answers,
            sector,
        }
    }

    pub fn get(&self, action: &Action) -> ActionState {
        action
            .position
            .and_then(|p| self.by_position.get(p).copied().flatten())
            .unwrap_or_else(|| state(action, self.answers, self.sector))
    }
}
