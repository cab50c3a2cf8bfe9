//! Advice an agency can put in front of its client: the 1.1.0 models, placed and planned as a
//! consultant would. Each case says in its name what a consultant expects.

use super::*;
use crate::domain::Lang;
use crate::domain::scoring::Id;
use crate::domain::scoring::cross_model::{self, CrossInsightCode};
use crate::domain::scoring::roadmap::roadmap;

/// The seven models at version 1.1.0, in the catalogue's order.
fn models_1_1(catalog: &Catalog) -> impl Iterator<Item = &Model> {
    catalog
        .latest_models()
        .map(|latest| model(catalog, &latest.id, "1.1.0"))
}

/// Every model at 1.1.0 on the same answers, without targets or focus.
fn advise<'c>(catalog: &'c Catalog, answers: &AnswerSet) -> Advice<'c> {
    let results: Vec<ModelResult<'c>> = models_1_1(catalog)
        .map(|model| score_model(model, answers, Ambition::default()).unwrap())
        .collect();
    Advice {
        roadmap: roadmap(&results, catalog.actions()),
        insights: cross_model::observe(&results),
        results,
    }
}

/// Every indicator the 1.1.0 models ask, answered `value`.
fn everywhere(catalog: &Catalog, value: i64) -> AnswerSet {
    let mut ids: Vec<&str> = Vec::new();
    for model in models_1_1(catalog) {
        for indicator in model.indicator_ids() {
            if !ids.contains(&indicator) {
                ids.push(indicator);
            }
        }
    }
    let answers: Vec<(&str, i64)> = ids.into_iter().map(|id| (id, value)).collect();
    one(&answers)
}

