use std::collections::{HashMap, HashSet};

use super::*;
use crate::domain::{Lang, ModelKind};

macro_rules! fixture {
    ($name:literal) => {
        SourceFile {
            name: $name,
            contents: include_str!(concat!("../../tests/fixtures/catalog/", $name)),
        }
    };
}

const BANK: SourceFile<'static> = fixture!("indicators.json");
const ACTIONS: SourceFile<'static> = fixture!("actions.json");

fn problems_of(model: SourceFile<'_>) -> Vec<String> {
    Catalog::from_sources(BANK, ACTIONS, &[model])
        .expect_err("the fixture is broken and must be rejected")
        .problems
}

#[test]
fn the_builtin_catalogue_loads_all_seven_models() {
    let catalog = Catalog::builtin().unwrap_or_else(|error| panic!("{error}"));
    let ids: Vec<&str> = catalog.latest_models().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "social-strategy-cone",
            "strategy-learning-curve",
            "social-media-pyramid",
            "groundswell-objectives",
            "communicatieroos",
            "listening-maturity",
            "ambitie-model"
        ]
    );
}

#[test]
fn the_builtin_models_have_the_kinds_and_stages_of_their_seeds() {
    let catalog = Catalog::builtin().unwrap();
    let stages = |id: &str| -> Vec<String> {
        let model = catalog.latest(id).unwrap();
        model.stages.iter().map(|s| s.id.clone()).collect()
    };
    let kind = |id: &str| catalog.latest(id).unwrap().kind;
    assert_eq!(kind("social-strategy-cone"), ModelKind::Staged);
    assert_eq!(
        stages("social-strategy-cone"),
        ["initiation", "diffusion", "maturity"]
    );
    assert_eq!(kind("strategy-learning-curve"), ModelKind::Staged);
    assert_eq!(
        stages("strategy-learning-curve"),
        ["emerging", "tactical", "integrated", "social"]
    );
    assert_eq!(kind("social-media-pyramid"), ModelKind::Layered);
    assert_eq!(
        stages("social-media-pyramid"),
        ["monitor", "listen", "respond", "create"]
    );
    assert_eq!(kind("listening-maturity"), ModelKind::Staged);
    assert_eq!(stages("listening-maturity").len(), 5);
    assert_eq!(kind("ambitie-model"), ModelKind::Layered);
    assert_eq!(
        stages("ambitie-model"),
        [
            "observe",
            "respond",
            "participate",
            "facilitate",
            "create",
            "innovate"
        ]
    );
    for focus in ["groundswell-objectives", "communicatieroos"] {
        assert_eq!(kind(focus), ModelKind::Focus);
        assert!(stages(focus).is_empty());
    }
    let rose = catalog.latest("communicatieroos").unwrap();
    let foundations: Vec<&str> = rose
        .elements
        .iter()
        .filter(|e| e.role.is_some())
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(foundations, ["organise"]);
    // Older versions stay, for the assessments pinned to them.
    for model in catalog.latest_models() {
        let versions: Vec<String> = catalog
            .versions(&model.id)
            .iter()
            .map(|m| m.version.to_string())
            .collect();
        assert_eq!(versions, ["1.0.0", "1.1.0", "1.2.0"], "{}", model.id);
    }
}

#[test]
fn the_learning_curve_emerging_stage_requires_nothing_and_its_seed_actions_lead_out_of_it() {
    let catalog = Catalog::builtin().unwrap();
    let curve = catalog.latest("strategy-learning-curve").unwrap();
    assert!(curve.stages[0].required_elements.is_empty());
    let tactical_actions: HashSet<&str> = curve.stages[1]
        .required_elements
        .iter()
        .flat_map(|id| &curve.element(id).unwrap().actions)
        .map(|a| a.id.as_str())
        .collect();
    for seed_action in [
        "run-social-media-swot",
        "map-social-market",
        "set-up-alerts",
    ] {
        assert!(
            tactical_actions.contains(seed_action),
            "{seed_action} is missing"
        );
        let action = catalog.actions().get(seed_action).unwrap();
        assert_eq!(action.provenance.as_str(), "seed", "{seed_action}");
    }
    // They are the way out of Emerging, not gates of Tactical: no indicator asks for them.
    let tactical_indicators: Vec<&str> = curve.stages[1]
        .required_elements
        .iter()
        .flat_map(|id| &curve.element(id).unwrap().indicators)
        .map(|w| w.indicator_id.as_str())
        .collect();
    for gate in [
        "swot-analysis",
        "audience-platforms-mapped",
        "alerts-configured",
    ] {
        assert!(
            !tactical_indicators.contains(&gate),
            "{gate} gates Tactical"
        );
    }
}

