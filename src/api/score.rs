//! `POST /v1/score`: answers in, results out, nothing stored.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::json_body::JsonBody;
use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::ValidationProblem;
use crate::api::respondents::{AnswerInput, raw_answers};
use crate::api::results::{
    CrossInsightDocument, ModelResultDocument, RoadmapItemDocument, render_advice, wire,
};
use crate::api::value_sets::SectorValues;
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::catalog::ids::{FocusElements, ModelId, TargetStages};
use crate::error::ApiError;
use crate::service::scoring;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(score);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// The models to place the answers on.
    #[schema(value_type = BTreeSet<ModelId>, min_items = 1, example = json!(["social-media-pyramid", "communicatieroos"]))]
    pub model_ids: Vec<String>,
    /// Optional target stage per model (staged and layered models only).
    #[serde(default)]
    #[schema(value_type = TargetStages, example = json!({"social-media-pyramid": "create"}))]
    pub targets: BTreeMap<String, String>,
    /// Optional elements pursued per focus model (POST's Objectives: the organisation's own
    /// choice): recommendations then cover the foundation and these. Without a choice, the
    /// Groundswell objectives advise the foundation and making the choice (`focus_chosen: false`),
    /// and the Communication Rose its foundation and two weakest petals.
    #[serde(default)]
    #[schema(value_type = FocusElements, example = json!({"communicatieroos": ["listen", "respond"]}))]
    pub focus: BTreeMap<String, Vec<String>>,
    /// The organisation's sector: questions and steps that do not fit it (share of voice for a
    /// municipality) are left out of the scores and the advice. Without one, nothing is left out.
    #[serde(default)]
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<String>,
    /// 1 to 100 respondents; per indicator, the mean of their non-null answers counts.
    #[schema(min_items = 1, max_items = 100)]
    pub respondents: Vec<RespondentInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondentInput {
    /// At most 200 answers.
    #[schema(max_items = 200)]
    pub answers: Vec<AnswerInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreResponse<'a> {
    /// One result per model, in the order of `model_ids`.
    pub results: Vec<ModelResultDocument<'a>>,
    /// One plan across the models, each action once.
    pub roadmap: Vec<RoadmapItemDocument<'a>>,
    /// What the models show together.
    pub insights: Vec<CrossInsightDocument<'a>>,
}

impl ScoreRequest {
    /// The request as the scoring use case takes it.
    pub fn into_request(self) -> scoring::ScoreRequest {
        scoring::ScoreRequest {
            model_ids: self.model_ids,
            targets: self.targets,
            focus: self.focus,
            sector: self.sector,
            respondents: self
                .respondents
                .into_iter()
                .map(|r| raw_answers(r.answers))
                .collect(),
        }
    }
}

impl<'a> ScoreResponse<'a> {
    pub fn render(advice: &'a scoring::Advice<'_>, lang: crate::domain::Lang) -> ScoreResponse<'a> {
        let (results, roadmap, insights) = render_advice(advice, lang);
        ScoreResponse {
            results,
            roadmap,
            insights,
        }
    }
}

/// Score answers.
///
/// Places answers on the chosen models and returns the results, storing nothing: for instant
/// feedback in front-ends and for integrations. The same engine scores submitted assessments.
#[utoipa::path(
    tag = "scoring",
    security(("oauth2" = ["models:read"])),
    params(LanguageHeader),
    request_body = ScoreRequest,
    responses(
        (status = 200, description = "One result per model", body = ScoreResponse,
            headers(("Content-Language" = String))),
        ValidationProblem,
    )
)]
#[post("/score")]
async fn score(
    _caller: Authorized<scope::ModelsRead>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
    body: JsonBody<ScoreRequest>,
) -> Result<HttpResponse, ApiError> {
    let advice = scoring::score(&catalog, &body.into_inner().into_request())?;
    wire::respond(
        HttpResponse::Ok(),
        &ScoreResponse::render(&advice, lang),
        lang,
    )
}
