//! The input checks accept exactly what the OpenAPI document's patterns and lengths describe, so
//! a client generated from the schema never sends something it believes valid and is refused,
//! and nothing the schema calls invalid slips through (what schemathesis checks from outside,
//! here over many more strings and the characters where the two are likeliest to part: trailing
//! line breaks, Unicode spaces, C1 controls, backslashes).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use proptest::prelude::*;
use regex::Regex;
use serde_json::Value;
use smm::domain::assessment::SizeBand;
use smm::domain::benchmark::NaceSection;
use smm::domain::webhook::endpoint_url::{self, AddressPolicy};
use smm::service::validation;

const DOCUMENT: &str = include_str!("../../openapi/openapi.json");

/// Characters chosen to sit on the edges of the patterns.
const TEXT: &[char] = &[
    'a', 'Z', 'g', 'N', 'l', ' ', '\t', '\n', '\r', '\u{0}', '\u{7}', '\u{1f}', '\u{7f}', '\u{85}',
    '\u{9f}', '\u{a0}', '\u{2028}', '\u{3000}', '\u{feff}', 'é', '1', '-',
];
const URL: &[char] = &[
    'a', 'e', '.', '/', '?', '#', '@', ':', '\\', ' ', '\t', '[', ']', '%', '1', '\u{7f}',
    '\u{85}', 'é', '=',
];

/// The `pattern` and `maxLength` of a property of a schema in the committed document.
struct Documented {
    pattern: Regex,
    max_length: Option<usize>,
}

impl Documented {
    /// Read once per property: parsing the document and compiling its patterns costs far more
    /// than a case.
    fn of(schema: &'static str, property: &'static str) -> &'static Documented {
        static READ: LazyLock<Mutex<HashMap<(&str, &str), &'static Documented>>> =
            LazyLock::new(Mutex::default);
        READ.lock()
            .unwrap()
            .entry((schema, property))
            .or_insert_with(|| Box::leak(Box::new(Documented::read(schema, property))))
    }

    fn read(schema: &str, property: &str) -> Documented {
        static PARSED: LazyLock<Value> = LazyLock::new(|| serde_json::from_str(DOCUMENT).unwrap());
        let field = &PARSED["components"]["schemas"][schema]["properties"][property];
        let pattern = field["pattern"]
            .as_str()
            .unwrap_or_else(|| panic!("{schema}.{property} documents no pattern"));
        Documented {
            pattern: Regex::new(pattern).unwrap(),
            max_length: field["maxLength"].as_u64().map(|n| n as usize),
        }
    }

    fn allows(&self, value: &str) -> bool {
        self.pattern.is_match(value)
            && self
                .max_length
                .is_none_or(|max| value.chars().count() <= max)
    }
}

fn text(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet), 0..max).prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn names_follow_their_documented_pattern(value in text(TEXT, 8)) {
        for (schema, property) in [
            ("CreateClientRequest", "name"),
            ("CreateTenantRequest", "name"),
            ("CreateApiClientRequest", "name"),
            ("CreateAssessmentRequest", "title"),
            ("CreateRespondentRequest", "label"),
        ] {
            let documented = Documented::of(schema, property);
            prop_assert_eq!(
                documented.allows(&value),
                validation::name(property, &value).is_ok(),
                "{}.{} and its check disagree on {:?}", schema, property, value
            );
        }
    }

    #[test]
    fn free_texts_follow_their_documented_pattern(value in text(TEXT, 8)) {
        for (property, max) in [("industry", 100), ("notes", 4000)] {
            let documented = Documented::of("CreateClientRequest", property);
            prop_assert_eq!(documented.max_length, Some(max));
            prop_assert_eq!(
                documented.allows(&value),
                validation::note(property, &value, max).is_ok(),
                "{} and its check disagree on {:?}", property, value
            );
        }
    }

    #[test]
    fn codes_follow_their_documented_pattern(value in text(TEXT, 3)) {
        let country = Documented::of("CreateClientRequest", "country");
        prop_assert_eq!(country.allows(&value), validation::country("country", &value).is_ok());
        let nace = Documented::of("CreateClientRequest", "nace_section");
        prop_assert_eq!(nace.allows(&value), value.parse::<NaceSection>().is_ok());
    }

    /// The URL must also reach a public address and parse, which no pattern says: what the check
    /// accepts matches the pattern, and nothing outside it is accepted.
    #[test]
    fn webhook_urls_accepted_match_their_documented_pattern(
        scheme in prop::sample::select(&["https://", "http://", "HTTPS://", "ftp://", "https:/", ""][..]),
        rest in text(URL, 12),
    ) {
        let url = format!("{scheme}{rest}");
        let documented = Documented::of("CreateWebhookEndpointRequest", "url");
        let permissive = AddressPolicy { allow_http: true, allow_private: true };
        if endpoint_url::check(&url, permissive).is_ok() {
            prop_assert!(documented.allows(&url), "{:?} is accepted but not documented", url);
        }
    }
}

#[test]
fn size_bands_are_exactly_the_documented_ones() {
    let documented = Documented::of("CreateClientRequest", "size_band");
    for value in [
        "micro", "small", "medium", "large", "Small", " small", "small\n", "huge", "",
    ] {
        assert_eq!(
            documented.allows(value),
            value.parse::<SizeBand>().is_ok(),
            "{value:?}"
        );
    }
}

#[test]
fn well_formed_webhook_urls_are_documented_and_accepted() {
    let documented = Documented::of("UpdateWebhookEndpointRequest", "url");
    let strict = AddressPolicy::default();
    for url in [
        "https://hooks.example.com/smm?x=1",
        "HTTPS://Hooks.Example.com",
        "https://example.com:8443",
    ] {
        assert!(documented.allows(url), "{url}");
        assert!(endpoint_url::check(url, strict).is_ok(), "{url}");
    }
}

#[test]
fn item_limits_are_the_enforced_ones() {
    let document: Value = serde_json::from_str(DOCUMENT).unwrap();
    let schemas = &document["components"]["schemas"];
    let max_answers = smm::service::selection::MAX_ANSWERS as u64;
    assert_eq!(
        schemas["SaveAnswersRequest"]["properties"]["answers"]["maxItems"],
        max_answers
    );
    assert_eq!(
        schemas["RespondentInput"]["properties"]["answers"]["maxItems"],
        max_answers
    );
    let respondents = &schemas["ScoreRequest"]["properties"]["respondents"];
    assert_eq!(respondents["minItems"], 1);
    assert_eq!(
        respondents["maxItems"],
        smm::service::scoring::MAX_RESPONDENTS as u64
    );
    for request in ["ScoreRequest", "CreateAssessmentRequest"] {
        let models = &schemas[request]["properties"]["model_ids"];
        assert_eq!(models["minItems"], 1, "{request}");
        assert_eq!(models["uniqueItems"], true, "{request}");
    }
}
