// The bad-input matrix (issue 16): every refusal of spec §3.6 through real HTTP answers a clear JSON error before any
// side effect: no Chatwoot call, no item in the mapping table (no mapping, no claim), no queue entry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { tableItemCount } from "../support/table-items.js";
import { chatwootSignature } from "../../functions/core/signatures.js";
import { type Case, spec36Cases, utf8 } from "../support/bad-input-cases.js";
import { hardeningCases } from "../support/hardening-cases.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t.close());

async function send(c: Case) {
  if (!(c.body instanceof Uint8Array)) return t.api(c.method ?? "POST", c.path, c.body, c.headers);
  const response = await fetch(`${t.bridge.url}${c.path}`, {
    method: c.method ?? "POST",
    headers: { authorization: `Bearer ${t.bridge.apiKey}`, "content-type": "application/json", ...c.headers },
    body: c.body,
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Nothing anywhere: the sandbox saw no call, the table holds no item, the queue holds no message. */
async function expectNothingChanged() {
  expect(sandboxOf(t).calls()).toEqual({});
  expect(await tableItemCount(t.bridge.config)).toBe(0);
  expect(t.bridge.queue.stats()).toEqual({ visible: 0, inFlight: 0, invisible: 0, deadLetters: 0 });
}

describe("bad input changes nothing", () => {
  it.each([...spec36Cases, ...hardeningCases])("answers $status $code for $name, and changes nothing", async (c) => {
    const answer = await send(c);
    expect(answer.status).toBe(c.status);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    const error = (answer.body as { error: { code: string; message: string; details?: Array<{ path: string }> } })
      .error;
    expect(error.code).toBe(c.code);
    expect(error.message.length).toBeGreaterThan(0);
    if (c.detailPath) expect(error.details?.map((d) => d.path)).toContain(c.detailPath);
    if (c.message) expect(error.message).toBe(c.message);
    await expectNothingChanged();
  });

  it("refuses a signed webhook that is not UTF-8 (400 invalid_json) and queues nothing", async () => {
    const body = Buffer.concat([utf8('{"event":"message_created","content":"caf'), Buffer.from([0xe9]), utf8('"}')]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(`${t.bridge.url}/webhooks/chatwoot`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-chatwoot-timestamp": timestamp,
        "x-chatwoot-signature": chatwootSignature(sandboxOf(t).webhookSecret ?? "", timestamp, body),
      },
      body,
    });
    expect([response.status, await response.json()]).toEqual([
      400,
      { error: { code: "invalid_json", message: "Body is not valid UTF-8; JSON bodies must be encoded as UTF-8" } },
    ]);
    await expectNothingChanged();
  });

  it("refuses an unknown user on GET /contacts/{user_id} with 404 not_found", async () => {
    const answer = await t.api("GET", "/contacts/nobody%20here");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: "not_found", message: "No mapping for this user_id" } });
  });

  it("answers GET /health without a key", async () => {
    const response = await fetch(`${t.bridge.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});

// Runs after the matrix (tests of a file run in order): these create users, so the matrix's table stays empty.
describe("ids are exact", () => {
  it("keeps ids apart that differ only by case, Unicode normalisation or a space: each is its own contact", async () => {
    const ids = ["café", "cafe\u0301", "Café", "café "];
    const created = [];
    for (const id of ids) {
      const answer = await t.api(
        "POST",
        "/contacts",
        { user_id: id },
        { "content-type": "application/json; charset=UTF-8" },
      );
      created.push(answer.body as { user_id: string; contact_id: number; created: boolean });
    }
    expect(created.map((c) => [c.user_id, c.created])).toEqual(ids.map((id) => [id, true]));
    expect(new Set(created.map((c) => c.contact_id)).size).toBe(ids.length);
    for (const [i, id] of ids.entries()) {
      const read = await t.api("GET", `/contacts/${encodeURIComponent(id)}`);
      expect((read.body as { contact_id: number }).contact_id).toBe(created[i]?.contact_id);
    }
  });
});
