// Which IP addresses a download may connect to: none in a private, loopback, link-local, carrier-grade NAT, multicast,
// reserved or documentation range, and no IPv6 form that embeds such an IPv4 address (mapped, NAT64, 6to4). Pure.
import { isIPv4, isIPv6 } from "node:net";

type Range = readonly [network: string, prefix: number];

const BLOCKED_V4: readonly Range[] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, where cloud metadata services answer
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
];

const BLOCKED_V6: readonly Range[] = [
  ["::", 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard-only
  ["2001::", 32], // Teredo: the IPv4 inside is obfuscated, so no check could vouch for it
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

/** IPv6 prefixes that carry an IPv4 address: the IPv4 address decides. `shift` finds it in the 128 bits. */
const EMBEDDING_V6: ReadonlyArray<{ range: Range; shift: bigint }> = [
  { range: ["::ffff:0:0", 96], shift: 0n }, // IPv4-mapped
  { range: ["64:ff9b::", 96], shift: 0n }, // NAT64 well-known prefix
  { range: ["2002::", 16], shift: 80n }, // 6to4: 2002:AABB:CCDD::/48 embeds AA.BB.CC.DD
];

/** True when a download must not connect to `address`; anything that is not an IP address is refused too. */
export function isBlockedAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(plain)) return BLOCKED_V4.some((range) => inRange(v4Bits(plain), range, 32));
  if (!isIPv6(plain)) return true;
  const bits = v6Bits(plain);
  if (BLOCKED_V6.some((range) => inRange(bits, range, 128))) return true;
  const embedding = EMBEDDING_V6.find(({ range }) => inRange(bits, range, 128));
  if (!embedding) return false;
  const v4 = (bits >> embedding.shift) & 0xffff_ffffn;
  return BLOCKED_V4.some((range) => inRange(v4, range, 32));
}

function inRange(bits: bigint, [network, prefix]: Range, width: number): boolean {
  const base = width === 32 ? v4Bits(network) : v6Bits(network);
  const shift = BigInt(width - prefix);
  return bits >> shift === base >> shift;
}

function v4Bits(address: string): bigint {
  return address.split(".").reduce((bits, octet) => (bits << 8n) | BigInt(Number(octet)), 0n);
}

/** A valid IPv6 address (isIPv6) as 128 bits; a trailing dotted IPv4 part counts as the last two groups. */
function v6Bits(address: string): bigint {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted !== undefined) {
    const v4 = v4Bits(dotted);
    text = `${text.slice(0, -dotted.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return all.reduce((bits, group) => (bits << 16n) | BigInt(parseInt(group, 16)), 0n);
}
