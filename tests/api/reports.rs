//! Reports: the printable HTML of a real assessment (two respondents, all seven models) in both
//! languages, what a tenant or respondent typed staying text, the CSV tables read back, and the
//! client's progress report.

use reqwest::Method;
use serde_json::{Value, json};

use crate::assessments::new_assessment;
use crate::catalog::MODEL_IDS;
use crate::helpers::{TestApp, header, json_of, problem_of, spawn_app};
use crate::respondents::new_respondent;

pub const HOSTILE_CLIENT: &str = "<script>alert('client')</script> & Co";
pub const FORMULA_LABEL: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";
pub const QUOTED_LABEL: &str = "Director, \"the boss\"";

/// A respondent: its id, label and the answers it gave (indicator id, value).
pub type Answered = (String, String, Vec<(String, Value)>);

pub struct Submitted {
    pub client: String,
    pub assessment: String,
    /// Per respondent: its id, label and the answers given (indicator id, value).
    pub respondents: Vec<Answered>,
    pub results: Value,
}

/// A client named like an attack, assessed on all seven models with a target, answered by two
/// respondents who disagree here and there (and sometimes do not know), and submitted.
pub async fn submitted_assessment(app: &TestApp) -> Submitted {
    let created = app
        .request(Method::POST, "/v1/clients")
        .json(&json!({"name": HOSTILE_CLIENT, "industry": "<b>Bakery</b>", "country": "NL"}))
        .send()
        .await
        .unwrap();
    let client = json_of(created, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let assessment = new_assessment(
        app,
        &client,
        &MODEL_IDS,
        json!({"strategy-learning-curve": "integrated", "social-media-pyramid": "respond"}),
    )
    .await;
    let id = assessment["id"].as_str().unwrap().to_owned();
    let questionnaire = json_of(
        app.get(&format!("/v1/assessments/{id}/questionnaire"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let indicators: Vec<String> = questionnaire["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["indicator_id"].as_str().unwrap().to_owned())
        .collect();
    let mut respondents = Vec::new();
    for (n, label) in [FORMULA_LABEL, QUOTED_LABEL].into_iter().enumerate() {
        let (respondent, token) = new_respondent(app, &id, label).await;
        // The first answers i mod 5, the second (i + 2n) mod 5: often two or more apart. Every
        // seventh question the second does not know, and the last question is left open by both.
        let given: Vec<(String, Value)> = indicators[..indicators.len() - 1]
            .iter()
            .enumerate()
            .map(|(i, indicator)| {
                let value = match n {
                    0 => json!(i % 5),
                    _ if i % 7 == 3 => Value::Null,
                    _ => json!((i * 3 + 1) % 5),
                };
                (indicator.clone(), value)
            })
            .collect();
        let body = json!({"answers": given.iter().map(|(id, v)| json!({"indicator_id": id, "value": v})).collect::<Vec<_>>()});
        let saved = app
            .with_token(
                Method::PUT,
                &format!("/v1/assessments/{id}/respondents/{respondent}/answers"),
                &token,
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);
        respondents.push((respondent, label.to_owned(), given));
    }
    let submitted = app
        .request(Method::POST, &format!("/v1/assessments/{id}/submit"))
        .send()
        .await
        .unwrap();
    let results = json_of(submitted, 200).await;
    Submitted {
        client,
        assessment: id,
        respondents,
        results,
    }
}

pub async fn report_in(app: &TestApp, path: &str, lang: &str) -> String {
    let response = app
        .get(path)
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        "text/html; charset=utf-8"
    );
    assert_eq!(header(&response, "content-language"), lang);
    assert_eq!(header(&response, "cache-control"), "private, no-store");
    assert_eq!(header(&response, "referrer-policy"), "no-referrer");
    assert!(
        header(&response, "content-security-policy")
            .starts_with("default-src 'none'; style-src 'sha256-")
    );
    response.text().await.unwrap()
}

/// Nothing in the page loads or runs anything: no script, no external reference of any kind.
pub fn assert_self_contained(html: &str) {
    for forbidden in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "src=",
        "href=",
        "url(",
        "@import",
        "javascript:",
    ] {
        assert!(!html.contains(forbidden), "the report contains {forbidden}");
    }
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[tokio::test]
async fn the_report_of_a_real_assessment_reads_in_both_languages_and_keeps_typed_text_as_text() {
    let app = spawn_app().await;
    let submitted = submitted_assessment(&app).await;
    let path = format!("/v1/assessments/{}/report", submitted.assessment);

    let en = report_in(&app, &path, "en").await;
    assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert_self_contained(&en);
    // What was typed stays text.
    assert!(!en.contains("<script>alert"));
    assert!(en.contains("&lt;script&gt;alert('client')&lt;/script&gt; &amp; Co"));
    assert!(en.contains("&lt;b&gt;Bakery&lt;/b&gt;"));
    assert!(en.contains("Director, &quot;the boss&quot;"));
    // The sections, in heading order: one h1, then h2 sections, h3 within a model.
    assert_eq!(count(&en, "<h1"), 1);
    for section in ["Summary", "Roadmap", "What the models show together"] {
        assert!(en.contains(&format!(">{section}</h2>")), "{section}");
    }
    assert_eq!(count(&en, "<section class=\"model\""), 7);
    // One accessible chart per model, with a title and a description.
    assert_eq!(count(&en, "<svg "), 7);
    assert_eq!(count(&en, "role=\"img\""), 7);
    assert_eq!(count(&en, "<desc id="), 7);
    for model in submitted.results["results"].as_array().unwrap() {
        let id = model["model_id"].as_str().unwrap();
        let document = json_of(
            app.get(&format!("/v1/models/{id}")).send().await.unwrap(),
            200,
        )
        .await;
        let name = html_escaped(document["name"].as_str().unwrap());
        assert!(en.contains(&format!(">{name}</h2>")), "{name}");
        // The stage reached is named in the summary.
        if let Some(stage) = model["stage"]["name"].as_str() {
            assert!(en.contains(stage), "{stage}");
        }
    }
    // Every roadmap step, in order, with where it comes from.
    let roadmap = submitted.results["roadmap"].as_array().unwrap();
    assert!(!roadmap.is_empty());
    let mut from = en.find("id=\"roadmap\"").unwrap();
    for step in roadmap {
        let text = html_escaped(step["text"].as_str().unwrap());
        let at = en[from..]
            .find(&text)
            .unwrap_or_else(|| panic!("roadmap step {text}"))
            + from;
        let provenance = match step["provenance"].as_str().unwrap() {
            "seed" => format!(
                "from the model's source: {}",
                html_escaped(step["source"].as_str().unwrap())
            ),
            "practice" => "professional practice".to_owned(),
            other => panic!("{other}"),
        };
        let item = &en[at..at + en[at..].find("</li>").unwrap()];
        assert!(item.contains(&provenance), "{item} lacks {provenance}");
        from = at;
    }
    // What blocks, with the answers behind it; where the respondents disagree.
    assert!(en.contains("What blocks the next stage"));
    assert!(en.contains("The answers behind it"));
    assert!(en.contains("Where respondents disagree"));
    assert!(
        en.contains("<td class=\"number\">0–4</td>")
            || en.contains("<td class=\"number\">1–4</td>")
    );

    let nl = report_in(&app, &path, "nl").await;
    assert!(nl.starts_with("<!DOCTYPE html><html lang=\"nl\">"));
    assert_self_contained(&nl);
    for section in [
        "Samenvatting",
        "Stappenplan",
        "Wat de modellen samen laten zien",
    ] {
        assert!(nl.contains(&format!(">{section}</h2>")), "{section}");
    }
    assert!(nl.contains("Wat de volgende fase tegenhoudt"));
    assert!(!nl.contains("What blocks"));
    assert!(!nl.contains("<script>alert"));
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn read_csv(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(body.ends_with("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

async fn csv_of(response: reqwest::Response) -> (Vec<String>, Vec<Vec<String>>) {
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        "text/csv; charset=utf-8; header=present"
    );
    assert!(header(&response, "content-disposition").starts_with("attachment; filename="));
    read_csv(&response.text().await.unwrap())
}

#[tokio::test]
async fn the_scores_table_reads_back_as_the_results_say() {
    let app = spawn_app().await;
    let submitted = submitted_assessment(&app).await;
    let path = format!("/v1/assessments/{}/report", submitted.assessment);
    let by_accept = csv_of(
        app.get(&path)
            .header("Accept", "text/csv")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let by_parameter = csv_of(app.get(&format!("{path}?format=csv")).send().await.unwrap()).await;
    assert_eq!(by_accept, by_parameter);
    let (header, rows) = by_accept;
    assert_eq!(
        header.join(","),
        "assessment_id,model_id,model_version,model_name,model_stage_id,model_coverage,element_id,element_name,element_stage_id,score,in_place,coverage,disagreement"
    );
    let mut expected = 0;
    for model in submitted.results["results"].as_array().unwrap() {
        for element in model["elements"].as_array().unwrap() {
            expected += 1;
            let row = rows
                .iter()
                .find(|r| {
                    r[1] == model["model_id"].as_str().unwrap()
                        && r[6] == element["id"].as_str().unwrap()
                })
                .unwrap();
            assert_eq!(row[0], submitted.assessment);
            assert_eq!(row[2], model["model_version"].as_str().unwrap());
            assert_eq!(row[4], model["stage"]["id"].as_str().unwrap_or_default());
            assert_eq!(
                row[5].parse::<f64>().unwrap(),
                model["coverage"].as_f64().unwrap()
            );
            assert_eq!(row[7], element["name"].as_str().unwrap());
            match element["score"].as_f64() {
                Some(score) => assert_eq!(row[9].parse::<f64>().unwrap(), score),
                None => assert_eq!(row[9], ""),
            }
            assert_eq!(row[10], element["in_place"].as_bool().unwrap().to_string());
            assert_eq!(
                row[11].parse::<f64>().unwrap(),
                element["coverage"].as_f64().unwrap()
            );
        }
    }
    assert_eq!(rows.len(), expected);
    assert!(
        rows.iter().any(|r| r[12] == "true"),
        "some element has respondents who disagree"
    );

    // The element names follow the language.
    let (_, nl) = csv_of(
        app.get(&format!("{path}?format=csv"))
            .header("Accept-Language", "nl")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(nl.len(), rows.len());
    assert_ne!(
        nl.iter().map(|r| &r[7]).collect::<Vec<_>>(),
        rows.iter().map(|r| &r[7]).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn the_answers_table_holds_every_question_for_every_respondent_with_labels_as_given_and_formulas_neutralised()
 {
    let app = spawn_app().await;
    let submitted = submitted_assessment(&app).await;
    let path = format!("/v1/assessments/{}/report/answers", submitted.assessment);
    let (header, rows) = csv_of(app.get(&path).send().await.unwrap()).await;
    assert_eq!(
        header.join(","),
        "respondent_id,respondent_label,indicator_id,question,value,dont_know"
    );
    // Every question asked, for each respondent: both left the last question open.
    let asked = submitted.respondents[0].2.len() + 1;
    assert_eq!(rows.len(), asked * submitted.respondents.len());
    for (respondent, label, answers) in &submitted.respondents {
        let theirs: Vec<_> = rows.iter().filter(|r| &r[0] == respondent).collect();
        assert_eq!(theirs.len(), asked);
        let open: Vec<_> = theirs
            .iter()
            .filter(|r| !answers.iter().any(|(indicator, _)| indicator == &r[2]))
            .collect();
        assert_eq!(open.len(), 1);
        assert_eq!((open[0][4].as_str(), open[0][5].as_str()), ("", "false"));
        let expected_label = if label.starts_with('=') {
            format!("'{label}")
        } else {
            label.clone()
        };
        for (indicator, value) in answers {
            let row = theirs.iter().find(|r| &r[2] == indicator).unwrap();
            assert_eq!(&row[1], &expected_label);
            assert!(!row[3].is_empty());
            match value.as_u64() {
                Some(v) => assert_eq!(
                    (row[4].as_str(), row[5].as_str()),
                    (v.to_string().as_str(), "false")
                ),
                None => assert_eq!((row[4].as_str(), row[5].as_str()), ("", "true")),
            }
        }
    }
}

#[tokio::test]
async fn reports_need_a_submitted_assessment_of_ones_own_and_the_reports_scope() {
    let app = spawn_app().await;
    let submitted = submitted_assessment(&app).await;
    let open = new_assessment(&app, &submitted.client, &["communicatieroos"], json!({})).await;
    let open = open["id"].as_str().unwrap();
    for path in [
        format!("/v1/assessments/{open}/report"),
        format!("/v1/assessments/{open}/report/answers"),
    ] {
        problem_of(
            app.get(&path).send().await.unwrap(),
            409,
            "/problems/conflict",
        )
        .await;
    }
    let missing = uuid::Uuid::now_v7();
    problem_of(
        app.get(&format!("/v1/assessments/{missing}/report"))
            .send()
            .await
            .unwrap(),
        404,
        "/problems/not-found",
    )
    .await;
    problem_of(
        app.get(&format!("/v1/clients/{missing}/report"))
            .send()
            .await
            .unwrap(),
        404,
        "/problems/not-found",
    )
    .await;
    problem_of(
        app.get(&format!(
            "/v1/assessments/{}/report?format=pdf",
            submitted.assessment
        ))
        .send()
        .await
        .unwrap(),
        400,
        "/problems/bad-request",
    )
    .await;
    let (_, _, token) = app.client_with_scopes(&["assessments:read"]).await;
    let response = app
        .with_token(
            Method::GET,
            &format!("/v1/assessments/{}/report", submitted.assessment),
            &token,
        )
        .send()
        .await
        .unwrap();
    problem_of(response, 403, "/problems/forbidden").await;
}

#[tokio::test]
async fn the_progress_report_draws_each_submission_of_the_client() {
    let app = spawn_app().await;
    let first = submitted_assessment(&app).await;
    // A second assessment of the same client, on one model.
    let second = new_assessment(&app, &first.client, &["social-media-pyramid"], json!({})).await;
    let second = second["id"].as_str().unwrap();
    let (respondent, token) = new_respondent(&app, second, "Manager").await;
    let body = json!({"answers": [{"indicator_id": "alerts-configured", "value": 4}, {"indicator_id": "own-accounts-monitored", "value": 4}]});
    let saved = app
        .with_token(
            Method::PUT,
            &format!("/v1/assessments/{second}/respondents/{respondent}/answers"),
            &token,
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let submitted = app
        .request(Method::POST, &format!("/v1/assessments/{second}/submit"))
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 200);

    let html = report_in(&app, &format!("/v1/clients/{}/report", first.client), "en").await;
    assert_self_contained(&html);
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<script>alert"));
    // Seven models, one chart each; the pyramid has two points, the others one.
    assert_eq!(count(&html, "<svg "), 7);
    assert_eq!(count(&html, "<circle "), 8);
    assert_eq!(count(&html, "<td>Baseline</td>"), 8);

    let nl = report_in(&app, &format!("/v1/clients/{}/report", first.client), "nl").await;
    assert!(nl.contains("Positie bij elk ingediend assessment"));
}
