//! What the seven lenses show together: each insight names the models, elements and indicators
//! behind it, so an agency can explain it. Language-free: the message is written from the models
//! when shown.
//! - `inside-out-before-outside-in`: an inside-out element is in place on a chosen model while an
//!   element of the listening foundation (outside-in) is known not to be.
//! - `inside-out-before-tactical` (seed 002): the Pyramid's Respond or Create is in place while the
//!   Learning Curve is below Tactical.
//! - `diverging-placements`: two staged or layered models whose relative positions (stage order ÷
//!   number of stages, 0 below the first) differ by 0.5 or more, with what holds the lower back.

use super::{EPSILON, ElementResult, ModelResult};
use crate::domain::text_enum::text_enum;
use crate::domain::{Lang, Model, Orientation};

const PYRAMID: &str = "social-media-pyramid";
const LEARNING_CURVE: &str = "strategy-learning-curve";
const TACTICAL_ORDER: u32 = 2;
/// Relative positions this far apart make placements diverge.
const DIVERGENCE: f64 = 0.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrossInsightCode {
    InsideOutBeforeOutsideIn,
    InsideOutBeforeTactical,
    DivergingPlacements,
}

text_enum!(CrossInsightCode {
    InsideOutBeforeOutsideIn => "inside-out-before-outside-in",
    InsideOutBeforeTactical => "inside-out-before-tactical",
    DivergingPlacements => "diverging-placements",
});

/// An element of one model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementRef {
    pub model_id: String,
    pub element_id: String,
}

/// One insight across models.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossInsight {
    pub code: CrossInsightCode,
    /// The models compared, in the order the insight speaks of them.
    pub model_ids: Vec<String>,
    /// First the elements that are ahead, then those that hold the organisation back.
    pub ahead: Vec<ElementRef>,
    pub behind: Vec<ElementRef>,
    /// The indicators of the elements that hold back: what to look at with the client.
    pub indicator_ids: Vec<String>,
}

