//! The report of one submitted assessment: the client, a summary, the roadmap across the models,
//! what the models show together, and per model its placement drawn and explained.

use maud::{Markup, html};

use super::charts;
use super::page;
use super::words::{Words, answer, long_date, percent, size_band, summary_sentence};
use crate::api::results::stage_ref;
use crate::catalog::Catalog;
use crate::domain::scoring::roadmap::RoadmapEntry;
use crate::domain::scoring::{ModelOutcome, RecommendationKind};
use crate::domain::{Action, Lang, Model, Provenance};
use crate::service::reports::AssessmentReport;
use crate::service::scoring::{Advice, Scored};

/// How many roadmap steps the summary repeats.
const FIRST_STEPS: usize = 3;

/// Who reads a report: the agency (with its token) sees who answered; a share link's holder, who
/// may be anyone the link was forwarded to, sees only how many answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Agency,
    LinkHolder,
}

/// The whole report in `lang`.
pub fn assessment_report(
    report: &AssessmentReport<'_>,
    catalog: &Catalog,
    lang: Lang,
    audience: Audience,
) -> Markup {
    let words = Words::of(lang);
    let advice = &report.results.advice;
    let title = format!("{} — {}", words.report, report.organisation.name);
    page(
        lang,
        &title,
        html! {
            header {
                h1 { (words.report) }
                (facts(report, lang, audience))
            }
            main {
                (summary(report, lang))
                (roadmap(advice, lang))
                (insights(advice, lang))
                @for (i, scored) in advice.models.iter().enumerate() {
                    (model_section(i, scored, report, catalog, lang))
                }
            }
            footer class="meta" {
                p { (words.generated) " " (long_date(chrono::Utc::now(), lang)) }
            }
        },
    )
}

fn facts(report: &AssessmentReport<'_>, lang: Lang, audience: Audience) -> Markup {
    let words = Words::of(lang);
    let organisation = &report.organisation;
    html! {
        dl class="facts" {
            dt { (words.client) } dd { (organisation.name) }
            @if let Some(industry) = &organisation.industry { dt { (words.industry) } dd { (industry) } }
            @if let Some(band) = organisation.size_band { dt { (words.size_band) } dd { (size_band(band, lang)) } }
            @if let Some(country) = &organisation.country { dt { (words.country) } dd { (country) } }
            dt { (words.assessment) } dd { (report.assessment.title) }
            dt { (words.submitted) } dd { (long_date(report.results.submitted_at, lang)) }
            dt { (words.respondents) }
            dd {
                (report.results.respondents)
                @if audience == Audience::Agency && !report.respondents.is_empty() {
                    " ("
                    @for (i, respondent) in report.respondents.iter().enumerate() {
                        @if i > 0 { ", " }
                        (respondent.label)
                    }
                    ")"
                }
            }
        }
    }
}

fn summary(report: &AssessmentReport<'_>, lang: Lang) -> Markup {
    let words = Words::of(lang);
    let advice = &report.results.advice;
    html! {
        section aria-labelledby="summary" {
            h2 id="summary" { (words.summary) }
            p { (summary_sentence(lang, &report.organisation.name, advice.models.len(), report.results.respondents, advice.roadmap.len(), FIRST_STEPS)) }
            table {
                thead { tr { th scope="col" { (words.model) } th scope="col" { (words.placement) } th scope="col" { (words.target) } th scope="col" class="number" { (words.coverage) } } }
                tbody {
                    @for scored in &advice.models {
                        tr {
                            th scope="row" { (scored.model.name.get(lang)) }
                            td { (placement(scored, lang)) }
                            td { (target(scored, lang)) }
                            td class="number" { (percent(scored.outcome.coverage)) }
                        }
                    }
                }
            }
            p class="meta" { (words.legend) }
            @if !advice.roadmap.is_empty() {
                h3 { (words.first_steps) }
                ol {
                    @for entry in advice.roadmap.iter().take(FIRST_STEPS) {
                        li { (roadmap_text(advice, entry, lang)) }
                    }
                }
            }
        }
    }
}

