//! What scoring one model yields: the placement, and everything needed to explain it.

use std::borrow::Cow;

use smallvec::SmallVec;

use super::Evidence;
use crate::domain::text_enum::text_enum;
use crate::domain::{Action, Element, Model, Stage};

/// A list that is short in every model (a stage's elements, an action's reasons): kept inline,
/// off the heap, while it fits.
pub type ShortList<T> = SmallVec<[T; 8]>;

/// The result for one model. Borrows the model: render it, or store its rendering, as needed.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelResult<'m> {
    pub model: &'m Model,
    /// Highest stage reached; `None` below the first stage, and always for focus models.
    pub stage: Option<&'m Stage>,
    /// Mean score of the next stage's required elements (unanswered counts as 0); `None` at the
    /// top and for focus models.
    pub progress_to_next: Option<f64>,
    /// Answered indicator weight / total indicator weight.
    pub coverage: f64,
    /// The target stage (ambition), when one was set.
    pub target: Option<&'m Stage>,
    /// Focus models: the elements the organisation chose to pursue, when it chose.
    pub focus: Option<Vec<&'m Element>>,
    /// 1 − Σ gaps / Σ targets over the elements required up to the target; `None` without one.
    pub percent_to_target: Option<f64>,
    pub elements: Vec<ElementResult<'m>>,
    /// Per stage, which required elements are in place and which block it (empty for focus).
    pub stages: Vec<StageResult<'m>>,
    /// Focus models: the mean of the scored elements and the weakest ones.
    pub profile: Option<Profile<'m>>,
    pub insights: Vec<Insight<'m>>,
    pub recommendations: Vec<Recommendation<'m>>,
    /// Indicators of this model that respondents answered, with their spread.
    pub spread: Vec<IndicatorSpread<'m>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ElementResult<'m> {
    pub element: &'m Element,
    /// Weighted mean of the normalised answers (0–1); `None` when no indicator was answered.
    pub score: Option<f64>,
    pub in_place: bool,
    /// Answered indicator weight / the element's indicator weight.
    pub coverage: f64,
    /// The indicators behind the score.
    /// An element has a handful of indicators: kept inline.
    pub contributions: SmallVec<[Contribution<'m>; 4]>,
    /// The element's actions that are already done (every indicator they establish scores
    /// "mostly" or more), in the element's order: what the client already has.
    pub done_action_ids: SmallVec<[&'m str; 4]>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Contribution<'m> {
    pub indicator_id: &'m str,
    /// The (mean) answer on the 0–4 scale; `None` when unanswered or "don't know".
    pub value: Option<f64>,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StageResult<'m> {
    pub stage: &'m Stage,
    /// This stage's and every lower stage's required elements are in place.
    pub reached: bool,
    /// This stage's required elements that are in place.
    pub in_place: ShortList<&'m str>,
    /// This stage's required elements that are not.
    pub blocking: ShortList<&'m str>,
    /// For a stage above the first one not reached: that stage, which blocks this one lower down.
    pub blocked_below: Option<&'m Stage>,
}

/// Ids borrowed from the model while scoring, owned once read back from storage, so that scoring
/// copies no id (a request's results hold several hundred).
pub type Id<'m> = Cow<'m, str>;

#[derive(Clone, Debug, PartialEq)]
pub struct Profile<'m> {
    /// Mean of the scored elements; `None` when none is scored.
    pub mean: Option<f64>,
    /// The scored elements with the lowest score.
    pub weakest: Vec<Id<'m>>,
    /// The scored elements with the highest score.
    pub strongest: Vec<Id<'m>>,
}

impl<'m> Profile<'m> {
    /// The profile of element scores (`None`: unknown, left out), ties all listed in order.
    pub fn of(scores: impl Iterator<Item = (&'m str, Option<f64>)>) -> Profile<'m> {
        let scored: Vec<(&str, f64)> = scores.filter_map(|(id, s)| Some((id, s?))).collect();
        let mean = (!scored.is_empty())
            .then(|| scored.iter().map(|(_, s)| s).sum::<f64>() / scored.len() as f64);
        let lowest = scored.iter().map(|(_, s)| *s).fold(f64::INFINITY, f64::min);
        let highest = scored
            .iter()
            .map(|(_, s)| *s)
            .fold(f64::NEG_INFINITY, f64::max);
        let at = |bound: f64| -> Vec<Id<'m>> {
            scored
                .iter()
                .filter(|(_, s)| (*s - bound).abs() <= super::EPSILON)
                .map(|(id, _)| Cow::Borrowed(*id))
                .collect()
        };
        Profile {
            mean,
            weakest: at(lowest),
            strongest: at(highest),
        }
    }
}

/// An observation worth telling the client, with the elements (and stage) it is about; see
/// [`Insight::message`] for its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Insight<'m> {
    pub code: InsightCode,
    pub element_ids: Vec<Id<'m>>,
    /// The layer skipped (`skipped-foundation`) or the target reached (`target-reached`).
    pub stage_id: Option<Id<'m>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsightCode {
    /// Layered models: an element of a higher layer is in place while a lower layer is not reached.
    SkippedFoundation,
    /// A skipped foundation, or a focus model's foundation, whose state is unknown: nothing that
    /// would show it is answered, so it is not asserted to be missing.
    FoundationUnknown,
    /// Focus models with a foundation: the foundation is not in place, undermining the rest.
    FoundationNotInPlace,
    /// Focus models: the weakest elements of the profile.
    WeakestElements,
    /// Elements without any answered indicator: their placement is unknown, not zero.
    UnansweredElements,
    /// The target stage is reached.
    TargetReached,
    /// Staged models: elements of a higher stage are in place while a lower stage blocks, so the
    /// stage alone understates the organisation.
    AheadOfStage,
}

text_enum!(InsightCode {
    SkippedFoundation => "skipped-foundation",
    FoundationUnknown => "foundation-unknown",
    FoundationNotInPlace => "foundation-not-in-place",
    WeakestElements => "weakest-elements",
    UnansweredElements => "unanswered-elements",
    TargetReached => "target-reached",
    AheadOfStage => "ahead-of-stage",
});

/// Why an action is recommended, the most pressing first: an action several reasons call for
/// takes the first of their kinds in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecommendationKind {
    /// It puts in place an element of the next stage, or a focus model's foundation or pursued
    /// element, or it is the choice of a focus.
    Next,
    /// A recommended action depends on it and it is not done: it is pulled in first.
    Prerequisite,
    /// It puts in place an element of a stage beyond the next one, up to the target.
    TowardTarget,
    /// Nothing on the path is missing: it strengthens an element in place that scores below
    /// "mostly".
    Strengthen,
    /// An ambition model without a target: the layer above what the organisation does, offered
    /// as an option, never as the next step.
    Option,
}

text_enum!(RecommendationKind {
    Next => "next",
    Prerequisite => "prerequisite",
    TowardTarget => "toward-target",
    Strengthen => "strengthen",
    Option => "option",
});

/// One action to take, in the order to take them.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation<'m> {
    /// 1 for the first thing to do.
    pub rank: u32,
    pub kind: RecommendationKind,
    /// The stage the element belongs to; `None` in focus models.
    pub stage: Option<&'m Stage>,
    pub element: &'m Element,
    pub action: &'m Action,
    /// What the answers say about the action's practice.
    pub evidence: Evidence,
    /// For a prerequisite: the recommended actions it unblocks.
    pub unblocks: SmallVec<[&'m str; 2]>,
    /// Where the action (or, for a prerequisite, the action it unblocks) is listed among the
    /// element's actions, from 0.
    pub listed: usize,
    /// The model's other elements that call for the same action (the step is listed once).
    pub also: SmallVec<[Caller<'m>; 1]>,
}

/// An element that calls for an action, and how.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Caller<'m> {
    pub stage: Option<&'m Stage>,
    pub element: &'m Element,
    pub kind: RecommendationKind,
    pub listed: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorSpread<'m> {
    /// Borrowed from the model while scoring; owned once read back from storage.
    pub indicator_id: Id<'m>,
    pub mean: Option<f64>,
    pub min: Option<u8>,
    pub max: Option<u8>,
    pub answered: u32,
    /// Respondents who answered "don't know / not applicable".
    pub unknown: u32,
    /// Respondents differ by two points or more.
    pub disagreement: bool,
}
