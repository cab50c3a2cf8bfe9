//! The encoding rules of models 1.2.0 (DOMAIN.md, "Encoding a model"), checked on the built-in
//! catalogue: actions know the practice they establish, one orientation per practice, sources a
//! client can read, Dutch in the formal register.

use std::collections::HashSet;

use super::Catalog;
use crate::domain::{Lang, Model, Orientation, Sector};

fn catalog() -> Catalog {
    Catalog::builtin().unwrap()
}

fn latest<'c>(catalog: &'c Catalog, id: &str) -> &'c Model {
    catalog.latest(id).unwrap()
}

#[test]
fn every_action_establishes_a_practice_except_a_handful_of_choices_and_means() {
    let catalog = catalog();
    let mut establish_nothing = Vec::new();
    for action in catalog.actions().iter() {
        let establishes = action.establishes.as_ref().unwrap();
        if establishes.is_empty() {
            establish_nothing.push(action.id.as_str());
        }
        assert!(action.effort.is_some(), "{} has no effort", action.id);
        assert!(action.owner.is_some(), "{} has no owner", action.id);
    }
    establish_nothing.sort_unstable();
    assert_eq!(
        establish_nothing,
        ["choose-objectives", "develop-level-5-leadership"]
    );
}

#[test]
fn sources_name_the_publication_never_an_internal_id() {
    let catalog = catalog();
    let sources = catalog
        .actions()
        .iter()
        .filter_map(|a| a.provenance.source())
        .chain(catalog.latest_models().map(|m| m.source.as_str()));
    for source in sources {
        assert!(!source.to_lowercase().contains("seed"), "{source}");
    }
}

/// Dutch texts address the client formally: "u" or the imperative, never "je".
#[test]
fn dutch_texts_use_the_formal_register() {
    let informal = regex::Regex::new(r"(?i)\b(je|jij|jou|jouw|jullie|jezelf)\b").unwrap();
    let catalog = catalog();
    let mut texts: Vec<(&str, &str)> = Vec::new();
    for action in catalog.actions().iter() {
        texts.push((&action.id, action.text.get(Lang::Nl)));
    }
    for indicator in catalog.indicators().iter().filter(|i| !i.retired) {
        texts.push((&indicator.id, indicator.text.get(Lang::Nl)));
        texts.push((&indicator.id, indicator.help.get(Lang::Nl)));
    }
    for model in catalog.latest_models() {
        texts.push((&model.id, model.description.get(Lang::Nl)));
        for stage in &model.stages {
            texts.push((&stage.id, stage.description.get(Lang::Nl)));
        }
        for element in &model.elements {
            texts.push((&element.id, element.description.get(Lang::Nl)));
        }
    }
    for (id, text) in texts {
        assert!(!informal.is_match(text), "{id}: {text}");
    }
}

#[test]
fn every_element_has_one_orientation_and_responding_faces_outward_in_every_model() {
    let catalog = catalog();
    for model in catalog.latest_models() {
        for element in &model.elements {
            assert!(
                element.orientation.is_some(),
                "{} {} has no orientation",
                model.id,
                element.id
            );
        }
    }
    let orientation = |model: &str, element: &str| {
        latest(&catalog, model)
            .element(element)
            .unwrap()
            .orientation
    };
    for (model, element) in [
        ("social-media-pyramid", "respond"),
        ("communicatieroos", "respond"),
        ("ambitie-model", "respond"),
    ] {
        assert_eq!(
            orientation(model, element),
            Some(Orientation::InsideOut),
            "{model} {element}"
        );
    }
    assert_eq!(
        orientation("communicatieroos", "organise"),
        Some(Orientation::Foundation)
    );
}

#[test]
fn the_roses_organise_is_activating_employees_and_involving_partners_not_a_policy() {
    let catalog = catalog();
    let organise = latest(&catalog, "communicatieroos")
        .element("organise")
        .unwrap();
    let actions: Vec<&str> = organise.actions.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(actions, ["activate-employees", "involve-partners"]);
}

#[test]
fn groundswell_asks_for_a_choice_of_objectives_and_the_ambitie_model_is_an_ambition_model() {
    let catalog = catalog();
    let groundswell = latest(&catalog, "groundswell-objectives");
    let choice = groundswell.focus_choice_action.as_ref().unwrap();
    assert_eq!(choice.id, "choose-objectives");
    assert_eq!(choice.provenance.as_str(), "seed");
    assert!(latest(&catalog, "ambitie-model").ambition);
    assert!(
        latest(&catalog, "communicatieroos")
            .focus_choice_action
            .is_none()
    );
}

#[test]
fn the_listening_tool_ladder_is_shown_beside_the_phases_and_never_scored() {
    let catalog = catalog();
    let listening = latest(&catalog, "listening-maturity");
    let ladder: Vec<Vec<&str>> = listening
        .stages
        .iter()
        .map(|s| {
            s.companion_indicators
                .iter()
                .map(|w| w.indicator_id.as_str())
                .collect()
        })
        .collect();
    assert_eq!(
        ladder,
        [
            vec!["free-monitoring-tools"],
            vec!["free-monitoring-tools"],
            vec!["paid-listening-tools"],
            vec!["several-listening-tools-combined"],
            vec!["several-listening-tools-combined"],
        ]
    );
    let scored: HashSet<&str> = listening
        .weighted_indicators()
        .map(|w| w.indicator_id.as_str())
        .collect();
    for tool in ladder.iter().flatten() {
        assert!(!scored.contains(tool), "{tool} is scored");
    }
}

#[test]
fn share_of_voice_does_not_fit_the_public_sector() {
    let catalog = catalog();
    let share_of_voice = catalog.indicators().get("share-of-voice").unwrap();
    assert!(share_of_voice.not_for.excludes(Some(Sector::Public)));
    assert!(!share_of_voice.not_for.excludes(Some(Sector::Business)));
    let measure = catalog.actions().get("measure-share-of-voice").unwrap();
    assert!(measure.not_for.excludes(Some(Sector::Public)));
}

#[test]
fn the_learning_curve_lists_the_swot_before_the_market_map() {
    let catalog = catalog();
    let curve = latest(&catalog, "strategy-learning-curve");
    let actions: Vec<&str> = curve
        .elements
        .iter()
        .flat_map(|e| &e.actions)
        .map(|a| a.id.as_str())
        .collect();
    let at = |id: &str| actions.iter().position(|a| *a == id).unwrap();
    assert!(at("run-social-media-swot") < at("map-social-market"));
}
