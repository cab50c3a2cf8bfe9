//! Share links: `POST`/`GET /v1/assessments/{id}/share-links`, `DELETE …/share-links/{link_id}`,
//! and `GET /shared/{token}`, where anyone holding a link reads the report without a token.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::client_address::LimitedAddress;
use crate::api::json_body::JsonBody;
use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::pagination::{Page, PageQuery};
use crate::api::problems::{ConflictProblem, NotFoundProblem, ValidationProblem};
use crate::api::reports::{html, html_page};
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::domain::Lang;
use crate::domain::ids::{AssessmentId, ShareLinkId};
use crate::domain::share_link::{ShareLink, ShareLinkState};
use crate::error::ApiError;
use crate::service::share_links::{self, Shared};
use crate::settings::PublicUrl;
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_share_link)
        .service(list_share_links)
        .service(get_share_link)
        .service(revoke_share_link);
}

/// `/shared/…`: outside `/v1`, as the address handed to a client's board.
pub fn shared_routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(open_shared_report);
}

/// A report language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportLanguage {
    En,
    Nl,
}

impl From<ReportLanguage> for Lang {
    fn from(language: ReportLanguage) -> Lang {
        match language {
            ReportLanguage::En => Lang::En,
            ReportLanguage::Nl => Lang::Nl,
        }
    }
}

impl From<Lang> for ReportLanguage {
    fn from(lang: Lang) -> ReportLanguage {
        match lang {
            Lang::En => ReportLanguage::En,
            Lang::Nl => ReportLanguage::Nl,
        }
    }
}

/// Whether a link shows its report now: `active`, `expired` or `revoked` (revocation wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ShareLinkStatus {
    Active,
    Expired,
    Revoked,
}

