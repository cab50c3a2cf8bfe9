//! Reports a client can be handed: `GET /v1/assessments/{id}/report` (printable HTML, or the
//! element scores as CSV), `GET /v1/assessments/{id}/report/answers` (the answers as CSV) and
//! `GET /v1/clients/{id}/report` (progress over time, HTML).

pub mod csv;
pub mod html;

use actix_web::http::header::{self, Accept, Header};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, get, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::{ConflictProblem, NotFoundProblem};
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::domain::Lang;
use crate::domain::ids::{AssessmentId, OrganisationId};
use crate::error::ApiError;
use crate::service::{organisations, reports};
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(get_assessment_report)
        .service(get_answers_table)
        .service(get_client_report);
}

/// How a report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Html,
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    /// `html` (the default) or `csv`; when absent, `Accept: text/csv` asks for CSV.
    format: Option<ReportFormat>,
}

impl FormatQuery {
    /// The parameter wins; otherwise the caller's preferred of the two media types.
    fn negotiate(&self, request: &HttpRequest) -> ReportFormat {
        if let Some(format) = self.format {
            return format;
        }
        let Ok(accept) = Accept::parse(request) else {
            return ReportFormat::Html;
        };
        accept
            .ranked()
            .into_iter()
            .find_map(
                |mime| match (mime.type_().as_str(), mime.subtype().as_str()) {
                    ("text", "csv") => Some(ReportFormat::Csv),
                    ("text", "html") | ("text" | "*", "*") => Some(ReportFormat::Html),
                    _ => None,
                },
            )
            .unwrap_or(ReportFormat::Html)
    }
}

/// The headers every report carries: it holds a client's results, so no cache keeps it and no
/// link in it leaks its address; its Content-Security-Policy allows its own stylesheet only.
pub fn report_headers(response: &mut HttpResponseBuilder, lang: Lang) {
    response
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header(("X-Robots-Tag", "noindex, nofollow"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            html::CONTENT_SECURITY_POLICY.as_str(),
        ));
}

/// An HTML page with the report headers.
pub fn html_page(
    mut response: HttpResponseBuilder,
    lang: Lang,
    page: maud::Markup,
) -> HttpResponse {
    report_headers(&mut response, lang);
    response
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

fn csv_table(lang: Lang, filename: &str, table: Vec<u8>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    report_headers(&mut response, lang);
    response
        .content_type("text/csv; charset=utf-8; header=present")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(table)
}

/// Get an assessment's report.
///
/// A self-contained, printable HTML report of a submitted assessment in the negotiated language:
/// the client, a summary, the roadmap across the models, what the models show together, and per
/// model its placement (drawn as an inline SVG chart), what blocks the next stage and the answers
/// behind it, where respondents disagree, coverage, and where every action comes from. Printing
/// it from a browser gives an A4 document with a page per model.
///
/// With `format=csv` or `Accept: text/csv`: one row per model × element, with the header
/// `assessment_id,model_id,model_version,model_name,model_stage_id,model_coverage,element_id,
/// element_name,element_stage_id,score,in_place,coverage,disagreement` (RFC 4180, UTF-8; scores
/// and coverage 0–1, empty when unknown; a cell that a spreadsheet would read as a formula starts
/// with `'`).
#[utoipa::path(
    tag = "reports",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Assessment id"), FormatQuery, LanguageHeader),
    responses(
        (status = 200, description = "The report", headers(("Content-Language" = String)), content(
            (String = "text/html"),
            (String = "text/csv", example = json!("assessment_id,model_id,model_version,model_name,model_stage_id,model_coverage,element_id,element_name,element_stage_id,score,in_place,coverage,disagreement\r\n")),
        )),
        NotFoundProblem, ConflictProblem,
    )
)]
#[get("/assessments/{id}/report")]
async fn get_assessment_report(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
    query: web::Query<FormatQuery>,
    request: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let tenant = reader.caller().tenant;
    let id = AssessmentId(*id);
    let report = reports::assessment_report(&store, &catalog, tenant, id).await?;
    Ok(match query.negotiate(&request) {
        ReportFormat::Html => html_page(
            HttpResponse::Ok(),
            lang,
            html::assessment_report(&report, &catalog, lang, html::Audience::Agency),
        ),
        ReportFormat::Csv => csv_table(
            lang,
            &format!("assessment-{id}-scores.csv"),
            csv::scores(&report, lang)?,
        ),
    })
}

/// Get an assessment's answers as CSV.
///
/// One row per respondent × question the assessment's models ask, respondents in the order they
/// were added, with the header `respondent_id,respondent_label,indicator_id,question,value,dont_know`
/// (RFC 4180, UTF-8; `value` 0–4, or empty: with `dont_know` true the respondent did not know,
/// with `false` they did not answer; questions in the negotiated language; a cell that a
/// spreadsheet would read as a formula starts with `'`). Only for submitted assessments, whose
/// answers can no longer change; a respondent removed after the submission is left out (the
/// results keep what they gave).
#[utoipa::path(
    tag = "reports",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Assessment id"), LanguageHeader),
    responses(
        (status = 200, description = "The answers", headers(("Content-Language" = String)), content(
            (String = "text/csv", example = json!("respondent_id,respondent_label,indicator_id,question,value,dont_know\r\n")),
        )),
        NotFoundProblem, ConflictProblem,
    )
)]
#[get("/assessments/{id}/report/answers")]
async fn get_answers_table(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let tenant = reader.caller().tenant;
    let id = AssessmentId(*id);
    let answered = reports::answered_report(&store, &catalog, tenant, id).await?;
    Ok(csv_table(
        lang,
        &format!("assessment-{id}-answers.csv"),
        csv::answers(&answered, &catalog, lang)?,
    ))
}

/// Get a client's progress report.
///
/// A printable HTML page with, per model, the client's placement at each of its submitted
/// assessments (the most recent 100) as a small chart and a table.
#[utoipa::path(
    tag = "reports",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Client id"), LanguageHeader),
    responses(
        (status = 200, description = "The progress report", headers(("Content-Language" = String)), content((String = "text/html"))),
        NotFoundProblem,
    )
)]
#[get("/clients/{id}/report")]
async fn get_client_report(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = OrganisationId(*id);
    let progress = organisations::progress(&store, &catalog, reader.caller().tenant, id).await?;
    Ok(html_page(
        HttpResponse::Ok(),
        lang,
        html::client_report(&progress, &catalog, lang),
    ))
}
