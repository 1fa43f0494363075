// The metric lines of spec §7 through the local runtime (real HTTP, the sandbox, the receiver): each outcome of an
// inbound message, a webhook and a delivery, and Chatwoot calls, read from the log as CloudWatch EMF.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiverOf, sandboxOf, startTestBridge, type TestBridge } from "../support/bridge.js";
import { metricEvents, metricsNamed } from "../support/emf.js";
import { type Delivered, settle } from "../support/replies.js";
import { postWebhook } from "../support/webhook-post.js";

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => t.close());

const sandbox = () => sandboxOf(t);
const secret = () => t.bridge.config.chatwootWebhookSecret ?? "";
/** The lines written from now on. */
const mark = () => {
  const from = t.logLines.length;
  return () => t.logLines.slice(from);
};

describe("inbound messages", () => {
  it("counts a created message, with each Chatwoot call by operation and outcome, and its latency", async () => {
    const since = mark();
    const answer = await t.api("POST", "/messages", { user_id: "metrics-user-1", message_id: "m-1", content: "hi" });
    expect(answer.status).toBe(201);
    expect(metricsNamed(since(), "InboundMessages").map((e) => [e.Outcome, e.InboundMessages])).toEqual([
      ["created", 1],
    ]);
    const calls = metricsNamed(since(), "ChatwootCalls");
    expect(calls.map((e) => [e.Operation, e.Outcome])).toEqual([
      ["create contact", "ok"],
      ["create conversation", "ok"],
    ]);
    for (const call of calls) expect(call.ChatwootLatency).toBeGreaterThanOrEqual(0);
  });

  it("counts a duplicate, which calls Chatwoot not at all", async () => {
    const since = mark();
    const answer = await t.api("POST", "/messages", { user_id: "metrics-user-1", message_id: "m-1", content: "hi" });
    expect(answer.status).toBe(200);
    expect(metricsNamed(since(), "InboundMessages").map((e) => e.Outcome)).toEqual(["duplicate"]);
    expect(metricsNamed(since(), "ChatwootCalls")).toEqual([]);
  });

  it("counts a refused message by its error code, and nothing else happens", async () => {
    const since = mark();
    const messagesBefore = sandbox().messages().length;
    const invalid = await t.api("POST", "/messages", { user_id: "metrics-user-2" });
    const unauthorized = await t.api(
      "POST",
      "/messages",
      { user_id: "metrics-user-2", content: "x" },
      {
        authorization: "Bearer wrong",
      },
    );
    expect([invalid.status, unauthorized.status]).toEqual([400, 401]);
    expect(metricsNamed(since(), "InboundMessages").map((e) => [e.Outcome, e.Reason])).toEqual([
      ["refused", "validation_failed"],
      ["refused", "unauthorized"],
    ]);
    expect(metricsNamed(since(), "ChatwootCalls")).toEqual([]);
    expect(sandbox().messages()).toHaveLength(messagesBefore);
  });
});

describe("webhooks and deliveries", () => {
  it("counts the reply's webhook queued and its delivery, with the time from the agent's reply to delivered", async () => {
    const posted = await t.api("POST", "/messages", { user_id: "metrics-user-3", message_id: "m-1", content: "hi" });
    const conversationId = (posted.body as { conversation_id: number }).conversation_id;
    await settle(t);
    const since = mark();
    const reply = sandbox().reply(conversationId, "an answer");
    await receiverOf(t).next((d) => (d.body as Delivered).data.message?.id === reply.id);
    await settle(t);
    expect(metricsNamed(since(), "Webhooks", { Outcome: "queued" }).map((e) => e.Type)).toContain(
      "conversation.changed",
    );
    const delivered = metricsNamed(since(), "Deliveries", { Outcome: "delivered" });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.Type).toBe("message.created");
    expect(delivered[0]?.ReplyToDeliveredMs).toBeGreaterThanOrEqual(0);
    expect(delivered[0]?.ReplyToDeliveredMs).toBeLessThan(60_000);
    expect(metricsNamed(since(), "ChatwootCalls", { Operation: "update message status", Outcome: "ok" })).not.toEqual(
      [],
    );
  });

  it("counts an ignored webhook with its reason, and a refused one with its code", async () => {
    const since = mark();
    const ignored = await postWebhook(t.bridge.url, JSON.stringify({ event: "webwidget_triggered" }), {
      secret: secret(),
    });
    const refused = await postWebhook(t.bridge.url, JSON.stringify({ event: "message_created" }), { secret: "bad" });
    expect([ignored.status, refused.status]).toEqual([200, 401]);
    expect(metricsNamed(since(), "Webhooks").map((e) => [e.Outcome, e.Reason])).toEqual([
      ["ignored", "event not delivered"],
      ["refused", "unauthorized"],
    ]);
  });

  it("counts a reply of no user as undeliverable (issue 14: nothing skipped silently)", async () => {
    const since = mark();
    const contact = sandbox().newContact({ name: "Anonymous" });
    const conversation = sandbox().newConversation(contact.id, "Can I help?");
    const reply = await sandbox().waitForMessage(
      (m) => m.conversationId === conversation.displayId && m.messageType === "outgoing",
    );
    await sandbox().waitForMessage((m) => m.id === reply.id && m.status === "failed");
    await settle(t);
    const undeliverable = metricsNamed(since(), "Deliveries", { Outcome: "undeliverable" });
    expect(undeliverable.map((e) => [e.Reason, e.Type, e.Deliveries])).toEqual([["no user", "message.created", 1]]);
    expect(metricsNamed(since(), "Deliveries", { Outcome: "delivered" })).toEqual([]);
  });

  it("carry no user id and no content", () => {
    const lines = metricEvents(t.logLines).map((event) => JSON.stringify(event));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines)
      for (const value of ["metrics-user", "an answer", "Can I help"]) expect(line).not.toContain(value);
  });
});
