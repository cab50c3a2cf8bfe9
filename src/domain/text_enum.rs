//! Enums whose values are written as fixed texts: in documents, in the store, in query strings.
//! One list per enum gives its texts, its parsing and `ALL`, so that none of them can miss a
//! variant: the `match` in `as_str` is exhaustive, and `ALL` is built from the same list (the
//! OpenAPI document's enums are read from `ALL`).

/// `text_enum!(Type { Variant => "text", … })`, beside the enum's declaration: `Type::ALL` (every
/// variant, in the order given), `as_str`, `parse` and `FromStr` (whose error lists the texts).
macro_rules! text_enum {
    ($type:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $type {
            /// Every value, in the order of the list.
            pub const ALL: &'static [$type] = &[$($type::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($type::$variant => $text),+
                }
            }

            /// The value written as `text`, if any.
            pub fn parse(text: &str) -> Option<$type> {
                match text {
                    $($text => Some($type::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::str::FromStr for $type {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $type::parse(text).ok_or_else(|| {
                    $crate::domain::text_enum::must_be($type::ALL.iter().map(|value| value.as_str()))
                })
            }
        }
    };
}

pub(crate) use text_enum;

/// "must be `a`, `b` or `c`".
pub fn must_be(texts: impl Iterator<Item = &'static str>) -> String {
    let quoted: Vec<String> = texts.map(|text| format!("`{text}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => format!("must be {last}"),
        Some((last, rest)) => format!("must be {} or {last}", rest.join(", ")),
        None => "must be nothing".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Colour {
        Red,
        Dark,
        Green,
    }

    text_enum!(Colour { Red => "red", Dark => "dark-blue", Green => "green" });

    #[test]
    fn every_value_is_listed_and_reads_back() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::Dark, Colour::Green]);
        for colour in Colour::ALL {
            assert_eq!(colour.as_str().parse::<Colour>(), Ok(*colour));
        }
        assert_eq!(Colour::parse("blue"), None);
        assert_eq!(
            "blue".parse::<Colour>(),
            Err("must be `red`, `dark-blue` or `green`".to_owned())
        );
    }
}
