//! What the seven lenses show together (DOMAIN.md, "Cross-model insights"): each insight once per
//! set of models, naming the models, elements and indicators behind it, so an agency can explain
//! it. Language-free: the message is written from the models when shown.
//! - `inside-out-before-outside-in` (seed 002: "je kunt niet zonder de basislagen"): inside-out
//!   work in place or well ahead of the listening foundation; `listening-unknown` when nothing
//!   about that foundation is answered;
//! - `inside-out-before-tactical` (seed 002): the Pyramid's Respond or Create is in place while
//!   the Learning Curve is below Tactical;
//! - `diverging-placements`: two staged or layered models far apart, per pair;
//! - `contested-blocker`: what blocks a next stage or a focus foundation rests on an answer the
//!   respondents disagree on.

mod contested;
mod listening;
mod message;
mod placements;

use std::borrow::Cow;

use super::{ElementResult, Id, ModelResult};
use crate::domain::Model;
use crate::domain::text_enum::text_enum;

pub use placements::position;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrossInsightCode {
    InsideOutBeforeOutsideIn,
    ListeningUnknown,
    InsideOutBeforeTactical,
    DivergingPlacements,
    ContestedBlocker,
}

text_enum!(CrossInsightCode {
    InsideOutBeforeOutsideIn => "inside-out-before-outside-in",
    ListeningUnknown => "listening-unknown",
    InsideOutBeforeTactical => "inside-out-before-tactical",
    DivergingPlacements => "diverging-placements",
    ContestedBlocker => "contested-blocker",
});

/// An element of one model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementRef<'m> {
    pub model_id: Id<'m>,
    pub element_id: Id<'m>,
}

/// One insight across models.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossInsight<'m> {
    pub code: CrossInsightCode,
    /// The models compared, in the order the insight speaks of them.
    pub model_ids: Vec<Id<'m>>,
    /// The elements that are ahead.
    pub ahead: Vec<ElementRef<'m>>,
    /// The elements that hold the organisation back (or, for `contested-blocker`, the blocking
    /// elements in dispute).
    pub behind: Vec<ElementRef<'m>>,
    /// The indicators of the elements that hold back (for `contested-blocker`, those the
    /// respondents disagree on): what to look at with the client.
    pub indicator_ids: Vec<Id<'m>>,
}

/// Every cross-model insight for the results of one assessment.
pub fn observe<'m>(results: &[ModelResult<'m>]) -> Vec<CrossInsight<'m>> {
    let mut insights = Vec::new();
    insights.extend(listening::inside_out_before_outside_in(results));
    insights.extend(placements::inside_out_before_tactical(results));
    insights.extend(placements::diverging(results));
    insights.extend(contested::contested_blocker(results));
    insights
}

fn element_ref<'m>(model: &'m Model, element: &ElementResult<'m>) -> ElementRef<'m> {
    ElementRef {
        model_id: Cow::Borrowed(&model.id),
        element_id: Cow::Borrowed(&element.element.id),
    }
}

/// The models the elements belong to, each once, in order.
fn models_of<'e, 'm: 'e>(elements: impl IntoIterator<Item = &'e ElementRef<'m>>) -> Vec<Id<'m>> {
    let mut model_ids: Vec<Id<'m>> = Vec::new();
    for element in elements {
        if !model_ids.contains(&element.model_id) {
            model_ids.push(element.model_id.clone());
        }
    }
    model_ids
}

/// The indicators behind the elements, each once, in order.
fn indicators_of<'m>(results: &[ModelResult<'m>], elements: &[ElementRef<'_>]) -> Vec<Id<'m>> {
    let mut ids: Vec<Id<'m>> = Vec::new();
    for element in elements {
        let found = results
            .iter()
            .find(|r| r.model.id == element.model_id)
            .and_then(|r| r.model.element(&element.element_id));
        for weighted in found.into_iter().flat_map(|e| &e.indicators) {
            if !ids.iter().any(|id| *id == weighted.indicator_id.as_str()) {
                ids.push(Cow::Borrowed(&weighted.indicator_id));
            }
        }
    }
    ids
}
