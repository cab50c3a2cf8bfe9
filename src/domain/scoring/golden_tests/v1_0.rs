//! The version 1.0.0 models under the current contract: all weights 1, in place at 0.5.

use super::*;

#[test]
fn cone_below_the_first_stage() {
    let catalog = catalog();
    let cone = model(&catalog, "social-strategy-cone", "1.0.0");
    let answers = one(&[
        ("audience-defined", 4),          // 1.0
        ("audience-platforms-mapped", 2), // 0.5  -> target-audience (1.0 + 0.5) / 2 = 0.75, in place
        ("channels-chosen", 1),           // 0.25
        ("platform-profiles", 0),         // 0.0  -> channel-choice 0.125, not in place
    ]);
    let result = score_model(cone, &answers, Ambition::target(None)).unwrap();
    assert_eq!(
        stage_of(&result),
        None,
        "initiation needs both of its elements"
    );
    assert_close!(score_of(&result, "target-audience").unwrap(), 0.75);
    assert_close!(score_of(&result, "channel-choice").unwrap(), 0.125);
    // Progress to initiation: (0.75 + 0.125) / 2.
    assert_close!(result.progress_to_next.unwrap(), 0.4375);
    // 4 of the cone's 15 indicators answered.
    assert_close!(result.coverage, 4.0 / 15.0);
    assert_eq!(result.percent_to_target, None);
    assert_eq!(
        actions(&result),
        [(1, "channel-choice", "choose-platforms")]
    );
    assert_eq!(
        insight_ids(&result, InsightCode::UnansweredElements),
        [vec![
            "goals",
            "resources",
            "policy",
            "content-activities",
            "monitoring"
        ]]
    );
    assert_eq!(result.stages[0].in_place[..], ["target-audience"]);
    assert_eq!(result.stages[0].blocking[..], ["channel-choice"]);
}

#[test]
fn cone_blocked_at_diffusion_with_a_target() {
    let catalog = catalog();
    let cone = model(&catalog, "social-strategy-cone", "1.0.0");
    let answers = one(&[
        ("audience-defined", 3),
        ("audience-platforms-mapped", 3), // 0.75
        ("channels-chosen", 3),
        ("platform-profiles", 3), // 0.75
        ("social-goals-defined", 2),
        ("goals-aligned-with-strategy", 2), // 0.5: exactly the threshold
        ("resources-allocated", 4),
        ("owner-assigned", 4), // 1.0
        ("policy-documented", 1),
        ("policy-known", 2), // (0.25 + 0.5) / 2 = 0.375
        ("own-content-published", 4),
        ("content-calendar", 4), // 1.0
        ("own-accounts-monitored", 4),
        ("conversations-tracked", 4),
        ("conversation-reporting", 4), // 1.0
    ]);
    let result = score_model(cone, &answers, Ambition::target(Some("maturity"))).unwrap();
    assert_eq!(
        stage_of(&result),
        Some("initiation"),
        "policy blocks diffusion"
    );
    // Progress to diffusion: (0.5 + 1.0 + 0.375) / 3.
    assert_close!(result.progress_to_next.unwrap(), 0.625);
    // Gaps up to maturity: only policy, 0.5 - 0.375 = 0.125; targets 7 x 0.5 = 3.5.
    assert_close!(result.percent_to_target.unwrap(), 1.0 - 0.125 / 3.5);
    assert_eq!(actions(&result), [(1, "policy", "write-policy")]);
    let diffusion = &result.stages[1];
    assert_eq!(
        (diffusion.reached, diffusion.blocking.as_slice()),
        (false, ["policy"].as_slice())
    );
    let maturity = &result.stages[2];
    assert!(
        !maturity.reached && maturity.blocking.is_empty(),
        "in place, but above a blocked stage"
    );
    assert!(
        insight_ids(&result, InsightCode::SkippedFoundation).is_empty(),
        "staged, not layered"
    );
    assert_close!(result.coverage, 1.0);
}

#[test]
fn cone_at_the_top_has_reached_its_target() {
    let catalog = catalog();
    let cone = model(&catalog, "social-strategy-cone", "1.0.0");
    let all: Vec<(&str, i64)> = cone.indicator_ids().map(|id| (id, 4)).collect();
    let result = score_model(cone, &one(&all), Ambition::target(Some("maturity"))).unwrap();
    assert_eq!(stage_of(&result), Some("maturity"));
    assert_eq!(result.progress_to_next, None);
    assert_close!(result.percent_to_target.unwrap(), 1.0);
    assert!(result.recommendations.is_empty());
    assert_eq!(insight_ids(&result, InsightCode::TargetReached).len(), 1);
}

