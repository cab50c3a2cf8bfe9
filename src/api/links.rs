//! OpenAPI links: which value of an answer is which parameter of the next operations (the id a
//! creation returns is the `{id}` of its reads and changes). They document the API's workflow
//! for client generators and readers, and let schemathesis' stateful phase follow it. A link's
//! `requestBody` object holds runtime expressions for the fields it fills (schemathesis merges
//! it into the body it generates).

use serde_json::{Value, json};
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::{OpenApi, RefOr};

/// One way onwards from an operation's answer.
struct Onwards {
    from: &'static str,
    status: &'static str,
    to: &'static [&'static str],
    parameters: &'static [(&'static str, &'static str)],
    body: Option<fn() -> Value>,
}

const CLIENT_OPERATIONS: &[&str] = &[
    "get_client",
    "update_client",
    "delete_client",
    "get_client_benchmark",
    "get_progress",
    "get_client_report",
];
const ASSESSMENT_OPERATIONS: &[&str] = &[
    "get_assessment",
    "get_questionnaire",
    "get_assessment_report",
    "get_answers_table",
    "list_respondents",
    "create_respondent",
    "get_results",
    "list_share_links",
    "create_share_link",
    "submit_assessment",
];
const WEBHOOK_ENDPOINT_OPERATIONS: &[&str] = &[
    "get_webhook_endpoint",
    "update_webhook_endpoint",
    "delete_webhook_endpoint",
    "list_webhook_deliveries",
    "replay_webhook_events",
    "rotate_webhook_secret",
];

const LINKS: &[Onwards] = &[
    Onwards {
        from: "create_client",
        status: "201",
        to: CLIENT_OPERATIONS,
        parameters: &[("id", "$response.body#/id")],
        body: None,
    },
    Onwards {
        from: "create_client",
        status: "201",
        to: &["create_assessment"],
        parameters: &[],
        body: Some(|| json!({"client_id": "$response.body#/id"})),
    },
    Onwards {
        from: "create_assessment",
        status: "201",
        to: ASSESSMENT_OPERATIONS,
        parameters: &[("id", "$response.body#/id")],
        body: None,
    },
    Onwards {
        from: "create_respondent",
        status: "201",
        to: &["save_answers", "get_answers", "delete_respondent"],
        parameters: &[
            ("id", "$request.path.id"),
            ("respondent_id", "$response.body#/respondent/id"),
        ],
        body: None,
    },
    Onwards {
        from: "save_answers",
        status: "200",
        to: &["submit_assessment", "get_answers_table"],
        parameters: &[("id", "$request.path.id")],
        body: None,
    },
    Onwards {
        from: "create_share_link",
        status: "201",
        to: &["get_share_link", "revoke_share_link"],
        parameters: &[
            ("id", "$request.path.id"),
            ("link_id", "$response.body#/share_link/id"),
        ],
        body: None,
    },
    Onwards {
        from: "create_webhook_endpoint",
        status: "201",
        to: WEBHOOK_ENDPOINT_OPERATIONS,
        parameters: &[("id", "$response.body#/endpoint/id")],
        body: None,
    },
    Onwards {
        from: "list_webhook_deliveries",
        status: "200",
        to: &["replay_webhook_delivery"],
        parameters: &[
            ("id", "$request.path.id"),
            ("delivery_id", "$response.body#/items/0/id"),
        ],
        body: None,
    },
    Onwards {
        from: "create_api_client",
        status: "201",
        to: &[
            "get_api_client",
            "revoke_api_client",
            "rotate_api_client_secret",
        ],
        parameters: &[("id", "$response.body#/client/id")],
        body: None,
    },
    Onwards {
        from: "create_tenant",
        status: "201",
        to: &["get_tenant", "update_tenant"],
        parameters: &[("id", "$response.body#/tenant/id")],
        body: None,
    },
    Onwards {
        from: "list_models",
        status: "200",
        to: &["get_model"],
        parameters: &[("model_id", "$response.body#/items/0/id")],
        body: None,
    },
];

/// Adds the links to the answers they start from.
pub fn document(mut document: OpenApi) -> OpenApi {
    for operation in super::operations_mut(&mut document) {
        let Some(id) = operation.operation_id.clone() else {
            continue;
        };
        for onwards in LINKS.iter().filter(|onwards| onwards.from == id) {
            let Some(RefOr::T(response)) = operation.responses.responses.get_mut(onwards.status)
            else {
                continue;
            };
            for target in onwards.to {
                let mut link = LinkBuilder::new().operation_id(*target);
                for (name, expression) in onwards.parameters {
                    link = link.parameter(*name, *expression);
                }
                link = link.request_body(onwards.body.map(|body| body()));
                response
                    .links
                    .insert((*target).to_owned(), RefOr::T(link.build()));
            }
        }
    }
    document
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// A link to or from an operation that does not exist would mislead readers and stop
    /// schemathesis with "Operation not found".
    #[test]
    fn every_link_joins_existing_operations_from_a_documented_answer() {
        let mut document = crate::api::openapi();
        let mut answers = BTreeSet::new();
        for operation in crate::api::operations_mut(&mut document) {
            let id = operation.operation_id.clone().unwrap();
            for status in operation.responses.responses.keys() {
                answers.insert((id.clone(), status.clone()));
            }
            answers.insert((id, String::new()));
        }
        for onwards in LINKS {
            let from = (onwards.from.to_owned(), onwards.status.to_owned());
            assert!(answers.contains(&from), "no answer {from:?}");
            for target in onwards.to {
                let to = ((*target).to_owned(), String::new());
                assert!(answers.contains(&to), "no operation {target}");
            }
        }
    }
}
