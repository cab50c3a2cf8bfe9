//! Observations that explain a placement: skipped foundations, a missing foundation, the weakest
//! elements, unanswered elements, a reached target. An insight is codes and ids only; its message
//! is written from the model in any language when it is shown, so stored insights stay
//! language-free.

use std::borrow::Cow;

use super::placement::Placement;
use super::{ElementResult, Id, Insight, InsightCode, Profile, is_foundation};
use crate::domain::{Lang, Model, Stage};

pub(super) fn observe<'m>(
    model: &'m Model,
    elements: &[ElementResult<'m>],
    placement: &Placement<'m>,
    target: Option<&'m Stage>,
    profile: Option<&Profile<'m>>,
) -> Vec<Insight<'m>> {
    let mut insights = Vec::new();
    match model.kind {
        crate::domain::ModelKind::Layered => {
            skipped_foundations(elements, placement, &mut insights);
        }
        crate::domain::ModelKind::Staged => insights.extend(ahead_of_stage(model, placement)),
        crate::domain::ModelKind::Focus => {}
    }
    if let Some(insight) = missing_foundation(elements) {
        insights.push(insight);
    }
    if let Some(profile) = profile.filter(|p| !p.weakest.is_empty()) {
        insights.push(Insight {
            code: InsightCode::WeakestElements,
            element_ids: profile.weakest.clone(),
            stage_id: None,
        });
    }
    let unanswered: Vec<Id<'m>> = elements
        .iter()
        .filter(|e| e.score.is_none())
        .map(|e| Cow::Borrowed(e.element.id.as_str()))
        .collect();
    if !unanswered.is_empty() {
        insights.push(Insight {
            code: InsightCode::UnansweredElements,
            element_ids: unanswered,
            stage_id: None,
        });
    }
    if let Some(target) = target.filter(|t| placement.reached >= t.order as usize) {
        insights.push(Insight {
            code: InsightCode::TargetReached,
            element_ids: Vec::new(),
            stage_id: Some(Cow::Borrowed(&target.id)),
        });
    }
    insights
}

/// Layered models: an element in place above the first layer that is not reached ("inside-out
/// before outside-in" on the Social Media Pyramid). When nothing that blocks that layer is
/// answered, the foundation is unknown rather than missing, and the insight says so.
fn skipped_foundations<'m>(
    elements: &[ElementResult<'m>],
    placement: &Placement<'m>,
    insights: &mut Vec<Insight<'m>>,
) {
    let Some(gap) = placement.stages.get(placement.reached) else {
        return;
    };
    let unknown = gap.blocking.iter().all(|id| {
        elements
            .iter()
            .find(|e| e.element.id == *id)
            .is_none_or(|e| e.score.is_none())
    });
    let code = if unknown {
        InsightCode::FoundationUnknown
    } else {
        InsightCode::SkippedFoundation
    };
    for above in placement.stages.iter().skip(placement.reached + 1) {
        for id in &above.in_place {
            let mut element_ids = vec![Cow::Borrowed(*id)];
            element_ids.extend(gap.blocking.iter().map(|b| Cow::Borrowed(*b)));
            insights.push(Insight {
                code,
                element_ids,
                stage_id: Some(Cow::Borrowed(&gap.stage.id)),
            });
        }
    }
}

/// Staged models: elements of stages above the first one not reached are in place, so the stage
/// alone would understate the organisation ("in its infancy" because of one gap). Names the
/// elements that block that stage, then those ahead of it.
fn ahead_of_stage<'m>(model: &Model, placement: &Placement<'m>) -> Option<Insight<'m>> {
    let gap = placement.stages.get(placement.reached)?;
    let mut ahead = placement
        .stages
        .iter()
        .skip(placement.reached + 1)
        .flat_map(|stage| stage.in_place.iter().map(|id| Cow::Borrowed(*id)))
        .peekable();
    if ahead.peek().is_none() || model.stages.len() < 2 {
        return None;
    }
    let mut element_ids: Vec<Id<'m>> = gap.blocking.iter().map(|id| Cow::Borrowed(*id)).collect();
    element_ids.extend(ahead);
    Some(Insight {
        code: InsightCode::AheadOfStage,
        element_ids,
        stage_id: Some(Cow::Borrowed(&gap.stage.id)),
    })
}

/// Focus models with a foundation (the Communication Rose's Organise, Groundswell's People): when
/// it is not in place, every other element is flagged, because they all rest on it; when it is
/// unanswered, it is flagged as unknown.
fn missing_foundation<'m>(elements: &[ElementResult<'m>]) -> Option<Insight<'m>> {
    let foundation = elements
        .iter()
        .find(|e| is_foundation(e.element) && !e.in_place)?;
    let mut element_ids = vec![Cow::Borrowed(foundation.element.id.as_str())];
    element_ids.extend(
        elements
            .iter()
            .filter(|e| !is_foundation(e.element))
            .map(|e| Cow::Borrowed(e.element.id.as_str())),
    );
    let code = if foundation.score.is_some() {
        InsightCode::FoundationNotInPlace
    } else {
        InsightCode::FoundationUnknown
    };
    Some(Insight {
        code,
        element_ids,
        stage_id: None,
    })
}

