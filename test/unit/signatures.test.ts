import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chatwootSignature, isFreshTimestamp, isValidChatwootSignature } from "../../functions/core/signatures.js";
import { sharedFile } from "../support/shared-dir.js";

interface Vector {
  secret: string;
  headers: Record<string, string>;
  raw_body: string;
}
const vector = JSON.parse(readFileSync(sharedFile("chatwoot/webhooks/_signature_test_vector.json"), "utf8")) as Vector;

describe("Chatwoot signatures", () => {
  it("verifies the shared test vector over its exact raw bytes", () => {
    const timestamp = vector.headers["X-Chatwoot-Timestamp"] ?? "";
    const header = vector.headers["X-Chatwoot-Signature"] ?? "";
    expect(chatwootSignature(vector.secret, timestamp, Buffer.from(vector.raw_body, "utf8"))).toBe(header);
    expect(isValidChatwootSignature(vector.secret, timestamp, Buffer.from(vector.raw_body, "utf8"), header)).toBe(true);
  });

  it("refuses the vector re-serialised, with another secret, or with another timestamp", () => {
    const timestamp = vector.headers["X-Chatwoot-Timestamp"] ?? "";
    const header = vector.headers["X-Chatwoot-Signature"] ?? "";
    // What a framework that parses then re-serialises would verify: same data, other bytes.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(vector.raw_body), null, 1), "utf8");
    expect(reserialised.equals(Buffer.from(vector.raw_body))).toBe(false);
    expect(isValidChatwootSignature(vector.secret, timestamp, reserialised, header)).toBe(false);
    expect(isValidChatwootSignature("other-secret", timestamp, Buffer.from(vector.raw_body), header)).toBe(false);
    expect(
      isValidChatwootSignature(vector.secret, String(Number(timestamp) + 1), Buffer.from(vector.raw_body), header),
    ).toBe(false);
  });

  it("accepts timestamps within five minutes either way and refuses older or newer ones", () => {
    const now = 1_781_964_343_000;
    expect(isFreshTimestamp(1_781_964_343 - 300, now)).toBe(true);
    expect(isFreshTimestamp(1_781_964_343 + 300, now)).toBe(true);
    expect(isFreshTimestamp(1_781_964_343 - 301, now)).toBe(false);
    expect(isFreshTimestamp(1_781_964_343 + 301, now)).toBe(false);
    expect(isFreshTimestamp(Number.NaN, now)).toBe(false);
  });
});
