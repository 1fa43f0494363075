// The sandbox's failure knobs and Chatwoot's own refusals: auth errors (CONTRACT.md §2.0), rack-attack's
// plain-text 429 (§5), injected errors / latency / "store, then hang", and per-route call counters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { chatwootSignature } from "../../functions/core/signatures.js";
import { field, num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import { startWebhookReceiver } from "../support/sandbox-receiver.js";

let sandbox: Sandbox;
let api: SandboxApi;
beforeAll(async () => {
  sandbox = await startSandbox();
  api = sandboxApi(sandbox);
});
afterAll(async () => sandbox.close());

describe("authentication and routing", () => {
  it("answers a missing token with devise's 401 and an unknown one with Invalid Access Token", async () => {
    const missing = await api.get("/contacts", { token: null });
    expect([missing.status, missing.json]).toEqual([
      401,
      { errors: ["You need to sign in or sign up before continuing."] },
    ]);
    const wrong = await api.get("/contacts", { token: "not-a-token" });
    expect([wrong.status, wrong.json]).toEqual([401, { error: "Invalid Access Token" }]);
  });

  it("accepts the hyphenated Api-Access-Token spelling too", async () => {
    const answer = await api.get("/contacts", { token: null, headers: { "Api-Access-Token": sandbox.apiToken } });
    expect(answer.status).toBe(200);
  });

  it("answers 404 for another account and for unknown routes", async () => {
    const other = await api.get(`${sandbox.url}/api/v1/accounts/2/contacts`);
    expect([other.status, other.json]).toEqual([404, { error: "Resource could not be found" }]);
    const unknown = await api.get("/no_such_thing");
    expect([unknown.status, unknown.json]).toEqual([404, { status: 404, error: "Not Found" }]);
  });

  it("shows the webhook secret to administrators only, and rotates it with reset_secret", async () => {
    const admin = await api.get("/inboxes/1");
    expect([field(admin.json, "secret"), field(admin.json, "webhook_url")]).toEqual([sandbox.webhookSecret, null]);
    const agent = await api.get("/inboxes/1", { token: sandbox.agentApiToken });
    expect([agent.status, field(agent.json, "secret"), field(agent.json, "hmac_token")]).toEqual([
      200,
      undefined,
      undefined,
    ]);
    const before = sandbox.webhookSecret;
    const rotated = await api.post("/inboxes/1/reset_secret");
    expect(field(rotated.json, "secret")).toBe(sandbox.webhookSecret);
    expect(sandbox.webhookSecret).not.toBe(before);
  });

  it("signs with the rotated secret after reset_secret", async () => {
    const receiver = await startWebhookReceiver();
    sandbox.setWebhookUrl(receiver.url);
    try {
      await api.post("/inboxes/1/reset_secret");
      const { messageId } = await seedConversation(api, "rotated");
      const hook = await receiver.waitFor((h) => h.body.id === messageId);
      const timestamp = String(hook.headers["x-chatwoot-timestamp"]);
      expect(hook.headers["x-chatwoot-signature"]).toBe(chatwootSignature(sandbox.webhookSecret, timestamp, hook.raw));
    } finally {
      sandbox.setWebhookUrl(null);
      await sandbox.webhooksIdle();
      await receiver.close();
    }
  });
});

describe("rate limits", () => {
  it("answers past the per-minute request limit with plain-text 'Retry later' and no Retry-After", async () => {
    // A fixed clock keeps all five requests in one of the throttle's minute windows (a real clock may cross one).
    const limited = await startSandbox({
      requestLimitPerMinute: 3,
      throttleClock: () => Date.UTC(2026, 5, 20, 14, 0, 30),
    });
    try {
      const limitedApi = sandboxApi(limited);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await limitedApi.get("/contacts")).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limitedApi.get("/contacts");
      expect([
        refused.status,
        refused.text,
        refused.headers.get("content-type"),
        refused.headers.get("retry-after"),
      ]).toEqual([429, "Retry later\n", "text/plain", null]);
    } finally {
      await limited.close();
    }
  });

  it("limits contact search to 100 a minute per account", async () => {
    const answers = [];
    for (let i = 0; i < 101; i += 1) answers.push((await api.get("/contacts/search?q=x")).status);
    expect(answers.slice(0, 100).every((status) => status === 200)).toBe(true);
    expect(answers[100]).toBe(429);
  });
});

