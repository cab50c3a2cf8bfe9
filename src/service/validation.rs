//! Checks on input fields shared by several use cases (and the command line); each failure names
//! its field.

use crate::domain::FieldError;

/// The longest name accepted for tenants and clients.
pub const MAX_NAME_CHARS: usize = 200;

/// A display name: 1 to 200 characters, no control characters, not blank; stored trimmed.
/// The rules apply to the value as sent, so that they are exactly the documented pattern and
/// length (a client generated from the schema and this check agree on every input).
pub fn name(field: &str, value: &str) -> Result<String, FieldError> {
    if value.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError::new(
            field,
            format!("must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    let trimmed = value.trim_matches(is_blank);
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    Ok(trimmed.to_owned())
}

/// White space as the documented name pattern spells it out, character by character: Unicode's
/// White_Space (what `str::trim` removes) and U+FEFF, which ECMA-262's `\s` also counts; an
/// explicit class means the same to every regex engine a client may check with.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country(field: &str, value: &str) -> Result<String, FieldError> {
    let code = value.to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(FieldError::new(
            field,
            "must be an ISO 3166-1 alpha-2 code such as NL",
        ))
    }
}

/// A free text (industry, notes) of at most `max` characters; line breaks and tabs are the only
/// control characters (PostgreSQL cannot store NUL, and a note needs no other). Stored trimmed;
/// blank is `None`. The rules apply to the value as sent, exactly as its documented pattern and
/// length.
pub fn note(field: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(Some(value.trim().to_owned()).filter(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_two_letters_upper_cased() {
        assert_eq!(country("country", "nl").unwrap(), "NL");
        // Exactly the documented pattern `^[A-Za-z]{2}$`: no padding either.
        for bad in ["", "N", "NLD", "N1", "Netherlands", " nl", "nl\n"] {
            assert!(
                country("country", bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("name", "  Agency X ").unwrap(), "Agency X");
        // The rules hold for the value as sent: a trailing line break is a control character and
        // padding counts towards the length, as in the documented pattern and maxLength.
        let padded = format!(" {} ", "x".repeat(199));
        for bad in [
            "",
            "   ",
            "\u{feff}",
            " \u{3000}",
            "a\u{7}b",
            "Agency\n",
            &"x".repeat(201),
            &padded,
        ] {
            assert!(name("name", bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
