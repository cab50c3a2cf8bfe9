//! The roadmap and the cross-model insights as stored.

use serde::{Deserialize, Serialize};

use std::borrow::Cow;

use super::model::{evidence, ids, texts};
use crate::domain::scoring::RecommendationKind;
use crate::domain::scoring::cross_model::{CrossInsight, CrossInsightCode, ElementRef};
use crate::domain::scoring::roadmap::{Phase, ReasonEntry, RoadmapEntry};
use crate::store::StoreError;

#[derive(Serialize, Deserialize)]
pub(super) struct StoredRoadmapItem {
    pub(super) rank: u32,
    pub(super) action_id: String,
    pub(super) kind: String,
    pub(super) reasons: Vec<StoredReason>,
    /// Absent in roadmaps stored before phases (models 1.2.0): every step read as `next`.
    #[serde(default)]
    pub(super) phase: Option<String>,
    #[serde(default)]
    pub(super) evidence: Option<String>,
    #[serde(default)]
    pub(super) unblocks: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredReason {
    pub(super) model_id: String,
    pub(super) element_id: String,
    pub(super) stage_id: Option<String>,
    pub(super) score: Option<f64>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredCrossInsight {
    pub(super) code: String,
    pub(super) model_ids: Vec<String>,
    pub(super) ahead: Vec<StoredElementRef>,
    pub(super) behind: Vec<StoredElementRef>,
    pub(super) indicator_ids: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoredElementRef {
    pub(super) model_id: String,
    pub(super) element_id: String,
}

impl From<&RoadmapEntry<'_>> for StoredRoadmapItem {
    fn from(entry: &RoadmapEntry<'_>) -> Self {
        StoredRoadmapItem {
            rank: entry.rank,
            action_id: entry.action_id.to_string(),
            kind: entry.kind.as_str().to_owned(),
            phase: Some(entry.phase.as_str().to_owned()),
            evidence: Some(entry.evidence.as_str().to_owned()),
            unblocks: texts(&entry.unblocks),
            reasons: entry
                .reasons
                .iter()
                .map(|r| StoredReason {
                    model_id: r.model_id.to_string(),
                    element_id: r.element_id.to_string(),
                    stage_id: r.stage_id.as_ref().map(ToString::to_string),
                    score: r.score,
                })
                .collect(),
        }
    }
}

impl StoredRoadmapItem {
    pub(super) fn into_entry(self) -> Result<RoadmapEntry<'static>, StoreError> {
        Ok(RoadmapEntry {
            rank: self.rank,
            kind: RecommendationKind::parse(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("roadmap kind `{}`", self.kind)))?,
            phase: match self.phase.as_deref() {
                Some(text) => Phase::parse(text)
                    .ok_or_else(|| StoreError::Corrupt(format!("roadmap phase `{text}`")))?,
                None => Phase::Next,
            },
            evidence: evidence(self.evidence.as_deref())?,
            unblocks: ids(self.unblocks),
            action_id: self.action_id.into(),
            reasons: self
                .reasons
                .into_iter()
                .map(|r| ReasonEntry {
                    model_id: r.model_id.into(),
                    element_id: r.element_id.into(),
                    stage_id: r.stage_id.map(Cow::Owned),
                    score: r.score,
                })
                .collect(),
        })
    }
}

impl From<&CrossInsight<'_>> for StoredCrossInsight {
    fn from(insight: &CrossInsight<'_>) -> Self {
        let refs = |refs: &[ElementRef<'_>]| {
            refs.iter()
                .map(|r| StoredElementRef {
                    model_id: r.model_id.to_string(),
                    element_id: r.element_id.to_string(),
                })
                .collect()
        };
        StoredCrossInsight {
            code: insight.code.as_str().to_owned(),
            model_ids: texts(&insight.model_ids),
            ahead: refs(&insight.ahead),
            behind: refs(&insight.behind),
            indicator_ids: texts(&insight.indicator_ids),
        }
    }
}

impl StoredCrossInsight {
    pub(super) fn into_insight(self) -> Result<CrossInsight<'static>, StoreError> {
        let refs = |refs: Vec<StoredElementRef>| {
            refs.into_iter()
                .map(|r| ElementRef {
                    model_id: r.model_id.into(),
                    element_id: r.element_id.into(),
                })
                .collect()
        };
        Ok(CrossInsight {
            code: CrossInsightCode::parse(&self.code).ok_or_else(|| {
                StoreError::Corrupt(format!("cross-model insight `{}`", self.code))
            })?,
            model_ids: ids(self.model_ids),
            ahead: refs(self.ahead),
            behind: refs(self.behind),
            indicator_ids: ids(self.indicator_ids),
        })
    }
}