#[test]
fn learning_curve_every_organisation_is_at_least_emerging() {
    let catalog = catalog();
    let curve = model(&catalog, "strategy-learning-curve", "1.0.0");
    let result = score_model(curve, &AnswerSet::default(), Ambition::target(None)).unwrap();
    assert_eq!(
        stage_of(&result),
        Some("emerging"),
        "a stage requiring nothing is always reached"
    );
    assert_close!(result.progress_to_next.unwrap(), 0.0);
    assert_close!(result.coverage, 0.0);
    // The next stage is Tactical: its six elements, all unscored, in the model's order; the
    // seed's Emerging advice (SWOT, social market, alerts) comes first.
    assert_eq!(
        actions(&result),
        [
            (1, "situation-analysis", "social-media-swot"),
            (2, "social-market-map", "map-social-market"),
            (3, "information-gathering", "set-up-alerts"),
            (4, "platform-presence", "create-profiles"),
            (5, "assigned-owner", "assign-owner"),
            (6, "informal-monitoring", "monitor-own-accounts"),
        ]
    );
}

#[test]
fn learning_curve_tactical_with_integrated_blocked_recommends_lowest_scores_first() {
    let catalog = catalog();
    let curve = model(&catalog, "strategy-learning-curve", "1.0.0");
    let answers = one(&[
        // Tactical: every element at 2/4 = 0.5, in place.
        ("swot-analysis", 2),
        ("audience-platforms-mapped", 2),
        ("alerts-configured", 2),
        ("platform-profiles", 2),
        ("owner-assigned", 2),
        ("own-accounts-monitored", 2),
        // Integrated:
        ("executive-sponsor", 4),           // 1.0
        ("social-media-team", 0),           // 0.0
        ("cross-department-use", 3),        // 0.75
        ("goals-aligned-with-strategy", 2), // 0.5
        ("social-media-plan", 1),           // 0.25
        ("conversations-tracked", 2),
        ("conversation-reporting", 4), // (0.5 + 1.0) / 2 = 0.75
                                       // ambassadors-identified unanswered: no score, counts 0 towards progress.
    ]);
    let result = score_model(curve, &answers, Ambition::target(None)).unwrap();
    assert_eq!(stage_of(&result), Some("tactical"));
    // (1.0 + 0.0 + 0.75 + 0.5 + 0.25 + 0.75 + 0.0) / 7
    assert_close!(result.progress_to_next.unwrap(), 3.25 / 7.0);
    // Lowest score first; the unscored element counts as 0 and keeps its place in the model.
    assert_eq!(
        actions(&result),
        [
            (1, "social-media-management", "appoint-manager"),
            (2, "ambassadors", "identify-ambassadors"),
            (3, "social-media-plan", "write-plan"),
        ]
    );
}

#[test]
fn pyramid_creating_content_without_listening_is_a_skipped_foundation() {
    let catalog = catalog();
    let pyramid = model(&catalog, "social-media-pyramid", "1.0.0");
    let answers = one(&[
        ("alerts-configured", 3),
        ("own-accounts-monitored", 3),
        ("name-searches", 2), // (0.75 + 0.75 + 0.5) / 3 = 2/3
        ("conversations-tracked", 1),
        ("sentiment-tracked", 0),
        ("audience-behaviour-studied", 1), // 0.5 / 3 = 1/6
        ("questions-answered", 4),
        ("response-guidelines", 2), // 0.75
        ("own-content-published", 4),
        ("content-informed-by-listening", 0),
        ("content-calendar", 4), // 2/3
    ]);
    let result = score_model(pyramid, &answers, Ambition::target(Some("create"))).unwrap();
    assert_eq!(stage_of(&result), Some("monitor"));
    assert_close!(score_of(&result, "listen").unwrap(), 1.0 / 6.0);
    assert_close!(result.progress_to_next.unwrap(), 1.0 / 6.0);
    assert_eq!(
        insight_ids(&result, InsightCode::SkippedFoundation),
        [vec!["respond", "listen"], vec!["create", "listen"]],
        "inside-out before outside-in"
    );
    let insight = result
        .insights
        .iter()
        .find(|i| i.code == InsightCode::SkippedFoundation)
        .unwrap();
    assert_eq!(
        insight.message(result.model, crate::domain::Lang::En),
        "Respond is in place while the layer Listen below it is not: a foundation is skipped."
    );
    assert_eq!(
        insight.message(result.model, crate::domain::Lang::Nl),
        "Reageren is op orde terwijl de laag Luisteren eronder dat niet is: een fundament is overgeslagen."
    );
    // Gaps up to Create: only listen, 0.5 - 1/6 = 1/3; targets 4 x 0.5 = 2.
    assert_close!(
        result.percent_to_target.unwrap(),
        1.0 - (0.5 - 1.0 / 6.0) / 2.0
    );
    assert_eq!(actions(&result), [(1, "listen", "analyse-conversations")]);
}

