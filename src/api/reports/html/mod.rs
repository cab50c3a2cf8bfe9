//! Reports as self-contained HTML: one document with its stylesheet inline, charts as inline SVG,
//! no script and no external asset, so that it reads (and prints to A4) in any browser, offline.
//! maud escapes every interpolated value, so what a tenant or respondent typed stays text.

mod assessment;
mod charts;
mod client;
mod notice;
mod words;

use std::sync::LazyLock;

pub use assessment::{Audience, assessment_report};
pub use client::client_report;
use maud::{DOCTYPE, Markup, PreEscaped, html};
pub use notice::notice;
pub use words::Words;

use crate::domain::Lang;

/// The report's stylesheet; the Content-Security-Policy allows exactly this text as a style.
const STYLE: &str = include_str!("style.css");

/// No script, no external resource, no form, no framing: the only thing a report may use besides
/// its own markup is its own stylesheet, named by hash.
pub static CONTENT_SECURITY_POLICY: LazyLock<String> = LazyLock::new(|| {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'none'; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'"
    )
});

/// A whole HTML document in `lang`.
fn page(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
}

/// A date as a chart's axis shows it (ISO 8601: short, and unambiguous in both languages).
fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}