/// A model's placement in words: the stage reached, or a focus model's profile mean.
fn placement(scored: &Scored<'_>, lang: Lang) -> String {
    let words = Words::of(lang);
    let outcome = &scored.outcome;
    if !scored.model.kind.has_stages() {
        let mean = outcome.profile.as_ref().and_then(|p| p.mean);
        return format!(
            "{}: {}",
            words.profile_mean,
            mean.map_or(words.unknown.to_owned(), percent)
        );
    }
    outcome
        .stage_id
        .as_deref()
        .map_or(words.below_first_stage.to_owned(), |id| {
            stage_ref(Some(scored.model), id, lang).name.to_owned()
        })
}

fn target(scored: &Scored<'_>, lang: Lang) -> String {
    let outcome = &scored.outcome;
    match (&outcome.target_id, outcome.percent_to_target) {
        (Some(id), Some(share)) => format!(
            "{} ({})",
            stage_ref(Some(scored.model), id, lang).name,
            percent(share)
        ),
        (Some(id), None) => stage_ref(Some(scored.model), id, lang).name.to_owned(),
        (None, _) => "—".to_owned(),
    }
}

/// The action a roadmap entry stands for, in the model version of one of its reasons.
fn roadmap_action<'a>(advice: &'a Advice<'_>, entry: &RoadmapEntry) -> Option<&'a Action> {
    advice.action(entry)
}

fn roadmap_text<'a>(advice: &'a Advice<'_>, entry: &'a RoadmapEntry, lang: Lang) -> &'a str {
    roadmap_action(advice, entry).map_or(entry.action_id.as_ref(), |a| a.text.get(lang))
}

