//! Advice v2 (models 1.2.0), worked by hand as a consultant reads it: done practices are never
//! advised, missing prerequisites are pulled in, the plan comes in phases, the sector leaves out
//! what does not fit it, and the choice of objectives and ambition stays the client's. Each case
//! says in its name what a consultant expects.

use super::*;
use crate::domain::Sector;
use crate::domain::scoring::cross_model::{self, CrossInsightCode};
use crate::domain::scoring::roadmap::{Phase, roadmap};

/// Every latest (1.2.0) model on the same answers, in the sector, without targets or focus.
fn advise<'c>(catalog: &'c Catalog, answers: &AnswerSet, sector: Sector) -> Advice<'c> {
    let results: Vec<ModelResult<'c>> = catalog
        .latest_models()
        .map(|model| {
            assert_eq!(model.version.to_string(), "1.2.0");
            let ambition = Ambition {
                sector: Some(sector),
                ..Ambition::default()
            };
            score_model(model, answers, ambition).unwrap()
        })
        .collect();
    Advice {
        roadmap: roadmap(&results, catalog.actions()),
        insights: cross_model::observe(&results),
        results,
    }
}

/// A 12-person municipal communications team: audiences, channels and profiles in order; a
/// social media policy written (4) and known (4); an owner and a budget; publishes, answers and
/// watches its own accounts with a free tool, and has a paid listening tool; observes comparable
/// municipalities. What it lacks is goals: hardly any social media goals (1), none derived from
/// the municipal strategy (0), nothing ties listening to goals.
const MUNICIPALITY: &[(&str, i64)] = &[
    ("audience-defined", 4),
    ("channels-chosen", 4),
    ("audience-platforms-mapped", 3),
    ("platform-profiles", 4),
    ("platform-tools-used", 3),
    ("social-goals-defined", 1),
    ("goals-derived-from-strategy", 0),
    ("online-offline-goals-integrated", 1),
    ("resources-allocated", 3),
    ("owner-assigned", 4),
    ("social-media-roles-defined", 3),
    ("social-media-plan", 1),
    ("policy-documented", 4),
    ("policy-known", 4),
    ("cross-department-use", 2),
    ("own-content-published", 4),
    ("content-calendar", 3),
    ("content-informed-by-listening", 1),
    ("own-accounts-monitored", 4),
    ("conversations-tracked", 3),
    ("conversation-reporting", 3),
    ("alerts-configured", 3),
    ("name-searches", 3),
    ("risk-procedure", 3),
    ("free-monitoring-tools", 4),
    ("paid-listening-tools", 3),
    // Share of voice means nothing to a municipality: a 0 here must not hold it back.
    ("share-of-voice", 0),
    ("competitors-observed", 3),
    ("sentiment-tracked", 2),
    ("audience-behaviour-studied", 2),
    ("listening-tied-to-goals", 0),
    ("business-impact-measured", 0),
    ("questions-answered", 4),
    ("responses-weighed", 3),
    ("ideas-compliments-followed-up", 3),
    ("dialogue-over-broadcast", 2),
    ("response-guidelines-written", 3),
    ("discussion-participation", 1),
    ("employees-activated", 1),
    ("partners-involved", 2),
    ("ambassadors-identified", 1),
    ("ambassadors-activated", 0),
    ("employees-follow-conversations", 1),
    ("employees-respond", 1),
    ("community-facilitated", 0),
    ("own-social-platform", 0),
    ("new-social-concepts", 0),
    ("peer-support", 0),
    ("crowdsourcing", 0),
];

