// GET /contacts/{user_id} through the local server, which hands the handler the event API Gateway HTTP APIs send:
// the path parameter decoded exactly once (spec §3.4), whatever characters the user_id holds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t?.close());

const LONGEST = `${"ü".repeat(127)}${"x".repeat(128)}`;
const IDS = [
  ["a percent sign", "100%pure"],
  ["a slash (%2F)", "team/a"],
  ["a question mark", "who?me"],
  ["a hash", "room#5"],
  ["spaces", "Ada  Lovelace "],
  ["an emoji", "user-😀-🚀"],
  ["what looks like an escape", "u%41"],
  ["255 characters", LONGEST],
] as const;

describe("GET /contacts/{user_id} with any printable user_id", () => {
  it.each(IDS)("reads the user whose id holds %s, percent-encoded once in the path", async (_, userId) => {
    const created = await t.api("POST", "/contacts", { user_id: userId });
    expect(created.status).toBe(201);
    const read = await t.api("GET", `/contacts/${encodeURIComponent(userId)}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      user_id: userId,
      contact_id: (created.body as { contact_id: number }).contact_id,
    });
  });

  it("decodes once only: `u%2541` names the user `u%41`, and `uA` is another user", async () => {
    expect(LONGEST).toHaveLength(255);
    const read = await t.api("GET", `/contacts/${encodeURIComponent("uA")}`);
    expect([read.status, (read.body as { error: { code: string } }).error.code]).toEqual([404, "not_found"]);
  });

  it("refuses a 256-character id and a malformed escape with 400 naming user_id, with no Chatwoot call", async () => {
    sandboxOf(t).resetCalls();
    const long = await t.api("GET", `/contacts/${encodeURIComponent(`${LONGEST}y`)}`);
    const malformed = await t.api("GET", "/contacts/ab%E0%A4%A");
    for (const answer of [long, malformed]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "validation_failed", details: [{ path: "user_id" }] } });
    }
    expect((long.body as { error: { message: string } }).error.message).toMatch(/255/);
    expect(sandboxOf(t).calls()).toEqual({});
  });
});
