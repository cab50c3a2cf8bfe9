//! The report's own words in each language; the models, actions and insights bring their own.

use crate::domain::Lang;
use crate::domain::assessment::SizeBand;

/// Every fixed text of a report, so that adding a language is one more constant.
pub struct Words {
    pub report: &'static str,
    pub progress_report: &'static str,
    pub client: &'static str,
    pub assessment: &'static str,
    pub submitted: &'static str,
    pub respondents: &'static str,
    pub industry: &'static str,
    pub size_band: &'static str,
    pub country: &'static str,
    pub summary: &'static str,
    pub model: &'static str,
    pub placement: &'static str,
    pub target: &'static str,
    pub coverage: &'static str,
    pub legend: &'static str,
    pub first_steps: &'static str,
    pub roadmap: &'static str,
    pub roadmap_empty: &'static str,
    pub roadmap_not_kept: &'static str,
    pub roadmap_intro: &'static str,
    pub why: &'static str,
    pub insights: &'static str,
    pub insights_empty: &'static str,
    pub below_first_stage: &'static str,
    pub profile_mean: &'static str,
    pub progress_to_next: &'static str,
    pub percent_to_target: &'static str,
    pub current: &'static str,
    pub stage: &'static str,
    pub element: &'static str,
    pub score: &'static str,
    pub in_place: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub unknown: &'static str,
    pub foundation: &'static str,
    pub what_blocks: &'static str,
    pub not_in_place: &'static str,
    pub all_in_place: &'static str,
    pub nothing_blocks: &'static str,
    pub answers_behind: &'static str,
    pub mean_answer: &'static str,
    pub not_answered: &'static str,
    pub observations: &'static str,
    pub next_steps: &'static str,
    pub no_next_steps: &'static str,
    pub disagreement: &'static str,
    pub disagreement_none: &'static str,
    pub disagreement_single: &'static str,
    pub indicator: &'static str,
    pub range: &'static str,
    pub dont_know: &'static str,
    pub elements: &'static str,
    pub kind_next: &'static str,
    pub kind_toward_target: &'static str,
    pub kind_strengthen: &'static str,
    pub kind_prerequisite: &'static str,
    pub kind_option: &'static str,
    pub provenance_seed: &'static str,
    pub provenance_practice: &'static str,
    pub provenance_unrecorded: &'static str,
    pub scale: &'static str,
    pub no_submissions: &'static str,
    pub over_time: &'static str,
    pub generated: &'static str,
    pub version: &'static str,
    pub link_gone_title: &'static str,
    pub link_gone: &'static str,
    pub link_unknown_title: &'static str,
    pub link_unknown: &'static str,
    pub link_error_title: &'static str,
    pub link_error: &'static str,
}

const EN: Words = Words {
    report: "Social media strategy report",
    progress_report: "Social media strategy progress",
    client: "Client",
    assessment: "Assessment",
    submitted: "Submitted",
    respondents: "Respondents",
    industry: "Industry",
    size_band: "Size",
    country: "Country",
    summary: "Summary",
    model: "Model",
    placement: "Placement",
    target: "Target",
    coverage: "Coverage",
    legend: "Placement: the highest stage whose elements (and those of every stage below) are in place; focus models have no stages and show the mean score of their elements. Coverage: the share of the model's questions that were answered.",
    first_steps: "First steps",
    roadmap: "Roadmap",
    roadmap_empty: "Nothing on the chosen models is missing: the roadmap is empty.",
    roadmap_not_kept: "This assessment was submitted before the service drew up one roadmap across the models: each model's next steps are below.",
    roadmap_intro: "One plan across the models, in order: a step never comes before a step it depends on.",
    why: "Why",
    insights: "What the models show together",
    insights_empty: "No findings across the models.",
    below_first_stage: "Below the first stage",
    profile_mean: "Profile mean",
    progress_to_next: "Progress to the next stage",
    percent_to_target: "Progress to the target",
    current: "current",
    stage: "Stage",
    element: "Element",
    score: "Score",
    in_place: "In place",
    yes: "yes",
    no: "no",
    unknown: "unknown",
    foundation: "foundation",
    what_blocks: "What blocks the next stage",
    not_in_place: "Elements not yet in place",
    all_in_place: "Every element is in place.",
    nothing_blocks: "Nothing blocks: the highest stage is reached.",
    answers_behind: "The answers behind it",
    mean_answer: "mean answer (0–4)",
    not_answered: "not answered",
    observations: "Observations",
    next_steps: "Next steps",
    no_next_steps: "No next steps on this model.",
    disagreement: "Where respondents disagree",
    disagreement_none: "Respondents agree (no answers two or more points apart).",
    disagreement_single: "One respondent: agreement cannot be judged.",
    indicator: "Question",
    range: "Lowest–highest",
    dont_know: "Don't know",
    elements: "Elements",
    kind_next: "next step",
    kind_toward_target: "toward the target",
    kind_strengthen: "strengthen",
    kind_prerequisite: "needed first",
    kind_option: "option",
    provenance_seed: "from the model's source",
    provenance_practice: "professional practice",
    provenance_unrecorded: "source not recorded",
    scale: "0 = not at all, 4 = fully",
    no_submissions: "No assessment of this client has been submitted yet.",
    over_time: "Placement at each submitted assessment",
    generated: "Generated",
    version: "version",
    link_gone_title: "This link no longer works",
    link_gone: "The report behind this link is no longer available: the link has expired or was withdrawn. Ask whoever sent it for a new one.",
    link_unknown_title: "Link not found",
    link_unknown: "No report is shared at this address. Check that the link was copied completely.",
    link_error_title: "The report cannot be shown right now",
    link_error: "Something went wrong on our side. Please try again in a few minutes.",
};