#[test]
fn a_municipality_with_a_written_policy_is_told_to_set_goals_first_and_never_to_write_a_policy() {
    let catalog = catalog();
    let advice = advise(&catalog, &one(MUNICIPALITY), Sector::Public);

    // Cone: Initiation (audience 1.0; channels (1 + 0.75·0.5 + 1·0.5) / 2 = 0.94). Diffusion is
    // held back by goals alone: (0.25 + 0·0.5) / 1.5 = 0.17, while resources (0.75 + 1·0.5) / 1.5
    // = 0.83 and the policy (1.0) are in place, and so is all of Maturity: content
    // (1 + 0.75·0.5) / 1.5 = 0.92, monitoring (1 + 0.75 + 0.75) / 3 = 0.83.
    let cone = advice.result("social-strategy-cone");
    assert_eq!(advice.stage("social-strategy-cone"), Some("initiation"));
    assert_eq!(cone.stages[1].blocking.as_slice(), ["goals"]);
    assert_eq!(
        insight_ids(cone, InsightCode::AheadOfStage),
        [vec!["goals", "content-activities", "monitoring"]]
    );
    assert_eq!(cone.elements.iter().filter(|e| e.in_place).count(), 6);
    assert_eq!(
        actions(cone),
        [
            (1, "goals", "set-measurable-goals"),
            (2, "goals", "link-goals-to-strategy")
        ]
    );

    // The written, known policy is done work: shown as such, advised nowhere.
    assert_eq!(
        advice.done("social-strategy-cone", "policy"),
        ["write-social-media-policy"]
    );
    assert_eq!(
        advice.done("strategy-learning-curve", "policy-awareness"),
        ["write-social-media-policy", "teach-policy-to-all-employees"]
    );
    let plan = advice.plan();
    for done in [
        "write-social-media-policy",
        "teach-policy-to-all-employees",
        "adopt-paid-listening-tool",
        "observe-competitors",
        "monitor-own-accounts",
        "track-conversations",
    ] {
        assert!(!plan.contains(&done), "{done} is done, yet advised");
    }

    // Public sector: share of voice is left out of the score, so social listening is
    // (0.75 + 0.75·0.5) / 1.5 = 0.75, in place; a business with the same answers scores
    // (0.75 + 0 + 0.375) / 2.5 = 0.45 there and stays at monitoring.
    assert_eq!(advice.stage("listening-maturity"), Some("social-listening"));
    let business = advise(&catalog, &one(MUNICIPALITY), Sector::Business);
    assert_eq!(
        business.stage("listening-maturity"),
        Some("social-media-monitoring")
    );
    for unfit in [
        "measure-share-of-voice",
        "feed-insights-to-sales-and-marketing",
    ] {
        assert!(!plan.contains(&unfit), "{unfit} advised to a municipality");
    }

    // The first 90 days: goals first — the gap three lenses see (Cone Diffusion, the Learning
    // Curve's Integrated stage, Listening's strategic phase) and the Rose's partners need —
    // then tying them to the strategy (two lenses, four steps wait on it); then the two
    // outside-in steps that the Pyramid's Listen and the Ambitie Model's Observe share, the one
    // more steps wait on first; identifying ambassadors (Learning Curve, Rose), which one more
    // step waits on, before tracking sentiment, which none does.
    assert_eq!(
        advice.phase(Phase::Now),
        [
            "set-measurable-goals",
            "link-goals-to-strategy",
            "study-audience-behaviour",
            "identify-ambassadors",
            "track-sentiment",
        ]
    );
    let goals = advice.item("set-measurable-goals");
    assert_eq!(goals.kind, RecommendationKind::Next);
    let mut lenses: Vec<&str> = goals.reasons.iter().map(|r| r.model.id.as_str()).collect();
    lenses.sort_unstable();
    lenses.dedup();
    assert_eq!(
        lenses,
        [
            "communicatieroos",
            "listening-maturity",
            "social-strategy-cone",
            "strategy-learning-curve"
        ]
    );
    // Every element that calls for a step is among its reasons: the plan is the Learning Curve's
    // own Integrated element and what cross-departmental execution needs first.
    let plan_reasons: Vec<(&str, &str, RecommendationKind)> = advice
        .item("write-social-media-plan")
        .reasons
        .iter()
        .map(|r| (r.model.id.as_str(), r.element.id.as_str(), r.kind))
        .collect();
    assert_eq!(
        plan_reasons,
        [
            (
                "strategy-learning-curve",
                "social-media-plan",
                RecommendationKind::Next
            ),
            (
                "strategy-learning-curve",
                "cross-departmental-execution",
                RecommendationKind::Prerequisite
            ),
        ]
    );
    // Reasons pass down the whole chain: the plan needs goals tied to the strategy, which need
    // the goals, so the goals carry the plan as a reason too.
    let goal_reasons: Vec<(&str, &str)> = advice
        .item("set-measurable-goals")
        .reasons
        .iter()
        .map(|r| (r.model.id.as_str(), r.element.id.as_str()))
        .collect();
    assert!(
        goal_reasons.contains(&("strategy-learning-curve", "social-media-plan")),
        "{goal_reasons:?}"
    );
    // The Groundswell objectives are the municipality's to choose: the choice is advised, no
    // objective is (People is in place: (0.75 + 0.5 + 1·0.5) / 2.5 = 0.7).
    let groundswell = advice.result("groundswell-objectives");
    assert_eq!(groundswell.focus, None);
    assert_eq!(actions(groundswell), [(1, "people", "choose-objectives")]);
    assert_eq!(advice.item("choose-objectives").phase, Phase::Next);
    // The Rose's profile: Send (own content 1.0, employee posts unanswered) is strongest,
    // Activate ((0 + 0.25·0.5) / 1.5 = 0.08) weakest.
    let rose = advice.result("communicatieroos").profile.as_ref().unwrap();
    assert_eq!(
        (rose.strongest.as_slice(), rose.weakest.as_slice()),
        (&["send".into()][..], &["activate".into()][..])
    );
    assert!(
        advice
            .insights(CrossInsightCode::ContestedBlocker)
            .is_empty()
    );
}