/// Every cross-model insight for the results of one assessment.
pub fn observe(results: &[ModelResult<'_>]) -> Vec<CrossInsight> {
    let mut insights = Vec::new();
    insights.extend(inside_out_before_outside_in(results));
    insights.extend(inside_out_before_tactical(results));
    insights.extend(diverging_placements(results));
    insights
}

fn inside_out_before_outside_in(results: &[ModelResult<'_>]) -> Option<CrossInsight> {
    let ahead = matching(results, |e| {
        e.element.orientation == Some(Orientation::InsideOut) && e.in_place
    });
    let behind = matching(results, |e| {
        e.element.orientation == Some(Orientation::OutsideIn) && e.score.is_some() && !e.in_place
    });
    if ahead.is_empty() || behind.is_empty() {
        return None;
    }
    Some(insight(
        CrossInsightCode::InsideOutBeforeOutsideIn,
        results,
        ahead,
        behind,
    ))
}

fn inside_out_before_tactical(results: &[ModelResult<'_>]) -> Option<CrossInsight> {
    let pyramid = results.iter().find(|r| r.model.id == PYRAMID)?;
    let curve = results.iter().find(|r| r.model.id == LEARNING_CURVE)?;
    if curve.stage.is_some_and(|s| s.order >= TACTICAL_ORDER) {
        return None;
    }
    let ahead: Vec<ElementRef> = pyramid
        .elements
        .iter()
        .filter(|e| e.in_place && e.element.orientation == Some(Orientation::InsideOut))
        .map(|e| element_ref(pyramid.model, e))
        .collect();
    if ahead.is_empty() {
        return None;
    }
    let behind = blocking_next(curve);
    Some(CrossInsight {
        code: CrossInsightCode::InsideOutBeforeTactical,
        model_ids: vec![PYRAMID.to_owned(), LEARNING_CURVE.to_owned()],
        indicator_ids: indicators_of(results, &behind),
        ahead,
        behind,
    })
}

fn diverging_placements(results: &[ModelResult<'_>]) -> Vec<CrossInsight> {
    let staged: Vec<&ModelResult<'_>> = results
        .iter()
        .filter(|r| r.model.kind.has_stages() && !r.model.stages.is_empty())
        .collect();
    let mut insights = Vec::new();
    for (i, a) in staged.iter().enumerate() {
        for b in &staged[i + 1..] {
            let (high, low) = if position(a) >= position(b) {
                (a, b)
            } else {
                (b, a)
            };
            if position(high) - position(low) + EPSILON < DIVERGENCE {
                continue;
            }
            let behind = blocking_next(low);
            insights.push(CrossInsight {
                code: CrossInsightCode::DivergingPlacements,
                model_ids: vec![high.model.id.clone(), low.model.id.clone()],
                indicator_ids: indicators_of(results, &behind),
                ahead: Vec::new(),
                behind,
            });
        }
    }
    insights
}

/// Stage order ÷ number of stages; 0 below the first stage.
pub fn position(result: &ModelResult<'_>) -> f64 {
    match result.stage {
        Some(stage) if !result.model.stages.is_empty() => {
            f64::from(stage.order) / result.model.stages.len() as f64
        }
        _ => 0.0,
    }
}

/// The required elements of the model's next stage that are not in place.
fn blocking_next(result: &ModelResult<'_>) -> Vec<ElementRef> {
    let reached = result.stage.map_or(0, |s| s.order as usize);
    result
        .stages
        .get(reached)
        .map(|next| {
            next.blocking
                .iter()
                .map(|id| ElementRef {
                    model_id: result.model.id.clone(),
                    element_id: (*id).to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn matching(
    results: &[ModelResult<'_>],
    keep: impl Fn(&ElementResult<'_>) -> bool,
) -> Vec<ElementRef> {
    results
        .iter()
        .flat_map(|r| {
            r.elements
                .iter()
                .filter(|e| keep(e))
                .map(|e| element_ref(r.model, e))
        })
        .collect()
}

fn insight(
    code: CrossInsightCode,
    results: &[ModelResult<'_>],
    ahead: Vec<ElementRef>,
    behind: Vec<ElementRef>,
) -> CrossInsight {
    let mut model_ids: Vec<String> = Vec::new();
    for element in ahead.iter().chain(&behind) {
        if !model_ids.contains(&element.model_id) {
            model_ids.push(element.model_id.clone());
        }
    }
    CrossInsight {
        code,
        model_ids,
        indicator_ids: indicators_of(results, &behind),
        ahead,
        behind,
    }
}

fn element_ref(model: &Model, element: &ElementResult<'_>) -> ElementRef {
    ElementRef {
        model_id: model.id.clone(),
        element_id: element.element.id.clone(),
    }
}

/// The indicators behind the elements, each once, in order.
fn indicators_of(results: &[ModelResult<'_>], elements: &[ElementRef]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for element in elements {
        let found = results
            .iter()
            .find(|r| r.model.id == element.model_id)
            .and_then(|r| r.model.element(&element.element_id));
        for weighted in found.into_iter().flat_map(|e| &e.indicators) {
            if !ids.contains(&weighted.indicator_id) {
                ids.push(weighted.indicator_id.clone());
            }
        }
    }
    ids
}

impl CrossInsight {
    /// The insight told in `lang`; `model` finds a chosen model (at the version scored) by id.
    pub fn message<'m>(&self, model: impl Fn(&str) -> Option<&'m Model>, lang: Lang) -> String {
        let name = |r: &ElementRef| {
            let found = model(&r.model_id);
            let element = found
                .and_then(|m| m.element(&r.element_id))
                .map_or_else(|| r.element_id.clone(), |e| e.name.get(lang).to_owned());
            let model_name =
                found.map_or_else(|| r.model_id.clone(), |m| m.name.get(lang).to_owned());
            format!("{element} ({model_name})")
        };
        let list = |refs: &[ElementRef]| refs.iter().map(name).collect::<Vec<_>>().join(", ");
        // "Respond is in place", "Respond, Create are in place".
        let several = self.ahead.len() > 1;
        let (is, nl_is) = if several {
            ("are", "zijn")
        } else {
            ("is", "is")
        };
        let model_name = |i: usize| {
            self.model_ids.get(i).map_or_else(String::new, |id| {
                model(id).map_or_else(|| id.clone(), |m| m.name.get(lang).to_owned())
            })
        };
        match (self.code, lang) {
            (CrossInsightCode::InsideOutBeforeOutsideIn, Lang::En) => format!(
                "Inside-out before outside-in: {} {is} in place while the listening foundation is not: {}. Content and responses rest on knowing what is said.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::InsideOutBeforeOutsideIn, Lang::Nl) => format!(
                "Inside-out vóór outside-in: {} {nl_is} op orde terwijl het luisterfundament dat niet is: {}. Content en reacties rusten op weten wat er gezegd wordt.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::InsideOutBeforeTactical, Lang::En) => format!(
                "{} {is} in place on the Social Media Pyramid while the Learning Curve is still below Tactical, where inside-out work starts; still missing: {}.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::InsideOutBeforeTactical, Lang::Nl) => format!(
                "{} {nl_is} op orde in de Social Media Piramide terwijl de Learning Curve nog onder Tactisch (Tactical) zit, waar inside-out begint; nog niet op orde: {}.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::DivergingPlacements, Lang::En) => format!(
                "The placements diverge: {} places the organisation much further than {}, which is held back by {}.",
                model_name(0),
                model_name(1),
                list(&self.behind)
            ),
            (CrossInsightCode::DivergingPlacements, Lang::Nl) => format!(
                "De plaatsingen lopen uiteen: {} plaatst de organisatie veel verder dan {}, dat wordt tegengehouden door {}.",
                model_name(0),
                model_name(1),
                list(&self.behind)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insight(ahead: &[&str]) -> CrossInsight {
        let element = |id: &str| ElementRef {
            model_id: PYRAMID.to_owned(),
            element_id: id.to_owned(),
        };
        CrossInsight {
            code: CrossInsightCode::InsideOutBeforeOutsideIn,
            model_ids: vec![PYRAMID.to_owned()],
            ahead: ahead.iter().map(|id| element(id)).collect(),
            behind: vec![element("listen")],
            indicator_ids: Vec::new(),
        }
    }

    #[test]
    fn the_verb_agrees_with_what_is_ahead() {
        let unknown = |_: &str| None;
        let one = insight(&["respond"]).message(unknown, Lang::En);
        assert!(
            one.contains("respond (social-media-pyramid) is in place"),
            "{one}"
        );
        let two = insight(&["respond", "create"]).message(unknown, Lang::En);
        assert!(
            two.contains("create (social-media-pyramid) are in place"),
            "{two}"
        );
        let twee = insight(&["respond", "create"]).message(unknown, Lang::Nl);
        assert!(
            twee.contains("create (social-media-pyramid) zijn op orde"),
            "{twee}"
        );
    }
}
