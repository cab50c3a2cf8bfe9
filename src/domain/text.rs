//! Languages the service speaks and text that exists in every one of them.

use std::fmt;

/// A language the catalogue is written in. Every piece of text exists in all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    /// Every supported language; the first is the default.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// The BCP 47 primary language subtag.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// Matches a language tag such as `nl`, `NL` or `nl-BE` by its primary subtag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Text available in every [`Lang`]; built only by validation, so a translation is never missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    en: String,
    nl: String,
}

impl Text {
    /// Text with both translations given.
    pub fn new(en: impl Into<String>, nl: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            nl: nl.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_match_on_their_primary_subtag_case_insensitively() {
        assert_eq!(Lang::from_tag("nl"), Some(Lang::Nl));
        assert_eq!(Lang::from_tag("NL-be"), Some(Lang::Nl));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::from_tag(""), None);
    }
}
