//! Format 1: the rendered result documents of every language, as kept before format 2. The
//! English ones are read; everything format 2 keeps is in them.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::model::{
    StoredElement, StoredInsight, StoredModel, StoredProfile, StoredRecommendation, StoredSpread,
    StoredStage, first_not_reached,
};
use crate::domain::scoring::ModelOutcome;
use crate::store::StoreError;

/// Format 1: rendered documents per language; the English ones are read.
#[derive(Deserialize)]
pub(super) struct FormatOne {
    pub(super) respondents: usize,
    pub(super) submitted_at: DateTime<Utc>,
    pub(super) en: Vec<FormatOneModel>,
}

#[derive(Deserialize)]
pub(super) struct FormatOneModel {
    pub(super) model_id: String,
    pub(super) model_version: String,
    pub(super) stage: Option<FormatOneStageRef>,
    pub(super) progress_to_next: Option<f64>,
    pub(super) coverage: f64,
    pub(super) target: Option<FormatOneStageRef>,
    pub(super) percent_to_target: Option<f64>,
    pub(super) elements: Vec<StoredElement>,
    pub(super) stages: Vec<StoredStage>,
    pub(super) profile: Option<StoredProfile>,
    pub(super) insights: Vec<StoredInsight>,
    pub(super) recommendations: Vec<StoredRecommendation>,
    pub(super) spread: Vec<StoredSpread>,
}

#[derive(Deserialize)]
pub(super) struct FormatOneStageRef {
    pub(super) id: String,
}

impl FormatOneModel {
    /// Format 1 named no stage on insights: the skipped layer is the first one not reached, and
    /// the target reached is the target.
    pub(super) fn into_outcome(self) -> Result<ModelOutcome<'static>, StoreError> {
        let skipped_layer = first_not_reached(&self.stages);
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
