//! How submitted results are kept: a versioned JSON document owned by the store, converted to and
//! from the domain's [`AssessmentResults`]. Language-free: ids, numbers, codes and ranks.
//!
//! Format 2 (written now) holds the outcomes. Format 1 (written before format 2 existed, read
//! still) held the rendered result documents in every language; everything format 2 keeps is in
//! them, so they convert without loss.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::assessment::AssessmentResults;
use crate::domain::ids::AssessmentId;
use crate::domain::scoring::cross_model::{CrossInsight, CrossInsightCode, ElementRef};
use crate::domain::scoring::roadmap::{ReasonEntry, RoadmapEntry};
use crate::domain::scoring::{
    ContributionOutcome, ElementOutcome, IndicatorSpread, Insight, InsightCode, ModelOutcome,
    Profile, RecommendationKind, RecommendationOutcome, StageOutcome,
};
use crate::store::StoreError;

const CURRENT_FORMAT: u32 = 2;

/// Format 2.
#[derive(Serialize, Deserialize)]
struct StoredResults {
    format: u32,
    respondents: usize,
    submitted_at: DateTime<Utc>,
    models: Vec<StoredModel>,
    /// Absent in results kept before roadmaps existed.
    #[serde(default)]
    roadmap: Vec<StoredRoadmapItem>,
    #[serde(default)]
    insights: Vec<StoredCrossInsight>,
}

#[derive(Serialize, Deserialize)]
struct StoredRoadmapItem {
    rank: u32,
    action_id: String,
    kind: String,
    reasons: Vec<StoredReason>,
}

#[derive(Serialize, Deserialize)]
struct StoredReason {
    model_id: String,
    element_id: String,
    stage_id: Option<String>,
    score: Option<f64>,
}

