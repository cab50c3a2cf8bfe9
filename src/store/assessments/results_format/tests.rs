//! Stored results read back exactly, hold no text, and refuse formats this build does not know.
use std::sync::LazyLock;

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::catalog::Catalog;
use crate::domain::scoring::roadmap::{RoadmapItem, roadmap};
use crate::domain::scoring::{
    Ambition, AnswerSet, AnswerValue, ModelResult, RespondentAnswers, cross_model, score_model,
};

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::builtin().unwrap());

/// Every latest model scored on the same answers, with a target on the staged ones.
fn results_for(answers: &RespondentAnswers, respondents: usize) -> AssessmentResults<'static> {
    let set = AnswerSet::aggregate(CATALOG.indicators(), &vec![answers.clone(); respondents]);
    let results: Vec<_> = CATALOG
        .latest_models()
        .map(|model| {
            let target = model.stages.last().map(|s| s.id.as_str());
            score_model(model, &set, Ambition::target(target)).unwrap()
        })
        .collect();
    AssessmentResults {
        assessment_id: AssessmentId(uuid::Uuid::now_v7()),
        submitted_at: Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap(),
        respondents,
        sector: Some(crate::domain::Sector::Public),
        models: results.iter().map(ModelResult::outcome).collect(),
        roadmap: roadmap(&results, CATALOG.actions())
            .iter()
            .map(RoadmapItem::entry)
            .collect(),
        insights: cross_model::observe(&results),
    }
}

fn answers() -> impl Strategy<Value = RespondentAnswers> {
    let ids: Vec<String> = CATALOG.indicators().iter().map(|i| i.id.clone()).collect();
    let answer = prop_oneof![
        2 => Just(None),
        1 => Just(Some(None)),
        6 => (0i64..=4).prop_map(|v| Some(AnswerValue::new(v))),
    ];
    proptest::collection::vec(answer, ids.len()).prop_map(move |values| {
        ids.iter()
            .zip(values)
            .filter_map(|(id, value)| value.map(|v| (id.clone(), v)))
            .collect()
    })
}

proptest! {
    #[test]
    fn stored_results_read_back_exactly(answers in answers(), respondents in 1usize..4) {
        let results = results_for(&answers, respondents);
        let document = write(&results).unwrap();
        prop_assert_eq!(document["format"].as_u64(), Some(2));
        // Through text, as the database keeps it.
        let text = serde_json::to_string(&document).unwrap();
        let read_back = read(results.assessment_id, serde_json::from_str(&text).unwrap());
        prop_assert_eq!(read_back.unwrap(), results);
    }
}

#[test]
fn stored_results_hold_no_text_in_any_language() {
    let answers: RespondentAnswers = CATALOG
        .indicators()
        .iter()
        .map(|i| (i.id.clone(), AnswerValue::new(2)))
        .collect();
    let document = write(&results_for(&answers, 1)).unwrap().to_string();
    for text in [
        "\"name\":",
        "\"message\":",
        "\"text\":",
        "Monitor",
        "Luisteren",
    ] {
        assert!(!document.contains(text), "{text}");
    }
}

#[test]
fn an_unknown_format_is_refused_not_guessed() {
    let id = AssessmentId(uuid::Uuid::nil());
    let refused = read(id, serde_json::json!({"format": 3, "models": []}));
    assert!(matches!(refused, Err(StoreError::Corrupt(_))));
}
