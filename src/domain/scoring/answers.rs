//! Answers on the 0–4 scale and their aggregation over several respondents.

use std::collections::BTreeMap;

use crate::domain::IndicatorBank;

/// An answer: 0 not at all, 1 ad hoc, 2 partly, 3 mostly, 4 fully and structurally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnswerValue(u8);

impl AnswerValue {
    pub const MAX: u8 = 4;

    /// `None` outside 0–4.
    pub fn new(value: i64) -> Option<AnswerValue> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= Self::MAX)
            .map(AnswerValue)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// One respondent's answers by indicator id; `None` is "don't know / not applicable".
pub type RespondentAnswers = BTreeMap<String, Option<AnswerValue>>;

/// What the respondents said about one indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorAnswers {
    /// Mean of the non-null answers, 0–4; `None` when nobody gave one.
    pub mean: Option<f64>,
    pub min: Option<u8>,
    pub max: Option<u8>,
    /// Respondents who gave a 0–4 answer.
    pub answered: u32,
    /// Respondents who answered "don't know / not applicable".
    pub unknown: u32,
}

impl IndicatorAnswers {
    /// Respondents differ by two points or more.
    pub fn disagreement(&self) -> bool {
        matches!((self.min, self.max), (Some(min), Some(max)) if max - min >= 2)
    }
}

/// The answers of every respondent, aggregated per indicator, indexed by the indicator's position
/// in the bank: scoring reads them by index, with no hashing or allocation per answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerSet {
    indicators: Vec<Option<IndicatorAnswers>>,
    respondents: usize,
}

impl AnswerSet {
    /// Aggregates respondents' answers: per indicator the mean of the non-null answers. Sums of
    /// small integers are exact, so the result does not depend on the order of respondents.
    /// Answers to indicators the bank does not have are ignored (validation refuses them).
    pub fn aggregate(bank: &IndicatorBank, respondents: &[RespondentAnswers]) -> AnswerSet {
        let mut indicators: Vec<Option<IndicatorAnswers>> = vec![None; bank.len()];
        // While summing, `mean` holds the running sum of the answers.
        for answers in respondents {
            for (indicator, value) in answers {
                let Some(slot) = bank.position(indicator).and_then(|p| indicators.get_mut(p))
                else {
                    continue;
                };
                let entry = slot.get_or_insert(IndicatorAnswers {
                    mean: None,
                    min: None,
                    max: None,
                    answered: 0,
                    unknown: 0,
                });
                match value {
                    Some(value) => {
                        let v = value.get();
                        entry.mean = Some(entry.mean.unwrap_or(0.0) + f64::from(v));
                        entry.answered += 1;
                        entry.min = Some(entry.min.map_or(v, |m| m.min(v)));
                        entry.max = Some(entry.max.map_or(v, |m| m.max(v)));
                    }
                    None => entry.unknown += 1,
                }
            }
        }
        for entry in indicators.iter_mut().flatten() {
            entry.mean = entry.mean.map(|sum| sum / f64::from(entry.answered));
        }
        AnswerSet {
            indicators,
            respondents: respondents.len(),
        }
    }

    /// What the respondents said about the indicator at `position` in the bank.
    pub fn at(&self, position: usize) -> Option<&IndicatorAnswers> {
        self.indicators.get(position)?.as_ref()
    }

    /// The mean answer (0–4) of the indicator at `position`, when anyone gave one.
    pub fn mean_at(&self, position: usize) -> Option<f64> {
        self.at(position).and_then(|a| a.mean)
    }

    /// What the respondents said about an indicator, by id.
    pub fn get(&self, bank: &IndicatorBank, indicator_id: &str) -> Option<&IndicatorAnswers> {
        self.at(bank.position(indicator_id)?)
    }

    pub fn respondents(&self) -> usize {
        self.respondents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn respondent(pairs: &[(&str, Option<i64>)]) -> RespondentAnswers {
        pairs
            .iter()
            .map(|(id, v)| (id.to_string(), v.map(|v| AnswerValue::new(v).unwrap())))
            .collect()
    }

    #[test]
    fn answer_values_are_0_to_4() {
        assert_eq!(AnswerValue::new(0).map(AnswerValue::get), Some(0));
        assert_eq!(AnswerValue::new(4).map(AnswerValue::get), Some(4));
        assert_eq!(AnswerValue::new(5), None);
        assert_eq!(AnswerValue::new(-1), None);
    }

    fn bank() -> IndicatorBank {
        let indicator = |id: &str| crate::domain::Indicator {
            id: id.to_owned(),
            text: crate::domain::Text::new(id.to_owned(), id.to_owned()),
            help: crate::domain::Text::new(String::new(), String::new()),
            capability: crate::domain::Capability::Strategy,
            not_for: crate::domain::Sectors::NONE,
            retired: false,
        };
        IndicatorBank::new(vec![indicator("a"), indicator("b"), indicator("c")])
    }

    #[test]
    fn respondents_are_averaged_per_indicator_ignoring_dont_know() {
        let bank = bank();
        let set = AnswerSet::aggregate(
            &bank,
            &[
                respondent(&[("a", Some(1)), ("b", None)]),
                respondent(&[("a", Some(4)), ("b", None)]),
                respondent(&[("a", None), ("c", Some(2))]),
            ],
        );
        let a = set.get(&bank, "a").unwrap();
        // (1 + 4) / 2 = 2.5; the third respondent does not know.
        assert_eq!(
            (a.mean, a.min, a.max, a.answered, a.unknown),
            (Some(2.5), Some(1), Some(4), 2, 1)
        );
        assert!(a.disagreement(), "4 - 1 >= 2");
        let b = set.get(&bank, "b").unwrap();
        assert_eq!((b.mean, b.answered, b.unknown), (None, 0, 2));
        assert!(!b.disagreement());
        assert_eq!(set.get(&bank, "c").and_then(|c| c.mean), Some(2.0));
        assert_eq!(set.get(&bank, "missing"), None);
        assert_eq!(set.respondents(), 3);
    }
}