/// A 60-person machine builder with one LinkedIn page: it knows its audience, publishes well
/// (4) and answers questions (3), but set no alerts, searches no names and tracks nothing.
const MACHINE_BUILDER: &[(&str, i64)] = &[
    ("audience-defined", 3),
    ("channels-chosen", 3),
    ("audience-platforms-mapped", 2),
    ("platform-profiles", 4),
    ("platform-tools-used", 3),
    ("owner-assigned", 3),
    ("own-content-published", 4),
    ("content-calendar", 2),
    ("questions-answered", 3),
    ("responses-weighed", 2),
    ("dialogue-over-broadcast", 2),
    ("discussion-participation", 1),
    ("alerts-configured", 0),
    ("own-accounts-monitored", 1),
    ("name-searches", 0),
    ("conversations-tracked", 0),
    ("sentiment-tracked", 0),
    ("audience-behaviour-studied", 1),
    ("free-monitoring-tools", 0),
    ("competitors-observed", 1),
    ("social-goals-defined", 0),
    ("goals-derived-from-strategy", 0),
    ("policy-documented", 0),
    ("resources-allocated", 1),
];

#[test]
fn a_firm_that_publishes_without_listening_starts_with_alerts_and_is_warned() {
    let catalog = catalog();
    let advice = advise(&catalog, &one(MACHINE_BUILDER), Sector::Business);

    // Pyramid: Monitor (0 + 0.25 + 0) / 3 = 0.08 blocks the first layer, while Respond
    // (0.75 + 0.5) / 2 = 0.625 (exactly the threshold) and Create (1 + 0.5·0.5) / 1.5 = 0.83
    // are in place above it.
    assert_eq!(advice.stage("social-media-pyramid"), None);
    assert_eq!(
        insight_ids(
            advice.result("social-media-pyramid"),
            InsightCode::SkippedFoundation
        ),
        [vec!["respond", "monitor"], vec!["create", "monitor"]]
    );
    // The Learning Curve stays Emerging: informal monitoring scores 0.25.
    assert_eq!(advice.stage("strategy-learning-curve"), Some("emerging"));
    let codes: Vec<CrossInsightCode> = advice.insights.iter().map(|i| i.code).collect();
    assert!(codes.contains(&CrossInsightCode::InsideOutBeforeOutsideIn));
    assert!(codes.contains(&CrossInsightCode::InsideOutBeforeTactical));

    // Alerts come first: the Pyramid, the Learning Curve and Listening ask for them, and the
    // Ambitie Model's sentiment tracking needs them. Nothing inside-out is planned before the
    // listening basics, and publishing, which it does well, is not advised at all.
    let plan = advice.plan();
    assert_eq!(plan[0], "set-up-alerts");
    assert!(!plan.contains(&"publish-own-content"));
    // The first 90 days: the alerts, watching the own accounts (the Pyramid, the Learning Curve
    // and the Rose's ambassadors all need it) and searching the names; then the goals that hold
    // the Cone at Initiation, and the policy that follows from them.
    assert_eq!(
        advice.phase(Phase::Now),
        [
            "set-up-alerts",
            "monitor-own-accounts",
            "search-names",
            "set-measurable-goals",
            "write-social-media-policy",
        ]
    );
    for item in advice.roadmap.iter().filter(|i| i.phase == Phase::Now) {
        assert!(
            item.reasons
                .iter()
                .any(|r| r.element.orientation != Some(crate::domain::Orientation::InsideOut)),
            "{} is inside-out work in the first 90 days",
            item.action.id
        );
    }
    // A policy "that follows from your goals" comes after the goals, which are pulled in.
    assert!(advice.rank("set-measurable-goals") < advice.rank("write-social-media-policy"));
    // Mapping the social market needs the SWOT first (seed 001); nobody answered whether there
    // is one, so it is a prerequisite to check, not a gap to assert.
    let swot = advice.item("run-social-media-swot");
    assert_eq!(swot.kind, RecommendationKind::Prerequisite);
    assert_eq!(swot.evidence, Evidence::Unknown);
    assert!(swot.unblocks.contains(&"map-social-market"));
    assert!(advice.rank("run-social-media-swot") < advice.rank("map-social-market"));
}

