// Which IP addresses a download may connect to: only ordinary public unicast as ipaddr.js classifies it (no private,
// loopback, link-local, carrier-grade NAT, multicast, reserved, documentation or other special range), and no IPv6
// form that embeds a refused IPv4 address (mapped, translated, NAT64, 6to4). Pure.
import { isIPv4, isIPv6 } from "node:net";
import ipaddr from "ipaddr.js";

/** The deprecated IPv4-compatible form `::a.b.c.d` (with `::` and `::1`): refused outright. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");
/** NAT64's well-known prefix; the local-use 64:ff9b:1::/48 (also "rfc6052") reaches private networks. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");

/** True when a download must not connect to `address`; anything that is not an IP address is refused too. */
export function isBlockedAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  // node:net accepts canonical forms only; ipaddr.js alone would also read "127.1" or "0x7f000001".
  if (isIPv4(plain)) return !isPublicV4(ipaddr.IPv4.parse(plain));
  if (!isIPv6(plain)) return true;
  const v6 = ipaddr.IPv6.parse(plain);
  if (v6.match(IPV4_COMPATIBLE)) return true;
  const embedded = embeddedV4(v6);
  if (embedded) return !isPublicV4(embedded);
  // Teredo too: the IPv4 address inside is obfuscated, so no check could vouch for it.
  return v6.range() !== "unicast";
}

function isPublicV4(address: ipaddr.IPv4): boolean {
  return address.range() === "unicast";
}

/** The IPv4 address carried by an IPv6 form that hands traffic to it (RFC 4291 §2.5.5.2, RFC 6052, RFC 3056). */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const [, high = 0, low = 0, , , , last6 = 0, last7 = 0] = address.parts;
  switch (address.range()) {
    case "ipv4Mapped":
    case "rfc6145":
      return v4Of(last6, last7);
    case "rfc6052":
      return address.match(NAT64_WELL_KNOWN) ? v4Of(last6, last7) : undefined;
    case "6to4":
      return v4Of(high, low);
    default:
      return undefined;
  }
}

function v4Of(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
