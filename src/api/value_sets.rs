//! Response fields that take one of a fixed set of values (a status, a kind, a code), documented
//! as enums so that a generated client types them instead of leaving a bare string. Each list is
//! read from the domain's own `ALL`, so the document can neither name a value the service never
//! sends nor miss one it does. Later releases may add values; the descriptions say so, and
//! clients should treat an unknown value as new rather than fail.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use crate::api::oauth::TOKEN_TYPE;
use crate::catalog::ids::string_enum;
use crate::domain::assessment::{AssessmentStatus, SizeBand};
use crate::domain::benchmark::NaceSection;
use crate::domain::scoring::Evidence;
use crate::domain::scoring::cross_model::CrossInsightCode;
use crate::domain::scoring::result::{InsightCode, RecommendationKind};
use crate::domain::scoring::roadmap::Phase;
use crate::domain::tenancy::{AuditAction, AuditTarget, ClientStatus, Scope, TenantStatus};
use crate::domain::{Effort, Owner, Sector};

/// Declares a documentation-only type (`$rust`) whose schema, named `$name`, is the string enum
/// of `$values`.
macro_rules! value_set {
    ($($(#[$doc:meta])* $rust:ident as $name:literal: $description:literal = $values:expr;)+) => {$(
        $(#[$doc])*
        pub struct $rust;

        impl PartialSchema for $rust {
            fn schema() -> RefOr<Schema> {
                string_enum($description, $values)
            }
        }

        impl ToSchema for $rust {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    )+};
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|value| name(*value).to_owned()).collect()
}

value_set! {
    AssessmentStatusValues as "AssessmentStatus":
        "`open` (answers may be saved) or `submitted` (answers frozen, results stored)."
        = names(AssessmentStatus::ALL, AssessmentStatus::as_str);
    TenantStatusValues as "TenantStatus":
        "`active`, or `suspended` (its clients get no tokens and their tokens stop working)."
        = names(TenantStatus::ALL, TenantStatus::as_str);
    ApiClientStatusValues as "ApiClientStatus":
        "`active`, or `revoked` (no tokens; its tokens stop working)."
        = names(ClientStatus::ALL, ClientStatus::as_str);
    AuditActionValues as "AuditAction":
        "What happened. Later releases may add actions: treat an unknown one as new."
        = names(AuditAction::ALL, AuditAction::as_str);
    AuditTargetValues as "AuditTarget":
        "What an audit event is about: `api_client`, `organisation` (a client organisation), \
         `tenant`, `assessment`, `respondent`, `share_link` or `webhook_endpoint`. Later releases \
         may add targets: treat an unknown one as new."
        = names(AuditTarget::ALL, AuditTarget::as_str);
    RecommendationKindValues as "RecommendationKind":
        "Why an action is recommended: `next` (the next stage, a focus model's foundation or \
         chosen element, or the choice of objectives), `prerequisite` (a recommended action \
         depends on it and it is not done), `toward-target` (a stage beyond the next, up to the \
         target), `strengthen` (nothing on the path is missing: an element in place but below \
         \"mostly\") or `option` (an ambition model without a target: the layer above what the \
         organisation does, its own choice). Later releases may add kinds: treat an unknown one \
         as new."
        = names(RecommendationKind::ALL, RecommendationKind::as_str);
    PhaseValues as "Phase":
        "When to do a roadmap step: `now` (the first 90 days, at most five steps), `next` (the \
         following quarter) or `later`."
        = names(Phase::ALL, Phase::as_str);
    EvidenceValues as "Evidence":
        "What the answers say about a recommended action's practice: `missing` (an indicator it \
         establishes scores below \"mostly\"), `unknown` (unanswered: check with the client \
         before planning it) or `unmeasured` (a choice or a means no question can show done). \
         Done actions are never recommended."
        = names(Evidence::ALL, Evidence::as_str);
    EffortValues as "Effort":
        "How much work an action is: `small` (days), `medium` (weeks) or `large` (a quarter or \
         more)."
        = names(Effort::ALL, Effort::as_str);
    OwnerValues as "Owner":
        "The role that usually carries an action."
        = names(Owner::ALL, Owner::as_str);
    SectorValues as "Sector":
        "`public` (government and publicly run services), `nonprofit` (charities, associations, \
         foundations, housing corporations) or `business`."
        = names(Sector::ALL, Sector::as_str);
    InsightCodeValues as "InsightCode":
        "What a model's result shows beyond its placement: `skipped-foundation` (a higher \
         layer's element is in place while a lower layer is not reached), `foundation-unknown` \
         (a skipped or missing foundation that nothing answered shows), \
         `foundation-not-in-place` (a focus model's foundation, undermining the rest), \
         `weakest-elements` (a focus model's profile), `unanswered-elements` (unknown, not zero), \
         `target-reached` or `ahead-of-stage` (a staged model's elements of a later stage are in \
         place while a lower stage blocks). Later releases may add codes: treat an unknown one as new."
        = names(InsightCode::ALL, InsightCode::as_str);
    CrossInsightCodeValues as "CrossInsightCode":
        "What the chosen models show together: `inside-out-before-outside-in`, \
         `inside-out-before-tactical` or `diverging-placements`. Later releases may add codes: \
         treat an unknown one as new."
        = names(CrossInsightCode::ALL, CrossInsightCode::as_str);
    SizeBandValues as "SizeBand":
        "`micro` (<10 people), `small` (10–49), `medium` (50–249) or `large` (250+)."
        = names(SizeBand::ALL, SizeBand::as_str);
    NaceSectionValues as "NaceSection":
        "A NACE Rev. 2 section, `A`–`U`."
        = names(&NaceSection::ALL, NaceSection::code);
    TokenTypeValues as "TokenType":
        "How to send the token: `Authorization: Bearer …`."
        = vec![TOKEN_TYPE.to_owned()];
    TenantScopeValues as "TenantScope":
        "A scope a tenant's API client may hold."
        = names(&Scope::TENANT, Scope::as_str);
}
