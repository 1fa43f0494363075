// Issue 15 end to end: quotes both ways, typing both ways, read receipts, edits, deletes and interactive messages,
// through real HTTP, the real local store, the in-process queue, the Chatwoot sandbox and the receiver.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { messageSourceId } from "../../functions/core/identity.js";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { type Delivered, settle } from "../support/replies.js";

/** The bridge's clock runs `offsetMs` ahead of the wall: a typing event can be made old without waiting. */
let offsetMs = 0;
let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge(
    { DELIVERY_RETRY_SCHEDULE: "20ms,20ms,20ms" },
    { overrides: () => ({ clock: { now: () => Date.now() + offsetMs } }) },
  );
});
afterAll(async () => t.close());

const sandbox = () => sandboxOf(t);
const receiver = () => receiverOf(t);
const deliveredTo = (conversationId: number) =>
  receiver()
    .received()
    .map((d) => d.body as Delivered)
    .filter((d) => d.data.conversation_id === conversationId);

async function post(userId: string, messageId: string, content: string, extra: Record<string, unknown> = {}) {
  const answer = await t.api("POST", "/messages", { user_id: userId, message_id: messageId, content, ...extra });
  return answer as { status: number; body: { chatwoot_message_id: number; conversation_id: number } };
}

async function agentReply(conversationId: number, content: string): Promise<number> {
  const reply = sandbox().reply(conversationId, content);
  await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
  return reply.id;
}

describe("quotes", () => {
  it("answers a retry of a posted quoting message as a duplicate, even once its quote could no longer be made", async () => {
    const first = await post("quote-retry", "m-1", "my order is late");
    const conversationId = first.body.conversation_id;
    const quoting = await post("quote-retry", "m-2", "this one", { reply_to: { message_id: "m-1" } });
    expect(quoting.status).toBe(201);
    // Resolved in Chatwoot: a new quote would now open a new conversation (CONVERSATION_AFTER_RESOLVED=new), refused.
    sandbox().resolve(conversationId);
    await vi.waitFor(async () => {
      expect((await t.api("GET", "/contacts/quote-retry")).body).toMatchObject({ status: "resolved" });
    });
    const retry = await post("quote-retry", "m-2", "this one", { reply_to: { message_id: "m-1" } });
    expect([retry.status, retry.body]).toEqual([200, { ...quoting.body, duplicate: true }]);
    const refused = await post("quote-retry", "m-3", "and this", { reply_to: { message_id: "m-1" } });
    expect(refused.status).toBe(400);
    // The refusal left no claim behind: the same message_id without the quote is posted.
    expect((await post("quote-retry", "m-3", "and this")).status).toBe(201);
  });

  it("a user's reply to their own message and to an agent's message shows both quotes in Chatwoot", async () => {
    const first = await post("quote-1", "m-1", "my order is late");
    const conversationId = first.body.conversation_id;
    const agentId = await agentReply(conversationId, "Which order?");
    const own = await post("quote-1", "m-2", "this one", { reply_to: { message_id: "m-1" } });
    const toAgent = await post("quote-1", "m-3", "#5521", {
      reply_to: { chatwoot_message_id: agentId },
      sent_at: "2026-06-20T14:01:07Z",
    });
    expect([own.status, toAgent.status]).toEqual([201, 201]);
    const stored = sandbox().messages(conversationId);
    const byId = (id: number) => stored.find((m) => m.id === id)?.contentAttributes;
    expect(byId(own.body.chatwoot_message_id)).toEqual({
      in_reply_to: first.body.chatwoot_message_id,
      in_reply_to_external_id: messageSourceId("quote-1", "m-1"),
    });
    expect(byId(toAgent.body.chatwoot_message_id)).toEqual({
      in_reply_to: agentId,
      in_reply_to_external_id: null,
      external_created_at: "2026-06-20T14:01:07Z",
    });
  });

  it("refuses a reply_to naming no message of the conversation (400), with no Chatwoot call and no claim", async () => {
    const first = await post("quote-2", "m-1", "hello");
    await post("quote-3", "other", "another user's message");
    sandbox().resetCalls();
    for (const replyTo of [
      { message_id: "never-sent" },
      { chatwoot_message_id: first.body.chatwoot_message_id + 999 },
    ]) {
      const answer = await t.api("POST", "/messages", {
        user_id: "quote-3",
        message_id: "m-quote",
        content: "x",
        reply_to: replyTo,
      });
      expect(answer.status).toBe(400);
      expect((answer.body as { error: { code: string } }).error.code).toBe("validation_failed");
    }
    // quote-1's message belongs to another conversation: refused as well.
    const foreign = await t.api("POST", "/messages", {
      user_id: "quote-3",
      message_id: "m-quote",
      content: "x",
      reply_to: { chatwoot_message_id: first.body.chatwoot_message_id },
    });
    expect(foreign.status).toBe(400);
    expect(sandbox().calls()).toEqual({});
    // The message_id stays free: the corrected request posts it.
    expect((await post("quote-3", "m-quote", "x")).status).toBe(201);
  });

  it("an agent's quote of a user message is delivered with reply_to naming the user's message_id", async () => {
    const first = await post("quote-4", "m-9", "can I change the address?");
    const conversationId = first.body.conversation_id;
    const reply = sandbox().reply(conversationId, "Yes, which one?", { inReplyTo: first.body.chatwoot_message_id });
    const delivery = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect((delivery.body as Delivered).data.message?.reply_to).toEqual({
      message_id: "m-9",
      chatwoot_message_id: first.body.chatwoot_message_id,
    });
  });

  it("an agent's quote of its own message is delivered with a null message_id and the Chatwoot id", async () => {
    const first = await post("quote-5", "m-1", "hi");
    const earlier = await agentReply(first.body.conversation_id, "Hello!");
    const reply = sandbox().reply(first.body.conversation_id, "As I said", { inReplyTo: earlier });
    const delivery = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect((delivery.body as Delivered).data.message?.reply_to).toEqual({
      message_id: null,
      chatwoot_message_id: earlier,
    });
  });
});

