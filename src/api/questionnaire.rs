//! `GET /v1/assessments/{id}/questionnaire`: what the respondents of an assessment are asked.

use std::collections::HashSet;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::access::AssessmentAccess;
use crate::api::catalog::documents::CapabilityDocument;
use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::NotFoundProblem;
use crate::api::value_sets::SectorValues;
use crate::auth::caller::scope;
use crate::catalog::Catalog;
use crate::catalog::ids::{IndicatorId, ModelId};
use crate::domain::{Capability, Lang, Sector};
use crate::error::ApiError;
use crate::service::assessments::{self, Questionnaire};
use crate::service::selection;
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(get_questionnaire);
}

/// The questionnaire of an assessment: each needed indicator once, grouped by capability.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionnaireDocument {
    pub assessment_id: Uuid,
    /// The sector the questions are for (the assessment's, else its client's): questions that do
    /// not fit it are left out. `null` when unknown: nothing is left out.
    #[schema(value_type = Option<SectorValues>)]
    pub sector: Option<&'static str>,
    /// The answer scale, labelled in the response's language.
    pub scale: Vec<ScalePoint>,
    pub items: Vec<QuestionDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScalePoint {
    /// 0–4, or `null` for "don't know / not applicable".
    pub value: Option<u8>,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionDocument {
    #[schema(value_type = IndicatorId)]
    pub indicator_id: String,
    pub capability: CapabilityDocument,
    pub text: String,
    pub help: String,
    /// The assessment's models that use the answer.
    #[schema(value_type = Vec<ModelId>)]
    pub model_ids: Vec<String>,
}

/// Get the questionnaire.
///
/// The indicators the assessment's models need, each asked once even when several models use
/// it, grouped by capability (strategy, organisation, listening, responding, content, community,
/// measurement, innovation), localised. Questions that do not fit the sector of the assessment
/// (or, when it sets none, of its client) are left out: share of voice for a municipality.
#[utoipa::path(
    tag = "assessments",
    security(("oauth2" = ["assessments:read"]), ("oauth2" = ["respondent"])),
    params(("id" = Uuid, Path, description = "Assessment id"), LanguageHeader),
    responses((status = 200, description = "The questionnaire", body = QuestionnaireDocument), NotFoundProblem)
)]
#[get("/assessments/{id}/questionnaire")]
async fn get_questionnaire(
    access: AssessmentAccess<scope::AssessmentsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
) -> Result<HttpResponse, ApiError> {
    let asked =
        assessments::questionnaire(&store, &catalog, access.caller.tenant, access.assessment_id)
            .await?;
    let document = questionnaire(&catalog, &asked, lang);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(document))
}

fn questionnaire(
    catalog: &Catalog,
    asked: &Questionnaire<'_>,
    lang: Lang,
) -> QuestionnaireDocument {
    let models = &asked.models;
    let needed: HashSet<&str> = selection::asked(models.iter().copied());
    let mut items: Vec<(Capability, QuestionDocument)> = catalog
        .indicators()
        .iter()
        .filter(|indicator| needed.contains(indicator.id.as_str()))
        .filter(|indicator| !indicator.not_for.excludes(asked.sector))
        .map(|indicator| {
            let model_ids = models
                .iter()
                .filter(|m| m.indicator_ids().any(|id| id == indicator.id))
                .map(|m| m.id.clone())
                .collect();
            let question = QuestionDocument {
                indicator_id: indicator.id.clone(),
                capability: indicator.capability.into(),
                text: indicator.text.get(lang).to_owned(),
                help: indicator.help.get(lang).to_owned(),
                model_ids,
            };
            (indicator.capability, question)
        })
        .collect();
    // Stable: within a capability, the bank's order.
    items.sort_by_key(|(capability, _)| *capability);
    QuestionnaireDocument {
        assessment_id: asked.assessment.id.0,
        sector: asked.sector.map(Sector::as_str),
        scale: scale(lang),
        items: items.into_iter().map(|(_, q)| q).collect(),
    }
}

fn scale(lang: Lang) -> Vec<ScalePoint> {
    let labels: [(Option<u8>, &str, &str); 6] = [
        (Some(0), "Not at all", "Helemaal niet"),
        (Some(1), "Ad hoc", "Ad hoc"),
        (Some(2), "Partly", "Gedeeltelijk"),
        (Some(3), "Mostly", "Grotendeels"),
        (Some(4), "Fully and structurally", "Volledig en structureel"),
        (
            None,
            "Don't know / not applicable",
            "Weet niet / niet van toepassing",
        ),
    ];
    labels
        .into_iter()
        .map(|(value, en, nl)| ScalePoint {
            value,
            label: if lang == Lang::Nl { nl } else { en }.to_owned(),
        })
        .collect()
}