/// DOMAIN.md's encoding rules, on the latest version of every model.
#[test]
fn the_latest_models_follow_the_encoding_rules() {
    let catalog = Catalog::builtin().unwrap();
    let mapped = |model: &str, element: &str| -> Vec<String> {
        let model = catalog.latest(model).unwrap();
        model
            .element(element)
            .unwrap()
            .indicators
            .iter()
            .map(|w| w.indicator_id.clone())
            .collect()
    };
    for model in catalog.latest_models() {
        assert!((model.threshold - 0.625).abs() < 1e-12, "{}", model.id);
        for element in &model.elements {
            for action in &element.actions {
                assert_ne!(action.provenance.as_str(), "unrecorded", "{}", action.id);
            }
        }
    }
    // Each element measures its own practice.
    assert_eq!(
        mapped("groundswell-objectives", "embracing"),
        ["crowdsourcing"]
    );
    assert_eq!(
        mapped("ambitie-model", "participate"),
        ["discussion-participation"]
    );
    let organise = mapped("communicatieroos", "organise");
    assert!(
        !organise.contains(&"social-media-team".to_owned()),
        "a team is not organising"
    );
    let intelligence = mapped("listening-maturity", "social-intelligence");
    assert!(!intelligence.contains(&"cross-department-use".to_owned()));
    // Hedged features never gate: no executive sponsor, team or level-5 rating in the curve.
    let curve = catalog.latest("strategy-learning-curve").unwrap();
    for hedged in [
        "executive-sponsor",
        "social-media-team",
        "level-5-leadership",
        "open-culture",
    ] {
        assert!(
            curve.indicator_ids().all(|id| id != hedged),
            "{hedged} is required by the Learning Curve"
        );
    }
    // Groundswell's foundation is POST's People.
    let groundswell = catalog.latest("groundswell-objectives").unwrap();
    let foundations: Vec<&str> = groundswell
        .elements
        .iter()
        .filter(|e| e.is_foundation())
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(foundations, ["people"]);
}

#[test]
fn every_action_is_in_the_bank_once_and_its_dependencies_come_first() {
    let catalog = Catalog::builtin().unwrap();
    let bank = catalog.actions();
    let mut used: HashSet<&str> = HashSet::new();
    for model in catalog.latest_models() {
        if let Some(choice) = &model.focus_choice_action {
            used.insert(choice.id.as_str());
        }
        for element in &model.elements {
            for (i, action) in element.actions.iter().enumerate() {
                assert_eq!(bank.get(&action.id), Some(action), "{}", action.id);
                used.insert(action.id.as_str());
                for later in &element.actions[i + 1..] {
                    assert!(
                        !bank.depends_on(&action.id, &later.id),
                        "{} after {}",
                        action.id,
                        later.id
                    );
                }
            }
        }
    }
    for action in bank.iter() {
        assert!(
            used.contains(action.id.as_str()),
            "{} serves no model",
            action.id
        );
    }
    // The orderings DOMAIN.md names.
    for (later, earlier) in [
        ("write-social-media-policy", "set-measurable-goals"),
        ("allocate-resources", "set-measurable-goals"),
        ("track-conversations", "monitor-own-accounts"),
        ("answer-questions-and-complaints", "track-conversations"),
        ("publish-own-content", "answer-questions-and-complaints"),
        ("appoint-community-manager", "start-pilot-community"),
        ("map-social-market", "run-social-media-swot"),
        ("start-crowdsourcing-initiative", "identify-ambassadors"),
    ] {
        assert!(bank.depends_on(later, earlier), "{later} before {earlier}");
    }
}

#[test]
fn the_indicator_bank_is_shared_so_one_questionnaire_serves_every_model() {
    let catalog = Catalog::builtin().unwrap();
    let mut models_per_indicator: HashMap<&str, usize> = HashMap::new();
    let mut mappings = 0;
    for model in catalog.latest_models() {
        for id in model.indicator_ids() {
            *models_per_indicator.entry(id).or_default() += 1;
            mappings += 1;
        }
    }
    let bank = catalog.indicators();
    // Indicators that only older versions ask stay in the bank, retired, for the assessments
    // pinned to them; an indicator may serve no element when an action establishes it.
    let established: HashSet<&str> = catalog
        .actions()
        .iter()
        .flat_map(|a| a.establishes.iter().flatten())
        .map(|e| e.indicator_id.as_str())
        .collect();
    for indicator in bank.iter() {
        let used = catalog
            .latest_models()
            .flat_map(|m| catalog.versions(&m.id))
            .any(|m| m.indicator_ids().any(|id| id == indicator.id));
        assert!(
            used || established.contains(indicator.id.as_str()),
            "{} serves no model version and no action",
            indicator.id
        );
        let current = catalog
            .latest_models()
            .any(|m| m.indicator_ids().any(|id| id == indicator.id))
            || established.contains(indicator.id.as_str());
        assert_eq!(indicator.retired, !current, "{} retired", indicator.id);
    }
    let asked = models_per_indicator.len();
    let shared = models_per_indicator.values().filter(|&&n| n >= 2).count();
    assert!(
        shared * 4 > asked,
        "only {shared} of {asked} indicators serve two or more models"
    );
    assert!(
        asked * 3 < mappings * 2,
        "{asked} questions for {mappings} mappings"
    );
}