describe("typing", () => {
  it("the user's typing reaches Chatwoot through the Client API, and its echo is not delivered back", async () => {
    const { body } = await post("typing-1", "m-1", "hi");
    const started = await t.api("POST", "/events", { type: "typing.started", user_id: "typing-1" });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({
      type: "typing.started",
      user_id: "typing-1",
      thread_id: null,
      conversation_id: body.conversation_id,
    });
    const echo = await sandbox().waitForWebhook((w) => w.event === "conversation_typing_on");
    expect((JSON.parse(echo.body) as { user: Record<string, unknown> }).user).not.toHaveProperty("type");
    expect((await t.api("POST", "/events", { type: "typing.stopped", user_id: "typing-1" })).status).toBe(202);
    await sandbox().waitForWebhook((w) => w.event === "conversation_typing_off");
    await settle(t);
    expect(deliveredTo(body.conversation_id).filter((d) => d.type.startsWith("typing"))).toEqual([]);
    expect(t.logLines.some((line) => line.includes('"reason":"echo of the user\'s typing"'))).toBe(true);
  });

  it("an agent's typing is delivered as typing.started / typing.stopped; private-note typing is not", async () => {
    const { body } = await post("typing-2", "m-1", "hi");
    sandbox().typing(body.conversation_id, true, { private: true });
    sandbox().typing(body.conversation_id, true);
    const started = await receiver().next((d) => (d.body as Delivered).type === "typing.started");
    expect(started.body).toMatchObject({
      type: "typing.started",
      data: {
        user_id: "typing-2",
        thread_id: null,
        conversation_id: body.conversation_id,
        sender: { id: 2, name: "Sam Agent", type: "user" },
      },
    });
    sandbox().typing(body.conversation_id, false);
    await receiver().next((d) => (d.body as Delivered).type === "typing.stopped");
    await settle(t);
    expect(deliveredTo(body.conversation_id).map((d) => d.type)).toEqual(["typing.started", "typing.stopped"]);
  });

  it("a typing event older than 30 s is dropped, never dead-lettered, while the reply behind it is delivered", async () => {
    const { body } = await post("typing-3", "m-1", "hi");
    const held = receiver().holdNext();
    sandbox().typing(body.conversation_id, true);
    await held.arrived;
    // The typing attempt is in flight: the reply, in its own group, is delivered meanwhile.
    const replyId = await agentReply(body.conversation_id, "still here");
    offsetMs = 31_000;
    held.release(503);
    await settle(t);
    offsetMs = 0;
    expect(deliveredTo(body.conversation_id).map((d) => [d.type, d.data.message?.id])).toEqual([
      ["message.created", replyId],
    ]);
    expect(t.bridge.queue.deadLetters()).toEqual([]);
    expect(t.logLines.some((line) => line.includes('"reason":"expired"'))).toBe(true);
  });
});