/// A 2,000-person telecom with a mature social organisation: every practice mostly or fully in
/// place, its ambassadors identified and trained; its employees follow conversations (3) but
/// rarely respond themselves (2); no new social concepts (1).
fn telecom() -> AnswerSet {
    let catalog = catalog();
    let mut answers: Vec<(&str, i64)> = catalog
        .indicators()
        .iter()
        .filter(|i| !i.retired)
        .map(|i| (i.id.as_str(), 4))
        .collect();
    for (id, value) in [
        ("employees-follow-conversations", 3),
        ("employees-respond", 2),
        ("employees-speak-without-approval", 2),
        ("new-social-concepts", 1),
    ] {
        answers.iter_mut().find(|(i, _)| *i == id).unwrap().1 = value;
    }
    let answers: Vec<(String, i64)> = answers
        .into_iter()
        .map(|(i, v)| (i.to_owned(), v))
        .collect();
    let answers: Vec<(&str, i64)> = answers.iter().map(|(i, v)| (i.as_str(), *v)).collect();
    one(&answers)
}

#[test]
fn a_mature_organisation_without_a_target_is_offered_innovation_and_asked_to_choose_objectives() {
    let catalog = catalog();
    let advice = advise(&catalog, &telecom(), Sector::Business);

    assert_eq!(advice.stage("social-strategy-cone"), Some("maturity"));
    assert_eq!(advice.stage("social-media-pyramid"), Some("create"));
    assert_eq!(
        advice.stage("listening-maturity"),
        Some("social-intelligence")
    );
    // Employee enablement (0.75 + 0.5 + 1·0.5) / 2.5 = 0.7: in place, so the Learning Curve's
    // Social stage is reached, with room to strengthen.
    assert_eq!(advice.stage("strategy-learning-curve"), Some("social"));
    // Ambitie: Create is the highest layer in place; Innovate (0.25) is how far the telecom may
    // choose to go, an option for later, never pushed as the next step.
    assert_eq!(advice.stage("ambitie-model"), Some("create"));
    let ambitie = advice.result("ambitie-model");
    assert!(
        ambitie
            .recommendations
            .iter()
            .all(|r| r.kind == RecommendationKind::Option)
    );
    let innovate = advice.item("explore-new-social-concept");
    assert_eq!(
        (innovate.kind, innovate.phase),
        (RecommendationKind::Option, Phase::Later)
    );

    // The trained ambassadors are done work.
    let plan = advice.plan();
    assert!(!plan.contains(&"inspire-ambassadors"));
    assert!(!plan.contains(&"identify-ambassadors"));
    assert_eq!(
        advice.done("groundswell-objectives", "energizing"),
        ["identify-ambassadors", "inspire-ambassadors"]
    );

    // The one thing for the first 90 days is the telecom's own choice of objectives; the rest
    // strengthens what is there: employees who respond themselves, which trusting them to speak
    // without approval rests on (so it is that step's prerequisite, the first kind among its
    // reasons), then that trust.
    assert_eq!(advice.phase(Phase::Now), ["choose-objectives"]);
    assert!(advice.phase(Phase::Next).is_empty());
    let respond = advice.item("equip-employees-to-respond");
    assert_eq!(
        (respond.kind, respond.phase, respond.evidence),
        (
            RecommendationKind::Prerequisite,
            Phase::Later,
            Evidence::Missing
        )
    );
    assert_eq!(respond.unblocks.as_slice(), ["trust-employees"]);
    let trust = advice.item("trust-employees");
    assert_eq!(
        (trust.kind, trust.phase),
        (RecommendationKind::Strengthen, Phase::Later)
    );
    assert!(advice.rank("equip-employees-to-respond") < advice.rank("trust-employees"));
    // Objectives nobody chose are not strengthened either.
    assert_eq!(
        actions(advice.result("groundswell-objectives")),
        [(1, "people", "choose-objectives")]
    );
    // Level-5 leadership is a means no answer shows: only toward a target that includes Social.
    assert!(!plan.contains(&"develop-level-5-leadership"));
}

