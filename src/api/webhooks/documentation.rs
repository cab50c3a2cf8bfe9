//! The OpenAPI 3.1 `webhooks` section: what a registered endpoint receives, one entry per event
//! type, with the signature headers and the payload schema of [`crate::webhooks::payload`].

use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::{
    ContentBuilder, PathItem, PathsBuilder, Ref, Required, ResponseBuilder, ResponsesBuilder, Type,
    schema::ObjectBuilder,
};

use crate::webhooks::payload::SCHEMAS;

/// Adds the `webhooks` section.
pub fn document(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut webhooks = PathsBuilder::new();
    for (event_type, schema) in SCHEMAS {
        let header = |name: &str, description: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build()
        };
        let operation = OperationBuilder::new()
            .operation_id(Some(event_type.as_str()))
            .tag("webhooks")
            .summary(Some(format!("`{event_type}`")))
            .description(Some(
                "Sent as a `POST` to each enabled endpoint subscribed to this event type. Verify \
                 the signature before trusting the body: HMAC-SHA256, keyed with the base64 \
                 key after `whsec_`, over `{webhook-id}.{webhook-timestamp}.{body}`; \
                 `webhook-signature` holds `v1,<base64>` per signing secret, space-separated \
                 (two for 24 hours after a rotation). Reject timestamps far from now (replays). \
                 Any 2xx within the deployment's timeout (10 s unless configured) acknowledges; \
                 anything else is retried with backoff for about three days (5 s, 5 min, 30 min, \
                 2 h, 5 h, then every 10 h), and an endpoint that fails for five days is \
                 disabled. Deliveries can arrive more than once and out of order (a gathered \
                 `respondent.answers_saved` up to a minute late): use `webhook-id` to ignore \
                 repeats and `timestamp` to order.",
            ))
            .parameter(header(
                "webhook-id",
                "The event's id (UUIDv7); the same on every attempt and replay",
            ))
            .parameter(header(
                "webhook-timestamp",
                "Seconds since the Unix epoch when this attempt was signed",
            ))
            .parameter(header(
                "webhook-signature",
                "Space-separated `v1,<base64 HMAC-SHA256>`, one per signing secret",
            ))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name(schema)))
                            .build(),
                    )
                    .build(),
            ))
            .responses(
                ResponsesBuilder::new()
                    .response(
                        "2XX",
                        ResponseBuilder::new().description("Received; any 2xx acknowledges"),
                    )
                    .build(),
            )
            .build();
        webhooks = webhooks.path(
            event_type.as_str(),
            PathItem::new(HttpMethod::Post, operation),
        );
    }
    document.webhooks = Some(webhooks.build());
    document
}
