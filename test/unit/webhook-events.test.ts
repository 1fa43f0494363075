import { describe, expect, it } from "vitest";
import { classifyWebhook } from "../../functions/core/webhook-events.js";
import { webhookFixture } from "../support/fixtures.js";

const received = new Date("2026-06-20T14:05:43.000Z");

describe("classifyWebhook on Chatwoot's example payloads", () => {
  it("queues an agent reply as a 'conversation changed' signal, grouped by conversation, identified by message id", () => {
    const result = classifyWebhook(webhookFixture("message_created.outgoing.json"), received);
    expect(result).toEqual({
      action: "enqueue",
      groupId: "conversation-287",
      deduplicationId: "message-91207",
      // No message content on the queue: the worker reads the messages after its cursor from Chatwoot.
      delivery: {
        type: "conversation.changed",
        conversationId: 287,
        occurredAt: "2026-06-20T14:05:43.000Z",
        origin: "webhook",
        messageId: 91207,
        // The status as this payload showed it, and Chatwoot's updated_at when it did (CONTRACT.md §4.4).
        status: "open",
        statusAt: 1781964342.688305,
        // Whose conversation it is, should the bridge not map it (spec §4): never the contact's name or phone.
        contact: { contactId: 4821, sourceId: "ext-chat-90412", identifier: "ext-user-7781" },
      },
    });
  });

  it("carries an agent's attachment on a Retry as file_type, url (the data_url redirect), content type, size and filename", () => {
    const retried = { ...webhookFixture("message_created.with_attachment.json"), event: "message_updated" };
    const result = classifyWebhook(retried, received);
    if (result.action !== "enqueue" || result.delivery.type !== "message.created") throw new Error("expected a reply");
    const [attachment] = result.delivery.message?.attachments ?? [];
    expect(attachment).toMatchObject({
      file_type: "image",
      content_type: "image/png",
      file_size: 184233,
      filename: "factura-A-5521.png",
      extension: "png",
    });
    expect(attachment?.url).toMatch(
      /^https:\/\/chat\.acme\.example\/rails\/active_storage\/blobs\/redirect\/.+\/factura-A-5521\.png$/,
    );
  });

  it.each([
    ["message_created.incoming.json", "not an agent reply"],
    ["message_created.private_note.json", "private note"],
    ["conversation_created.json", "event not delivered"],
    ["conversation_updated.resolved.json", "event not delivered"],
    ["contact_created.account_webhook_only.json", "event not delivered"],
  ])("ignores %s (%s)", (file, reason) => {
    expect(classifyWebhook(webhookFixture(file), received)).toEqual({ action: "ignore", reason });
  });

  it("turns a deleted message into message.deleted", () => {
    expect(classifyWebhook(webhookFixture("message_updated.json"), received)).toEqual({
      action: "enqueue",
      groupId: "conversation-287",
      deduplicationId: "deleted-91212",
      delivery: {
        type: "message.deleted",
        webhookId: "msg_91212_deleted",
        conversationId: 287,
        messageId: 91212,
        occurredAt: "2026-06-20T14:05:43.000Z",
      },
    });
  });

  it("turns a status change into a signal with the status and its updated_at (changed_attributes is null)", () => {
    const result = classifyWebhook(webhookFixture("conversation_status_changed.resolved.json"), received);
    expect(result).toMatchObject({
      action: "enqueue",
      groupId: "conversation-287",
      deduplicationId: "conv_287_resolved_1781964900127554",
      delivery: {
        type: "conversation.changed",
        conversationId: 287,
        origin: "webhook",
        status: "resolved",
        statusAt: 1781964900.127554,
        occurredAt: "2026-06-20T14:05:43.000Z",
      },
    });
  });
});

