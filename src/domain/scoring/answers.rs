//! Answers on the 0–4 scale and their aggregation over several respondents.

use std::collections::{BTreeMap, HashMap};

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

/// The answers of every respondent, aggregated per indicator.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerSet {
    indicators: HashMap<String, IndicatorAnswers>,
    respondents: usize,
}

impl AnswerSet {
    /// Aggregates respondents' answers: per indicator the mean of the non-null answers. Sums of
    /// small integers are exact, so the result does not depend on the order of respondents.
    pub fn aggregate(respondents: &[RespondentAnswers]) -> AnswerSet {
        let mut sums: HashMap<&str, (u32, u32, u8, u8, u32)> = HashMap::new();
        for answers in respondents {
            for (indicator, value) in answers {
                let entry = sums
                    .entry(indicator.as_str())
                    .or_insert((0, 0, u8::MAX, 0, 0));
                match value {
                    Some(value) => {
                        entry.0 += u32::from(value.get());
                        entry.1 += 1;
                        entry.2 = entry.2.min(value.get());
                        entry.3 = entry.3.max(value.get());
                    }
                    None => entry.4 += 1,
                }
            }
        }
        let indicators = sums
            .into_iter()
            .map(|(id, (sum, answered, min, max, unknown))| {
                let aggregate = IndicatorAnswers {
                    mean: (answered > 0).then(|| f64::from(sum) / f64::from(answered)),
                    min: (answered > 0).then_some(min),
                    max: (answered > 0).then_some(max),
                    answered,
                    unknown,
                };
                (id.to_owned(), aggregate)
            })
            .collect();
        AnswerSet {
            indicators,
            respondents: respondents.len(),
        }
    }

    pub fn get(&self, indicator_id: &str) -> Option<&IndicatorAnswers> {
        self.indicators.get(indicator_id)
    }

    /// The mean answer (0–4) of an indicator, when anyone gave one.
    pub fn mean(&self, indicator_id: &str) -> Option<f64> {
        self.get(indicator_id).and_then(|a| a.mean)
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

    #[test]
    fn respondents_are_averaged_per_indicator_ignoring_dont_know() {
        let set = AnswerSet::aggregate(&[
            respondent(&[("a", Some(1)), ("b", None)]),
            respondent(&[("a", Some(4)), ("b", None)]),
            respondent(&[("a", None), ("c", Some(2))]),
        ]);
        let a = set.get("a").unwrap();
        // (1 + 4) / 2 = 2.5; the third respondent does not know.
        assert_eq!(
            (a.mean, a.min, a.max, a.answered, a.unknown),
            (Some(2.5), Some(1), Some(4), 2, 1)
        );
        assert!(a.disagreement(), "4 - 1 >= 2");
        let b = set.get("b").unwrap();
        assert_eq!((b.mean, b.answered, b.unknown), (None, 0, 2));
        assert!(!b.disagreement());
        assert_eq!(set.mean("c"), Some(2.0));
        assert_eq!(set.mean("missing"), None);
        assert_eq!(set.respondents(), 3);
    }
}