describe("call counters", () => {
  it("counts calls per route key and resets on demand", async () => {
    sandbox.resetCalls();
    const { conversationId } = await seedConversation(api, "counted");
    await api.post(`/conversations/${conversationId}/messages`, { content: "one" });
    await api.get(`/conversations/${conversationId}/messages`);
    await api.patch(`/conversations/${conversationId}/messages/1`, { status: "read" });
    expect(sandbox.calls()).toEqual({
      "POST /contacts": 1,
      "POST /conversations": 1,
      "POST /conversations/:id/messages": 1,
      "GET /conversations/:id/messages": 1,
      "PATCH /conversations/:id/messages/:message_id": 1,
    });
    expect(sandbox.handlerMs()).toBeGreaterThan(0);
    sandbox.resetCalls();
    expect([sandbox.calls(), sandbox.handlerMs()]).toEqual([{}, 0]);
  });
});

describe("injected faults", () => {
  it("answers an error status for the next N calls before processing anything, then behaves again", async () => {
    const { conversationId } = await seedConversation(api, "fault-error");
    const before = sandbox.messages(conversationId).length;
    sandbox.addFault({ route: "POST /conversations/:id/messages", kind: "error", status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await api.post(`/conversations/${conversationId}/messages`, { content: `try ${i}` })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(
      sandbox
        .messages(conversationId)
        .map((m) => m.content)
        .slice(before),
    ).toEqual(["try 2"]);
    expect(sandbox.faults()).toEqual([]);
    expect(sandbox.calls()["POST /conversations/:id/messages"]).toBeGreaterThanOrEqual(3);
  });

  it("uses Chatwoot's bodies for common statuses and a given body when told", async () => {
    sandbox.addFault({ route: "GET /contacts", kind: "error", status: 500, times: 1 });
    sandbox.addFault({ route: "*", kind: "error", status: 418, body: { error: "teapot" }, times: 1 });
    expect((await api.get("/contacts")).json).toEqual({ status: 500, error: "Internal Server Error" });
    expect([(await api.get("/inboxes")).status, (await api.get("/inboxes")).status]).toEqual([418, 200]);
  });

  it("fires with probability 1 and never with probability 0", async () => {
    const never = sandbox.addFault({ route: "GET /inboxes", kind: "error", status: 500, probability: 0 });
    expect((await api.get("/inboxes")).status).toBe(200);
    sandbox.clearFaults(never.id);
    sandbox.addFault({ route: "GET /inboxes", kind: "error", status: 502, probability: 1, times: 1 });
    const answer = await api.get("/inboxes");
    expect([answer.status, answer.text]).toEqual([502, "502 Bad Gateway\n"]);
  });

  it("adds latency before processing: a client that gives up first leaves nothing stored", async () => {
    const { conversationId } = await seedConversation(api, "fault-latency");
    const before = sandbox.messages(conversationId).length;
    sandbox.addFault({ route: "POST /conversations/:id/messages", kind: "latency", delayMs: 60_000, times: 1 });
    const request = fetch(`${api.base}/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { api_access_token: sandbox.apiToken, "content-type": "application/json" },
      body: JSON.stringify({ content: "late" }),
      signal: AbortSignal.timeout(100),
    });
    await expect(request).rejects.toThrow();
    expect(sandbox.messages(conversationId).length).toBe(before);
  });

  it("stores the message, then hangs past the client's timeout", async () => {
    const { conversationId } = await seedConversation(api, "fault-hang");
    sandbox.addFault({ route: "POST /conversations/:id/messages", kind: "hang", times: 1 });
    const request = fetch(`${api.base}/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { api_access_token: sandbox.apiToken, "content-type": "application/json" },
      body: JSON.stringify({ content: "stored anyway", message_type: "incoming", source_id: "hang-1" }),
      signal: AbortSignal.timeout(150),
    });
    await expect(request).rejects.toThrow();
    const stored = await sandbox.waitForMessage((m) => m.sourceId === "hang-1");
    expect([stored.content, stored.conversationId]).toEqual(["stored anyway", conversationId]);
  });

  it("answers a delayed hang once the delay is over, with the work already done", async () => {
    const { conversationId } = await seedConversation(api, "fault-delay");
    sandbox.addFault({ route: "POST /conversations/:id/messages", kind: "hang", delayMs: 20, times: 1 });
    const answer = await api.post(`/conversations/${conversationId}/messages`, { content: "slow answer" });
    expect([answer.status, num(answer.json, "conversation_id")]).toEqual([200, conversationId]);
  });

  it("manages faults and counters over the /_sandbox control API", async () => {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${sandbox.url}/_sandbox${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const added = await control("POST", "/faults", { route: "GET /contacts", kind: "error", status: 429, times: 1 });
    expect(await added.json()).toMatchObject({ route: "GET /contacts", kind: "error", status: 429, times: 1, hits: 0 });
    expect((await api.get("/contacts")).text).toBe("Retry later\n");
    expect((await control("POST", "/faults", { route: "GET /contacts", kind: "explode" })).status).toBe(400);
    await control("DELETE", "/calls");
    await api.get("/contacts");
    expect(await (await control("GET", "/calls")).json()).toMatchObject({ calls: { "GET /contacts": 1 } });
  });
});
