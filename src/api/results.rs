//! The result documents of scoring, localised: one per model, as `POST /v1/score` and assessment
//! results answer them.

use serde::Serialize;
use utoipa::ToSchema;

use crate::api::catalog::documents::ModelKindDocument;
use crate::domain::Lang;
use crate::domain::scoring::{ElementResult, ModelResult, StageResult};

/// Where an organisation stands on one model, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelResultDocument {
    #[schema(example = "social-strategy-cone")]
    pub model_id: String,
    /// The model version the result was scored with.
    #[schema(example = "1.0.0")]
    pub model_version: String,
    pub kind: ModelKindDocument,
    /// The highest stage reached; `null` below the first stage and for focus models.
    pub stage: Option<StageRef>,
    /// The next stage's progress (0–1); `null` at the top and for focus models.
    pub progress_to_next: Option<f64>,
    /// Answered indicator weight / the model's indicator weight (0–1).
    pub coverage: f64,
    /// The target stage (ambition), when one was set.
    pub target: Option<StageRef>,
    /// How close the organisation is to the target (0–1); `null` without a target.
    pub percent_to_target: Option<f64>,
    pub elements: Vec<ElementResultDocument>,
    /// Per stage: reached or not, which required elements are in place and which block it.
    pub stages: Vec<StageResultDocument>,
    /// Focus models: the mean of the scored elements and the weakest ones.
    pub profile: Option<ProfileDocument>,
    pub insights: Vec<InsightDocument>,
    /// What to do next, in order.
    pub recommendations: Vec<RecommendationDocument>,
    /// Per answered indicator of this model: mean, range and whether respondents disagree.
    pub spread: Vec<SpreadDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageRef {
    pub id: String,
    pub order: u32,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementResultDocument {
    pub id: String,
    pub name: String,
    /// 0–1; `null` when none of its indicators was answered.
    pub score: Option<f64>,
    pub in_place: bool,
    pub coverage: f64,
    /// The indicators behind the score, with their (mean) answers on the 0–4 scale.
    pub contributions: Vec<ContributionDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContributionDocument {
    pub indicator_id: String,
    /// Mean answer, 0–4; `null` when unanswered or "don't know".
    pub value: Option<f64>,
    pub weight: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageResultDocument {
    pub id: String,
    pub order: u32,
    pub reached: bool,
    pub in_place: Vec<String>,
    pub blocking: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileDocument {
    pub mean: Option<f64>,
    pub weakest: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InsightDocument {
    /// `skipped-foundation`, `foundation-not-in-place`, `weakest-elements`, `unanswered-elements`
    /// or `target-reached`.
    #[schema(example = "skipped-foundation")]
    pub code: &'static str,
    pub message: String,
    pub element_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationDocument {
    /// 1 for the first thing to do.
    pub rank: u32,
    pub model_id: String,
    /// The stage the element belongs to; `null` in focus models.
    pub stage_id: Option<String>,
    pub element_id: String,
    pub action_id: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpreadDocument {
    pub indicator_id: String,
    pub mean: Option<f64>,
    pub min: Option<u8>,
    pub max: Option<u8>,
    /// Respondents who gave a 0–4 answer.
    pub answered: u32,
    /// Respondents differ by two points or more.
    pub disagreement: bool,
}

impl ModelResultDocument {
    pub fn render(result: &ModelResult<'_>, lang: Lang) -> ModelResultDocument {
        let model = result.model;
        let stage_ref = |stage: &crate::domain::Stage| StageRef {
            id: stage.id.clone(),
            order: stage.order,
            name: stage.name.get(lang).to_owned(),
        };
        ModelResultDocument {
            model_id: model.id.clone(),
            model_version: model.version.to_string(),
            kind: model.kind.into(),
            stage: result.stage.map(stage_ref),
            progress_to_next: result.progress_to_next,
            coverage: result.coverage,
            target: result.target.map(stage_ref),
            percent_to_target: result.percent_to_target,
            elements: result
                .elements
                .iter()
                .map(|e| render_element(e, lang))
                .collect(),
            stages: result.stages.iter().map(render_stage).collect(),
            profile: result.profile.as_ref().map(|p| ProfileDocument {
                mean: p.mean,
                weakest: p.weakest.clone(),
            }),
            insights: result
                .insights
                .iter()
                .map(|i| InsightDocument {
                    code: i.code.as_str(),
                    message: i.message.get(lang).to_owned(),
                    element_ids: i.element_ids.clone(),
                })
                .collect(),
            recommendations: result
                .recommendations
                .iter()
                .map(|r| RecommendationDocument {
                    rank: r.rank,
                    model_id: model.id.clone(),
                    stage_id: r.stage.map(|s| s.id.clone()),
                    element_id: r.element.id.clone(),
                    action_id: r.action.id.clone(),
                    text: r.action.text.get(lang).to_owned(),
                })
                .collect(),
            spread: result
                .spread
                .iter()
                .map(|s| SpreadDocument {
                    indicator_id: s.indicator_id.clone(),
                    mean: s.mean,
                    min: s.min,
                    max: s.max,
                    answered: s.answered,
                    disagreement: s.disagreement,
                })
                .collect(),
        }
    }
}

fn render_element(element: &ElementResult<'_>, lang: Lang) -> ElementResultDocument {
    ElementResultDocument {
        id: element.element.id.clone(),
        name: element.element.name.get(lang).to_owned(),
        score: element.score,
        in_place: element.in_place,
        coverage: element.coverage,
        contributions: element
            .contributions
            .iter()
            .map(|c| ContributionDocument {
                indicator_id: c.indicator_id.to_owned(),
                value: c.value,
                weight: c.weight,
            })
            .collect(),
    }
}

fn render_stage(stage: &StageResult<'_>) -> StageResultDocument {
    StageResultDocument {
        id: stage.stage.id.clone(),
        order: stage.stage.order,
        reached: stage.reached,
        in_place: stage.in_place.iter().map(|s| (*s).to_owned()).collect(),
        blocking: stage.blocking.iter().map(|s| (*s).to_owned()).collect(),
    }
}
