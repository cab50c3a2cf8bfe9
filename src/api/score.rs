//! `POST /v1/score`: answers in, results out, nothing stored.

use std::collections::BTreeMap;

use actix_web::http::header::{ContentLanguage, LanguageTag, QualityItem};
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::ValidationProblem;
use crate::api::results::ModelResultDocument;
use crate::api::selection::{self, AnswerInput};
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::domain::scoring::{AnswerSet, score_model};
use crate::error::{ApiError, FieldError};

/// The most respondents one request may score.
pub const MAX_RESPONDENTS: usize = 100;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(score);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// The models to place the answers on.
    #[schema(example = json!(["social-media-pyramid", "communicatieroos"]))]
    pub model_ids: Vec<String>,
    /// Optional target stage per model (staged and layered models only).
    #[serde(default)]
    #[schema(example = json!({"social-media-pyramid": "create"}))]
    pub targets: BTreeMap<String, String>,
    /// 1 to 100 respondents; per indicator, the mean of their non-null answers counts.
    pub respondents: Vec<RespondentInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondentInput {
    pub answers: Vec<AnswerInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreResponse {
    /// One result per model, in the order of `model_ids`.
    pub results: Vec<ModelResultDocument>,
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
    body: web::Json<ScoreRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let models = selection::models(&catalog, &body.model_ids, &body.targets, &mut errors);
    let needed = selection::indicators(&models);
    if body.respondents.is_empty() || body.respondents.len() > MAX_RESPONDENTS {
        errors.push(FieldError::new(
            "respondents",
            format!("between 1 and {MAX_RESPONDENTS} respondents"),
        ));
    }
    let respondents: Vec<_> = body
        .respondents
        .iter()
        .take(MAX_RESPONDENTS)
        .enumerate()
        .map(|(i, r)| {
            selection::answers(
                &format!("respondents[{i}].answers"),
                &r.answers,
                &needed,
                &catalog,
                &mut errors,
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let answers = AnswerSet::aggregate(&respondents);
    let results = models
        .iter()
        .map(|(model, target)| {
            score_model(model, &answers, target.as_deref())
                .map(|result| ModelResultDocument::render(&result, lang))
                .map_err(|error| {
                    ApiError::Internal(anyhow::anyhow!("targets were validated: {error}"))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok()
        .insert_header(ContentLanguage(vec![QualityItem::max(
            LanguageTag::parse(lang.code()).expect("language codes are valid tags"),
        )]))
        .json(ScoreResponse { results }))
}
