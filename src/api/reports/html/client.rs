//! A client's progress over time: per model, its placement at each submitted assessment.

use maud::{Markup, html};

use super::charts::{self, Point};
use super::words::{Words, long_date, percent};
use super::{date, page};
use crate::api::results::stage_ref;
use crate::catalog::Catalog;
use crate::domain::Lang;
use crate::service::organisations::{ModelProgress, Progress, ProgressPoint};

/// The progress report in `lang`.
pub fn client_report(progress: &Progress, catalog: &Catalog, lang: Lang) -> Markup {
    let words = Words::of(lang);
    let organisation = &progress.organisation;
    let title = format!("{} — {}", words.progress_report, organisation.name);
    page(
        lang,
        &title,
        html! {
            header {
                h1 { (words.progress_report) }
                dl class="facts" {
                    dt { (words.client) } dd { (organisation.name) }
                    @if let Some(industry) = &organisation.industry { dt { (words.industry) } dd { (industry) } }
                }
            }
            main {
                @if progress.models.is_empty() {
                    p { (words.no_submissions) }
                }
                @for (i, series) in progress.models.iter().enumerate() {
                    (model_series(i, series, catalog, lang))
                }
            }
            footer class="meta" { p { (words.generated) " " (long_date(chrono::Utc::now(), lang)) } }
        },
    )
}

fn model_series(index: usize, series: &ModelProgress, catalog: &Catalog, lang: Lang) -> Markup {
    let words = Words::of(lang);
    let latest = catalog.latest(&series.model_id);
    let name = latest.map_or(series.model_id.as_str(), |m| m.name.get(lang));
    let staged = latest.is_some_and(|m| m.kind.has_stages());
    let id = format!("series-{}", index + 1);
    let placement = |point: &ProgressPoint| -> String {
        if staged {
            let model = catalog.version(&series.model_id, point.model_version);
            point
                .stage_id
                .as_deref()
                .map_or(words.below_first_stage.to_owned(), |s| {
                    stage_ref(model, s, lang).name.to_owned()
                })
        } else {
            format!(
                "{}: {}",
                words.profile_mean,
                point.profile_mean.map_or(words.unknown.to_owned(), percent)
            )
        }
    };
    let points: Vec<Point> = series
        .points
        .iter()
        .map(|point| Point {
            label: date(point.submitted_at),
            value: if staged {
                Some(f64::from(stage_order(catalog, &series.model_id, point)))
            } else {
                point.profile_mean
            },
        })
        .collect();
    let (top, ticks) = match latest.filter(|_| staged) {
        Some(model) => {
            let mut ticks = vec![(0.0, words.below_first_stage.to_owned())];
            ticks.extend(
                model
                    .stages
                    .iter()
                    .map(|s| (f64::from(s.order), s.name.get(lang).to_owned())),
            );
            (
                f64::from(u32::try_from(model.stages.len()).unwrap_or(1).max(1)),
                ticks,
            )
        }
        None => (
            1.0,
            vec![
                (0.0, "0%".to_owned()),
                (0.5, "50%".to_owned()),
                (1.0, "100%".to_owned()),
            ],
        ),
    };
    let description = series
        .points
        .iter()
        .map(|p| format!("{}: {}", date(p.submitted_at), placement(p)))
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        section aria-labelledby=(id) {
            h2 id=(id) { (name) }
            figure {
                (charts::timeline(&format!("{id}-chart"), name, &description, &points, top, &ticks))
                figcaption { (words.over_time) }
            }
            table {
                thead { tr {
                    th scope="col" { (words.submitted) }
                    th scope="col" { (words.assessment) }
                    th scope="col" { (words.placement) }
                    th scope="col" class="number" { (words.coverage) }
                } }
                tbody {
                    @for point in &series.points {
                        tr {
                            td { (long_date(point.submitted_at, lang)) }
                            td { (point.title) }
                            td { (placement(point)) }
                            td class="number" { (percent(point.coverage)) }
                        }
                    }
                }
            }
        }
    }
}

/// The order of the stage reached then (0 below the first stage), in the version scored.
fn stage_order(catalog: &Catalog, model_id: &str, point: &ProgressPoint) -> u32 {
    let model = catalog.version(model_id, point.model_version);
    point
        .stage_id
        .as_deref()
        .and_then(|id| model.and_then(|m| m.stage(id)))
        .map_or(0, |stage| stage.order)
}