const NL: Words = Words {
    report: "Rapport socialemediastrategie",
    progress_report: "Voortgang socialemediastrategie",
    client: "Klant",
    assessment: "Assessment",
    submitted: "Ingediend",
    respondents: "Respondenten",
    industry: "Branche",
    size_band: "Omvang",
    country: "Land",
    summary: "Samenvatting",
    model: "Model",
    placement: "Positie",
    target: "Beoogde fase",
    coverage: "Dekking",
    legend: "Positie: de hoogste fase waarvan de elementen (en die van elke fase eronder) op orde zijn; focusmodellen kennen geen fasen en tonen de gemiddelde score van hun elementen. Dekking: het deel van de vragen van het model dat is beantwoord.",
    first_steps: "Eerste stappen",
    roadmap: "Stappenplan",
    roadmap_empty: "Op de gekozen modellen ontbreekt niets: het stappenplan is leeg.",
    roadmap_not_kept: "Dit assessment is ingediend voordat de dienst één stappenplan over de modellen heen opstelde: de volgende stappen staan per model hieronder.",
    roadmap_intro: "Eén plan over de modellen heen, op volgorde: een stap komt nooit vóór een stap waarvan hij afhangt.",
    why: "Waarom",
    insights: "Wat de modellen samen laten zien",
    insights_empty: "Geen bevindingen over de modellen heen.",
    below_first_stage: "Onder de eerste fase",
    profile_mean: "Gemiddelde van het profiel",
    progress_to_next: "Voortgang naar de volgende fase",
    percent_to_target: "Voortgang naar de beoogde fase",
    current: "huidig",
    stage: "Fase",
    element: "Element",
    score: "Score",
    in_place: "Op orde",
    yes: "ja",
    no: "nee",
    unknown: "onbekend",
    foundation: "fundament",
    what_blocks: "Wat de volgende fase tegenhoudt",
    not_in_place: "Elementen die nog niet op orde zijn",
    all_in_place: "Elk element is op orde.",
    nothing_blocks: "Niets houdt tegen: de hoogste fase is bereikt.",
    answers_behind: "De antwoorden erachter",
    mean_answer: "gemiddeld antwoord (0–4)",
    not_answered: "niet beantwoord",
    observations: "Observaties",
    next_steps: "Volgende stappen",
    no_next_steps: "Geen volgende stappen op dit model.",
    disagreement: "Waar respondenten verschillen",
    disagreement_none: "De respondenten zijn het eens (geen antwoorden die twee punten of meer uiteenlopen).",
    disagreement_single: "Eén respondent: of men het eens is, valt niet te zeggen.",
    indicator: "Vraag",
    range: "Laagste–hoogste",
    dont_know: "Weet niet",
    elements: "Elementen",
    kind_next: "volgende stap",
    kind_toward_target: "richting beoogde fase",
    kind_strengthen: "versterken",
    kind_prerequisite: "eerst nodig",
    kind_option: "optie",
    provenance_seed: "uit de bron van het model",
    provenance_practice: "vakpraktijk",
    provenance_unrecorded: "bron niet vastgelegd",
    scale: "0 = helemaal niet, 4 = volledig",
    no_submissions: "Er is nog geen assessment van deze klant ingediend.",
    over_time: "Positie bij elk ingediend assessment",
    generated: "Opgesteld op",
    version: "versie",
    link_gone_title: "Deze link werkt niet meer",
    link_gone: "Het rapport achter deze link is niet meer beschikbaar: de link is verlopen of ingetrokken. Vraag de afzender om een nieuwe.",
    link_unknown_title: "Link niet gevonden",
    link_unknown: "Op dit adres wordt geen rapport gedeeld. Controleer of de link volledig is gekopieerd.",
    link_error_title: "Het rapport kan nu niet worden getoond",
    link_error: "Er ging aan onze kant iets mis. Probeer het over een paar minuten opnieuw.",
};

