//! A model's result as plain values: ids, numbers, codes and ranks, with the model version it was
//! scored with and no text in any language. This is what a submission keeps; a response renders it
//! in the reader's language from the pinned model version, so stored results never change when
//! they are read and never depend on the language they were submitted in.

use std::borrow::Cow;

use super::{Evidence, Id, IndicatorSpread, Insight, ModelResult, Profile, RecommendationKind};
use crate::domain::Version;

/// Ids are borrowed from the model when scored, owned when read back from storage.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelOutcome<'m> {
    pub model_id: Id<'m>,
    pub model_version: Version,
    /// The highest stage reached; `None` below the first stage and for focus models.
    pub stage_id: Option<Id<'m>>,
    pub progress_to_next: Option<f64>,
    pub coverage: f64,
    pub target_id: Option<Id<'m>>,
    /// Focus models: the elements the organisation chose to pursue, when it chose.
    pub focus: Option<Vec<Id<'m>>>,
    pub percent_to_target: Option<f64>,
    pub elements: Vec<ElementOutcome<'m>>,
    pub stages: Vec<StageOutcome<'m>>,
    pub profile: Option<Profile<'m>>,
    pub insights: Vec<Insight<'m>>,
    pub recommendations: Vec<RecommendationOutcome<'m>>,
    pub spread: Vec<IndicatorSpread<'m>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ElementOutcome<'m> {
    pub element_id: Id<'m>,
    pub score: Option<f64>,
    pub in_place: bool,
    pub coverage: f64,
    pub contributions: Vec<ContributionOutcome<'m>>,
    /// The element's actions already done.
    pub done_action_ids: Vec<Id<'m>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContributionOutcome<'m> {
    pub indicator_id: Id<'m>,
    pub value: Option<f64>,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StageOutcome<'m> {
    pub stage_id: Id<'m>,
    pub reached: bool,
    pub in_place: Vec<Id<'m>>,
    pub blocking: Vec<Id<'m>>,
    /// The first stage not reached, for a stage above it.
    pub blocked_below: Option<Id<'m>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecommendationOutcome<'m> {
    pub rank: u32,
    pub kind: RecommendationKind,
    pub stage_id: Option<Id<'m>>,
    pub element_id: Id<'m>,
    pub action_id: Id<'m>,
    pub evidence: Evidence,
    /// For a prerequisite: the actions it unblocks.
    pub unblocks: Vec<Id<'m>>,
}

impl ModelOutcome<'_> {
    /// Whether respondents disagree (two points or more apart) on any indicator behind `element`.
    pub fn disagreement_on(&self, element: &crate::domain::Element) -> bool {
        element.indicators.iter().any(|indicator| {
            self.spread
                .iter()
                .any(|s| s.disagreement && s.indicator_id == indicator.indicator_id)
        })
    }
}

impl<'m> ModelResult<'m> {
    /// The result as plain values, for keeping and rendering; its ids still borrow the model.
    pub fn outcome(&self) -> ModelOutcome<'m> {
        let borrowed = |ids: &[&'m str]| ids.iter().map(|id| Cow::Borrowed(*id)).collect();
        let id = |id: &'m String| Cow::Borrowed(id.as_str());
        ModelOutcome {
            model_id: id(&self.model.id),
            model_version: self.model.version,
            stage_id: self.stage.map(|s| id(&s.id)),
            progress_to_next: self.progress_to_next,
            coverage: self.coverage,
            target_id: self.target.map(|s| id(&s.id)),
            focus: self
                .focus
                .as_ref()
                .map(|chosen| chosen.iter().map(|e| id(&e.id)).collect()),
            percent_to_target: self.percent_to_target,
            elements: self
                .elements
                .iter()
                .map(|e| ElementOutcome {
                    element_id: id(&e.element.id),
                    score: e.score,
                    in_place: e.in_place,
                    coverage: e.coverage,
                    contributions: e
                        .contributions
                        .iter()
                        .map(|c| ContributionOutcome {
                            indicator_id: Cow::Borrowed(c.indicator_id),
                            value: c.value,
                            weight: c.weight,
                        })
                        .collect(),
                    done_action_ids: borrowed(&e.done_action_ids),
                })
                .collect(),
            stages: self
                .stages
                .iter()
                .map(|s| StageOutcome {
                    stage_id: id(&s.stage.id),
                    reached: s.reached,
                    in_place: borrowed(&s.in_place),
                    blocking: borrowed(&s.blocking),
                    blocked_below: s.blocked_below.map(|b| id(&b.id)),
                })
                .collect(),
            profile: self.profile.clone(),
            insights: self.insights.clone(),
            recommendations: self
                .recommendations
                .iter()
                .map(|r| RecommendationOutcome {
                    rank: r.rank,
                    kind: r.kind,
                    stage_id: r.stage.map(|s| id(&s.id)),
                    element_id: id(&r.element.id),
                    action_id: id(&r.action.id),
                    evidence: r.evidence,
                    unblocks: borrowed(&r.unblocks),
                })
                .collect(),
            spread: self.spread.clone(),
        }
    }
}
