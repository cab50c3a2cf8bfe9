//! The collector validation reports into, with the checks every definition shares: ids,
//! non-empty strings and complete translations.

use super::DefinitionError;
use crate::domain::definition::TextDefinition;
use crate::domain::{Lang, Sector, Sectors, Text};

/// Collects problems while validation carries on, so that all of them are reported together.
#[derive(Default)]
pub(super) struct Checker {
    errors: Vec<DefinitionError>,
}

impl Checker {
    pub(super) fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(DefinitionError {
            path: path.into(),
            message: message.into(),
        });
    }

    /// A `not_for` list: known sectors, each once.
    pub(super) fn sectors(&mut self, path: &str, names: &[String]) -> Sectors {
        let mut sectors = Sectors::NONE;
        for (i, name) in names.iter().enumerate() {
            match name.parse::<Sector>() {
                Ok(sector) if sectors.excludes(Some(sector)) => {
                    self.fail(format!("{path}[{i}]"), format!("`{name}` is listed twice"));
                }
                Ok(sector) => sectors = sectors.with(sector),
                Err(message) => self.fail(format!("{path}[{i}]"), message),
            }
        }
        sectors
    }

    /// An optional value written as one of a fixed set of texts.
    pub(super) fn one_of<T: std::str::FromStr<Err = String>>(
        &mut self,
        path: &str,
        value: Option<&str>,
    ) -> Option<T> {
        let value = value?;
        value
            .parse::<T>()
            .map_err(|message| self.fail(path, message))
            .ok()
    }

    pub(super) fn non_empty(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(path, "must not be empty");
        }
    }

    /// Ids appear in URLs and in clients' code: lowercase ASCII words joined by single hyphens.
    pub(super) fn id(&mut self, path: &str, id: &str) {
        let well_formed = !id.is_empty()
            && id.len() <= 64
            && id.split('-').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !well_formed {
            self.fail(
                path,
                format!("`{id}` is not a valid id (lowercase letters and digits in words joined by single hyphens, at most 64 characters)"),
            );
        }
    }

    pub(super) fn text(&mut self, path: &str, text: &TextDefinition) -> Text {
        for lang in Lang::ALL {
            match text.get(lang.code()) {
                None => self.fail(format!("{path}.{lang}"), "missing translation"),
                Some(value) if value.trim().is_empty() => {
                    self.fail(format!("{path}.{lang}"), "empty translation");
                }
                Some(_) => {}
            }
        }
        for code in text.keys() {
            if Lang::from_tag(code).is_none_or(|lang| lang.code() != code) {
                self.fail(
                    format!("{path}.{code}"),
                    "unsupported language (expected en and nl)",
                );
            }
        }
        let get = |lang: Lang| text.get(lang.code()).cloned().unwrap_or_default();
        Text::new(get(Lang::En), get(Lang::Nl))
    }

    pub(super) fn finish<T>(self, value: T) -> Result<T, Vec<DefinitionError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}
