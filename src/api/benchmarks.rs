//! Peer benchmarks: `GET /v1/benchmarks` (a peer group's aggregates per model),
//! `GET /v1/clients/{id}/benchmark` (a client's percentiles among its peers) and
//! `GET /v1/nace-sections` (the industries peers are grouped by).

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::language::{LanguageHeader, Negotiated};
use crate::api::problems::{NotFoundProblem, ValidationProblem};
use crate::api::value_sets::{NaceSectionValues, SizeBandValues};
use crate::auth::caller::{Authorized, scope};
use crate::catalog::Catalog;
use crate::catalog::ids::ModelId;
use crate::domain::assessment::SizeBand;
use crate::domain::benchmark::{NaceSection, PeerGroup};
use crate::domain::ids::OrganisationId;
use crate::domain::{FieldError, Lang, Model};
use crate::error::ApiError;
use crate::service::benchmarks::{self, Benchmarks, ClientPosition, ModelBenchmark};
use crate::service::validation;
use crate::store::Store;

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(get_benchmarks)
        .service(get_client_benchmark)
        .service(list_nace_sections);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkQuery {
    /// One model (its latest version); every model when absent.
    #[param(value_type = Option<ModelId>, example = "social-media-pyramid")]
    model_id: Option<String>,
    /// A NACE Rev. 2 section, `A`–`U`.
    #[param(example = "G", pattern = "^[A-Ua-u]$")]
    industry: Option<String>,
    /// `micro`, `small`, `medium` or `large`.
    #[param(example = "small", pattern = "^(micro|small|medium|large)$")]
    size_band: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[param(example = "NL", pattern = "^[A-Za-z]{2}$")]
    country: Option<String>,
}

