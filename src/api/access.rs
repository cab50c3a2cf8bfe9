//! Who may use an assessment's questionnaire and answers: an agency caller holding the scope
//! `S`, or a respondent token for this assessment (and, on a respondent's path, this respondent)
//! whose respondent has not been removed. One extractor, so every such route checks the same.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use uuid::Uuid;

use crate::auth::caller::{Caller, scope};
use crate::domain::ids::{AssessmentId, RespondentId};
use crate::error::ApiError;
use crate::service;
use crate::store::Store;

/// An allowed caller of `/assessments/{id}/…`, with the path's ids.
#[derive(Debug)]
pub struct AssessmentAccess<S: scope::Required> {
    pub caller: Caller,
    pub assessment_id: AssessmentId,
    /// Present on `…/respondents/{respondent_id}/…` paths.
    pub respondent_id: Option<RespondentId>,
    scope: PhantomData<S>,
}

impl<S: scope::Required + 'static> FromRequest for AssessmentAccess<S> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(request, payload);
        let request = request.clone();
        Box::pin(async move {
            let caller = caller.await?;
            let assessment_id = path_id(&request, "id")?.map(AssessmentId);
            let respondent_id = path_id(&request, "respondent_id")?.map(RespondentId);
            let Some(assessment_id) = assessment_id else {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "AssessmentAccess on a path without an assessment id"
                )));
            };
            if caller.scopes.contains(S::SCOPE) {
                return Ok(Self::new(caller, assessment_id, respondent_id));
            }
            let granted = caller.respondent.filter(|grant| {
                grant.assessment_id == assessment_id
                    && respondent_id.is_none_or(|id| id == grant.respondent_id)
            });
            let Some(grant) = granted else {
                return Err(ApiError::Forbidden { scope: S::SCOPE });
            };
            let store = request.app_data::<web::Data<Store>>().ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("the store is not configured"))
            })?;
            service::access::respondent_stands(store, caller.tenant, grant).await?;
            Ok(Self::new(caller, assessment_id, respondent_id))
        })
    }
}

impl<S: scope::Required> AssessmentAccess<S> {
    fn new(
        caller: Caller,
        assessment_id: AssessmentId,
        respondent_id: Option<RespondentId>,
    ) -> Self {
        AssessmentAccess {
            caller,
            assessment_id,
            respondent_id,
            scope: PhantomData,
        }
    }
}

/// A path parameter as a UUID; `None` when the route has no such parameter, 404 when it does not
/// parse (like every other unparseable path).
fn path_id(request: &HttpRequest, name: &str) -> Result<Option<Uuid>, ApiError> {
    request
        .match_info()
        .get(name)
        .map(|text| {
            text.parse()
                .map_err(|_| ApiError::NotFound(format!("nothing exists at {}", request.path())))
        })
        .transpose()
}
