// Exactly once under Chatwoot failures: ambiguous timeouts (stored, then no answer) and random 5xx.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge, sandboxOf } from "../support/bridge.js";
import { chatwootReader } from "../support/chatwoot-reader.js";

let t: TestBridge;
let cw: ReturnType<typeof chatwootReader>;
// A deterministic "random" so the 30 % fault rate is the same on every run.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

beforeAll(async () => {
  t = await startTestBridge({ CHATWOOT_TIMEOUT_MS: "400" }, { sandbox: { random } });
  if (!t.bridge.sandbox) throw new Error("sandbox expected");
  cw = chatwootReader(t.bridge.sandbox);
});
afterAll(async () => t.close());
afterEach(() => t.bridge.sandbox?.clearFaults());

const sandbox = () => sandboxOf(t);

async function conversationOf(userId: string): Promise<number> {
  return ((await t.api("GET", `/contacts/${encodeURIComponent(userId)}`)).body as { conversation_id: number })
    .conversation_id;
}

describe("an ambiguous timeout", () => {
  it("answers 504 when Chatwoot stored the message but never answered, and the client's retry finds it: one message, 200 duplicate", async () => {
    await t.api("POST", "/messages", { user_id: "amb-1", message_id: "m-0", content: "warm up" });
    sandbox().addFault({ route: "POST /conversations/:id/messages", kind: "hang", times: 1 });
    const first = await t.api("POST", "/messages", { user_id: "amb-1", message_id: "m-1", content: "did it arrive?" });
    expect(first.status).toBe(504);
    expect((first.body as { error: { code: string } }).error.code).toBe("chatwoot_timeout");
    sandbox().resetCalls();
    const retry = await t.api("POST", "/messages", { user_id: "amb-1", message_id: "m-1", content: "did it arrive?" });
    expect(retry.status).toBe(200);
    expect((retry.body as { duplicate: boolean }).duplicate).toBe(true);
    expect(sandbox().calls()).toEqual({ "GET /conversations/:id/messages": 1 });
    const contents = (await cw.messagesOf(await conversationOf("amb-1"))).map((m) => m.content);
    expect(contents).toEqual(["warm up", "did it arrive?"]);
  });

  it("recovers a new user's first message whose conversation create timed out after Chatwoot stored it", async () => {
    sandbox().addFault({ route: "POST /conversations", kind: "hang", times: 1 });
    const first = await t.api("POST", "/messages", { user_id: "amb-2", message_id: "m-1", content: "first words" });
    expect(first.status).toBe(504);
    const retry = await t.api("POST", "/messages", { user_id: "amb-2", message_id: "m-1", content: "first words" });
    expect(retry.status).toBe(200);
    expect((retry.body as { duplicate: boolean }).duplicate).toBe(true);
    const contacts = await cw.contactsWithIdentifier("amb-2");
    expect(contacts).toHaveLength(1);
    const conversations = await cw.conversationsOf(contacts[0]?.id ?? 0);
    expect(conversations).toHaveLength(1);
    expect((await cw.messagesOf(conversations[0]?.id ?? 0)).map((m) => m.content)).toEqual(["first words"]);
    expect(await conversationOf("amb-2")).toBe(conversations[0]?.id);
  });

  it("posts the message on retry when the timed-out attempt never reached Chatwoot", async () => {
    await t.api("POST", "/messages", { user_id: "amb-3", message_id: "m-0", content: "warm up" });
    sandbox().addFault({ route: "POST /conversations/:id/messages", kind: "latency", delayMs: 1_000, times: 1 });
    sandbox().addFault({ route: "POST /conversations/:id/messages", kind: "error", status: 500, times: 1 });
    expect((await t.api("POST", "/messages", { user_id: "amb-3", message_id: "m-1", content: "second" })).status).toBe(
      502,
    );
    const retry = await t.api("POST", "/messages", { user_id: "amb-3", message_id: "m-1", content: "second" });
    expect(retry.status).toBe(201);
    expect((await cw.messagesOf(await conversationOf("amb-3"))).map((m) => m.content)).toEqual(["warm up", "second"]);
  });
});

describe("30 % of Chatwoot calls failing with 5xx", () => {
  it("still stores every message exactly once when clients retry with the same message_id", async () => {
    sandbox().addFault({ route: "*", kind: "error", status: 500, probability: 0.3 });
    sandbox().addFault({ route: "*", kind: "error", status: 503, probability: 0.1 });
    const statuses = new Map<number, number>();
    for (let u = 0; u < 6; u++) {
      for (let m = 0; m < 5; m++) {
        const body = { user_id: `flaky-${u}`, message_id: `f-${m}`, content: `flaky ${u}.${m}` };
        let answer = await t.api("POST", "/messages", body);
        for (let tries = 1; answer.status >= 500 && tries < 30; tries++) {
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          answer = await t.api("POST", "/messages", body);
        }
        expect([200, 201]).toContain(answer.status);
      }
    }
    expect(statuses.get(502)).toBeGreaterThan(0);
    sandbox().clearFaults();
    for (let u = 0; u < 6; u++) {
      const contacts = await cw.contactsWithIdentifier(`flaky-${u}`);
      expect(contacts).toHaveLength(1);
      const conversations = await cw.conversationsOf(contacts[0]?.id ?? 0);
      expect(conversations).toHaveLength(1);
      expect((await cw.messagesOf(conversations[0]?.id ?? 0)).map((m) => m.content)).toEqual(
        [0, 1, 2, 3, 4].map((m) => `flaky ${u}.${m}`),
      );
    }
  });

  it("answers 503 with Retry-After (rack-attack's next window) when Chatwoot's plain-text 429 persists", async () => {
    await t.api("POST", "/messages", { user_id: "limited", message_id: "m-0", content: "warm up" });
    sandbox().addFault({ route: "POST /conversations/:id/messages", kind: "error", status: 429 });
    sandbox().resetCalls();
    const answer = await t.api("POST", "/messages", { user_id: "limited", message_id: "m-1", content: "later" });
    expect(answer.status).toBe(503);
    const retryAfter = Number(answer.headers.get("retry-after"));
    expect(retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(answer.body).toMatchObject({
      error: { code: "chatwoot_unavailable", message: expect.stringMatching(/rate-limiting the bridge \(429\)/) },
    });
    // Backed off and tried again within the call's budget (2 × CHATWOOT_TIMEOUT_MS), never past it.
    const attempts = sandbox().calls()["POST /conversations/:id/messages"] ?? 0;
    expect(attempts > 1 && attempts <= 5).toBe(true);
  });

  it("posts the message once when Chatwoot's 429 clears after a refusal (backoff, no 503)", async () => {
    await t.api("POST", "/messages", { user_id: "limited-2", message_id: "m-0", content: "warm up" });
    // One refusal: this file's 400 ms CHATWOOT_TIMEOUT_MS gives a call 800 ms, which a second jittered backoff
    // (up to 500 ms more) could use up on a loaded machine.
    sandbox().addFault({ route: "POST /conversations/:id/messages", kind: "error", status: 429, times: 1 });
    const answer = await t.api("POST", "/messages", { user_id: "limited-2", message_id: "m-1", content: "later" });
    expect(answer.status).toBe(201);
    const conversation = await conversationOf("limited-2");
    expect(
      sandbox()
        .messages(conversation)
        .map((m) => m.content),
    ).toEqual(["warm up", "later"]);
  });
});
