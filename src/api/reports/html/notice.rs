//! The small page a share link shows instead of a report when there is no report to show.

use maud::{Markup, html};

use super::page;
use crate::domain::Lang;

/// A page that says only `message`, in `lang`.
pub fn notice(lang: Lang, title: &str, message: &str) -> Markup {
    page(
        lang,
        title,
        html! {
            main class="notice" {
                h1 { (title) }
                p { (message) }
            }
        },
    )
}
