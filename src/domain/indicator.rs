//! The shared indicator bank: one assessment question per observable practice, answered on the
//! 0–4 scale, which every model maps its elements onto.

use std::collections::BTreeMap;

use crate::domain::Text;

/// The broad capability an indicator is evidence of; lets front-ends group the questionnaire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    Strategy,
    Organisation,
    Listening,
    Responding,
    Content,
    Community,
    Measurement,
    Innovation,
}

/// One question of the bank.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub text: Text,
    pub help: Text,
    pub capability: Capability,
}

/// Every indicator, by id, in a stable (sorted) order.
#[derive(Clone, Debug, Default)]
pub struct IndicatorBank {
    indicators: BTreeMap<String, Indicator>,
}

impl IndicatorBank {
    /// A bank of already validated indicators.
    pub(crate) fn new(indicators: BTreeMap<String, Indicator>) -> Self {
        IndicatorBank { indicators }
    }

    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.indicators.contains_key(id)
    }

    /// All indicators, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators.values()
    }

    pub fn len(&self) -> usize {
        self.indicators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
    }
}
