//! One model's outcome as stored. Its parts read format 1's documents too: they have these
//! fields (and more, ignored).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::domain::scoring::{
    ContributionOutcome, ElementOutcome, Evidence, Id, IndicatorSpread, Insight, InsightCode,
    ModelOutcome, Profile, RecommendationKind, RecommendationOutcome, StageOutcome,
};
use crate::store::StoreError;

/// Ids as stored.
pub(super) fn texts(ids: &[Id<'_>]) -> Vec<String> {
    ids.iter().map(|id| id.clone().into_owned()).collect()
}

/// Ids read back: owned, as nothing outlives the read to borrow from.
pub(super) fn ids(ids: Vec<String>) -> Vec<Id<'static>> {
    ids.into_iter().map(Cow::Owned).collect()
}

fn text(id: &Id<'_>) -> String {
    id.clone().into_owned()
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredModel {
    pub(super) model_id: String,
    pub(super) model_version: String,
    pub(super) stage_id: Option<String>,
    pub(super) progress_to_next: Option<f64>,
    pub(super) coverage: f64,
    pub(super) target_id: Option<String>,
    #[serde(default)]
    pub(super) focus: Option<Vec<String>>,
    pub(super) percent_to_target: Option<f64>,
    pub(super) elements: Vec<StoredElement>,
    pub(super) stages: Vec<StoredStage>,
    pub(super) profile: Option<StoredProfile>,
    pub(super) insights: Vec<StoredInsight>,
    pub(super) recommendations: Vec<StoredRecommendation>,
    pub(super) spread: Vec<StoredSpread>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredElement {
    pub(super) id: String,
    pub(super) score: Option<f64>,
    pub(super) in_place: bool,
    pub(super) coverage: f64,
    pub(super) contributions: Vec<StoredContribution>,
    /// Absent in results stored before done actions were recorded (models 1.2.0).
    #[serde(default)]
    pub(super) done_action_ids: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredContribution {
    pub(super) indicator_id: String,
    pub(super) value: Option<f64>,
    pub(super) weight: f64,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredStage {
    pub(super) id: String,
    pub(super) reached: bool,
    pub(super) in_place: Vec<String>,
    pub(super) blocking: Vec<String>,
    #[serde(default)]
    pub(super) blocked_below: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredProfile {
    pub(super) mean: Option<f64>,
    pub(super) weakest: Vec<String>,
    /// Absent in results kept before it was recorded: worked out again from the element scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) strongest: Option<Vec<String>>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredInsight {
    pub(super) code: String,
    pub(super) element_ids: Vec<String>,
    #[serde(default)]
    pub(super) stage_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredRecommendation {
    pub(super) rank: u32,
    /// Absent in results stored before kinds existed: derived from the stage on reading.
    #[serde(default)]
    pub(super) kind: Option<String>,
    pub(super) stage_id: Option<String>,
    pub(super) element_id: String,
    pub(super) action_id: String,
    /// Absent in results stored before evidence was recorded: `missing`, as it was advised.
    #[serde(default)]
    pub(super) evidence: Option<String>,
    #[serde(default)]
    pub(super) unblocks: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredSpread {
    pub(super) indicator_id: String,
    pub(super) mean: Option<f64>,
    pub(super) min: Option<u8>,
    pub(super) max: Option<u8>,
    pub(super) answered: u32,
    #[serde(default)]
    pub(super) unknown: u32,
    pub(super) disagreement: bool,
}

impl From<&ModelOutcome<'_>> for StoredModel {
    fn from(m: &ModelOutcome<'_>) -> Self {
        StoredModel {
            model_id: text(&m.model_id),
            model_version: m.model_version.to_string(),
            stage_id: m.stage_id.as_ref().map(text),
            progress_to_next: m.progress_to_next,
            coverage: m.coverage,
            target_id: m.target_id.as_ref().map(text),
            focus: m.focus.as_deref().map(texts),
            percent_to_target: m.percent_to_target,
            elements: m
                .elements
                .iter()
                .map(|e| StoredElement {
                    id: text(&e.element_id),
                    score: e.score,
                    in_place: e.in_place,
                    coverage: e.coverage,
                    contributions: e
                        .contributions
                        .iter()
                        .map(|c| StoredContribution {
                            indicator_id: text(&c.indicator_id),
                            value: c.value,
                            weight: c.weight,
                        })
                        .collect(),
                    done_action_ids: texts(&e.done_action_ids),
                })
                .collect(),
            stages: m
                .stages
                .iter()
                .map(|s| StoredStage {
                    id: text(&s.stage_id),
                    reached: s.reached,
                    in_place: texts(&s.in_place),
                    blocking: texts(&s.blocking),
                    blocked_below: s.blocked_below.as_ref().map(text),
                })
                .collect(),
            profile: m.profile.as_ref().map(|p| StoredProfile {
                mean: p.mean,
                weakest: texts(&p.weakest),
                strongest: Some(texts(&p.strongest)),
            }),
            insights: m
                .insights
                .iter()
                .map(|i| StoredInsight {
                    code: i.code.as_str().to_owned(),
                    element_ids: texts(&i.element_ids),
                    stage_id: i.stage_id.as_ref().map(text),
                })
                .collect(),
            recommendations: m
                .recommendations
                .iter()
                .map(|r| StoredRecommendation {
                    rank: r.rank,
                    kind: Some(r.kind.as_str().to_owned()),
                    stage_id: r.stage_id.as_ref().map(text),
                    element_id: text(&r.element_id),
                    action_id: text(&r.action_id),
                    evidence: Some(r.evidence.as_str().to_owned()),
                    unblocks: texts(&r.unblocks),
                })
                .collect(),
            spread: m
                .spread
                .iter()
                .map(|s| StoredSpread {
                    indicator_id: text(&s.indicator_id),
                    mean: s.mean,
                    min: s.min,
                    max: s.max,
                    answered: s.answered,
                    unknown: s.unknown,
                    disagreement: s.disagreement,
                })
                .collect(),
        }
    }
}

/// The first stage not reached: the next stage, and the layer a skipped foundation skips.
pub(super) fn first_not_reached(stages: &[StoredStage]) -> Option<String> {
    stages.iter().find(|s| !s.reached).map(|s| s.id.clone())
}

impl StoredModel {
    pub(super) fn into_outcome(self) -> Result<ModelOutcome<'static>, StoreError> {
        let next_stage = first_not_reached(&self.stages);
        let recommendations = self
            .recommendations
            .into_iter()
            .map(|r| recommendation(r, next_stage.as_deref()))
            .collect::<Result<_, _>>()?;
        Ok(ModelOutcome {
            model_version: self
                .model_version
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("model version: {e}")))?,
            model_id: self.model_id.into(),
            stage_id: self.stage_id.map(Cow::Owned),
            progress_to_next: self.progress_to_next,
            coverage: self.coverage,
            target_id: self.target_id.map(Cow::Owned),
            focus: self.focus.map(ids),
            percent_to_target: self.percent_to_target,
            profile: self.profile.map(|p| profile(p, &self.elements)),
            elements: self.elements.into_iter().map(element).collect(),
            stages: self.stages.into_iter().map(stage).collect(),
            insights: self
                .insights
                .into_iter()
                .map(insight)
                .collect::<Result<_, _>>()?,
            recommendations,
            spread: self.spread.into_iter().map(spread).collect(),
        })
    }
}

pub(super) fn element(e: StoredElement) -> ElementOutcome<'static> {
    ElementOutcome {
        element_id: e.id.into(),
        score: e.score,
        in_place: e.in_place,
        coverage: e.coverage,
        contributions: e
            .contributions
            .into_iter()
            .map(|c| ContributionOutcome {
                indicator_id: c.indicator_id.into(),
                value: c.value,
                weight: c.weight,
            })
            .collect(),
        done_action_ids: ids(e.done_action_ids),
    }
}

pub(super) fn stage(s: StoredStage) -> StageOutcome<'static> {
    StageOutcome {
        stage_id: s.id.into(),
        reached: s.reached,
        in_place: ids(s.in_place),
        blocking: ids(s.blocking),
        blocked_below: s.blocked_below.map(Cow::Owned),
    }
}

pub(super) fn profile(p: StoredProfile, elements: &[StoredElement]) -> Profile<'static> {
    let strongest = match p.strongest {
        Some(stored) => ids(stored),
        None => Profile::of(elements.iter().map(|e| (e.id.as_str(), e.score)))
            .strongest
            .into_iter()
            .map(|id| Cow::Owned(id.into_owned()))
            .collect(),
    };
    Profile {
        mean: p.mean,
        weakest: ids(p.weakest),
        strongest,
    }
}

