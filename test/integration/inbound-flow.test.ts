// The inbound path end to end: real HTTP, the embedded store, the Chatwoot sandbox counting calls (issue #4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBridge, type TestBridge } from "../support/bridge.js";
import { chatwootReader } from "../support/chatwoot-reader.js";

let t: TestBridge;
let cw: ReturnType<typeof chatwootReader>;
beforeAll(async () => {
  t = await startTestBridge();
  if (!t.bridge.sandbox) throw new Error("sandbox expected");
  cw = chatwootReader(t.bridge.sandbox);
});
afterAll(async () => t.close());

const calls = () => t.bridge.sandbox?.calls() ?? {};
const reset = () => t.bridge.sandbox?.resetCalls();

describe("the seed flow, step by step", () => {
  it("creates the contact, then the conversation, then posts an incoming message carrying the bridge's source_id", async () => {
    const contact = await t.api("POST", "/contacts", {
      user_id: "seed-1",
      name: "Ada Lovelace",
      email: "ada@example.com",
      custom_attributes: { plan: "pro" },
    });
    expect(contact.status).toBe(201);
    const body = contact.body as { contact_id: number; source_id: string };
    expect(contact.body).toEqual({
      user_id: "seed-1",
      contact_id: body.contact_id,
      source_id: body.source_id,
      inbox_id: t.bridge.config.chatwootInboxId,
      created: true,
    });
    expect(await cw.contactInboxesOf(body.contact_id)).toEqual([
      expect.objectContaining({ source_id: body.source_id }),
    ]);

    const again = await t.api("POST", "/contacts", { user_id: "seed-1", name: "Ada King" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...(contact.body as object), created: false });
    expect((await cw.contactsWithIdentifier("seed-1")).map((c) => c.name)).toEqual(["Ada King"]);

    const conversation = await t.api("POST", "/conversations", { user_id: "seed-1" });
    expect(conversation.status).toBe(201);
    const conversationId = (conversation.body as { conversation_id: number }).conversation_id;
    expect(conversation.body).toEqual({
      user_id: "seed-1",
      thread_id: null,
      contact_id: body.contact_id,
      source_id: body.source_id,
      conversation_id: conversationId,
      status: "open",
      created: true,
    });
    const same = await t.api("POST", "/conversations", { user_id: "seed-1" });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ ...(conversation.body as object), created: false });

    const message = await t.api("POST", "/messages", {
      user_id: "seed-1",
      message_id: "m-1",
      content: "Hello, my order is late",
    });
    expect(message.status).toBe(201);
    const posted = message.body as { chatwoot_message_id: number; source_id: string };
    expect(message.body).toEqual({
      message_id: "m-1",
      chatwoot_message_id: posted.chatwoot_message_id,
      conversation_id: conversationId,
      contact_id: body.contact_id,
      source_id: body.source_id,
      duplicate: false,
    });
    const stored = await cw.messagesOf(conversationId);
    expect(stored.map((m) => [m.id, m.content, m.message_type])).toEqual([
      [posted.chatwoot_message_id, "Hello, my order is late", 0],
    ]);
    expect(stored[0]?.source_id).toMatch(/^cwb-msg-[0-9a-f]{40}$/);

    const mapping = await t.api("GET", "/contacts/seed-1");
    expect(mapping.status).toBe(200);
    expect(mapping.body).toEqual({
      user_id: "seed-1",
      thread_id: null,
      contact_id: body.contact_id,
      source_id: body.source_id,
      conversation_id: conversationId,
      status: "open",
      threads: [{ thread_id: null, conversation_id: conversationId, status: "open" }],
    });
  });

  it("reads a user_id with spaces and slashes through the percent-encoded path", async () => {
    await t.api("POST", "/contacts", { user_id: "team a/ünïcode user" });
    const mapping = await t.api("GET", `/contacts/${encodeURIComponent("team a/ünïcode user")}`);
    expect(mapping.status).toBe(200);
    expect((mapping.body as { user_id: string }).user_id).toBe("team a/ünïcode user");
  });
});

