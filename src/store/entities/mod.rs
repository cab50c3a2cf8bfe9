//! sea-orm entities, one per table. Private to the store: repositories convert them to domain
//! records, so no entity reaches a handler or a response.

pub mod answer;
pub mod api_client;
pub mod assessment;
pub mod assessment_result;
pub mod audit_event;
pub mod benchmark_contribution;
pub mod benchmark_element_cell;
pub mod benchmark_group;
pub mod benchmark_stage_cell;
pub mod idempotency_key;
pub mod organisation;
pub mod respondent;
pub mod share_link;
pub mod signing_key;
pub mod tenant;
pub mod webhook_delivery;
pub mod webhook_endpoint;
pub mod webhook_event;
pub mod webhook_secret;
