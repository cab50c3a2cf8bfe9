//! Checks on input fields shared by several use cases (and the command line); each failure names
//! its field.

use crate::domain::FieldError;

/// The longest name accepted for tenants and clients.
pub const MAX_NAME_CHARS: usize = 200;

/// A trimmed display name: 1 to 200 characters, no control characters.
pub fn name(field: &str, value: &str) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError::new(
            field,
            format!("must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(FieldError::new(
            field,
            "must be an ISO 3166-1 alpha-2 code such as NL",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_two_letters_upper_cased() {
        assert_eq!(country("country", " nl ").unwrap(), "NL");
        for bad in ["", "N", "NLD", "N1", "Netherlands"] {
            assert!(
                country("country", bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("name", "  Agency X ").unwrap(), "Agency X");
        for bad in ["", "   ", "a\u{7}b", &"x".repeat(201)] {
            assert!(name("name", bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