describe("classifyWebhook rules beyond the examples", () => {
  const reply = () => webhookFixture("message_created.outgoing.json");

  it("never delivers an outgoing message that carries a source_id (created through the API, an echo)", () => {
    expect(classifyWebhook({ ...reply(), source_id: "cwb-msg-1" }, received)).toEqual({
      action: "ignore",
      reason: "echo of a message created through the API",
    });
  });

  it("signals a template message too (greeting, CSAT): the pull delivers it with a null sender", () => {
    const result = classifyWebhook({ ...reply(), message_type: "template", sender: null }, received);
    expect(result).toMatchObject({ action: "enqueue", delivery: { type: "conversation.changed", messageId: 91207 } });
  });

  it("re-delivers a Retried template with a null sender, under fresh attempts", () => {
    const retried = { ...reply(), event: "message_updated", message_type: "template", sender: null };
    const result = classifyWebhook(retried, received);
    if (result.action !== "enqueue" || result.delivery.type !== "message.created") throw new Error("expected a reply");
    expect(result.delivery.message?.message_type).toBe("template");
    expect(result.delivery.message?.sender).toBeNull();
    expect(result.delivery.attemptKey).toBe(result.deduplicationId);
  });

  it("treats a message_updated that cleared external_error on an outgoing message as a redelivery request (agent pressed Retry)", () => {
    const failed = webhookFixture("message_updated.failed_delivery.json");
    const retried = { ...failed, content_attributes: {} };
    const result = classifyWebhook(retried, received);
    if (result.action !== "enqueue") throw new Error("expected enqueue");
    expect(result.delivery).toMatchObject({
      type: "message.created",
      webhookId: "msg_91207",
      messageId: 91207,
    });
  });

  it("ignores the bridge's own failure marking, so a reply it gave up is not delivered again", () => {
    const failed = webhookFixture("message_updated.failed_delivery.json");
    const ours = {
      ...failed,
      content_attributes: { external_error: "Not delivered after 10 attempts: receiver answered 503." },
    };
    expect(classifyWebhook(ours, received)).toEqual({ action: "ignore", reason: "failure marking" });
  });

  it("turns Chatwoot's own failure marking (its webhook failed) into a delivery request that re-marks a delivered reply", () => {
    const result = classifyWebhook(webhookFixture("message_updated.failed_delivery.json"), received);
    if (result.action !== "enqueue") throw new Error("expected enqueue");
    expect(result.delivery).toMatchObject({ type: "message.created", messageId: 91207, chatwootFailed: true });
  });

  it("ignores the message_updated echo of the bridge's own delivered mark", () => {
    const echo = webhookFixture("message_created.outgoing.json");
    const conversation = { ...(echo.conversation as object), messages: [{ id: 91207, status: "delivered" }] };
    expect(classifyWebhook({ ...echo, event: "message_updated", conversation }, received)).toEqual({
      action: "ignore",
      reason: "already delivered",
    });
  });

  it("ignores payloads that are not objects or lack ids", () => {
    expect(classifyWebhook([], received)).toEqual({ action: "ignore", reason: "not an object" });
    expect(classifyWebhook({ event: "message_created", message_type: "outgoing", private: false }, received)).toEqual({
      action: "ignore",
      reason: "malformed message event",
    });
  });

  it("reads a field of another type as absent, so a string id is a malformed event, not a crash", () => {
    const payload = { ...reply(), conversation: { id: "287" } };
    expect(classifyWebhook(payload, received)).toEqual({ action: "ignore", reason: "malformed message event" });
    const status = { ...webhookFixture("conversation_status_changed.resolved.json"), status: "closed" };
    expect(classifyWebhook(status, received)).toEqual({ action: "ignore", reason: "malformed conversation event" });
  });
});

describe("classifyWebhook and the bridge's own inbox and account", () => {
  const ours = { inboxId: 12, accountId: 3 };

  it("queues a reply of the configured inbox and account", () => {
    expect(classifyWebhook(webhookFixture("message_created.outgoing.json"), received, ours).action).toBe("enqueue");
  });

  it.each([
    ["another inbox", { inboxId: 13, accountId: 3 }],
    ["another account", { inboxId: 12, accountId: 4 }],
  ])("ignores a validly signed reply naming %s, so it is never delivered", (reason, scope) => {
    expect(classifyWebhook(webhookFixture("message_created.outgoing.json"), received, scope)).toEqual({
      action: "ignore",
      reason,
    });
  });

  it("ignores a status change of another inbox, read from the conversation's inbox_id", () => {
    const change = webhookFixture("conversation_status_changed.resolved.json");
    expect(classifyWebhook(change, received, { inboxId: 99, accountId: 3 })).toEqual({
      action: "ignore",
      reason: "another inbox",
    });
  });
});
