//! Inside-out before outside-in (seed 002: "je kunt niet zonder de basislagen"): computed when the
//! chosen models include an element of the listening foundation. It holds when an inside-out
//! element is in place while a listening-foundation element is not, or when the organisation is
//! active without listening: its highest inside-out score exceeds its highest listening score by
//! 0.25 or more, or is above 0 while every listening element scores 0. Unknown scores are
//! ignored; when every listening element is unknown, `listening-unknown` says so instead.

use super::{CrossInsight, CrossInsightCode, ElementRef, element_ref, indicators_of, models_of};
use crate::domain::scoring::{EPSILON, ElementResult, ModelResult};
use crate::domain::{Model, Orientation};

/// The listening foundation: the elements of each model that monitor and listen (DOMAIN.md).
const LISTENING_FOUNDATION: &[(&str, &str)] = &[
    ("social-media-pyramid", "monitor"),
    ("social-media-pyramid", "listen"),
    ("listening-maturity", "reactive-alerts"),
    ("listening-maturity", "social-media-monitoring"),
    ("communicatieroos", "listen"),
    ("groundswell-objectives", "listening"),
];

/// Inside-out work this far ahead of the best listening score is active without listening.
const AHEAD_BY: f64 = 0.25;

/// An element result with the model it belongs to: refs are built only for what is reported.
type Located<'a, 'm> = (&'m Model, &'a ElementResult<'m>);

pub(super) fn inside_out_before_outside_in<'m>(
    results: &[ModelResult<'m>],
) -> Option<CrossInsight<'m>> {
    let listening = elements(results, |model, e| {
        LISTENING_FOUNDATION.contains(&(model, e.element.id.as_str()))
    });
    if listening.is_empty() {
        return None;
    }
    let inside_out = elements(results, |_, e| {
        e.element.orientation == Some(Orientation::InsideOut)
    });
    let best = |of: &[Located<'_, '_>]| {
        of.iter()
            .filter_map(|(_, e)| e.score)
            .fold(None, |best: Option<f64>, s| {
                Some(best.map_or(s, |b| b.max(s)))
            })
    };
    let best_inside_out = best(&inside_out)?;
    let Some(best_listening) = best(&listening) else {
        // Active, but nothing about listening is answered: say so rather than assert a gap.
        let ahead = refs(active(&inside_out, |_| true));
        return (!ahead.is_empty()).then(|| {
            insight(
                CrossInsightCode::ListeningUnknown,
                results,
                ahead,
                refs(listening.iter()),
            )
        });
    };
    let missing: Vec<&Located<'_, '_>> = listening
        .iter()
        .filter(|(_, e)| e.score.is_some() && !e.in_place)
        .collect();
    let in_place_ahead = !missing.is_empty() && inside_out.iter().any(|(_, e)| e.in_place);
    let far_ahead = best_inside_out - best_listening + EPSILON >= AHEAD_BY;
    let silent = best_listening <= EPSILON && best_inside_out > EPSILON;
    if !(in_place_ahead || far_ahead || silent) {
        return None;
    }
    let active_ahead = active(&inside_out, |score| {
        score - best_listening + EPSILON >= AHEAD_BY || (silent && score > EPSILON)
    });
    let ahead: Vec<ElementRef<'m>> = if in_place_ahead {
        // The elements in place first, then those far ahead, each once.
        let in_place = inside_out.iter().filter(|(_, e)| e.in_place);
        let far = active_ahead.filter(|(_, e)| !e.in_place);
        refs(in_place.chain(far))
    } else {
        refs(active_ahead)
    };
    let behind = if missing.is_empty() {
        refs(listening.iter())
    } else {
        refs(missing.into_iter())
    };
    Some(insight(
        CrossInsightCode::InsideOutBeforeOutsideIn,
        results,
        ahead,
        behind,
    ))
}

fn elements<'a, 'm>(
    results: &'a [ModelResult<'m>],
    keep: impl Fn(&str, &ElementResult<'_>) -> bool,
) -> Vec<Located<'a, 'm>> {
    results
        .iter()
        .flat_map(|r| {
            r.elements
                .iter()
                .filter(|e| keep(&r.model.id, e))
                .map(move |e| (r.model, e))
        })
        .collect()
}

/// The inside-out elements with a known score that `keep` accepts.
fn active<'l, 'a, 'm>(
    inside_out: &'l [Located<'a, 'm>],
    keep: impl Fn(f64) -> bool + 'l,
) -> impl Iterator<Item = &'l Located<'a, 'm>> {
    inside_out
        .iter()
        .filter(move |(_, e)| e.score.is_some_and(|s| s > EPSILON && keep(s)))
}

fn refs<'l, 'a: 'l, 'm: 'a>(
    elements: impl Iterator<Item = &'l Located<'a, 'm>>,
) -> Vec<ElementRef<'m>> {
    elements.map(|(model, e)| element_ref(model, e)).collect()
}

fn insight<'m>(
    code: CrossInsightCode,
    results: &[ModelResult<'m>],
    ahead: Vec<ElementRef<'m>>,
    behind: Vec<ElementRef<'m>>,
) -> CrossInsight<'m> {
    CrossInsight {
        code,
        model_ids: models_of(ahead.iter().chain(&behind)),
        indicator_ids: indicators_of(results, &behind),
        ahead,
        behind,
    }
}
