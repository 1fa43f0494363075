// Conversations the bridge did not create (spec §4 "Whose conversation", CONTRACT-addendum §A.1, §A.6): routed to
// the user by the contact_inbox source_id or the contact's identifier, in either webhook order; a reply of no user
// is marked failed with the reason; events of another inbox or account are never delivered.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NO_USER_REASON } from "../../functions/core/conversation-owner.js";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { type Delivered, openConversation, settle } from "../support/replies.js";
import { postWebhook } from "../support/webhook-post.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ CHATWOOT_TIMEOUT_MS: "400" });
});
afterAll(async () => t.close());
afterEach(() => {
  sandbox().clearFaults();
  sandbox().setWebhookUrl(`${t.bridge.url}/webhooks/chatwoot`);
});

const sandbox = () => sandboxOf(t);
const receiver = () => receiverOf(t);
const deliveriesOf = (messageId: number) =>
  receiver()
    .received()
    .filter((d) => (d.body as Delivered).data.message?.id === messageId);
const contactIdOf = (identifier: string) => {
  const contact = sandbox()
    .contacts()
    .find((c) => c.identifier === identifier);
  if (!contact) throw new Error(`no contact ${identifier}`);
  return contact.id;
};

/** The agent starts a conversation while Chatwoot's webhooks are held, then they arrive in the given order. */
async function startWithWebhooks(contactId: number, content: string, order: "conversation first" | "message first") {
  sandbox().setWebhookUrl(null);
  const conversation = sandbox().newConversation(contactId, content);
  await sandbox().webhooksIdle();
  const held = sandbox()
    .webhookLog()
    .filter((entry) => entry.body.includes(`"id":${conversation.displayId},`) && entry.outcome === "skipped");
  const created = held.find((entry) => entry.event === "conversation_created");
  const message = held.find((entry) => entry.event === "message_created");
  if (!created || !message) throw new Error("the sandbox sent no conversation_created or message_created");
  for (const entry of order === "conversation first" ? [created, message] : [message, created]) {
    const answer = await fetch(`${t.bridge.url}/webhooks/chatwoot`, {
      method: "POST",
      headers: entry.headers,
      body: entry.body,
    });
    expect(answer.status).toBe(200);
  }
  const messageId = (JSON.parse(message.body) as { id: number }).id;
  return { conversationId: conversation.displayId, messageId };
}

describe("an agent-started conversation with a bridge user", () => {
  it.each(["conversation first", "message first"] as const)(
    "is delivered (%s) and the user's next message goes there",
    async (order) => {
      const userId = `started-${order.split(" ")[0]}`;
      const previous = await openConversation(t, userId);
      const { conversationId, messageId } = await startWithWebhooks(contactIdOf(userId), "Following up", order);
      expect(conversationId).not.toBe(previous);
      const delivered = await receiver().next((d) => (d.body as Delivered).data.message?.id === messageId);
      expect((delivered.body as Delivered).data).toMatchObject({
        user_id: userId,
        thread_id: null,
        conversation_id: conversationId,
        message: { content: "Following up", message_type: "outgoing" },
      });
      await sandbox().waitForMessage((m) => m.id === messageId && m.status === "delivered");
      const next = await t.api("POST", "/messages", { user_id: userId, message_id: "after", content: "thanks" });
      expect((next.body as { conversation_id: number }).conversation_id).toBe(conversationId);
      await settle(t);
      expect(deliveriesOf(messageId)).toHaveLength(1);
    },
  );
});

describe("an agent-started conversation with a contact made in Chatwoot's UI", () => {
  it("is delivered to the user its identifier names, who is then mapped to it", async () => {
    const contact = sandbox().newContact({ name: "Walk In", identifier: "ui-user-1" });
    const conversation = sandbox().newConversation(contact.id, "Hello from support");
    const reply = await sandbox().waitForMessage(
      (m) => m.conversationId === conversation.displayId && m.messageType === "outgoing",
    );
    const delivered = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect((delivered.body as Delivered).data).toMatchObject({
      user_id: "ui-user-1",
      thread_id: null,
      conversation_id: conversation.displayId,
    });
    const read = await t.api("GET", "/contacts/ui-user-1");
    expect(read.body).toMatchObject({ contact_id: contact.id, conversation_id: conversation.displayId });
    const next = await t.api("POST", "/messages", { user_id: "ui-user-1", message_id: "m1", content: "hi" });
    expect((next.body as { conversation_id: number }).conversation_id).toBe(conversation.displayId);
  });

  it("without an identifier: marked failed with the reason, nothing delivered, nobody mapped", async () => {
    const contact = sandbox().newContact({ name: "Anonymous" });
    const conversation = sandbox().newConversation(contact.id, "Can I help?");
    const reply = await sandbox().waitForMessage(
      (m) => m.conversationId === conversation.displayId && m.messageType === "outgoing",
    );
    const failed = await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "failed");
    expect(failed.contentAttributes.external_error).toBe(NO_USER_REASON);
    await settle(t);
    expect(deliveriesOf(reply.id)).toEqual([]);
    expect(t.logLines.some((line) => line.includes('"event":"delivery.undeliverable"'))).toBe(true);
  });
});

