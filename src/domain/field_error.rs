//! One invalid field of a request: what every validation, at the edge or in a use case, reports.

/// One invalid field of a request; `error::FieldErrorDocument` is how a problem document lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Where the field is: a query parameter name or a JSON path such as `answers[2].value`.
    pub field: String,
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
