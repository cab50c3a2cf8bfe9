//! Validation of the action bank: ids, texts, provenance, the indicators each action establishes,
//! effort, owner and sectors, and a dependency graph that names only known actions and has no
//! cycle.

use std::collections::HashMap;

use super::{Checker, DefinitionError};
use crate::domain::definition::{BankActionDefinition, ProvenanceDefinition};
use crate::domain::{Action, ActionBank, Established, IndicatorBank, Provenance};

/// Validates the action bank against the indicator bank; every problem is reported with its path.
pub fn parse_action_bank(
    definitions: Vec<BankActionDefinition>,
    indicators: &IndicatorBank,
) -> Result<ActionBank, Vec<DefinitionError>> {
    let mut check = Checker::default();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for (i, definition) in definitions.iter().enumerate() {
        let path = format!("[{i}].id");
        check.id(&path, &definition.id);
        if position.insert(definition.id.as_str(), i).is_some() {
            check.fail(path, format!("duplicate action id `{}`", definition.id));
        }
    }
    let mut actions = Vec::with_capacity(definitions.len());
    for (i, definition) in definitions.iter().enumerate() {
        let path = format!("[{i}]");
        let provenance = provenance(&mut check, &path, definition);
        for (j, dependency) in definition.depends_on.iter().enumerate() {
            let path = format!("{path}.depends_on[{j}]");
            if !position.contains_key(dependency.as_str()) {
                check.fail(path, format!("unknown action `{dependency}`"));
            } else if dependency == &definition.id {
                check.fail(path, "an action cannot depend on itself");
            }
        }
        actions.push(Action {
            id: definition.id.clone(),
            text: check.text(&format!("{path}.text"), &definition.text),
            provenance,
            depends_on: definition.depends_on.clone(),
            position: None,
            dependency_positions: Vec::new(),
            establishes: Some(establishes(&mut check, &path, definition, indicators)),
            effort: check.one_of(&format!("{path}.effort"), definition.effort.as_deref()),
            owner: check.one_of(&format!("{path}.owner"), definition.owner.as_deref()),
            not_for: check.sectors(&format!("{path}.not_for"), &definition.not_for),
        });
    }
    check_acyclic(&mut check, &definitions, &position);
    check.finish(ActionBank::new(actions))
}

/// The indicators an action establishes: known, each once.
fn establishes(
    check: &mut Checker,
    path: &str,
    definition: &BankActionDefinition,
    indicators: &IndicatorBank,
) -> Vec<Established> {
    let mut established: Vec<Established> = Vec::with_capacity(definition.establishes.len());
    for (j, id) in definition.establishes.iter().enumerate() {
        let path = format!("{path}.establishes[{j}]");
        let Some(position) = indicators.position(id) else {
            check.fail(path, format!("unknown indicator `{id}`"));
            continue;
        };
        if established.iter().any(|e| &e.indicator_id == id) {
            check.fail(path, format!("`{id}` is listed twice"));
            continue;
        }
        established.push(Established {
            indicator_id: id.clone(),
            position,
            not_for: indicators.get(id).map(|i| i.not_for).unwrap_or_default(),
        });
    }
    established
}

fn provenance(check: &mut Checker, path: &str, definition: &BankActionDefinition) -> Provenance {
    let source = definition
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (definition.provenance, source) {
        (ProvenanceDefinition::Seed, Some(source)) => Provenance::Seed {
            source: source.to_owned(),
        },
        (ProvenanceDefinition::Seed, None) => {
            check.fail(
                format!("{path}.source"),
                "an action from a seed must name its source",
            );
            Provenance::Practice
        }
        (ProvenanceDefinition::Practice, Some(_)) => {
            check.fail(
                format!("{path}.source"),
                "a practice action has no source (use null), or is it from a seed?",
            );
            Provenance::Practice
        }
        (ProvenanceDefinition::Practice, None) => Provenance::Practice,
    }
}