impl Words {
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::En => &EN,
            Lang::Nl => &NL,
        }
    }
}

/// A size band as the report names it.
pub fn size_band(band: SizeBand, lang: Lang) -> &'static str {
    match (band, lang) {
        (SizeBand::Micro, Lang::En) => "micro (fewer than 10 employees)",
        (SizeBand::Small, Lang::En) => "small (10–49 employees)",
        (SizeBand::Medium, Lang::En) => "medium (50–249 employees)",
        (SizeBand::Large, Lang::En) => "large (250 employees or more)",
        (SizeBand::Micro, Lang::Nl) => "micro (minder dan 10 medewerkers)",
        (SizeBand::Small, Lang::Nl) => "klein (10–49 medewerkers)",
        (SizeBand::Medium, Lang::Nl) => "middelgroot (50–249 medewerkers)",
        (SizeBand::Large, Lang::Nl) => "groot (250 medewerkers of meer)",
    }
}

/// A date written out, as a reader in the language expects it ("29 November 2026").
pub fn long_date(at: chrono::DateTime<chrono::Utc>, lang: Lang) -> String {
    use chrono::Datelike;
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let months = match lang {
        Lang::En => EN,
        Lang::Nl => NL,
    };
    let month = months[at.month0() as usize % 12];
    format!("{} {month} {}", at.day(), at.year())
}

/// The summary's opening sentence.
pub fn summary_sentence(
    lang: Lang,
    client: &str,
    models: usize,
    respondents: usize,
    steps: usize,
    shown: usize,
) -> String {
    let assessed = match lang {
        Lang::En => format!(
            "{client} was assessed on {models} model{} with the answers of {respondents} respondent{}.",
            plural(models),
            plural(respondents),
        ),
        Lang::Nl => format!(
            "{client} is beoordeeld op {models} model{} met de antwoorden van {respondents} respondent{}.",
            if models == 1 { "" } else { "len" },
            if respondents == 1 { "" } else { "en" },
        ),
    };
    let shown = steps.min(shown);
    match (lang, steps) {
        (_, 0) => assessed,
        (Lang::En, 1) => format!("{assessed} The roadmap has one step, listed below."),
        (Lang::En, _) if shown == steps => {
            format!("{assessed} The roadmap has {steps} steps, listed below.")
        }
        (Lang::En, _) => {
            format!("{assessed} The roadmap has {steps} steps; the first {shown} are listed below.")
        }
        (Lang::Nl, 1) => format!("{assessed} Het stappenplan telt één stap; die staat hieronder."),
        (Lang::Nl, _) if shown == steps => {
            format!("{assessed} Het stappenplan telt {steps} stappen; die staan hieronder.")
        }
        (Lang::Nl, _) => format!(
            "{assessed} Het stappenplan telt {steps} stappen; de eerste {shown} staan hieronder."
        ),
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A share (0–1) as a whole percentage.
///
/// Halves round up (0.625 is 63%), as a reader expects, so that a score at the threshold reads
/// the same as the threshold; formatting alone would round half to even.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", (share * 100.0).round())
}

/// A mean answer on the 0–4 scale, one decimal, with the language's decimal mark.
pub fn answer(mean: f64, lang: Lang) -> String {
    // Halves round up, as in `percent` (formatting alone rounds half to even).
    let text = format!("{:.1}", (mean * 10.0).round() / 10.0);
    match lang {
        Lang::En => text,
        Lang::Nl => text.replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_halves_up_and_answers_use_the_languages_decimal_mark() {
        assert_eq!(percent(0.625), "63%");
        assert_eq!(percent(0.6249), "62%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(answer(2.5, Lang::En), "2.5");
        assert_eq!(answer(2.5, Lang::Nl), "2,5");
        assert_eq!(answer(2.25, Lang::En), "2.3");
    }
}