pub(super) fn insight(i: StoredInsight) -> Result<Insight<'static>, StoreError> {
    Ok(Insight {
        code: InsightCode::parse(&i.code)
            .ok_or_else(|| StoreError::Corrupt(format!("insight code `{}`", i.code)))?,
        element_ids: ids(i.element_ids),
        stage_id: i.stage_id.map(Cow::Owned),
    })
}

/// A recommendation; one stored before kinds existed is `next` on the next stage (and in focus
/// models) and `toward-target` beyond it.
pub(super) fn recommendation(
    r: StoredRecommendation,
    next_stage: Option<&str>,
) -> Result<RecommendationOutcome<'static>, StoreError> {
    let kind = match r.kind.as_deref() {
        Some(kind) => RecommendationKind::parse(kind)
            .ok_or_else(|| StoreError::Corrupt(format!("recommendation kind `{kind}`")))?,
        None if r.stage_id.is_none() || r.stage_id.as_deref() == next_stage => {
            RecommendationKind::Next
        }
        None => RecommendationKind::TowardTarget,
    };
    Ok(RecommendationOutcome {
        rank: r.rank,
        kind,
        stage_id: r.stage_id.map(Cow::Owned),
        element_id: r.element_id.into(),
        action_id: r.action_id.into(),
        evidence: evidence(r.evidence.as_deref())?,
        unblocks: ids(r.unblocks),
    })
}

/// Stored evidence; results stored before it was recorded advised every action as missing.
pub(super) fn evidence(stored: Option<&str>) -> Result<Evidence, StoreError> {
    stored.map_or(Ok(Evidence::Missing), |text| {
        Evidence::parse(text).ok_or_else(|| StoreError::Corrupt(format!("evidence `{text}`")))
    })
}

pub(super) fn spread(s: StoredSpread) -> IndicatorSpread<'static> {
    IndicatorSpread {
        indicator_id: s.indicator_id.into(),
        mean: s.mean,
        min: s.min,
        max: s.max,
        answered: s.answered,
        unknown: s.unknown,
        disagreement: s.disagreement,
    }
}
