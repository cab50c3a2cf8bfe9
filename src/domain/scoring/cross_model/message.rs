//! The cross-model insights told in a language, with names from the models scored.

use super::{CrossInsight, CrossInsightCode, ElementRef};
use crate::domain::{Lang, Model};

impl CrossInsight<'_> {
    /// The insight told in `lang`; `model` finds a chosen model (at the version scored) by id.
    pub fn message<'m>(&self, model: impl Fn(&str) -> Option<&'m Model>, lang: Lang) -> String {
        let name = |r: &ElementRef<'_>| {
            let found = model(&r.model_id);
            let element = found
                .and_then(|m| m.element(&r.element_id))
                .map_or(r.element_id.as_ref(), |e| e.name.get(lang));
            let model_name = found.map_or(r.model_id.as_ref(), |m| m.name.get(lang));
            format!("{element} ({model_name})")
        };
        let list = |refs: &[ElementRef<'_>]| refs.iter().map(name).collect::<Vec<_>>().join(", ");
        // "Respond is in place", "Respond, Create are in place".
        let several = self.ahead.len() > 1;
        let (is, nl_is) = if several {
            ("are", "zijn")
        } else {
            ("is", "is")
        };
        let model_name = |i: usize| {
            self.model_ids.get(i).map_or_else(String::new, |id| {
                model(id).map_or_else(|| id.to_string(), |m| m.name.get(lang).to_owned())
            })
        };
        match (self.code, lang) {
            (CrossInsightCode::InsideOutBeforeOutsideIn, Lang::En) => format!(
                "Inside-out before outside-in: {} {is} ahead of the listening foundation: {}. Content and responses rest on knowing what is said.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::InsideOutBeforeOutsideIn, Lang::Nl) => format!(
                "Inside-out vóór outside-in: {} {nl_is} verder dan het luisterfundament: {}. Content en reacties rusten op weten wat er gezegd wordt.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::InsideOutBeforeTactical, Lang::En) => format!(
                "{} {is} in place on the Social Media Pyramid while the Learning Curve is still below Tactical, where inside-out work starts; still missing: {}.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::InsideOutBeforeTactical, Lang::Nl) => format!(
                "{} {nl_is} op orde in de Social Media Piramide terwijl de Learning Curve nog onder Tactisch (Tactical) zit, waar inside-out begint; nog niet op orde: {}.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::ListeningUnknown, Lang::En) => format!(
                "{} {is} active, but nothing is known yet about the listening foundation ({}): answer its questions before planning more inside-out work.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::ListeningUnknown, Lang::Nl) => format!(
                "{} {nl_is} actief, maar over het luisterfundament ({}) is nog niets bekend: beantwoord die vragen voordat u meer inside-out werk plant.",
                list(&self.ahead),
                list(&self.behind)
            ),
            (CrossInsightCode::ContestedBlocker, Lang::En) => format!(
                "The respondents disagree on what blocks the next step: {}. Confirm these answers with the client before acting on them.",
                list(&self.behind)
            ),
            (CrossInsightCode::ContestedBlocker, Lang::Nl) => format!(
                "De respondenten zijn het oneens over wat de volgende stap tegenhoudt: {}. Bevestig deze antwoorden met de klant voordat u erop handelt.",
                list(&self.behind)
            ),
            (CrossInsightCode::DivergingPlacements, Lang::En) => format!(
                "The placements diverge: {} places the organisation much further than {}, which is held back by {}.",
                model_name(0),
                model_name(1),
                list(&self.behind)
            ),
            (CrossInsightCode::DivergingPlacements, Lang::Nl) => format!(
                "De plaatsingen lopen uiteen: {} plaatst de organisatie veel verder dan {}, dat wordt tegengehouden door {}.",
                model_name(0),
                model_name(1),
                list(&self.behind)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYRAMID: &str = "social-media-pyramid";

    fn insight(ahead: &[&'static str]) -> CrossInsight<'static> {
        let element = |id: &'static str| ElementRef {
            model_id: PYRAMID.into(),
            element_id: id.into(),
        };
        CrossInsight {
            code: CrossInsightCode::InsideOutBeforeOutsideIn,
            model_ids: vec![PYRAMID.into()],
            ahead: ahead.iter().map(|id| element(id)).collect(),
            behind: vec![element("listen")],
            indicator_ids: Vec::new(),
        }
    }

    #[test]
    fn the_verb_agrees_with_what_is_ahead() {
        let unknown = |_: &str| None;
        let one = insight(&["respond"]).message(unknown, Lang::En);
        assert!(
            one.contains("respond (social-media-pyramid) is ahead"),
            "{one}"
        );
        let two = insight(&["respond", "create"]).message(unknown, Lang::En);
        assert!(
            two.contains("create (social-media-pyramid) are ahead"),
            "{two}"
        );
        let twee = insight(&["respond", "create"]).message(unknown, Lang::Nl);
        assert!(
            twee.contains("create (social-media-pyramid) zijn verder"),
            "{twee}"
        );
    }
}
