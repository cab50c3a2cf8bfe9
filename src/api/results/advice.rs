//! The advice across the models as documents: the roadmap and the cross-model insights, and the
//! whole advice (every model's result with them) in one language.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Ids, ModelResultDocument};
use crate::api::catalog::documents::ProvenanceDocument;
use crate::api::value_sets::{
    CrossInsightCodeValues, EffortValues, EvidenceValues, OwnerValues, PhaseValues,
    RecommendationKindValues,
};
use crate::catalog::ids::{IndicatorId, ModelId};
use crate::domain::scoring::cross_model::ElementRef;
use crate::domain::{Effort, Lang, Owner};
use crate::service::scoring::Advice;

/// One step of the plan across the models.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoadmapItemDocument<'a> {
    /// 1 for the first thing to do. An action never comes before one it depends on.
    pub rank: u32,
    /// `now` (the first 90 days: at most five steps), `next` (the following quarter) or
    /// `later`. Ranks run through the phases in that order.
    #[schema(value_type = PhaseValues)]
    pub phase: &'static str,
    #[schema(example = "set-up-alerts")]
    pub action_id: &'a str,
    pub text: &'a str,
    pub provenance: ProvenanceDocument,
    /// For `seed` actions: the source that names the step.
    pub source: Option<&'a str>,
    /// The most pressing among the reasons.
    #[schema(value_type = RecommendationKindValues)]
    pub kind: &'static str,
    /// How much work it is; `null` for actions of model files that did not record it.
    #[schema(value_type = Option<EffortValues>)]
    pub effort: Option<&'static str>,
    /// The role that usually carries it; `null` where not recorded.
    #[schema(value_type = Option<OwnerValues>)]
    pub owner: Option<&'static str>,
    /// What the answers say about its practice: `unknown` means check with the client first.
    #[schema(value_type = EvidenceValues)]
    pub evidence: &'static str,
    /// For a `prerequisite`: the roadmap actions it unblocks.
    #[schema(value_type = Vec<String>)]
    pub unblocks: Ids<'a>,
    /// Every model element that calls for this action (for a prerequisite: those of the
    /// actions it unblocks).
    pub reasons: Vec<ReasonDocument<'a>>,
}

/// A model element that calls for a roadmap action.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonDocument<'a> {
    #[schema(value_type = ModelId)]
    pub model_id: &'a str,
    pub element_id: &'a str,
    /// The stage the element belongs to; `null` in focus models.
    pub stage_id: Option<&'a str>,
    /// The element's score (0–1); `null` when unknown.
    pub score: Option<f64>,
}

/// What the chosen models show together.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossInsightDocument<'a> {
    #[schema(value_type = CrossInsightCodeValues)]
    pub code: &'static str,
    pub message: String,
    #[schema(value_type = Vec<ModelId>)]
    pub model_ids: Ids<'a>,
    /// The elements that are ahead.
    pub ahead: Vec<ElementRefDocument<'a>>,
    /// The elements that hold the organisation back.
    pub behind: Vec<ElementRefDocument<'a>>,
    /// The indicators behind the elements that hold back.
    #[schema(value_type = Vec<IndicatorId>)]
    pub indicator_ids: Ids<'a>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementRefDocument<'a> {
    #[schema(value_type = ModelId)]
    pub model_id: &'a str,
    pub element_id: &'a str,
}

/// Every model's result, the roadmap and the cross-model insights, in `lang`.
pub fn render_advice<'a>(
    advice: &'a Advice<'_>,
    lang: Lang,
) -> (
    Vec<ModelResultDocument<'a>>,
    Vec<RoadmapItemDocument<'a>>,
    Vec<CrossInsightDocument<'a>>,
) {
    let results = advice
        .models
        .iter()
        .map(|scored| ModelResultDocument::render(scored, lang))
        .collect();
    let roadmap = advice
        .roadmap
        .iter()
        .map(|entry| {
            let action = advice.action(entry);
            RoadmapItemDocument {
                rank: entry.rank,
                phase: entry.phase.as_str(),
                action_id: &entry.action_id,
                text: action.map_or(entry.action_id.as_ref(), |a| a.text.get(lang)),
                provenance: action
                    .map_or(ProvenanceDocument::Unrecorded, |a| (&a.provenance).into()),
                source: action.and_then(|a| a.provenance.source()),
                kind: entry.kind.as_str(),
                effort: action.and_then(|a| a.effort).map(Effort::as_str),
                owner: action.and_then(|a| a.owner).map(Owner::as_str),
                evidence: entry.evidence.as_str(),
                unblocks: &entry.unblocks,
                reasons: entry
                    .reasons
                    .iter()
                    .map(|r| ReasonDocument {
                        model_id: &r.model_id,
                        element_id: &r.element_id,
                        stage_id: r.stage_id.as_deref(),
                        score: r.score,
                    })
                    .collect(),
            }
        })
        .collect();
    let refs = |refs: &'a [ElementRef]| {
        refs.iter()
            .map(|r| ElementRefDocument {
                model_id: &r.model_id,
                element_id: &r.element_id,
            })
            .collect()
    };
    let insights = advice
        .insights
        .iter()
        .map(|insight| CrossInsightDocument {
            code: insight.code.as_str(),
            message: insight.message(|id| advice.model(id), lang),
            model_ids: &insight.model_ids,
            ahead: refs(&insight.ahead),
            behind: refs(&insight.behind),
            indicator_ids: &insight.indicator_ids,
        })
        .collect();
    (results, roadmap, insights)
}
