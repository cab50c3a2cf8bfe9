//! Result documents on the wire. Seven models' results with their roadmap are about 55 KB of
//! JSON made of some 2,300 keys and 1,000 short strings; serde_json escapes every string byte by
//! byte, sonic-rs checks 32 bytes at once (BENCHMARKS.md has what that saves). Everything else,
//! input included, stays with serde_json; the tests below hold the two to the same bytes.

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, HttpResponseBuilder};
use anyhow::Context;
use serde::Serialize;

use crate::domain::Lang;
use crate::error::ApiError;

/// Room for the whole advice at once (55–60 KB for seven models, and sonic-rs wants six times a
/// string's length free before it writes one), so that the buffer does not grow and copy itself
/// nine times from the 128 bytes it would start with; still below the size at which the
/// allocator maps pages of its own. What is not used is given back before the body waits for the
/// socket (shrinking in place copies nothing).
const INITIAL_CAPACITY: usize = 80 * 1024;

/// `document` as JSON.
pub fn to_vec(document: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::with_capacity(INITIAL_CAPACITY);
    sonic_rs::to_writer(&mut body, document).context("writing a result document")?;
    body.shrink_to_fit();
    Ok(body)
}

/// `response` with `document` as its JSON body, told in `lang`.
pub fn respond(
    mut response: HttpResponseBuilder,
    document: &impl Serialize,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let body = to_vec(document)?;
    Ok(response
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .content_type(ContentType::json())
        .body(body))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde::Serialize;
    use uuid::Uuid;

    use super::INITIAL_CAPACITY;
    use crate::api::score::ScoreResponse;
    use crate::catalog::Catalog;
    use crate::domain::Lang;
    use crate::service::scoring::{self, ScoreRequest};
    use crate::service::selection::RawAnswer;

    /// Every model of the catalogue placed from answers that reach different stages, with a
    /// target and a focus, so that every kind of field and text is in the document.
    fn full_advice_request(catalog: &Catalog) -> ScoreRequest {
        let answers = catalog
            .indicators()
            .iter()
            .filter(|indicator| !indicator.retired)
            .enumerate()
            .map(|(n, indicator)| RawAnswer {
                indicator_id: indicator.id.clone(),
                value: (n % 6 != 5).then_some(((n * 7) % 5) as i64),
            })
            .collect();
        ScoreRequest {
            model_ids: catalog.latest_models().map(|m| m.id.clone()).collect(),
            targets: [("social-media-pyramid".into(), "create".into())].into(),
            focus: [("communicatieroos".into(), vec!["listen".into()])].into(),
            sector: Some("public".into()),
            respondents: vec![answers],
        }
    }

    #[test]
    fn results_are_written_byte_for_byte_as_serde_json_writes_them() {
        let catalog = Catalog::builtin().expect("the built-in catalogue loads");
        let advice = scoring::score(&catalog, &full_advice_request(&catalog)).expect("scores");
        for lang in Lang::ALL {
            let document = ScoreResponse::render(&advice, lang);
            let ours = super::to_vec(&document).expect("writes");
            let reference = serde_json::to_vec(&document).expect("writes");
            assert!(ours.len() > 20_000, "the whole advice is rendered");
            // sonic-rs keeps six times a string's length free (the longest text is about 600
            // bytes): past this the buffer would double.
            assert!(
                ours.len() < INITIAL_CAPACITY - 8 * 1024,
                "{lang}: {} bytes outgrow the first buffer: raise INITIAL_CAPACITY",
                ours.len()
            );
            assert_eq!(
                String::from_utf8(ours).expect("UTF-8"),
                String::from_utf8(reference).expect("UTF-8"),
                "{lang}"
            );
        }
    }

    /// What the assessment-results document adds (an id, a timestamp), and what the catalogue
    /// does not contain but a message could: quotes, backslashes, control characters.
    #[derive(Serialize)]
    struct Sample<'a> {
        assessment_id: Uuid,
        submitted_at: chrono::DateTime<Utc>,
        sector: Option<&'a str>,
        no_sector: Option<&'a str>,
        texts: Vec<&'a str>,
        scores: Vec<f64>,
        counts: Vec<u32>,
    }

    #[test]
    fn ids_timestamps_escapes_and_numbers_are_written_as_serde_json_writes_them() {
        let long = "Zet één meetpunt op \"share of voice\" en \\ noteer\n".repeat(9);
        let sample = Sample {
            assessment_id: Uuid::from_u128(0x0192_7c3e_8f1a_7b2c_9d4e_5f60_7182_93a4),
            submitted_at: Utc
                .with_ymd_and_hms(2026, 12, 6, 21, 5, 9)
                .single()
                .expect("a valid time")
                + chrono::Duration::nanoseconds(123_456_789),
            sector: Some("public"),
            no_sector: None,
            texts: vec!["\"", "\\", "\u{1}\u{1f}\t\r", "é", "", &long, "</script>"],
            scores: vec![0.0, 1.0, 0.1 + 0.2, 2.0 / 3.0, 1e-7, 123_456.5],
            counts: vec![0, 7, u32::MAX],
        };
        let ours = super::to_vec(&sample).expect("writes");
        let reference = serde_json::to_vec(&sample).expect("writes");
        assert_eq!(
            String::from_utf8(ours).expect("UTF-8"),
            String::from_utf8(reference).expect("UTF-8")
        );
    }
}
