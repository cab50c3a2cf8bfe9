//! A model's result as plain values: ids, numbers, codes and ranks, with the model version it was
//! scored with and no text in any language. This is what a submission keeps; a response renders it
//! in the reader's language from the pinned model version, so stored results never change when
//! they are read and never depend on the language they were submitted in.

use std::borrow::Cow;

use super::{Evidence, IndicatorSpread, Insight, ModelResult, Profile, RecommendationKind};
use crate::domain::Version;

#[derive(Clone, Debug, PartialEq)]
pub struct ModelOutcome {
    pub model_id: String,
    pub model_version: Version,
    /// The highest stage reached; `None` below the first stage and for focus models.
    pub stage_id: Option<String>,
    pub progress_to_next: Option<f64>,
    pub coverage: f64,
    pub target_id: Option<String>,
    /// Focus models: the elements the organisation chose to pursue, when it chose.
    pub focus: Option<Vec<String>>,
    pub percent_to_target: Option<f64>,
    pub elements: Vec<ElementOutcome>,
    pub stages: Vec<StageOutcome>,
    pub profile: Option<Profile>,
    pub insights: Vec<Insight>,
    pub recommendations: Vec<RecommendationOutcome>,
    pub spread: Vec<IndicatorSpread<'static>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ElementOutcome {
    pub element_id: String,
    pub score: Option<f64>,
    pub in_place: bool,
    pub coverage: f64,
    pub contributions: Vec<ContributionOutcome>,
    /// The element's actions already done.
    pub done_action_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContributionOutcome {
    pub indicator_id: String,
    pub value: Option<f64>,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StageOutcome {
    pub stage_id: String,
    pub reached: bool,
    pub in_place: Vec<String>,
    pub blocking: Vec<String>,
    /// The first stage not reached, for a stage above it.
    pub blocked_below: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecommendationOutcome {
    pub rank: u32,
    pub kind: RecommendationKind,
    pub stage_id: Option<String>,
    pub element_id: String,
    pub action_id: String,
    pub evidence: Evidence,
    /// For a prerequisite: the actions it unblocks.
    pub unblocks: Vec<String>,
}

impl ModelOutcome {
    /// Whether respondents disagree (two points or more apart) on any indicator behind `element`.
    pub fn disagreement_on(&self, element: &crate::domain::Element) -> bool {
        element.indicators.iter().any(|indicator| {
            self.spread
                .iter()
                .any(|s| s.disagreement && s.indicator_id == indicator.indicator_id)
        })
    }
}

impl ModelResult<'_> {
    /// The result without borrowed model parts, for keeping.
    pub fn outcome(&self) -> ModelOutcome {
        let owned = |ids: &[&str]| ids.iter().map(|id| (*id).to_owned()).collect();
        ModelOutcome {
            model_id: self.model.id.clone(),
            model_version: self.model.version,
            stage_id: self.stage.map(|s| s.id.clone()),
            progress_to_next: self.progress_to_next,
            coverage: self.coverage,
            target_id: self.target.map(|s| s.id.clone()),
            focus: self
                .focus
                .as_ref()
                .map(|chosen| chosen.iter().map(|e| e.id.clone()).collect()),
            percent_to_target: self.percent_to_target,
            elements: self
                .elements
                .iter()
                .map(|e| ElementOutcome {
                    element_id: e.element.id.clone(),
                    score: e.score,
                    in_place: e.in_place,
                    coverage: e.coverage,
                    contributions: e
                        .contributions
                        .iter()
                        .map(|c| ContributionOutcome {
                            indicator_id: c.indicator_id.to_owned(),
                            value: c.value,
                            weight: c.weight,
                        })
                        .collect(),
                    done_action_ids: owned(&e.done_action_ids),
                })
                .collect(),
            stages: self
                .stages
                .iter()
                .map(|s| StageOutcome {
                    stage_id: s.stage.id.clone(),
                    reached: s.reached,
                    in_place: owned(&s.in_place),
                    blocking: owned(&s.blocking),
                    blocked_below: s.blocked_below.map(|b| b.id.clone()),
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
                    stage_id: r.stage.map(|s| s.id.clone()),
                    element_id: r.element.id.clone(),
                    action_id: r.action.id.clone(),
                    evidence: r.evidence,
                    unblocks: owned(&r.unblocks),
                })
                .collect(),
            spread: self
                .spread
                .iter()
                .map(|s| IndicatorSpread {
                    indicator_id: Cow::Owned(s.indicator_id.clone().into_owned()),
                    ..s.clone()
                })
                .collect(),
        }
    }
}
