// Agent replies end to end: sandbox webhook -> signed route -> queue -> worker -> built-in receiver (issue #5).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NO_USER_REASON } from "../../functions/core/conversation-owner.js";
import { startTestBridge, type TestBridge, sandboxOf, receiverOf } from "../support/bridge.js";
import { openConversation, settle, type Delivered } from "../support/replies.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ DELIVERY_RETRY_SCHEDULE: "20ms,20ms,20ms" });
});
afterAll(async () => t.close());
afterEach(() => t.bridge.receiver?.clearFailures());

const sandbox = () => sandboxOf(t);
const receiver = () => receiverOf(t);
const deliveredTo = (conversationId: number) =>
  receiver()
    .received()
    .filter((d) => (d.body as Delivered).data.conversation_id === conversationId);

describe("an agent reply", () => {
  it("reaches the receiver signed, in the spec's shape, and is marked delivered in Chatwoot", async () => {
    const conversationId = await openConversation(t, "reply-1");
    const reply = sandbox().reply(conversationId, "Hi Ada, let me check.");
    const delivery = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect(delivery.webhookId).toBe(`msg_${reply.id}`);
    expect(delivery.body).toEqual({
      type: "message.created",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: {
        user_id: "reply-1",
        thread_id: null,
        conversation_id: conversationId,
        message: {
          id: reply.id,
          content: "Hi Ada, let me check.",
          content_type: "text",
          message_type: "outgoing",
          attachments: [],
          sender: { id: 2, name: "Sam Agent", type: "user" },
          created_at: expect.stringMatching(/Z$/),
        },
      },
    });
    const marked = await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "delivered");
    expect(marked.status).toBe("delivered");
  });

  it("never delivers private notes or the bridge's own incoming messages, and delivers templates with a null sender", async () => {
    const conversationId = await openConversation(t, "reply-2");
    sandbox().note(conversationId, "internal: customer is a VIP");
    await t.api("POST", "/messages", { user_id: "reply-2", message_id: "again", content: "are you there?" });
    const template = sandbox().template(conversationId, "We reply within an hour.");
    const reply = sandbox().reply(conversationId, "Yes, here.");
    await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    await settle(t);
    const delivered = deliveredTo(conversationId).map((d) => d.body as Delivered);
    expect(delivered.map((d) => [d.data.message?.id, d.data.message?.message_type, d.data.message?.sender])).toEqual([
      [template.id, "template", null],
      [reply.id, "outgoing", { id: 2, name: "Sam Agent", type: "user" }],
    ]);
  });

  it("delivers an event Chatwoot sent twice (a new X-Chatwoot-Delivery, same event) only once", async () => {
    const conversationId = await openConversation(t, "reply-3");
    const reply = sandbox().reply(conversationId, "only once please");
    const original = await sandbox().waitForWebhook(
      (w) => w.event === "message_created" && (JSON.parse(w.body) as { id: number }).id === reply.id,
    );
    await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    const again = await fetch(original.url, {
      method: "POST",
      headers: { ...original.headers, "X-Chatwoot-Delivery": "6f1c2a55-0000-4000-8000-000000000001" },
      body: original.body,
    });
    expect(again.status).toBe(200);
    await settle(t);
    expect(deliveredTo(conversationId).filter((d) => d.webhookId === `msg_${reply.id}`)).toHaveLength(1);
  });

  it("marks a reply failed, with why, in a conversation of a contact that is no user's, and delivers nothing", async () => {
    const other = await fetch(`${sandbox().url}/api/v1/accounts/${sandbox().accountId}/contacts`, {
      method: "POST",
      headers: { api_access_token: sandbox().apiToken, "content-type": "application/json" },
      body: JSON.stringify({ name: "Walk-in", inbox_id: sandbox().inboxId, source_id: "walk-in" }),
    }).then((r) => r.json() as Promise<{ payload: { contact: { id: number } } }>);
    const conversation = await fetch(`${sandbox().url}/api/v1/accounts/${sandbox().accountId}/conversations`, {
      method: "POST",
      headers: { api_access_token: sandbox().apiToken, "content-type": "application/json" },
      body: JSON.stringify({ inbox_id: sandbox().inboxId, contact_id: other.payload.contact.id, source_id: "walk-in" }),
    }).then((r) => r.json() as Promise<{ id: number }>);
    const reply = sandbox().reply(conversation.id, "hello stranger");
    const failed = await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "failed");
    expect(failed.contentAttributes.external_error).toBe(NO_USER_REASON);
    await settle(t);
    expect(deliveredTo(conversation.id)).toEqual([]);
  });
});