describe("read receipts", () => {
  it("messages.read up to a message marks the agent's messages read, and nothing is delivered back", async () => {
    const { body } = await post("read-1", "m-1", "hi");
    const one = await agentReply(body.conversation_id, "one");
    const two = await agentReply(body.conversation_id, "two");
    const three = await agentReply(body.conversation_id, "three");
    await settle(t);
    const before = deliveredTo(body.conversation_id).length;
    const answer = await t.api("POST", "/events", { type: "messages.read", user_id: "read-1", up_to: two });
    expect([answer.status, answer.body]).toEqual([
      200,
      {
        type: "messages.read",
        user_id: "read-1",
        thread_id: null,
        conversation_id: body.conversation_id,
        up_to: two,
        marked: 2,
      },
    ]);
    const status = (id: number) =>
      sandbox()
        .messages(body.conversation_id)
        .find((m) => m.id === id)?.status;
    expect([status(one), status(two), status(three)]).toEqual(["read", "read", "delivered"]);
    await settle(t);
    expect(deliveredTo(body.conversation_id)).toHaveLength(before);
  });

  it("messages.read without up_to marks every agent message read through update_last_seen, with no echo delivered", async () => {
    const { body } = await post("read-2", "m-1", "hi");
    const one = await agentReply(body.conversation_id, "one");
    await settle(t);
    const before = deliveredTo(body.conversation_id).length;
    const answer = await t.api("POST", "/events", { type: "messages.read", user_id: "read-2" });
    expect(answer.status).toBe(200);
    await sandbox().waitForMessage((m) => m.id === one && m.status === "read");
    await settle(t);
    expect(deliveredTo(body.conversation_id)).toHaveLength(before);
  });
});

describe("edits and deletes", () => {
  it("an edit sent twice with the same edit_id makes one edited message quoting the original", async () => {
    const original = await post("edit-1", "m-1", "my adress is Main St 1");
    const edit = {
      type: "message.updated",
      user_id: "edit-1",
      message_id: "m-1",
      content: "my address is Main St 1",
      edit_id: "e-1",
    };
    const first = await t.api("POST", "/events", edit);
    const again = await t.api("POST", "/events", edit);
    expect(first.status).toBe(200);
    expect(again.body).toEqual({ ...(first.body as object), duplicate: true });
    const edited = sandbox()
      .messages(original.body.conversation_id)
      .filter((m) => m.contentAttributes.edited === true);
    expect(edited.map((m) => [m.id, m.content, m.messageType, m.contentAttributes.in_reply_to])).toEqual([
      [
        (first.body as { chatwoot_message_id: number }).chatwoot_message_id,
        "my address is Main St 1",
        "incoming",
        original.body.chatwoot_message_id,
      ],
    ]);
    const conflict = await t.api("POST", "/events", { ...edit, content: "something else" });
    expect(conflict.status).toBe(409);
  });

  it("a delete soft-deletes the message in Chatwoot and nothing is delivered back", async () => {
    const original = await post("delete-1", "m-1", "oops, wrong chat");
    const answer = await t.api("POST", "/events", { type: "message.deleted", user_id: "delete-1", message_id: "m-1" });
    expect(answer.body).toEqual({
      type: "message.deleted",
      user_id: "delete-1",
      conversation_id: original.body.conversation_id,
      message_id: "m-1",
      chatwoot_message_id: original.body.chatwoot_message_id,
    });
    const deleted = await sandbox().waitForMessage(
      (m) => m.id === original.body.chatwoot_message_id && m.contentAttributes.deleted === true,
    );
    expect(deleted.content).toBe("This message was deleted");
    await sandbox().waitForWebhook((w) => w.event === "message_updated" && w.body.includes('"deleted":true'));
    await settle(t);
    expect(deliveredTo(original.body.conversation_id)).toEqual([]);
  });
});

describe("interactive messages", () => {
  it("an input_select is delivered with its items", async () => {
    const { body } = await post("select-1", "m-1", "help");
    const items = [
      { title: "Track my order", value: "track" },
      { title: "Talk to a person", value: "human" },
    ];
    const reply = sandbox().reply(body.conversation_id, "What do you need?", {
      interactive: { contentType: "input_select", items },
    });
    const delivery = await receiver().next((d) => (d.body as Delivered).data.message?.id === reply.id);
    expect((delivery.body as Delivered).data.message).toMatchObject({ content_type: "input_select", items });
  });
});
