//! One invalid field of a request: what every validation, at the edge or in a use case, reports.

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Where the field is: a query parameter name or a JSON path such as `answers[2].value`.
    #[schema(example = "limit")]
    pub field: String,
    #[schema(example = "must be between 1 and 200")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}
