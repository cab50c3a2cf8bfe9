//! Which network addresses a webhook may be delivered to. Outside callers choose the URL, so
//! without this rule a tenant could make the service call its own loopback interface, the
//! cluster's private network or the cloud provider's metadata service (server-side request
//! forgery). Only globally routable unicast addresses pass.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether a delivery may connect to `address`.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()          // 0.0.0.0
        || a == 0                  // 0.0.0.0/8, "this network"
        || ip.is_loopback()        // 127.0.0.0/8
        || ip.is_private()         // 10/8, 172.16/12, 192.168/16
        || ip.is_link_local()      // 169.254/16, including cloud metadata at 169.254.169.254
        || (a == 100 && (64..128).contains(&b)) // 100.64/10, carrier-grade NAT
        || (a == 192 && b == 0 && c == 0)       // 192.0.0/24, protocol assignments
        || (a == 192 && b == 0 && c == 2)       // documentation
        || (a == 198 && (18..20).contains(&b))  // 198.18/15, benchmarking
        || (a == 198 && b == 51 && c == 100)    // documentation
        || (a == 203 && b == 0 && c == 113)     // documentation
        || ip.is_multicast()       // 224/4
        || a >= 240) // 240/4 reserved, and broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    // Addresses that embed an IPv4 address reach that address: judge it instead.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    if segments[0] == 0x64 && segments[1] == 0xff9b && segments[2..6] == [0, 0, 0, 0] {
        let [.., hi, lo] = segments;
        let v4 = Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
        return is_public_v4(v4); // 64:ff9b::/96, NAT64
    }
    // Only global unicast (2000::/3) passes: loopback, unspecified, link-local, site-local,
    // unique-local, multicast, the IPv4-compatible and -translated forms and local NAT64
    // (64:ff9b:1::/48) all lie outside it. Within it, the forms that carry an IPv4 address to
    // an unknown relay, and documentation, are refused too.
    let global_unicast = (segments[0] & 0xe000) == 0x2000;
    global_unicast
        && !(segments[0] == 0x2002 // 6to4
            || (segments[0] == 0x2001 && segments[1] == 0x0000) // Teredo
            || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
            || (segments[0] == 0x3fff && segments[1] < 0x1000)) // documentation (3fff::/20)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(address: &str) -> bool {
        is_public(address.parse().unwrap())
    }

    #[test]
    fn internal_ranges_are_refused() {
        for address in [
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "fd00::1",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::a9fe:a9fe",
            "::127.0.0.1",
            "::ffff:0:a9fe:a9fe",
            "fec0::1",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "100::1",
        ] {
            assert!(!public(address), "{address} must be refused");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for address in [
            "93.184.216.34",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "::ffff:93.184.216.34",
            "64:ff9b::5db8:d822",
        ] {
            assert!(public(address), "{address} must pass");
        }
    }
}
