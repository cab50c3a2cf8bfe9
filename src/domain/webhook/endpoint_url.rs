//! The URL an endpoint is registered with. Checked when it is registered, for early feedback;
//! the addresses it resolves to are checked again at every delivery, where the connection is made
//! (a name can resolve differently later).

use url::{Host, Url};

use super::address::is_public;

/// The longest URL accepted.
pub const MAX_URL_CHARS: usize = 2048;

/// What a deployment allows webhook URLs to reach; both off in production.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddressPolicy {
    /// `SMM_WEBHOOK_ALLOW_HTTP`: plain `http` URLs too (local development and tests).
    pub allow_http: bool,
    /// `SMM_WEBHOOK_ALLOW_PRIVATE_ADDRESSES`: loopback, private and link-local addresses too.
    pub allow_private: bool,
}

impl AddressPolicy {
    /// Whether a delivery may connect to `address`.
    pub fn permits(&self, address: std::net::IpAddr) -> bool {
        self.allow_private || is_public(address)
    }
}

/// The URL, normalised, or why it cannot receive webhooks.
pub fn check(url: &str, policy: AddressPolicy) -> Result<Url, String> {
    if url.chars().count() > MAX_URL_CHARS {
        return Err(format!("at most {MAX_URL_CHARS} characters"));
    }
    if !has_documented_shape(url) {
        return Err(
            "must be an http(s) URL with a host, without spaces, credentials or fragment"
                .to_owned(),
        );
    }
    let parsed = Url::parse(url).map_err(|error| format!("not an absolute URL: {error}"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if policy.allow_http => {}
        "http" => return Err("must be an https URL".to_owned()),
        other => return Err(format!("must be an https URL, not {other}")),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not hold credentials: receivers verify the signature instead".to_owned());
    }
    if parsed.fragment().is_some() {
        return Err("must not have a fragment".to_owned());
    }
    let internal = match parsed.host() {
        None => return Err("must name a host".to_owned()),
        Some(Host::Ipv4(ip)) => !policy.permits(ip.into()),
        Some(Host::Ipv6(ip)) => !policy.permits(ip.into()),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            !policy.allow_private && (name == "localhost" || name.ends_with(".localhost"))
        }
    };
    if internal {
        return Err(
            "must not point at a loopback, private, link-local or reserved address".to_owned(),
        );
    }
    Ok(parsed)
}

/// The shape the API documents for webhook URLs (the `url` schema's pattern, held to this by
/// `tests/api/documented_patterns.rs`): an http(s) scheme, a non-empty authority without
/// credentials, no whitespace, no fragment. Checked on the raw text: the URL parser alone would
/// forgive what the pattern refuses (surrounding spaces, tabs inside, a backslash for a slash).
fn has_documented_shape(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let visible = |c: char| c > ' ' && c != '\u{7f}';
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && !authority.is_empty()
        && authority
            .chars()
            .all(|c| visible(c) && !matches!(c, '#' | '@' | '\\'))
        && tail.chars().all(|c| visible(c) && c != '#')
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: AddressPolicy = AddressPolicy {
        allow_http: false,
        allow_private: false,
    };

    #[test]
    fn public_https_urls_pass_normalised() {
        let url = check("HTTPS://Hooks.Example.com/smm?x=1", STRICT).unwrap();
        assert_eq!(url.as_str(), "https://hooks.example.com/smm?x=1");
    }

    #[test]
    fn unsafe_or_unusable_urls_are_refused() {
        for url in [
            "http://hooks.example.com/",
            "ftp://hooks.example.com/",
            "https://user:pass@hooks.example.com/",
            "https://hooks.example.com/#part",
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.8/",
            "https://[::ffff:10.0.0.8]/",
            "https://localhost:8443/",
            "https://api.localhost/",
            "https://2130706433/", // 127.0.0.1 written as a number
            "hooks.example.com/no-scheme",
            // The URL parser forgives these; the documented pattern does not.
            " https://hooks.example.com/",
            "https://hooks.example.com/a\tb",
            "https://hooks.example.com\\smm",
            "https:///smm",
        ] {
            assert!(check(url, STRICT).is_err(), "{url} must be refused");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_CHARS));
        assert!(check(&long, STRICT).is_err());
    }

    #[test]
    fn development_settings_open_http_and_private_addresses() {
        let open = AddressPolicy {
            allow_http: true,
            allow_private: true,
        };
        assert!(check("http://127.0.0.1:8081/hook", open).is_ok());
        let http_only = AddressPolicy {
            allow_http: true,
            allow_private: false,
        };
        assert!(check("http://hooks.example.com/", http_only).is_ok());
        assert!(check("http://127.0.0.1:8081/hook", http_only).is_err());
    }
}