impl From<ShareLinkState> for ShareLinkStatus {
    fn from(state: ShareLinkState) -> ShareLinkStatus {
        match state {
            ShareLinkState::Active => ShareLinkStatus::Active,
            ShareLinkState::Expired => ShareLinkStatus::Expired,
            ShareLinkState::Revoked => ShareLinkStatus::Revoked,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShareLinkRequest {
    /// When the link stops working: in the future, at most 365 days ahead.
    pub expires_at: DateTime<Utc>,
    /// The language the report is shown in.
    pub language: ReportLanguage,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareLinkResponse {
    pub id: Uuid,
    pub assessment_id: Uuid,
    pub language: ReportLanguage,
    pub status: ShareLinkStatus,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// The API client that created it.
    pub created_by: Option<Uuid>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new link: its address is shown only in this answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedShareLink {
    pub share_link: ShareLinkResponse,
    /// The link to hand out: absolute, on `SMM_PUBLIC_URL` when the service has one, else on the
    /// request's scheme and host.
    #[schema(example = "https://smm.example/shared/8n3lQ0bq4m1WcYb3b8v2m7zj0bQ3s2f5HkQe9v1rT0Q")]
    pub url: String,
    /// The same link's path, for a caller that knows the public address better.
    #[schema(example = "/shared/8n3lQ0bq4m1WcYb3b8v2m7zj0bQ3s2f5HkQe9v1rT0Q")]
    pub path: String,
}

impl ShareLinkResponse {
    fn of(link: ShareLink, now: DateTime<Utc>) -> ShareLinkResponse {
        ShareLinkResponse {
            id: link.id.0,
            assessment_id: link.assessment_id.0,
            language: link.language.into(),
            status: link.state(now).into(),
            expires_at: link.expires_at,
            created_at: link.created_at,
            created_by: link.created_by.map(|c| c.0),
            revoked_at: link.revoked_at,
        }
    }
}

/// Create a share link.
///
/// An unguessable link (256 random bits; only its hash is kept) that shows the submitted
/// assessment's report, read-only and in the chosen language, to anyone who holds it, without a
/// token, until it expires or is revoked. The address is shown only in this answer. Audited.
#[utoipa::path(
    tag = "reports",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Assessment id")),
    request_body = CreateShareLinkRequest,
    responses(
        (status = 201, description = "Created; the only answer that shows the link", body = CreatedShareLink,
            headers(("Location" = String, description = "The link's resource (not the link itself)"))),
        NotFoundProblem, ConflictProblem, ValidationProblem,
    )
)]
#[post("/assessments/{id}/share-links")]
async fn create_share_link(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    request: HttpRequest,
    public_url: web::Data<PublicUrl>,
    id: web::Path<Uuid>,
    body: JsonBody<CreateShareLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = reader.caller().actor();
    let assessment_id = AssessmentId(*id);
    let created = share_links::create(
        &store,
        actor,
        assessment_id,
        body.expires_at,
        body.language.into(),
    )
    .await?;
    let path = format!("/shared/{}", created.token);
    let url = match &public_url.0 {
        Some(base) => format!("{base}{path}"),
        None => {
            let connection = request.connection_info();
            format!("{}://{}{path}", connection.scheme(), connection.host())
        }
    };
    let location = format!(
        "/v1/assessments/{assessment_id}/share-links/{}",
        created.link.id
    );
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CreatedShareLink {
            share_link: ShareLinkResponse::of(created.link, Utc::now()),
            url,
            path,
        }))
}

/// List share links.
///
/// An assessment's links, oldest first, with their status; the links themselves are not shown
/// again.
#[utoipa::path(
    tag = "reports",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Assessment id"), PageQuery),
    responses((status = 200, description = "A page of share links", body = Page<ShareLinkResponse>), NotFoundProblem, ValidationProblem)
)]
#[get("/assessments/{id}/share-links")]
async fn list_share_links(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Page<ShareLinkResponse>>, ApiError> {
    let page = query.parse()?;
    let tenant = reader.caller().tenant;
    let links = share_links::list(&store, tenant, AssessmentId(*id), page.keyset()?).await?;
    let now = Utc::now();
    Ok(web::Json(page.finish(
        links,
        |link| link.id.0,
        |link| ShareLinkResponse::of(link, now),
    )))
}

/// Get a share link.
///
/// The link's state; the link itself is not shown again.
#[utoipa::path(
    tag = "reports",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Assessment id"), ("link_id" = Uuid, Path, description = "Share link id")),
    responses((status = 200, description = "The share link", body = ShareLinkResponse), NotFoundProblem)
)]
#[get("/assessments/{id}/share-links/{link_id}")]
async fn get_share_link(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<ShareLinkResponse>, ApiError> {
    let (assessment_id, link_id) = path.into_inner();
    let tenant = reader.caller().tenant;
    let link = share_links::get(
        &store,
        tenant,
        AssessmentId(assessment_id),
        ShareLinkId(link_id),
    )
    .await?;
    Ok(web::Json(ShareLinkResponse::of(link, Utc::now())))
}

/// Revoke a share link.
///
/// The link answers 410 from then on. Revoking a revoked link changes nothing. Audited.
#[utoipa::path(
    tag = "reports",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Assessment id"), ("link_id" = Uuid, Path, description = "Share link id")),
    responses((status = 204, description = "Revoked"), NotFoundProblem)
)]
#[delete("/assessments/{id}/share-links/{link_id}")]
async fn revoke_share_link(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (assessment_id, link_id) = path.into_inner();
    share_links::revoke(
        &store,
        reader.caller().actor(),
        AssessmentId(assessment_id),
        ShareLinkId(link_id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Open a shared report.
///
/// The report behind a share link, in the link's language, for anyone holding the link: no
/// token needed. An expired or revoked link answers 410 and an unknown one 404, each with a
/// small HTML page and never the report. Responses are not cached (`Cache-Control: private,
/// no-store`), send no referrer, ask not to be indexed, and allow no script or external asset
/// (Content-Security-Policy).
#[utoipa::path(
    tag = "reports",
    params(("token" = String, Path, description = "The link's token", min_length = 43, max_length = 43, pattern = "^[A-Za-z0-9_-]{43}$"), LanguageHeader),
    responses(
        (status = 200, description = "The report", content((String = "text/html"))),
        (status = 404, description = "No such link", content((String = "text/html"))),
        (status = 410, description = "The link has expired or was revoked", content((String = "text/html"))),
        (status = 429, description = "Too many requests from this address; retry after `Retry-After` seconds",
            body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The report cannot be shown right now (e.g. the database is unreachable); retry later", content((String = "text/html"))),
    )
)]
#[get("/shared/{token}")]
async fn open_shared_report(
    _address: LimitedAddress,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    Negotiated(reader_lang): Negotiated,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let words = |lang| html::Words::of(lang);
    let shared = match share_links::open(&store, &catalog, &token).await {
        Ok(shared) => shared,
        // Whoever holds a link gets a page, with the same headers as the report, not a problem
        // document; the cause goes to the log.
        Err(error) => {
            let error = ApiError::from(error);
            tracing::error!(%error, "a shared report could not be shown");
            let status = error.status_code();
            let page = html::notice(
                reader_lang,
                words(reader_lang).link_error_title,
                words(reader_lang).link_error,
            );
            return Ok(html_page(HttpResponse::build(status), reader_lang, page));
        }
    };
    Ok(match shared {
        Shared::Report(report, lang) => html_page(
            HttpResponse::Ok(),
            lang,
            html::assessment_report(&report, &catalog, lang, html::Audience::LinkHolder),
        ),
        Shared::Gone(lang) => html_page(
            HttpResponse::Gone(),
            lang,
            html::notice(lang, words(lang).link_gone_title, words(lang).link_gone),
        ),
        Shared::Unknown => html_page(
            HttpResponse::NotFound(),
            reader_lang,
            html::notice(
                reader_lang,
                words(reader_lang).link_unknown_title,
                words(reader_lang).link_unknown,
            ),
        ),
    })
}