describe("the Chatwoot call budget", () => {
  it("spends 2 calls on a new user's first message (contact with inbox, conversation carrying the message) and 1 after", async () => {
    reset();
    const first = await t.api("POST", "/messages", { user_id: "budget-1", message_id: "a", content: "first" });
    expect(first.status).toBe(201);
    expect(calls()).toEqual({ "POST /contacts": 1, "POST /conversations": 1 });
    reset();
    const second = await t.api("POST", "/messages", { user_id: "budget-1", message_id: "b", content: "second" });
    expect(second.status).toBe(201);
    expect(calls()).toEqual({ "POST /conversations/:id/messages": 1 });
    const conversationId = (first.body as { conversation_id: number }).conversation_id;
    expect((await cw.messagesOf(conversationId)).map((m) => [m.content, m.message_type])).toEqual([
      ["first", 0],
      ["second", 0],
    ]);
  });

  it("spends 1 call on the first message of a user created by POST /contacts", async () => {
    await t.api("POST", "/contacts", { user_id: "budget-2" });
    reset();
    expect((await t.api("POST", "/messages", { user_id: "budget-2", content: "hi" })).status).toBe(201);
    expect(calls()).toEqual({ "POST /conversations": 1 });
  });

  it("keeps a user's messages in the order they were sent", async () => {
    for (let i = 0; i < 12; i++) {
      expect(
        (await t.api("POST", "/messages", { user_id: "order-1", message_id: `o-${i}`, content: `message ${i}` }))
          .status,
      ).toBe(201);
    }
    const conversationId = ((await t.api("GET", "/contacts/order-1")).body as { conversation_id: number })
      .conversation_id;
    expect((await cw.messagesOf(conversationId)).map((m) => m.content)).toEqual(
      Array.from({ length: 12 }, (_, i) => `message ${i}`),
    );
  });
});

describe("race safety and idempotency", () => {
  it("turns 25 simultaneous first messages of one new user into 1 contact, 1 contact_inbox, 1 conversation and 25 messages", async () => {
    reset();
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        t.api("POST", "/messages", { user_id: "racer", message_id: `r-${i}`, content: `race ${i}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 25 }, () => 201));
    expect(calls()).toEqual({ "POST /contacts": 1, "POST /conversations": 1, "POST /conversations/:id/messages": 24 });
    const contacts = await cw.contactsWithIdentifier("racer");
    expect(contacts).toHaveLength(1);
    const contactId = contacts[0]?.id ?? 0;
    expect(await cw.contactInboxesOf(contactId)).toHaveLength(1);
    const conversations = await cw.conversationsOf(contactId);
    expect(conversations).toHaveLength(1);
    const contents = (await cw.messagesOf(conversations[0]?.id ?? 0)).map((m) => m.content).sort();
    expect(contents).toEqual(Array.from({ length: 25 }, (_, i) => `race ${i}`).sort());
    expect(new Set(answers.map((a) => (a.body as { conversation_id: number }).conversation_id)).size).toBe(1);
  });

  it("posts 40 users × 3 messages, 8 at a time, each exactly once with 2 calls per new user and 1 per later message", async () => {
    reset();
    const jobs = Array.from({ length: 40 }, (_, u) => async () => {
      for (let m = 0; m < 3; m++) {
        const answer = await t.api("POST", "/messages", {
          user_id: `crowd-${u}`,
          message_id: `c-${m}`,
          content: `user ${u} message ${m}`,
        });
        if (answer.status !== 201) throw new Error(`user ${u} message ${m}: ${answer.status}`);
      }
    });
    const queue = [...jobs];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      }),
    );
    expect(calls()).toEqual({
      "POST /contacts": 40,
      "POST /conversations": 40,
      "POST /conversations/:id/messages": 80,
    });
    for (const u of [0, 17, 39]) {
      const conversationId = ((await t.api("GET", `/contacts/crowd-${u}`)).body as { conversation_id: number })
        .conversation_id;
      expect((await cw.messagesOf(conversationId)).map((m) => m.content)).toEqual(
        [0, 1, 2].map((m) => `user ${u} message ${m}`),
      );
    }
  });

  it("answers a replayed message_id with 200, the same body and duplicate: true, without calling Chatwoot", async () => {
    const first = await t.api("POST", "/messages", { user_id: "replay", message_id: "m-9", content: "once" });
    reset();
    const replay = await t.api("POST", "/messages", { user_id: "replay", message_id: "m-9", content: "once" });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ ...(first.body as object), duplicate: true });
    expect(calls()).toEqual({});
  });

  it("answers 409 when a message_id is reused with other content, and changes nothing", async () => {
    await t.api("POST", "/messages", { user_id: "reuse", message_id: "m-1", content: "original" });
    reset();
    const reused = await t.api("POST", "/messages", { user_id: "reuse", message_id: "m-1", content: "something else" });
    expect(reused.status).toBe(409);
    expect((reused.body as { error: { code: string } }).error.code).toBe("idempotency_conflict");
    expect(calls()).toEqual({});
  });

  it("treats the same message_id of two different users as two messages", async () => {
    const a = await t.api("POST", "/messages", { user_id: "twin-a", message_id: "same", content: "from a" });
    const b = await t.api("POST", "/messages", { user_id: "twin-b", message_id: "same", content: "from b" });
    expect([a.status, b.status]).toEqual([201, 201]);
  });
});