describe("the agent follows the failed reply's advice", () => {
  it("sets the contact's identifier and presses Retry: the reply is delivered to that user", async () => {
    const contact = sandbox().newContact({ name: "Later Known" });
    const conversation = sandbox().newConversation(contact.id, "Are you still there?");
    const reply = await sandbox().waitForMessage(
      (m) => m.conversationId === conversation.displayId && m.messageType === "outgoing",
    );
    await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "failed");
    const updated = await fetch(`${sandbox().url}/api/v1/accounts/${sandbox().accountId}/contacts/${contact.id}`, {
      method: "PUT",
      headers: { api_access_token: sandbox().apiToken, "content-type": "application/json" },
      body: JSON.stringify({ identifier: "later-known" }),
    });
    expect(updated.status).toBe(200);
    sandbox().retryMessage(conversation.displayId, reply.id);
    const delivered = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect((delivered.body as Delivered).data).toMatchObject({ user_id: "later-known", thread_id: null });
    await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "delivered");
  });
});

describe("a first message whose conversation create timed out after Chatwoot stored it", () => {
  it("delivers a greeting and an agent reply that arrive before the retry, each once", async () => {
    sandbox().addFault({ route: "POST /conversations", kind: "hang", times: 1 });
    const first = await t.api("POST", "/messages", { user_id: "late-1", message_id: "m1", content: "first words" });
    expect(first.status).toBe(504);
    const conversation = sandbox()
      .conversations()
      .find((c) => c.contactId === contactIdOf("late-1"));
    if (!conversation) throw new Error("the sandbox stored no conversation");
    const greeting = sandbox().template(conversation.displayId, "Welcome! We reply within an hour.");
    const reply = sandbox().reply(conversation.displayId, "Hi, how can I help?");
    for (const message of [greeting, reply]) {
      const delivered = await receiver().next((d) => (d.body as Delivered).data.message?.id === message.id);
      expect((delivered.body as Delivered).data.user_id).toBe("late-1");
    }
    const retry = await t.api("POST", "/messages", { user_id: "late-1", message_id: "m1", content: "first words" });
    expect([retry.status, (retry.body as { duplicate: boolean }).duplicate]).toEqual([200, true]);
    expect((retry.body as { conversation_id: number }).conversation_id).toBe(conversation.displayId);
    await settle(t);
    expect([deliveriesOf(greeting.id).length, deliveriesOf(reply.id).length]).toEqual([1, 1]);
    expect(
      sandbox()
        .conversations()
        .filter((c) => c.contactId === conversation.contactId),
    ).toHaveLength(1);
  });
});

describe("a new thread's first message whose conversation create timed out after Chatwoot stored it", () => {
  it("delivers a reply arriving before the retry with that thread_id, and the retry finds the message there", async () => {
    await t.api("POST", "/messages", { user_id: "late-2", message_id: "m0", content: "default thread" });
    sandbox().addFault({ route: "POST /conversations", kind: "hang", times: 1 });
    const body = { user_id: "late-2", thread_id: "order-9", message_id: "m1", content: "about order 9" };
    expect((await t.api("POST", "/messages", body)).status).toBe(504);
    const conversations = sandbox()
      .conversations()
      .filter((c) => c.contactId === contactIdOf("late-2"));
    const stored = conversations.at(-1);
    if (conversations.length !== 2 || !stored) throw new Error("expected the timed-out conversation in Chatwoot");
    const reply = sandbox().reply(stored.displayId, "Order 9 ships tomorrow");
    const delivered = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect((delivered.body as Delivered).data).toMatchObject({ user_id: "late-2", thread_id: "order-9" });
    const retry = await t.api("POST", "/messages", body);
    expect([retry.status, (retry.body as { conversation_id: number }).conversation_id]).toEqual([
      200,
      stored.displayId,
    ]);
    const read = await t.api("GET", "/contacts/late-2");
    expect((read.body as { conversation_id: number }).conversation_id).toBe(conversations[0]?.displayId);
  });
});

describe("a new thread's timed-out conversation create, retried before any webhook", () => {
  it("finds the conversation holding the message: one conversation for the thread, the retry a duplicate", async () => {
    await t.api("POST", "/messages", { user_id: "late-3", message_id: "m0", content: "default thread" });
    sandbox().addFault({ route: "POST /conversations", kind: "hang", times: 1 });
    const body = { user_id: "late-3", thread_id: "order-7", message_id: "m1", content: "about order 7" };
    expect((await t.api("POST", "/messages", body)).status).toBe(504);
    const retry = await t.api("POST", "/messages", body);
    expect([retry.status, (retry.body as { duplicate: boolean }).duplicate]).toEqual([200, true]);
    const conversations = sandbox()
      .conversations()
      .filter((c) => c.contactId === contactIdOf("late-3"));
    expect(conversations).toHaveLength(2);
    expect((retry.body as { conversation_id: number }).conversation_id).toBe(conversations[1]?.displayId);
    expect(
      sandbox()
        .messages(conversations[1]?.displayId)
        .map((m) => m.content),
    ).toEqual(["about order 7"]);
  });
});

describe("an event naming another inbox or account", () => {
  it.each([
    ["inbox", { inbox: { id: 999, name: "Other" } }],
    ["account", { account: { id: 999, name: "Other" } }],
  ])("is acknowledged and never delivered (another %s)", async (_what, override) => {
    const conversationId = await openConversation(t, `scoped-${_what}`);
    const reply = sandbox().reply(conversationId, "for the right inbox");
    const original = await sandbox().waitForWebhook(
      (w) => w.event === "message_created" && (JSON.parse(w.body) as { id: number }).id === reply.id,
    );
    await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    const foreignId = reply.id + 500_000;
    const body = JSON.stringify({ ...JSON.parse(original.body), id: foreignId, ...override });
    const answer = await postWebhook(t.bridge.url, body, { secret: sandbox().webhookSecret });
    expect([answer.status, await answer.json()]).toEqual([200, { ok: true, queued: false }]);
    await settle(t);
    expect(deliveriesOf(foreignId)).toEqual([]);
  });
});