fn ids<'a>(items: &'a [Id<'_>]) -> Vec<&'a str> {
    items.iter().map(AsRef::as_ref).collect()
}

/// A 15-person firm: its one marketer created the profiles, watches the own accounts every day
/// and answers questions — the Learning Curve's Tactical stage word for word — but set no alerts,
/// did no formal analysis and has no goals, policy or listening yet.
fn small_firm() -> AnswerSet {
    one(&[
        ("audience-defined", 2),
        ("channels-chosen", 3),
        ("audience-platforms-mapped", 1),
        ("platform-profiles", 4),
        ("owner-assigned", 4),
        ("own-accounts-monitored", 4),
        ("questions-answered", 4),
        ("responses-weighed", 2),
        ("alerts-configured", 0),
        ("name-searches", 1),
        ("conversations-tracked", 1),
        ("sentiment-tracked", 0),
        ("audience-behaviour-studied", 1),
        ("own-content-published", 2),
        ("content-calendar", 1),
        ("content-informed-by-listening", 1),
        ("social-goals-defined", 1),
        ("resources-allocated", 1),
        ("policy-documented", 0),
        ("employees-activated", 1),
        ("partners-involved", 0),
    ])
}

#[test]
fn a_small_firm_doing_the_tactical_work_is_tactical_and_starts_with_listening_basics() {
    let catalog = catalog();
    let advice = advise(&catalog, &small_firm());
    // Tactical: profiles 4 (tools unanswered), one owner 4, own accounts 4: all 1.0. No SWOT or
    // alerts gate it any more.
    assert_eq!(advice.stage("strategy-learning-curve"), Some("tactical"));
    // Cone: target audience 2/4 = 0.5 < 0.625, so not even Initiation.
    assert_eq!(advice.stage("social-strategy-cone"), None);
    // Pyramid: monitor (0 + 4 + 1) / 12 = 0.42; respond (4 + 2) / 8 = 0.75 in place on top of it.
    assert_eq!(advice.stage("social-media-pyramid"), None);
    let pyramid = advice.result("social-media-pyramid");
    assert_eq!(
        insight_ids(pyramid, InsightCode::SkippedFoundation),
        [vec!["respond", "monitor"]]
    );
    assert!(
        advice
            .insight_codes()
            .contains(&CrossInsightCode::InsideOutBeforeOutsideIn)
    );
    assert!(
        !advice
            .insight_codes()
            .contains(&CrossInsightCode::InsideOutBeforeTactical)
    );

    let plan = advice.plan();
    // First the alerts: outside-in (Pyramid Monitor, Listening's reactive alerts), the lowest
    // stage position and score (0). Then knowing the audience, the goals and the policy that
    // follows from them. Watching the own accounts is not advised: it is done (4).
    assert_eq!(plan[0], "set-up-alerts");
    let mut basics = plan[..6].to_vec();
    basics.sort_unstable();
    assert_eq!(
        basics,
        [
            "define-target-audiences",
            "search-names",
            "set-measurable-goals",
            "set-up-alerts",
            "study-audience-behaviour",
            "write-social-media-policy",
        ]
    );
    assert!(!plan.contains(&"monitor-own-accounts"));
    // Advice for large organisations comes late. (Groundswell 1.1.0 has no choice of objectives
    // to advise, so without a focus it advises its two weakest; 1.2.0 asks for the choice: see
    // `advice_v2`.)
    let at = |id: &str| plan.iter().position(|a| *a == id).unwrap();
    assert!(at("appoint-social-media-manager") > at("set-up-alerts"));
}

#[test]
fn a_retailer_with_a_team_plan_and_paid_tools_is_integrated_consistently_across_models() {
    let catalog = catalog();
    let mut answers: Vec<(&str, i64)> = vec![
        ("audience-defined", 4),
        ("audience-platforms-mapped", 4),
        ("channels-chosen", 4),
        ("platform-profiles", 4),
        ("platform-tools-used", 4),
        ("social-goals-defined", 4),
        ("goals-derived-from-strategy", 3),
        ("online-offline-goals-integrated", 3),
        ("social-media-plan", 4),
        ("resources-allocated", 4),
        ("policy-documented", 4),
        ("policy-known", 2),
        ("owner-assigned", 4),
        ("social-media-roles-defined", 4),
        ("cross-department-use", 3),
        ("employees-activated", 2),
        ("employees-follow-conversations", 1),
        ("employees-respond", 1),
        ("partners-involved", 2),
        ("organisation-wide-content-input", 1),
        ("alerts-configured", 4),
        ("own-accounts-monitored", 4),
        ("name-searches", 4),
        ("risk-procedure", 3),
        ("conversations-tracked", 4),
        ("share-of-voice", 3),
        ("competitors-observed", 3),
        ("sentiment-tracked", 3),
        ("audience-behaviour-studied", 3),
        ("employee-posts-followed", 2),
        ("conversation-reporting", 3),
        ("listening-tied-to-goals", 3),
        ("business-impact-measured", 2),
        ("listening-data-products", 2),
        ("listening-data-commercial", 2),
        ("listening-data-service", 2),
        ("questions-answered", 4),
        ("responses-weighed", 3),
        ("ideas-compliments-followed-up", 3),
        ("dialogue-over-broadcast", 3),
        ("own-content-published", 4),
        ("content-calendar", 4),
        ("content-informed-by-listening", 3),
        ("discussion-participation", 1),
        ("ambassadors-identified", 3),
        ("ambassadors-activated", 2),
    ];
    for absent in [
        "community-facilitated",
        "community-manager",
        "peer-support",
        "crowdsourcing",
    ] {
        answers.push((absent, 0));
    }
    let advice = advise(&catalog, &one(&answers));
    // Integrated: every Integrated element at 0.75 or more; Social blocked by the policy being
    // known to all employees only partly (0.5).
    assert_eq!(advice.stage("strategy-learning-curve"), Some("integrated"));
    assert_eq!(advice.stage("social-strategy-cone"), Some("maturity"));
    assert_eq!(advice.stage("social-media-pyramid"), Some("create"));
    // Strategic listening: (3 + 2) / 8 = 0.625, exactly the threshold; social intelligence 0.5.
    assert_eq!(
        advice.stage("listening-maturity"),
        Some("strategic-listening")
    );
    // Ambitie stops at Respond: it does not take part in other people's discussions (1/4).
    assert_eq!(advice.stage("ambitie-model"), Some("respond"));
    // The Learning Curve (3/4) no longer contradicts the Cone and the Pyramid (both 1); only the
    // Ambitie model diverges, and the insights say what holds it back.
    for insight in &advice.insights {
        assert_eq!(insight.code, CrossInsightCode::DivergingPlacements);
        assert_eq!(insight.model_ids[1], "ambitie-model", "{insight:?}");
        assert_eq!(ids(&insight.indicator_ids), ["discussion-participation"]);
    }
    assert!(!advice.insights.is_empty());
    // Social, weakest first: content input 1/4 = 0.25, employee enablement
    // (0.25 + 0.25 + 0.5 x 0.5) / 2.5 = 0.3, policy awareness 0.5.
    let curve = advice.result("strategy-learning-curve");
    let order: Vec<&str> = curve
        .recommendations
        .iter()
        .map(|r| r.element.id.as_str())
        .collect();
    assert_eq!(order[0], "organisation-wide-content");
    // Each action once: what equipping employees and teaching the policy need comes with the
    // first element that calls for it.
    let actions: Vec<&str> = curve
        .recommendations
        .iter()
        .map(|r| r.action.id.as_str())
        .collect();
    for needed in [
        "equip-employees-to-monitor",
        "teach-policy-to-all-employees",
    ] {
        assert!(actions.contains(&needed), "{needed}: {actions:?}");
    }
}

#[test]
fn partly_everywhere_reaches_no_stage_above_emerging_and_gets_a_plan_from_the_basics() {
    let catalog = catalog();
    let advice = advise(&catalog, &everywhere(&catalog, 2));
    // Every element scores 2/4 = 0.5 < 0.625: nothing is in place.
    for result in &advice.results {
        assert!(
            result.elements.iter().all(|e| !e.in_place),
            "{}",
            result.model.id
        );
    }
    assert_eq!(advice.stage("strategy-learning-curve"), Some("emerging"));
    for id in [
        "social-strategy-cone",
        "social-media-pyramid",
        "listening-maturity",
        "ambitie-model",
    ] {
        assert_eq!(advice.stage(id), None, "{id}");
    }
    let plan = advice.plan();
    // All scores tie at 0.5, so the number of lenses decides: the alerts (six of the seven
    // models need them, directly or for a step of theirs), then the audience (five), then
    // watching the own accounts (four), which needs no market map first.
    assert_eq!(
        plan[..3],
        [
            "set-up-alerts",
            "define-target-audiences",
            "monitor-own-accounts"
        ]
    );
    assert!(advice.roadmap.iter().all(|i| matches!(
        i.kind,
        RecommendationKind::Next | RecommendationKind::Prerequisite
    )));
    assert!(advice.insights.is_empty(), "placements agree: nowhere");
}

#[test]
fn mostly_everywhere_is_the_top_of_every_model_with_nothing_missing() {
    let catalog = catalog();
    let answers = everywhere(&catalog, 3);
    let advice = advise(&catalog, &answers);
    for (id, top) in [
        ("social-strategy-cone", "maturity"),
        ("strategy-learning-curve", "social"),
        ("social-media-pyramid", "create"),
        ("listening-maturity", "social-intelligence"),
        ("ambitie-model", "innovate"),
    ] {
        assert_eq!(advice.stage(id), Some(top));
    }
    // Every element at 0.75, "mostly": nothing to put in place and nothing below "mostly" to
    // strengthen.
    assert!(advice.roadmap.is_empty());
    assert!(advice.insights.is_empty());
    // At the target, exactly 1.
    let curve = model(&catalog, "strategy-learning-curve", "1.1.0");
    let result = score_model(curve, &answers, Ambition::target(Some("social"))).unwrap();
    assert_eq!(result.percent_to_target, Some(1.0));
}

#[test]
fn a_mature_client_gets_strengthening_advice_for_what_is_in_place_below_mostly() {
    let catalog = catalog();
    let pyramid = model(&catalog, "social-media-pyramid", "1.1.0");
    // Every layer in place, Listen and Create only at (3 + 3 + 2) / 12 = 0.67 and
    // (1 x 3 + 1 x 2 + 0.5 x 3) / 2.5 = 0.65.
    let answers = one(&[
        ("alerts-configured", 4),
        ("own-accounts-monitored", 4),
        ("name-searches", 4),
        ("conversations-tracked", 3),
        ("sentiment-tracked", 3),
        ("audience-behaviour-studied", 2),
        ("questions-answered", 4),
        ("responses-weighed", 4),
        ("own-content-published", 3),
        ("content-informed-by-listening", 2),
        ("content-calendar", 3),
    ]);
    let result = score_model(pyramid, &answers, Ambition::default()).unwrap();
    assert_eq!(stage_of(&result), Some("create"));
    let strengthened: Vec<(&str, RecommendationKind)> = result
        .recommendations
        .iter()
        .map(|r| (r.element.id.as_str(), r.kind))
        .collect();
    let create = (1.0 * 0.75 + 0.5 + 0.5 * 0.75) / 2.5;
    assert_close!(score_of(&result, "create").unwrap(), create);
    // Weakest first: create 0.65, then listen 0.67; what a strengthening step needs and is not
    // done comes with it as a prerequisite.
    assert_eq!(strengthened[0].0, "create");
    assert!(strengthened.iter().all(|(_, kind)| matches!(
        kind,
        RecommendationKind::Strengthen | RecommendationKind::Prerequisite
    )));
    assert!(strengthened.iter().any(|(e, _)| *e == "listen"));
    assert!(
        !strengthened.iter().any(|(e, _)| *e == "monitor"),
        "monitor is at 1.0"
    );
}

#[test]
fn content_before_listening_is_called_out_across_models_and_listening_comes_first() {
    let catalog = catalog();
    let advice = advise(
        &catalog,
        &one(&[
            ("platform-profiles", 4),
            ("owner-assigned", 4),
            ("own-content-published", 4),
            ("content-calendar", 4),
            ("questions-answered", 4),
            ("responses-weighed", 3),
            ("discussion-participation", 3),
            ("alerts-configured", 0),
            ("own-accounts-monitored", 1),
            ("name-searches", 0),
            ("conversations-tracked", 0),
            ("sentiment-tracked", 0),
            ("audience-behaviour-studied", 1),
        ]),
    );
    let pyramid = advice.result("social-media-pyramid");
    // Respond (4 + 3) / 8 and Create (4 + 0.5 x 4) / 1.5 (informed-by-listening unanswered) are in
    // place on a Monitor layer at 1/12.
    assert_eq!(
        insight_ids(pyramid, InsightCode::SkippedFoundation),
        [vec!["respond", "monitor"], vec!["create", "monitor"]]
    );
    let outside_in = advice
        .insights
        .iter()
        .find(|i| i.code == CrossInsightCode::InsideOutBeforeOutsideIn)
        .unwrap();
    let ahead: Vec<(&str, &str)> = outside_in
        .ahead
        .iter()
        .map(|r| (r.model_id.as_ref(), r.element_id.as_ref()))
        .collect();
    assert!(ahead.contains(&("social-strategy-cone", "content-activities")));
    assert!(ahead.contains(&("ambitie-model", "participate")));
    assert!(
        outside_in
            .indicator_ids
            .contains(&"alerts-configured".into())
    );
    // Own accounts at 1/4: the Learning Curve is below Tactical while the Pyramid responds.
    assert_eq!(advice.stage("strategy-learning-curve"), Some("emerging"));
    assert!(
        advice
            .insight_codes()
            .contains(&CrossInsightCode::InsideOutBeforeTactical)
    );
    // The plan starts with listening and never publishes more before it listens.
    let plan = advice.plan();
    assert_eq!(plan[0], "set-up-alerts");
    assert!(
        !plan.contains(&"publish-own-content"),
        "content is in place already"
    );
}

#[test]
fn an_unanswered_foundation_is_unknown_not_missing() {
    let catalog = catalog();
    let answers = one(&[("questions-answered", 4), ("responses-weighed", 4)]);
    let pyramid = model(&catalog, "social-media-pyramid", "1.1.0");
    let result = score_model(pyramid, &answers, Ambition::default()).unwrap();
    assert_eq!(
        insight_ids(&result, InsightCode::FoundationUnknown),
        [vec!["respond", "monitor"]]
    );
    assert!(insight_ids(&result, InsightCode::SkippedFoundation).is_empty());
    let insight = result
        .insights
        .iter()
        .find(|i| i.code == InsightCode::FoundationUnknown)
        .unwrap();
    assert!(
        insight
            .message(pyramid, Lang::En)
            .contains("nothing is known yet")
    );
    let rose = model(&catalog, "communicatieroos", "1.1.0");
    let result = score_model(rose, &answers, Ambition::default()).unwrap();
    assert_eq!(
        insight_ids(&result, InsightCode::FoundationUnknown)[0][0],
        "organise"
    );
}

#[test]
fn a_chosen_focus_drives_a_focus_models_advice() {
    let catalog = catalog();
    let rose = model(&catalog, "communicatieroos", "1.1.0");
    let answers = one(&[
        ("employees-activated", 3),
        ("partners-involved", 3), // organise 0.75: in place
        ("own-accounts-monitored", 1),
        ("conversations-tracked", 1), // listen 0.25: the weakest
        ("own-content-published", 2),
        ("employee-posts-followed", 2), // send 0.5
    ]);
    let default = score_model(rose, &answers, Ambition::default()).unwrap();
    let elements: Vec<&str> = default
        .recommendations
        .iter()
        .map(|r| r.element.id.as_str())
        .collect();
    // Without a choice, the Rose's two weakest petals not in place, unknown counting 0: Respond
    // and Activate (unanswered), ahead of Listen (0.25).
    assert!(
        elements.iter().all(|e| ["respond", "activate"].contains(e)),
        "the two weakest: {elements:?}"
    );
    let chosen = ["send".to_owned()];
    let focused = score_model(
        rose,
        &answers,
        Ambition {
            target: None,
            focus: Some(&chosen),
            sector: None,
        },
    )
    .unwrap();
    assert!(
        focused
            .recommendations
            .iter()
            .all(|r| r.element.id == "send")
    );
    assert_eq!(
        score_model(
            rose,
            &answers,
            Ambition {
                target: None,
                focus: Some(&["petal".to_owned()]),
                sector: None,
            }
        )
        .unwrap_err(),
        ScoringError::UnknownElement {
            model: "communicatieroos".into(),
            element: "petal".into()
        }
    );
}

#[test]
fn a_stage_above_a_block_says_it_is_blocked_lower_down() {
    let catalog = catalog();
    let pyramid = model(&catalog, "social-media-pyramid", "1.1.0");
    let result = score_model(pyramid, &small_firm(), Ambition::default()).unwrap();
    let blocked: Vec<(&str, Option<&str>)> = result
        .stages
        .iter()
        .map(|s| (s.stage.id.as_str(), s.blocked_below.map(|b| b.id.as_str())))
        .collect();
    assert_eq!(
        blocked,
        [
            ("monitor", None),
            ("listen", Some("monitor")),
            ("respond", Some("monitor")),
            ("create", Some("monitor"))
        ]
    );
}

#[test]
fn one_weakest_element_is_named_in_the_singular() {
    let catalog = catalog();
    let rose = model(&catalog, "communicatieroos", "1.1.0");
    let weakest = |ids: &[&'static str]| Insight {
        code: InsightCode::WeakestElements,
        element_ids: ids.iter().map(|id| (*id).into()).collect(),
        stage_id: None,
    };
    assert_eq!(
        weakest(&["listen"]).message(rose, Lang::En),
        format!(
            "The weakest element: {}.",
            rose.element("listen").unwrap().name.get(Lang::En)
        )
    );
    assert!(
        weakest(&["listen"])
            .message(rose, Lang::Nl)
            .starts_with("Het zwakste element: ")
    );
    assert!(
        weakest(&["listen", "send"])
            .message(rose, Lang::En)
            .starts_with("The weakest elements: ")
    );
}