describe("when the receiver fails", () => {
  it("retries until it is back and delivers every reply, in order, with no duplicate webhook-id", async () => {
    const conversationId = await openConversation(t, "down-1");
    receiver().failFor(3);
    const replies = ["one", "two", "three", "four"].map((text) => sandbox().reply(conversationId, text));
    await receiver().next((d) => (d.body as Delivered).data.message?.id === replies[3]?.id);
    await settle(t);
    const delivered = deliveredTo(conversationId);
    expect(delivered.map((d) => (d.body as Delivered).data.message?.content)).toEqual(["one", "two", "three", "four"]);
    expect(new Set(delivered.map((d) => d.webhookId)).size).toBe(4);
    for (const reply of replies) await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "delivered");
  });

  it("dead-letters a reply the receiver never takes, marks it failed with a readable external_error, and re-delivers on Retry", async () => {
    const conversationId = await openConversation(t, "down-2");
    receiver().failUntilCleared(503);
    const reply = sandbox().reply(conversationId, "will you get this?");
    const failed = await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "failed");
    expect(failed.contentAttributes.external_error).toBe("Not delivered after 4 attempts: receiver answered 503.");
    await settle(t);
    expect(t.bridge.queue.deadLetters().map((d) => (JSON.parse(d.body) as { webhookId: string }).webhookId)).toContain(
      `msg_${reply.id}`,
    );
    expect(deliveredTo(conversationId)).toEqual([]);

    receiver().clearFailures();
    sandbox().retryMessage(conversationId, reply.id);
    const delivery = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect(delivery.webhookId).toBe(`msg_${reply.id}`);
    await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "delivered");
  });

  it("stops at once on 410 Gone and marks the reply failed", async () => {
    const conversationId = await openConversation(t, "gone-1");
    receiver().failFor(1, 410);
    const reply = sandbox().reply(conversationId, "anyone?");
    const failed = await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "failed");
    expect(failed.contentAttributes.external_error).toBe(
      "The receiving system answered 410 Gone; delivery was stopped.",
    );
    await settle(t);
    expect(deliveredTo(conversationId)).toEqual([]);
  });
});

describe("conversation events", () => {
  it("keeps the mapping's status current on resolve and delivers conversation.status_changed", async () => {
    const conversationId = await openConversation(t, "status-1");
    sandbox().resolve(conversationId);
    const delivery = await receiver().next(
      (d) =>
        (d.body as Delivered).type === "conversation.status_changed" &&
        (d.body as Delivered).data.conversation_id === conversationId,
    );
    expect(delivery.body).toEqual({
      type: "conversation.status_changed",
      timestamp: expect.any(String),
      data: { user_id: "status-1", thread_id: null, conversation_id: conversationId, status: "resolved" },
    });
    expect((await t.api("GET", "/contacts/status-1")).body).toMatchObject({
      conversation_id: conversationId,
      status: "resolved",
    });
  });

  it("delivers a deleted agent reply as message.deleted", async () => {
    const conversationId = await openConversation(t, "deleted-1");
    const reply = sandbox().reply(conversationId, "oops, wrong customer");
    await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    sandbox().deleteMessage(conversationId, reply.id);
    const deletion = await receiver().next((d) => (d.body as Delivered).type === "message.deleted");
    expect(deletion.webhookId).toBe(`msg_${reply.id}_deleted`);
    expect(deletion.body).toEqual({
      type: "message.deleted",
      timestamp: expect.any(String),
      data: { user_id: "deleted-1", thread_id: null, conversation_id: conversationId, message: { id: reply.id } },
    });
  });
});