#[test]
fn two_respondents_who_disagree_on_the_goals_that_block_diffusion_are_asked_to_confirm() {
    let catalog = catalog();
    let with = |overrides: &[(&str, i64)]| -> Vec<(&str, Option<i64>)> {
        MUNICIPALITY
            .iter()
            .map(|(id, v)| {
                let v = overrides
                    .iter()
                    .find(|(o, _)| o == id)
                    .map_or(*v, |(_, o)| *o);
                (*id, Some(v))
            })
            .collect()
    };
    // The communications lead says the goals are set and derived from the strategy; the alderman's
    // advisor says there are none. Means 2 and 1.5: goals (0.5 + 0.375·0.5) / 1.5 = 0.46, still
    // not in place, so Diffusion stays blocked — on answers that differ by 4 and 3 points.
    let lead = respondent(&with(&[
        ("social-goals-defined", 4),
        ("goals-derived-from-strategy", 3),
    ]));
    let advisor = respondent(&with(&[
        ("social-goals-defined", 0),
        ("goals-derived-from-strategy", 0),
    ]));
    let advice = advise(&catalog, &aggregate(&[lead, advisor]), Sector::Public);
    assert_eq!(advice.stage("social-strategy-cone"), Some("initiation"));

    let contested = advice.insights(CrossInsightCode::ContestedBlocker);
    assert_eq!(contested.len(), 1, "one insight for the set: {contested:?}");
    let contested = contested[0];
    let behind: Vec<(&str, &str)> = contested
        .behind
        .iter()
        .map(|e| (e.model_id.as_ref(), e.element_id.as_ref()))
        .collect();
    assert!(behind.contains(&("social-strategy-cone", "goals")));
    assert!(behind.contains(&("strategy-learning-curve", "strategic-goal-alignment")));
    let mut indicators: Vec<&str> = contested.indicator_ids.iter().map(AsRef::as_ref).collect();
    indicators.sort_unstable();
    assert_eq!(
        indicators,
        ["goals-derived-from-strategy", "social-goals-defined"]
    );
    // The advice still starts there: a consultant confirms it with both, then acts.
    assert_eq!(advice.plan()[0], "set-measurable-goals");
}
