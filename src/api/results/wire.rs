//! Result documents on the wire. Seven models' results with their roadmap are about 55 KB of
//! JSON made of some 2,300 keys and 1,000 short strings; serde_json escapes every string byte by
//! byte, sonic-rs checks 32 bytes at once, which makes a `POST /v1/score` about an eighth cheaper
//! in instructions (BENCHMARKS.md). Everything else, input included, stays with serde_json; the
//! test below holds the two to the same bytes.

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, HttpResponseBuilder};
use serde::Serialize;

use crate::domain::Lang;
use crate::error::ApiError;

/// Room for the whole advice at once (about 55 KB for seven models), so that the buffer does not
/// grow and copy itself nine times from the 128 bytes it would start with. What is not used is
/// given back before the body waits for the socket (shrinking in place copies nothing).
const INITIAL_CAPACITY: usize = 64 * 1024;

/// `document` as JSON.
pub fn to_vec(document: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::with_capacity(INITIAL_CAPACITY);
    sonic_rs::to_writer(&mut body, document).map_err(anyhow::Error::from)?;
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
            assert_eq!(
                String::from_utf8(ours).expect("UTF-8"),
                String::from_utf8(reference).expect("UTF-8"),
                "{lang}"
            );
        }
    }
}
