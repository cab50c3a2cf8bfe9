//! The report's charts as inline SVG: drawn with presentation attributes only (no inline styles
//! or scripts, so a strict Content-Security-Policy allows them), each with a title and a
//! description that say in words what the picture shows.

use maud::{Markup, html};

use super::words::{Words, percent};
use crate::domain::scoring::ModelOutcome;
use crate::domain::{Lang, Model};

const INK: &str = "#1a1a1a";
const REACHED: &str = "#1f4e79";
const PROGRESS: &str = "#7fa7cc";
const OPEN: &str = "#eeeeee";
const TARGET: &str = "#8a4500";
const GRID: &str = "#c8c8c8";

/// The frame every chart shares: an accessible `<svg>` named by its title and description.
fn chart(
    id: &str,
    width: u32,
    height: u32,
    title: &str,
    description: &str,
    body: Markup,
) -> Markup {
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}"))
            width=(width) height=(height) role="img"
            aria-labelledby=(format!("{id}-title {id}-desc")) {
            title id=(format!("{id}-title")) { (title) }
            desc id=(format!("{id}-desc")) { (description) }
            (body)
        }
    }
}

/// Staged and layered models: the stages bottom-up, those reached filled, the next one filled as
/// far as its progress, the current stage and the target marked. Layers narrow upwards, as the
/// pyramid they come from.
pub fn ladder(id: &str, model: &Model, outcome: &ModelOutcome, lang: Lang) -> Markup {
    let words = Words::of(lang);
    let row = 36;
    let count = u32::try_from(model.stages.len()).unwrap_or(u32::MAX);
    let height = count * row + 8;
    let next = outcome
        .stages
        .iter()
        .find(|s| !s.reached)
        .map(|s| s.stage_id.as_ref());
    let layered = model.kind == crate::domain::ModelKind::Layered;
    let description = ladder_description(model, outcome, lang);
    chart(
        id,
        560,
        height,
        model.name.get(lang),
        &description,
        html! {
            @for stage in &model.stages {
                @let y = height - 4 - stage.order * row;
                @let inset = if layered { (stage.order - 1) * 18 } else { 0 };
                @let (x, width) = (40 + inset, 340 - 2 * inset);
                @let reached = outcome.stages.iter().any(|s| s.stage_id == stage.id && s.reached);
                @let is_next = next == Some(stage.id.as_str());
                rect x=(x) y=(y) width=(width) height=(row - 6)
                    fill=(if reached { REACHED } else { OPEN }) stroke=(GRID) {}
                @if is_next {
                    @let share = outcome.progress_to_next.unwrap_or(0.0).clamp(0.0, 1.0);
                    rect x=(x) y=(y) width=(format!("{:.1}", f64::from(width) * share)) height=(row - 6)
                        fill=(PROGRESS) {}
                }
                text x=(x + 8) y=(y + 20) font-size="13"
                    fill=(if reached { "#ffffff" } else { INK }) {
                    (stage.name.get(lang))
                    @if is_next { " (" (percent(outcome.progress_to_next.unwrap_or(0.0))) ")" }
                }
                @if outcome.stage_id.as_deref() == Some(stage.id.as_str()) {
                    text x="392" y=(y + 20) font-size="12" font-weight="bold" fill=(INK) { "◀ " (words.current) }
                }
                @if outcome.target_id.as_deref() == Some(stage.id.as_str()) {
                    rect x=(x - 3) y=(y - 3) width=(width + 6) height=(row) fill="none"
                        stroke=(TARGET) stroke-width="2.5" stroke-dasharray="6 3" {}
                    text x="470" y=(y + 20) font-size="12" fill=(TARGET) { (words.target) }
                }
            }
        },
    )
}

fn ladder_description(model: &Model, outcome: &ModelOutcome, lang: Lang) -> String {
    let words = Words::of(lang);
    let stage_name = |id: &str| {
        model
            .stage(id)
            .map_or(id.to_owned(), |s| s.name.get(lang).to_owned())
    };
    let mut parts = vec![match &outcome.stage_id {
        Some(id) => format!("{}: {}", words.placement, stage_name(id)),
        None => format!("{}: {}", words.placement, words.below_first_stage),
    }];
    if let (Some(next), Some(progress)) = (
        outcome.stages.iter().find(|s| !s.reached),
        outcome.progress_to_next,
    ) {
        parts.push(format!(
            "{} ({}): {}",
            words.progress_to_next,
            stage_name(&next.stage_id),
            percent(progress)
        ));
    }
    if let Some(target) = &outcome.target_id {
        parts.push(format!("{}: {}", words.target, stage_name(target)));
    }
    parts.join(". ")
}

