//! How submitted results are kept: a versioned JSON document owned by the store, converted to and
//! from the domain's [`AssessmentResults`]. Language-free: ids, numbers, codes and ranks.
//!
//! Format 2 (written now) holds the outcomes. Format 1 (written before format 2 existed, read
//! still) held the rendered result documents in every language; everything format 2 keeps is in
//! them, so they convert without loss.

mod advice;
mod format_one;
mod model;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use advice::{StoredCrossInsight, StoredRoadmapItem};
use format_one::{FormatOne, FormatOneModel};
use model::StoredModel;

use crate::domain::assessment::AssessmentResults;
use crate::domain::ids::AssessmentId;
use crate::store::StoreError;

const CURRENT_FORMAT: u32 = 2;

/// Format 2.
#[derive(Serialize, Deserialize)]
struct StoredResults {
    format: u32,
    respondents: usize,
    /// Absent in results kept before sectors existed (and when the sector was unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sector: Option<String>,
    submitted_at: DateTime<Utc>,
    models: Vec<StoredModel>,
    /// Absent in results kept before roadmaps existed.
    #[serde(default)]
    roadmap: Vec<StoredRoadmapItem>,
    #[serde(default)]
    insights: Vec<StoredCrossInsight>,
}

/// The document to store for `results`.
pub(super) fn write(results: &AssessmentResults<'_>) -> Result<serde_json::Value, StoreError> {
    let stored = StoredResults {
        format: CURRENT_FORMAT,
        respondents: results.respondents,
        sector: results.sector.map(|s| s.as_str().to_owned()),
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
) -> Result<AssessmentResults<'static>, StoreError> {
    let corrupt = |e: serde_json::Error| {
        StoreError::Corrupt(format!("results of assessment {assessment_id}: {e}"))
    };
    let format = document.get("format").and_then(serde_json::Value::as_u64);
    let (respondents, sector, submitted_at, models, roadmap, insights) = match format {
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
            let sector = stored
                .sector
                .map(|s| s.parse())
                .transpose()
                .map_err(StoreError::Corrupt)?;
            (
                stored.respondents,
                sector,
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
                None,
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
        sector,
        models,
        roadmap,
        insights,
    })
}
