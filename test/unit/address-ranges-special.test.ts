// Ranges ipaddr.js classifies beyond the hand-kept list address-ranges.test.ts pins: refused as well, since a file
// host is ordinary public unicast. The IPv4-translated form is judged by the IPv4 address it carries.
import { describe, expect, it } from "vitest";
import { isBlockedAddress } from "../../functions/adapters/address-ranges.js";

describe("isBlockedAddress beyond the pinned list", () => {
  it.each([
    ["::ffff:0:127.0.0.1", "IPv4-translated loopback (RFC 6145)"],
    ["::ffff:0:a9fe:a9fe", "IPv4-translated metadata address"],
    ["192.175.48.1", "AS112 anycast"],
    ["192.52.193.1", "AMT anycast"],
    ["2001:2::1", "IPv6 benchmarking"],
    ["2001:20::1", "ORCHIDv2"],
    ["3fff::1", "IPv6 documentation (RFC 9637)"],
    ["5f00::1", "segment routing SIDs"],
    ["127.1", "a shortened IPv4 form node:net does not accept"],
    ["0x7f000001", "a hexadecimal IPv4 form"],
  ])("refuses %s (%s)", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it("allows the IPv4-translated form of a public address", () => {
    expect(isBlockedAddress("::ffff:0:93.184.216.34")).toBe(false);
  });
});
