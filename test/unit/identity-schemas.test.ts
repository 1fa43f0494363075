// The external id rule and the custom_attributes limits, on the schemas alone (the HTTP matrix covers the routes).
import { describe, expect, it } from "vitest";
import { CUSTOM_ATTRIBUTES_LIMITS, customAttributes, externalId } from "../../functions/edge/identity-schemas.js";
import { readStrictJson } from "../../functions/edge/strict-json.js";

const messagesOf = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe("externalId", () => {
  it.each([
    "u-42",
    "alice",
    "Alice",
    " alice",
    "café",
    "cafe\u0301",
    "用户-7781",
    "😀",
    "a/b?c#d%e",
    "x".repeat(255),
    "a\u200db",
  ])("accepts %j verbatim (no trimming, case folding or normalisation)", (id) => {
    expect(externalId.safeParse(id)).toEqual({ success: true, data: id });
  });

  it.each([
    ["alice\ud800", "must be well-formed Unicode (it has a lone surrogate)"],
    ["alice\udfff", "must be well-formed Unicode (it has a lone surrogate)"],
    ["\udc00alice", "must be well-formed Unicode (it has a lone surrogate)"],
    ["u\u0000x", "must not contain control characters"],
    ["u\nx", "must not contain control characters"],
    ["u\u007fx", "must not contain control characters"],
    ["u\u0085x", "must not contain control characters"],
    ["admin\u202egnp", "must not contain bidirectional control characters"],
    ["\u2066u-1\u2069", "must not contain bidirectional control characters"],
    ["u\u200f", "must not contain bidirectional control characters"],
    ["   ", "must contain a visible character (not only spaces or invisible characters)"],
    ["\u200b", "must contain a visible character (not only spaces or invisible characters)"],
    ["\u200b\ufeff\u2060", "must contain a visible character (not only spaces or invisible characters)"],
    ["\u3164", "must contain a visible character (not only spaces or invisible characters)"],
    ["\u00a0\u3000", "must contain a visible character (not only spaces or invisible characters)"],
    ["", "must not be empty"],
    ["x".repeat(256), "must be at most 255 characters"],
  ])("refuses %j: %s", (id, message) => {
    expect(messagesOf(externalId.safeParse(id))).toContain(message);
  });

  it("keeps two ids apart that differ only in an unpaired surrogate, by refusing both", () => {
    expect([externalId.safeParse("alice\ud800").success, externalId.safeParse("alice\udfff").success]).toEqual([
      false,
      false,
    ]);
  });
});

describe("customAttributes", () => {
  const { maxDepth, maxKeys, maxBytes } = CUSTOM_ATTRIBUTES_LIMITS;
  const nested = (levels: number): unknown => (levels <= 1 ? { leaf: 1 } : { a: nested(levels - 1) });

  it("passes an accepted object through as the same value", () => {
    const value = { plan: "pro", seats: 3, tags: ["a", "b"], nested: { on: true } };
    expect(customAttributes.parse(value)).toBe(value);
  });

  it.each([
    ["nesting", nested(maxDepth + 1), `must be nested at most ${maxDepth} levels deep`],
    [
      "keys",
      Object.fromEntries(Array.from({ length: maxKeys + 1 }, (_, i) => [`k${i}`, i])),
      `must have at most ${maxKeys} keys in all`,
    ],
    ["size", { big: "x".repeat(maxBytes) }, `must be at most ${maxBytes} bytes as JSON`],
    ["a long key", { ["k".repeat(256)]: 1 }, "keys must be at most 255 characters"],
    ["not an object", ["a"], "must be an object"],
  ])("refuses too much %s", (_what, value, message) => {
    expect(messagesOf(customAttributes.safeParse(value))).toContain(message);
  });

  it("accepts exactly the limits", () => {
    expect(customAttributes.safeParse(nested(maxDepth)).success).toBe(true);
    const keys = Object.fromEntries(Array.from({ length: maxKeys }, (_, i) => [`k${i}`, i]));
    expect(customAttributes.safeParse(keys).success).toBe(true);
  });

  it.each([
    '{"__proto__":{"admin":true}}',
    '{"profile":{"__proto__":1}}',
    '{"constructor":"x"}',
    '{"list":[{"prototype":1}]}',
  ])("refuses %s rather than dropping the key", (text) => {
    expect(messagesOf(customAttributes.safeParse(readStrictJson(Buffer.from(text))))).toEqual([
      "must not use the keys __proto__, constructor or prototype",
    ]);
  });
});
