//! Observations that explain a placement: skipped foundations, a missing foundation, the weakest
//! elements, unanswered elements, a reached target. Messages exist in every language.

use super::placement::Placement;
use super::{ElementResult, Insight, InsightCode, Profile, element, is_foundation};
use crate::domain::{Lang, Model, Stage, Text};

pub(super) fn observe(
    model: &Model,
    elements: &[ElementResult<'_>],
    placement: &Placement<'_>,
    target: Option<&Stage>,
    profile: Option<&Profile>,
) -> Vec<Insight> {
    let mut insights = Vec::new();
    if model.kind == crate::domain::ModelKind::Layered {
        skipped_foundations(elements, placement, &mut insights);
    }
    if let Some(insight) = missing_foundation(elements) {
        insights.push(insight);
    }
    if let Some(profile) = profile.filter(|p| !p.weakest.is_empty()) {
        let names = names(elements, &profile.weakest);
        insights.push(Insight {
            code: InsightCode::WeakestElements,
            element_ids: profile.weakest.clone(),
            message: text(|lang| match lang {
                Lang::En => format!("The weakest elements: {}.", names.get(lang)),
                Lang::Nl => format!("De zwakste elementen: {}.", names.get(lang)),
            }),
        });
    }
    let unanswered: Vec<String> = elements
        .iter()
        .filter(|e| e.score.is_none())
        .map(|e| e.element.id.clone())
        .collect();
    if !unanswered.is_empty() {
        let names = names(elements, &unanswered);
        insights.push(Insight {
            code: InsightCode::UnansweredElements,
            element_ids: unanswered,
            message: text(|lang| match lang {
                Lang::En => format!(
                    "No answers yet for: {}. Their placement is unknown, not zero.",
                    names.get(lang)
                ),
                Lang::Nl => format!(
                    "Nog geen antwoorden voor: {}. Hun plaats is onbekend, niet nul.",
                    names.get(lang)
                ),
            }),
        });
    }
    if let Some(target) = target.filter(|t| placement.reached >= t.order as usize) {
        insights.push(Insight {
            code: InsightCode::TargetReached,
            element_ids: Vec::new(),
            message: text(|lang| match lang {
                Lang::En => format!("The target stage {} is reached.", target.name.get(lang)),
                Lang::Nl => format!("Het doelstadium {} is bereikt.", target.name.get(lang)),
            }),
        });
    }
    insights
}

/// Layered models: an element in place above the first layer that is not reached ("inside-out
/// before outside-in" on the Social Media Pyramid).
fn skipped_foundations(
    elements: &[ElementResult<'_>],
    placement: &Placement<'_>,
    insights: &mut Vec<Insight>,
) {
    let Some(gap) = placement.stages.get(placement.reached) else {
        return;
    };
    for above in placement.stages.iter().skip(placement.reached + 1) {
        for id in &above.in_place {
            let mut element_ids = vec![(*id).to_owned()];
            element_ids.extend(gap.blocking.iter().map(|b| (*b).to_owned()));
            let element_name = &element(elements, id).element.name;
            let layer = &gap.stage.name;
            insights.push(Insight {
                code: InsightCode::SkippedFoundation,
                element_ids,
                message: text(|lang| match lang {
                    Lang::En => format!(
                        "{} is in place while the layer {} below it is not: a foundation is skipped.",
                        element_name.get(lang),
                        layer.get(lang)
                    ),
                    Lang::Nl => format!(
                        "{} is op orde terwijl de laag {} eronder dat niet is: een fundament is overgeslagen.",
                        element_name.get(lang),
                        layer.get(lang)
                    ),
                }),
            });
        }
    }
}

/// Focus models with a foundation (the Communication Rose's Organise): when it is not in place,
/// every other element is flagged, because they all rest on it.
fn missing_foundation(elements: &[ElementResult<'_>]) -> Option<Insight> {
    let foundation = elements
        .iter()
        .find(|e| is_foundation(e.element) && !e.in_place)?;
    let others: Vec<String> = elements
        .iter()
        .filter(|e| !is_foundation(e.element))
        .map(|e| e.element.id.clone())
        .collect();
    let names = names(elements, &others);
    let name = &foundation.element.name;
    let mut element_ids = vec![foundation.element.id.clone()];
    element_ids.extend(others);
    Some(Insight {
        code: InsightCode::FoundationNotInPlace,
        element_ids,
        message: text(|lang| match lang {
            Lang::En => format!(
                "{} is not in place, and every other element rests on it: {}.",
                name.get(lang),
                names.get(lang)
            ),
            Lang::Nl => format!(
                "{} is niet op orde, terwijl alle andere elementen erop rusten: {}.",
                name.get(lang),
                names.get(lang)
            ),
        }),
    })
}

/// The elements' names, comma-separated, in every language.
fn names(elements: &[ElementResult<'_>], ids: &[String]) -> Text {
    text(|lang| {
        ids.iter()
            .map(|id| element(elements, id).element.name.get(lang))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

fn text(render: impl Fn(Lang) -> String) -> Text {
    Text::new(render(Lang::En), render(Lang::Nl))
}
