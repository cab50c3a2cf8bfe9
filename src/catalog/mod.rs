//! The built-in catalogue: the indicator bank, the action bank and the seven models (every
//! published version), as data files embedded in the binary, validated when loaded. A broken file stops start-up with every problem listed, each
//! naming the file and the field.

mod embedded;
pub mod ids;

use std::collections::BTreeMap;
use std::fmt;

use crate::domain::definition::{BankActionDefinition, IndicatorDefinition, ModelDefinition};
use crate::domain::{
    ActionBank, IndicatorBank, Model, Version, parse_action_bank, parse_indicator_bank, parse_model,
};

/// A catalogue file: its name (for error messages) and its JSON text.
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub contents: &'a str,
}

/// Every problem found while loading a catalogue, one per line as `file: path: message`.
#[derive(Debug, thiserror::Error)]
pub struct CatalogError {
    pub problems: Vec<String>,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the model catalogue is invalid:")?;
        for problem in &self.problems {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}

/// The validated models (every version) and the indicator bank they share.
#[derive(Debug)]
pub struct Catalog {
    indicators: IndicatorBank,
    actions: ActionBank,
    /// Versions of each model, oldest first.
    versions: BTreeMap<String, Vec<Model>>,
    /// Model ids in the order their files are listed, which is the order they are presented in.
    order: Vec<String>,
}

impl Catalog {
    /// The catalogue compiled into this binary.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_sources(embedded::INDICATORS, embedded::ACTIONS, embedded::MODELS)
    }

    /// Loads and validates a catalogue from its files.
    pub fn from_sources(
        indicators: SourceFile<'_>,
        actions: SourceFile<'_>,
        models: &[SourceFile<'_>],
    ) -> Result<Catalog, CatalogError> {
        let mut problems = Vec::new();
        let bank = parse_json::<Vec<IndicatorDefinition>>(indicators, &mut problems).and_then(
            |definitions| {
                parse_indicator_bank(definitions)
                    .map_err(|errors| report(indicators.name, errors, &mut problems))
                    .ok()
            },
        );
        // Actions name the indicators they establish, so they need the indicator bank.
        let empty = IndicatorBank::default();
        let action_bank = parse_json::<Vec<BankActionDefinition>>(actions, &mut problems).and_then(
            |definitions| {
                parse_action_bank(definitions, bank.as_ref().unwrap_or(&empty))
                    .map_err(|errors| report(actions.name, errors, &mut problems))
                    .ok()
            },
        );
        let (Some(indicators), Some(actions)) = (bank, action_bank) else {
            return Err(CatalogError { problems });
        };
        let mut catalog = Catalog {
            indicators,
            actions,
            versions: BTreeMap::new(),
            order: Vec::new(),
        };
        for file in models {
            let Some(definition) = parse_json::<ModelDefinition>(*file, &mut problems) else {
                continue;
            };
            match parse_model(definition, &catalog.indicators, &catalog.actions) {
                Ok(model) => catalog.add(file.name, model, &mut problems),
                Err(errors) => report(file.name, errors, &mut problems),
            }
        }
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(CatalogError { problems })
        }
    }

    fn add(&mut self, file: &str, model: Model, problems: &mut Vec<String>) {
        let versions = self.versions.entry(model.id.clone()).or_default();
        if versions.iter().any(|known| known.version == model.version) {
            problems.push(format!(
                "{file}: version: model `{}` version {} is defined twice",
                model.id, model.version
            ));
            return;
        }
        if versions.is_empty() {
            self.order.push(model.id.clone());
        }
        versions.push(model);
        versions.sort_by_key(|known| known.version);
    }

    pub fn indicators(&self) -> &IndicatorBank {
        &self.indicators
    }

    pub fn actions(&self) -> &ActionBank {
        &self.actions
    }

    /// The latest version of every model, in presentation order.
    pub fn latest_models(&self) -> impl Iterator<Item = &Model> {
        self.order.iter().filter_map(|id| self.latest(id))
    }

    /// The latest version of one model.
    pub fn latest(&self, model_id: &str) -> Option<&Model> {
        self.versions.get(model_id)?.last()
    }

    /// One version of one model.
    pub fn version(&self, model_id: &str, version: Version) -> Option<&Model> {
        self.versions(model_id)
            .iter()
            .find(|m| m.version == version)
    }

    /// Every version of one model, oldest first; empty for an unknown model.
    pub fn versions(&self, model_id: &str) -> &[Model] {
        self.versions.get(model_id).map_or(&[], Vec::as_slice)
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(
    file: SourceFile<'_>,
    problems: &mut Vec<String>,
) -> Option<T> {
    serde_json::from_str(file.contents)
        .map_err(|error| problems.push(format!("{}: {error}", file.name)))
        .ok()
}

fn report(file: &str, errors: Vec<crate::domain::DefinitionError>, problems: &mut Vec<String>) {
    problems.extend(errors.into_iter().map(|error| format!("{file}: {error}")));
}

#[cfg(test)]
mod encoding_tests;
#[cfg(test)]
mod tests;
