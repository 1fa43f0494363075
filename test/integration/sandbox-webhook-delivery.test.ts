// How the sandbox delivers webhooks (CONTRACT.md §4.2-§4.5): headers and signing, ActiveSupport
// escaping, no retry, failed marking with Chatwoot's error text, duplicates, and what fires what.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../dev/sandbox/server.js";
import { chatwootSignature } from "../../functions/core/signatures.js";
import { num, sandboxApi, seedConversation, type SandboxApi } from "../support/sandbox-api.js";
import { startWebhookReceiver, type CapturedWebhook, type WebhookReceiver } from "../support/sandbox-receiver.js";

let sandbox: Sandbox;
let receiver: WebhookReceiver;
let api: SandboxApi;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startSandbox({ webhookUrl: receiver.url });
  api = sandboxApi(sandbox);
});
afterEach(async () => {
  await sandbox.webhooksIdle();
  receiver.answerWith(() => 200);
  sandbox.setWebhookUrl(receiver.url);
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const about = (id: number) => (hook: CapturedWebhook) => hook.body.id === id;
const eventsAbout = (id: number) => receiver.received.filter(about(id)).map((hook) => hook.event);

describe("the HTTP request", () => {
  it("POSTs compact JSON with Content-Type, Accept, a new X-Chatwoot-Delivery per delivery, and a signature", async () => {
    const { messageId } = await seedConversation(api, "headers");
    const hook = await receiver.waitFor((h) => h.event === "message_created" && h.body.id === messageId);
    expect(hook.headers["content-type"]).toBe("application/json");
    expect(hook.headers.accept).toBe("application/json");
    expect(hook.headers["x-chatwoot-delivery"]).toMatch(UUID);
    const timestamp = String(hook.headers["x-chatwoot-timestamp"]);
    expect(timestamp).toMatch(/^\d{10}$/);
    expect(hook.headers["x-chatwoot-signature"]).toBe(chatwootSignature(sandbox.webhookSecret, timestamp, hook.raw));
    expect(hook.raw.toString("utf8")).toBe(JSON.stringify(hook.body));
    await sandbox.webhooksIdle();
    const ids = receiver.received.map((h) => h.headers["x-chatwoot-delivery"]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("escapes <, >, &, U+2028 and U+2029 like ActiveSupport and leaves other non-ASCII raw", async () => {
    const { conversationId } = await seedConversation(api, "escape");
    const reply = sandbox.reply(conversationId, "a<b>&c\u2028d\u2029é");
    const hook = await receiver.waitFor((h) => h.event === "message_created" && h.body.id === reply.id);
    const raw = hook.raw.toString("utf8");
    expect(raw).toContain('"content":"a\\u003cb\\u003e\\u0026c\\u2028d\\u2029é"');
    expect(raw).not.toMatch(/[<>&\u2028\u2029]/);
    expect(hook.body.content).toBe("a<b>&c\u2028d\u2029é");
  });

  it("sends no timestamp or signature when the inbox has no secret, like Chatwoot before v4.13", async () => {
    const secret = sandbox.webhookSecret;
    sandbox.setWebhookSecret(null);
    const { conversationId } = await seedConversation(api, "unsigned");
    const reply = sandbox.reply(conversationId, "unsigned");
    const hook = await receiver.waitFor((h) => h.body.id === reply.id);
    sandbox.setWebhookSecret(secret);
    expect(Object.keys(hook.headers).filter((name) => name.startsWith("x-chatwoot"))).toEqual(["x-chatwoot-delivery"]);
  });

  it("re-sends one event under a new X-Chatwoot-Delivery when told to duplicate the next webhook", async () => {
    const { conversationId } = await seedConversation(api, "duplicate");
    sandbox.reply(conversationId, "first reply, so the next reply fires message_created alone");
    await sandbox.webhooksIdle();
    sandbox.duplicateNextWebhook();
    const reply = sandbox.reply(conversationId, "twice");
    await sandbox.webhooksIdle();
    const copies = receiver.received.filter((h) => h.event === "message_created" && h.body.id === reply.id);
    expect(copies.map((h) => h.raw.toString())).toEqual([copies[0]?.raw.toString(), copies[0]?.raw.toString()]);
    expect(copies[0]?.headers["x-chatwoot-delivery"]).not.toBe(copies[1]?.headers["x-chatwoot-delivery"]);
    expect(
      sandbox
        .webhookLog()
        .filter((e) => e.body === copies[0]?.raw.toString())
        .map((e) => e.duplicate),
    ).toEqual([false, true]);
  });
});

describe("failures: no retry, the message is marked failed", () => {
  it("stores '503 Service Unavailable', fires one message_updated, and never retries either event", async () => {
    const { conversationId } = await seedConversation(api, "refused");
    await sandbox.webhooksIdle();
    receiver.answerWith((h) => (h.body.content === "refused" ? 503 : 200));
    const reply = sandbox.reply(conversationId, "refused");
    const updated = await receiver.waitFor((h) => h.event === "message_updated" && h.body.id === reply.id);
    expect(updated.body.content_attributes).toEqual({ external_error: "503 Service Unavailable" });
    await sandbox.webhooksIdle();
    expect(eventsAbout(reply.id)).toEqual(["message_created", "message_updated"]);
    const listed = await api.get(`/conversations/${conversationId}/messages`);
    expect(listed.json).toMatchObject({
      payload: expect.arrayContaining([expect.objectContaining({ id: reply.id, status: "failed" })]),
    });
  });

  it("stores Net::ReadTimeout when the endpoint answers later than the webhook timeout", async () => {
    // The test says when the timeout passes, once the delivery waits on a receiver that never answers: no other
    // delivery races a short timer on a busy machine.
    const deadlines: AbortController[] = [];
    const webhookDeadline = () => {
      const deadline = new AbortController();
      deadlines.push(deadline);
      return deadline.signal;
    };
    const slow = await startSandbox({ webhookUrl: receiver.url, webhookDeadline });
    try {
      const tooSlow = (h: CapturedWebhook) => h.body.content === "too slow" && h.event === "message_created";
      receiver.answerWith((h) => (tooSlow(h) ? "hang" : 200));
      const { conversationId } = await seedConversation(sandboxApi(slow), "timeout");
      const reply = slow.reply(conversationId, "too slow");
      await receiver.waitFor(tooSlow);
      // Deliveries go one at a time: every deadline so far belongs to the hanging one or to finished ones.
      for (const deadline of deadlines) deadline.abort();
      const failed = await slow.waitForMessage((m) => m.id === reply.id && m.status === "failed");
      expect(failed.contentAttributes).toEqual({ external_error: "Net::ReadTimeout with #<TCPSocket:(closed)>" });
      await slow.webhooksIdle();
      expect(
        slow
          .webhookLog()
          .filter((e) => e.body.includes(`"id":${reply.id},"inbox"`))
          .map((e) => [e.event, e.outcome]),
      ).toEqual([
        ["message_created", "failed"],
        ["message_updated", "delivered"],
      ]);
    } finally {
      await slow.close();
    }
  });

  it("stores Ruby's connection-refused text when nothing listens at the webhook URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { conversationId } = await seedConversation(api, "nobody");
    await sandbox.webhooksIdle();
    sandbox.setWebhookUrl(`http://127.0.0.1:${port}/hook`);
    const reply = sandbox.reply(conversationId, "into the void");
    const failed = await sandbox.waitForMessage((m) => m.id === reply.id && m.status === "failed");
    expect(failed.contentAttributes.external_error).toBe(
      `Failed to open TCP connection to 127.0.0.1:${port} (Connection refused - connect(2) for "127.0.0.1" port ${port})`,
    );
  });

  it("lets the agent press Retry: status sent, content_attributes emptied, message_updated only", async () => {
    const { conversationId } = await seedConversation(api, "retry");
    await sandbox.webhooksIdle();
    receiver.answerWith((h) => (h.body.content === "retry me" && h.event === "message_created" ? 500 : 200));
    const reply = sandbox.reply(conversationId, "retry me");
    await sandbox.waitForMessage((m) => m.id === reply.id && m.status === "failed");
    await sandbox.webhooksIdle();
    const retried = sandbox.retryMessage(conversationId, reply.id);
    expect([retried.status, retried.contentAttributes]).toEqual(["sent", {}]);
    await sandbox.webhooksIdle();
    expect(eventsAbout(reply.id)).toEqual(["message_created", "message_updated", "message_updated", "message_updated"]);
    const last = receiver.received.filter(about(reply.id)).at(-1);
    expect(last?.body.content_attributes).toEqual({});
    expect(last?.body.conversation).toMatchObject({ messages: [{ id: reply.id, status: "sent" }] });
  });
});

describe("what fires what", () => {
  it("reopens a resolved conversation on an incoming message: status_changed, conversation_updated, message_created", async () => {
    const { conversationId } = await seedConversation(api, "reopen");
    sandbox.resolve(conversationId);
    await sandbox.webhooksIdle();
    const before = receiver.received.length;
    const posted = await api.post(`/conversations/${conversationId}/messages`, {
      content: "still there?",
      message_type: "incoming",
    });
    expect(posted.status).toBe(200);
    await sandbox.webhooksIdle();
    const fresh = receiver.received.slice(before);
    expect(fresh.map((h) => [h.event, h.body.status ?? null])).toEqual([
      ["conversation_status_changed", "open"],
      ["conversation_updated", "open"],
      ["conversation_updated", "open"],
      ["message_created", null],
    ]);
    expect(fresh[1]?.body.changed_attributes).toEqual([
      { status: { previous_value: "resolved", current_value: "open" } },
      { updated_at: { previous_value: expect.any(String), current_value: expect.any(String) } },
    ]);
    expect(fresh[2]?.body.changed_attributes).toEqual([
      { waiting_since: { previous_value: null, current_value: expect.any(String) } },
      { updated_at: { previous_value: expect.any(String), current_value: expect.any(String) } },
    ]);
  });

  it("webhooks private notes and templates (sender null) but never activity messages", async () => {
    const { conversationId } = await seedConversation(api, "kinds");
    const note = sandbox.note(conversationId, "internal");
    const template = sandbox.template(conversationId, "Thanks for reaching out");
    sandbox.resolve(conversationId);
    await sandbox.webhooksIdle();
    const note_ = receiver.received.find((h) => h.body.id === note.id);
    const template_ = receiver.received.find((h) => h.body.id === template.id);
    expect([note_?.body.private, note_?.body.message_type]).toEqual([true, "outgoing"]);
    expect([template_?.body.sender, template_?.body.message_type]).toEqual([null, "template"]);
    const activities = sandbox.messages(conversationId).filter((m) => m.messageType === "activity");
    expect(activities.map((m) => m.content)).toEqual(["Conversation was marked resolved by Sam Agent"]);
    expect(receiver.received.filter((h) => activities.some((a) => a.id === h.body.id))).toEqual([]);
  });

  it("answers a first agent reply with conversation_updated for first_reply_created_at and waiting_since", async () => {
    const { conversationId } = await seedConversation(api, "first-reply");
    await sandbox.webhooksIdle();
    const before = receiver.received.length;
    sandbox.reply(conversationId, "hello");
    await sandbox.webhooksIdle();
    const updated = receiver.received.slice(before).find((h) => h.event === "conversation_updated");
    expect(updated?.body.changed_attributes).toEqual([
      { first_reply_created_at: { previous_value: null, current_value: expect.any(String) } },
      { waiting_since: { previous_value: expect.any(String), current_value: null } },
      { updated_at: { previous_value: expect.any(String), current_value: expect.any(String) } },
    ]);
  });

  it("fires typing events with the token's user and passes is_private through as sent", async () => {
    const { conversationId } = await seedConversation(api, "typing");
    await sandbox.webhooksIdle();
    const before = receiver.received.length;
    await api.post(`/conversations/${conversationId}/toggle_typing_status`, {
      typing_status: "on",
      is_private: "true",
    });
    await api.post(`/conversations/${conversationId}/toggle_typing_status`, { typing_status: "off" });
    await sandbox.webhooksIdle();
    expect(receiver.received.slice(before).map((h) => [h.event, h.body.is_private, num(h.body, "user", "id")])).toEqual(
      [
        ["conversation_typing_on", "true", 1],
        ["conversation_typing_off", null, 1],
      ],
    );
  });
});
