//! The result documents of scoring, localised: one per model, as `POST /v1/score` and assessment
//! results answer them.

mod advice;
pub mod wire;

pub use advice::{CrossInsightDocument, RoadmapItemDocument, render_advice};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::catalog::documents::{ModelKindDocument, ProvenanceDocument};
use crate::api::value_sets::{EvidenceValues, InsightCodeValues, RecommendationKindValues};
use crate::catalog::ids::{IndicatorId, ModelId};
use crate::domain::scoring::{ElementOutcome, Id, StageOutcome};
use crate::domain::{Lang, Model};
use crate::service::scoring::Scored;

/// Where an organisation stands on one model, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelResultDocument<'a> {
    #[schema(value_type = ModelId, example = "social-strategy-cone")]
    pub model_id: &'a str,
    /// The model version the result was scored with.
    #[schema(example = "1.0.0")]
    pub model_version: String,
    pub kind: ModelKindDocument,
    /// The highest stage reached; `null` below the first stage and for focus models.
    pub stage: Option<StageRef<'a>>,
    /// The next stage's progress (0–1); `null` at the top and for focus models.
    pub progress_to_next: Option<f64>,
    /// Answered indicator weight / the model's indicator weight (0–1).
    pub coverage: f64,
    /// The target stage (ambition), when one was set.
    pub target: Option<StageRef<'a>>,
    /// How close the organisation is to the target (0–1, exactly 1 once reached); `null` without
    /// a target.
    pub percent_to_target: Option<f64>,
    /// Focus models: the elements the organisation chose to pursue; `null` without a choice.
    #[schema(value_type = Option<Vec<String>>)]
    pub focus: Option<Ids<'a>>,
    /// Focus models: whether the organisation chose its focus. Without a choice the service does
    /// not choose Groundswell objectives for it: it advises making the choice. `null` for staged
    /// and layered models.
    pub focus_chosen: Option<bool>,
    /// Staged and layered models: how many of the model's elements are in place, of how many;
    /// `null` for focus models.
    pub elements_in_place: Option<u32>,
    pub elements_total: Option<u32>,
    pub elements: Vec<ElementResultDocument<'a>>,
    /// Per stage: reached or not, which required elements are in place and which block it.
    pub stages: Vec<StageResultDocument<'a>>,
    /// Focus models: the mean of the scored elements and the weakest ones.
    pub profile: Option<ProfileDocument<'a>>,
    pub insights: Vec<InsightDocument<'a>>,
    /// What to do next, in order.
    pub recommendations: Vec<RecommendationDocument<'a>>,
    /// Per answered indicator of this model: mean, range and whether respondents disagree.
    pub spread: Vec<SpreadDocument<'a>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageRef<'a> {
    pub id: &'a str,
    pub order: u32,
    pub name: &'a str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementResultDocument<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// 0–1; `null` when none of its indicators was answered.
    pub score: Option<f64>,
    pub in_place: bool,
    pub coverage: f64,
    /// The indicators behind the score, with their (mean) answers on the 0–4 scale.
    pub contributions: Vec<ContributionDocument<'a>>,
    /// The element's actions already done (every indicator they establish scores "mostly" or
    /// more): what the client already has. Never recommended.
    #[schema(value_type = Vec<String>)]
    pub done_action_ids: Ids<'a>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContributionDocument<'a> {
    #[schema(value_type = IndicatorId)]
    pub indicator_id: &'a str,
    /// Mean answer, 0–4; `null` when unanswered or "don't know".
    pub value: Option<f64>,
    pub weight: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageResultDocument<'a> {
    pub id: &'a str,
    pub order: u32,
    pub reached: bool,
    #[schema(value_type = Vec<String>)]
    pub in_place: Ids<'a>,
    #[schema(value_type = Vec<String>)]
    pub blocking: Ids<'a>,
    /// For a stage above the first one not reached: that stage, which blocks this one lower down
    /// whatever this stage's own elements are.
    pub blocked_below: Option<&'a str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileDocument<'a> {
    pub mean: Option<f64>,
    /// The elements with the lowest score (ties all listed).
    #[schema(value_type = Vec<String>)]
    pub weakest: Ids<'a>,
    /// The elements with the highest score (ties all listed).
    #[schema(value_type = Vec<String>)]
    pub strongest: Ids<'a>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsightDocument<'a> {
    #[schema(value_type = InsightCodeValues)]
    pub code: &'static str,
    pub message: String,
    #[schema(value_type = Vec<String>)]
    pub element_ids: Ids<'a>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationDocument<'a> {
    /// 1 for the first thing to do.
    pub rank: u32,
    #[schema(value_type = RecommendationKindValues)]
    pub kind: &'static str,
    #[schema(value_type = ModelId)]
    pub model_id: &'a str,
    /// The stage the element belongs to; `null` in focus models.
    pub stage_id: Option<&'a str>,
    pub element_id: &'a str,
    pub action_id: &'a str,
    pub text: &'a str,
    pub provenance: ProvenanceDocument,
    #[schema(value_type = EvidenceValues)]
    pub evidence: &'static str,
    /// For a `prerequisite`: the recommended actions it unblocks.
    #[schema(value_type = Vec<String>)]
    pub unblocks: Ids<'a>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpreadDocument<'a> {
    #[schema(value_type = IndicatorId)]
    pub indicator_id: &'a str,
    pub mean: Option<f64>,
    pub min: Option<u8>,
    pub max: Option<u8>,
    /// Respondents who gave a 0–4 answer.
    pub answered: u32,
    /// Respondents who answered "don't know / not applicable".
    pub unknown: u32,
    /// Respondents differ by two points or more.
    pub disagreement: bool,
}

/// A list of ids as the document writes it: the outcome's own slice. Documents borrow the outcome
/// and the model rather than copying ids and texts (over a thousand strings per response), and
/// a list borrowed whole costs no allocation either.
pub type Ids<'a> = &'a [Id<'a>];

impl<'a> ModelResultDocument<'a> {
    /// The outcome told in `lang`, with names and texts from the model version it was scored at.
    pub fn render(scored: &'a Scored<'_>, lang: Lang) -> ModelResultDocument<'a> {
        let (model, outcome): (&'a Model, _) = (scored.model, &scored.outcome);
        let stage_ref = |id: &'a Id<'_>| stage_ref(Some(model), id, lang);
        ModelResultDocument {
            model_id: &outcome.model_id,
            model_version: outcome.model_version.to_string(),
            kind: model.kind.into(),
            stage: outcome.stage_id.as_ref().map(stage_ref),
            progress_to_next: outcome.progress_to_next,
            coverage: outcome.coverage,
            target: outcome.target_id.as_ref().map(stage_ref),
            percent_to_target: outcome.percent_to_target,
            focus: outcome.focus.as_deref(),
            focus_chosen: (!model.kind.has_stages()).then_some(outcome.focus.is_some()),
            elements_in_place: model
                .kind
                .has_stages()
                .then(|| count(outcome.elements.iter().filter(|e| e.in_place))),
            elements_total: model
                .kind
                .has_stages()
                .then(|| count(outcome.elements.iter())),
            elements: outcome
                .elements
                .iter()
                .map(|e| render_element(model, e, lang))
                .collect(),
            stages: outcome
                .stages
                .iter()
                .map(|s| render_stage(model, s))
                .collect(),
            profile: outcome.profile.as_ref().map(|p| ProfileDocument {
                mean: p.mean,
                weakest: &p.weakest,
                strongest: &p.strongest,
            }),
            insights: outcome
                .insights
                .iter()
                .map(|i| InsightDocument {
                    code: i.code.as_str(),
                    message: i.message(model, lang),
                    element_ids: &i.element_ids,
                })
                .collect(),
            recommendations: outcome
                .recommendations
                .iter()
                .map(|r| {
                    let action = model.action(&r.action_id);
                    RecommendationDocument {
                        rank: r.rank,
                        kind: r.kind.as_str(),
                        model_id: &outcome.model_id,
                        stage_id: r.stage_id.as_deref(),
                        element_id: &r.element_id,
                        action_id: &r.action_id,
                        text: action.map_or(r.action_id.as_ref(), |a| a.text.get(lang)),
                        provenance: action
                            .map_or(ProvenanceDocument::Unrecorded, |a| (&a.provenance).into()),
                        evidence: r.evidence.as_str(),
                        unblocks: &r.unblocks,
                    }
                })
                .collect(),
            spread: outcome
                .spread
                .iter()
                .map(|s| SpreadDocument {
                    indicator_id: &s.indicator_id,
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

/// A stage by id, named in `lang`. Outcomes are rendered with the model version that produced
/// them, so the stage exists; a stage (or model version) this build lacks is shown by its id
/// rather than failing the response.
pub fn stage_ref<'a>(model: Option<&'a Model>, id: &'a str, lang: Lang) -> StageRef<'a> {
    match model.and_then(|m| m.stage(id)) {
        Some(stage) => StageRef {
            id: &stage.id,
            order: stage.order,
            name: stage.name.get(lang),
        },
        None => StageRef {
            id,
            order: 0,
            name: id,
        },
    }
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

fn render_element<'a>(
    model: &'a Model,
    element: &'a ElementOutcome<'_>,
    lang: Lang,
) -> ElementResultDocument<'a> {
    ElementResultDocument {
        id: &element.element_id,
        name: model
            .element(&element.element_id)
            .map_or(element.element_id.as_ref(), |e| e.name.get(lang)),
        score: element.score,
        in_place: element.in_place,
        coverage: element.coverage,
        contributions: element
            .contributions
            .iter()
            .map(|c| ContributionDocument {
                indicator_id: &c.indicator_id,
                value: c.value,
                weight: c.weight,
            })
            .collect(),
        done_action_ids: &element.done_action_ids,
    }
}

fn render_stage<'a>(model: &Model, stage: &'a StageOutcome<'_>) -> StageResultDocument<'a> {
    StageResultDocument {
        id: &stage.stage_id,
        order: model.stage(&stage.stage_id).map_or(0, |s| s.order),
        reached: stage.reached,
        in_place: &stage.in_place,
        blocking: &stage.blocking,
        blocked_below: stage.blocked_below.as_deref(),
    }
}