impl Insight<'_> {
    /// The insight told in `lang`, with the names of its elements and stage from `model` (the
    /// version it was scored with). Ids the model does not know are shown as they are.
    pub fn message(&self, model: &Model, lang: Lang) -> String {
        let name = |id: &str| {
            model
                .element(id)
                .map_or_else(|| id.to_owned(), |e| e.name.get(lang).to_owned())
        };
        let names = |ids: &[&str]| ids.iter().map(|id| name(id)).collect::<Vec<_>>().join(", ");
        let all: Vec<&str> = self.element_ids.iter().map(AsRef::as_ref).collect();
        let stage = || {
            self.stage_id.as_deref().map_or_else(String::new, |id| {
                model
                    .stage(id)
                    .map_or_else(|| id.to_owned(), |s| s.name.get(lang).to_owned())
            })
        };
        let (first, rest) = match all.split_first() {
            Some((first, rest)) => (name(first), rest),
            None => (String::new(), &[][..]),
        };
        match (self.code, lang) {
            (InsightCode::SkippedFoundation, Lang::En) => format!(
                "{first} is in place while the layer {} below it is not: a foundation is skipped.",
                stage()
            ),
            (InsightCode::SkippedFoundation, Lang::Nl) => format!(
                "{first} is op orde terwijl de laag {} eronder dat niet is: een fundament is overgeslagen.",
                stage()
            ),
            (InsightCode::FoundationUnknown, Lang::En) if self.stage_id.is_some() => format!(
                "{first} is in place, but nothing is known yet about the layer {} below it: answer its questions to see whether a foundation is skipped.",
                stage()
            ),
            (InsightCode::FoundationUnknown, Lang::Nl) if self.stage_id.is_some() => format!(
                "{first} is op orde, maar over de laag {} eronder is nog niets bekend: beantwoord de vragen daarover om te zien of een fundament is overgeslagen.",
                stage()
            ),
            (InsightCode::FoundationUnknown, Lang::En) => format!(
                "{first} is the basis of every other element ({}), but nothing is known about it yet: answer its questions.",
                names(rest)
            ),
            (InsightCode::FoundationUnknown, Lang::Nl) => format!(
                "{first} is de basis van alle andere elementen ({}), maar er is nog niets over bekend: beantwoord de vragen daarover.",
                names(rest)
            ),
            (InsightCode::FoundationNotInPlace, Lang::En) => format!(
                "{first} is not in place, and every other element rests on it: {}.",
                names(rest)
            ),
            (InsightCode::FoundationNotInPlace, Lang::Nl) => format!(
                "{first} is niet op orde, terwijl alle andere elementen erop rusten: {}.",
                names(rest)
            ),
            (InsightCode::WeakestElements, Lang::En) if self.element_ids.len() == 1 => {
                format!("The weakest element: {}.", names(&all))
            }
            (InsightCode::WeakestElements, Lang::En) => {
                format!("The weakest elements: {}.", names(&all))
            }
            (InsightCode::WeakestElements, Lang::Nl) if self.element_ids.len() == 1 => {
                format!("Het zwakste element: {}.", names(&all))
            }
            (InsightCode::WeakestElements, Lang::Nl) => {
                format!("De zwakste elementen: {}.", names(&all))
            }
            (InsightCode::UnansweredElements, Lang::En) => format!(
                "No answers yet for: {}. Their placement is unknown, not zero.",
                names(&all)
            ),
            (InsightCode::UnansweredElements, Lang::Nl) => format!(
                "Nog geen antwoorden voor: {}. Hun plaats is onbekend, niet nul.",
                names(&all)
            ),
            (InsightCode::TargetReached, Lang::En) => {
                format!("The target stage {} is reached.", stage())
            }
            (InsightCode::TargetReached, Lang::Nl) => {
                format!("Het doelstadium {} is bereikt.", stage())
            }
            (InsightCode::AheadOfStage, lang) => {
                let (blocking, ahead) = self.split_at_stage(model);
                let holds = match (lang, blocking.len()) {
                    (Lang::En, 1) => "holds",
                    (Lang::En, _) => "hold",
                    (Lang::Nl, 1) => "houdt",
                    (Lang::Nl, _) => "houden",
                };
                let are = match (lang, ahead.len()) {
                    (Lang::En, 1) => "is",
                    (Lang::En, _) => "are",
                    (Lang::Nl, 1) => "is",
                    (Lang::Nl, _) => "zijn",
                };
                match lang {
                    Lang::En => format!(
                        "{} of a later stage {are} already in place; {} {holds} the {} stage back, so the stage alone understates what the organisation does.",
                        names(&ahead),
                        names(&blocking),
                        stage()
                    ),
                    Lang::Nl => format!(
                        "{} uit een later stadium {are} al op orde; {} {holds} het stadium {} tegen, dus het stadium alleen doet de organisatie tekort.",
                        names(&ahead),
                        names(&blocking),
                        stage()
                    ),
                }
            }
        }
    }

    /// For `ahead-of-stage`: the elements of the blocked stage or below, then those above it.
    fn split_at_stage(&self, model: &Model) -> (Vec<&str>, Vec<&str>) {
        let blocked = self
            .stage_id
            .as_deref()
            .and_then(|id| model.stage(id))
            .map_or(0, |s| s.order);
        self.element_ids.iter().map(AsRef::as_ref).partition(|id| {
            model
                .element(id)
                .and_then(|e| model.stage(e.stage_id.as_deref()?))
                .is_none_or(|s| s.order <= blocked)
        })
    }
}
