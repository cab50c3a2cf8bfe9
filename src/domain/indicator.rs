//! The shared indicator bank: one assessment question per observable practice, answered on the
//! 0–4 scale, which every model maps its elements onto.

use foldhash::HashMap;

use crate::domain::{Sectors, Text};

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
    /// The sectors the question means nothing to: left out of their questionnaires and scores.
    pub not_for: Sectors,
    /// Used only by older model versions: not served by default, still accepted for
    /// assessments pinned to a version that has it.
    pub retired: bool,
}

/// Every indicator, in the bank's curated order: the order a questionnaire asks them in.
#[derive(Clone, Debug, Default)]
pub struct IndicatorBank {
    indicators: Vec<Indicator>,
    index: HashMap<String, usize>,
}

impl IndicatorBank {
    /// A bank of already validated indicators with unique ids, in curated order.
    pub(crate) fn new(indicators: Vec<Indicator>) -> Self {
        let index = indicators
            .iter()
            .enumerate()
            .map(|(i, indicator)| (indicator.id.clone(), i))
            .collect();
        IndicatorBank { indicators, index }
    }

    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.index.get(id).map(|&i| &self.indicators[i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The indicator's position in the bank's order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// All indicators, in curated order.
    pub fn iter(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter()
    }

    pub fn len(&self) -> usize {
        self.indicators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
    }
}