#[test]
fn groundswell_is_a_profile_with_its_weakest_objectives() {
    let catalog = catalog();
    let groundswell = model(&catalog, "groundswell-objectives", "1.0.0");
    let answers = one(&[
        ("conversations-tracked", 4),
        ("sentiment-tracked", 4),
        ("audience-behaviour-studied", 2), // 2.5 / 3
        ("own-content-published", 1),
        ("dialogue-over-broadcast", 1),
        ("discussion-participation", 0), // 0.5 / 3
        ("ambassadors-identified", 2),
        ("ambassadors-activated", 2), // 0.5
        ("crowdsourcing", 0),
        ("insights-used-by-business", 1), // 0.125
                                          // supporting: unanswered
    ]);
    let result = score_model(groundswell, &answers, Ambition::target(None)).unwrap();
    assert_eq!((stage_of(&result), result.progress_to_next), (None, None));
    let profile = result.profile.as_ref().unwrap();
    // Mean of the four scored objectives: (2.5/3 + 0.5/3 + 0.5 + 0.125) / 4 = 1.625 / 4.
    assert_close!(profile.mean.unwrap(), 0.40625);
    assert_eq!(profile.weakest, ["embracing"]);
    // No foundation in 1.0.0, no chosen focus, and no choice of objectives to advise (1.2.0 added
    // it): the two weakest elements not in place, unknown counting 0 (DOMAIN.md, focus choice).
    assert_eq!(
        actions(&result),
        [
            (1, "supporting", "enable-peer-support"),
            (2, "embracing", "crowdsource")
        ]
    );
    // Pursuing Supporting and Talking: both, weakest first (unanswered counts as 0).
    let chosen = ["talking".to_owned(), "supporting".to_owned()];
    let focused = score_model(
        groundswell,
        &answers,
        Ambition {
            target: None,
            focus: Some(&chosen),
            sector: None,
        },
    )
    .unwrap();
    assert_eq!(
        actions(&focused),
        [
            (1, "supporting", "enable-peer-support"),
            (2, "talking", "start-conversations")
        ]
    );
    assert_eq!(
        score_model(groundswell, &answers, Ambition::target(Some("listening"))).unwrap_err(),
        ScoringError::TargetOnFocusModel {
            model: "groundswell-objectives".into()
        }
    );
}

#[test]
fn communication_rose_flags_every_petal_when_organise_is_not_in_place() {
    let catalog = catalog();
    let rose = model(&catalog, "communicatieroos", "1.0.0");
    let answers = one(&[
        ("employees-activated", 1),
        ("partners-involved", 0),
        ("social-media-team", 2), // 0.75 / 3 = 0.25
        ("own-accounts-monitored", 4),
        ("conversations-tracked", 4), // 1.0
        ("questions-answered", 4),
        ("ideas-compliments-followed-up", 3),
        ("response-guidelines", 2), // 0.75
        ("own-content-published", 2),
        ("content-calendar", 2),
        ("employee-posts-followed", 2), // 0.5
        ("ambassadors-identified", 0),
        ("ambassadors-activated", 0), // 0.0
    ]);
    let result = score_model(rose, &answers, Ambition::target(None)).unwrap();
    assert_eq!(
        insight_ids(&result, InsightCode::FoundationNotInPlace),
        [vec!["organise", "listen", "respond", "send", "activate"]]
    );
    // (0.25 + 1.0 + 0.75 + 0.5 + 0.0) / 5
    assert_close!(result.profile.as_ref().unwrap().mean.unwrap(), 0.5);
    // Without a chosen focus: the foundation, then the two weakest petals not in place; only
    // Activate is not (Send's 0.5 meets 1.0.0's threshold of 0.5).
    assert_eq!(
        actions(&result),
        [
            (1, "organise", "organise-internally"),
            (2, "organise", "organise-externally"),
            (3, "activate", "activate-ambassadors"),
        ]
    );
    // Pursuing Activate adds it after the foundation.
    let chosen = ["activate".to_owned()];
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
    assert_eq!(
        actions(&focused),
        [
            (1, "organise", "organise-internally"),
            (2, "organise", "organise-externally"),
            (3, "activate", "activate-ambassadors"),
        ]
    );
    let organised = one(&[
        ("employees-activated", 2),
        ("partners-involved", 2),
        ("social-media-team", 2),
    ]);
    let result = score_model(rose, &organised, Ambition::target(None)).unwrap();
    assert!(insight_ids(&result, InsightCode::FoundationNotInPlace).is_empty());
}