#[derive(Serialize, Deserialize)]
struct StoredCrossInsight {
    code: String,
    model_ids: Vec<String>,
    ahead: Vec<StoredElementRef>,
    behind: Vec<StoredElementRef>,
    indicator_ids: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredElementRef {
    model_id: String,
    element_id: String,
}

#[derive(Serialize, Deserialize)]
struct StoredModel {
    model_id: String,
    model_version: String,
    stage_id: Option<String>,
    progress_to_next: Option<f64>,
    coverage: f64,
    target_id: Option<String>,
    #[serde(default)]
    focus: Option<Vec<String>>,
    percent_to_target: Option<f64>,
    elements: Vec<StoredElement>,
    stages: Vec<StoredStage>,
    profile: Option<StoredProfile>,
    insights: Vec<StoredInsight>,
    recommendations: Vec<StoredRecommendation>,
    spread: Vec<StoredSpread>,
}

// The parts below read format 1's documents too: they have these fields (and more, ignored).

#[derive(Serialize, Deserialize)]
struct StoredElement {
    id: String,
    score: Option<f64>,
    in_place: bool,
    coverage: f64,
    contributions: Vec<StoredContribution>,
}

#[derive(Serialize, Deserialize)]
struct StoredContribution {
    indicator_id: String,
    value: Option<f64>,
    weight: f64,
}

#[derive(Serialize, Deserialize)]
struct StoredStage {
    id: String,
    reached: bool,
    in_place: Vec<String>,
    blocking: Vec<String>,
    #[serde(default)]
    blocked_below: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredProfile {
    mean: Option<f64>,
    weakest: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredInsight {
    code: String,
    element_ids: Vec<String>,
    #[serde(default)]
    stage_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredRecommendation {
    rank: u32,
    /// Absent in results stored before kinds existed: derived from the stage on reading.
    #[serde(default)]
    kind: Option<String>,
    stage_id: Option<String>,
    element_id: String,
    action_id: String,
}

#[derive(Serialize, Deserialize)]
struct StoredSpread {
    indicator_id: String,
    mean: Option<f64>,
    min: Option<u8>,
    max: Option<u8>,
    answered: u32,
    #[serde(default)]
    unknown: u32,
    disagreement: bool,
}

/// Format 1: rendered documents per language; the English ones are read.
#[derive(Deserialize)]
struct FormatOne {
    respondents: usize,
    submitted_at: DateTime<Utc>,
    en: Vec<FormatOneModel>,
}

#[derive(Deserialize)]
struct FormatOneModel {
    model_id: String,
    model_version: String,
    stage: Option<FormatOneStageRef>,
    progress_to_next: Option<f64>,
    coverage: f64,
    target: Option<FormatOneStageRef>,
    percent_to_target: Option<f64>,
    elements: Vec<StoredElement>,
    stages: Vec<StoredStage>,
    profile: Option<StoredProfile>,
    insights: Vec<StoredInsight>,
    recommendations: Vec<StoredRecommendation>,
    spread: Vec<StoredSpread>,
}

#[derive(Deserialize)]
struct FormatOneStageRef {
    id: String,
}

/// The document to store for `results`.
pub(super) fn write(results: &AssessmentResults) -> Result<serde_json::Value, StoreError> {
    let stored = StoredResults {
        format: CURRENT_FORMAT,
        respondents: results.respondents,
        submitted_at: results.submitted_at,
        models: results.models.iter().map(StoredModel::from).collect(),
        roadmap: results
            .roadmap
            .iter()
            .map(StoredRoadmapItem::from)
            .collect(),
        insights: results
            .insights
            .iter()
            .map(StoredCrossInsight::from)
            .collect(),
    };
    serde_json::to_value(stored).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The results in a stored document of any format this build knows.
pub(super) fn read(
    assessment_id: AssessmentId,
    document: serde_json::Value,
) -> Result<AssessmentResults, StoreError> {
    let corrupt = |e: serde_json::Error| {
        StoreError::Corrupt(format!("results of assessment {assessment_id}: {e}"))
    };
    let format = document.get("format").and_then(serde_json::Value::as_u64);
    let (respondents, submitted_at, models, roadmap, insights) = match format {
        Some(2) => {
            let stored: StoredResults = serde_json::from_value(document).map_err(corrupt)?;
            let models = stored
                .models
                .into_iter()
                .map(StoredModel::into_outcome)
                .collect::<Result<_, _>>()?;
            let roadmap = stored
                .roadmap
                .into_iter()
                .map(StoredRoadmapItem::into_entry)
                .collect::<Result<_, _>>()?;
            let insights = stored
                .insights
                .into_iter()
                .map(StoredCrossInsight::into_insight)
                .collect::<Result<_, _>>()?;
            (
                stored.respondents,
                stored.submitted_at,
                models,
                roadmap,
                insights,
            )
        }
        None => {
            let stored: FormatOne = serde_json::from_value(document).map_err(corrupt)?;
            let models = stored
                .en
                .into_iter()
                .map(FormatOneModel::into_outcome)
                .collect::<Result<_, _>>()?;
            (
                stored.respondents,
                stored.submitted_at,
                models,
                Vec::new(),
                Vec::new(),
            )
        }
        Some(other) => {
            return Err(StoreError::Corrupt(format!(
                "results of assessment {assessment_id} are in format {other}, unknown to this build"
            )));
        }
    };
    Ok(AssessmentResults {
        assessment_id,
        submitted_at,
        respondents,
        models,
        roadmap,
        insights,
    })
}

impl From<&RoadmapEntry> for StoredRoadmapItem {
    fn from(entry: &RoadmapEntry) -> Self {
        StoredRoadmapItem {
            rank: entry.rank,
            action_id: entry.action_id.clone(),
            kind: entry.kind.as_str().to_owned(),
            reasons: entry
                .reasons
                .iter()
                .map(|r| StoredReason {
                    model_id: r.model_id.clone(),
                    element_id: r.element_id.clone(),
                    stage_id: r.stage_id.clone(),
                    score: r.score,
                })
                .collect(),
        }
    }
}

impl StoredRoadmapItem {
    fn into_entry(self) -> Result<RoadmapEntry, StoreError> {
        Ok(RoadmapEntry {
            rank: self.rank,
            kind: RecommendationKind::parse(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("roadmap kind `{}`", self.kind)))?,
            action_id: self.action_id,
            reasons: self
                .reasons
                .into_iter()
                .map(|r| ReasonEntry {
                    model_id: r.model_id,
                    element_id: r.element_id,
                    stage_id: r.stage_id,
                    score: r.score,
                })
                .collect(),
        })
    }
}

impl From<&CrossInsight> for StoredCrossInsight {
    fn from(insight: &CrossInsight) -> Self {
        let refs = |refs: &[ElementRef]| {
            refs.iter()
                .map(|r| StoredElementRef {
                    model_id: r.model_id.clone(),
                    element_id: r.element_id.clone(),
                })
                .collect()
        };
        StoredCrossInsight {
            code: insight.code.as_str().to_owned(),
            model_ids: insight.model_ids.clone(),
            ahead: refs(&insight.ahead),
            behind: refs(&insight.behind),
            indicator_ids: insight.indicator_ids.clone(),
        }
    }
}

impl StoredCrossInsight {
    fn into_insight(self) -> Result<CrossInsight, StoreError> {
        let refs = |refs: Vec<StoredElementRef>| {
            refs.into_iter()
                .map(|r| ElementRef {
                    model_id: r.model_id,
                    element_id: r.element_id,
                })
                .collect()
        };
        Ok(CrossInsight {
            code: CrossInsightCode::parse(&self.code).ok_or_else(|| {
                StoreError::Corrupt(format!("cross-model insight `{}`", self.code))
            })?,
            model_ids: self.model_ids,
            ahead: refs(self.ahead),
            behind: refs(self.behind),
            indicator_ids: self.indicator_ids,
        })
    }
}

impl From<&ModelOutcome> for StoredModel {
    fn from(m: &ModelOutcome) -> Self {
        StoredModel {
            model_id: m.model_id.clone(),
            model_version: m.model_version.to_string(),
            stage_id: m.stage_id.clone(),
            progress_to_next: m.progress_to_next,
            coverage: m.coverage,
            target_id: m.target_id.clone(),
            focus: m.focus.clone(),
            percent_to_target: m.percent_to_target,
            elements: m
                .elements
                .iter()
                .map(|e| StoredElement {
                    id: e.element_id.clone(),
                    score: e.score,
                    in_place: e.in_place,
                    coverage: e.coverage,
                    contributions: e
                        .contributions
                        .iter()
                        .map(|c| StoredContribution {
                            indicator_id: c.indicator_id.clone(),
                            value: c.value,
                            weight: c.weight,
                        })
                        .collect(),
                })
                .collect(),
            stages: m
                .stages
                .iter()
                .map(|s| StoredStage {
                    id: s.stage_id.clone(),
                    reached: s.reached,
                    in_place: s.in_place.clone(),
                    blocking: s.blocking.clone(),
                    blocked_below: s.blocked_below.clone(),
                })
                .collect(),
            profile: m.profile.as_ref().map(|p| StoredProfile {
                mean: p.mean,
                weakest: p.weakest.clone(),
            }),
            insights: m
                .insights
                .iter()
                .map(|i| StoredInsight {
                    code: i.code.as_str().to_owned(),
                    element_ids: i.element_ids.clone(),
                    stage_id: i.stage_id.clone(),
                })
                .collect(),
            recommendations: m
                .recommendations
                .iter()
                .map(|r| StoredRecommendation {
                    rank: r.rank,
                    kind: Some(r.kind.as_str().to_owned()),
                    stage_id: r.stage_id.clone(),
                    element_id: r.element_id.clone(),
                    action_id: r.action_id.clone(),
                })
                .collect(),
            spread: m
                .spread
                .iter()
                .map(|s| StoredSpread {
                    indicator_id: s.indicator_id.clone().into_owned(),
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

impl StoredModel {
    fn into_outcome(self) -> Result<ModelOutcome, StoreError> {
        let next_stage = self
            .stages
            .iter()
            .find(|s| !s.reached)
            .map(|s| s.id.clone());
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
            model_id: self.model_id,
            stage_id: self.stage_id,
            progress_to_next: self.progress_to_next,
            coverage: self.coverage,
            target_id: self.target_id,
            focus: self.focus,
            percent_to_target: self.percent_to_target,
            elements: self.elements.into_iter().map(element).collect(),
            stages: self.stages.into_iter().map(stage).collect(),
            profile: self.profile.map(profile),
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

impl FormatOneModel {
    /// Format 1 named no stage on insights: the skipped layer is the first one not reached, and
    /// the target reached is the target.
    fn into_outcome(self) -> Result<ModelOutcome, StoreError> {
        let skipped_layer = self
            .stages
            .iter()
            .find(|s| !s.reached)
            .map(|s| s.id.clone());
        let target_id = self.target.map(|t| t.id);
        let insights = self
            .insights
            .into_iter()
            .map(|mut i| {
                i.stage_id = match i.code.as_str() {
                    "skipped-foundation" => skipped_layer.clone(),
                    "target-reached" => target_id.clone(),
                    _ => None,
                };
                i
            })
            .collect();
        StoredModel {
            model_id: self.model_id,
            model_version: self.model_version,
            stage_id: self.stage.map(|s| s.id),
            progress_to_next: self.progress_to_next,
            coverage: self.coverage,
            target_id,
            focus: None,
            percent_to_target: self.percent_to_target,
            elements: self.elements,
            stages: self.stages,
            profile: self.profile,
            insights,
            recommendations: self.recommendations,
            spread: self.spread,
        }
        .into_outcome()
    }
}

fn element(e: StoredElement) -> ElementOutcome {
    ElementOutcome {
        element_id: e.id,
        score: e.score,
        in_place: e.in_place,
        coverage: e.coverage,
        contributions: e
            .contributions
            .into_iter()
            .map(|c| ContributionOutcome {
                indicator_id: c.indicator_id,
                value: c.value,
                weight: c.weight,
            })
            .collect(),
    }
}

fn stage(s: StoredStage) -> StageOutcome {
    StageOutcome {
        stage_id: s.id,
        reached: s.reached,
        in_place: s.in_place,
        blocking: s.blocking,
        blocked_below: s.blocked_below,
    }
}

fn profile(p: StoredProfile) -> Profile {
    Profile {
        mean: p.mean,
        weakest: p.weakest,
    }
}

fn insight(i: StoredInsight) -> Result<Insight, StoreError> {
    Ok(Insight {
        code: InsightCode::parse(&i.code)
            .ok_or_else(|| StoreError::Corrupt(format!("insight code `{}`", i.code)))?,
        element_ids: i.element_ids,
        stage_id: i.stage_id,
    })
}

/// A recommendation; one stored before kinds existed is `next` on the next stage (and in focus
/// models) and `toward-target` beyond it.
fn recommendation(
    r: StoredRecommendation,
    next_stage: Option<&str>,
) -> Result<RecommendationOutcome, StoreError> {
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
        stage_id: r.stage_id,
        element_id: r.element_id,
        action_id: r.action_id,
    })
}

fn spread(s: StoredSpread) -> IndicatorSpread<'static> {
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

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;
    use crate::catalog::Catalog;
    use crate::domain::scoring::roadmap::{RoadmapItem, roadmap};
    use crate::domain::scoring::{
        Ambition, AnswerSet, AnswerValue, ModelResult, RespondentAnswers, cross_model, score_model,
    };

    static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::builtin().unwrap());

    /// Every latest model scored on the same answers, with a target on the staged ones.
    fn results_for(answers: &RespondentAnswers, respondents: usize) -> AssessmentResults {
        let set = AnswerSet::aggregate(CATALOG.indicators(), &vec![answers.clone(); respondents]);
        let results: Vec<_> = CATALOG
            .latest_models()
            .map(|model| {
                let target = model.stages.last().map(|s| s.id.as_str());
                score_model(model, &set, Ambition::target(target)).unwrap()
            })
            .collect();
        AssessmentResults {
            assessment_id: AssessmentId(uuid::Uuid::now_v7()),
            submitted_at: Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap(),
            respondents,
            models: results.iter().map(ModelResult::outcome).collect(),
            roadmap: roadmap(&results, CATALOG.actions())
                .iter()
                .map(RoadmapItem::entry)
                .collect(),
            insights: cross_model::observe(&results),
        }
    }

    fn answers() -> impl Strategy<Value = RespondentAnswers> {
        let ids: Vec<String> = CATALOG.indicators().iter().map(|i| i.id.clone()).collect();
        let answer = prop_oneof![
            2 => Just(None),
            1 => Just(Some(None)),
            6 => (0i64..=4).prop_map(|v| Some(AnswerValue::new(v))),
        ];
        proptest::collection::vec(answer, ids.len()).prop_map(move |values| {
            ids.iter()
                .zip(values)
                .filter_map(|(id, value)| value.map(|v| (id.clone(), v)))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn stored_results_read_back_exactly(answers in answers(), respondents in 1usize..4) {
            let results = results_for(&answers, respondents);
            let document = write(&results).unwrap();
            prop_assert_eq!(document["format"].as_u64(), Some(2));
            // Through text, as the database keeps it.
            let text = serde_json::to_string(&document).unwrap();
            let read_back = read(results.assessment_id, serde_json::from_str(&text).unwrap());
            prop_assert_eq!(read_back.unwrap(), results);
        }
    }

    #[test]
    fn stored_results_hold_no_text_in_any_language() {
        let answers: RespondentAnswers = CATALOG
            .indicators()
            .iter()
            .map(|i| (i.id.clone(), AnswerValue::new(2)))
            .collect();
        let document = write(&results_for(&answers, 1)).unwrap().to_string();
        for text in [
            "\"name\":",
            "\"message\":",
            "\"text\":",
            "Monitor",
            "Luisteren",
        ] {
            assert!(!document.contains(text), "{text}");
        }
    }

    #[test]
    fn an_unknown_format_is_refused_not_guessed() {
        let id = AssessmentId(uuid::Uuid::nil());
        let refused = read(id, serde_json::json!({"format": 3, "models": []}));
        assert!(matches!(refused, Err(StoreError::Corrupt(_))));
    }
}