/// Focus models: one bar per element's score (0–1), with the threshold at which an element counts
/// as in place.
pub fn profile(id: &str, model: &Model, outcome: &ModelOutcome, lang: Lang) -> Markup {
    let words = Words::of(lang);
    let row = 28;
    let count = u32::try_from(outcome.elements.len()).unwrap_or(u32::MAX);
    let height = count * row + 24;
    let (left, span) = (210.0, 300.0);
    let threshold_x = left + span * model.threshold;
    let name = |id: &str| {
        model
            .element(id)
            .map_or(id.to_owned(), |e| e.name.get(lang).to_owned())
    };
    let description = outcome
        .elements
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                name(&e.element_id),
                e.score.map_or(words.unknown.to_owned(), percent)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    chart(
        id,
        560,
        height,
        model.name.get(lang),
        &description,
        html! {
            @for (i, element) in outcome.elements.iter().enumerate() {
                @let y = 4 + u32::try_from(i).unwrap_or(0) * row;
                text x=(left - 8.0) y=(y + 16) font-size="12" text-anchor="end" fill=(INK) { (name(&element.element_id)) }
                rect x=(left) y=(y + 2) width=(span) height=(row - 10) fill=(OPEN) {}
                @if let Some(score) = element.score {
                    rect x=(left) y=(y + 2) width=(format!("{:.1}", span * score.clamp(0.0, 1.0))) height=(row - 10)
                        fill=(if element.in_place { REACHED } else { PROGRESS }) {}
                    text x=(left + span + 6.0) y=(y + 16) font-size="12" fill=(INK) { (percent(score)) }
                } @else {
                    text x=(left + span + 6.0) y=(y + 16) font-size="12" fill=(INK) { (words.unknown) }
                }
            }
            line x1=(threshold_x) x2=(threshold_x) y1="0" y2=(height - 18) stroke=(TARGET)
                stroke-width="2" stroke-dasharray="4 3" {}
            text x=(threshold_x) y=(height - 4) font-size="11" text-anchor="middle" fill=(TARGET) {
                (words.in_place) " ≥ " (percent(model.threshold))
            }
        },
    )
}

/// One point of a placement over time: a short label (the date) and a value on the chart's scale.
pub struct Point {
    pub label: String,
    pub value: Option<f64>,
}

/// A small line chart of placements over time: stage order (0 = below the first stage) for staged
/// and layered models, the profile mean (0–1) for focus models.
pub fn timeline(
    id: &str,
    title: &str,
    description: &str,
    points: &[Point],
    top: f64,
    ticks: &[(f64, String)],
) -> Markup {
    let (left, width, height) = (150.0, 380.0, 150.0);
    let (plot_top, plot_bottom) = (10.0, 112.0);
    let step = if points.len() > 1 {
        width / (points.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| left + 10.0 + step * i as f64;
    let y = |value: f64| plot_bottom - (plot_bottom - plot_top) * (value / top).clamp(0.0, 1.0);
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.value.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
        .collect();
    chart(
        id,
        560,
        150,
        title,
        description,
        html! {
            @for (value, label) in ticks {
                line x1=(left) x2=(left + width + 20.0) y1=(format!("{:.1}", y(*value))) y2=(format!("{:.1}", y(*value)))
                    stroke=(GRID) {}
                text x=(left - 6.0) y=(format!("{:.1}", y(*value) + 4.0)) font-size="11" text-anchor="end" fill=(INK) { (label) }
            }
            polyline points=(path.join(" ")) fill="none" stroke=(REACHED) stroke-width="2.5" {}
            @for (i, point) in points.iter().enumerate() {
                @if let Some(value) = point.value {
                    circle cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(value))) r="4" fill=(REACHED) {}
                }
                // At most eight dates fit under the axis; the table below the chart lists them all.
            @if i % points.len().div_ceil(8).max(1) == 0 {
                text x=(format!("{:.1}", x(i))) y=(height - 6.0) font-size="10" text-anchor="middle" fill=(INK) { (point.label) }
            }
            }
        },
    )
}
