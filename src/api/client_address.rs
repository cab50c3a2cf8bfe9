//! Who is asking, by network address, for the endpoints that have no token to tell: the token
//! endpoint and share links. Behind a load balancer every peer is the balancer, so its
//! `X-Forwarded-For` is believed, but only from the proxies named in `SMM_TRUSTED_PROXIES`
//! (anyone else can write that header): walking the list from the right, the first address that is
//! not a trusted proxy is the client's.

use std::future::{Ready, ready};
use std::net::{AddrParseError, IpAddr, Ipv4Addr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest, web};

use crate::error::ApiError;
use crate::rate_limit::RateLimits;
use crate::settings::TrustedProxies;

/// The client's address, after spending one request of its per-address budget (429 beyond it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitedAddress(pub IpAddr);

impl FromRequest for LimitedAddress {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let address = client_address(request);
        let spent = match request.app_data::<web::Data<RateLimits>>() {
            Some(limits) => limits.spend_address(address),
            None => Ok(()),
        };
        ready(spent.map(|()| LimitedAddress(address)))
    }
}

/// The address a request comes from, as far as this service can tell.
pub fn client_address(request: &HttpRequest) -> IpAddr {
    let peer = request
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
    let trusted = request.app_data::<web::Data<TrustedProxies>>();
    match trusted {
        Some(trusted) => from_forwarded(peer, request.headers(), trusted),
        None => peer,
    }
}

fn from_forwarded(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    if !trusted.contains(peer) {
        return peer;
    }
    // Several headers read as one list, in order.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop_address(hop) {
            Ok(address) if trusted.contains(address) => client = address,
            Ok(address) => return address,
            // Not an address: nothing left of it can be believed.
            Err(_) => return client,
        }
    }
    client
}

/// A hop as proxies write it: an address, or an address with a port (`203.0.113.9:41234`,
/// `[2001:db8::1]:443`), as some balancers append.
fn hop_address(hop: &str) -> Result<IpAddr, AddrParseError> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|socket| socket.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(
                HeaderName::from_static("x-forwarded-for"),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_trusted_proxies() {
        let none: TrustedProxies = "".parse().unwrap();
        let balancer: TrustedProxies = "10.0.0.0/8, 192.168.1.1".parse().unwrap();
        let forged = headers(&["203.0.113.9"]);
        assert_eq!(
            from_forwarded(ip("198.51.100.7"), &forged, &none),
            ip("198.51.100.7")
        );
        assert_eq!(
            from_forwarded(ip("198.51.100.7"), &forged, &balancer),
            ip("198.51.100.7")
        );
        assert_eq!(
            from_forwarded(ip("10.1.2.3"), &forged, &balancer),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        // The client wrote a forged first entry; the balancers appended the truth.
        let chain = headers(&["1.1.1.1, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(
            from_forwarded(ip("10.0.0.1"), &chain, &proxies),
            ip("203.0.113.9")
        );
        let garbage = headers(&["not-an-address, 10.0.0.2"]);
        assert_eq!(
            from_forwarded(ip("10.0.0.1"), &garbage, &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(
            from_forwarded(ip("10.0.0.1"), &headers(&[]), &proxies),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn hops_written_with_a_port_are_addresses() {
        let proxies: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let v4 = headers(&["203.0.113.9:41234, 10.0.0.2:443"]);
        assert_eq!(
            from_forwarded(ip("10.0.0.1"), &v4, &proxies),
            ip("203.0.113.9")
        );
        let v6 = headers(&["[2001:db8::7]:41234"]);
        assert_eq!(
            from_forwarded(ip("10.0.0.1"), &v6, &proxies),
            ip("2001:db8::7")
        );
    }
}