fn roadmap(advice: &Advice<'_>, lang: Lang) -> Markup {
    let words = Words::of(lang);
    html! {
        section aria-labelledby="roadmap" {
            h2 id="roadmap" { (words.roadmap) }
            @if !advice.has_roadmap() {
                p { (words.roadmap_not_kept) }
            } @else if advice.roadmap.is_empty() {
                p { (words.roadmap_empty) }
            } @else {
                p { (words.roadmap_intro) }
                ol class="roadmap" {
                    @for entry in &advice.roadmap {
                        @let action = roadmap_action(advice, entry);
                        li {
                            strong { (roadmap_text(advice, entry, lang)) }
                            " " span class="chip" { (kind(entry.kind, words)) }
                            br;
                            span class="meta" {
                                (provenance(action.map(|a| &a.provenance), words))
                                " · " (words.why) ": "
                                @for (i, reason) in entry.reasons.iter().enumerate() {
                                    @if i > 0 { "; " }
                                    @let model = advice.model(&reason.model_id);
                                    (model.map_or(reason.model_id.as_ref(), |m| m.name.get(lang)))
                                    " — "
                                    (element_name(model, &reason.element_id, lang))
                                    @if let Some(score) = reason.score { " (" (percent(score)) ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn insights(advice: &Advice<'_>, lang: Lang) -> Markup {
    let words = Words::of(lang);
    html! {
        section aria-labelledby="insights" {
            h2 id="insights" { (words.insights) }
            @if advice.insights.is_empty() {
                p { (words.insights_empty) }
            } @else {
                ul {
                    @for insight in &advice.insights {
                        li { (insight.message(|id| advice.model(id), lang)) }
                    }
                }
            }
        }
    }
}

fn model_section(
    index: usize,
    scored: &Scored<'_>,
    report: &AssessmentReport<'_>,
    catalog: &Catalog,
    lang: Lang,
) -> Markup {
    let words = Words::of(lang);
    let (model, outcome) = (scored.model, &scored.outcome);
    let id = format!("model-{}", index + 1);
    html! {
        section class="model" aria-labelledby=(id) {
            h2 id=(id) { (model.name.get(lang)) }
            p class="meta" {
                (words.version) " " (outcome.model_version) " · " (model.authors.join(", "))
                @if let Some(year) = model.year { " (" (year) ")" }
            }
            dl class="facts" {
                dt { (words.placement) } dd { (placement(scored, lang)) }
                @if let Some(progress) = outcome.progress_to_next { dt { (words.progress_to_next) } dd { (percent(progress)) } }
                @if let Some(id) = &outcome.target_id { dt { (words.target) } dd { (stage_ref(Some(model), id, lang).name) } }
                @if let Some(share) = outcome.percent_to_target { dt { (words.percent_to_target) } dd { (percent(share)) } }
                dt { (words.coverage) } dd { (percent(outcome.coverage)) }
            }
            figure {
                @if model.kind.has_stages() {
                    (charts::ladder(&format!("{id}-chart"), model, outcome, lang))
                } @else {
                    (charts::profile(&format!("{id}-chart"), model, outcome, lang))
                }
            }
            (elements_table(model, outcome, lang))
            (explanation(model, outcome, catalog, lang))
            @if !outcome.insights.is_empty() {
                h3 { (words.observations) }
                ul { @for insight in &outcome.insights { li { (insight.message(model, lang)) } } }
            }
            (recommendations(model, outcome, lang))
            (disagreement(outcome, report.results.respondents, catalog, lang))
        }
    }
}

fn elements_table(model: &Model, outcome: &ModelOutcome, lang: Lang) -> Markup {
    let words = Words::of(lang);
    html! {
        h3 { (words.elements) }
        table {
            thead { tr {
                th scope="col" { (words.element) }
                @if model.kind.has_stages() { th scope="col" { (words.stage) } }
                th scope="col" class="number" { (words.score) }
                th scope="col" { (words.in_place) }
                th scope="col" class="number" { (words.coverage) }
            } }
            tbody {
                @for element in &outcome.elements {
                    @let definition = model.element(&element.element_id);
                    tr {
                        th scope="row" {
                            (element_name(Some(model), &element.element_id, lang))
                            @if definition.is_some_and(crate::domain::Element::is_foundation) { " (" (words.foundation) ")" }
                        }
                        @if model.kind.has_stages() {
                            td { @if let Some(stage) = definition.and_then(|e| e.stage_id.as_deref()) { (stage_ref(Some(model), stage, lang).name) } }
                        }
                        td class="number" { (element.score.map_or(words.unknown.to_owned(), percent)) }
                        td { (if element.in_place { words.yes } else { words.no }) }
                        td class="number" { (percent(element.coverage)) }
                    }
                }
            }
        }
    }
}

/// What holds the organisation back on this model and the answers that say so: the next stage's
/// missing elements, or a focus model's elements not in place.
fn explanation(model: &Model, outcome: &ModelOutcome, catalog: &Catalog, lang: Lang) -> Markup {
    let words = Words::of(lang);
    let (heading, missing): (&str, Vec<&str>) = if model.kind.has_stages() {
        let next = outcome.stages.iter().find(|s| !s.reached);
        (
            words.what_blocks,
            next.map(|s| s.blocking.iter().map(AsRef::as_ref).collect())
                .unwrap_or_default(),
        )
    } else {
        let missing = outcome
            .elements
            .iter()
            .filter(|e| !e.in_place)
            .map(|e| e.element_id.as_ref())
            .collect();
        (words.not_in_place, missing)
    };
    let done = if model.kind.has_stages() {
        words.nothing_blocks
    } else {
        words.all_in_place
    };
    html! {
        h3 { (heading) }
        @if missing.is_empty() {
            p { (done) }
        } @else {
            @for element_id in missing {
                @let element = outcome.elements.iter().find(|e| e.element_id == element_id);
                h4 {
                    (element_name(Some(model), element_id, lang))
                    " — " (element.and_then(|e| e.score).map_or(words.unknown.to_owned(), percent))
                }
                @if let Some(element) = element {
                    table {
                        caption class="meta" { (words.answers_behind) " (" (words.scale) ")" }
                        thead { tr { th scope="col" { (words.indicator) } th scope="col" class="number" { (words.mean_answer) } } }
                        tbody {
                            @for contribution in &element.contributions {
                                tr {
                                    td { (indicator_text(catalog, &contribution.indicator_id, lang)) }
                                    td class="number" { (contribution.value.map_or(words.not_answered.to_owned(), |v| answer(v, lang))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn recommendations(model: &Model, outcome: &ModelOutcome, lang: Lang) -> Markup {
    let words = Words::of(lang);
    html! {
        h3 { (words.next_steps) }
        @if outcome.recommendations.is_empty() {
            p { (words.no_next_steps) }
        } @else {
            ol {
                @for recommendation in &outcome.recommendations {
                    @let action = model.action(&recommendation.action_id);
                    li {
                        (action.map_or(recommendation.action_id.as_ref(), |a| a.text.get(lang)))
                        " " span class="chip" { (kind(recommendation.kind, words)) }
                        br;
                        span class="meta" {
                            (element_name(Some(model), &recommendation.element_id, lang))
                            " · " (provenance(action.map(|a| &a.provenance), words))
                        }
                    }
                }
            }
        }
    }
}

fn disagreement(
    outcome: &ModelOutcome,
    respondents: usize,
    catalog: &Catalog,
    lang: Lang,
) -> Markup {
    let words = Words::of(lang);
    let split: Vec<_> = outcome.spread.iter().filter(|s| s.disagreement).collect();
    html! {
        h3 { (words.disagreement) }
        @if respondents < 2 {
            p { (words.disagreement_single) }
        } @else if split.is_empty() {
            p { (words.disagreement_none) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (words.indicator) }
                    th scope="col" class="number" { (words.range) }
                    th scope="col" class="number" { (words.mean_answer) }
                    th scope="col" class="number" { (words.dont_know) }
                } }
                tbody {
                    @for spread in split {
                        tr {
                            td { (indicator_text(catalog, &spread.indicator_id, lang)) }
                            td class="number" { (spread.min.map_or(String::new(), |v| v.to_string())) "–" (spread.max.map_or(String::new(), |v| v.to_string())) }
                            td class="number" { (spread.mean.map_or(words.unknown.to_owned(), |v| answer(v, lang))) }
                            td class="number" { (spread.unknown) }
                        }
                    }
                }
            }
        }
    }
}

fn element_name<'a>(model: Option<&'a Model>, id: &'a str, lang: Lang) -> &'a str {
    model
        .and_then(|m| m.element(id))
        .map_or(id, |e| e.name.get(lang))
}

fn indicator_text<'a>(catalog: &'a Catalog, id: &'a str, lang: Lang) -> &'a str {
    catalog
        .indicators()
        .get(id)
        .map_or(id, |i| i.text.get(lang))
}

fn kind(kind: RecommendationKind, words: &Words) -> &'static str {
    match kind {
        RecommendationKind::Next => words.kind_next,
        RecommendationKind::TowardTarget => words.kind_toward_target,
        RecommendationKind::Strengthen => words.kind_strengthen,
        RecommendationKind::Prerequisite => words.kind_prerequisite,
        RecommendationKind::Option => words.kind_option,
    }
}

fn provenance(provenance: Option<&Provenance>, words: &Words) -> String {
    match provenance {
        Some(Provenance::Seed { source }) => format!("{}: {source}", words.provenance_seed),
        Some(Provenance::Practice) => words.provenance_practice.to_owned(),
        Some(Provenance::Unrecorded) | None => words.provenance_unrecorded.to_owned(),
    }
}
