//! Model versions: `MAJOR.MINOR.PATCH`, ordered numerically so that `1.10.0` is newer than `1.9.0`.

use std::{fmt, str::FromStr};

/// A released version of a model definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split('.').collect();
        let number = |part: &str| -> Option<u32> {
            // Leading zeros would give one version two spellings.
            let canonical = part == "0" || !part.starts_with('0');
            let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            (canonical && digits).then(|| part.parse().ok()).flatten()
        };
        match parts.as_slice() {
            [major, minor, patch] => match (number(major), number(minor), number(patch)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Version {
                    major,
                    minor,
                    patch,
                }),
                _ => Err(format!(
                    "`{s}` is not a version of the form MAJOR.MINOR.PATCH"
                )),
            },
            _ => Err(format!(
                "`{s}` is not a version of the form MAJOR.MINOR.PATCH"
            )),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_numerically_not_lexically() {
        let older: Version = "1.9.0".parse().unwrap();
        let newer: Version = "1.10.0".parse().unwrap();
        assert!(newer > older);
        assert_eq!(newer.to_string(), "1.10.0");
    }

    #[test]
    fn malformed_versions_are_rejected() {
        for bad in [
            "", "1", "1.0", "1.0.0.0", "v1.0.0", "1.0.x", "01.0.0", "1..0", "-1.0.0",
        ] {
            assert!(
                bad.parse::<Version>().is_err(),
                "{bad:?} should be rejected"
            );
        }
    }
}