/// Reports each cycle once, where it closes, with the actions that form it.
fn check_acyclic(
    check: &mut Checker,
    definitions: &[BankActionDefinition],
    position: &HashMap<&str, usize>,
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; definitions.len()];
    for start in 0..definitions.len() {
        if marks[start] != Mark::New {
            continue;
        }
        // Depth-first, with an explicit stack of (action, next dependency to visit).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        marks[start] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let dependencies = &definitions[node].depends_on;
            let Some(dependency) = dependencies.get(*next) else {
                marks[node] = Mark::Done;
                stack.pop();
                continue;
            };
            let edge = *next;
            *next += 1;
            let Some(&target) = position.get(dependency.as_str()) else {
                continue;
            };
            match marks[target] {
                Mark::New => {
                    marks[target] = Mark::Open;
                    stack.push((target, 0));
                }
                Mark::Open if target != node => {
                    let from = stack.iter().position(|&(n, _)| n == target).unwrap_or(0);
                    let cycle: Vec<&str> = stack[from..]
                        .iter()
                        .map(|&(n, _)| definitions[n].id.as_str())
                        .chain(std::iter::once(dependency.as_str()))
                        .collect();
                    check.fail(
                        format!("[{node}].depends_on[{edge}]"),
                        format!("dependency cycle: {}", cycle.join(" → ")),
                    );
                }
                Mark::Open | Mark::Done => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn action(id: &str, depends_on: &[&str]) -> BankActionDefinition {
        BankActionDefinition {
            id: id.to_owned(),
            text: BTreeMap::from([
                ("en".to_owned(), format!("Do {id}")),
                ("nl".to_owned(), format!("Doe {id}")),
            ]),
            provenance: ProvenanceDefinition::Practice,
            source: None,
            depends_on: depends_on.iter().map(|d| (*d).to_owned()).collect(),
            establishes: Vec::new(),
            effort: None,
            owner: None,
            not_for: Vec::new(),
        }
    }

    fn problems(definitions: Vec<BankActionDefinition>) -> Vec<String> {
        parse_action_bank(definitions, &IndicatorBank::default())
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_valid_bank_keeps_its_order_and_dependencies() {
        let bank = parse_action_bank(
            vec![
                action("monitor", &[]),
                action("listen", &["monitor"]),
                action("respond", &["listen"]),
            ],
            &IndicatorBank::default(),
        )
        .unwrap();
        let ids: Vec<&str> = bank.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["monitor", "listen", "respond"]);
        assert!(bank.depends_on("respond", "monitor"));
        assert!(!bank.depends_on("monitor", "respond"));
    }

    #[test]
    fn cycles_are_reported_with_the_actions_that_form_them() {
        let found = problems(vec![
            action("a", &["c"]),
            action("b", &["a"]),
            action("c", &["b"]),
            action("d", &[]),
        ]);
        assert_eq!(
            found,
            ["[1].depends_on[0]: dependency cycle: a → c → b → a"]
        );
    }

    #[test]
    fn unknown_and_self_dependencies_duplicates_and_sources_are_reported() {
        let mut seed_without_source = action("seed", &[]);
        seed_without_source.provenance = ProvenanceDefinition::Seed;
        let mut practice_with_source = action("practice", &[]);
        practice_with_source.source = Some("Blok".to_owned());
        let found = problems(vec![
            action("a", &["nowhere"]),
            action("b", &["b"]),
            action("a", &[]),
            seed_without_source,
            practice_with_source,
        ]);
        assert_eq!(
            found,
            [
                "[2].id: duplicate action id `a`",
                "[0].depends_on[0]: unknown action `nowhere`",
                "[1].depends_on[0]: an action cannot depend on itself",
                "[3].source: an action from a seed must name its source",
                "[4].source: a practice action has no source (use null), or is it from a seed?",
            ]
        );
    }
}