impl BenchmarkQuery {
    fn group(&self) -> Result<PeerGroup, ApiError> {
        let mut errors = Vec::new();
        let industry = self.industry.as_deref().and_then(|s| {
            s.parse::<NaceSection>()
                .map_err(|m| errors.push(FieldError::new("industry", m)))
                .ok()
        });
        let country = self.country.as_deref().and_then(|c| {
            validation::country("country", c)
                .map_err(|e| errors.push(e))
                .ok()
        });
        let size_band = self.size_band.as_deref().and_then(|s| {
            s.parse::<SizeBand>()
                .map_err(|m| errors.push(FieldError::new("size_band", m)))
                .ok()
        });
        if self.model_id.as_ref().is_some_and(|m| m.len() > 64) {
            errors.push(FieldError::new("model_id", "must be at most 64 characters"));
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(PeerGroup {
            industry,
            size_band,
            country,
        })
    }
}

/// A peer group: organisations sharing every attribute given (`null` means any).
#[derive(Debug, Serialize, ToSchema)]
pub struct PeerGroupDocument {
    /// NACE Rev. 2 section.
    #[schema(value_type = Option<NaceSectionValues>)]
    pub industry: Option<&'static str>,
    #[schema(value_type = Option<SizeBandValues>)]
    pub size_band: Option<&'static str>,
    pub country: Option<String>,
}

impl From<&PeerGroup> for PeerGroupDocument {
    fn from(group: &PeerGroup) -> Self {
        PeerGroupDocument {
            industry: group.industry.map(NaceSection::code),
            size_band: group
                .size_band
                .map(crate::domain::assessment::SizeBand::as_str),
            country: group.country.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BenchmarksResponse {
    /// The fewest organisations a shown group has; counts are rounded to the nearest 5.
    pub k: u32,
    pub models: Vec<ModelBenchmarkDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelBenchmarkDocument {
    #[schema(value_type = ModelId)]
    pub model_id: String,
    /// Only results scored at this (the latest) version count.
    pub model_version: String,
    pub group: PeerGroupDocument,
    /// Whether the group is large enough to show; when not, only `broader` is given.
    pub shown: bool,
    /// Organisations in the group, to the nearest 5.
    pub organisations: Option<u32>,
    /// Staged and layered models: organisations per stage (to the nearest 5); `order` 0 is
    /// below the first stage.
    pub stages: Vec<StageCountDocument>,
    pub elements: Vec<ElementBenchmarkDocument>,
    /// When the group is too small: the first broader group (without the country, then the size
    /// band, then the industry) that may be shown; `null` when none may.
    pub broader: Option<PeerGroupDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageCountDocument {
    pub order: u32,
    /// `null` for order 0.
    pub stage_id: Option<String>,
    pub name: String,
    pub organisations: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementBenchmarkDocument {
    pub element_id: String,
    pub name: String,
    /// Organisations with the element in place, to the nearest 5; `null` (like the quartiles)
    /// when fewer than k organisations of other tenants have a score for the element.
    pub in_place: Option<u32>,
    /// Quartiles of the element score (0–1, on a 0.05 grid); `null` when nobody's is known.
    pub quartiles: Option<QuartilesDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuartilesDocument {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

fn stage_name(model: &Model, order: u32, lang: Lang) -> (Option<String>, String) {
    match model.stages.iter().find(|s| s.order == order) {
        Some(stage) => (Some(stage.id.clone()), stage.name.get(lang).to_owned()),
        None => (
            None,
            crate::api::reports::html::Words::of(lang)
                .below_first_stage
                .to_owned(),
        ),
    }
}

fn element_name(model: &Model, id: &str, lang: Lang) -> String {
    model
        .element(id)
        .map_or(id, |e| e.name.get(lang))
        .to_owned()
}

impl ModelBenchmarkDocument {
    fn render(benchmark: &ModelBenchmark<'_>, lang: Lang) -> Self {
        let model = benchmark.model;
        let figures = benchmark.figures.as_ref();
        ModelBenchmarkDocument {
            model_id: model.id.clone(),
            model_version: model.version.to_string(),
            group: (&benchmark.requested).into(),
            shown: figures.is_some(),
            organisations: figures.map(|f| f.organisations),
            stages: figures.map_or_else(Vec::new, |f| {
                f.stages
                    .iter()
                    .map(|&(order, organisations)| {
                        let (stage_id, name) = stage_name(model, order, lang);
                        StageCountDocument {
                            order,
                            stage_id,
                            name,
                            organisations,
                        }
                    })
                    .collect()
            }),
            elements: figures.map_or_else(Vec::new, |f| {
                f.elements
                    .iter()
                    .map(|e| ElementBenchmarkDocument {
                        name: element_name(model, &e.element_id, lang),
                        element_id: e.element_id.clone(),
                        in_place: e.in_place,
                        quartiles: e.quartiles.map(|q| QuartilesDocument {
                            q1: q.q1,
                            median: q.median,
                            q3: q.q3,
                        }),
                    })
                    .collect()
            }),
            broader: benchmark.broader.as_ref().map(Into::into),
        }
    }
}

/// Get peer benchmarks.
///
/// Per model (its latest version): how the organisations of a peer group are placed, from the
/// latest submitted result of every client of the tenants that share theirs. Only tenants that
/// share may read (403 otherwise). The reader's own clients never count toward what decides: a
/// group with fewer than k organisations of other tenants, or that differs by fewer than k from
/// any wider group, is not shown (nor an element's scores that fewer than k others have): the
/// answer says so and names the first broader group that is. Counts are rounded to the nearest
/// 5; quartiles are on a 0.05 grid.
#[utoipa::path(
    tag = "benchmarks",
    security(("oauth2" = ["reports:read"])),
    params(BenchmarkQuery, LanguageHeader),
    responses(
        (status = 200, description = "The benchmarks", body = BenchmarksResponse),
        ValidationProblem,
    )
)]
#[get("/benchmarks")]
async fn get_benchmarks(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    benchmarks: web::Data<Benchmarks>,
    Negotiated(lang): Negotiated,
    query: web::Query<BenchmarkQuery>,
) -> Result<HttpResponse, ApiError> {
    let group = query.group()?;
    let tenant = reader.caller().tenant;
    let found = benchmarks::peer_benchmarks(
        &store,
        &catalog,
        &benchmarks,
        tenant,
        query.model_id.as_deref(),
        &group,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(BenchmarksResponse {
            k: benchmarks.rules.k,
            models: found
                .iter()
                .map(|b| ModelBenchmarkDocument::render(b, lang))
                .collect(),
        }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientBenchmarkResponse {
    pub client_id: Uuid,
    /// The client's own attributes: its narrowest peer group.
    pub group: PeerGroupDocument,
    /// One per model the client has a result for at the model's latest version (and a peer
    /// group large enough to compare with).
    pub models: Vec<ClientPositionDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientPositionDocument {
    #[schema(value_type = ModelId)]
    pub model_id: String,
    pub model_version: String,
    /// The peers compared with: the client's own group, or the first broader one large enough.
    pub peer_group: PeerGroupDocument,
    /// Organisations in that group (the client included), to the nearest 5.
    pub organisations: u32,
    /// Staged and layered models: the share of peers placed lower (those level counted half), in
    /// whole percent rounded to 5.
    pub stage_percentile: Option<u32>,
    pub elements: Vec<ElementPositionDocument>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElementPositionDocument {
    pub element_id: String,
    pub name: String,
    /// The share of peers scoring lower (those in the same 0.05 band counted half), in whole
    /// percent rounded to 5; `null` when the client's score is unknown.
    pub percentile: Option<u32>,
}

impl ClientPositionDocument {
    fn render(position: &ClientPosition<'_>, lang: Lang) -> Self {
        ClientPositionDocument {
            model_id: position.model.id.clone(),
            model_version: position.model.version.to_string(),
            peer_group: (&position.group).into(),
            organisations: position.organisations,
            stage_percentile: position.stage_percentile,
            elements: position
                .elements
                .iter()
                .map(|(id, percentile)| ElementPositionDocument {
                    name: element_name(position.model, id, lang),
                    element_id: id.clone(),
                    percentile: *percentile,
                })
                .collect(),
        }
    }
}

/// Get a client's position among its peers.
///
/// Per model the client has a result for (at the model's latest version), its percentiles within
/// its peer group: the organisations of its NACE section, size band and country, or the first
/// broader group large enough to show (see `GET /v1/benchmarks`). Only tenants that share their
/// clients' results may read (403 otherwise).
#[utoipa::path(
    tag = "benchmarks",
    security(("oauth2" = ["reports:read"])),
    params(("id" = Uuid, Path, description = "Client id"), LanguageHeader),
    responses(
        (status = 200, description = "The client's position", body = ClientBenchmarkResponse),
        NotFoundProblem,
    )
)]
#[get("/clients/{id}/benchmark")]
async fn get_client_benchmark(
    reader: Authorized<scope::ReportsRead>,
    store: web::Data<Store>,
    catalog: web::Data<Catalog>,
    benchmarks: web::Data<Benchmarks>,
    Negotiated(lang): Negotiated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let tenant = reader.caller().tenant;
    let (organisation, positions) =
        benchmarks::client_position(&store, &catalog, &benchmarks, tenant, OrganisationId(*id))
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(ClientBenchmarkResponse {
            client_id: organisation.id.0,
            group: (&organisation.peer_group()).into(),
            models: positions
                .iter()
                .map(|p| ClientPositionDocument::render(p, lang))
                .collect(),
        }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NaceSectionDocument {
    #[schema(value_type = NaceSectionValues)]
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NaceSectionsResponse {
    /// All 21 sections, A to U (a fixed list: no paging).
    pub items: Vec<NaceSectionDocument>,
}

/// List the NACE sections.
///
/// The industries peer benchmarks group clients by (NACE Rev. 2 sections, A–U), labelled in the
/// negotiated language.
#[utoipa::path(
    tag = "benchmarks",
    security(("oauth2" = ["models:read"])),
    params(LanguageHeader),
    responses((status = 200, description = "The sections", body = NaceSectionsResponse))
)]
#[get("/nace-sections")]
async fn list_nace_sections(
    _reader: Authorized<scope::ModelsRead>,
    Negotiated(lang): Negotiated,
) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .json(NaceSectionsResponse {
            items: NaceSection::ALL
                .iter()
                .map(|s| NaceSectionDocument {
                    code: s.code(),
                    label: s.label(lang),
                })
                .collect(),
        })
}