#[test]
fn listening_maturity_with_two_respondents_averages_and_flags_disagreement() {
    let catalog = catalog();
    let listening = model(&catalog, "listening-maturity", "1.0.0");
    let answers = aggregate(&[
        respondent(&[
            ("alerts-configured", Some(4)),
            ("own-accounts-monitored", Some(4)),
            ("name-searches", Some(2)),
            ("risk-procedure", Some(2)),
            ("conversations-tracked", Some(4)),
            ("share-of-voice", Some(0)),
            ("sentiment-tracked", Some(1)),
            ("listening-tools", Some(0)),
        ]),
        respondent(&[
            ("alerts-configured", Some(2)),
            ("own-accounts-monitored", Some(2)),
            ("name-searches", Some(2)),
            ("risk-procedure", Some(0)),
            ("conversations-tracked", Some(1)),
            ("share-of-voice", Some(0)),
            ("sentiment-tracked", None),
            ("listening-tools", Some(1)),
        ]),
    ]);
    let result = score_model(
        listening,
        &answers,
        Ambition::target(Some("strategic-listening")),
    )
    .unwrap();
    // alerts (4 + 2) / 2 = 3 -> 0.75. Monitoring: own accounts 3 -> 0.75, names 2 -> 0.5,
    // risk (2 + 0) / 2 = 1 -> 0.25: (0.75 + 0.5 + 0.25) / 3 = 0.5, in place.
    assert_close!(score_of(&result, "social-media-monitoring").unwrap(), 0.5);
    // Social listening: conversations 2.5 -> 0.625, share 0, sentiment 1 (one respondent) -> 0.25,
    // tools 0.5 -> 0.125: 1.0 / 4 = 0.25.
    assert_close!(score_of(&result, "social-listening").unwrap(), 0.25);
    assert_eq!(stage_of(&result), Some("social-media-monitoring"));
    assert_close!(result.progress_to_next.unwrap(), 0.25);
    // Gaps up to strategic listening: social listening 0.25, strategic listening (unanswered) 0.5;
    // targets 4 x 0.5 = 2: 1 - 0.75 / 2.
    assert_close!(result.percent_to_target.unwrap(), 0.625);
    assert_eq!(
        actions(&result),
        [
            (1, "social-listening", "paid-listening-tool"),
            (2, "strategic-listening", "goal-driven-listening")
        ]
    );
    let disagreements: Vec<&str> = result
        .spread
        .iter()
        .filter(|s| s.disagreement)
        .map(|s| s.indicator_id.as_ref())
        .collect();
    assert_eq!(
        disagreements,
        [
            "alerts-configured",
            "own-accounts-monitored",
            "risk-procedure",
            "conversations-tracked"
        ]
    );
    let sentiment = result
        .spread
        .iter()
        .find(|s| s.indicator_id == "sentiment-tracked")
        .unwrap();
    assert_eq!((sentiment.answered, sentiment.mean), (1, Some(1.0)));
}

#[test]
fn ambition_model_skipped_layer_and_targets_below_and_above() {
    let catalog = catalog();
    let ambition = model(&catalog, "ambitie-model", "1.0.0");
    let answers = one(&[
        ("audience-behaviour-studied", 4),
        ("competitors-observed", 4),
        ("sentiment-tracked", 4), // 1.0
        ("name-searches", 2),
        ("questions-answered", 2),
        ("ideas-compliments-followed-up", 2),
        ("response-guidelines", 2), // 0.5
        ("discussion-participation", 1),
        ("own-content-published", 2), // (0.25 + 0.5) / 2 = 0.375
        ("community-facilitated", 4),
        ("community-manager", 4), // 1.0, above the gap
    ]);
    let result = score_model(ambition, &answers, Ambition::target(Some("facilitate"))).unwrap();
    assert_eq!(stage_of(&result), Some("respond"));
    assert_close!(result.progress_to_next.unwrap(), 0.375);
    assert_eq!(
        insight_ids(&result, InsightCode::SkippedFoundation),
        [vec!["facilitate", "participate"]]
    );
    // Gaps up to facilitate: participate 0.5 - 0.375 = 0.125; targets 4 x 0.5 = 2.
    assert_close!(result.percent_to_target.unwrap(), 0.9375);
    assert_eq!(
        actions(&result),
        [(1, "participate", "contribute-expertise")]
    );

    let below = score_model(ambition, &answers, Ambition::target(Some("observe"))).unwrap();
    // The ambition is met: what is left is strengthening what is in place but below "mostly".
    assert!(
        below
            .recommendations
            .iter()
            .all(|r| r.kind == RecommendationKind::Strengthen),
        "the ambition is already met"
    );
    assert_close!(below.percent_to_target.unwrap(), 1.0);
    assert_eq!(insight_ids(&below, InsightCode::TargetReached).len(), 1);

    assert_eq!(
        score_model(ambition, &answers, Ambition::target(Some("orbit"))).unwrap_err(),
        ScoringError::UnknownStage {
            model: "ambitie-model".into(),
            stage: "orbit".into()
        }
    );
}