#[test]
fn every_builtin_text_exists_in_both_languages_and_differs_where_it_should() {
    let catalog = Catalog::builtin().unwrap();
    for model in catalog.latest_models() {
        for lang in Lang::ALL {
            assert!(!model.name.get(lang).is_empty());
        }
        assert_ne!(
            model.description.get(Lang::En),
            model.description.get(Lang::Nl)
        );
    }
    for indicator in catalog.indicators().iter() {
        assert_ne!(
            indicator.text.get(Lang::En),
            indicator.text.get(Lang::Nl),
            "{}",
            indicator.id
        );
    }
}

#[test]
fn a_valid_fixture_loads() {
    let catalog = Catalog::from_sources(BANK, ACTIONS, &[fixture!("valid-model.json")]).unwrap();
    let tiny = catalog.latest("tiny").unwrap();
    assert_eq!(tiny.version.to_string(), "1.0.0");
    assert_eq!(tiny.elements[1].indicators[0].weight, 2.0);
}

#[test]
fn broken_definitions_are_rejected_with_the_file_and_the_field() {
    let cases: &[(SourceFile<'_>, &[&str])] = &[
        (
            fixture!("unknown-indicator.json"),
            &[
                "unknown-indicator.json: elements[1].indicators[0].indicator_id: unknown indicator `no-such-indicator`: it is not in the indicator bank",
            ],
        ),
        (
            fixture!("duplicate-ids.json"),
            &["duplicate-ids.json: elements[1].id: duplicate element id `watching`"],
        ),
        (
            fixture!("stages-out-of-order.json"),
            &[
                "stages-out-of-order.json: stages[0].order: stages out of order: expected order 1, found 2 (list stages lowest first, numbered from 1)",
                "stages-out-of-order.json: stages[1].order: stages out of order: expected order 2, found 1 (list stages lowest first, numbered from 1)",
            ],
        ),
        (
            fixture!("stage-requires-higher-element.json"),
            &[
                "stage-requires-higher-element.json: stages[0].required_elements[1]: stage `watch` (order 1) requires `talking`, which belongs to the higher stage `talk` (order 2)",
            ],
        ),
        (
            fixture!("missing-translation.json"),
            &[
                "missing-translation.json: stages[1].name.nl: missing translation",
                "missing-translation.json: elements[0].actions[0].text.en: empty translation",
            ],
        ),
    ];
    for (file, expected) in cases {
        assert_eq!(problems_of(*file), *expected, "for {}", file.name);
    }
}

#[test]
fn a_file_that_is_not_json_names_the_file_and_the_position() {
    let problems = problems_of(fixture!("malformed.json"));
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("malformed.json: "),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("line 2"), "{}", problems[0]);
}

#[test]
fn the_same_model_version_twice_is_rejected() {
    let valid = fixture!("valid-model.json");
    let error = Catalog::from_sources(BANK, ACTIONS, &[valid, valid]).unwrap_err();
    assert_eq!(
        error.problems,
        ["valid-model.json: version: model `tiny` version 1.0.0 is defined twice"]
    );
}

#[test]
fn a_duplicate_indicator_in_the_bank_is_rejected() {
    let bank = SourceFile {
        name: "bank.json",
        contents: r#"[
          {"id": "a", "capability": "content", "text": {"en": "A", "nl": "A"}, "help": {"en": "A", "nl": "A"}},
          {"id": "a", "capability": "content", "text": {"en": "A", "nl": "A"}, "help": {"en": "A", "nl": "A"}}
        ]"#,
    };
    let error = Catalog::from_sources(bank, ACTIONS, &[]).unwrap_err();
    assert_eq!(
        error.problems,
        ["bank.json: [1].id: duplicate indicator id `a`"]
    );
}
